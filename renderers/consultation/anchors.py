"""Unique, readable fragment ids for one HTML page.

An element's first place on the page gets the id `KIND-ID` (`prompt-services.pdu.2a`),
so a link to it can be written before the element itself is placed; a later place of
the same element (a standard written once per level) gets `KIND-ID-2`.
"""

from __future__ import annotations

import re


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.\-]+", "-", text).strip("-") or "section"


def element_anchor(kind: str, element_id: str) -> str:
    return _safe(f"{kind}-{element_id}")


class Anchors:
    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, base: str) -> str:
        base = _safe(base)
        anchor, n = base, 2
        while anchor in self._taken:
            anchor, n = f"{base}-{n}", n + 1
        self._taken.add(anchor)
        return anchor

    def element(self, kind: str, element_id: str) -> str:
        return self.take(element_anchor(kind, element_id))
