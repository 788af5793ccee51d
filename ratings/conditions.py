"""Conditions about ratings (hurdles), decided from verdicts that may not be settled yet.

A condition about a rating that is undetermined (say diversity, when no judgement was
given) is None unless every grade still possible gives the same answer; one about a
rating the level does not have is False, so a hurdle on it does not apply there; the tree itself
is evaluated by `precepts.compiler.conditions` with Kleene's rules, so `False and
unknown` is still False.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from precepts.compiler.conditions import Truth, compare_among, compare_span, evaluate
from precepts.compiler.model import Compare, Condition
from precepts.ratings.numbers import exact, plain
from precepts.ratings.verdicts import Grades, Verdict

RatingLookup = Callable[[str], tuple[Verdict, Grades] | None]
RangeLookup = Callable[[str | None], tuple[Fraction, Fraction] | None]


def ratings_hold(condition: Condition | None, rating: RatingLookup, count: RangeLookup,
                 total: RangeLookup) -> Truth:
    def test(compare: Compare) -> Truth:
        if compare.subject == "rating":
            # A rating this level does not have (the standard is rated at another level) is
            # not there to compare: the comparison cannot hold, whatever it asks.
            found = rating(compare.name or "")
            return False if found is None else _grade_compare(compare, *found)
        if compare.subject in ("count", "total"):
            span = (count if compare.subject == "count" else total)(compare.name)
            return None if span is None else _number_compare(compare, span)
        return None

    return evaluate(condition, test)


def _grade_compare(compare: Compare, verdict: Verdict, grades: Grades) -> Truth:
    if not verdict.counts:
        # A rating that does not exist (not rated, not applicable) satisfies only "is not".
        return compare.op == "is-not"
    ranks = {grades.rank(g) for g in verdict.possible if g in grades.ids}
    wanted = [grades.rank(v) for v in compare.values if v in grades.ids]
    return compare_among(compare.op, ranks, wanted)


def _number_compare(compare: Compare, span: tuple[Fraction, Fraction]) -> Truth:
    try:
        values = [exact(v) for v in compare.values]
    except ValueError:
        return None
    return compare_span(compare.op, *span, values)


def number_words(span: tuple[Fraction, Fraction]) -> str:
    low, high = span
    return plain(low) if low == high else f"between {plain(low)} and {plain(high)}"
