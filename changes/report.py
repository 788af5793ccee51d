"""The change report between two framework versions, as plain data.

diff.py makes it; diff_text, diff_json and diff_html render it. Every field is a
string, number, tuple or another of these records, so that rendering needs no model.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from precepts.changes.redline import Op

TERMS_ONLY = "preferred terms only"
WITH_PARENT = {"question": "with its standard", "prompt": "with its key question"}
KIND_TITLES = {"standard": "Standards", "question": "Key questions", "prompt": "Prompts"}


@dataclass(frozen=True, slots=True)
class Version:
    """One of the two frameworks compared."""

    id: str
    title: str | None
    version: str | None
    date: str | None
    status: str | None
    file: str
    sha256: str

    @property
    def label(self) -> str:
        return f"{self.id} ({self.version})" if self.version else self.id


@dataclass(frozen=True, slots=True)
class MappingInfo:
    file: str
    confirmed_by: str | None
    confirmed_on: str | None
    note: str | None
    sha256: str
    inverted: bool  # the file runs from the new framework to the old one, and was read backwards


@dataclass(frozen=True, slots=True)
class Side:
    """A standard, key question or prompt as one version has it."""

    id: str  # its id; "levels/id" when a key question's or prompt's id is used at several levels
    number: str
    text: str  # a standard's heading; the key question or prompt itself
    levels: tuple[str, ...]
    parent_id: str  # the domain of a standard, the standard of a key question, the key question of a prompt
    parent_number: str
    parent_text: str
    applies_to: str  # the condition it inherits and its own, in words; "every case" for none


@dataclass(frozen=True, slots=True)
class Change:
    what: str  # see CHANGE_KINDS
    old: str | None
    new: str | None
    level: str | None = None  # for a standard's text or rating at one level
    redline: tuple[Op, ...] = ()
    note: str | None = None


CHANGE_KINDS = (
    "renumbered", "moved", "levels", "heading", "text", "reworded", "applicability", "rating", "split", "merged",
    # rating rules, levels, case attributes and domains
    "name", "scale", "grades", "rounding", "band", "score", "scores", "weights", "when", "then", "open", "values",
)


@dataclass(frozen=True, slots=True)
class ElementChange:
    kind: str  # "standard" | "question" | "prompt"
    status: str  # "changed" | "unchanged" | "added" | "removed"
    matched_by: str | None  # "mapping" | "id" | "derived-id" | "proposed"; "mapping" for a confirmed removal
    score: float | None  # text similarity of the pair
    old: Side | None
    new: Side | None
    changes: tuple[Change, ...]
    why: str | None  # the mapping's reason

    def has(self, what: str) -> bool:
        return any(c.what == what for c in self.changes)


@dataclass(frozen=True, slots=True)
class ItemChange:
    """A level, case attribute, domain or rating rule."""

    kind: str  # "level" | "attribute" | "domain" | "scale" | "banding" | "composite" | "judgement" | "hurdle"
    status: str  # "changed" | "unchanged" | "added" | "removed"
    old_id: str | None
    new_id: str | None
    name: str
    matched_by: str | None
    changes: tuple[Change, ...]
    why: str | None = None


@dataclass(frozen=True, slots=True)
class ChangeReport:
    old: Version
    new: Version
    mapping: MappingInfo | None
    threshold: float
    levels: tuple[ItemChange, ...]
    attributes: tuple[ItemChange, ...]
    domains: tuple[ItemChange, ...]
    standards: tuple[ElementChange, ...]
    questions: tuple[ElementChange, ...]
    prompts: tuple[ElementChange, ...]
    rules: tuple[ItemChange, ...]
    notes: tuple[str, ...]

    def elements(self, kind: str) -> tuple[ElementChange, ...]:
        return {"standard": self.standards, "question": self.questions, "prompt": self.prompts}[kind]

    def summary(self, kind: str) -> dict[str, int]:
        """Counts for one kind of element: pairs by what changed, and the unpaired."""
        changes = self.elements(kind)
        pairs = [c for c in changes if c.old is not None and c.new is not None]
        counts: dict[str, int] = {
            "old": len({c.old.id for c in changes if c.old is not None}),
            "new": len({c.new.id for c in changes if c.new is not None}),
            "pairs": len(pairs),
            "unchanged": sum(c.status == "unchanged" for c in pairs),
            "changed": sum(c.status == "changed" for c in pairs),
            "proposed": sum(c.matched_by == "proposed" for c in pairs),
            "added": sum(c.status == "added" for c in changes),
            "removed": sum(c.status == "removed" for c in changes),
        }
        for what in ("renumbered", "moved", "levels", "reworded", "applicability"):
            counts[what] = sum(c.has(what) for c in pairs)
        if kind == "standard":
            counts["reworded"] = sum(c.has("heading") or c.has("text") for c in pairs)
            counts["rating"] = sum(c.has("rating") for c in pairs)
        counts["reworded_terms_only"] = sum(
            all(ch.note == TERMS_ONLY for ch in c.changes if ch.what in ("reworded", "heading", "text"))
            and (c.has("reworded") or c.has("heading") or c.has("text"))
            for c in pairs
        )
        return counts

    def rule_summary(self) -> dict[str, int]:
        counted = Counter(r.status for r in self.rules)
        return {status: counted.get(status, 0) for status in ("changed", "unchanged", "added", "removed")}
