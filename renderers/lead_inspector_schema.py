"""The JSON Schema of the lead inspector's record of judged standards (domain one) at a level.

For each standard rated by judgement, and each judgement such as the 2021 approach to
diversity, the record holds evidence notes and the proposed rating. Each grade the rating
may take carries the framework's rating characteristics for that standard as its
description: the guidance a lead inspector weighs, not a checklist. Hurdles between the
ratings in the record become if/then rules, so a proposal that breaks one is invalid.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from precepts.compiler import model as m
from precepts.compiler.conditions import json_schema, sayable
from precepts.renderers.prose import hurdle_words, level_name
from precepts.renderers.schema_parts import envelope, framework_words
from precepts.renderers.scope import StandardAt, judged, judged_scale, judgements_at, scale, standards_at

RECORD_FORMAT = "precepts-lead-inspector-record"
RECORD_FORMAT_VERSION = 1
SCHEMA_KIND = "lead-inspector-record"
NO_CHARACTERISTICS = "The framework publishes no rating characteristics for this grade."


def _proposed_rating(grades: Sequence[m.Grade], characteristics: Sequence[m.Characteristic]) -> dict[str, Any]:
    options = []
    for grade in grades:
        texts = [c.text for c in characteristics if c.grade == grade.id]
        options.append({
            "const": grade.id,
            "title": grade.label,
            "description": "\n\n".join(texts) if texts else NO_CHARACTERISTICS,
        })
    return {"description": "the rating the lead inspector proposes", "oneOf": options}


def _entry(title: str, description: str, about: list[str], rating: dict[str, Any]) -> dict[str, Any]:
    note: dict[str, Any] = {
        "type": "object",
        "required": ["note"],
        "additionalProperties": False,
        "properties": {"note": {"type": "string", "minLength": 1, "description": "what was found, and where"}},
    }
    if about:
        note["properties"]["about"] = {
            "enum": about,
            "description": "the id of the key question or prompt the note is evidence for",
        }
    return {
        "type": "object",
        "title": title,
        "description": description,
        "required": ["evidence", "proposed_rating"],
        "additionalProperties": False,
        "properties": {
            "evidence": {"type": "array", "minItems": 1, "items": note, "description": "evidence notes"},
            "proposed_rating": rating,
            "reasons": {"type": "string", "description": "why this rating is proposed"},
        },
    }


def _element_ids(standards: Sequence[StandardAt]) -> list[str]:
    return [
        element_id
        for standard in standards
        for question in standard.questions
        for element_id in (question.question.id, *(p.prompt.id for p in question.prompts))
    ]


def lead_inspector_record_schema(framework: m.Framework, level: str) -> dict[str, Any] | None:
    """The schema, or None when nothing at `level` is rated by judgement."""
    standards = judged(framework, level)
    judgements = judgements_at(framework, level)
    if not standards and not judgements:
        return None
    standard_scale = judged_scale(framework, level)
    standard_grades = standard_scale.grades if standard_scale else ()
    standard_entries = {
        s.standard.id: _entry(
            f"{s.standard.number} {s.standard.heading}",
            s.text or s.standard.heading,
            _element_ids([s]),
            _proposed_rating(standard_grades, s.standard.characteristics),
        )
        for s in standards
    }
    everything_at_level = _element_ids(standards_at(framework, level))
    judgement_grades = {j.id: (found.grades if (found := scale(framework, j.scale)) else ()) for j in judgements}
    judgement_entries = {
        j.id: _entry(j.name, f"{j.name}: a judgement across the framework", everything_at_level,
                     _proposed_rating(judgement_grades[j.id], ()))
        for j in judgements
    }

    def locate(node: m.Compare) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        if node.subject != "rating":
            return None
        if node.name in standard_entries:
            return ("standards", node.name, "proposed_rating"), tuple(g.id for g in standard_grades)
        if node.name in judgement_entries:
            return ("judgements", node.name, "proposed_rating"), tuple(g.id for g in judgement_grades[node.name])
        return None

    hurdles = [
        {"description": f"{h.name}: {hurdle_words(framework, h)}", "if": json_schema(h.when, locate), "then": json_schema(h.then, locate)}
        for h in framework.hurdles
        if level in h.levels and h.when is not None and h.then is not None
        and sayable(h.when, locate) and sayable(h.then, locate)
    ]

    schema = envelope(
        kind=SCHEMA_KIND,
        record_format=RECORD_FORMAT,
        format_version=RECORD_FORMAT_VERSION,
        framework=framework,
        level=level,
        title=f"Lead inspector's record of judged standards: {level_name(framework, level)}",
        description=(
            f"The lead inspector's evidence notes and proposed rating for each standard rated by judgement "
            f"(and each judgement) at level '{level}' of {framework_words(framework)}. Each grade's description "
            "gives the framework's rating characteristics for it, as guidance rather than a checklist."
        ),
    )
    required = ["format", "format_version", "framework", "level", "unit", "standards"]
    schema["properties"]["unit"] = {"type": "string", "minLength": 1, "description": "the inspected unit, such as a PDU"}
    schema["properties"]["standards"] = {
        "type": "object",
        "description": "each standard rated by judgement, by stable id",
        "required": list(standard_entries),
        "properties": standard_entries,
        "additionalProperties": False,
    }
    if judgement_entries:
        required.append("judgements")
        schema["properties"]["judgements"] = {
            "type": "object",
            "description": "each judgement, by id",
            "required": list(judgement_entries),
            "properties": judgement_entries,
            "additionalProperties": False,
        }
    schema["required"] = required
    schema["additionalProperties"] = False
    if hurdles:
        schema["allOf"] = hurdles
    return schema
