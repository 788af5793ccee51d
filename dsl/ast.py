"""The syntax tree: one node per line, each with its source span.

Nodes are named tuples: immutable like the model's frozen dataclasses, and cheap enough
to create by the hundred thousand.

Lines are first read as a flat list (`Line`s), then grouped into `Block`s by the rule
"a line belongs to the nearest heading above it that can hold it" (see outline.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from precepts.core.diagnostics import Span


class Word(NamedTuple):
    """An identifier, number or reference, with the span of just that word."""

    text: str
    span: Span


# ---- conditions ----------------------------------------------------------------------


class Subject(NamedTuple):
    kind: str  # "name" | "count" | "total"
    name: Word | None
    span: Span


class Test(NamedTuple):
    op: str  # "is" | "is-not" | "one-of" | "at-least" | "at-most"
    subject: Subject
    values: tuple[Word, ...]
    span: Span


class AllOf(NamedTuple):
    items: tuple[Condition, ...]
    span: Span


class AnyOf(NamedTuple):
    items: tuple[Condition, ...]
    span: Span


Condition = Test | AllOf | AnyOf


# ---- rating ranges ------------------------------------------------------------------------


class Bound(NamedTuple):
    value: Decimal
    percent: bool
    span: Span


class Range(NamedTuple):
    kind: str  # "between" | "below" | "from" | "exactly"
    low: Bound | None
    high: Bound | None
    span: Span


class RatingMethod(NamedTuple):
    kind: str  # "cases" | "judgement" | "not-rated" | "percentages-only" | "elsewhere" | "open"
    name: Word | None
    span: Span


# ---- lines --------------------------------------------------------------------------------


class Heading(NamedTuple):
    """A line that opens a block: `standard 1.1 Leadership`, `scale rating: ...`, `a) ...`."""

    kind: str
    name: Word | None  # identifier for definitions; number or letter for the hierarchy
    text: str | None
    span: Span
    label: str | None = None  # grade and band labels ("Too few")
    score: Decimal | None = None  # grade scores
    range: Range | None = None  # band ranges
    grade: Word | None = None  # the grade a band gives
    values: tuple[Word, ...] = ()  # the values a case attribute may take


class Attribute(NamedTuple):
    """A line that describes the heading above it: `id: leadership`, `at: pdu`, ..."""

    key: str
    value: object  # str | Word | tuple[Word, ...] | Condition | RatingMethod | int
    span: Span
    qualifier: Word | None = None  # the grade of a characteristic, the code of a waiver


class Comment(NamedTuple):
    text: str
    span: Span


Line = Heading | Attribute | Comment


class Block(NamedTuple):
    heading: Heading
    attributes: tuple[Attribute, ...]
    children: tuple[Block, ...]
    comments: tuple[Comment, ...]

    def attribute(self, key: str) -> Attribute | None:
        for attribute in self.attributes:
            if attribute.key == key:
                return attribute
        return None

    def all(self, key: str) -> tuple[Attribute, ...]:
        return tuple(a for a in self.attributes if a.key == key)


class Document(NamedTuple):
    """One parsed file: its lines in order, and its top block (framework or rules)."""

    path: str
    lines: tuple[Line, ...]
    root: Block | None
