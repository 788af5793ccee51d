"""`precepts fmt`: the canonical layout is lossless, idempotent and safe to run in CI."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import FRAMEWORK_2021, FRAMEWORKS, TESTS, invoke

from precepts.dsl.format import FormatError, format_text

SHIPPED = sorted(FRAMEWORKS.rglob("*.precepts"))


def _utf8_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*.precepts")):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        try:
            format_text(text, str(path))
        except FormatError:
            continue  # fixtures of syntax errors: fmt refuses them (tested below)
        found.append(path)
    return found


FORMATTABLE = SHIPPED + _utf8_files(TESTS / "fixtures")


def _compiled(folder: Path, name: str) -> dict[str, Any]:
    result = invoke("compile", folder / name)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output) if result.output.strip() else {}


def _without_places(value: Any) -> Any:
    """The compiled model without what records where the text stood: line numbers and the
    file's own sha256, which differ by design when blank lines move or a byte changes."""
    if isinstance(value, dict):
        return {k: _without_places(v) for k, v in value.items() if k not in {"line", "sha256"}}
    if isinstance(value, list):
        return [_without_places(v) for v in value]
    return value


def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def _verbatim_texts(text: str) -> list[str]:
    """Prompt texts and `text:` values: what must never change by a character."""
    found = []
    for line in text.splitlines():
        stripped = line.strip()
        match = re.match(r"[a-z]{1,2}\)\s+(.*)", stripped)
        if match:
            found.append(match.group(1).rstrip())
        elif re.match(r"(text|source|note)\s*:", stripped):
            found.append(stripped.split(":", 1)[1].strip(" \t\u00a0"))
    return found


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_the_shipped_frameworks_are_formatted(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text, str(path)) == text


@pytest.mark.parametrize("path", FORMATTABLE, ids=lambda p: str(p.relative_to(TESTS.parent)))
def test_formatting_is_idempotent_and_keeps_every_comment_and_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    once = format_text(text, str(path))
    assert format_text(once, str(path)) == once
    assert sorted(_comments(once)) == sorted(_comments(text))
    assert _verbatim_texts(once) == _verbatim_texts(text)


def test_formatting_keeps_the_compiled_model(tmp_path: Path) -> None:
    """Messy but valid layout of the 2021 framework compiles to the same model once formatted."""
    (tmp_path / "precepts.toml").write_text("", encoding="utf-8")
    (tmp_path / "shared").mkdir()
    shared = FRAMEWORKS / "shared" / "hmip-case-ratings.precepts"
    (tmp_path / "shared" / shared.name).write_text(shared.read_text(encoding="utf-8"), encoding="utf-8")
    text = FRAMEWORK_2021.read_text(encoding="utf-8")
    messy = "\n".join(_mess(line, i) for i, line in enumerate(text.split("\n")))
    (tmp_path / "f.precepts").write_text(messy, encoding="utf-8")
    before = _compiled(tmp_path, "f.precepts")
    (tmp_path / "f.precepts").write_text(format_text(messy), encoding="utf-8")
    after = _compiled(tmp_path, "f.precepts")
    assert before and _without_places(before) == _without_places(after)
    assert format_text(messy) == text  # the shipped file is in the canonical layout


def _mess(line: str, index: int) -> str:
    """The same line as an author might type it: other indentation, spacing around ':'."""
    stripped = line.strip()
    if not stripped:
        return "  " if index % 3 else ""
    indent = " " * (index % 7)
    if re.match(r"[a-z]{1,2}\)", stripped):
        letter, rest = stripped.split(")", 1)
        return f"{indent}{letter})   {rest.lstrip()}"
    if stripped.startswith("#"):
        return indent + stripped + "   "
    key, colon, rest = stripped.partition(": ")
    if colon and " " not in key.strip():
        return f"{indent}{key}  :   {rest}  "
    return f"{indent}{stripped}\t"


# ---- property tests over generated frameworks ---------------------------------------------------

_words = st.text(alphabet=st.characters(whitelist_categories=("L", "N"), max_codepoint=0x24F), min_size=1, max_size=8)
# Verbatim text as published: words one or two spaces apart, ending in a question mark, a quote
# (a quoted word at the end), a closing quote after the question mark, or a bracket.
_sentence = st.builds(lambda words, gap, end: gap.join(words) + end,
                      st.lists(_words, min_size=1, max_size=6), st.sampled_from([" ", "  "]),
                      st.sampled_from(["?", '"', '?"', "?”", ")", ""]))
_space = st.sampled_from(["", " ", "  ", "\t", "    ", "\u00a0"])
_comment = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\r\n\x85\u2028\u2029"),
                   max_size=20).map(lambda s: "#" + s)


@st.composite
def _framework(draw: st.DrawFn) -> str:
    """A framework whose lines are valid but laid out every which way, with comments between."""
    lines = ["framework generated", f"title:{draw(_space)} {draw(_sentence)}"]
    for d in range(1, draw(st.integers(1, 2)) + 1):
        lines.append(f"{draw(_space)}domain {d} {draw(_sentence)}")
        for s in range(1, draw(st.integers(1, 2)) + 1):
            lines.append(f"{draw(_space)}standard {d}.{s}{draw(_space)} {draw(_sentence)}")
            lines.append(f"{draw(_space)}text{draw(_space)}:{draw(_space)} {draw(_sentence)}")
            for q in range(1, draw(st.integers(1, 2)) + 1):
                lines.append(f"{draw(_space)}question {d}.{s}.{q} {draw(_sentence)}")
                for letter in "abcd"[: draw(st.integers(1, 4))]:
                    lines.append(f"{draw(_space)}{letter}){draw(_space)} {draw(_sentence)}")
                    if draw(st.booleans()):
                        lines.append(draw(_space) + draw(_comment))
                    if draw(st.booleans()):
                        lines.append(draw(_space))
    return "\n".join(line + draw(_space) for line in lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_framework())
def test_generated_frameworks_reach_a_fixed_point_and_keep_comments(text: str) -> None:
    once = format_text(text)
    assert format_text(once) == once
    assert sorted(_comments(once)) == sorted(c.rstrip() for c in _comments(text))
    assert _verbatim_texts(once) == [t.rstrip(" \t\u00a0") for t in _verbatim_texts(text)]
    assert all(line == line.rstrip() for line in once.split("\n"))


def test_an_elements_lines_take_the_canonical_order_with_their_comments() -> None:
    text = ("framework x\ntitle: X\n\ndomain 1 One\n\n  standard 1.1 Two\n    waive N006: as published\n"
            "    rated: not rated\n    # about the text\n    text: Text.\n    note: first\n    note: second\n")
    assert format_text(text) == (
        "framework x\ntitle: X\n\ndomain 1 One\n\n  standard 1.1 Two\n    # about the text\n    text: Text.\n"
        "    rated: not rated\n    note: first\n    note: second\n    waive N006: as published\n")


def test_text_ending_in_a_quote_is_kept_as_written() -> None:
    # Spacing inside verbatim text is the author's, also when the text ends with a quoted word.
    text = ('framework x\ntitle:   The  word "open"\n\ndomain 1 One  "two"\n\n  standard 1.1 Two\n'
            '    text:  Say  "yes"\n')
    assert format_text(text) == ('framework x\ntitle: The  word "open"\n\ndomain 1 One  "two"\n\n'
                                 '  standard 1.1 Two\n    text: Say  "yes"\n')


def test_the_blank_line_before_a_heading_goes_above_the_comments_on_it() -> None:
    text = ('framework x\nlevel a: A\n# the scale\nscale s: S\n  grade g "G"\ndomain 1 One\n  # about two\n'
            '  standard 1.1 Two\n    text: T.\n')
    assert format_text(text) == ('framework x\n\nlevel a: A\n\n# the scale\nscale s: S\n  grade g "G"\n\n'
                                 'domain 1 One\n\n  # about two\n  standard 1.1 Two\n    text: T.\n')


def test_a_blank_line_keeps_the_lines_on_each_side_apart() -> None:
    text = "framework x\ntitle: X\n\ndomain 1 One\n\n  standard 1.1 Two\n    rated: not rated\n\n    text: Text.\n"
    assert format_text(text) == text


# ---- the command -----------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "tidy.precepts").write_text("framework tidy\ntitle: Tidy\n", encoding="utf-8")
    (tmp_path / "messy.precepts").write_text("framework messy\n  title :   Messy  \n", encoding="utf-8")
    return tmp_path


def test_check_names_the_files_that_would_change_and_changes_nothing(folder: Path) -> None:
    result = invoke("fmt", "--check", folder)
    assert result.exit_code == 1
    assert "would reformat" in result.output and "messy.precepts" in result.output
    assert "tidy.precepts" not in result.output
    assert (folder / "messy.precepts").read_text(encoding="utf-8") == "framework messy\n  title :   Messy  \n"


def test_diff_prints_a_unified_diff(folder: Path) -> None:
    result = invoke("fmt", "--diff", folder / "messy.precepts")
    assert result.exit_code == 1
    assert "-  title :   Messy  \n+title: Messy\n" in result.output


def test_fmt_rewrites_then_check_passes(folder: Path) -> None:
    assert invoke("fmt", folder).exit_code == 0
    assert (folder / "messy.precepts").read_text(encoding="utf-8") == "framework messy\ntitle: Messy\n"
    assert invoke("fmt", "--check", folder).exit_code == 0
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_a_file_with_syntax_errors_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "broken.precepts"
    text = "framework broken\n  title :  x\nquestoin 1.1.1 Is it?\n"
    path.write_text(text, encoding="utf-8")
    result = invoke("fmt", path)
    assert result.exit_code == 1
    assert "S003" in result.stderr and "not formatted" in result.stderr
    assert path.read_text(encoding="utf-8") == text


def test_crlf_and_byte_order_mark_become_plain_lf(tmp_path: Path) -> None:
    path = tmp_path / "windows.precepts"
    path.write_bytes("\ufeffframework w\r\ntitle: W\r\n".encode())
    assert invoke("fmt", "--check", path).exit_code == 1
    assert invoke("fmt", path).exit_code == 0
    assert path.read_bytes() == b"framework w\ntitle: W\n"


def test_fmt_check_passes_on_the_shipped_frameworks() -> None:
    """What CI asks: `precepts fmt --check frameworks`."""
    result = invoke("fmt", "--check", FRAMEWORKS)
    assert result.exit_code == 0, result.output + result.stderr


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("fmt", tmp_path / "nowhere.precepts")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_runs_of_blank_lines_become_one_and_none_start_or_end_the_file() -> None:
    text = "\n\nframework x\ntitle: X\n\n\n\ndomain 1 One\n\n\n  standard 1.1 Two\n    text: T.\n\n\n"
    assert format_text(text) == "framework x\ntitle: X\n\ndomain 1 One\n\n  standard 1.1 Two\n    text: T.\n"
