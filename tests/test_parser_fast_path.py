"""The parser reads the commonest lines itself and leaves the rest to lark (issue 15); the
lines and the syntax errors must be exactly those of lark alone on the whole text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import REPO_ROOT

from precepts.core.diagnostics import Diagnostic
from precepts.dsl import parser
from precepts.dsl.ast import Line


@contextmanager
def _lark_alone() -> Iterator[None]:
    saved = parser._FAST_LINE
    parser._FAST_LINE = re.compile(r"(?!)")  # matches no line: lark parses them all
    try:
        yield
    finally:
        parser._FAST_LINE = saved


def _both(text: str) -> tuple[tuple[list[Line], list[Diagnostic]], tuple[list[Line], list[Diagnostic]]]:
    fast = parser.parse_lines(text, "f.precepts")
    with _lark_alone():
        alone = parser.parse_lines(text, "f.precepts")
    return fast, alone


_FILES = sorted(
    [*REPO_ROOT.joinpath("frameworks").rglob("*.precepts"), *REPO_ROOT.joinpath("tests", "fixtures").rglob("*.precepts")]
)


def test_there_are_files_to_compare() -> None:
    assert len(_FILES) > 50


@pytest.mark.parametrize("path", _FILES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_every_framework_and_fixture_parses_as_with_lark_alone(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    fast, alone = _both(text)
    assert fast == alone


def test_the_fast_path_reads_the_common_lines() -> None:
    text = "domain 1 One\n  standard 1.1 Two\n    text: Three\n    question 1.1.1 Four?\n      a) Five?\n"
    fast, rest = parser._fast_lines("f.precepts", text.split("\n"))
    assert [line.span.line for line in fast] == [1, 2, 3, 4, 5] and not rest.strip()
    assert _both(text)[0] == _both(text)[1]


_GAPS = st.sampled_from(["", " ", "  ", "\t", "\u00a0", "\f", "\u2003", " \u00a0"])
_WORDS = st.sampled_from([
    "question", "standard", "domain", "text", "text:", "text :", "a)", "b)", "ab)", "abc)", "A)", "a)x", "a.", "(a)",
    "1", "1.1", "1.1.1", "1.1.", "1..1", "2a", ":", "::", "Does it?", "# note", "#", "\r", "x\ry", "questions",
    "standard1.1", "level pdu: PDU", "rated: by judgement", "id: leadership", "at: pdu", "scale rating: Rating",
    '"quoted"', "see: 1.1.1a", "total score", "free text: Why?", "questionnaire q: Q", "domain 1", "is",
])


@st.composite
def _line(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.tuples(_GAPS, _WORDS), max_size=5))
    return draw(_GAPS) + "".join(gap + word for gap, word in pieces) + draw(_GAPS)


@settings(max_examples=300)
@given(st.lists(_line(), max_size=12), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_random_lines_parse_as_with_lark_alone(lines: list[str], newline: str, final_newline: bool) -> None:
    text = newline.join(lines) + (newline if final_newline else "")
    fast, alone = _both(text)
    assert fast == alone


def test_past_the_cap_on_syntax_errors_the_same_lines_and_errors() -> None:
    text = "framework f\n" + "".join(f"  a) Prompt {i}?\nbroken line {i}\n" for i in range(parser.MAX_SYNTAX_ERRORS + 20))
    fast, alone = _both(text)
    assert len(alone[1]) == parser.MAX_SYNTAX_ERRORS
    assert fast == alone
