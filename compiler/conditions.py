"""Conditions of the model (`Compare | AllOf | AnyOf`): the one place that reads their tree.

Applicability (`applies to: case-type is post-custody`) and hurdles (`when: diversity is
inadequate`, `then: leadership is at most good`) share one condition language (language
reference, "Conditions"). Every layer that needs a condition evaluated, put in words,
taken apart or turned into JSON Schema calls this module; each layer supplies only what a
single comparison means for its own data (a case's attributes, a verdict's possible
grades, a place in a record).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from precepts.compiler.model import AllOf, AnyOf, Compare, Condition

# The words of each comparison, as the framework language writes them.
OPERATOR_WORDS: Mapping[str, str] = {
    "is": "is", "is-not": "is not", "one-of": "is one of", "at-least": "is at least", "at-most": "is at most",
}
# Case attributes have no order: `at least` and `at most` compare grades and numbers only.
UNORDERED_OPERATORS = ("is", "is-not", "one-of")

Truth = bool | None  # True, False, or None when not (yet) known
Test = Callable[[Compare], Truth]
Ordered = TypeVar("Ordered", bound=Any)


# ---- three-valued evaluation ------------------------------------------------------------------


def evaluate(condition: Condition | None, test: Test) -> Truth:
    """Whether `condition` holds, given what each comparison gives (`test`): None when a
    comparison cannot be decided yet. `and`/`or` follow Kleene's rules, so `False and
    unknown` is still False. No condition always holds."""
    if condition is None:
        return True
    if isinstance(condition, AllOf):
        return all_hold([evaluate(item, test) for item in condition.items])
    if isinstance(condition, AnyOf):
        return any_holds([evaluate(item, test) for item in condition.items])
    return test(condition)


def all_hold(values: Iterable[Truth]) -> Truth:
    values = list(values)
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def any_holds(values: Iterable[Truth]) -> Truth:
    values = list(values)
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def holds_for(condition: Condition | None, attributes: Mapping[str, str]) -> Truth:
    """Whether an applicability condition holds for a case or unit with these attributes;
    None if an attribute it reads is not given."""
    return evaluate(condition, lambda compare: attribute_holds(compare, attributes))


def attribute_holds(compare: Compare, attributes: Mapping[str, str]) -> Truth:
    value = attributes.get(compare.name or "")
    if value is None or compare.op not in UNORDERED_OPERATORS:
        return None
    return compare_among(compare.op, (value,), compare.values)


def compare_among(op: str, possible: Collection[Ordered], wanted: Sequence[Ordered]) -> Truth:
    """A comparison of a subject that is one of `possible` (one value when it is known; the
    ranks of the grades a rating may still take when it is not) with the values written
    (`wanted`, the first being the one `is` and `at least` compare with)."""
    if not possible or not wanted:
        return None
    low, high = min(possible), max(possible)
    target = wanted[0]
    if op == "is":
        return True if low == high == target else (False if target not in possible else None)
    if op == "is-not":
        return False if low == high == target else (True if target not in possible else None)
    if op == "one-of":
        return True if set(possible) <= set(wanted) else (False if not set(possible) & set(wanted) else None)
    return _compare_bounds(op, low, high, target)


def compare_span(op: str, low: Ordered, high: Ordered, wanted: Sequence[Ordered]) -> Truth:
    """A comparison of a number known only to lie between `low` and `high` (inclusive)."""
    target = wanted[0]
    if op == "is":
        return True if low == high == target else (False if not low <= target <= high else None)
    if op == "is-not":
        return False if low == high == target else (True if not low <= target <= high else None)
    if op == "one-of":
        return low in wanted if low == high else None
    return _compare_bounds(op, low, high, target)


def _compare_bounds(op: str, low: Ordered, high: Ordered, target: Ordered) -> Truth:
    if op == "at-least":
        return True if low >= target else (False if high < target else None)
    if op == "at-most":
        return True if high <= target else (False if low > target else None)
    return None


# ---- what a condition reads ---------------------------------------------------------------------


def comparisons(condition: Condition | None) -> list[Compare]:
    """The comparisons of a condition, in the order written."""
    if condition is None:
        return []
    if isinstance(condition, Compare):
        return [condition]
    return [compare for item in condition.items for compare in comparisons(item)]


def names_used(condition: Condition | None, subject: str = "rating") -> list[str]:
    """The names a condition compares of one kind of subject (`attribute`, `rating`,
    `count`), in the order written, repeats included."""
    return [c.name for c in comparisons(condition) if c.subject == subject and c.name]


def attributes_used(condition: Condition | None) -> set[str]:
    return set(names_used(condition, "attribute"))


# ---- combining ------------------------------------------------------------------------------------


def all_of(*conditions: Condition | None) -> Condition | None:
    """Conditions that must all hold, as one flat condition without repeats: what a prompt
    inherits from its domain down, compared across versions."""
    items: list[Condition] = []
    for node in conditions:
        if node is None:
            continue
        items.extend(node.items if isinstance(node, AllOf) else (node,))
    unique = tuple(dict.fromkeys(items))
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else AllOf(unique)


def both(first: Condition | None, second: Condition | None) -> Condition | None:
    """Two conditions that must both hold, grouped as they were written (so that a rating's
    explanation quotes each level's applicability in brackets)."""
    if first is None:
        return second
    if second is None:
        return first
    return AllOf((first, second))


# ---- in words ---------------------------------------------------------------------------------------


def _language_subject(compare: Compare) -> str:
    return {"count": f"count of {compare.name}", "total": "total score"}.get(compare.subject, compare.name or "")


def _language_values(compare: Compare) -> str:
    return ", ".join(compare.values)


@dataclass(frozen=True, slots=True)
class Wording:
    """How one comparison is said: its subject, its values, and the word of each operator."""

    subject: Callable[[Compare], str]
    values: Callable[[Compare], str]
    operators: Mapping[str, str]


LANGUAGE = Wording(_language_subject, _language_values, OPERATOR_WORDS)  # as the framework language writes it: `count of outstanding is at least 2`


def describe(condition: Condition | None, wording: Wording = LANGUAGE, always: str = "always") -> str:
    """`provider is nps`, `case-type is post-custody and (a or b)`; `always` for none."""
    if condition is None:
        return always
    if isinstance(condition, AllOf | AnyOf):
        joiner = " and " if isinstance(condition, AllOf) else " or "
        return joiner.join(_nested(item, wording) for item in condition.items)
    operator = wording.operators.get(condition.op, condition.op)
    return f"{wording.subject(condition)} {operator} {wording.values(condition)}"


def _nested(condition: Condition, wording: Wording) -> str:
    text = describe(condition, wording)
    return f"({text})" if isinstance(condition, AllOf | AnyOf) else text


# ---- as JSON Schema ------------------------------------------------------------------------------

# Where a compared value lives in a record (a path of property names), and the values it can
# take lowest first when the comparison is ordered (`at most good`); None when the record
# does not hold it, so the condition cannot be said in the schema.
Locate = Callable[[Compare], tuple[tuple[str, ...], Sequence[str]] | None]


class Unsayable(Exception):
    """The condition reads something the record does not hold (a count, a total)."""


def json_schema(condition: Condition, locate: Locate) -> dict[str, Any]:
    """A JSON Schema (the `if` of an if/then rule) that a record satisfies exactly when
    `condition` holds for it; every value the condition reads must be present."""
    if isinstance(condition, AllOf):
        return {"allOf": [json_schema(item, locate) for item in condition.items]}
    if isinstance(condition, AnyOf):
        return {"anyOf": [json_schema(item, locate) for item in condition.items]}
    place = locate(condition)
    if place is None:
        raise Unsayable(condition.name or condition.subject)
    path, ordered = place
    return _at(path, _schema_test(condition, ordered))


def _schema_test(compare: Compare, ordered: Sequence[str]) -> dict[str, Any]:
    values = list(compare.values)
    if compare.op == "is":
        return {"const": values[0]}
    if compare.op == "is-not":
        return {"not": {"const": values[0]}}
    if compare.op == "one-of":
        return {"enum": values}
    if compare.op in ("at-least", "at-most") and values[0] in ordered:
        index = list(ordered).index(values[0])
        allowed = list(ordered)[index:] if compare.op == "at-least" else list(ordered)[: index + 1]
        return {"enum": allowed}
    raise Unsayable(f"{compare.name} {compare.op}")


def _at(path: tuple[str, ...], test: dict[str, Any]) -> dict[str, Any]:
    head, *rest = path
    inner = _at(tuple(rest), test) if rest else test
    # "type": "object" beside required and properties: strict validators (Ajv) refuse
    # object keywords where the type is not stated.
    return {"type": "object", "required": [head], "properties": {head: inner}}


def sayable(condition: Condition | None, locate: Locate) -> bool:
    if condition is None:
        return False
    try:
        json_schema(condition, locate)
    except Unsayable:
        return False
    return True
