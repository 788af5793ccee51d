"""Ratings-panel flags (2018/19 annual report, Annex A, "Ratings panel").

"Exceptionally, the panel considers whether professional discretion should be exercised
in relation to any of the domain two or three ratings that yield a percentage close to
the rating boundary ... (specifically, within five percentage points of the boundary or
where a different judgement in one case would result in a change in rating)."

So, for every standard rated from cases, the engine flags each key question whose
percentage is within five points of a band boundary (saying how many cases judged
differently would cross it), and each standard whose rating would change if one case
in one key question were judged differently. The panel decides; the engine only points.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from precepts.compiler.model import Band
from precepts.ratings.banding import Bander, band_range
from precepts.ratings.numbers import plain
from precepts.ratings.plan import LevelPlan
from precepts.ratings.results import PanelFlag, QuestionResult, StandardResult
from precepts.ratings.sensitivity import StandardSensitivity, outcome_words
from precepts.ratings.verdicts import RATED, UNDETERMINED, Grades

# Annex A: "within five percentage points of the boundary".
PANEL_MARGIN = Fraction(5)


def boundaries(bands: Sequence[Band], grades: Grades) -> list[tuple[Fraction, Band, Band]]:
    """(boundary, band below, band above), each boundary the lowest value of the band above."""
    return Bander(bands, None, grades).boundaries


def panel_flags(plan: LevelPlan, standards: Sequence[StandardResult], margin: Fraction = PANEL_MARGIN) -> tuple[PanelFlag, ...]:
    flags: list[PanelFlag] = []
    for standard in standards:
        if standard.method != "cases" or standard.verdict.status not in (RATED, UNDETERMINED):
            continue
        standard_plan = plan.standard(standard.id)
        if standard_plan is None or standard_plan.banding is None or standard_plan.grades is None:
            continue
        bander = plan.banders[standard_plan.banding.id]
        for question in standard.questions:
            if question.percentage is None:
                continue
            flags.extend(_near_boundary(standard, question, bander, margin))
        if standard.verdict.status == RATED:
            flags.extend(_one_case(standard, bander))
    return tuple(flags)


def _near_boundary(standard: StandardResult, question: QuestionResult, bander: Bander, margin: Fraction) -> list[PanelFlag]:
    flags = []
    grades = bander.grades
    value = question.percentage
    assert value is not None
    counts = question.sufficient is not None and question.inspected is not None
    for boundary, under, over in bander.boundaries:
        distance = value - boundary
        if abs(distance) > margin:
            continue
        side = "above" if distance >= 0 else "below"
        points = plain(abs(distance))
        where = (
            f"{question.number} {plain(value)}%"
            + (f" = {question.sufficient}/{question.inspected}" if counts else "")
            + (f" is on the {plain(boundary)}% boundary" if distance == 0 else
               f" is {points} point{'s' if abs(distance) != 1 else ''} {side} the {plain(boundary)}% boundary")
            + f" between '{under.label or band_range(under)}' ({grades.label(under.grade)}) and"
            f" '{over.label or band_range(over)}' ({grades.label(over.grade)})"
        )
        cases = None
        if counts:
            assert question.sufficient is not None and question.inspected is not None
            if distance >= 0:
                cases = bander.cases_to_fall(question.sufficient, question.inspected, grades.rank(under.grade))
                crossing = f"{cases} fewer sufficient case{'s' if cases != 1 else ''} would take it below {plain(boundary)}%" if cases else None
            else:
                cases = bander.cases_to_reach(question.sufficient, question.inspected, grades.rank(over.grade))
                crossing = f"{cases} more sufficient case{'s' if cases != 1 else ''} would take it to {plain(boundary)}% or above" if cases else None
            where += f"; {crossing}" if crossing else "; no number of cases in this sample would cross it"
        else:
            where += "; only a percentage was given, so the number of cases is not known"
        flags.append(PanelFlag("near-boundary", standard.number, question.number, f"{plain(boundary)}%", distance, cases,
                               f"{standard.number} {standard.heading}: {where}", boundary_value=boundary))
    return flags


def _one_case(standard: StandardResult, bander: Bander) -> list[PanelFlag]:
    """Worked out by the same computation as the explanation's "N more sufficient cases
    would make it …", so the two never disagree."""
    flags = []
    for one in StandardSensitivity(bander, standard.questions).one_case():
        question = one.question
        judged = "one more case sufficient" if one.change > 0 else "one sufficient case insufficient"
        percentage = Fraction(one.sufficient * 100, question.inspected or 1)
        flags.append(PanelFlag(
            "one-case", standard.number, question.number, None, None, 1,
            f"{standard.number} {standard.heading}: judging {judged} in {question.number} "
            f"({one.sufficient}/{question.inspected} = {plain(percentage)}%) would make the standard "
            f"{outcome_words(bander.grades, one.after)}",
        ))
    return flags
