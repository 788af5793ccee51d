"""Conditions of the framework as JSON Schema: the `if` of an if/then rule.

A condition names attributes (`case-type is post-custody`) or ratings (`diversity is
inadequate`); where each one's value sits in a record is the caller's to say, so the same
translation serves the assessment record and the lead inspector's record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from precepts.compiler import model as m

# Where a compared value lives in the record (a path of property names), and the values
# it can take lowest first when the comparison is ordered (`at most good`); None when the
# record does not hold it, so the condition cannot be said in the schema.
Locate = Callable[[m.Compare], tuple[tuple[str, ...], Sequence[str]] | None]


class Unsayable(Exception):
    """The condition reads something the record does not hold (a count, a total)."""


def holds(node: m.Condition, locate: Locate) -> dict[str, Any]:
    """A schema that a record satisfies exactly when `node` holds for it (every value the
    condition reads must be present)."""
    if isinstance(node, m.AllOf):
        return {"allOf": [holds(item, locate) for item in node.items]}
    if isinstance(node, m.AnyOf):
        return {"anyOf": [holds(item, locate) for item in node.items]}
    place = locate(node)
    if place is None:
        raise Unsayable(node.name or node.subject)
    path, ordered = place
    return _at(path, _test(node, ordered))


def _test(node: m.Compare, ordered: Sequence[str]) -> dict[str, Any]:
    values = list(node.values)
    if node.op == "is":
        return {"const": values[0]}
    if node.op == "is-not":
        return {"not": {"const": values[0]}}
    if node.op == "one-of":
        return {"enum": values}
    if node.op in ("at-least", "at-most") and values[0] in ordered:
        index = list(ordered).index(values[0])
        allowed = list(ordered)[index:] if node.op == "at-least" else list(ordered)[: index + 1]
        return {"enum": allowed}
    raise Unsayable(f"{node.name} {node.op}")


def _at(path: tuple[str, ...], test: dict[str, Any]) -> dict[str, Any]:
    head, *rest = path
    inner = _at(tuple(rest), test) if rest else test
    # "type": "object" beside required and properties: strict validators (Ajv) refuse
    # object keywords where the type is not stated.
    return {"type": "object", "required": [head], "properties": {head: inner}}


def sayable(node: m.Condition | None, locate: Locate) -> bool:
    if node is None:
        return False
    try:
        holds(node, locate)
    except Unsayable:
        return False
    return True
