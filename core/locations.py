"""Where a value stands in a JSON, YAML or CSV file, as a `Span`: so that a finding about
rating input, a mapping file or a rule-case file points at a line and column, as a
finding about a framework does.

Locating is done only when something is reported: the files are parsed for speed by
orjson, PyYAML's safe loader and the csv module, which keep no positions. A path is the
list of keys and indexes from the document's root (`["units", 0, "questions", "2.4.1"]`);
where it leads nowhere (a value the input lacks), the span is that of the deepest part
that exists, so a missing field points at the object that should hold it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from precepts.core.diagnostics import Span

Path = Sequence[str | int]

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_SPACE = re.compile(r"[ \t\n\r]*")


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _span(file: str, text: str, start: int, end: int) -> Span:
    line, column = _position(text, start)
    end_line, end_column = _position(text, max(end, start + 1))
    return Span(file, line, column, end_line, end_column)


# ---- JSON -------------------------------------------------------------------------------------


def json_span(file: str, text: str, path: Path) -> Span:
    """The span of the value at `path` in a JSON text (a key's value, or an array item)."""
    try:
        start, end = _json_find(text, _skip(text, 0), list(path))
    except (ValueError, IndexError):
        return Span.point(file, 1, 1)
    return _span(file, text, start, end)


def _skip(text: str, at: int) -> int:
    match = _SPACE.match(text, at)
    return match.end() if match else at


def _json_find(text: str, at: int, path: list[str | int]) -> tuple[int, int]:
    """(start, end) of the value at `path`, starting from the value at offset `at`."""
    end = _json_end(text, at)
    if not path:
        return at, end
    head, rest = path[0], path[1:]
    char = text[at]
    if char == "{" and isinstance(head, str):
        position = _skip(text, at + 1)
        while text[position] != "}":
            end = _string_end(text, position)
            key, position = json.loads(text[position:end]), end
            position = _skip(text, position)
            position = _skip(text, position + 1)  # the colon
            if key == head:
                return _json_find(text, position, rest)
            position = _skip(text, _json_end(text, position))
            if text[position] == ",":
                position = _skip(text, position + 1)
    elif char == "[" and isinstance(head, int):
        position = _skip(text, at + 1)
        index = 0
        while text[position] != "]":
            if index == head:
                return _json_find(text, position, rest)
            position = _skip(text, _json_end(text, position))
            if text[position] == ",":
                position = _skip(text, position + 1)
            index += 1
    return at, end  # the path goes no deeper: the deepest value that exists


def _string_end(text: str, at: int) -> int:
    """The offset just after the JSON string whose opening quote is at `at`."""
    position = at + 1
    while text[position] != '"':
        position += 2 if text[position] == "\\" else 1
    return position + 1


def _json_end(text: str, at: int) -> int:
    """The offset just after the JSON value starting at `at`."""
    char = text[at]
    if char == '"':
        return _string_end(text, at)
    if char in "{[":
        closing = "}" if char == "{" else "]"
        position = _skip(text, at + 1)
        while text[position] != closing:
            if char == "{":
                position = _skip(text, _string_end(text, position))
                position = _skip(text, position + 1)
            position = _skip(text, _json_end(text, position))
            if text[position] == ",":
                position = _skip(text, position + 1)
        return position + 1
    for word in ("true", "false", "null"):
        if text.startswith(word, at):
            return at + len(word)
    match = _NUMBER.match(text, at)
    if match is None:
        raise ValueError(f"no JSON value at offset {at}")
    return match.end()


# ---- YAML -------------------------------------------------------------------------------------


def yaml_span(file: str, text: str, path: Path) -> Span:
    """The span of the node at `path` in a YAML text (composed, not constructed: nothing
    is run and no value is converted)."""
    import yaml

    try:
        node: Any = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return Span.point(file, 1, 1)
    if node is None:
        return Span.point(file, 1, 1)
    for part in path:
        found = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            found = next((value for key, value in node.value if getattr(key, "value", None) == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            found = node.value[part]
        if found is None:
            break
        node = found
    start, end = node.start_mark, node.end_mark
    if end.line > start.line and isinstance(node, yaml.ScalarNode | yaml.MappingNode | yaml.SequenceNode):
        # A block collection ends at the next line: point at its first line.
        end_line, end_column = start.line + 1, len(text.split("\n")[start.line]) + 1
        return Span(file, start.line + 1, start.column + 1, end_line, max(end_column, start.column + 2))
    return Span(file, start.line + 1, start.column + 1, end.line + 1, max(end.column + 1, start.column + 2))


def yaml_error_span(file: str, error: Exception) -> Span:
    """Where PyYAML stopped reading."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is None:
        return Span.point(file, 1, 1)
    return Span.point(file, mark.line + 1, mark.column + 1)


# ---- CSV --------------------------------------------------------------------------------------


def csv_cell_span(file: str, line_text: str, line: int, cell: int | None, delimiter: str = ",") -> Span:
    """The span of cell `cell` (counted from 0) of a CSV line; the whole line when None."""
    if cell is None:
        return Span(file, line, 1, line, max(2, len(line_text) + 1))
    starts = [0]
    quoted = False
    for offset, char in enumerate(line_text):
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            starts.append(offset + 1)
    if cell >= len(starts):
        return Span(file, line, 1, line, max(2, len(line_text) + 1))
    start = starts[cell]
    end = starts[cell + 1] - 1 if cell + 1 < len(starts) else len(line_text.rstrip("\r"))
    return Span(file, line, start + 1, line, max(end + 1, start + 2))
