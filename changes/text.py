"""The change report as text for people, in the style of `git diff --word-diff`.

Each entry starts with a mark: `~` changed, `-` removed, `+` added, `?` a pair proposed
from text similarity that no person has confirmed. Unchanged pairs are only counted.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from precepts.changes.redline import as_text
from precepts.changes.report import KIND_TITLES, Change, ChangeReport, ElementChange, ItemChange, Side

INDENT = "      "
CHANGE_WORDS = {
    "renumbered": "renumbered",
    "moved": "moved",
    "levels": "levels",
    "heading": "heading",
    "text": "text",
    "reworded": "reworded",
    "applicability": "applies",
    "rating": "rated",
    "split": "split",
    "merged": "merged",
}
RULE_TITLES = {"scale": "scale", "banding": "banding", "composite": "composite", "judgement": "judgement",
               "hurdle": "hurdle"}


def render_text(report: ChangeReport) -> str:
    out: list[str] = []
    out.append(f"precepts diff: {report.old.label} → {report.new.label}")
    out.append(f"  old: {report.old.file}")
    out.append(f"  new: {report.new.file}")
    if report.mapping is None:
        out.append("  mapping: none")
    else:
        confirmed = f", confirmed by {report.mapping.confirmed_by}" if report.mapping.confirmed_by else ", not confirmed"
        out.append(f"  mapping: {report.mapping.file}{confirmed}")
    for note in report.notes:
        out.append(f"  note: {note}")
    out.append("")
    out.append("Summary")
    for kind in ("standard", "question", "prompt"):
        out.append(f"  {summary_sentence(report, kind)}")
    rules = report.rule_summary()
    out.append(f"  Rating rules: {rules['changed']} changed, {rules['added']} added, {rules['removed']} removed, "
               f"{rules['unchanged']} unchanged.")
    _items(out, "Levels", report.levels)
    _items(out, "Case attributes", report.attributes)
    _items(out, "Domains", report.domains)
    for kind in ("standard", "question", "prompt"):
        _elements(out, report, kind)
    _items(out, "Rating rules", report.rules, with_kind=True)
    return "\n".join(out) + "\n"


def summary_sentence(report: ChangeReport, kind: str) -> str:
    """`Standards: 14 → 15. 11 pairs, 2 unchanged; 9 renumbered, …; 3 removed, 2 added.`"""
    counts = report.summary(kind)
    details = []
    for key, words in (("renumbered", "renumbered"), ("moved", "moved"), ("levels", "at other levels"),
                       ("reworded", "reworded"), ("applicability", "with other applicability"),
                       ("rating", "rated otherwise")):
        if counts.get(key):
            text = f"{counts[key]} {words}"
            if key == "reworded" and counts["reworded_terms_only"]:
                text += f" ({counts['reworded_terms_only']} in preferred terms only)"
            details.append(text)
    pairs = f"{plural(counts['pairs'], 'pair')}, {counts['unchanged']} unchanged"
    if counts["proposed"]:
        pairs += f", {counts['proposed']} only proposed"
    middle = f"{pairs}; {', '.join(details)}" if details else pairs
    return (f"{KIND_TITLES[kind]}: {counts['old']} → {counts['new']}. {middle}; "
            f"{counts['removed']} removed, {counts['added']} added.")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# ---- elements -------------------------------------------------------------------------------


def ambiguous_numbers(changes: tuple[ElementChange, ...]) -> tuple[set[str], set[str]]:
    """Numbers that need their level: those in a standard written once per level.

    2021 writes Leadership for the region and for the PDU, each with its own 1.1.1, so
    every number of that standard is shown with its level: 1.1.1 (region), 1.1.1f (region).
    """

    def per_level(sides: list[Side]) -> set[str]:
        unique = {s.id: s for s in sides}.values()
        levels_by_standard: dict[str, set[tuple[str, ...]]] = {}
        for side in unique:
            levels_by_standard.setdefault(_standard_number(side.number), set()).add(side.levels)
        return {s.number for s in unique if len(levels_by_standard[_standard_number(s.number)]) > 1}

    return (per_level([c.old for c in changes if c.old is not None]),
            per_level([c.new for c in changes if c.new is not None]))


def _standard_number(number: str) -> str:
    """1.1 of 1.1.1 and of 1.1.1a."""
    return ".".join(number.split(".")[:2])


def _number(side: Side, ambiguous: AbstractSet[str]) -> str:
    return f"{side.number} ({', '.join(side.levels)})" if side.number in ambiguous else side.number


def _elements(out: list[str], report: ChangeReport, kind: str) -> None:
    changes = [c for c in report.elements(kind) if c.status != "unchanged"]
    out.append("")
    out.append(KIND_TITLES[kind])
    if not changes:
        out.append("  no changes")
        return
    old_ambiguous, new_ambiguous = ambiguous_numbers(report.elements(kind))
    for change in changes:
        out.extend(element_lines(change, old_ambiguous, new_ambiguous))


def element_lines(change: ElementChange, old_ambiguous: AbstractSet[str] = frozenset(),
                  new_ambiguous: AbstractSet[str] = frozenset()) -> list[str]:
    if change.status == "added":
        assert change.new is not None
        return [f"  + {_number(change.new, new_ambiguous)} {change.new.text}"]
    if change.status == "removed":
        assert change.old is not None
        confirmed = "  [no counterpart: mapping]" if change.matched_by == "mapping" else ""
        lines = [f"  - {_number(change.old, old_ambiguous)} {change.old.text}{confirmed}"]
        if change.why:
            lines.append(f"{INDENT}why: {change.why}")
        return lines
    assert change.old is not None and change.new is not None
    mark = "?" if change.matched_by == "proposed" else "~"
    how = change.matched_by or ""
    if change.matched_by == "proposed" or change.matched_by == "derived-id":
        how += f" {change.score:.2f}"
    numbers = _number(change.old, old_ambiguous)
    if _number(change.new, new_ambiguous) != numbers:
        numbers += f" → {_number(change.new, new_ambiguous)}"
    # A reworded key question or prompt is shown by its redline; a standard by its new heading.
    title = change.new.text if change.kind == "standard" or not change.has("reworded") else ""
    lines = [f"  {mark} {numbers} {title}".rstrip() + f"  [{how}]"]
    lines.extend(f"{INDENT}{change_line(c)}" for c in change.changes)
    if change.why:
        lines.append(f"{INDENT}why: {change.why}")
    return lines


def change_line(change: Change) -> str:
    label = CHANGE_WORDS.get(change.what, change.what)
    if change.what == "moved" and change.note:
        label = f"moved {change.note}"
    if change.level:
        label += f" at {change.level}"
    if change.redline:
        note = f" ({change.note})" if change.note else ""
        return f"{label}{note}: {as_text(change.redline)}"
    if change.what in ("split", "merged"):
        parts = change.new if change.what == "split" else change.old
        return f"{label} ({change.note}): {parts}"
    note = f" ({change.note})" if change.note and change.what != "moved" else ""
    return f"{label}: {_or_none(change.old)} → {_or_none(change.new)}{note}"


def _or_none(value: str | None) -> str:
    return "none" if value is None else value


# ---- levels, attributes, domains, rules ----------------------------------------------------


def _items(out: list[str], title: str, items: tuple[ItemChange, ...], with_kind: bool = False) -> None:
    out.append("")
    out.append(title)
    shown = [i for i in items if i.status != "unchanged"]
    if not shown:
        out.append("  no changes")
        return
    for item in shown:
        out.extend(item_lines(item, with_kind))


def item_lines(item: ItemChange, with_kind: bool = False) -> list[str]:
    kind = f"{RULE_TITLES.get(item.kind, item.kind)} " if with_kind else ""
    if item.status == "added":
        return [f"  + {kind}{item.new_id}: {item.name}"] + [f"{INDENT}{c.what}: {c.new}" for c in item.changes]
    if item.status == "removed":
        confirmed = "  [no counterpart: mapping]" if item.matched_by == "mapping" else ""
        lines = [f"  - {kind}{item.old_id}: {item.name}{confirmed}"] + [f"{INDENT}{c.what}: {c.old}" for c in item.changes]
        return lines + ([f"{INDENT}why: {item.why}"] if item.why else [])
    ids = item.old_id if item.old_id == item.new_id else f"{item.old_id} → {item.new_id}"
    mark = "?" if item.matched_by == "proposed" else "~"
    lines = [f"  {mark} {kind}{ids}: {item.name}  [{item.matched_by}]"]
    lines.extend(f"{INDENT}{change_line(c)}" for c in item.changes)
    if item.why:
        lines.append(f"{INDENT}why: {item.why}")
    return lines
