"""The grammar has no terminal collisions and no shift/reduce conflicts (issue 15).

lark's strict mode finds both, but needs interegular, which precepts must not require at run
time (see dsl/parser.py). The check runs here instead, with interegular from the `test` extra.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lark import Lark
from lark.exceptions import LexError

from precepts.dsl import parser

interegular = pytest.importorskip(
    "interegular", reason="interegular checks the grammar's terminals: pip install -e '.[test]'")

GRAMMAR = Path(parser.__file__).with_name("precepts.lark")


def strict_parser(grammar: str, strict: bool = True) -> Lark:
    return Lark(grammar, strict=strict, **parser.LARK_OPTIONS)


def canonical_table(built: Lark) -> list[list[tuple[str, str, object]]]:
    """The LALR table with its states numbered in the order a walk from the start state meets
    them (lark numbers them differently from one build to the next)."""
    table = built.parser.parser.parser.parse_table
    number = {table.start_states["start"]: 0}
    order = [table.start_states["start"]]
    rows = []
    for state in order:
        row = []
        for terminal in sorted(table.states[state]):
            action, target = table.states[state][terminal]
            if action.name == "Shift":
                if target not in number:
                    number[target] = len(order)
                    order.append(target)
                row.append((terminal, "shift", number[target]))
            else:
                row.append((terminal, "reduce", str(target)))
        rows.append(row)
    assert len(order) == len(table.states), "every state is reachable from the start"
    return rows


def test_the_grammar_builds_in_strict_mode_with_the_same_parse_table() -> None:
    """Strict mode refuses a collision or a conflict; with neither, it builds the same table as
    the options precepts runs with (built here in the same process, so states number alike)."""
    text = GRAMMAR.read_text(encoding="utf-8")
    strict, runtime = strict_parser(text), strict_parser(text, strict=False)
    assert canonical_table(strict) == canonical_table(runtime)
    assert terminals(strict) == terminals(parser.lark_parser())


def terminals(built: Lark) -> list[tuple[str, str, str, int]]:
    return sorted((t.name, t.pattern.type, t.pattern.value, t.priority) for t in built.terminals)


def test_strict_mode_here_does_find_a_terminal_collision() -> None:
    """The check above can fail: two terminals that match the same word are refused."""
    with pytest.raises(LexError, match="Collision"):
        strict_parser('start: WORD | CODE\nWORD: /[a-z]+/\nCODE: /[a-z0-9]+/\n')
