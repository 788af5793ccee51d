"""Text → parse tree → flat list of lines, with syntax errors as diagnostics.

Every statement in the language is one line, so after a syntax error the parser drops
the broken line and carries on with the next: one run reports every broken line.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from typing import Any, NamedTuple

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic, Span
from precepts.dsl.ast import (
    AllOf,
    AnyOf,
    Attribute,
    AttributeValue,
    Bound,
    Comment,
    Heading,
    Line,
    Range,
    RatingMethod,
    Subject,
    Test,
    Word,
)

MAX_SYNTAX_ERRORS = 100

# How each terminal is described in "expected ..." messages.
_TERMINAL_WORDS = {
    "NAME": "a name (letters, digits and hyphens, such as pdu or case-bands)",
    "NUMBER": "a number such as 1.2",
    "DECIMAL": "a number such as 50",
    "INT": "a whole number",
    "PERCENT": "'%'",
    "REF": "a reference such as 1.3.2a or pdu/1.3.2a",
    "QUOTED": 'a label in double quotes, such as "Too few"',
    "PROMPT_LETTER": "a prompt letter such as a)",
    "PROMPT_LINES": "a prompt such as a) Is it clear?",
    "TEXT": "some text",
    "TOTAL_SCORE": "'total score'",
    "COMMENT": "a comment",
    "CODE": "a finding code such as D001",
    "_NL": "the end of the line",
    "$END": "the end of the file",
}


# How the grammar is built. Not strict: lark's strict mode needs interegular at run time, and
# with interegular installed lark checks every grammar built in the process, other libraries'
# too (`import pyxform` then takes minutes; issue 15). tests/test_grammar_collisions.py builds
# this grammar strictly instead, so a terminal collision or a shift/reduce conflict fails a test;
# without conflicts the parse table is the same either way.
LARK_OPTIONS: dict[str, Any] = {
    "parser": "lalr",
    "lexer": "contextual",
    "propagate_positions": False,
    "maybe_placeholders": False,
}


@lru_cache(maxsize=1)
def lark_parser() -> Lark:
    return Lark.open(
        "precepts.lark",
        rel_to=__file__,
        **LARK_OPTIONS,
        cache=True,
    )


@lru_cache(maxsize=1)
def _literals() -> dict[str, str]:
    """Terminal name → its literal text, for keywords and punctuation."""
    return {
        t.name: t.pattern.value
        for t in lark_parser().terminals
        if t.pattern.type == "str"
    }


@lru_cache(maxsize=1)
def line_keywords() -> tuple[str, ...]:
    """The words a line may start with, for 'did you mean' suggestions."""
    table = lark_parser().parser.parser.parser.parse_table
    start_state = table.start_states["start"]
    literals = _literals()
    words = {literals[t] for t in table.states[start_state] if t in literals}
    return tuple(sorted(w for w in words if w.isalpha()))


def describe_expected(names: set[str] | frozenset[str]) -> str:
    literals = _literals()
    words: list[str] = []
    for name in sorted(names):
        if name in literals:
            words.append(f"'{literals[name]}'")
        else:
            words.append(_TERMINAL_WORDS.get(name, name.lower()))
    words = sorted(set(words))
    if len(words) > 6:
        return ", ".join(words[:6]) + f", or one of {len(words) - 6} more"
    if len(words) > 1:
        return ", ".join(words[:-1]) + " or " + words[-1]
    return words[0] if words else "nothing more"


# ---- parse tree → lines ---------------------------------------------------------------


def _span(file: str, meta: Any) -> Span:
    return Span(file, meta.line, meta.column, meta.end_line, meta.end_column)


def _tspan(file: str, token: Token) -> Span:
    return Span(file, token.line or 0, token.column or 0, token.end_line or 0, token.end_column or 0)


def _unquote(token: Token) -> str:
    return str(token)[1:-1]


# Rules that make a whole line (a statement), as opposed to a part of one.
_STATEMENTS = frozenset({
    "framework", "rules", "title", "version", "date", "status", "licence", "prompt_limit", "few_cases",
    "include", "preferred_term", "level", "attribute", "scale", "grade", "banding", "composite",
    "hurdle", "judgement", "band", "domain", "section", "standard", "question", "prompt", "id",
    "at", "applies_to", "tags", "see", "text", "rated", "uses_scale", "rounding", "score", "when",
    "then", "open", "note", "source", "consultation_question", "characteristic", "waive", "comment",
    "scores", "weights", "absent_at", "words", "questionnaire", "rating_item", "free_text_item", "choice_item", "instruction", "option",
})


class _Position(NamedTuple):
    line: int
    column: int
    end_line: int
    end_column: int


def _extent(children: list[Any]) -> _Position | None:
    """The stretch of text covered by a rule's children (tokens and spanned nodes)."""
    first: _Position | None = None
    last: _Position | None = None
    here: _Position | None
    for child in children:
        if isinstance(child, Token):
            here = _Position(child.line or 0, child.column or 0, child.end_line or 0, child.end_column or 0)
        elif isinstance(child, tuple) and hasattr(child, "span"):
            span = child.span
            here = _Position(span.line, span.column, span.end_line, span.end_column)
        elif isinstance(child, tuple) and child and hasattr(child[0], "span"):
            here = _extent(list(child))
        else:
            continue
        if here is None:
            continue
        if first is None:
            first = here
        last = here
    if first is None or last is None:
        return None
    return _Position(first.line, first.column, last.end_line, last.end_column)


@v_args(meta=True)
class _ToLines(Transformer[Token, list[Line]]):
    """Parse tree → lines.

    The parser runs without lark's propagate_positions, which cost a third of the
    parse time on large frameworks. Positions come from the tokens instead: a
    statement spans its whole line (every statement is one line), and a part of a
    statement spans the tokens it was made from.
    """

    def __init__(self, file: str, text: str) -> None:
        super().__init__()
        self.file = file
        self.lines = text.split("\n")
        self._functions: dict[str, Any] = {}

    def _call_userfunc(self, tree: Any, new_children: Any = None) -> Any:
        # lark wraps a v_args method anew on every lookup; for files with a hundred
        # thousand lines, look each rule's function up once.
        function = self._functions.get(tree.data)
        if function is None:
            function = getattr(type(self), tree.data).base_func
            self._functions[tree.data] = function
        children = tree.children if new_children is None else new_children
        return function(self, self._position(tree.data, children), children)

    def _position(self, rule: str, children: list[Any]) -> _Position:
        extent = _extent(children) or _Position(0, 0, 0, 0)
        if rule not in _STATEMENTS or not 0 < extent.line <= len(self.lines):
            return extent
        text = self.lines[extent.line - 1]
        start = len(text) - len(text.lstrip())
        return _Position(extent.line, start + 1, extent.line, len(text.rstrip()) + 1)

    def _word(self, token: Token) -> Word:
        return Word(str(token), _tspan(self.file, token))

    def start(self, meta: Any, children: list[Any]) -> list[Line]:
        lines: list[Line] = []
        for child in children:
            if isinstance(child, list):
                lines.extend(child)
            else:
                lines.append(child)
        return lines

    def comment(self, meta: Any, c: list[Token]) -> Comment:
        return Comment(str(c[0]), _span(self.file, meta))

    # headings
    def _heading(self, kind: str, meta: Any, name: Token | None, text: Token | None) -> Heading:
        return Heading(
            kind,
            self._word(name) if name is not None else None,
            str(text).rstrip() if text is not None else None,
            _span(self.file, meta),
        )

    def framework(self, meta: Any, c: list[Token]) -> Heading:
        return self._heading("framework", meta, c[0], None)

    def rules(self, meta: Any, c: list[Token]) -> Heading:
        return self._heading("rules", meta, c[0], None)

    def level(self, meta: Any, c: list[Token]) -> Heading:
        return self._heading("level", meta, c[0], c[1])

    def scale(self, meta: Any, c: list[Token]) -> Heading:
        return self._heading("scale", meta, c[0], c[1])

    def banding(self, meta: Any, c: list[Token]) -> Heading:
        return self._heading("banding", meta, c[0], c[1])

    def composite(self, meta: Any, c: list[Token]) -> Heading:
        return self._heading("composite", meta, c[0], c[1])

    def hurdle(self, meta: Any, c: list[Token]) -> Heading:
        return self._heading("hurdle", meta, c[0], c[1])

    def judgement(self, meta: Any, c: list[Token]) -> Heading:
        return self._heading("judgement", meta, c[0], c[1])

    def attribute(self, meta: Any, c: list[Any]) -> Heading:
        return Heading("attribute", self._word(c[0]), None, _span(self.file, meta), values=c[1])

    def questionnaire(self, meta: Any, c: list[Token]) -> Heading:
        return self._heading("questionnaire", meta, c[0], c[1])

    def _item(self, kind: str, meta: Any, text: Token) -> Heading:
        return Heading("item", None, str(text).rstrip(), _span(self.file, meta), label=kind)

    def rating_item(self, meta: Any, c: list[Token]) -> Heading:
        return self._item("rating", meta, c[0])

    def free_text_item(self, meta: Any, c: list[Token]) -> Heading:
        return self._item("free-text", meta, c[0])

    def choice_item(self, meta: Any, c: list[Token]) -> Heading:
        return self._item("choice", meta, c[0])

    def absent_at(self, meta: Any, c: list[Token]) -> Attribute:
        return Attribute("absent-at", str(c[1]).rstrip(), _span(self.file, meta), qualifier=self._word(c[0]))

    def words(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("words", meta, str(c[0]).rstrip())

    def instruction(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("instruction", meta, str(c[0]).rstrip())

    def option(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("option", meta, str(c[0]).rstrip())

    def domain(self, meta: Any, c: list[Token]) -> Heading:
        return self._heading("domain", meta, c[0], c[1])

    def section(self, meta: Any, c: list[Token]) -> Heading:
        return self._heading("section", meta, None, c[0])

    def standard(self, meta: Any, c: list[Token]) -> Heading:
        return self._heading("standard", meta, c[0], c[1])

    def question(self, meta: Any, c: list[Token]) -> Heading:
        return self._heading("question", meta, c[0], c[1])

    def prompt(self, meta: Any, c: list[Token]) -> Heading:
        letter, text = str(c[0])[:-1], str(c[1])
        word = Word(letter, _tspan(self.file, c[0]))
        return Heading("prompt", word, text.rstrip(), _span(self.file, meta))

    def prompts(self, meta: Any, c: list[Token]) -> list[Heading]:
        """Split a run of prompt lines (one PROMPT_LINES token) into one heading each."""
        token = c[0]
        headings = []
        line = token.line or 1
        column = token.column or 1
        for raw in str(token).split("\n"):
            body = raw.lstrip(" \t\f\u00a0")
            if body.strip():
                column += len(raw) - len(body)
                letter, _, rest = body.partition(")")
                text = rest.lstrip(" \t\f\u00a0").rstrip()
                end = column + len(body.rstrip())
                headings.append(Heading(
                    "prompt",
                    Word(letter, Span(self.file, line, column, line, column + len(letter) + 1)),
                    text,
                    Span(self.file, line, column, line, end),
                ))
            line += 1
            column = 1
        return headings

    def grade(self, meta: Any, c: list[Token]) -> Heading:
        score = Decimal(str(c[2])) if len(c) > 2 else None
        return Heading(
            "grade", self._word(c[0]), None, _span(self.file, meta), label=_unquote(c[1]), score=score
        )

    def band(self, meta: Any, c: list[Any]) -> Heading:
        if len(c) == 4:
            name, label, rng, grade = c
            return Heading(
                "band", self._word(name), None, _span(self.file, meta),
                label=_unquote(label), range=rng, grade=self._word(grade),
            )
        rng, grade = c
        return Heading("band", None, None, _span(self.file, meta), range=rng, grade=self._word(grade))

    def bound(self, meta: Any, c: list[Token]) -> Bound:
        return Bound(Decimal(str(c[0])), len(c) > 1, _span(self.file, meta))

    def range_between(self, meta: Any, c: list[Bound]) -> Range:
        return Range("between", c[0], c[1], _span(self.file, meta))

    def range_below(self, meta: Any, c: list[Bound]) -> Range:
        return Range("below", None, c[0], _span(self.file, meta))

    def range_from(self, meta: Any, c: list[Bound]) -> Range:
        return Range("from", c[0], None, _span(self.file, meta))

    def range_exactly(self, meta: Any, c: list[Bound]) -> Range:
        return Range("exactly", c[0], c[0], _span(self.file, meta))

    # framework metadata
    def _meta(self, key: str, meta: Any, value: AttributeValue) -> Attribute:
        return Attribute(key, value, _span(self.file, meta))

    def title(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("title", meta, str(c[0]).rstrip())

    def version(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("version", meta, str(c[0]).rstrip())

    def date(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("date", meta, str(c[0]).rstrip())

    def status(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("status", meta, self._word(c[0]))

    def licence(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("licence", meta, str(c[0]).rstrip())

    def prompt_limit(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("prompt-limit", meta, self._word(c[0]))

    def few_cases(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("few-cases", meta, self._word(c[-1]))

    def include(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("include", meta, self._trimmed(c[0]))

    def preferred_term(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("preferred-term", meta, (_unquote(c[0]), _unquote(c[1])))

    # element attributes
    def name_list(self, meta: Any, c: list[Token]) -> tuple[Word, ...]:
        return tuple(self._word(t) for t in c)

    def ref(self, meta: Any, c: list[Token]) -> Word:
        return self._word(c[0])

    def id(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("id", meta, self._word(c[0]))

    def at(self, meta: Any, c: list[Any]) -> Attribute:
        return self._meta("at", meta, c[0])

    def tags(self, meta: Any, c: list[Any]) -> Attribute:
        return self._meta("tags", meta, c[0])

    def see(self, meta: Any, c: list[Word]) -> Attribute:
        return self._meta("see", meta, tuple(c))

    def applies_to(self, meta: Any, c: list[Any]) -> Attribute:
        return self._meta("applies-to", meta, c[0])

    def when(self, meta: Any, c: list[Any]) -> Attribute:
        return self._meta("when", meta, c[0])

    def then(self, meta: Any, c: list[Any]) -> Attribute:
        return self._meta("then", meta, c[0])

    def text(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("text", meta, str(c[0]).rstrip())

    def rated(self, meta: Any, c: list[Any]) -> Attribute:
        return self._meta("rated", meta, c[0])

    def uses_scale(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("scale", meta, self._word(c[0]))

    def rounding(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("rounding", meta, self._trimmed(c[0]))

    def score(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("score", meta, self._trimmed(c[0]))

    def _trimmed(self, token: Token) -> Word:
        """A text kept as one word (`include:`, `rounding:`, `score:`), without the blanks after
        it, and spanning just that."""
        text = str(token).rstrip()
        return Word(text, Span(self.file, token.line or 0, token.column or 0, token.line or 0, (token.column or 0) + len(text)))

    def grade_score(self, meta: Any, c: list[Token]) -> tuple[Word, Decimal]:
        return (self._word(c[0]), Decimal(str(c[1])))

    def scores(self, meta: Any, c: list[Any]) -> Attribute:
        return self._meta("scores", meta, tuple(c))

    def weights(self, meta: Any, c: list[Any]) -> Attribute:
        return self._meta("weights", meta, tuple(c))

    def open(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("open", meta, str(c[0]).rstrip())

    def note(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("note", meta, str(c[0]).rstrip())

    def source(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("source", meta, str(c[0]).rstrip())

    def consultation_question(self, meta: Any, c: list[Token]) -> Attribute:
        return self._meta("consultation-question", meta, str(c[0]).rstrip())

    def characteristic(self, meta: Any, c: list[Token]) -> Attribute:
        return Attribute("characteristic", str(c[1]).rstrip(), _span(self.file, meta), qualifier=self._word(c[0]))

    def waive(self, meta: Any, c: list[Token]) -> Attribute:
        return Attribute("waive", str(c[1]).rstrip(), _span(self.file, meta), qualifier=self._word(c[0]))

    # how a standard is rated
    def rated_from_cases(self, meta: Any, c: list[Token]) -> RatingMethod:
        return RatingMethod("cases", self._word(c[-1]), _span(self.file, meta))

    def rated_by_judgement(self, meta: Any, c: list[Token]) -> RatingMethod:
        return RatingMethod("judgement", None, _span(self.file, meta))

    def rated_not(self, meta: Any, c: list[Token]) -> RatingMethod:
        return RatingMethod("not-rated", None, _span(self.file, meta))

    def rated_percentages_only(self, meta: Any, c: list[Token]) -> RatingMethod:
        return RatingMethod("percentages-only", None, _span(self.file, meta))

    def rated_elsewhere(self, meta: Any, c: list[Token]) -> RatingMethod:
        return RatingMethod("elsewhere", self._word(c[-1]), _span(self.file, meta))

    def rated_open(self, meta: Any, c: list[Token]) -> RatingMethod:
        return RatingMethod("open", None, _span(self.file, meta))

    # conditions
    def any_of(self, meta: Any, c: list[Any]) -> Any:
        return c[0] if len(c) == 1 else AnyOf(tuple(c), _span(self.file, meta))

    def all_of(self, meta: Any, c: list[Any]) -> Any:
        return c[0] if len(c) == 1 else AllOf(tuple(c), _span(self.file, meta))

    def _test(self, op: str, meta: Any, c: list[Any]) -> Test:
        return Test(op, c[0], tuple(c[1:]), _span(self.file, meta))

    def is_value(self, meta: Any, c: list[Any]) -> Test:
        return self._test("is", meta, c)

    def is_not_value(self, meta: Any, c: list[Any]) -> Test:
        return self._test("is-not", meta, c)

    def is_one_of(self, meta: Any, c: list[Any]) -> Test:
        return self._test("one-of", meta, c)

    def at_least(self, meta: Any, c: list[Any]) -> Test:
        return self._test("at-least", meta, c)

    def at_most(self, meta: Any, c: list[Any]) -> Test:
        return self._test("at-most", meta, c)

    def subject_name(self, meta: Any, c: list[Token]) -> Subject:
        return Subject("name", self._word(c[0]), _span(self.file, meta))

    def subject_count(self, meta: Any, c: list[Token]) -> Subject:
        return Subject("count", self._word(c[0]), _span(self.file, meta))

    def subject_total(self, meta: Any, c: list[Token]) -> Subject:
        return Subject("total", None, _span(self.file, meta))

    def value(self, meta: Any, c: list[Token]) -> Word:
        return self._word(c[0])


# ---- error recovery ------------------------------------------------------------------


class _Recovery:
    """Collects syntax errors and resumes the parser at the start of the next line."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        self.diagnostics: list[Diagnostic] = []
        self.lines = text.split("\n")

    def _line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def __call__(self, error: UnexpectedInput) -> bool:
        self.diagnostics.append(self._diagnose(error))
        if len(self.diagnostics) >= MAX_SYNTAX_ERRORS:
            return False
        interactive = error.interactive_parser
        state = interactive.parser_state
        table = state.parse_conf.parse_table
        while len(state.state_stack) > 1 and "$END" not in table.states[state.state_stack[-1]]:
            state.state_stack.pop()
            state.value_stack.pop()
        if "$END" not in table.states[state.state_stack[-1]]:
            return False
        is_line_end = isinstance(error, UnexpectedToken) and error.token.type in ("_NL", "$END")
        if not is_line_end:
            lexer_state = interactive.lexer_thread.state
            if lexer_state is None:  # lark sets it once lexing starts, so never after an error
                return False
            position = lexer_state.line_ctr.char_pos
            newline = self.text.find("\n", position)
            if newline == -1:
                newline = len(self.text)
            lexer_state.line_ctr.feed(self.text[position:newline])
        return True

    def _diagnose(self, error: UnexpectedInput) -> Diagnostic:
        line, column = error.line, error.column
        line_text = self._line_text(line)
        joined = _joined_phrase(self.file, line, line_text, column)
        if joined is not None:
            return joined
        if isinstance(error, UnexpectedToken):
            expected = set(error.accepts or error.expected)
            token = error.token
            found = _describe_token(token)
            width = max(1, len(str(token))) if token.type not in ("_NL", "$END") else 1
            if token.type in ("_NL", "$END"):
                line, column = _end_of_line(line_text, line, token)
        else:
            expected = set(error.allowed or ()) if isinstance(error, UnexpectedCharacters) else set()
            found = _describe_text(line_text, column)
            width = max(1, len(_word_at(line_text, column)))
        span = Span.point(self.file, line, column, width)
        at_line_start = not line_text[: column - 1].strip()
        if line_text[column - 1: column] == ":" and "COLON" not in expected and not at_line_start:
            before = line_text[: column - 1].rstrip()
            # Nothing after the colon (`at: pdu:`): the correction is the line without it, no trailing blank.
            corrected = f"{before.strip()} {line_text[column:].strip()}".rstrip()
            return Code.SYNTAX_ERROR(
                f"a stray ':' after '{_clip(before.strip())}': this line has no ':' there",
                Span.point(self.file, line, column),
                help=f"did you mean '{_clip(corrected, 60)}'?",
            )
        if at_line_start and ("PROMPT_LETTER" in expected or "FRAMEWORK" in expected):
            word = _word_at(line_text, column)
            suggestion = _suggest_keyword(word)
            lettered = _PROMPT_LIKE.match(line_text[column - 1:])
            if lettered:  # "a. Is there…", "(a) Is there…", "a - Is there…"
                letter = (lettered["enclosed"] or lettered["letter"]).lower()
                return Code.UNKNOWN_KEYWORD(
                    f"a prompt letter is written '{letter})', not '{lettered['mark'].strip()}'", span,
                    help=f"write '{letter}) {line_text[column - 1 + lettered.end():].strip()}'",
                )
            keyword_help = (
                f"did you mean '{suggestion}'?" if suggestion else
                "start the line with a keyword such as 'standard', 'question' or 'text:', "
                "or with a prompt letter such as 'a)'; a comment starts with '#'"
            )
            return Code.UNKNOWN_KEYWORD(
                f"unknown keyword {found} at the start of a line", span, help=keyword_help
            )
        help_text = None
        if "COLON" in expected and ":" not in line_text[column - 1:]:
            help_text = "this kind of line needs a ':' after its keyword"
        suggestion = _suggest_literal(_word_at(line_text, column), expected)
        if suggestion:
            help_text = f"did you mean '{suggestion}'?"
        return Code.SYNTAX_ERROR(
            f"expected {describe_expected(expected)}, but found {found}", span, help=help_text
        )


@lru_cache(maxsize=1)
def keyword_phrases() -> frozenset[str]:
    """The keywords the grammar writes as several words in a row: 'not rated', 'by
    judgement', 'prompt limit'… (read from the grammar, so a new one is never missed)."""
    literals = _literals()
    phrases: set[str] = set()
    for rule in lark_parser().rules:
        run: list[str] = []
        for symbol in [*rule.expansion, None]:
            if symbol is not None and symbol.is_term and literals.get(symbol.name, "").isalpha():
                run.append(literals[symbol.name])
                continue
            if len(run) >= 2:
                phrases.add(" ".join(run))
            run = []
    return frozenset(phrases)


def _joined_phrase(file: str, line: int, line_text: str, column: int) -> Diagnostic | None:
    """A keyword phrase written as one word (`not-rated`, `prompt_limit`): say how it is written.

    Only the word the parser stopped *in* is blamed. Where it stopped just after a word (a
    stray ':' in `at: not-rated:`), the word was read whole as a name, which `not-rated`
    may be (a level, a case attribute): the fault is what follows it, and the other
    messages say so."""
    if not _is_word_character(line_text[column - 1: column]):
        return None
    start = end = column - 1
    while start > 0 and _is_word_character(line_text[start - 1]):
        start -= 1
    while end < len(line_text) and _is_word_character(line_text[end]):
        end += 1
    word = line_text[start:end]
    if not re.search(r"[a-z][-_][a-z]", word, re.IGNORECASE):
        return None
    spaced = re.sub(r"[-_]+", " ", word).lower()
    phrase = next((p for p in sorted(keyword_phrases()) if p == spaced or p.startswith(spaced + " ")), None)
    if phrase is None:
        return None
    code = Code.UNKNOWN_KEYWORD if not line_text[:start].strip() else Code.SYNTAX_ERROR
    return code(
        f"'{_clip(word)}' is written as separate words: '{spaced}'",
        Span.point(file, line, start + 1, len(word)),
        help=f"did you mean '{spaced}'?",
    )


def _is_word_character(character: str) -> bool:
    """A character of a name or a keyword written joined: a letter, a digit, '-' or '_'."""
    return len(character) == 1 and (character.isalnum() or character in "-_")


def _end_of_line(line_text: str, line: int, token: Token) -> tuple[int, int]:
    # lark reports a newline token at the start of the *next* line's indentation in some
    # cases; point at the end of the line the statement is on instead.
    return line, len(line_text.rstrip("\r")) + 1


def _word_at(line_text: str, column: int) -> str:
    rest = line_text[column - 1:]
    word = ""
    for ch in rest:
        if ch.isspace() or (word and ch in ":,()"):
            break
        word += ch
    return word


def _describe_token(token: Token) -> str:
    if token.type == "_NL":
        return "the end of the line"
    if token.type == "$END":
        return "the end of the file"
    return f"'{_clip(str(token))}'"


def _describe_text(line_text: str, column: int) -> str:
    word = _word_at(line_text, column)
    if not word:
        ch = line_text[column - 1: column]
        return f"'{_clip(ch)}'" if ch else "the end of the line"
    return f"'{_clip(word)}'"


def _clip(text: str, limit: int = 40) -> str:
    # Show an invisible or control character by its code point, so the user can find it.
    printable = "".join(ch if (ch.isprintable() and not ch.isspace()) or ch == " " else f"<U+{ord(ch):04X}>" for ch in text)
    return printable if len(printable) <= limit else printable[: limit - 1] + "…"


_PROMPT_LIKE = re.compile(r"(?P<mark>(?:\((?P<enclosed>[a-zA-Z])\)|(?P<letter>[a-zA-Z])(?:[.:\]]|\s+[-–]))\s*)(?=\S)")


def _suggest_keyword(word: str) -> str | None:
    bare = word.rstrip(":").lower()
    matches = difflib.get_close_matches(bare, line_keywords(), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _suggest_literal(word: str, expected: set[str]) -> str | None:
    literals = _literals()
    candidates = [literals[t] for t in expected if t in literals and literals[t].isalpha()]
    if not word or not candidates:
        return None
    matches = difflib.get_close_matches(word.lower(), candidates, n=1, cutoff=0.6)
    return matches[0] if matches and matches[0] != word else None


def parse_lines(text: str, file: str) -> tuple[list[Line], list[Diagnostic]]:
    """Parse framework text into its lines, collecting every syntax error.

    The commonest lines (prompts, key questions, standards, domains, `text:`) are read by
    `_fast_lines` when they are plainly well formed; lark parses the rest, with those lines
    left blank so that every other line keeps its place and its line number. Every
    well-formed statement is one line and the parser starts each line in the same state, so
    the lines are the same as lark's on the whole text. A syntax error breaks that: lark's
    recovery and the text it quotes depend on the lines after the fault (a run of prompt
    lines read after an error takes in the blank lines that follow it), so a text with any
    syntax error is parsed again by lark alone, and its lines and errors are exactly lark's
    (tests/test_parser_fast_path.py). Texts with errors are few, and a text is short while
    it is being typed.
    """
    if not text.endswith("\n"):
        text += "\n"
    source_lines = text.split("\n")
    fast, rest = _fast_lines(file, source_lines)
    if fast:
        parsed = _lark_lines(rest, file, source_lines, fast)
        if not parsed[1]:
            return parsed
    return _lark_lines(text, file, source_lines, [])


def _lark_lines(text: str, file: str, source_lines: list[str],
                fast: list[Line]) -> tuple[list[Line], list[Diagnostic]]:
    """lark's lines of `text`, merged with the `fast` lines read beforehand, and the errors."""
    recovery = _Recovery(file, text)
    try:
        tree = lark_parser().parse(text, on_error=recovery)
    except UnexpectedInput as error:
        if not recovery.diagnostics or len(recovery.diagnostics) < MAX_SYNTAX_ERRORS:
            recovery.diagnostics.append(recovery._diagnose(error))
        return [], recovery.diagnostics
    lines: list[Line] = _ToLines(file, text).transform(tree)
    if fast:
        # Two runs each in line order: sorting their concatenation merges them in one pass
        # (the sort finds the runs), in C; a stable sort keeps lark's line first on a tie,
        # as heapq.merge did.
        lines = sorted(lines + fast, key=_LINE_NUMBER)
    return _without_stray_colons(lines, source_lines, recovery.diagnostics)


_LINE_NUMBER = attrgetter("span.line")


# Built without the named tuples' own constructors: those are Python functions (a frame per
# call), and the fast path makes four or five of these per line, half a million for 100,000
# prompts. tuple.__new__ makes exactly the same tuple in C; the fields are in the classes'
# order, and the defaults of the fields after them are the classes' own.
_new = tuple.__new__
_HEADING_DEFAULTS = tuple(Heading._field_defaults.values())  # label, score, range, grade, values
_ATTRIBUTE_DEFAULTS = tuple(Attribute._field_defaults.values())  # qualifier

_GAP = "[ \t\f\u00a0]"  # what the grammar ignores between words (%ignore)
_REST = "[^ \t\f\u00a0\r\n][^\r\n]*"  # the grammar's TEXT
# Lines read without lark, each only in the form that lark lexes one way: a prompt as the
# grammar's PROMPT_LINES reads it, a heading keyword, a number and text each after a gap, and
# `text:`. Anything else (no gap where lark needs none, a carriage return) goes to lark.
_FAST_LINE = re.compile(
    f"(?P<indent>{_GAP}*)(?:"
    f"(?P<letter>[a-z]{{1,2}})\\){_GAP}+(?P<prompt>{_REST})"
    f"|(?P<kind>question|standard|domain){_GAP}+(?P<number>[0-9]+(?:\\.[0-9]+)*){_GAP}+(?P<heading>{_REST})"
    f"|text{_GAP}*:{_GAP}*(?P<text>{_REST})"
    ")"
)


def _fast_lines(file: str, source_lines: list[str]) -> tuple[list[Line], str]:
    """The lines `_FAST_LINE` reads, as lark's parse and `_ToLines` would make them, and the
    text with those lines blank, for lark."""
    fast: list[Line] = []
    rest: list[str] | None = None
    match = _FAST_LINE.fullmatch
    for index, written in enumerate(source_lines):
        found = match(written)
        if found is None:
            continue
        number = index + 1
        indent, letter, prompt, kind, numbered, heading, text = found.groups()
        column = len(indent) + 1
        # The line's span ends after its last non-blank character; a prompt's too, since
        # the line holds only its indent before it.
        line_span = _new(Span, (file, number, column, number, len(written.rstrip()) + 1))
        if letter is not None:  # as _ToLines.prompts splits a run of prompt lines
            word = _new(Word, (letter, _new(Span, (file, number, column, number, column + len(letter) + 1))))
            fast.append(_new(Heading, ("prompt", word, prompt.rstrip(), line_span, *_HEADING_DEFAULTS)))
        elif kind is not None:
            start = found.start("number") + 1
            word = _new(Word, (numbered, _new(Span, (file, number, start, number, start + len(numbered)))))
            fast.append(_new(Heading, (kind, word, heading.rstrip(), line_span, *_HEADING_DEFAULTS)))
        else:
            fast.append(_new(Attribute, ("text", text.rstrip(), line_span, *_ATTRIBUTE_DEFAULTS)))
        if rest is None:
            rest = list(source_lines)
        rest[index] = ""
    return fast, "\n".join(source_lines if rest is None else rest)


def _without_stray_colons(
    lines: list[Line], source_lines: list[str], diagnostics: list[Diagnostic]
) -> tuple[list[Line], list[Diagnostic]]:
    """Report a colon the grammar would take as the start of the text: `question 1.1.1: Does…`
    would publish ': Does…'. The line is kept without it, so nothing else follows from it.

    The colon goes after a keyword that introduces text (`title:`, `level pdu:`), never after
    a number or letter (`question 1.1.1`, `a)`), and never twice.
    """
    found = list(diagnostics)
    kept: list[Line] = []
    for line in lines:
        value = line.text if isinstance(line, Heading) else line.value if isinstance(line, Attribute) else None
        if isinstance(value, Word):  # include:, rounding:, score: keep their text as a word
            value = value.text
        if not (isinstance(value, str) and value.startswith(":")):
            kept.append(line)
            continue
        span = line.span
        written = source_lines[span.line - 1].rstrip() if 0 < span.line <= len(source_lines) else ""
        column = len(written) - len(value) + 1
        before = written[: column - 1].rstrip()
        rest = value[1:].lstrip()
        found.append(Code.SYNTAX_ERROR(
            f"a stray ':' after '{_clip(before.strip())}': the text would start with ':'",
            Span.point(span.file, span.line, column),
            help=f"did you mean '{_clip(before.strip() + ' ' + rest, 60)}'?",
        ))
        if isinstance(line, Heading):
            kept.append(line._replace(text=rest))
        elif isinstance(line, Attribute):  # a comment holds no value, so never gets here
            written_value = line.value
            kept.append(line._replace(value=Word(rest, written_value.span) if isinstance(written_value, Word) else rest))
    return kept, found
