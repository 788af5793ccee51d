"""Regression tests: each guards the fix of a bug found while testing precepts."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import CHECK_FIXTURES, invoke, no_traceback

from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic
from precepts.pipeline import check_path

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


def test_prompt_sequence_message_matches_the_readme() -> None:
    [prompt] = [
        d for d in findings(CHECK_FIXTURES / "N002" / "fail" / "main.precepts", Code.NUMBER_SEQUENCE)
        if d.span is not None and d.span.line == 15
    ]
    assert prompt.message == "prompt c) comes after prompt a); expected b)"


def test_key_question_sequence_message_names_the_published_numbers() -> None:
    [question] = [
        d for d in findings(CHECK_FIXTURES / "N002" / "fail" / "main.precepts", Code.NUMBER_SEQUENCE)
        if d.span is not None and d.span.line == 18
    ]
    assert "1.1.3" in question.message
    assert "1.1.1" in question.message
    assert "expected 1.1.2" in question.message


def test_inconsistent_parts_message_describes_the_line_it_points_at() -> None:
    [finding] = findings(CHECK_FIXTURES / "M004" / "fail" / "main.precepts", Code.INCONSISTENT_PARTS)
    assert finding.span is not None and finding.span.line == 24  # standard 1.2 Leadership and culture
    assert "1.2 Leadership and culture here" in finding.message
    assert "1.1 Leadership at region" in finding.message


def test_unknown_attribute_value_message_names_the_attribute() -> None:
    [finding] = [
        d for d in findings(CHECK_FIXTURES / "M001" / "fail" / "main.precepts", Code.UNKNOWN_NAME)
        if "post-custdy" in d.message
    ]
    assert "case-types" not in finding.message
    assert "community, post-custody" in finding.message


def test_an_invalid_prompt_limit_is_not_applied(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace("framework demo\n", "framework demo\nprompt limit: 0\n") + STANDARD)
    assert [d.span.line for d in findings(path, Code.INVALID_VALUE) if d.span] == [2]
    assert findings(path, Code.TOO_MANY_PROMPTS) == []


def test_unknown_banding_is_reported_even_when_an_earlier_error_leaves_no_level(tmp_path: Path) -> None:
    text = HEADER + STANDARD.replace("rated: by judgement", "rated: from cases using case-result").replace(
        "domain 1 Domain one\n", "domain 1 Domain one\n  at: pdus\n"
    )
    path = write(tmp_path, text)
    assert [d.span.line for d in findings(path, Code.UNKNOWN_NAME) if d.span] == [7, 10]


def test_a_no_break_space_is_named_or_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace("level pdu", "\u00a0level pdu") + STANDARD)
    syntax = [d for d in check_path(path).diagnostics if d.code in (Code.SYNTAX_ERROR.code, Code.UNKNOWN_KEYWORD.code)]
    # Pasted text often indents with no-break spaces: accept them as indentation, or say which character it is.
    assert all("U+00A0" in d.message and "\ufffd" not in d.message for d in syntax), [d.message for d in syntax]


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


@pytest.mark.parametrize(("written", "mark"), [
    ("a. Are staff engaged?", "a."), ("(a) Are staff engaged?", "(a)"), ("a - Are staff engaged?", "a -"),
    ("A: Are staff engaged?", "A:"),
])
def test_a_prompt_lettered_another_way_says_how_to_letter_it(tmp_path: Path, written: str, mark: str) -> None:
    """Written as in a word processor's list, a prompt was reported as an unknown keyword."""
    path = write(tmp_path, HEADER + STANDARD.replace("a) Are staff engaged?", written))
    found = findings(path, Code.UNKNOWN_KEYWORD)
    assert [(d.message, d.help) for d in found] == [
        (f"a prompt letter is written 'a)', not '{mark}'", "write 'a) Are staff engaged?'"),
    ]


CASCADE = """\
framework demo
level pdu: PDU
scale rating: Rating
  grade inadequate "Inadequate"
  grade good "Good"
banding results: Results
  scale: rating
  rounding: half up to whole percent
  band below 50% gives inadequat
  band 50% and above give good
domain 1 Domain one
  standard 1.1 Leadership
    text: Leadership is good.
    rated: from case using results
    question 1.1.1 Is leadership good?
      a. Is there a vision?
      b) Is it shared?
    question 1.1.3 Is it effective?
      a) Does it work?
"""


def test_findings_that_follow_from_a_broken_line_are_held_back(tmp_path: Path) -> None:
    """A dropped line left gaps the checks reported as faults of their own: 'does not say
    how it is rated', 'does not cover 0-100%', 'b) comes as the first prompt'."""
    result = check_path(write(tmp_path, CASCADE))
    shown = sorted((d.code, d.span.line) for d in result.diagnostics if d.span)
    held = sorted((d.code, d.span.line) for d in result.held_back if d.span)
    assert held == [("L002", 12), ("N002", 17), ("R003", 6)]
    # real faults stay: a misspelt grade, a key question numbered 1.1.3 after 1.1.1
    assert ("R002", 9) in shown and ("N002", 18) in shown
    assert [c for c, _ in shown].count("S002") == 2 and ("S003", 16) in shown


def test_held_back_findings_are_counted_in_text_and_json(tmp_path: Path) -> None:
    path = write(tmp_path, CASCADE)
    text = invoke("check", path)
    assert text.exit_code == 1
    assert "3 more findings may only follow from the faults above, so they are held back" in text.stdout
    assert "does not say how it is rated" not in text.stdout
    document = __import__("json").loads(invoke("check", "--format", "json", path).stdout)
    assert document["summary"]["held_back"] == 3


def test_nothing_is_held_back_without_a_syntax_error(tmp_path: Path) -> None:
    fixed = CASCADE.replace("a. Is", "a) Is").replace(" give good", " gives good").replace("from case using",
                                                                                           "from cases using")
    result = check_path(write(tmp_path, fixed))
    assert result.held_back == ()
    assert not [d for d in result.diagnostics if d.code.startswith("S")]


SLIP_HEAD = """framework demo
level pdu: PDU inspection

scale rating: Rating levels
  grade inadequate "Inadequate"
  grade good "Good"

"""
SLIP_BODY = """domain 1 Domain one
  standard 1.1 Leadership
    text: The leadership is good.
    rated: by judgement

    question 1.1.1 Is the vision clear?
      a) Are staff engaged?
      b) Are plans shared?
"""
SLIPS = {
    # The header misspelt: everything after it is "before the framework header" only because
    # the header could not be read.
    "a misspelt framework header": (
        SLIP_HEAD.replace("framework demo", "framwork demo") + SLIP_BODY, [("S003", 1)], [("M003", 2)]),
    "a broken framework header below a comment": (
        "# a comment\n" + SLIP_HEAD.replace("framework demo", "framework: demo") + SLIP_BODY, [("S002", 2)], [("M003", 3)]),
    # A misspelt heading: the lines indented under it are misplaced only because it was dropped,
    # past comments and blank lines, and its standard is empty only because of it.
    "a misspelt key question": (
        SLIP_HEAD + SLIP_BODY.replace("    question 1.1.1", "    questoin 1.1.1"),
        [("S003", 13)], [("N006", 9), ("S004", 14), ("S004", 15)]),
    "a misspelt key question above a comment and a blank line": (
        SLIP_HEAD + SLIP_BODY.replace("    question 1.1.1 Is the vision clear?\n",
                                      "    questoin 1.1.1 Is the vision clear?\n      # the prompts\n\n"),
        [("S003", 13)], [("N006", 9), ("S004", 16), ("S004", 17)]),
    # A prompt that could not be read but reads like one: b) is not the first prompt.
    "a prompt lettered a.": (
        SLIP_HEAD + SLIP_BODY.replace("      a) Are staff engaged?", "      a. Are staff engaged?"),
        [("S003", 14)], [("N002", 15)]),
    # A broken prompt after another prompt belongs to their key question, not to the prompt
    # above it at the same indentation: c) after it is not out of sequence.
    "a second prompt lettered b.": (
        SLIP_HEAD + SLIP_BODY.replace("      b) Are plans shared?", "      b. Are plans shared?\n      c) Are plans kept?"),
        [("S003", 15)], [("N002", 16)]),
    # The last line of a file without a newline at its end is read at its own indentation.
    "a broken last prompt, with no newline after it": (
        SLIP_HEAD + SLIP_BODY.replace("      a) Are staff engaged?\n      b) Are plans shared?\n", "      a. Are staff engaged?"),
        [("S003", 14)], [("N006", 13)]),
    # A misspelt domain heading belongs to the framework: the domain after it is not out of sequence.
    "a misspelt domain heading": (
        SLIP_HEAD + SLIP_BODY + "\ndomian 2 Domain two\n\ndomain 3 Domain three\n  standard 3.1 Partners\n"
        "    text: Partners work together.\n    rated: by judgement\n\n"
        "    question 3.1.1 Do partners plan together?\n      a) Are there joint plans?\n",
        [("S003", 17)], [("N002", 19)]),
    # A line that does not read like a prompt: b) is the first prompt there is.
    "a line that is not a prompt": (
        SLIP_HEAD + SLIP_BODY.replace("      a) Are staff engaged?", "      a Are staff engaged?"),
        [("N002", 15), ("S003", 14)], []),
    # A misspelt header holds back only what comes before the first block read: a prompt
    # misplaced further down is a fault of its own.
    "a misspelt framework header, and a prompt misplaced below it": (
        SLIP_HEAD.replace("framework demo", "framwork demo")
        + SLIP_BODY.replace("    rated: by judgement\n", "    rated: by judgement\n      a) Is the vision shared?\n"),
        [("S003", 1), ("S004", 12)], [("M003", 2)]),
    # A broken first line that does not read like a header: the title indented under it is
    # misplaced only because of it.
    "a broken first line with a title indented under it": (
        "frmwk demo\n  title: Demo\n" + SLIP_HEAD + SLIP_BODY, [("S003", 1)], [("S004", 2)]),
    # A misplaced prompt is held back only under the broken line it is indented under, not for
    # a broken line elsewhere above it, nor for one below it.
    "a prompt misplaced below a misspelt key question of another standard": (
        SLIP_HEAD + SLIP_BODY.replace("    question 1.1.1", "    questoin 1.1.1")
        + "\n  standard 1.2 Staffing\n    text: Staff are enabled.\n    rated: by judgement\n      a) Are staff trained?\n"
        "    question 1.2.1 Is training recorded?\n      a) Is it reviewed?\n",
        [("S003", 13), ("S004", 20)], [("N006", 9), ("S004", 14), ("S004", 15)]),
    "a prompt misplaced above a misspelt standard heading": (
        SLIP_HEAD + SLIP_BODY.replace("    rated: by judgement\n", "    rated: by judgement\n      a) Is the vision shared?\n")
        + "  standrad 1.2 Staffing\n",
        [("S004", 12), ("S003", 17)], []),
    # Under a heading that is read (with faults of its own), a misplaced prompt is shown.
    "a prompt misplaced straight under a standard heading": (
        SLIP_HEAD + SLIP_BODY.replace("    text: The leadership is good.\n    rated: by judgement\n",
                                      "      a) Is the vision shared?\n"),
        [("S004", 10)], [("N006", 9), ("L002", 9)]),
    # A misspelt top-level heading after the first block belongs to the framework, not to that
    # block: the gap in the banding above it is a fault of its own.
    "a misspelt top-level heading after a banding": (
        "framework demo\nbanding results: Case results\n  scale: rating\n  rounding: half up to whole percent\n"
        "  band below 50% gives inadequate\n  band 60% and above gives good\n"
        "bnad 50% to 59% gives good\n" + SLIP_HEAD.replace("framework demo\n", "")
        + SLIP_BODY.replace("rated: by judgement", "rated: from cases using results"),
        [("S003", 7), ("R003", 2)], []),
    # A second framework header is at the top level, under no line: a fault of its own.
    "a second framework header after a misspelt key question": (
        SLIP_HEAD + SLIP_BODY.replace("    question 1.1.1", "    questoin 1.1.1") + "\nframework other\n",
        [("S003", 13), ("S004", 17)], [("N006", 9), ("S004", 14), ("S004", 15)]),
    # A line at the same indentation as a broken first line is not under it.
    "an indented broken first line, and a title beside it": (
        "  frmwk demo\n  title: Demo\n" + SLIP_HEAD + SLIP_BODY, [("S003", 1), ("S004", 2)], []),
    # A header-like broken line after the header that was read: what follows it is no
    # longer "before the header", and a stray prompt there is a fault of its own.
    "a broken second header below the header, and a stray prompt": (
        SLIP_HEAD.replace("framework demo\n", "framework demo\nframwork copy\na) Is this a prompt?\n") + SLIP_BODY,
        [("S003", 2), ("S004", 3)], []),
    "a broken 'rated:' line": (
        SLIP_HEAD + SLIP_BODY.replace("    rated: by judgement", "    rated: by judgment"), [("S002", 11)], [("L002", 9)]),
    # A stray prompt before the header is before the header; the header read after it is the
    # file's header, not a second one (it was also "a second framework header", S004).
    "a broken first line, a stray prompt, then the header": (
        "frmwk demo\na) Is this a prompt?\n" + SLIP_HEAD + SLIP_BODY, [("S003", 1), ("M003", 2)], []),
    # A misspelt key question after another: its prompts were read as the previous key
    # question's, numbered twice there (N005, N003) only because their heading was dropped.
    "a misspelt second key question": (
        SLIP_HEAD + SLIP_BODY + "\n    questoin 1.1.2 Is the plan clear?\n      a) Are plans kept?\n      b) Are plans read?\n",
        [("S003", 17)], [("N005", 18), ("N005", 19), ("N003", 18), ("N003", 19)]),
    # A misspelt standard: its key questions were read as the standard above's (N001, N003),
    # and its description lines misplaced.
    "a misspelt second standard": (
        SLIP_HEAD + SLIP_BODY + "\n  standrad 1.2 Staffing\n    text: Staff are enabled.\n    rated: by judgement\n\n"
        "    question 1.2.1 Are staff trained?\n      a) Is training recorded?\n",
        [("S003", 17)], [("S004", 18), ("S004", 19), ("N001", 21), ("N003", 21), ("N003", 22)]),
    # A misspelt domain: everything written under it, at every depth, is misplaced because of it.
    "a misspelt first domain": (
        SLIP_HEAD + SLIP_BODY.replace("domain 1", "domian 1"),
        [("S003", 8)], [("S004", 9), ("S004", 10), ("S004", 11), ("S004", 13), ("S004", 14), ("S004", 15)]),
    # A broken line under a broken line is a slip of its own: every unreadable line is shown.
    "a misspelt key question and a broken prompt under it": (
        SLIP_HEAD + SLIP_BODY.replace("    question 1.1.1", "    questoin 1.1.1").replace("      a) Are", "      a. Are"),
        [("S003", 13), ("S003", 14)], [("N006", 9), ("S004", 15)]),
    # A stray ':' is left out and the line read: no gap, so the prompt's own slip is shown.
    "a prompt with a stray ':', out of sequence": (
        SLIP_HEAD + SLIP_BODY.replace("      b) Are plans shared?", "      c): Are plans shared?"),
        [("S002", 15), ("N002", 15)], []),
    # A description line with a stray ':' is read too: the standard is empty of its own accord.
    "a stray ':' after 'text:' in a standard with no key questions": (
        SLIP_HEAD + SLIP_BODY.replace("text: The", "text:: The").split("\n\n    question")[0] + "\n",
        [("S002", 10), ("N006", 9)], []),
    # A comment at the margin between a misspelt heading and its prompts is passed over.
    "a misspelt key question, a comment at the margin, then its prompts": (
        SLIP_HEAD + SLIP_BODY.replace("    question 1.1.1 Is the vision clear?\n",
                                      "    questoin 1.1.1 Is the vision clear?\n# the prompts\n"),
        [("S003", 13)], [("N006", 9), ("S004", 15), ("S004", 16)]),
    # A key question misplaced under a domain is left out like a dropped line: its prompts are
    # misplaced only because of it.
    "a key question straight under a domain, with its prompts": (
        SLIP_HEAD + SLIP_BODY.replace("domain 1 Domain one\n", "domain 1 Domain one\n  question 1.0.1 Is it planned?\n"
                                      "    a) Are plans written?\n    b) Are plans read?\n"),
        [("S004", 9)], [("S004", 10), ("S004", 11)]),
    # Standards straight under a domain: the one after a misspelt one is not out of sequence...
    "a misspelt standard between two others": (
        SLIP_HEAD + SLIP_BODY + "  standrad 1.2 Staffing\n    text: Staff are enabled.\n    rated: by judgement\n\n"
        "  standard 1.3 Services\n    text: Services are in place.\n    rated: by judgement\n\n"
        "    question 1.3.1 Are services in place?\n      a) Are they used?\n",
        [("S003", 16)], [("S004", 17), ("S004", 18), ("N002", 20)]),
    # ... but one out of sequence before a misspelt one is a slip of its own.
    "a standard out of sequence, then a misspelt one": (
        SLIP_HEAD + SLIP_BODY + "  standard 1.3 Services\n    text: Services are in place.\n    rated: by judgement\n\n"
        "    question 1.3.1 Are services in place?\n      a) Are they used?\n  standrad 1.4 Staffing\n",
        [("N002", 16), ("S003", 22)], []),
    # A line that reads like a standard but is written inside another standard is no sibling of
    # the next standard (a broken line belongs where its indentation puts it).
    "a misspelt standard indented inside the one before": (
        SLIP_HEAD + SLIP_BODY + "    standrad 1.2 Staffing\n  standard 1.3 Services\n    text: Services are in place.\n"
        "    rated: by judgement\n\n    question 1.3.1 Are services in place?\n      a) Are they used?\n",
        [("S003", 16), ("N002", 17)], []),
    # A stray prompt before the header is left out like a dropped line: the line under it follows.
    "a stray prompt before the header, with a line under it": (
        "a) Is this a prompt?\n  see: 1.1.1\n" + SLIP_HEAD + SLIP_BODY, [("M003", 1)], [("S004", 2)]),
    # The key question a prompt cites, misspelt on the file's last line (no newline after it).
    "a cited key question misspelt on the last line": (
        SLIP_HEAD + SLIP_BODY.replace("      b) Are plans shared?\n", "      b) Are plans shared?\n        see: 1.1.2\n")
        + "\n    questoin 1.1.2 Is the plan clear?",
        [("S003", 18)], [("X001", 16)]),
    # ... and the key question after a heading with a stray ':' is out of sequence of its own.
    "a key question with a stray ':', and the next one out of sequence": (
        SLIP_HEAD + SLIP_BODY.replace("question 1.1.1 Is", "question 1.1.1: Is")
        + "\n    question 1.1.3 Is the plan clear?\n      a) Are plans kept?\n",
        [("S002", 13), ("N002", 17)], []),
}


@pytest.mark.parametrize("slip", list(SLIPS))
def test_one_broken_line_shows_itself_and_holds_back_what_follows_from_it(slip: str, tmp_path: Path) -> None:
    text, shown, held = SLIPS[slip]
    result = check_path(write(tmp_path, text))
    assert sorted((d.code, d.span.line) for d in result.diagnostics if d.span) == sorted(shown)
    assert sorted((d.code, d.span.line) for d in result.held_back if d.span) == sorted(held)


def test_an_id_used_twice_is_shown_beside_a_number_written_twice_elsewhere(tmp_path: Path) -> None:
    """The ids made from a key question numbered twice are held back; an id written twice by
    hand elsewhere is a fault of its own, whatever its letters."""
    body = SLIP_BODY.replace("      b) Are plans shared?\n", "    question 1.1.1 Is the plan clear?\n      a) Are plans shared?\n") + (
        "\n  standard 1.2 Staffing\n    text: Staff are enabled.\n    rated: by judgement\n\n"
        "    question 1.2.1 Are staff trained?\n"
        "      a) Is training recorded?\n        id: staff-engagement\n"
        "      b) Is training reviewed?\n        id: staff-engagement\n")
    result = check_path(write(tmp_path, SLIP_HEAD + body))
    assert sorted((d.code, d.span.line) for d in result.diagnostics if d.span) == [("N003", 25), ("N005", 15)]
    assert sorted((d.code, d.span.line) for d in result.held_back if d.span) == [("N003", 15), ("N003", 16)]


def test_an_id_that_starts_with_a_standard_numbered_twice_is_shown(tmp_path: Path) -> None:
    """Only the prompt ids made from an element numbered twice (its id and a letter) follow from
    it: an id written twice by hand that merely starts with that id is a fault of its own."""
    body = SLIP_BODY + (
        "\n  standard 1.1 Staffing\n    text: Staff are enabled.\n    rated: by judgement\n\n"
        "    question 1.1.1 Are staff trained?\n"
        "      a) Is training recorded?\n        id: staffing-plans\n"
        "      b) Is training reviewed?\n        id: staffing-plans\n")
    result = check_path(write(tmp_path, SLIP_HEAD + body))
    assert sorted((d.code, d.span.line) for d in result.diagnostics if d.span) == [("N003", 24), ("N005", 17)]
    assert result.held_back == ()


def test_a_key_question_that_took_in_a_misspelt_ones_prompts_is_not_said_to_have_too_many(tmp_path: Path) -> None:
    """The prompts of a misspelt `questoin 1.1.2` are read as 1.1.1's: eleven prompts, past the
    limit of ten, only because of the slip."""
    topics = ("vision", "culture", "budget", "premises", "training", "caseloads", "supervision", "partners", "records")
    first = "".join(f"      {letter}) Is the {topic} sound?\n" for letter, topic in zip("abcdefghi", topics, strict=True))
    body = SLIP_BODY.replace("      a) Are staff engaged?\n      b) Are plans shared?\n", first)
    result = check_path(write(tmp_path, SLIP_HEAD + body + "    questoin 1.1.2 Is the plan clear?\n"
                              "      j) Are risks to the service understood?\n      k) Is training recorded?\n"))
    assert [(d.code, d.span.line) for d in result.diagnostics if d.span] == [("S003", 23)]
    assert sorted((d.code, d.span.line) for d in result.held_back if d.span) == [("N004", 13)]


def _prompts(*topics: str, start: str = "a") -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    first = letters.index(start)
    return "".join(f"      {letters[first + n]}) Is the {topic} sound?\n" for n, topic in enumerate(topics))


TEN = ("vision", "culture", "budget", "premises", "training", "caseloads", "supervision", "partners", "records", "audit")


def test_too_many_prompts_are_held_back_only_where_they_were_taken_in(tmp_path: Path) -> None:
    """1.1.1 takes in the last prompt of a misspelt `questoin 1.1.2` (eleven: held back); 1.1.3,
    written after those prompts, has eleven of its own (shown)."""
    body = SLIP_BODY.replace("      a) Are staff engaged?\n      b) Are plans shared?\n", _prompts(*TEN)) + (
        "    questoin 1.1.2 Is the plan clear?\n" + _prompts("library", start="k")
        + "    question 1.1.3 Is the work checked?\n" + _prompts(*TEN, "rota"))
    result = check_path(write(tmp_path, SLIP_HEAD + body))
    shown = sorted((d.code, d.span.line) for d in result.diagnostics if d.span and d.code != "D001")
    assert shown == [("N004", 26), ("S003", 24)]
    assert sorted((d.code, d.span.line) for d in result.held_back if d.span) == [("N002", 26), ("N004", 13)]


def test_too_many_prompts_are_shown_beside_a_broken_line_elsewhere(tmp_path: Path) -> None:
    body = SLIP_BODY.replace("      a) Are staff engaged?\n      b) Are plans shared?\n", _prompts(*TEN, "rota"))
    result = check_path(write(tmp_path, SLIP_HEAD + body.replace("    rated: by judgement", "    rated: by judgment")))
    assert sorted((d.code, d.span.line) for d in result.diagnostics if d.span) == [("N004", 13), ("S002", 11)]


def test_a_banding_that_took_in_a_misspelt_bandings_band_is_not_said_to_be_incomplete(tmp_path: Path) -> None:
    """`bandign high` is dropped: its one band is read as the first banding's, which then
    covers only 50% and above, only because of the slip."""
    bandings = ("banding low: Case results\n  scale: rating\n  rounding: half up to whole percent\n"
                "bandign high: Case results\n  band 50% and above gives good\n\n")
    result = check_path(write(tmp_path, SLIP_HEAD + bandings + SLIP_BODY))
    assert [(d.code, d.span.line) for d in result.diagnostics if d.span] == [("S002", 11)]
    assert [(d.code, d.span.line) for d in result.held_back if d.span] == [("R003", 8)]


def test_a_misspelt_pdu_section_holds_back_references_and_waivers_it_changes(tmp_path: Path) -> None:
    """The PDU standards are read into the regional section: a reference to pdu/1.1.1a names
    nothing, and the waiver of a finding that no longer arises is unused, only because of it."""
    head = SLIP_HEAD.replace("level pdu: PDU inspection\n", "level region: Regional inspection\nlevel pdu: PDU inspection\n")
    text = (head + "domain 1 Domain one\n\nsection: Regional standards\n  at: region\n\n"
            + SLIP_BODY.replace("domain 1 Domain one\n", "")
            + "\nsectoin: PDU standards\n  at: pdu\n\n" + SLIP_BODY.replace("domain 1 Domain one\n", "")
            + "\ndomain 2 Domain two\n  at: pdu\n  standard 2.1 Partners\n    text: Partners work together.\n"
            "    rated: by judgement\n\n    question 2.1.1 Do partners plan together?\n"
            "      a) Are there joint plans?\n        see: pdu/1.1.1a\n        waive X003: as published\n")
    result = check_path(write(tmp_path, text))
    assert [(d.code, d.span.line) for d in result.diagnostics if d.span] == [("S003", 22)]
    assert {"X001", "W001"} <= {d.code for d in result.held_back}


def test_what_a_value_that_could_not_be_read_would_have_said_is_held_back(tmp_path: Path) -> None:
    """A `rounding:` naming no rule holds back its own banding's R004 only: another banding's
    silence on rounding, and a banding whose other line is invalid, are faults of their own."""
    bandings = "".join(
        f"banding {name}: Case results\n  scale: rating\n{extra}"
        "  band below 50% gives inadequate\n  band 50% and above gives good\n\n"
        for name, extra in (("unknown", "  rounding: to the nearest percent\n"), ("silent", ""),
                            ("twice", "  scale: rating\n"))
    )
    result = check_path(write(tmp_path, SLIP_HEAD + bandings + SLIP_BODY))
    assert sorted((d.code, d.span.line) for d in result.diagnostics if d.span) == [
        ("M002", 10), ("M002", 21), ("R004", 14), ("R004", 19)]
    assert [(d.code, d.span.line) for d in result.held_back if d.span] == [("R004", 8)]


def test_a_missing_include_holds_back_the_names_it_was_to_define(tmp_path: Path) -> None:
    body = SLIP_BODY.replace("rated: by judgement", "rated: from cases using results") + (
        "  standard 1.2 Staffing\n    text: Staff are enabled.\n    rated: by judgement\n\n"
        "    question 1.2.1 Are staff trained?\n      a) Is training recorded?\n")
    result = check_path(write(tmp_path, "framework demo\ninclude: rules.precepts\nlevel pdu: PDU inspection\n\n" + body))
    assert [(d.code, d.span.line) for d in result.diagnostics if d.span] == [("S005", 2)]
    assert sorted((d.code, d.span.line) for d in result.held_back if d.span) == [("M001", 8), ("R002", 15)]


def test_an_include_in_a_cycle_holds_back_nothing(tmp_path: Path) -> None:
    """A file including itself names a file read already: nothing it defines is missing."""
    body = SLIP_BODY.replace("rated: by judgement", "rated: from cases using results")
    result = check_path(write(tmp_path, "framework demo\ninclude: case.precepts\nlevel pdu: PDU inspection\n\n" + body))
    assert sorted((d.code, d.span.line) for d in result.diagnostics if d.span) == [("M001", 8), ("S005", 2)]
    assert result.held_back == ()


def test_a_broken_line_holds_back_nothing_in_another_file(tmp_path: Path) -> None:
    (tmp_path / "rules.precepts").write_text(
        "rules shared-ratings\ntitle: Shared rating labels\n\n"
        'scale rating: Rating levels\n  grade inadequate "Inadequate"\n  grade good "Good"\n\n'
        "banding results: Case results\n  scale: rating\n  rounding: half up to whole percent\n"
        "  band below 40% gives inadequate\n  band 50% and above gives good\n", encoding="utf-8")
    main = tmp_path / "main.precepts"
    main.write_text("framework demo\ninclude: rules.precepts\nlevel pdu: PDU inspection\n\n"
                    + SLIP_BODY.replace("    question 1.1.1", "    questoin 1.1.1"), encoding="utf-8")
    result = check_path(main)
    where = lambda found: sorted((d.code, Path(d.span.file).name, d.span.line) for d in found if d.span)  # noqa: E731
    # The gap in the included banding is a fault of its own; the empty standard follows from the slip.
    assert where(result.diagnostics) == [("R003", "rules.precepts", 8), ("S003", "main.precepts", 10)]
    assert where(result.held_back) == [("N006", "main.precepts", 6), ("S004", "main.precepts", 11), ("S004", "main.precepts", 12)]
