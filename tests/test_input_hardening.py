"""Regression tests for the input faults of issue 13 (Diagnostics): each failed before its fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support import CHECK_FIXTURES, invoke, no_traceback

from precepts.core.codes import Code

VALID = (CHECK_FIXTURES / "S002" / "pass" / "main.precepts").read_text(encoding="utf-8")


def findings(path: Path, *options: str) -> list[dict[str, Any]]:
    result = invoke("check", "--format", "json", *options, path)
    no_traceback(result)
    return json.loads(result.stdout)["diagnostics"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(("encoding", "bom"), [("utf-16", True), ("utf-16-le", False), ("utf-16-be", False)])
def test_a_utf16_framework_is_named_as_such(tmp_path: Path, encoding: str, bom: bool) -> None:
    path = tmp_path / "windows.precepts"
    path.write_bytes(VALID.encode(encoding))
    [finding] = findings(path)
    assert finding["code"] == Code.UNREADABLE_FILE.code
    assert "is UTF-16 text" in finding["message"] and "binary" not in finding["message"]
    assert "UTF-8" in finding["help"]


# ---- a stray colon (issue 13 item 6) ------------------------------------------------------


def keyword_lines() -> list[str]:
    """A few lines of every kind the shipped frameworks and rules write."""
    from support import FRAMEWORKS

    by_kind: dict[str, list[str]] = {}
    for path in sorted(FRAMEWORKS.rglob("*.precepts")):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            kind = "prompt" if ")" in stripped.split(" ", 1)[0] else stripped.split(" ", 1)[0].rstrip(":")
            examples = by_kind.setdefault(kind, [])
            if len(examples) < 2:
                examples.append(stripped)
    return [line for examples in by_kind.values() for line in examples]


def with_stray_colon(line: str) -> str:
    """The slip: a doubled colon after a keyword that has one, else a colon after the
    keyword and its number, name or letter."""
    if ":" in line:
        return line.replace(":", "::", 1)
    words = line.split(" ")
    at = 1 if words[0].endswith(")") else 2
    return " ".join(words[:at]) + ":" + ("" if at >= len(words) else " " + " ".join(words[at:]))


@pytest.mark.parametrize("line", keyword_lines())
def test_every_keyword_line_rejects_a_stray_colon(line: str) -> None:
    from precepts.dsl.parser import parse_lines

    assert parse_lines(line + "\n", "f.precepts")[1] == [], "the line as written parses"
    slipped = with_stray_colon(line)
    _, diagnostics = parse_lines(slipped + "\n", "f.precepts")
    assert [d.code for d in diagnostics] == [Code.SYNTAX_ERROR.code], (slipped, diagnostics)
    [diagnostic] = diagnostics
    assert "stray ':'" in diagnostic.message, (slipped, diagnostic.message)
    assert diagnostic.help is not None and diagnostic.help.startswith("did you mean")
    assert slipped[diagnostic.span.column - 1] == ":"


def test_a_stray_colon_after_a_key_question_number(tmp_path: Path) -> None:
    path = tmp_path / "colon.precepts"
    path.write_text(VALID.replace("question 1.1.1 Does", "question 1.1.1: Does"), encoding="utf-8")
    [finding] = findings(path)
    assert (finding["code"], finding["span"]["line"], finding["span"]["column"]) == (Code.SYNTAX_ERROR.code, 15, 19)
    assert finding["help"] == "did you mean 'question 1.1.1 Does the vision drive a good service?'?"


# ---- keywords of several words, prompt letters beyond z (issue 13 item 7) -----------------


@pytest.mark.parametrize(("written", "meant"), [
    ("rated: not-rated", "not rated"), ("rated: by-judgement", "by judgement"), ("rated: percentages_only", "percentages only"),
])
def test_a_keyword_phrase_written_as_one_word(tmp_path: Path, written: str, meant: str) -> None:
    path = tmp_path / "phrase.precepts"
    path.write_text(VALID.replace("rated: by judgement", written), encoding="utf-8")
    [finding] = findings(path)
    assert finding["code"] == Code.SYNTAX_ERROR.code
    assert finding["span"]["column"] == 12
    assert finding["help"] == f"did you mean '{meant}'?"


def test_a_keyword_phrase_at_the_start_of_a_line(tmp_path: Path) -> None:
    path = tmp_path / "phrase.precepts"
    path.write_text(VALID.replace("status: draft", "prompt-limit: 12"), encoding="utf-8")
    [finding] = findings(path)
    assert finding["code"] == Code.UNKNOWN_KEYWORD.code
    assert finding["help"] == "did you mean 'prompt limit'?"


def lettered(count: int, letters: list[str] | None = None) -> str:
    from precepts.validators.structure import prompt_letter

    letters = letters or [prompt_letter(i) for i in range(count)]
    prompts = "\n".join(f"      {letter}) Is point {i} covered?" for i, letter in enumerate(letters))
    return VALID.replace("      a) Are staff engaged?\n      b) Is the culture open?\n", prompts + "\n").replace(
        "status: draft", "status: draft\nprompt limit: 60\nwords: aa")


def test_prompt_letters_after_z_double(tmp_path: Path) -> None:
    from precepts.validators.structure import prompt_letter

    assert [prompt_letter(i) for i in (0, 25, 26, 27, 51)] == ["a", "z", "aa", "bb", "zz"]
    path = tmp_path / "long.precepts"
    path.write_text(lettered(30), encoding="utf-8")
    assert findings(path, "--ignore", "T") == []


def test_a_letter_after_z_that_does_not_double_explains_the_rule(tmp_path: Path) -> None:
    from precepts.validators.structure import prompt_letter

    letters = [prompt_letter(i) for i in range(26)] + ["ab"]
    path = tmp_path / "long.precepts"
    path.write_text(lettered(0, letters), encoding="utf-8")
    [finding] = findings(path, "--ignore", "T")
    assert finding["code"] == Code.NUMBER_SEQUENCE.code
    assert "prompt ab) comes after prompt z); expected aa)" in finding["message"]
    assert "aa), bb), cc)" in finding["help"]


# ---- input limits (issue 13 item 14) ----------------------------------------------------------


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.precepts"
    path.write_text(VALID + "# padding\n" * 120_000, encoding="utf-8")  # about 1.2 MB
    [finding] = findings(path, "--max-file-size", "1")
    assert finding["code"] == Code.INPUT_TOO_LARGE.code
    assert "more than the 1 MB precepts reads" in finding["message"]
    assert "--max-file-size" in finding["help"]
    assert findings(path, "--max-file-size", "2") == []


def test_the_file_size_limit_applies_to_an_included_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "precepts.toml").write_text("", encoding="utf-8")
    (tmp_path / "rules.precepts").write_text("rules shared\n" + "# padding\n" * 120_000, encoding="utf-8")
    path = tmp_path / "main.precepts"
    path.write_text(VALID.replace("status: draft\n", "status: draft\ninclude: rules.precepts\n"), encoding="utf-8")
    monkeypatch.setenv("PRECEPTS_MAX_FILE_SIZE", "1")
    codes = [f["code"] for f in findings(path)]
    assert Code.BAD_INCLUDE.code in codes
    monkeypatch.setenv("PRECEPTS_MAX_FILE_SIZE", "0")  # no limit
    assert findings(path) == []


def test_a_line_over_the_length_limit_is_reported_once_and_the_rest_checked(tmp_path: Path) -> None:
    path = tmp_path / "long.precepts"
    long_prompt = "      b) Is the culture open" + " and fair" * 200_000 + "?"  # 1.8 MB on one line
    path.write_text(VALID.replace("      b) Is the culture open?", long_prompt), encoding="utf-8")
    result = findings(path)
    assert [(f["code"], f["span"]["line"], f["span"]["column"]) for f in result] == [(Code.INPUT_TOO_LARGE.code, 17, 10_001)]
    assert "1,800,029 characters" in result[0]["message"]
    assert findings(path, "--max-line-length", "0", "--ignore", "T") == []


def test_findings_of_one_code_are_capped_per_file_with_a_count_of_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "many.precepts"
    statements = "".join(f"      {chr(99 + i % 20)}{chr(99 + i // 20)}) Staff are engaged in area {i}.\n" for i in range(300))
    path.write_text(VALID.replace("      b) Is the culture open?\n", "      b) Is the culture open?\n" + statements)
                    .replace("status: draft", "status: draft\nprompt limit: 400"), encoding="utf-8")
    every = [f for f in findings(path, "--max-findings-per-code", "0") if f["code"] == Code.NOT_A_QUESTION.code]
    assert len(every) == 300
    capped = [f for f in findings(path, "--max-findings-per-code", "25") if f["code"] == Code.NOT_A_QUESTION.code]
    assert len(capped) == 26
    assert capped[:25] == every[:25]
    assert capped[25]["message"].startswith("275 more like this in ")
    assert "--max-findings-per-code" in capped[25]["help"]
    assert len([f for f in findings(path) if f["code"] == Code.NOT_A_QUESTION.code]) == 101, "100 by default"
