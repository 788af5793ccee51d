"""Draft a mapping file for a person to review: what `precepts diff --propose-mapping` writes.

The draft keeps every entry of the mapping in use, adds each pair proposed from text
similarity as an entry marked `proposed:` with both texts above it in comments, and lists
the old elements left without a counterpart as commented-out `null` lines. A reviewer
confirms a proposal by deleting its `proposed:` key, rejects it by deleting the entry,
and confirms a removal by uncommenting its line.
"""

from __future__ import annotations

import json
import re

from precepts.changes.mapping import FORMAT, FORMAT_VERSION, Entry, Mapping
from precepts.changes.report import ChangeReport, ElementChange, Side

_PLAIN = re.compile(r"[a-z][a-z0-9.+/_-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "true", "false", "on", "off", "null"}
_SECTIONS = (("standard", "standards"), ("question", "questions"), ("prompt", "prompts"))


def scalar(text: str) -> str:
    """A YAML scalar that reads back as exactly this text."""
    if _PLAIN.fullmatch(text) and text not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _targets(ids: tuple[str, ...]) -> str:
    if not ids:
        return "null"
    if len(ids) == 1:
        return scalar(ids[0])
    return "[" + ", ".join(scalar(i) for i in ids) + "]"


def _entry_line(entry: Entry) -> str:
    fields = [f"to: {_targets(entry.new)}"]
    if entry.why:
        fields.append(f"why: {scalar(entry.why)}")
    if entry.proposed is not None:
        fields.append(f"proposed: {entry.proposed:.2f}")
    if len(fields) == 1:
        return f"  {scalar(entry.old)}: {_targets(entry.new)}"
    return f"  {scalar(entry.old)}: {{{', '.join(fields)}}}"


def number_key(number: str) -> tuple[tuple[int, str], ...]:
    """1.2.10a after 1.2.9b: numbers compared part by part, digits as numbers."""
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in re.findall(r"\d+|[a-z]+", number))


def _about(side: Side) -> str:
    return f"{side.number} {side.text} ({', '.join(side.levels)})"


def proposal_file(report: ChangeReport, mapping: Mapping | None) -> str:
    """The text of a mapping file: the entries in use, then the proposals to review."""
    old_id, new_id = report.old.id, report.new.id
    lines = [
        f"# Identity mapping from {old_id} to {new_id}.",
        "# Drafted by `precepts diff --propose-mapping`. Review every entry marked `proposed:`:",
        "# delete `proposed:` to confirm it, or the whole entry to reject it. Lines starting",
        "# `#   id: null` are elements with no counterpart found: uncomment one to confirm",
        "# it was removed. Then say who confirmed the file, and commit it.",
        f"format: {FORMAT}",
        f"format_version: {FORMAT_VERSION}",
        f"old: {scalar(old_id)}",
        f"new: {scalar(new_id)}",
        f"confirmed_by: {scalar(mapping.confirmed_by) if mapping and mapping.confirmed_by else chr(34) * 2}",
    ]
    if mapping and mapping.confirmed_on:
        lines.append(f"confirmed_on: {scalar(mapping.confirmed_on)}")
    if mapping and mapping.note:
        lines.append(f"note: {scalar(mapping.note)}")
    kept = {section: list(mapping.section(section)) if mapping else [] for section in ("levels", "rules")}
    if kept["levels"]:
        lines.append("levels:")
        lines.extend(_entry_line(e) for e in kept["levels"])
    for kind, section in _SECTIONS:
        lines.append(f"{section}:")
        lines.extend(_element_lines(kind, section, report, mapping))
    if kept["rules"]:
        lines.append("rules:")
        lines.extend(_entry_line(e) for e in kept["rules"])
    return "\n".join(lines) + "\n"


def _element_lines(kind: str, section: str, report: ChangeReport, mapping: Mapping | None) -> list[str]:
    lines: list[str] = []
    in_use = {e.old: e for e in mapping.section(section)} if mapping else {}
    written: set[str] = set()
    proposals: dict[str, list[ElementChange]] = {}
    for change in report.elements(kind):
        if change.matched_by == "proposed" and change.old and change.new and change.old.id not in in_use:
            proposals.setdefault(change.old.id, []).append(change)
    numbers = {c.old.id: c.old.number for c in report.elements(kind) if c.old is not None}
    old_order = sorted(numbers, key=lambda key: number_key(numbers[key]))
    for key in old_order:
        if key in in_use and key not in written:
            lines.append(_entry_line(in_use[key]))
            written.add(key)
        elif key in proposals:
            changes = proposals[key]
            # Only changes with both sides are proposed (see above).
            olds = [c.old for c in changes if c.old is not None]
            news = [c.new for c in changes if c.new is not None]
            lines.append(f"  # {_about(olds[0])}")
            lines.extend(f"  #  → {_about(new)}" for new in news)
            score = min(c.score or 0.0 for c in changes)
            lines.append(_entry_line(Entry(section, key, tuple(new.id for new in news), None, score, 0)))
    for change in report.elements(kind):
        if change.status == "removed" and change.matched_by is None and change.old is not None:
            lines.append(f"  #   {scalar(change.old.id)}: null    # {_about(change.old)}: no counterpart found")
    return lines
