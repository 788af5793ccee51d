"""The versioned JSON output of `precepts rate --format json`.

`{"format": "precepts-ratings", "format_version": 1, …}`. Keys are in a fixed order and
numbers are exact where they can be (counts) or rounded to two decimals (percentages),
so the same input always gives byte-identical output. `format_version` changes only
when a field changes meaning or is removed; new fields may be added.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from precepts.compiler.model import Band, Framework
from precepts.ratings.banding import band_range
from precepts.ratings.numbers import as_json_number
from precepts.ratings.results import (
    CompositeResult,
    HurdleResult,
    JudgementResult,
    PanelFlag,
    QuestionResult,
    StandardResult,
    Step,
    UnitResult,
)
from precepts.ratings.verdicts import Grades, Verdict

OUTPUT_FORMAT = "precepts-ratings"
OUTPUT_FORMAT_VERSION = 1


def _verdict(verdict: Verdict, grades: Grades | None) -> dict[str, Any]:
    grade = verdict.grade
    return {
        "status": verdict.status,
        "grade": grade,
        "label": grades.label(grade) if grades is not None and grade is not None else None,
        "possible": list(verdict.possible),
        "reasons": list(verdict.reasons),
    }


def _band(band: Band | None) -> dict[str, Any] | None:
    if band is None:
        return None
    return {"id": band.id, "label": band.label, "range": band_range(band), "grade": band.grade}


def _step(step: Step | None) -> dict[str, Any] | None:
    if step is None:
        return None
    return {"grade": step.grade, "cases": step.cases,
            "questions": [{"number": number, "cases": cases} for number, cases in step.questions]}


def question_json(question: QuestionResult, grades: Grades | None) -> dict[str, Any]:
    return {
        "id": question.id,
        "number": question.number,
        "text": question.text,
        "evidence": question.evidence,
        "sufficient": question.sufficient,
        "inspected": question.inspected,
        "not_applicable": question.not_applicable,
        "percentage": as_json_number(question.percentage),
        "band": _band(question.band),
        **_verdict(question.verdict, grades),
        "next_grade": _step(question.up),
        "lower_grade": _step(question.down),
        "prompts": [
            {"id": p.id, "number": p.number, "yes": p.yes, "no": p.no, "not_applicable": p.not_applicable}
            for p in question.prompts
        ],
        "explanation": question.explanation.as_dict(),
    }


def standard_json(standard: StandardResult, scales: dict[str, Grades]) -> dict[str, Any]:
    grades = scales.get(standard.scale) if standard.scale else None
    return {
        "id": standard.id,
        "number": standard.number,
        "heading": standard.heading,
        "domain": standard.domain,
        "method": standard.method,
        "scale": standard.scale,
        **_verdict(standard.verdict, grades),
        "lowest": list(standard.lowest),
        "next_grade": _step(standard.up),
        "lower_grade": _step(standard.down),
        "hurdles": list(standard.hurdles),
        "questions": [question_json(q, grades) for q in standard.questions],
        "summary": standard.summary,
        "explanation": standard.explanation.as_dict(),
    }


def judgement_json(judgement: JudgementResult, scales: dict[str, Grades]) -> dict[str, Any]:
    return {
        "id": judgement.id,
        "name": judgement.name,
        "scale": judgement.scale,
        **_verdict(judgement.verdict, scales.get(judgement.scale)),
        "hurdles": list(judgement.hurdles),
        "summary": judgement.summary,
        "explanation": judgement.explanation.as_dict(),
    }


def composite_json(composite: CompositeResult, scales: dict[str, Grades]) -> dict[str, Any]:
    total = composite.total
    return {
        "id": composite.id,
        "name": composite.name,
        "scale": composite.scale,
        "score_method": composite.score_method,
        **_verdict(composite.verdict, scales.get(composite.scale)),
        "total": as_json_number(total[0]) if total and total[0] == total[1] else None,
        "total_range": [as_json_number(total[0]), as_json_number(total[1])] if total else None,
        "maximum": as_json_number(composite.maximum),
        "given_total": as_json_number(composite.given_total),
        "standards_counted": len(composite.counted),
        "counted": list(composite.counted),
        "left_out": [{"standard": number, "reason": why} for number, why in composite.left_out],
        "band": _band(composite.band),
        "next_band": {"grade": composite.next_band[0], "points": as_json_number(composite.next_band[1])}
        if composite.next_band else None,
        "hurdles": list(composite.hurdles),
        "notes": list(composite.notes),
        "summary": composite.summary,
        "explanation": composite.explanation.as_dict(),
    }


def hurdle_json(hurdle: HurdleResult) -> dict[str, Any]:
    return {
        "id": hurdle.id,
        "name": hurdle.name,
        "fired": hurdle.fired,
        "changes": [{"subject": s, "before": list(b), "after": list(a)} for s, b, a in hurdle.changes],
        "summary": hurdle.summary,
        "explanation": hurdle.explanation.as_dict(),
    }


def flag_json(flag: PanelFlag) -> dict[str, Any]:
    return {
        "kind": flag.kind,
        "standard": flag.standard,
        "question": flag.question,
        "boundary": flag.boundary,
        "distance": as_json_number(flag.distance),
        "cases": flag.cases,
        "summary": flag.summary,
    }


def unit_json(unit: UnitResult, scales: dict[str, Grades]) -> dict[str, Any]:
    statuses = Counter(s.verdict.status for s in unit.standards)
    return {
        "unit": unit.unit,
        "level": unit.level,
        "attributes": dict(unit.attributes),
        "cases": unit.cases,
        "counts": {
            "standards": len(unit.standards),
            "applicable": len(unit.standards) - statuses.get("not-applicable", 0),
            **{status: statuses[status] for status in sorted(statuses)},
        },
        "standards": [standard_json(s, scales) for s in unit.standards],
        "judgements": [judgement_json(j, scales) for j in unit.judgements],
        "composites": [composite_json(c, scales) for c in unit.composites],
        "hurdles": [hurdle_json(h) for h in unit.hurdles],
        "panel_flags": [flag_json(f) for f in unit.panel_flags],
    }


def framework_json(framework: Framework) -> dict[str, Any]:
    return {
        "id": framework.id,
        "title": framework.title,
        "version": framework.version,
        "file": framework.file,
        "sha256": framework.sha256,
    }


def document(framework: Framework, level: str, units: Sequence[UnitResult], scales: dict[str, Grades],
             what_if: dict[str, Any] | None = None) -> dict[str, Any]:
    from precepts.core.version import __version__

    overall: dict[str, Counter[str]] = {}
    for unit in units:
        for composite in unit.composites:
            overall.setdefault(composite.id, Counter())[composite.verdict.grade or composite.verdict.status] += 1
    out: dict[str, Any] = {
        "format": OUTPUT_FORMAT,
        "format_version": OUTPUT_FORMAT_VERSION,
        "tool": {"name": "precepts", "version": __version__},
        "framework": framework_json(framework),
        "level": level,
        "summary": {
            "units": len(units),
            "composites": {cid: dict(sorted(counts.items())) for cid, counts in overall.items()},
            "panel_flags": sum(len(u.panel_flags) for u in units),
        },
        "units": [unit_json(u, scales) for u in units],
    }
    if what_if is not None:
        out["what_if"] = what_if
    return out


def dumps(data: dict[str, Any]) -> str:
    """Compact JSON with each top-level field, and each unit, on a line of its own: the C
    encoder (many times faster than indenting, which large runs need), yet easy to diff
    and to read through `jq`."""
    def compact(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    parts = []
    for key, value in data.items():
        if key == "units" and value:
            parts.append(compact(key) + ":[\n" + ",\n".join(compact(unit) for unit in value) + "\n]")
        else:
            parts.append(compact(key) + ":" + compact(value))
    return "{" + ",\n".join(parts) + "}\n"
