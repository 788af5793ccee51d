"""XLSForm, for ODK-based tools (ODK Collect, Enketo, KoboToolbox), made from a form
document of forms.py.

Each standard is a group; each key question a group shown on one screen (field-list)
with its prompts and then the key question's own yes/no. A prompt that applies under a
condition gets a `relevant` expression over the case attributes, so it is shown, and
required, only where it applies; ODK leaves it out of the submission elsewhere, which
the assessment record reads as not applicable. Field names are the elements' stable ids,
as in the record.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from precepts.renderers.xlsx import workbook

SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "relevant", "appearance", "calculation")
CHOICE_COLUMNS = ("list_name", "name", "label")
SETTINGS_COLUMNS = ("form_title", "form_id", "version", "instance_name")
# Characters that ODK treats as markup in labels and hints (HTML, its Markdown subset,
# ${…} references) are written as character references, which ODK shows as the
# characters themselves: a prompt's text is always shown, never interpreted.
_MARKUP = re.compile(r"[&<>*_#$\[\]`\\]")
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


def odk_text(text: str | None) -> str:
    if not text:
        return ""
    return _MARKUP.sub(lambda found: f"&#{ord(found.group())};", text)


def odk_name(identifier: str) -> str:
    """The id itself where it is a valid XML name (ids usually are); else a safe spelling."""
    if _XML_NAME.match(identifier):
        return identifier
    safe = re.sub(r"[^A-Za-z0-9_.\-]", "_", identifier)
    return safe if _XML_NAME.match(safe) else f"_{safe}"


def _xpath_literal(value: str) -> str:
    return f"'{value}'" if "'" not in value else f'"{value}"'


def relevant(node: dict[str, Any] | None) -> str:
    """An applicability condition (compiled-JSON shape) as an XLSForm relevant expression."""
    if node is None:
        return ""
    if "all_of" in node or "any_of" in node:
        joiner = " and " if "all_of" in node else " or "
        return joiner.join(f"({relevant(item)})" for item in node.get("all_of", node.get("any_of", [])))
    field = f"${{{odk_name(node['name'])}}}"
    values = [_xpath_literal(v) for v in node["values"]]
    if node["op"] == "is":
        return f"{field} = {values[0]}"
    if node["op"] == "is-not":
        return f"{field} != {values[0]}"
    if node["op"] == "one-of":
        return " or ".join(f"{field} = {v}" for v in values)
    raise ValueError(f"an applicability condition cannot use '{node['op']}'")


def _row(**cells: str) -> tuple[str, ...]:
    return tuple(cells.get(column, "") for column in SURVEY_COLUMNS)


def _select(field: dict[str, Any], label: str) -> tuple[str, ...]:
    choices = field.get("choices")
    # Where a yes/no element applies only under a condition it is hidden elsewhere, so
    # "n/a" need not be offered: ODK leaves a hidden element out of the submission.
    if choices == "yes-no-not-applicable" and field.get("applies_when") is not None:
        choices = "yes-no"
    return _row(
        type=f"select_one {choices}" if field["type"] == "select_one" else field["type"],
        name=odk_name(field["name"]),
        label=odk_text(label),
        hint=odk_text(field.get("guidance")),
        required="yes" if field.get("required") else "",
        relevant=relevant(field.get("applies_when")),
    )


def _survey(document: dict[str, Any]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    form = document["form"]
    if form.get("record"):
        record = form["record"]
        # The record's own fields, so that a submission carries everything its record needs.
        for name, value in (("format", record["format"]), ("format_version", str(record["format_version"])),
                            ("framework", form["framework"]["id"]), ("level", form["levels"][0])):
            rows.append(_row(type="calculate", name=name, calculation=_xpath_literal(value)))
    for i, text in enumerate(document.get("instructions", []), start=1):
        rows.append(_row(type="note", name=f"instruction_{i}", label=odk_text(text)))
    for section in document["sections"]:
        grouped = section["kind"] == "standard"
        if grouped:
            heading = f"{section['number']} {section['heading']}" if section.get("number") else section["heading"]
            rows.append(_row(type="begin_group", name=odk_name(section["id"]), label=odk_text(heading),
                             relevant=relevant(section.get("applies_when"))))
            if section.get("text") or section.get("guidance"):
                rows.append(_row(type="note", name=odk_name(f"{section['id']}.standard"),
                                 label=odk_text(section.get("text")), hint=odk_text(section.get("guidance"))))
        for field in section["fields"]:
            prompts = field.get("prompts")
            if prompts is None:
                rows.append(_select(field, field["label"]))
                continue
            rows.append(_row(type="begin_group", name=odk_name(f"{field['name']}.group"),
                             label=odk_text(f"{field['number']} {field['label']}"),
                             relevant=relevant(field.get("applies_when")), appearance="field-list"))
            for prompt in prompts:
                rows.append(_select(prompt, f"{prompt['letter']}) {prompt['label']}"))
            rows.append(_select(field, f"{field['number']} {field['label']}"))
            rows.append(_row(type="end_group"))
        if grouped:
            rows.append(_row(type="end_group"))
    return rows


def _choices(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (name, option["value"], odk_text(option["label"]))
        for name, options in document["choice_lists"].items()
        for option in options
    ]


def xlsform_sheets(document: dict[str, Any]) -> list[tuple[str, Sequence[Sequence[str]]]]:
    survey = _survey(document)
    choices = _choices(document)
    form = document["form"]
    # The version changes exactly when the form does, as ODK servers require of a new upload.
    version = hashlib.sha256(json.dumps([survey, choices], ensure_ascii=False).encode("utf-8")).hexdigest()[:12]
    instance_name = "concat('Case ', ${case})" if form.get("record") else ""
    settings = (odk_text(form["title"]), odk_name(form["id"]), version, instance_name)
    return [
        ("survey", [SURVEY_COLUMNS, *survey]),
        ("choices", [CHOICE_COLUMNS, *choices]),
        ("settings", [SETTINGS_COLUMNS, settings]),
    ]


def xlsform(document: dict[str, Any]) -> bytes:
    return workbook(xlsform_sheets(document))
