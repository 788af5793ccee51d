"""Evaluating conditions over assignments: for applicability and for hurdles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from precepts.compiler.model import AllOf, AnyOf, Compare, Condition


def evaluate(
    condition: Condition | None,
    attributes: Mapping[str, str] = {},
    ratings: Mapping[str, int] = {},
    grade_index: Mapping[str, int] = {},
    counts: Mapping[str, int] = {},
    total: Decimal | None = None,
) -> bool | None:
    """True, False, or None when the condition reads something the assignment lacks."""
    if condition is None:
        return True
    if isinstance(condition, AllOf | AnyOf):
        results = [evaluate(c, attributes, ratings, grade_index, counts, total) for c in condition.items]
        if isinstance(condition, AllOf):
            return False if False in results else (None if None in results else True)
        return True if True in results else (None if None in results else False)
    return _compare(condition, attributes, ratings, grade_index, counts, total)


def _compare(
    test: Compare,
    attributes: Mapping[str, str],
    ratings: Mapping[str, int],
    grade_index: Mapping[str, int],
    counts: Mapping[str, int],
    total: Decimal | None,
) -> bool | None:
    if test.subject == "attribute":
        value = attributes.get(test.name or "")
        if value is None:
            return None
        return _ordered_test(test.op, value, test.values, lambda v: v)
    if test.subject == "rating":
        index = ratings.get(test.name or "")
        if index is None:
            return None
        wanted = [grade_index.get(v) for v in test.values]
        known = [w for w in wanted if w is not None]
        if len(known) < len(wanted):
            return None
        return _number_test(test.op, index, known)
    if test.subject == "count":
        count = counts.get(test.name or "")
        if count is None:
            return None
        return _number_test(test.op, count, [_as_number(v) for v in test.values])
    if total is None:
        return None
    return _number_test(test.op, total, [_as_number(v) for v in test.values])


def _as_number(text: str) -> Decimal:
    try:
        return Decimal(text)
    except Exception:
        return Decimal("NaN")


def _ordered_test(op: str, value: str, values: tuple[str, ...], key: object) -> bool | None:
    if op == "is":
        return value == values[0]
    if op == "is-not":
        return value != values[0]
    if op == "one-of":
        return value in values
    return None


def _number_test(op: str, value: int | Decimal, wanted: Sequence[int | Decimal]) -> bool | None:
    if op == "is":
        return value == wanted[0]
    if op == "is-not":
        return value != wanted[0]
    if op == "one-of":
        return value in wanted
    if op == "at-least":
        return value >= wanted[0]
    if op == "at-most":
        return value <= wanted[0]
    return None


def subjects(condition: Condition | None, kind: str = "rating") -> list[str]:
    if condition is None:
        return []
    if isinstance(condition, AllOf | AnyOf):
        return [name for c in condition.items for name in subjects(c, kind)]
    return [condition.name] if condition.subject == kind and condition.name else []
