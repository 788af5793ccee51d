"""The language server's features on any text: whatever an author has typed so far, every
feature answers (possibly with nothing) and none raises. In process, for many examples; the
server process itself is tested in test_lsp.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from support import FRAMEWORK_2021

from precepts.lsp import features
from precepts.lsp.analysis import analyse
from precepts.lsp.positions import Lines

REAL_LINES = FRAMEWORK_2021.read_text(encoding="utf-8").split("\n")[:120]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lsp-project")
    (root / "precepts.toml").write_text("", encoding="utf-8")
    return root


# Texts an author might have on screen mid-edit: real lines cut, joined, repeated, and noise.
_line = st.one_of(
    st.sampled_from(REAL_LINES),
    st.sampled_from(REAL_LINES).flatmap(lambda line: st.integers(0, len(line)).map(lambda cut: line[:cut])),
    st.text(max_size=30),
)
texts = st.lists(_line, max_size=40).map("\n".join)


@settings(max_examples=80)
@given(text=texts, line=st.integers(0, 45), character=st.integers(0, 90))
def test_every_feature_answers_on_any_text(project: Path, text: str, line: int, character: int) -> None:
    path = project / "draft.precepts"
    analysis = analyse(path, text, {})
    lines = Lines(text)
    position = types.Position(line=line, character=character)
    found = features.diagnostics(analysis, lines)
    assert all(d.range.start.line <= max(len(lines.lines) - 1, 0) for d in found)
    features.hover(analysis, lines, position)
    features.definition(analysis, lines, position)
    features.references(analysis, lines, position, True)
    features.completion(analysis, lines, position)
    features.symbols(analysis, lines)
    whole = types.Range(start=position, end=position)
    features.code_actions(analysis, lines, path.as_uri(), types.CodeActionContext(diagnostics=found), whole)
    features.formatting(text, "draft.precepts")


def test_positions_count_utf16_code_units() -> None:
    lines = Lines("a) \U0001d11e clef, then more")
    position = lines.to_position(1, 6)  # the character after the clef
    assert position.character == 6  # the clef is two UTF-16 code units
    assert lines.to_column(position) == 6
    assert lines.word_at(types.Position(line=0, character=8))[0] == "clef"


def test_renumbering_follows_an_inserted_key_question() -> None:
    text = ("  standard 1.2 Two\n    question 1.2.1 A?\n    question 1.2.2 New?\n      a) x?\n"
            "    question 1.2.2 B?\n    question 1.2.3 C?\n  standard 1.3 Three\n    question 1.3.1 D?\n")
    found = features.renumber_following(Lines(text), 2)
    assert found is not None
    title, edits = found
    assert title == "Renumber the following key questions from 1.2.2"
    assert [(e.range.start.line, e.new_text) for e in edits] == [(4, "1.2.3"), (5, "1.2.4")]


def test_hover_on_a_band_says_its_rule_in_words(project: Path) -> None:
    text = (FRAMEWORK_2021.parent / "shared" / "hmip-case-ratings.precepts").read_text(encoding="utf-8")
    path = project / "shared-rules.precepts"
    analysis = analyse(path, text, {})
    lines = Lines(text)
    line = next(i for i, row in enumerate(text.split("\n")) if row.strip().startswith("band") and "80%" in row)
    found = features.hover(analysis, lines, types.Position(line=line, character=4))
    assert found is not None and isinstance(found.contents, types.MarkupContent)
    assert found.contents.value.startswith("**band of case-results**") and "80%" in found.contents.value
