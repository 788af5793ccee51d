"""The semantic model of a framework: frozen, resolved, free of syntax.

Every element carries its stable id, its published number and the span it came from.
Rules the published document leaves open are `open` with the reason, never a guess.
"""

from __future__ import annotations

from dataclasses import Field
from decimal import Decimal
from typing import Any, ClassVar, TypeVar, dataclass_transform

from precepts.core.diagnostics import Span
from precepts.core.records import record


class _Value:
    """Equality, hashing and repr by field values, for every model class.

    Written once here rather than generated per class by @dataclass: generating them
    execs fresh code for each of some thirty classes, which made importing the model
    the slowest step of a `precepts check` on a small framework.
    """

    __slots__ = ()
    # Set on each subclass by @frozen, so that `dataclasses.fields` and `replace` work on it.
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]
    # The field names in order, set on each subclass by @frozen (as by @dataclass).
    __match_args__: ClassVar[tuple[str, ...]]

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__match_args__)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__match_args__)
        return f"{type(self).__name__}({shown})"


_Model = TypeVar("_Model")


# dataclass_transform tells type checkers that `frozen` makes a frozen dataclass, so they see
# each model class's fields and constructor (eq and repr come from _Value, hence eq_default).
@dataclass_transform(frozen_default=True, eq_default=False)
def frozen(cls: type[_Model]) -> type[_Model]:
    """A frozen, slotted dataclass, made cheaply (precepts.core.records)."""
    return record(cls)


# ---- conditions ------------------------------------------------------------------------


@frozen
class Compare(_Value):
    """`case-type is post-custody`, `diversity is inadequate`, `count of outstanding is at least 2`."""

    op: str  # "is" | "is-not" | "one-of" | "at-least" | "at-most"
    subject: str  # "attribute" | "rating" | "count" | "total"
    name: str | None  # attribute id, standard or judgement id, or grade id counted
    values: tuple[str, ...]
    span: Span


@frozen
class AllOf(_Value):
    items: tuple[Condition, ...]


@frozen
class AnyOf(_Value):
    items: tuple[Condition, ...]


Condition = Compare | AllOf | AnyOf


# ---- rating rules --------------------------------------------------------------------------


@frozen
class Grade(_Value):
    id: str
    label: str
    score: Decimal | None
    span: Span


@frozen
class Scale(_Value):
    id: str
    name: str
    grades: tuple[Grade, ...]  # lowest first, as written
    span: Span


@frozen
class Band(_Value):
    id: str | None
    label: str | None
    low: Decimal | None  # None: no lower bound
    high: Decimal | None  # None: no upper bound
    high_inclusive: bool  # "below 50%" excludes 50; "50% to 64%" includes 64
    percent: bool
    grade: str
    span: Span


@frozen
class Banding(_Value):
    id: str
    name: str
    scale: str
    rounding: str | None  # a known rounding rule, or None when open
    bands: tuple[Band, ...]
    source: str | None
    span: Span
    few_cases: int | None = None  # `few cases: below N`: ratings on fewer cases carry a note; None: the default (5)


@frozen
class Composite(_Value):
    id: str
    name: str
    scale: str
    levels: tuple[str, ...]
    score: str | None  # "sum", "average", "percent-of-maximum", or None when open
    scores: tuple[tuple[str, Decimal], ...]  # grade → score; empty: the scale's own scores
    bands: tuple[Band, ...]  # totals for "sum", percentages for "percent-of-maximum"
    source: str | None
    span: Span
    weights: tuple[tuple[str, Decimal], ...] = ()  # standard id → weight; unlisted standards weigh 1
    rounding: str | None = None  # for percentage bands, as for a banding


@frozen
class Hurdle(_Value):
    id: str
    name: str
    levels: tuple[str, ...]
    when: Condition | None
    then: Condition | None
    source: str | None
    span: Span


@frozen
class Judgement(_Value):
    """A rated judgement that is not a standard, such as the 2021 diversity judgement."""

    id: str
    name: str
    scale: str
    levels: tuple[str, ...]
    source: str | None
    span: Span


# ---- the hierarchy ---------------------------------------------------------------------------


@frozen
class Reference(_Value):
    text: str  # as written: 1.3.2a, pdu/1.3.2a, or an id
    target: str | None  # the id it resolves to, once resolved
    span: Span


@frozen
class ConsultationQuestion(_Value):
    """A consultation question, attached to the part of the framework it asks about."""

    subject: str  # the id of that part: a standard, rule, questionnaire, or the framework
    text: str
    span: Span


@frozen
class Characteristic(_Value):
    grade: str
    text: str
    span: Span


@frozen
class Prompt(_Value):
    id: str
    letter: str
    number: str  # the key question's number and the letter: 1.1.1a
    text: str
    levels: tuple[str, ...]
    applies_to: Condition | None
    tags: tuple[str, ...]
    references: tuple[Reference, ...]
    span: Span


@frozen
class Question(_Value):
    id: str
    number: str
    text: str
    levels: tuple[str, ...]
    applies_to: Condition | None
    tags: tuple[str, ...]
    references: tuple[Reference, ...]
    prompts: tuple[Prompt, ...]
    span: Span


@frozen
class LevelText(_Value):
    level: str
    text: str
    span: Span


@frozen
class LevelRating(_Value):
    """How a standard is rated at one level."""

    level: str
    method: str  # "cases" | "judgement" | "not-rated" | "percentages-only" | "elsewhere" | "open"
    banding: str | None  # for "cases"
    reported_at: str | None  # for "elsewhere"
    span: Span
    scale: str | None = None  # for "judgement": the standard's own scale (`scale:`); None: the level's rating scale


@frozen
class StandardPart(_Value):
    levels: tuple[str, ...]
    span: Span


@frozen
class Standard(_Value):
    id: str
    number: str
    heading: str
    domain: str  # the domain's id
    levels: tuple[str, ...]
    texts: tuple[LevelText, ...]
    ratings: tuple[LevelRating, ...]
    applies_to: Condition | None
    tags: tuple[str, ...]
    references: tuple[Reference, ...]
    questions: tuple[Question, ...]
    characteristics: tuple[Characteristic, ...]
    absent: tuple[tuple[str, str], ...]  # (level, reason): declared gaps in its levels
    source: str | None
    span: Span  # the first place the standard is written
    parts: tuple[StandardPart, ...]  # every place it is written: one per set of levels


@frozen
class Section(_Value):
    """A published sub-heading inside a domain, such as 'PDU standards'."""

    heading: str
    levels: tuple[str, ...]
    standards: tuple[str, ...]  # ids, in the order written
    span: Span


@frozen
class Domain(_Value):
    id: str
    number: str
    heading: str
    levels: tuple[str, ...]
    applies_to: Condition | None
    sections: tuple[Section, ...]
    standards: tuple[Standard, ...]
    span: Span


@frozen
class QuestionnaireItem(_Value):
    id: str
    kind: str  # "rating" (answered on the questionnaire's scale) | "free-text" | "choice"
    text: str
    options: tuple[str, ...]  # for "choice"
    references: tuple[Reference, ...]  # e.g. the 2021 questionnaire's "Inspector use" column
    span: Span


@frozen
class Questionnaire(_Value):
    id: str
    title: str
    levels: tuple[str, ...]
    scale: str | None
    instructions: tuple[str, ...]
    items: tuple[QuestionnaireItem, ...]
    source: str | None
    span: Span


# ---- the framework ---------------------------------------------------------------------------


@frozen
class Level(_Value):
    id: str
    name: str
    span: Span


@frozen
class CaseAttribute(_Value):
    id: str
    values: tuple[str, ...]
    span: Span


@frozen
class OpenRule(_Value):
    """A rule the published document leaves open, and why."""

    subject: str  # the id of the element or rule it concerns
    what: str  # e.g. "rounding", "composite", "rating"
    reason: str
    span: Span


@frozen
class Waiver(_Value):
    code: str
    subject: str
    reason: str
    span: Span


@frozen
class PreferredTerm(_Value):
    preferred: str
    instead_of: str
    span: Span


@frozen
class TranslatedText(_Value):
    """One entry of a translation file (gettext PO): the text it translates, and the translation.

    `key` is the entry's `msgctxt`, the stable id of the text (see compiler/translations.py);
    `source` its `msgid`, the English as it was when translated, so that a change to the
    English shows as a difference (issue 16 §3).
    """

    key: str
    source: str
    text: str  # empty: not yet translated
    fuzzy: bool  # gettext's mark for a translation that needs review
    span: Span  # the msgid line in the translation file
    text_span: Span  # the msgstr line


@frozen
class Translation(_Value):
    """A framework's text in one more language, from the PO file beside it."""

    language: str  # a language tag from the file's name, such as "cy"
    name: str  # the language's English name, such as "Welsh"
    file: str  # the PO file, as shown to the user
    entries: tuple[TranslatedText, ...]
    sha256: str = ""  # of the PO file's bytes: published outputs record it, so a change shows them stale


@frozen
class Framework(_Value):
    id: str
    kind: str  # "framework" | "rules"
    title: str | None
    version: str | None
    date: str | None
    status: str | None
    source: str | None
    licence: str | None
    prompt_limit: int
    levels: tuple[Level, ...]
    attributes: tuple[CaseAttribute, ...]
    scales: tuple[Scale, ...]
    bandings: tuple[Banding, ...]
    composites: tuple[Composite, ...]
    hurdles: tuple[Hurdle, ...]
    judgements: tuple[Judgement, ...]
    domains: tuple[Domain, ...]
    questionnaires: tuple[Questionnaire, ...]
    preferred_terms: tuple[PreferredTerm, ...]
    words: tuple[str, ...]  # extra words the spelling check accepts
    consultation_questions: tuple[ConsultationQuestion, ...]  # every one, in the order written
    open_rules: tuple[OpenRule, ...]
    waivers: tuple[Waiver, ...]
    file: str
    sha256: str
    includes: tuple[str, ...]
    span: Span
    # Other languages than English (the source), from PO files beside the framework;
    # attached after compiling (precepts.compiler.translations).
    translations: tuple[Translation, ...] = ()

    def standards(self) -> tuple[Standard, ...]:
        return tuple(s for d in self.domains for s in d.standards)

    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.standards() for q in s.questions)

    def prompts(self) -> tuple[Prompt, ...]:
        return tuple(p for q in self.questions() for p in q.prompts)
