"""Known bugs: each test asserts the correct behaviour, which precepts does not have yet.

They are marked xfail(strict=True): they run on every test run, and the moment a bug is
fixed its test passes, the run fails on the unexpected pass, and the marker must be
removed, so the test then guards the fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import CHECK_FIXTURES, invoke, no_traceback

from precepts.codes import Code
from precepts.diagnostics import Diagnostic
from precepts.pipeline import check_path

pending = pytest.mark.xfail(strict=True)

HEADER = (
    "framework demo\n"
    "level pdu: PDU inspection\n"
    "scale rating: Rating levels\n"
    '  grade inadequate "Inadequate"\n'
    '  grade good "Good"\n'
)
STANDARD = (
    "domain 1 Domain one\n"
    "  standard 1.1 Leadership\n"
    "    text: The leadership enables a good service.\n"
    "    rated: by judgement\n"
    "    question 1.1.1 Does the vision drive a good service?\n"
    "      a) Are staff engaged?\n"
)


def findings(path: Path, code: Code) -> list[Diagnostic]:
    return [d for d in check_path(path).diagnostics if d.code == code.code]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.precepts"
    path.write_text(text, encoding="utf-8")
    return path


@pending(reason="N002 prints 'after prompt a;' where the README documents 'after prompt a);'")
def test_prompt_sequence_message_matches_the_readme() -> None:
    [prompt] = [
        d for d in findings(CHECK_FIXTURES / "N002" / "fail" / "main.precepts", Code.NUMBER_SEQUENCE)
        if d.span is not None and d.span.line == 15
    ]
    assert prompt.message == "prompt c) comes after prompt a); expected b)"


@pending(reason="N002 for key questions reads 'key question of 1.1 at pdu: 3 comes after key question of 1.1 at pdu: 1'")
def test_key_question_sequence_message_names_the_published_numbers() -> None:
    [question] = [
        d for d in findings(CHECK_FIXTURES / "N002" / "fail" / "main.precepts", Code.NUMBER_SEQUENCE)
        if d.span is not None and d.span.line == 18
    ]
    assert "1.1.3" in question.message
    assert "1.1.1" in question.message
    assert "expected 1.1.2" in question.message


@pending(reason="M004 says 'is 1.1 Leadership here' while pointing at the line that says 1.2 Leadership and culture")
def test_inconsistent_parts_message_describes_the_line_it_points_at() -> None:
    [finding] = findings(CHECK_FIXTURES / "M004" / "fail" / "main.precepts", Code.INCONSISTENT_PARTS)
    assert finding.span is not None and finding.span.line == 24  # standard 1.2 Leadership and culture
    assert "1.2 Leadership and culture here" in finding.message
    assert "1.1 Leadership at region" in finding.message


@pending(reason="M001 for an attribute value says 'defined value of case-types', naming an attribute that does not exist")
def test_unknown_attribute_value_message_names_the_attribute() -> None:
    [finding] = [
        d for d in findings(CHECK_FIXTURES / "M001" / "fail" / "main.precepts", Code.UNKNOWN_NAME)
        if "post-custdy" in d.message
    ]
    assert "case-types" not in finding.message
    assert "community, post-custody" in finding.message


@pending(reason="'prompt limit: 0' is reported as invalid (M002) and then used anyway: N004 on every key question")
def test_an_invalid_prompt_limit_is_not_applied(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace("framework demo\n", "framework demo\nprompt limit: 0\n") + STANDARD)
    assert [d.span.line for d in findings(path, Code.INVALID_VALUE) if d.span] == [2]
    assert findings(path, Code.TOO_MANY_PROMPTS) == []


@pending(reason="an unknown banding in 'rated: from cases using' is not reported when the standard is left at no level")
def test_unknown_banding_is_reported_even_when_an_earlier_error_leaves_no_level(tmp_path: Path) -> None:
    text = HEADER + STANDARD.replace("rated: by judgement", "rated: from cases using case-result").replace(
        "domain 1 Domain one\n", "domain 1 Domain one\n  at: pdus\n"
    )
    path = write(tmp_path, text)
    assert [d.span.line for d in findings(path, Code.UNKNOWN_NAME) if d.span] == [7, 10]


@pending(reason="a no-break space (U+00A0) before a keyword gives \"unknown keyword '\ufffdlevel pdu: PDU'\", hiding the cause")
def test_a_no_break_space_is_named_or_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace("level pdu", "\u00a0level pdu") + STANDARD)
    syntax = [d for d in check_path(path).diagnostics if d.code in (Code.SYNTAX_ERROR.code, Code.UNKNOWN_KEYWORD.code)]
    # Pasted text often indents with no-break spaces: accept them as indentation, or say which character it is.
    assert all("U+00A0" in d.message and "\ufffd" not in d.message for d in syntax), [d.message for d in syntax]


@pending(reason="--select with a readable name or an unknown code selects nothing: a failing file exits 0")
@pytest.mark.parametrize("choice", ["duplicate-prompt", "X999"])
def test_select_of_an_unknown_code_is_not_silently_empty(choice: str) -> None:
    result = invoke("check", "--select", choice, CHECK_FIXTURES / "D001" / "fail" / "main.precepts")
    no_traceback(result)
    # Either the readable name is understood (and D001 reported), or the unknown code is a usage error.
    if result.exit_code == 1:
        assert f" {Code.DUPLICATE_PROMPT.code} " in result.stdout
    else:
        assert result.exit_code == 2
        assert choice in result.stderr
