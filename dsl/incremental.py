"""Parsing again only the lines that changed, for long-running processes (the language
server after each keystroke, the service after each save).

Every statement of the language is exactly one line, and the parser starts each line in the
same state, so a line parses the same wherever it stands: only its line number differs. A
line's result is kept by its text and moved to where the line now stands. Blank lines hold
nothing. The result is the same as `parse_lines` on the whole text (tests/test_incremental.py
compares them), apart from the cap on syntax errors, which applies to each line here.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import Any, TypeVar

from precepts.core.diagnostics import Diagnostic, Span
from precepts.dsl.ast import Line

T = TypeVar("T")
_PLACE = "\x00line"  # the file name a memoised line is parsed under, replaced when it is used
MAX_MEMO = 200_000  # lines kept; past this the memo starts again (a bound on memory, not a goal)

_memo: dict[str, tuple[list[Line], list[Diagnostic]]] = {}
# A line that has not moved since the last parse of its file is taken as it was placed then.
_placed: dict[tuple[str, int, str], tuple[list[Line], list[Diagnostic]]] = {}
_active = False


def activate() -> None:
    """Parse line by line from now on in this process (precepts.dsl.loader asks `active()`)."""
    global _active
    _active = True


def active() -> bool:
    return _active


def parse_lines_incrementally(text: str, file: str) -> tuple[list[Line], list[Diagnostic]]:
    """What `parse_lines(text, file)` gives, parsing only lines not seen before."""
    from precepts.dsl.parser import parse_lines

    if len(_memo) > MAX_MEMO or len(_placed) > MAX_MEMO:
        _memo.clear()
        _placed.clear()
    lines: list[Line] = []
    diagnostics: list[Diagnostic] = []
    for number, content in enumerate(text.split("\n"), start=1):
        if not content.strip(" \t\f\u00a0"):
            continue
        placed = _placed.get((file, number, content))
        if placed is None:
            found = _memo.get(content)
            if found is None:
                found = parse_lines(content + "\n", _PLACE)
                _memo[content] = found
            parsed, problems = found
            placed = ([_moved(line, file, number) for line in parsed], [_moved(p, file, number) for p in problems])
            _placed[(file, number, content)] = placed
        lines.extend(placed[0])
        diagnostics.extend(placed[1])
    return lines, diagnostics


def _moved(value: T, file: str, line: int) -> T:
    """`value` with every span of the memoised line placed at `line` of `file`."""
    return _move(value, file, line)  # type: ignore[no-any-return]


def _move(value: Any, file: str, line: int) -> Any:
    if isinstance(value, Span):
        return Span(file, value.line + line - 1, value.column, value.end_line + line - 1, value.end_column)
    if isinstance(value, tuple):
        moved = [_move(item, file, line) for item in value]
        return type(value)(*moved) if hasattr(value, "_fields") else tuple(moved)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _move(getattr(value, f.name), file, line) for f in fields(value)
                   if isinstance(getattr(value, f.name), (Span, tuple))}
        return replace(value, **changes) if changes else value
    return value
