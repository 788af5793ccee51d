"""Assessment forms in the project's own JSON form format, "precepts-form" version 1.

A case-assessment form has one section for the case (its reference and attributes) and
one per standard assessed case by case: its key questions, each with its prompts,
guidance and the condition on case attributes under which it applies. Only an element
that applies under a condition offers "n/a"; where the condition holds it takes yes or
no. A questionnaire form has the questionnaire's items, rating items answered on its
scale. The XLSForm is made from these documents, so the two cannot disagree.
"""

from __future__ import annotations

import re
from typing import Any

from precepts.compiler import model as m
from precepts.renderers.compiled import condition as condition_json
from precepts.renderers.compiled import translations as translations_json
from precepts.renderers.prose import applies_words, condition_words, label_of, level_name, method_words, value_label
from precepts.renderers.record_schema import NO, NOT_APPLICABLE, RECORD_FORMAT, RECORD_FORMAT_VERSION, SCHEMA_KIND, YES
from precepts.renderers.schema_parts import schema_id
from precepts.renderers.scope import QuestionAt, StandardAt, case_assessed, scale

FORM_FORMAT = "precepts-form"
FORM_FORMAT_VERSION = 1
YES_NO, YES_NO_NA = "yes-no", "yes-no-not-applicable"
CASE_SECTION = "case"


def _framework_summary(framework: m.Framework) -> dict[str, Any]:
    return {"id": framework.id, "title": framework.title, "version": framework.version, "sha256": framework.sha256}


def _references(framework: m.Framework, references: tuple[m.Reference, ...]) -> list[dict[str, Any]]:
    """Cross-references with the published number of what each one cites."""
    if not references:
        return []
    numbers = {p.id: p.number for p in framework.prompts()} | {q.id: q.number for q in framework.questions()}
    return [
        {"text": r.text, "target": r.target, "number": numbers.get(r.target or "")}
        for r in references
    ]


def _applicability(framework: m.Framework, node: m.Condition | None) -> dict[str, Any]:
    return {
        "applies_when": condition_json(node),
        "applies_when_text": condition_words(framework, node) if node is not None else None,
        "choices": YES_NO if node is None else YES_NO_NA,
    }


def _guidance(framework: m.Framework, node: m.Condition | None, first: str | None = None) -> str | None:
    parts = [first] if first else []
    if node is not None:
        parts.append(f"{applies_words(framework, node)} Otherwise answer not applicable (n/a).")
    return " ".join(parts) or None


def _question(framework: m.Framework, question_at: QuestionAt) -> dict[str, Any]:
    question = question_at.question
    letters = [p.prompt.letter for p in question_at.prompts]
    span = f"prompts {letters[0]} to {letters[-1]}" if len(letters) > 1 else f"prompt {letters[0]}" if letters else None
    consider = f"Judge the key question for the case, weighing {span}: yes if it is met, no if not." if span else None
    return {
        "name": question.id,
        "kind": "key-question",
        "number": question.number,
        "label": question.text,
        "type": "select_one",
        **_applicability(framework, question_at.condition),
        "required": True,
        "guidance": _guidance(framework, question_at.condition, consider),
        "tags": list(question.tags),
        "references": _references(framework, question.references),
        "record": ["questions", question.id],
        "prompts": [
            {
                "name": p.prompt.id,
                "kind": "prompt",
                "number": p.prompt.number,
                "letter": p.prompt.letter,
                "label": p.prompt.text,
                "type": "select_one",
                **_applicability(framework, p.condition),
                "required": True,
                "guidance": _guidance(framework, p.condition),
                "tags": list(p.prompt.tags),
                "references": _references(framework, p.prompt.references),
                "record": ["prompts", p.prompt.id],
            }
            for p in question_at.prompts
        ],
    }


def _standard_section(framework: m.Framework, standard: StandardAt) -> dict[str, Any]:
    s = standard.standard
    return {
        "id": s.id,
        "kind": "standard",
        "number": s.number,
        "heading": s.heading,
        "text": standard.text,
        "guidance": method_words(framework, standard.rating),
        "applies_when": condition_json(standard.condition),
        "applies_when_text": condition_words(framework, standard.condition) if standard.condition else None,
        "fields": [_question(framework, q) for q in standard.questions],
    }


def _case_section(framework: m.Framework) -> dict[str, Any]:
    fields: list[dict[str, Any]] = [{
        "name": "case",
        "kind": "case-reference",
        "label": "Case reference",
        "type": "text",
        "required": True,
        "guidance": None,
        "record": ["case"],
    }]
    fields += [
        {
            "name": a.id,
            "kind": "attribute",
            "label": label_of(a.id),
            "type": "select_one",
            "choices": a.id,
            "required": True,
            "guidance": "Decides which key questions and prompts apply to the case.",
            "record": ["attributes", a.id],
        }
        for a in framework.attributes
    ]
    return {"id": CASE_SECTION, "kind": "case", "number": None, "heading": "The case", "text": None,
            "guidance": None, "applies_when": None, "applies_when_text": None, "fields": fields}


def _document(framework: m.Framework, form: dict[str, Any], choice_lists: dict[str, list[dict[str, str]]],
              sections: list[dict[str, Any]], instructions: list[str]) -> dict[str, Any]:
    return {
        "format": FORM_FORMAT,
        "format_version": FORM_FORMAT_VERSION,
        "form": form,
        "instructions": instructions,
        "choice_lists": choice_lists,
        "sections": sections,
        # The framework's translations, as in the compiled JSON (issue 16 §3): a section's
        # heading under its id, its text under ID@LEVEL, a field's label under its name.
        # Only a framework with translations has the key.
        **({"translations": translations_json(framework)} if framework.translations else {}),
    }


def case_assessment_form(framework: m.Framework, level: str) -> dict[str, Any] | None:
    """The form for assessing one case at `level`, or None when nothing there is assessed by case."""
    standards = case_assessed(framework, level)
    if not standards:
        return None
    choice_lists = {
        YES_NO: [{"value": YES, "label": "Yes"}, {"value": NO, "label": "No"}],
        YES_NO_NA: [{"value": YES, "label": "Yes"}, {"value": NO, "label": "No"},
                    {"value": NOT_APPLICABLE, "label": "Not applicable"}],
    }
    for attribute in framework.attributes:
        choice_lists[attribute.id] = [{"value": v, "label": value_label(v)} for v in attribute.values]
    form = {
        "id": f"{framework.id}.{level}.case-assessment",
        "kind": "case-assessment",
        "title": f"Case assessment: {level_name(framework, level)}",
        "framework": _framework_summary(framework),
        "levels": [level],
        "record": {
            "format": RECORD_FORMAT,
            "format_version": RECORD_FORMAT_VERSION,
            "schema": schema_id(SCHEMA_KIND, framework, level),
        },
    }
    sections = [_case_section(framework), *(_standard_section(framework, s) for s in standards)]
    return _document(framework, form, choice_lists, sections, [])


def option_value(text: str, taken: set[str]) -> str:
    """A stable value for a published option: `18 - 20` → `18-20`, unique within its list."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "option"
    value, n = base, 2
    while value in taken:
        value, n = f"{base}-{n}", n + 1
    taken.add(value)
    return value


def questionnaire_form(framework: m.Framework, questionnaire: m.Questionnaire) -> dict[str, Any]:
    """A questionnaire as a form; its scale is offered highest grade first, as published
    questionnaires set out an agreement scale (Strongly agree … Strongly disagree)."""
    choice_lists: dict[str, list[dict[str, str]]] = {}
    used_scale = scale(framework, questionnaire.scale)
    if used_scale is not None:
        choice_lists[used_scale.id] = [{"value": g.id, "label": g.label} for g in reversed(used_scale.grades)]
    fields = []
    for item in questionnaire.items:
        field: dict[str, Any] = {
            "name": item.id,
            "kind": item.kind,
            "label": item.text,
            "type": "text" if item.kind == "free-text" else "select_one",
            "required": False,
            "guidance": None,
            "inspector_use": _references(framework, item.references),
            "record": None,  # questionnaire answers have no record format of their own
        }
        if item.kind == "rating" and used_scale is not None:
            field["choices"] = used_scale.id
        elif item.kind == "choice":
            taken: set[str] = set()
            choice_lists[item.id] = [{"value": option_value(o, taken), "label": o} for o in item.options]
            field["choices"] = item.id
        fields.append(field)
    form = {
        "id": f"{framework.id}.{questionnaire.id}",
        "kind": "questionnaire",
        "title": questionnaire.title,
        "framework": _framework_summary(framework),
        "levels": list(questionnaire.levels),
        "record": None,
    }
    section = {"id": questionnaire.id, "kind": "questionnaire", "number": None, "heading": questionnaire.title,
               "text": None, "guidance": None, "applies_when": None, "applies_when_text": None,
               "fields": fields}
    return _document(framework, form, choice_lists, [section], list(questionnaire.instructions))
