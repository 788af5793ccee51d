"""The JSON Schema of rating input, generated from the framework at one level.

It names every key question, prompt, standard, judgement, composite and case attribute
the framework has at the level (by published number and by stable id), the answers each
accepts, and — where a key question or prompt applies only to some cases — that "n/a"
is allowed exactly when the case's attributes make it not applicable. Every node that can
reject a value carries a `description`, which error messages quote as what was expected.

What the schema cannot say is checked after it, in reading.py: sufficient ≤ inspected,
a key question given both in case records and as a result, and applicability that depends on the
unit's attributes rather than the case's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from precepts.compiler.conditions import attributes_used, describe, json_schema
from precepts.compiler.model import Condition
from precepts.ratings.inputs import MOST_CASES, NOT_RATED_WORDS
from precepts.ratings.plan import LevelPlan

INPUT_FORMAT = "precepts-rating-input"
INPUT_FORMAT_VERSION = 1
DRAFT = "https://json-schema.org/draft/2020-12/schema"

YES_NO = ["yes", "no", True, False]
YES_NO_NA = ["yes", "no", "n/a", True, False]


def _keys(number: str, element_id: str) -> list[str]:
    return [number] if number == element_id else [number, element_id]


def _holds(condition: Condition) -> dict[str, Any]:
    """A schema that a case record satisfies when `condition` holds for its attributes."""
    return json_schema(condition, lambda compare: (("attributes", compare.name or ""), ()))


def _given(condition: Condition) -> dict[str, Any]:
    """A case record that gives every attribute the condition reads."""
    return {"type": "object", "required": ["attributes"],
            "properties": {"attributes": {"type": "object", **_requires(*sorted(attributes_used(condition)))}}}


def _requires(*names: str) -> dict[str, Any]:
    """`required`, with each name also under `properties` (as anything): strict validators
    (Ajv's strictRequired) refuse a required property the same schema does not define."""
    return {"required": list(names), "properties": {name: True for name in names}}


@dataclass
class _Applicability:
    """The elements that apply under one condition, as one if/then/else: where the case's
    attributes say they apply, only yes or no; where they say not, only n/a (or no answer).
    One rule per condition rather than per element and name keeps validating 100,000
    case records quick: each record tests each condition once."""

    condition: Condition
    where: str
    applies: dict[str, dict[str, Any]] = field(default_factory=lambda: {"questions": {}, "prompts": {}})
    excluded: dict[str, dict[str, Any]] = field(default_factory=lambda: {"questions": {}, "prompts": {}})

    def add(self, section: str, key: str, number: str) -> None:
        self.applies[section][key] = {"enum": YES_NO, "description": f"yes or no: {number} applies to this case ({self.where})"}
        self.excluded[section][key] = {
            "const": "n/a",
            "description": f"n/a or no answer: {number} applies only where {self.where}, and this case's attributes say it does not",
        }

    def rule(self) -> dict[str, Any]:
        def answers(by_section: dict[str, dict[str, Any]]) -> dict[str, Any]:
            return {"properties": {section: {"type": "object", "properties": keys}
                                   for section, keys in by_section.items() if keys}}

        return {
            "if": _holds(self.condition),
            "then": answers(self.applies),
            "else": {"if": _given(self.condition), "then": answers(self.excluded)},
        }


def _one_name(aliases: list[list[str]]) -> dict[str, Any]:
    """An element may be named by its number or its id, not both in one record. Keyed by
    the id, so that records naming elements by number (the usual way) test nothing."""
    return {
        element_id: {"not": _requires(number), "description": f"one answer for {number}, under one name ({number} or {element_id})"}
        for number, element_id in aliases
    }


def _rating_value(grades: list[str], allowed_grades: bool, what: str) -> dict[str, Any]:
    words = [*grades, *NOT_RATED_WORDS] if allowed_grades else list(NOT_RATED_WORDS)
    shown = ", ".join(words)
    return {
        "if": {"type": "string"},
        "then": {"enum": words, "description": f"{what}: one of {shown}"},
        "else": {
            "type": "object",
            "description": f"{what}: a grade ({shown}) or {{\"rating\": …, \"reason\": …}}",
            "required": ["rating"],
            "additionalProperties": False,
            "properties": {
                "rating": {"enum": words, "description": f"one of {shown}"},
                "reason": {"type": "string", "description": "text"},
            },
        },
    }


def input_schema(plan: LevelPlan) -> dict[str, Any]:
    framework = plan.framework
    attributes = {
        name: {"enum": list(values), "description": f"one of {', '.join(values)}"}
        for name, values in plan.attributes.items()
    }
    attributes_schema = {
        "type": "object",
        "description": "case attributes: " + (", ".join(plan.attributes) or "none are defined"),
        "properties": attributes,
        "additionalProperties": False,
    }
    case_questions: dict[str, Any] = {}
    case_prompts: dict[str, Any] = {}
    aggregates: dict[str, Any] = {}
    conditions: dict[str, _Applicability] = {}
    question_aliases: list[list[str]] = []
    prompt_aliases: list[list[str]] = []

    def applicability(condition: Condition, section: str, key: str, number: str) -> None:
        same = json.dumps(_holds(condition), sort_keys=True)  # conditions alike, wherever written
        if same not in conditions:
            conditions[same] = _Applicability(condition, describe(condition))
        conditions[same].add(section, key, number)

    for question_plan in plan.questions:
        q = question_plan.question
        keys = _keys(q.number, q.id)
        if len(keys) > 1:
            question_aliases.append(keys)
        for key in keys:
            if question_plan.condition is None:
                case_questions[key] = {"enum": YES_NO, "description": f"yes or no ({q.number} applies to every case)"}
            else:
                case_questions[key] = {"enum": YES_NO_NA, "description": f"yes, no or n/a ({q.number} applies where {describe(question_plan.condition)})"}
                applicability(question_plan.condition, "questions", key, q.number)
            aggregates[key] = {"$ref": "#/$defs/aggregate"}
        for prompt_plan in question_plan.prompts:
            p = prompt_plan.prompt
            keys = _keys(p.number, p.id)
            if len(keys) > 1:
                prompt_aliases.append(keys)
            for key in keys:
                if prompt_plan.condition is None:
                    case_prompts[key] = {"enum": YES_NO, "description": f"yes or no ({p.number} applies to every case)"}
                else:
                    case_prompts[key] = {"enum": YES_NO_NA, "description": f"yes, no or n/a ({p.number} applies where {describe(prompt_plan.condition)})"}
                    applicability(prompt_plan.condition, "prompts", key, p.number)
    standards: dict[str, Any] = {}
    for standard_plan in plan.standards:
        s = standard_plan.standard
        grades = list(standard_plan.grades.ids) if standard_plan.grades else []
        judged = standard_plan.method == "judgement"
        what = f"{s.number} is rated by judgement" if judged else f"{s.number} is not rated by judgement; only NR may be given"
        for key in _keys(s.number, s.id):
            standards[key] = _rating_value(grades, judged, what)
    judgements = {
        j.id: _rating_value(list(g.ids), True, f"the judgement {j.id}") for j, g in plan.judgements
    }
    composites = {
        c.id: {
            "type": "object",
            "description": "a published composite total, such as {\"total\": 21}",
            "required": ["total"],
            "additionalProperties": False,
            "properties": {"total": {"type": "number", "minimum": 0, "description": "a number, 0 or more"}},
        }
        for c, _ in plan.composites
    }
    def section(properties: dict[str, Any], what: str, aliases: list[list[str]] | None = None) -> dict[str, Any]:
        known = list(properties)
        shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
        return {
            "type": "object",
            "description": f"{what}, named by number or id" + (f" ({shown})" if known else " (there are none at this level)"),
            "properties": properties,
            "additionalProperties": False,
            **({"dependentSchemas": _one_name(aliases)} if aliases else {}),
        }

    case_rules = [rule.rule() for rule in conditions.values()]
    case: dict[str, Any] = {
        "type": "object",
        "description": "a case record: case, attributes, questions, prompts",
        "additionalProperties": False,
        "properties": {
            "case": {"type": ["string", "integer"], "description": "the case's reference, a string or a number"},
            "attributes": {"$ref": "#/$defs/attributes"},
            "questions": section(case_questions, f"key questions at level {plan.level}", question_aliases),
            "prompts": section(case_prompts, f"prompts at level {plan.level}", prompt_aliases),
        },
    }
    if case_rules:
        case["allOf"] = case_rules
    unit = {
        "type": "object",
        "description": "a unit: unit, attributes, cases, questions, standards, judgements, composites",
        "required": ["unit"],
        "additionalProperties": False,
        "properties": {
            "unit": {"type": "string", "minLength": 1, "description": "the unit's name, a non-empty string"},
            "attributes": {"$ref": "#/$defs/attributes"},
            "cases": {"type": "array", "items": {"$ref": "#/$defs/case"}, "description": "a list of case records"},
            "questions": section(aggregates, f"key-question results at level {plan.level}", question_aliases),
            "standards": section(standards, f"judged or not-rated standards at level {plan.level}"),
            "judgements": section(judgements, f"judgements at level {plan.level}"),
            "composites": section(composites, f"composites at level {plan.level}"),
        },
    }
    return {
        "$schema": DRAFT,
        "$id": f"urn:precepts:rating-input:{framework.id}:{plan.level}",
        "title": f"Rating input for {framework.title or framework.id} at level {plan.level}",
        "description": (
            f"Case records or aggregate results for units inspected at level '{plan.level}' under framework "
            f"'{framework.id}' (sha256 {framework.sha256[:12]}…), format {INPUT_FORMAT} version {INPUT_FORMAT_VERSION}."
        ),
        "type": "object",
        "required": ["units"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": INPUT_FORMAT, "description": f"\"{INPUT_FORMAT}\""},
            "format_version": {"const": INPUT_FORMAT_VERSION, "description": f"{INPUT_FORMAT_VERSION}"},
            "framework": {"const": framework.id, "description": f"the framework's id, \"{framework.id}\""},
            "level": {"const": plan.level, "description": f"the level being rated, \"{plan.level}\""},
            "units": {"type": "array", "items": {"$ref": "#/$defs/unit"}, "description": "a list of units"},
        },
        "$defs": {
            "unit": unit,
            "case": case,
            "attributes": attributes_schema,
            "aggregate": {
                "type": "object",
                "description": "either {\"sufficient\": N, \"inspected\": N} (optionally \"not_applicable\": N) or {\"percentage\": P}",
                "additionalProperties": False,
                "properties": {
                    "sufficient": _count(0), "inspected": _count(1), "not_applicable": _count(0),
                    "percentage": {"type": "number", "minimum": 0, "maximum": 100, "description": "a number from 0 to 100"},
                },
                "anyOf": [_requires("sufficient", "inspected"), _requires("percentage")],
                "allOf": [{
                    "not": {"anyOf": [_requires("percentage", "sufficient"), _requires("percentage", "inspected")]},
                    "description": "either counts or a percentage, not both",
                }],
                "dependentRequired": {"sufficient": ["inspected"], "inspected": ["sufficient"], "not_applicable": ["inspected"]},
            },
        },
    }


def _count(least: int) -> dict[str, Any]:
    """A number of cases: whole (5.0 is whole, as JSON Schema counts it) and plausible."""
    return {"type": "integer", "minimum": least, "maximum": MOST_CASES,
            "description": f"a whole number of cases, {least} to {MOST_CASES:,}"}
