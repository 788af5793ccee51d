"""The JSON Schema of an inspector's case assessment at one level.

A record gives the case's attributes, answers every key question and prompt that applies
to the case yes or no, and answers "n/a" (or nothing) where the framework's applicability
rules say an element does not apply. Those rules become if/then/else: in the 2021
framework prompt 2.4.1d must be answered yes or no for a post-custody case, and may only
be "n/a" for any other.

The fields case, attributes, questions and prompts are a case record of `precepts rate`
input as they stand, keyed by the elements' stable ids.
"""

from __future__ import annotations

import json
from typing import Any

from precepts.compiler import model as m
from precepts.compiler.conditions import Locate, json_schema
from precepts.renderers.compiled import condition as condition_json
from precepts.renderers.prose import applies_words, label_of, level_name
from precepts.renderers.schema_parts import envelope, framework_words
from precepts.renderers.scope import case_assessed

RECORD_FORMAT = "precepts-assessment-record"
RECORD_FORMAT_VERSION = 1
SCHEMA_KIND = "assessment-record"
YES, NO, NOT_APPLICABLE = "yes", "no", "n/a"
SECTIONS = ("questions", "prompts")


def _attribute_locator(framework: m.Framework) -> Locate:
    """Conditions of applicability read the record's attributes."""
    values = {a.id: a.values for a in framework.attributes}

    def locate(node: m.Compare) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        if node.subject != "attribute" or node.name not in values:
            return None
        return ("attributes", node.name), values[node.name]

    return locate


class _Rules:
    """Conditional answers, one if/then/else per distinct condition, in the order met."""

    def __init__(self, framework: m.Framework) -> None:
        self.framework = framework
        self.groups: dict[str, tuple[m.Condition, dict[str, list[str]]]] = {}

    def add(self, node: m.Condition, section: str, element_id: str) -> None:
        key = json.dumps(condition_json(node), sort_keys=True)
        _, members = self.groups.setdefault(key, (node, {s: [] for s in SECTIONS}))
        members[section].append(element_id)

    def schemas(self) -> list[dict[str, Any]]:
        locate = _attribute_locator(self.framework)
        rules = []
        for node, members in self.groups.values():
            then: dict[str, Any] = {}
            otherwise: dict[str, Any] = {}
            for section, ids in members.items():
                if not ids:
                    continue
                then[section] = {"type": "object", "required": ids,
                                 "properties": {i: {"$ref": "#/$defs/yes-no"} for i in ids}}
                otherwise[section] = {"type": "object", "properties": {i: {"$ref": "#/$defs/not-applicable"} for i in ids}}
            words = applies_words(self.framework, node) or ""
            rules.append({
                "description": f"{words} Where it holds these are answered yes or no; elsewhere only n/a, or no answer.",
                "if": json_schema(node, locate),
                "then": {"properties": then},
                "else": {"properties": otherwise},
            })
        return rules


def _answer(number: str, text: str, words: str | None) -> dict[str, Any]:
    if words is None:
        return {"title": number, "description": text, "$ref": "#/$defs/yes-no"}
    return {"title": number, "description": f"{text} {words}", "$ref": "#/$defs/yes-no-or-not-applicable"}


def assessment_record_schema(framework: m.Framework, level: str) -> dict[str, Any] | None:
    """The schema, or None when nothing at `level` is assessed case by case."""
    standards = case_assessed(framework, level)
    if not standards:
        return None
    rules = _Rules(framework)
    properties: dict[str, dict[str, Any]] = {section: {} for section in SECTIONS}
    always: dict[str, list[str]] = {section: [] for section in SECTIONS}
    for standard in standards:
        for question_at in standard.questions:
            question = question_at.question
            elements = [("questions", question.id, question.number, question.text, question_at.condition)]
            elements += [("prompts", p.prompt.id, p.prompt.number, p.prompt.text, p.condition) for p in question_at.prompts]
            for section, element_id, number, text, node in elements:
                properties[section][element_id] = _answer(number, text, applies_words(framework, node))
                if node is None:
                    always[section].append(element_id)
                else:
                    rules.add(node, section, element_id)

    schema = envelope(
        kind=SCHEMA_KIND,
        record_format=RECORD_FORMAT,
        format_version=RECORD_FORMAT_VERSION,
        framework=framework,
        level=level,
        title=f"Case assessment record: {level_name(framework, level)}",
        description=(
            f"What an inspector's assessment of one case must contain at level '{level}' of {framework_words(framework)}: "
            "the case's attributes, a yes or no for each key question and prompt that applies to the case, "
            "and n/a (or no answer) for those the framework's applicability rules exclude. "
            "Key questions and prompts are named by their stable ids; each one's title is its published number."
        ),
    )
    schema["required"] = ["format", "format_version", "framework", "level", "case", "attributes", "questions", "prompts"]
    schema["additionalProperties"] = False
    schema["properties"].update({
        "case": {"type": "string", "minLength": 1, "description": "the case's reference"},
        "attributes": {"$ref": "#/$defs/attributes"},
        "questions": {
            "type": "object",
            "description": "the inspector's judgement of each key question: yes (sufficient) or no",
            "required": always["questions"],
            "properties": properties["questions"],
            "additionalProperties": False,
        },
        "prompts": {
            "type": "object",
            "description": "the answer to each prompt: yes or no",
            "required": always["prompts"],
            "properties": properties["prompts"],
            "additionalProperties": False,
        },
    })
    conditional = rules.schemas()
    if conditional:
        schema["allOf"] = conditional
    schema["$defs"] = {
        "attributes": {
            "type": "object",
            "description": "the case's attributes, which decide what applies to it",
            "required": [a.id for a in framework.attributes],
            "properties": {
                a.id: {"title": label_of(a.id), "enum": list(a.values)} for a in framework.attributes
            },
            "additionalProperties": False,
        },
        "yes-no": {"enum": [YES, NO]},
        "yes-no-or-not-applicable": {"enum": [YES, NO, NOT_APPLICABLE]},
        "not-applicable": {"const": NOT_APPLICABLE},
    }
    return schema
