"""The change report as a publishable HTML change notice, in the GOV.UK style.

One self-contained page: its styles are inline and it loads nothing, so it can be
published or emailed as it is. Every text from a framework is escaped. Redlines use
<del> and <ins>, each with hidden words for screen readers, since most do not announce
those elements; struck-through and underlined text does not rely on colour alone.

The page is organised standard by standard: each standard's own changes, then those of
its key questions and prompts. Removed standards come last, with what they held.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from precepts.changes.redline import Op, split_space
from precepts.changes.report import KIND_TITLES, Change, ChangeReport, ElementChange, ItemChange, Side
from precepts.changes.text import ambiguous_numbers, summary_sentence
from precepts.core.version import __version__

TEMPLATES = Path(__file__).with_name("templates")

CHANGE_LABELS = {
    "renumbered": "Renumbered",
    "moved": "Moved",
    "levels": "Levels",
    "heading": "Heading",
    "text": "Standard text",
    "reworded": "Reworded",
    "applicability": "Applies to",
    "rating": "How it is rated",
    "split": "Split",
    "merged": "Merged",
    "id": "Id",
    "name": "Name",
    "scale": "Scale",
    "grades": "Grades",
    "rounding": "Rounding",
    "band": "Band",
    "score": "Score",
    "scores": "Scores",
    "weights": "Weights",
    "when": "When",
    "then": "Then",
    "open": "Left open",
    "values": "Values",
}
STATUS_TAGS = {"changed": ("Changed", "blue"), "added": ("Added", "green"), "removed": ("Removed", "red"),
               "unchanged": ("Unchanged", "grey")}
MATCH_WORDS = {
    "mapping": "paired by the confirmed mapping",
    "id": "same id",
    "derived-id": "same place and wording close enough",
    "number": "same number",
    "proposed": "proposed from text similarity, not yet confirmed",
}


@dataclass
class Group:
    """A standard and what changed in it and in its key questions and prompts."""

    anchor: str
    title: str
    standard: ElementChange | None
    questions: list[ElementChange] = field(default_factory=list)
    prompts: list[ElementChange] = field(default_factory=list)
    unchanged: int = 0


def render_html(report: ChangeReport) -> str:
    import jinja2
    from markupsafe import Markup, escape

    from precepts.core.styles import inline_stylesheet

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )

    def redline_html(ops: tuple[Op, ...]) -> Markup:
        parts: list[str] = []
        for op in ops:
            before, body, after = split_space(op.text)
            if op.op == "equal" or not body:
                parts.append(str(escape(op.text)))
            else:
                element, words = ("del", "deleted") if op.op == "delete" else ("ins", "inserted")
                parts.append(f'{escape(before)}<{element}><span class="govuk-visually-hidden">[{words}: </span>'
                             f'{escape(body)}<span class="govuk-visually-hidden">]</span></{element}>{escape(after)}')
        return Markup("".join(parts))

    environment.filters["redline"] = redline_html
    environment.globals.update(
        change_label=change_label, status_tag=STATUS_TAGS, match_words=MATCH_WORDS, number_of=number_of,
        change_value=change_value,
    )
    template = environment.get_template("notice.html.j2")
    return template.render(
        report=report,
        tool_version=__version__,
        summaries=[(KIND_TITLES[kind], report.summary(kind), summary_sentence(report, kind))
                   for kind in ("standard", "question", "prompt")],
        rule_summary=report.rule_summary(),
        groups=groups(report),
        levels=_shown(report.levels),
        attributes=_shown(report.attributes),
        domains=_shown(report.domains),
        rules=_shown(report.rules),
        repeated={kind: ambiguous_numbers(report.elements(kind)) for kind in ("standard", "question", "prompt")},
        css=inline_stylesheet("notice.css"),
    )


def _shown(items: tuple[ItemChange, ...]) -> list[ItemChange]:
    return [i for i in items if i.status != "unchanged"]


def change_label(change: Change) -> str:
    label = CHANGE_LABELS.get(change.what, change.what.capitalize())
    if change.what == "moved" and change.note:
        label = f"Moved {change.note}"
    if change.level:
        label += f" at {change.level}"
    return label


def change_value(change: Change) -> dict[str, Any]:
    """What a change row shows when it has no redline: from → to, or one side."""
    if change.what == "split":
        return {"kind": "parts", "text": change.new, "note": change.note}
    if change.what == "merged":
        return {"kind": "parts", "text": change.old, "note": change.note}
    note = None if change.what == "moved" else change.note  # the label already says where to
    return {"kind": "from-to", "old": change.old, "new": change.new, "note": note}


def number_of(side: Side | None, repeated: set[str] | None = None) -> str:
    if side is None:
        return ""
    levels = f" ({', '.join(side.levels)})" if repeated and side.number in repeated else ""
    return f"{side.number}{levels}"


def groups(report: ChangeReport) -> list[Group]:
    """Changes gathered standard by standard, in the new framework's order, removed standards last."""
    question_standard_new = {c.new.id: c.new.parent_id for c in report.questions if c.new}
    question_standard_old = {c.old.id: c.old.parent_id for c in report.questions if c.old}
    standard_partner = {c.old.id: c.new.id for c in report.standards if c.old and c.new}
    by_id: dict[str, Group] = {}
    ordered: list[Group] = []
    tail: list[Group] = []
    for change in report.standards:
        side = change.new or change.old
        assert side is not None
        key = side.id if change.new else f"removed:{side.id}"
        if key in by_id:
            continue
        numbers = side.number if change.new is None or change.old is None or change.old.number == change.new.number \
            else f"{change.new.number} (was {change.old.number})"
        title = f"{numbers} {side.text}" + ("" if change.new else " (removed)")
        group = Group(f"standard-{side.id}" if change.new else f"removed-standard-{side.id}", title, change)
        by_id[key] = group
        (ordered if change.new else tail).append(group)

    def home(change: ElementChange, kind: str) -> Group | None:
        if change.new is not None:
            standard = change.new.parent_id if kind == "question" else question_standard_new.get(change.new.parent_id)
            return by_id.get(standard or "")
        assert change.old is not None
        standard = change.old.parent_id if kind == "question" else question_standard_old.get(change.old.parent_id)
        partner = standard_partner.get(standard or "")
        return by_id.get(partner) if partner else by_id.get(f"removed:{standard}")

    for kind, changes in (("question", report.questions), ("prompt", report.prompts)):
        for change in changes:
            found = home(change, kind)
            if found is None:
                continue
            if change.status == "unchanged":
                found.unchanged += 1
            else:
                (found.questions if kind == "question" else found.prompts).append(change)
    return ordered + tail
