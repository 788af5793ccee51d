"""The authoring page and its source endpoints (only with `precepts serve --edit`)."""

from __future__ import annotations

from starlette.routing import Route


def routes() -> list[Route]:
    return []
