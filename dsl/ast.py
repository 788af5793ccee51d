"""The syntax tree: one node per line, each with its source span.

Nodes are named tuples: immutable like the model's frozen dataclasses, and cheap enough
to create by the hundred thousand.

Lines are first read as a flat list (`Line`s), then grouped into `Block`s by the rule
"a line belongs to the nearest heading above it that can hold it" (see outline.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple, TypeGuard, TypeVar

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


# What an attribute line holds; its key decides which (see the parser's method for each key).
AttributeValue = (
    str  # text: `title:`, `open:`, `note:`, ...
    | Word  # one name: `id:`, `status:`, `scale:`, `prompt-limit:`, ...
    | tuple[Word, ...]  # names: `at:`, `tags:`, `see:`
    | tuple[str, str]  # `preferred-term: "use" "instead of"`
    | tuple[tuple[Word, Decimal], ...]  # grade and number: `scores:`, `weights:`
    | Condition  # `applies-to:`, `when:`, `then:`
    | RatingMethod  # `rated:`
)


class Attribute(NamedTuple):
    """A line that describes the heading above it: `id: leadership`, `at: pdu`, ...

    `value` is whatever the line's key holds; the properties below read it as that type,
    so that the compiler's reading of the tree is type-checked. Each raises TypeError if
    the key holds something else, which only a parser fault can cause.
    """

    key: str
    value: AttributeValue
    span: Span
    qualifier: Word | None = None  # the grade of a characteristic, the code of a waiver

    @property
    def word(self) -> Word:
        if isinstance(self.value, Word):
            return self.value
        raise self._not("a name")

    @property
    def words(self) -> tuple[Word, ...]:
        if _all_of(self.value, Word):
            return self.value
        raise self._not("a list of names")

    @property
    def numbers(self) -> tuple[tuple[Word, Decimal], ...]:
        if _names_with_numbers(self.value):
            return self.value
        raise self._not("a list of names with numbers")

    @property
    def text_pair(self) -> tuple[str, str]:
        if _all_of(self.value, str) and len(self.value) == 2:
            return self.value[0], self.value[1]
        raise self._not("two texts")

    @property
    def condition(self) -> Condition:
        if isinstance(self.value, Test | AllOf | AnyOf):
            return self.value
        raise self._not("a condition")

    @property
    def rating_method(self) -> RatingMethod:
        if isinstance(self.value, RatingMethod):
            return self.value
        raise self._not("a rating method")

    def _not(self, what: str) -> TypeError:
        return TypeError(f"{self.span.file}:{self.span.line}: '{self.key}:' holds {self.value!r}, not {what}")


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


_Item = TypeVar("_Item")


def _all_of(value: object, kind: type[_Item]) -> TypeGuard[tuple[_Item, ...]]:
    return isinstance(value, tuple) and all(isinstance(item, kind) for item in value)


def _names_with_numbers(value: object) -> TypeGuard[tuple[tuple[Word, Decimal], ...]]:
    return isinstance(value, tuple) and all(
        isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], Word) and isinstance(pair[1], Decimal)
        for pair in value
    )
