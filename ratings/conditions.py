"""Conditions, evaluated with three values: True, False, or None when not yet known.

A condition about a rating that is undetermined (say diversity, when no judgement was
given) is None unless every grade still possible gives the same answer; `and`/`or`
follow Kleene's rules, so `False and unknown` is still False.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

from precepts.compiler.model import AllOf, AnyOf, Compare, Condition
from precepts.ratings.numbers import exact, plain
from precepts.ratings.verdicts import Grades, Verdict

OP_WORDS = {"is": "is", "is-not": "is not", "one-of": "is one of", "at-least": "is at least", "at-most": "is at most"}


def describe(condition: Condition | None) -> str:
    """The condition as it is written in the framework language."""
    if condition is None:
        return "always"
    if isinstance(condition, AllOf):
        return " and ".join(_nested(item) for item in condition.items)
    if isinstance(condition, AnyOf):
        return " or ".join(_nested(item) for item in condition.items)
    subject = {
        "count": f"count of {condition.name}",
        "total": "total score",
    }.get(condition.subject, condition.name or "")
    return f"{subject} {OP_WORDS.get(condition.op, condition.op)} {', '.join(condition.values)}"


def _nested(condition: Condition) -> str:
    text = describe(condition)
    return f"({text})" if isinstance(condition, AllOf | AnyOf) else text


def attributes_used(condition: Condition | None) -> set[str]:
    if condition is None:
        return set()
    if isinstance(condition, AllOf | AnyOf):
        return set().union(*(attributes_used(item) for item in condition.items))
    return {condition.name} if condition.subject == "attribute" and condition.name else set()


def _all(values: list[bool | None]) -> bool | None:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _any(values: list[bool | None]) -> bool | None:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def attributes_hold(condition: Condition | None, attributes: Mapping[str, str]) -> bool | None:
    """Whether an applicability condition holds for a case or unit; None if an attribute
    it needs is not given."""
    if condition is None:
        return True
    if isinstance(condition, AllOf):
        return _all([attributes_hold(c, attributes) for c in condition.items])
    if isinstance(condition, AnyOf):
        return _any([attributes_hold(c, attributes) for c in condition.items])
    value = attributes.get(condition.name or "")
    if value is None:
        return None
    if condition.op == "is":
        return value == condition.values[0]
    if condition.op == "is-not":
        return value != condition.values[0]
    if condition.op == "one-of":
        return value in condition.values
    return None


# ---- conditions on ratings (hurdles) ---------------------------------------------------------

RatingLookup = Callable[[str], tuple[Verdict, Grades] | None]
RangeLookup = Callable[[str | None], tuple[Fraction, Fraction] | None]


def ratings_hold(condition: Condition | None, rating: RatingLookup, count: RangeLookup,
                 total: RangeLookup) -> bool | None:
    if condition is None:
        return True
    if isinstance(condition, AllOf):
        return _all([ratings_hold(c, rating, count, total) for c in condition.items])
    if isinstance(condition, AnyOf):
        return _any([ratings_hold(c, rating, count, total) for c in condition.items])
    if condition.subject == "rating":
        found = rating(condition.name or "")
        if found is None:
            return None
        verdict, grades = found
        return _grade_compare(condition, verdict, grades)
    if condition.subject in ("count", "total"):
        lookup = count if condition.subject == "count" else total
        span = lookup(condition.name)
        if span is None:
            return None
        return _number_compare(condition, span)
    return None


def _grade_compare(condition: Compare, verdict: Verdict, grades: Grades) -> bool | None:
    if not verdict.counts:
        # A rating that does not exist (not rated, not applicable) satisfies only "is not".
        return condition.op == "is-not"
    ranks = {grades.rank(g) for g in verdict.possible if g in grades.ids}
    values = [v for v in condition.values if v in grades.ids]
    if not ranks or not values:
        return None
    low, high = min(ranks), max(ranks)
    target = grades.rank(values[0])
    wanted = {grades.rank(v) for v in values}
    if condition.op == "is":
        return True if low == high == target else (False if target not in ranks else None)
    if condition.op == "is-not":
        return False if low == high == target else (True if target not in ranks else None)
    if condition.op == "one-of":
        return True if ranks <= wanted else (False if not ranks & wanted else None)
    if condition.op == "at-least":
        return True if low >= target else (False if high < target else None)
    if condition.op == "at-most":
        return True if high <= target else (False if low > target else None)
    return None


def _number_compare(condition: Compare, span: tuple[Fraction, Fraction]) -> bool | None:
    low, high = span
    try:
        values = [exact(v) for v in condition.values]
    except ValueError:
        return None
    target = values[0]
    if condition.op == "is":
        return True if low == high == target else (False if not low <= target <= high else None)
    if condition.op == "is-not":
        return False if low == high == target else (True if not low <= target <= high else None)
    if condition.op == "one-of":
        if low == high:
            return low in values
        return None
    if condition.op == "at-least":
        return True if low >= target else (False if high < target else None)
    if condition.op == "at-most":
        return True if high <= target else (False if low > target else None)
    return None


def number_words(span: tuple[Fraction, Fraction]) -> str:
    low, high = span
    return plain(low) if low == high else f"between {plain(low)} and {plain(high)}"
