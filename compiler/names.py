"""Naming helpers shared by the compiler and the checks."""

from __future__ import annotations

import difflib
import re

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A stable id from a heading: 'Implementation and delivery' → 'implementation-and-delivery'."""
    return _NON_WORD.sub("-", text.lower()).strip("-") or "untitled"


def did_you_mean(word: str, candidates: list[str] | tuple[str, ...], limit: int = 3) -> str | None:
    matches = difflib.get_close_matches(word, list(candidates), n=limit, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in candidates}
        matches = [lowered[m] for m in difflib.get_close_matches(word.lower(), list(lowered), n=limit, cutoff=0.6)]
    if not matches:
        return None
    return "did you mean " + " or ".join(f"'{m}'" for m in matches) + "?"
