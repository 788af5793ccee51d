"""The rating engine: a compiled framework's rules, evaluated for one inspected unit.

The order is the framework's: standards (from their key questions, or judged), then
judgements, then hurdles that limit standards and judgements, then composites, then
hurdles that limit composites, then the ratings-panel flags. Every rating carries its
explanation; a rating the framework does not settle is undetermined, with the reasons.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from fractions import Fraction
from typing import TypeVar

from precepts.compiler.conditions import names_used
from precepts.compiler.model import Judgement
from precepts.ratings.composites import rate_composite
from precepts.ratings.hurdles import RatingState, apply_hurdle, targets
from precepts.ratings.inputs import UnitInput
from precepts.ratings.panel import PANEL_MARGIN, panel_flags
from precepts.ratings.plan import LevelPlan
from precepts.ratings.results import (
    CompositeResult,
    HurdleResult,
    JudgementResult,
    StandardResult,
    UnitResult,
)
from precepts.ratings.standards import rate_standard, verdict_words
from precepts.ratings.verdicts import NOT_RATED, Explanation, Grades, Verdict


def rate_judgement(plan: LevelPlan, judgement: Judgement, grades: Grades, unit: UnitInput) -> JudgementResult:
    given = unit.judgements.get(judgement.id)
    title = f"{judgement.name}"
    source = f" ({judgement.source})" if judgement.source else ""
    if given is not None and given.grade is not None:
        words = f"judged {grades.label(given.grade)}" + (f" ({given.reason})" if given.reason else "")
        head = f"{title}: {grades.label(given.grade)}"
        return JudgementResult(judgement.id, judgement.name, grades.scale, grades.rated(given.grade), (),
                               f"{head} — {words}", Explanation(head, (Explanation(f"rule: a rated judgement{source}"), Explanation(words))))
    if given is not None:
        why = "not rated (NR) in the input" + (f": {given.reason}" if given.reason else "")
        head = f"{title}: not rated"
        return JudgementResult(judgement.id, judgement.name, grades.scale, Verdict(NOT_RATED, (), (why,)), (),
                               f"{head} — {why}", Explanation(head, (Explanation(why),)))
    reasons = ["the input gives no judged rating"]
    open_reason = plan.open_reason(judgement.id, "judgement")
    if open_reason:
        reasons.append(f"open rule: {open_reason}")
    verdict = grades.undetermined(None, *reasons)
    head = f"{title}: undetermined"
    return JudgementResult(judgement.id, judgement.name, grades.scale, verdict, (), f"{head} — {'; '.join(reasons)}",
                           Explanation(head, tuple(Explanation(r) for r in reasons)))


def rate_unit(plan: LevelPlan, unit: UnitInput, panel_margin: Fraction = PANEL_MARGIN) -> UnitResult:
    standards = [rate_standard(plan, standard, unit) for standard in plan.standards]
    judgements = [rate_judgement(plan, j, grades, unit) for j, grades in plan.judgements]
    composite_ids = {c.id for c, _ in plan.composites}

    verdicts: dict[str, Verdict] = {s.id: s.verdict for s in standards}
    verdicts.update({j.id: j.verdict for j in judgements})
    scale_of: dict[str, Grades] = {}
    for standard_plan in plan.standards:
        if standard_plan.grades is not None:
            scale_of[standard_plan.standard.id] = standard_plan.grades
    scale_of.update({j.id: g for j, g in plan.judgements})
    scale_of.update({c.id: g for c, g in plan.composites})
    names = {s.id: f"{s.number} {s.heading}" for s in standards}
    names.update({j.id: j.name for j in judgements})
    names.update({c.id: c.name for c, _ in plan.composites})

    def count(grade: str | None) -> tuple[Fraction, Fraction]:
        counted = [state.verdicts[s.id] for s in standards if state.verdicts[s.id].counts]
        surely = sum(1 for v in counted if v.possible == (grade,))
        maybe = sum(1 for v in counted if grade in v.possible)
        return Fraction(surely), Fraction(maybe)

    def total(_: str | None) -> tuple[Fraction, Fraction] | None:
        if not plan.composites:
            return None
        composite, grades = plan.composites[0]
        return rate_composite(plan, composite, grades, tuple(standards), state.verdicts,
                              unit.totals.get(composite.id), unit.attributes).total

    state = RatingState(verdicts, scale_of, names, count, total)
    # A hurdle that limits a composite, or reads one in its condition, applies once the
    # composites are rated; the others apply first, so the composites count the limited ratings.
    after_composites = {h.id for h in plan.hurdles if (targets(h) | set(names_used(h.when))) & composite_ids}
    hurdle_results: list[HurdleResult] = []
    for hurdle in plan.hurdles:
        if hurdle.id not in after_composites:
            hurdle_results.append(apply_hurdle(hurdle, state))
    composites = [
        rate_composite(plan, composite, grades, tuple(standards), state.verdicts, unit.totals.get(composite.id),
                       unit.attributes)
        for composite, grades in plan.composites
    ]
    state.verdicts.update({c.id: c.verdict for c in composites})
    for hurdle in plan.hurdles:
        if hurdle.id in after_composites:
            hurdle_results.append(apply_hurdle(hurdle, state))

    standards = [_after_hurdles(s, state, hurdle_results) for s in standards]
    judgements = [_after_hurdles(j, state, hurdle_results) for j in judgements]
    composites = [_after_hurdles(c, state, hurdle_results) for c in composites]
    return UnitResult(
        unit=unit.unit,
        level=plan.level,
        attributes=tuple(sorted(unit.attributes.items())),
        cases=unit.cases,
        standards=tuple(standards),
        judgements=tuple(judgements),
        composites=tuple(composites),
        hurdles=tuple(hurdle_results),
        panel_flags=panel_flags(plan, standards, panel_margin),
    )


def rate(plan: LevelPlan, units: Iterable[UnitInput], panel_margin: Fraction = PANEL_MARGIN) -> tuple[UnitResult, ...]:
    return tuple(rate_unit(plan, unit, panel_margin) for unit in units)


Limited = TypeVar("Limited", StandardResult, JudgementResult, CompositeResult)


def _after_hurdles(result: Limited, state: RatingState, hurdles: list[HurdleResult]) -> Limited:
    """The result with its final verdict, and the hurdles that changed it in its explanation."""
    touching = [h for h in hurdles if any(subject == result.id for subject, _, _ in h.changes)]
    if not touching:
        return result
    verdict = state.verdicts[result.id]
    grades = state.grades[result.id]
    words = verdict_words(verdict, grades)
    title = result.explanation.text.rsplit(": ", 1)[0]
    head = f"{title}: {words}"
    lines: list[Explanation] = [
        Explanation(f"limited by hurdle {h.id}: " + "; ".join(
            f"{grades.words(before)} → {grades.words(after)}" for subject, before, after in h.changes if subject == result.id
        ), h.explanation.because)
        for h in touching
    ]
    before = Explanation(f"before hurdles: {result.explanation.text.rsplit(': ', 1)[-1]}", result.explanation.because)
    explanation = Explanation(head, (before, *lines))
    summary = f"{head} — " + "; ".join(line.text for line in lines) + f" (before hurdles: {result.summary.split(' — ', 1)[-1]})"
    hurdle_ids = tuple(h.id for h in touching)
    if isinstance(result, StandardResult):
        return dataclasses.replace(
            result, verdict=verdict, hurdles=hurdle_ids, summary=summary, explanation=explanation,
            up=None,  # a better grade may be out of reach while the hurdle holds
        )
    return dataclasses.replace(result, verdict=verdict, hurdles=hurdle_ids, summary=summary, explanation=explanation)
