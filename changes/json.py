"""The change report as JSON: a versioned document for tools, described by the shipped
schema core/schemas/precepts-diff-1.schema.json.

Key order is fixed by construction and nothing depends on time or the machine, so the
same frameworks and mapping always give byte-identical output. `format_version` changes
only when a field changes meaning or is removed; new fields may be added.
"""

from __future__ import annotations

import json
from typing import Any

from precepts.changes.report import Change, ChangeReport, ElementChange, ItemChange, Side, Version
from precepts.core.formats import DIFF
from precepts.core.version import __version__

FORMAT = DIFF.format
FORMAT_VERSION = DIFF.version


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of this document."""
    return DIFF.schema()


def render_json(report: ChangeReport) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"


def document(report: ChangeReport) -> dict[str, Any]:
    mapping = report.mapping
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool": {"name": "precepts", "version": __version__},
        "old": _version(report.old),
        "new": _version(report.new),
        "mapping": None if mapping is None else {
            "file": mapping.file,
            "confirmed_by": mapping.confirmed_by,
            "confirmed_on": mapping.confirmed_on,
            "note": mapping.note,
            "sha256": mapping.sha256,
            "inverted": mapping.inverted,
        },
        "threshold": report.threshold,
        "summary": {
            "standards": report.summary("standard"),
            "questions": report.summary("question"),
            "prompts": report.summary("prompt"),
            "rules": report.rule_summary(),
        },
        "notes": list(report.notes),
        "levels": [_item(i) for i in report.levels],
        "attributes": [_item(i) for i in report.attributes],
        "domains": [_item(i) for i in report.domains],
        "standards": [_element(e) for e in report.standards],
        "questions": [_element(e) for e in report.questions],
        "prompts": [_element(e) for e in report.prompts],
        "rules": [_item(i) for i in report.rules],
    }


def _version(version: Version) -> dict[str, Any]:
    return {
        "id": version.id,
        "title": version.title,
        "version": version.version,
        "date": version.date,
        "status": version.status,
        "file": version.file,
        "sha256": version.sha256,
    }


def _side(side: Side | None) -> dict[str, Any] | None:
    if side is None:
        return None
    return {
        "id": side.id,
        "number": side.number,
        "text": side.text,
        "levels": list(side.levels),
        "parent": {"id": side.parent_id, "number": side.parent_number, "text": side.parent_text},
        "applies_to": side.applies_to,
    }


def _change(change: Change) -> dict[str, Any]:
    return {
        "what": change.what,
        "old": change.old,
        "new": change.new,
        "level": change.level,
        "note": change.note,
        "redline": [{"op": op.op, "text": op.text} for op in change.redline] if change.redline else None,
    }


def _element(element: ElementChange) -> dict[str, Any]:
    return {
        "kind": element.kind,
        "status": element.status,
        "matched_by": element.matched_by,
        "score": element.score,
        "old": _side(element.old),
        "new": _side(element.new),
        "changes": [_change(c) for c in element.changes],
        "why": element.why,
    }


def _item(item: ItemChange) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "status": item.status,
        "old_id": item.old_id,
        "new_id": item.new_id,
        "name": item.name,
        "matched_by": item.matched_by,
        "changes": [_change(c) for c in item.changes],
        "why": item.why,
    }
