"""Parsing line by line, with the lines seen before taken from memory, gives exactly what
parsing the whole text gives: the same lines, spans and syntax errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import FRAMEWORKS, TESTS

from precepts.dsl.incremental import parse_lines_incrementally
from precepts.dsl.parser import parse_lines


def _texts() -> list[Path]:
    found = []
    for path in sorted([*FRAMEWORKS.rglob("*.precepts"), *(TESTS / "fixtures").rglob("*.precepts")]):
        try:
            path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        found.append(path)
    return found


TEXTS = _texts()
REAL_LINES = [line for path in TEXTS[:6] for line in path.read_text(encoding="utf-8").split("\n")]


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: str(p.relative_to(TESTS.parent)))
def test_every_framework_and_fixture_parses_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert parse_lines_incrementally(text, "f.precepts") == parse_lines(text, "f.precepts")
    assert parse_lines_incrementally(text, "f.precepts") == parse_lines(text, "f.precepts")  # from memory


_line = st.one_of(
    st.sampled_from(REAL_LINES),
    st.sampled_from(REAL_LINES).flatmap(lambda line: st.integers(0, len(line)).map(lambda cut: line[:cut])),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=25),
)


@settings(max_examples=150)
@given(st.lists(_line, max_size=30).map("\n".join))
def test_any_text_parses_the_same(text: str) -> None:
    whole = parse_lines(text, "t.precepts")
    if len(whole[1]) >= 100:
        return  # the whole-text parse stops at 100 syntax errors; line by line has no such cap
    assert parse_lines_incrementally(text, "t.precepts") == whole


@pytest.mark.parametrize("text", ["a\r0", "framework x\r\ntitle: T\r\n", "framework x\rtitle: T\n", "\r\r\n\r"])
def test_carriage_returns_parse_the_same(text: str) -> None:
    assert parse_lines_incrementally(text, "t.precepts") == parse_lines(text, "t.precepts")


def test_a_process_turns_line_by_line_parsing_on_once_for_all_its_files(monkeypatch: pytest.MonkeyPatch) -> None:
    from precepts.dsl import incremental
    from precepts.dsl.loader import Source, parse_source

    monkeypatch.setattr(incremental, "_active", False)  # as a fresh process starts
    assert not incremental.active()
    incremental.activate()
    assert incremental.active()
    text = "framework a\nlevel pdu: PDU\n"
    document, diagnostics = parse_source(Source("f.precepts", text, ""))
    assert diagnostics == [] and list(document.lines) == parse_lines(text, "f.precepts")[0]


def test_line_by_line_parsing_still_skips_a_line_over_the_length_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from precepts.core.limits import Limits, applied
    from precepts.dsl import incremental
    from precepts.dsl.loader import Source, parse_source

    monkeypatch.setattr(incremental, "_active", True)
    with applied(Limits(line_chars=20)):
        document, diagnostics = parse_source(Source("f.precepts", "framework a\ntitle: " + "x" * 30 + "\nstandard\n", ""))
    assert [(d.code, d.span.line if d.span else 0) for d in diagnostics] == [("S006", 2), ("S002", 3)]
    assert [line.span.line for line in document.lines] == [1]
