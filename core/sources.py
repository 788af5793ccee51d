"""A framework file's text as read, keyed by the path shown to the user: what diagnostics point into."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    path: str  # as shown to the user
    text: str
    sha256: str
