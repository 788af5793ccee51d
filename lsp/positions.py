"""Between precepts' spans (lines and columns from 1, in characters) and the positions of the
Language Server Protocol (from 0, in UTF-16 code units, as LSP 3.17 requires by default)."""

from __future__ import annotations

from lsprotocol import types

from precepts.core.diagnostics import Span


class Lines:
    """A document's text split into lines, for converting positions both ways."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")

    def line(self, number: int) -> str:
        """Line `number` (from 0), or '' beyond the end."""
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    def to_position(self, line: int, column: int) -> types.Position:
        """A 1-based line and character column as an LSP position, kept within the text (a
        finding about a missing end points just past it)."""
        if line > len(self.lines):
            line, column = len(self.lines), len(self.lines[-1]) + 1
        text = self.line(line - 1)
        prefix = text[: max(column - 1, 0)]
        return types.Position(line=max(line - 1, 0), character=_utf16_length(prefix))

    def to_range(self, span: Span | None) -> types.Range:
        if span is None:
            return types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
        return types.Range(start=self.to_position(span.line, span.column),
                           end=self.to_position(span.end_line, span.end_column))

    def to_column(self, position: types.Position) -> int:
        """The 1-based character column of an LSP position."""
        text = self.line(position.line)
        units = 0
        for index, character in enumerate(text):
            if units >= position.character:
                return index + 1
            units += 2 if ord(character) > 0xFFFF else 1
        return len(text) + 1

    def word_at(self, position: types.Position) -> tuple[str, int, int]:
        """The word (letters, digits, '-', '_', '.', '/') under the cursor, with its 1-based
        start and end columns; '' when the cursor is not on one."""
        text = self.line(position.line)
        column = self.to_column(position) - 1
        start = column
        while start > 0 and _is_word(text[start - 1]):
            start -= 1
        end = column
        while end < len(text) and _is_word(text[end]):
            end += 1
        return text[start:end].rstrip("."), start + 1, end + 1


def _is_word(character: str) -> bool:
    return character.isalnum() or character in "-_./"


def _utf16_length(text: str) -> int:
    return sum(2 if ord(c) > 0xFFFF else 1 for c in text)
