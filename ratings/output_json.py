"""The versioned JSON output of `precepts rate --format json`.

`{"format": "precepts-ratings", "format_version": 2, …}`. Keys are in a fixed order;
counts are integers and every other number (percentages, totals, points, distances) is
a decimal rounded to `DECIMALS` places, so the same input always gives byte-identical
output. `format_version` changes only when a field changes meaning or is removed; new
fields may be added. Version 1 is still written on request (`--format-version 1`) for
one release: docs/formats/ratings-changelog.md says what changed and when it goes.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from precepts.compiler.model import Band, Framework
from precepts.ratings.banding import band_range
from precepts.ratings.numbers import as_json_number, exact
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
from precepts.ratings.verdicts import (
    NOT_APPLICABLE,
    NOT_RATED,
    PERCENTAGES_ONLY,
    RATED,
    REPORTED_ELSEWHERE,
    UNDETERMINED,
    Grades,
    Verdict,
)

OUTPUT_FORMAT = "precepts-ratings"
OUTPUT_FORMAT_VERSION = 2  # what is written unless another version is asked for
FORMAT_VERSIONS = (1, 2)  # what can be written; 1 goes in the release after next (see the changelog)
STATUSES = (RATED, UNDETERMINED, NOT_RATED, PERCENTAGES_ONLY, REPORTED_ELSEWHERE, NOT_APPLICABLE)
DECIMALS = 2  # places every non-count number is rounded to (half to even), from version 2


def _number(value: Fraction | Decimal | int | None, version: int) -> int | float | None:
    """Version 1: whole values as integers, others to two places. Version 2: always a
    decimal to DECIMALS places, so a percentage is 90.0 beside 66.67, never 90."""
    if version == 1 or value is None:
        return as_json_number(value)
    return rounded(exact(value))


def rounded(value: Fraction) -> float:
    """`float(round(value, DECIMALS))`, rounded exactly and half to even, in integer
    arithmetic (Fraction's own rounding builds four Fractions to do it): an int divided by
    an int is the double nearest the quotient, as float() of the reduced Fraction is."""
    scale = 10**DECIMALS
    whole, rest = divmod(value.numerator * scale, value.denominator)
    twice = 2 * rest
    if twice > value.denominator or (twice == value.denominator and whole % 2):
        whole += 1
    quotient: float = whole / scale
    return quotient


def _verdict(verdict: Verdict, grades: Grades | None) -> dict[str, Any]:
    grade = verdict.grade
    return {
        "status": verdict.status,
        "grade": grade,
        "label": grades.label(grade) if grades is not None and grade is not None else None,
        "possible": list(verdict.possible),
        "reasons": list(verdict.reasons),
    }


def _band(band: Band | None, version: int) -> dict[str, Any] | None:
    if band is None:
        return None
    shown = {"id": band.id, "label": band.label, "range": band_range(band), "grade": band.grade}
    if version == 1:
        return shown
    # The limits as numbers, so a tool draws the bands without parsing "65–79%"; the
    # lower limit is always inside the band, the upper one as published ("below 50%": not).
    return {
        **shown,
        "unit": "percent" if band.percent else "points",
        "lower": _number(band.low, version),
        "lower_inclusive": True if band.low is not None else None,
        "upper": _number(band.high, version),
        "upper_inclusive": band.high_inclusive if band.high is not None else None,
    }


def _step(step: Step | None, version: int) -> dict[str, Any] | None:
    if step is None:
        return None
    questions = [{"number": number, "cases": cases} for number, cases in step.questions]
    if version == 1:
        return {"grade": step.grade, "cases": step.cases, "questions": questions}
    # Where the step leaves the rating undetermined, it says so with the grades it could
    # then have, as a rating does, rather than naming one grade.
    possible = list(step.possible or (step.grade,))
    settled = len(possible) == 1
    return {"status": RATED if settled else UNDETERMINED, "grade": possible[0] if settled else None,
            "possible": possible, "cases": step.cases, "questions": questions}


def question_json(question: QuestionResult, grades: Grades | None, version: int = OUTPUT_FORMAT_VERSION) -> dict[str, Any]:
    return {
        "id": question.id,
        "number": question.number,
        "text": question.text,
        "evidence": question.evidence,
        "sufficient": question.sufficient,
        "inspected": question.inspected,
        "not_applicable": question.not_applicable,
        "percentage": _number(question.percentage, version),
        "band": _band(question.band, version),
        **_verdict(question.verdict, grades),
        "next_grade": _step(question.up, version),
        "lower_grade": _step(question.down, version),
        "prompts": [
            {"id": p.id, "number": p.number, "yes": p.yes, "no": p.no, "not_applicable": p.not_applicable}
            for p in question.prompts
        ],
        "explanation": question.explanation.as_dict(),
    }


def standard_json(standard: StandardResult, scales: dict[str, Grades], version: int = OUTPUT_FORMAT_VERSION) -> dict[str, Any]:
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
        "next_grade": _step(standard.up, version),
        "lower_grade": _step(standard.down, version),
        "hurdles": list(standard.hurdles),
        "questions": [question_json(q, grades, version) for q in standard.questions],
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


def _total_range(total: tuple[Fraction, Fraction] | None, version: int) -> Any:
    if total is None:
        return None
    lowest, highest = (_number(value, version) for value in total)
    return [lowest, highest] if version == 1 else {"lower": lowest, "upper": highest}


def composite_json(composite: CompositeResult, scales: dict[str, Grades], version: int = OUTPUT_FORMAT_VERSION) -> dict[str, Any]:
    total = composite.total
    return {
        "id": composite.id,
        "name": composite.name,
        "scale": composite.scale,
        "score_method": composite.score_method,
        **_verdict(composite.verdict, scales.get(composite.scale)),
        "total": _number(total[0], version) if total and total[0] == total[1] else None,
        "total_range": _total_range(total, version),
        "maximum": _number(composite.maximum, version),
        "given_total": _number(composite.given_total, version),
        "standards_counted": composite.standards_counted,
        "counted": list(composite.counted),
        "left_out": [{"standard": number, "reason": why} for number, why in composite.left_out],
        "band": _band(composite.band, version),
        "next_band": {"grade": composite.next_band[0], "points": _number(composite.next_band[1], version)}
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


def flag_json(flag: PanelFlag, version: int = OUTPUT_FORMAT_VERSION) -> dict[str, Any]:
    if version == 1:
        boundary: dict[str, Any] = {"boundary": flag.boundary}
    else:
        # The boundary as a number (the lowest value of the band above, inside that band),
        # with the text beside it; v1 had only the text.
        boundary = {"boundary": _number(flag.boundary_value, version), "boundary_text": flag.boundary}
    return {
        "kind": flag.kind,
        "standard": flag.standard,
        "question": flag.question,
        **boundary,
        "distance": _number(flag.distance, version),
        "cases": flag.cases,
        "summary": flag.summary,
    }


def _counts(unit: UnitResult, version: int) -> dict[str, Any]:
    statuses = Counter(s.verdict.status for s in unit.standards)
    totals = {
        "standards": len(unit.standards),
        "applicable": len(unit.standards) - statuses.get(NOT_APPLICABLE, 0),
    }
    if version == 1:
        return {**totals, **{status: statuses[status] for status in sorted(statuses)}}
    # Field names in snake_case, status ids (every one, 0 included) only as keys of by_status.
    return {**totals, "by_status": {status: statuses.get(status, 0) for status in STATUSES}}


def unit_json(unit: UnitResult, scales: dict[str, Grades], version: int = OUTPUT_FORMAT_VERSION) -> dict[str, Any]:
    return {
        "unit": unit.unit,
        "level": unit.level,
        "attributes": dict(unit.attributes),
        "cases": unit.cases,
        "counts": _counts(unit, version),
        "standards": [standard_json(s, scales, version) for s in unit.standards],
        "judgements": [judgement_json(j, scales) for j in unit.judgements],
        "composites": [composite_json(c, scales, version) for c in unit.composites],
        "hurdles": [hurdle_json(h) for h in unit.hurdles],
        "panel_flags": [flag_json(f, version) for f in unit.panel_flags],
    }


def framework_json(framework: Framework) -> dict[str, Any]:
    return {
        "id": framework.id,
        "title": framework.title,
        "version": framework.version,
        "file": framework.file,
        "sha256": framework.sha256,
    }


def _composite_totals(units: Sequence[UnitResult], version: int) -> dict[str, Any]:
    """For each composite, how many units got each result."""
    results: dict[str, list[Verdict]] = {}
    for unit in units:
        for composite in unit.composites:
            results.setdefault(composite.id, []).append(composite.verdict)
    if version == 1:  # keyed by grade id, or by status where there is no grade
        return {cid: dict(sorted(Counter(v.grade or v.status for v in verdicts).items()))
                for cid, verdicts in results.items()}
    # A grade id never stands beside a status: grades count rated units only, and an
    # undetermined result is counted with the grades it could have.
    totals = {}
    for cid, verdicts in results.items():
        statuses = Counter(v.status for v in verdicts)
        grades = Counter(v.grade for v in verdicts if v.status == RATED and v.grade is not None)
        undetermined = Counter(tuple(v.possible) for v in verdicts if v.status == UNDETERMINED)
        totals[cid] = {
            "by_status": {status: statuses.get(status, 0) for status in STATUSES},
            "by_grade": dict(sorted(grades.items())),
            "undetermined": [{"possible": list(possible), "units": count}
                             for possible, count in sorted(undetermined.items())],
        }
    return totals


def document(framework: Framework, level: str, units: Sequence[UnitResult], scales: dict[str, Grades],
             what_if: dict[str, Any] | None = None, version: int = OUTPUT_FORMAT_VERSION) -> dict[str, Any]:
    from precepts.core.version import __version__

    if version not in FORMAT_VERSIONS:
        raise ValueError(f"precepts-ratings format version {version} cannot be written: only {FORMAT_VERSIONS}")
    out: dict[str, Any] = {
        "format": OUTPUT_FORMAT,
        "format_version": version,
        "tool": {"name": "precepts", "version": __version__},
    }
    if version >= 2:
        out["numbers"] = {"decimals": DECIMALS, "rounding": "half-even"}
    out.update({
        "framework": framework_json(framework),
        "level": level,
        "summary": {
            "units": len(units),
            "composites": _composite_totals(units, version),
            "panel_flags": sum(len(u.panel_flags) for u in units),
        },
        "units": [unit_json(u, scales, version) for u in units],
    })
    if what_if is not None:
        out["what_if"] = what_if
    return out


# A number written with an exponent (1e+16, 5e-05), where orjson and the json module differ.
EXPONENT = re.compile(rb"[0-9]e[+-]?[0-9]")


def compact(value: Any) -> str:
    """Compact JSON, as `json.dumps(value, ensure_ascii=False, separators=(",", ":"))`
    writes it, by orjson (four to five times faster on a unit). They write the same
    text, numbers included, except a number written with an exponent (every number here is
    rounded to DECIMALS places, so none is, unless one is 10^16 or more), a key that is
    not a string and an integer beyond 64 bits: these are left to the json module."""
    import orjson

    try:
        encoded = orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError is one
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if EXPONENT.search(encoded):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return encoded.decode()


def dumps(data: dict[str, Any]) -> str:
    """Compact JSON with each top-level field, and each unit, on a line of its own: a C
    encoder (many times faster than indenting, which large runs need), yet easy to diff
    and to read through `jq`."""
    parts = []
    for key, value in data.items():
        if key == "units" and value:
            parts.append(compact(key) + ":[\n" + ",\n".join(compact(unit) for unit in value) + "\n]")
        else:
            parts.append(compact(key) + ":" + compact(value))
    return "{" + ",\n".join(parts) + "}\n"
