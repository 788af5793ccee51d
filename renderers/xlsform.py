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


def _in(document: dict[str, Any], language: str | None, key: str, english: str) -> str:
    """A text in `language` where the framework's translation gives it, else the English
    (issue 16 §3: an untranslated text keeps its English rather than leaving a gap)."""
    if language is None:
        return english
    given = document["translations"][language]["texts"].get(key)
    return given["text"] if given else english


def _survey(document: dict[str, Any], language: str | None = None) -> list[tuple[str, ...]]:
    """The survey rows, labelled in `language` (None: English)."""
    rows: list[tuple[str, ...]] = []
    form = document["form"]
    level = form["levels"][0] if form.get("levels") else None

    def label(field: dict[str, Any]) -> str:
        answered = field.get("kind") in ("key-question", "prompt")
        return _in(document, language, field["name"], field["label"]) if answered else str(field["label"])
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
            translated = _in(document, language, section["id"], section["heading"])
            heading = f"{section['number']} {translated}" if section.get("number") else translated
            rows.append(_row(type="begin_group", name=odk_name(section["id"]), label=odk_text(heading),
                             relevant=relevant(section.get("applies_when"))))
            if section.get("text") or section.get("guidance"):
                rows.append(_row(type="note", name=odk_name(f"{section['id']}.standard"),
                                 label=odk_text(_in(document, language, f"{section['id']}@{level}", section["text"])
                                                if section.get("text") else None),
                                 hint=odk_text(section.get("guidance"))))
        for field in section["fields"]:
            prompts = field.get("prompts")
            if prompts is None:
                rows.append(_select(field, label(field)))
                continue
            rows.append(_row(type="begin_group", name=odk_name(f"{field['name']}.group"),
                             label=odk_text(f"{field['number']} {label(field)}"),
                             relevant=relevant(field.get("applies_when")), appearance="field-list"))
            for prompt in prompts:
                rows.append(_select(prompt, f"{prompt['letter']}) {label(prompt)}"))
            rows.append(_select(field, f"{field['number']} {label(field)}"))
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


ENGLISH = "English (en)"


def _language_column(document: dict[str, Any], language: str) -> str:
    """pyxform's name for a language: `Welsh (cy)`, its English name and its tag."""
    return f"{document['translations'][language]['name']} ({language})"


def xlsform_sheets(document: dict[str, Any]) -> list[tuple[str, Sequence[Sequence[str]]]]:
    survey_columns: tuple[str, ...] = SURVEY_COLUMNS
    choice_columns: tuple[str, ...] = CHOICE_COLUMNS
    survey = _survey(document)
    choices: list[tuple[str, ...]] = list(_choices(document))
    languages = sorted(document.get("translations", {}))
    if languages:
        # One label column per language, next to the English (pyxform's `label::Welsh (cy)`).
        # The hints are precepts' own guidance, written in English only: each language's hint
        # column repeats the English hint whole, rather than leave it blank (pyxform warns of
        # a missing column) or mix languages in one sentence. The choices (yes, no, the case
        # attributes' values) have no translation either and keep their English.
        at, hint = SURVEY_COLUMNS.index("label"), SURVEY_COLUMNS.index("hint")
        assert at + 1 == hint, "the label and hint columns are next to each other"
        names = [_language_column(document, lang) for lang in languages]
        survey_columns = (
            *SURVEY_COLUMNS[:at], f"label::{ENGLISH}", *(f"label::{n}" for n in names),
            f"hint::{ENGLISH}", *(f"hint::{n}" for n in names), *SURVEY_COLUMNS[hint + 1:],
        )
        labelled = [_survey(document, lang) for lang in languages]
        survey = [
            (*row[:at], row[at], *(other[i][at] for other in labelled), row[hint], *(row[hint] for _ in languages),
             *row[hint + 1:])
            for i, row in enumerate(survey)
        ]
        columns = [f"label::{n}" for n in names]
        choice_columns = (*CHOICE_COLUMNS[:2], f"label::{ENGLISH}", *columns)
        choices = [(*row, *(row[2] for _ in languages)) for row in choices]
    form = document["form"]
    # The version changes exactly when the form does, as ODK servers require of a new upload.
    version = hashlib.sha256(json.dumps([survey, choices], ensure_ascii=False).encode("utf-8")).hexdigest()[:12]
    instance_name = "concat('Case ', ${case})" if form.get("record") else ""
    settings: tuple[str, ...] = (odk_text(form["title"]), odk_name(form["id"]), version, instance_name)
    settings_columns: tuple[str, ...] = SETTINGS_COLUMNS
    if languages:
        settings_columns, settings = (*SETTINGS_COLUMNS, "default_language"), (*settings, ENGLISH)
    return [
        ("survey", [survey_columns, *survey]),
        ("choices", [choice_columns, *choices]),
        ("settings", [settings_columns, settings]),
    ]


def xlsform(document: dict[str, Any]) -> bytes:
    return workbook(xlsform_sheets(document))
