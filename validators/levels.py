"""Levels and coverage: every standard has key questions and a rating rule at each of its
levels, and no standard silently misses a level its domain uses."""

from __future__ import annotations

from collections.abc import Iterator

from precepts.compiler.model import Framework, Standard
from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic, Span
from precepts.validators.registry import check


def _at(level: str) -> str:
    # A framework that declares no levels has one implicit level, "all": say nothing of it.
    return "" if level == "all" else f" at {level}"


def _part_span(standard: Standard, level: str) -> Span:
    return next((p.span for p in standard.parts if level in p.levels), standard.span)


@check(Code.MISSING_LEVEL_QUESTIONS)
def questions_at_every_level(framework: Framework) -> Iterator[Diagnostic]:
    for standard in framework.standards():
        if not standard.questions:
            continue  # an empty standard is reported once, as N006
        covered = {level for q in standard.questions for level in q.levels}
        for level in standard.levels:
            if level not in covered:
                yield Code.MISSING_LEVEL_QUESTIONS(
                    f"standard {standard.number} {standard.heading} has no key questions{_at(level)}",
                    _part_span(standard, level),
                    help=f"add key questions at {level}, or take {level} off the standard's 'at:'",
                    subjects=(standard.id,),
                )


@check(Code.UNRATED_AT_LEVEL)
def rating_rule_at_every_level(framework: Framework) -> Iterator[Diagnostic]:
    for standard in framework.standards():
        rated = {r.level for r in standard.ratings}
        for level in standard.levels:
            if level not in rated:
                yield Code.UNRATED_AT_LEVEL(
                    f"standard {standard.number} {standard.heading} does not say how it is rated{_at(level)}",
                    _part_span(standard, level),
                    help="add 'rated:' (from cases using BANDING, by judgement, not rated, "
                    "percentages only, reported at LEVEL, or open)",
                    subjects=(standard.id,),
                )


@check(Code.LEVEL_GAP)
def levels_without_gaps(framework: Framework) -> Iterator[Diagnostic]:
    for domain in framework.domains:
        used = [level for level in domain.levels if any(level in s.levels for s in domain.standards)]
        if len(used) < 2:
            continue
        for standard in domain.standards:
            declared = {level for level, _ in standard.absent}
            for level in used:
                if level not in standard.levels and level not in declared:
                    present = ", ".join(standard.levels)
                    yield Code.LEVEL_GAP(
                        f"standard {standard.number} {standard.heading} is at {present} but not at {level}, "
                        f"where domain {domain.number} has other standards",
                        standard.span,
                        help=f"add its {level} part, or declare the gap with 'absent at {level}: reason'",
                        subjects=(standard.id,),
                    )
