"""Every file `precepts build` writes for one framework, made in memory.

Framework-wide: the compiled framework, the consultation document (HTML page, Word and PDF)
in English and in each language the framework has a translation for, and a form (JSON and
XLSForm) per questionnaire. Per level, only where the level has something to assess:
the assessment record schema and the case-assessment form (JSON and XLSForm) where key
questions are answered case by case, and the lead inspector's record schema where
standards are rated by judgement.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from precepts.compiler import model as m
from precepts.core import formats
from precepts.renderers.jsonout import encode
from precepts.renderers.schema_parts import DRAFT

if TYPE_CHECKING:
    from precepts.changes.mapping import Mapping

JSON, HTML = "application/json", "text/html; charset=utf-8"
SCHEMA_JSON = "application/schema+json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
SCHEMAS_FOLDER = "schemas"
# Outputs a build can leave out (`precepts build --skip`), named as users know them, by
# their files: the slow ones of a large framework (docs/commands.md, "Speed of precepts
# build"), for a quick build in CI or while editing. Each name → the kinds of artefact it
# leaves out; the HTML page is still made for a PDF, but not written, when only it is skipped.
SKIPPABLE: dict[str, tuple[str, ...]] = {
    "pdf": ("consultation-pdf",),
    "docx": ("consultation-docx",),
    "html": ("consultation-html",),
    "xlsx": ("questionnaire-xlsform", "case-assessment-xlsform"),
}
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def skipped_kinds(skip: Collection[str]) -> frozenset[str]:
    """The kinds of artefact that the outputs named in `skip` (keys of SKIPPABLE) are."""
    return frozenset(kind for name in skip for kind in SKIPPABLE[name])


class UnsafeName(ValueError):
    """An id that cannot name a folder or file of the output."""


@dataclass(frozen=True)
class Artefact:
    path: str  # relative to the output folder, with forward slashes
    kind: str
    media_type: str
    data: bytes
    schema: str | None  # what describes it: a schema's path in the output, the metaschema, or None
    level: str | None = None
    schema_id: str | None = None  # for a schema: its $id
    questionnaire: str | None = None
    changes_from: str | None = None  # for a change report: the id of the framework compared from
    language: str | None = None  # for a consultation document of a framework with translations: its language
    describes: formats.FormatSchema | None = None  # for a format schema: the format it describes


def segment(identifier: str) -> str:
    """An id as one path segment; ids are made of letters, digits, dots and hyphens."""
    if not _SEGMENT.match(identifier) or identifier in (".", ".."):
        raise UnsafeName(identifier)
    return identifier


def format_schemas() -> list[Artefact]:
    return [
        Artefact(f"{SCHEMAS_FOLDER}/{item.file}", "format-schema", SCHEMA_JSON, item.text().encode("utf-8"), DRAFT,
                 schema_id=item.schema()["$id"], describes=item)
        for item in formats.ALL
    ]


def _schema_path(item: formats.FormatSchema) -> str:
    return f"{SCHEMAS_FOLDER}/{item.file}"


def change_report_artefacts(old: m.Framework, new: m.Framework, mapping: Mapping) -> list[Artefact]:
    """The change report from `old` to `new`, as a notice (HTML) and for tools (JSON), in the
    newer framework's folder. Raises mapping.MappingError when the mapping does not fit."""
    from precepts.changes.compare import change_report, render

    report = change_report(old, new, mapping)
    base = f"{segment(new.id)}/changes/from-{segment(old.id)}"
    return [
        Artefact(f"{base}.html", "change-report-html", HTML, render(report, "html").encode("utf-8"), None,
                 changes_from=old.id),
        Artefact(f"{base}.json", "change-report", JSON, render(report, "json").encode("utf-8"),
                 _schema_path(formats.DIFF), changes_from=old.id),
    ]


def rating_input_schema(framework: m.Framework, level: str) -> dict[str, Any] | None:
    """What `precepts rate` takes at a level where the framework rates something (the
    schema `precepts rate FRAMEWORK --level LEVEL --schema` prints); None elsewhere."""
    from precepts.ratings.plan import build_plan, rated_levels
    from precepts.ratings.schema import input_schema

    if level not in rated_levels(framework):
        return None
    return input_schema(build_plan(framework, level))


def framework_artefacts(framework: m.Framework, skip: Collection[str] = ()) -> list[Artefact]:
    """Every artefact of `framework`, less the outputs named in `skip` (SKIPPABLE), which are not made."""
    from precepts.renderers.compiled import framework_document
    from precepts.renderers.consultation.page import render_consultation
    from precepts.renderers.consultation.pdf import pdf_unavailable, render_pdf
    from precepts.renderers.consultation.view import ENGLISH, document_name
    from precepts.renderers.consultation.word import render_word
    from precepts.renderers.forms import case_assessment_form, questionnaire_form
    from precepts.renderers.lead_inspector_schema import lead_inspector_record_schema
    from precepts.renderers.record_schema import assessment_record_schema
    from precepts.renderers.xlsform import xlsform

    left_out = skipped_kinds(skip)
    folder = segment(framework.id)
    found = [
        Artefact(f"{folder}/framework.json", "compiled-framework", JSON, encode(framework_document(framework)),
                 _schema_path(formats.COMPILED_FRAMEWORK)),
    ]
    # English, then each translation (issue 16 §3); the index records a document's language
    # only where the framework has more than one, so English-only builds are as they were.
    languages: list[str | None] = [None, *(segment(t.language) for t in framework.translations)]
    for language in languages:
        recorded = (language or ENGLISH) if framework.translations else None
        # The PDF needs WeasyPrint and the system's Pango (the `documents` extra); where they are
        # missing the build goes on without it and `precepts build` says so.
        pdf = "consultation-pdf" not in left_out and pdf_unavailable() is None
        page = render_consultation(framework, language) if pdf or "consultation-html" not in left_out else ""
        if "consultation-html" not in left_out:
            found.append(Artefact(f"{folder}/{document_name(language, 'html')}", "consultation-html", HTML,
                                  page.encode("utf-8"), None, language=recorded))
        if "consultation-docx" not in left_out:
            found.append(Artefact(f"{folder}/{document_name(language, 'docx')}", "consultation-docx", DOCX,
                                  render_word(framework, language), None, language=recorded))
        if pdf:
            found.append(Artefact(f"{folder}/{document_name(language, 'pdf')}", "consultation-pdf", PDF,
                                  render_pdf(framework, page), None, language=recorded))
    for questionnaire in framework.questionnaires:
        form = questionnaire_form(framework, questionnaire)
        name = f"{folder}/questionnaires/{segment(questionnaire.id)}"
        found.append(Artefact(f"{name}.form.json", "questionnaire-form", JSON, encode(form),
                              _schema_path(formats.FORM), questionnaire=questionnaire.id))
        if "questionnaire-xlsform" not in left_out:
            found.append(Artefact(f"{name}.xlsx", "questionnaire-xlsform", XLSX, xlsform(form), None,
                                  questionnaire=questionnaire.id))
    for level in framework.levels:
        base = f"{folder}/{segment(level.id)}"
        makers: list[tuple[str, str, Callable[[m.Framework, str], dict[str, Any] | None]]] = [
            ("assessment-record.schema.json", "assessment-record-schema", assessment_record_schema),
            ("lead-inspector-record.schema.json", "lead-inspector-record-schema", lead_inspector_record_schema),
            ("rating-input.schema.json", "rating-input-schema", rating_input_schema),
        ]
        for name, kind, make in makers:
            schema = make(framework, level.id)
            if schema is not None:
                found.append(Artefact(f"{base}/{name}", kind, SCHEMA_JSON, encode(schema), DRAFT, level=level.id,
                                      schema_id=schema["$id"]))
        case_form = case_assessment_form(framework, level.id)
        if case_form is not None:
            found.append(Artefact(f"{base}/case-assessment.form.json", "case-assessment-form", JSON,
                                  encode(case_form), _schema_path(formats.FORM), level=level.id))
            if "case-assessment-xlsform" not in left_out:
                found.append(Artefact(f"{base}/case-assessment.xlsx", "case-assessment-xlsform", XLSX,
                                      xlsform(case_form), None, level=level.id))
    return found
