"""What a syntax error says: for each kind of broken line, the finding's code, where it
points (line, column, width), its message and its help, against a golden file a reviewer
reads (tests/golden/syntax-errors.txt).

After an intended change of wording run
`PRECEPTS_UPDATE_GOLDEN=1 python -m pytest tests/test_syntax_messages.py` and review the diff.
"""

from __future__ import annotations

import os

from support import TESTS

from precepts.core.diagnostics import Diagnostic
from precepts.dsl.parser import MAX_SYNTAX_ERRORS, parse_lines

GOLDEN = TESTS / "golden" / "syntax-errors.txt"
HEADER = "framework demo\nlevel pdu: PDU inspection\n"

# Each broken line, written under a framework header (and, where it needs one, a heading).
BROKEN = [
    "staandard 1.1 Leadership",
    "xyzzy plugh",
    "standard 1.1",
    "standard",
    "level pdu PDU inspection",
    "status draft",
    "  question 1.1.1: Does the vision drive a good service?",
    "level pdu:: PDU inspection",
    "not-rated",
    "  rated: not-rated",
    "  rated: form cases using case-results",
    "  rated: by",
    "a. Is the plan agreed?",
    "(b) Is the plan agreed?",
    "c - Is the plan agreed?",
    "a)",
    "  at: pdu,",
    "  at: pdu region",
    "  applies to: provider is",
    "  applies to:",
    "  applies to: provider is not",
    "  when: count of good is at least",
    "grade good Good",
    'grade good "Good" scores',
    "band 50% gives",
    "band below gives good",
    "band 50% to gives good",
    'band low "Low" below 50% gives poor',
    "  scores: good 3, fair",
    "  waive n002: as published",
    "  few cases: below ten",
    "prompt_limit: 12",
    "level " + "x" * 50 + "!: a long name",
    "level pdu\u0007: a bell",
    "level pdu:\u00a0",
    "  rated: by: judgement",
    "  at: pdu: region",
    "a.Is the plan agreed?",
    "(b)Is the plan agreed?",
    "not-rated for now",
    "  rated: by-judgement",
    "level pdu " + "y" * 40,
    "level pdu " + "y" * 41,
    "band 50 & 60 gives good",
    "  at: pdu;",
    "level pdu\x0b: a vertical tab",
    "band 50\r",  # a carriage return alone is no line end: no terminal reads it
    "standard 1.1 \r",
    "level pdu\r: a carriage return",
    "  at: not-rated:",  # a hyphenated name read whole, then a stray ':': the colon is the fault
    "  at: pdu:",
]


def _shown(diagnostic: Diagnostic) -> str:
    span = diagnostic.span
    assert span is not None
    where = f"{span.line - 2}:{span.column}-{span.end_column}"  # lines counted from the broken line
    return f"  {diagnostic.code} {where} {diagnostic.message}" + (f"\n    help: {diagnostic.help}" if diagnostic.help else "")


def _report() -> str:
    out = []
    for line in BROKEN:
        _, diagnostics = parse_lines(HEADER + line + "\n", "f.precepts")
        out.append(repr(line))
        out += [_shown(d) for d in diagnostics] or ["  (no syntax error)"]
    return "\n".join(out) + "\n"


def test_syntax_error_messages_match_the_golden_file() -> None:
    report = _report()
    if os.environ.get("PRECEPTS_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(report, encoding="utf-8")
    assert report == GOLDEN.read_text(encoding="utf-8")


def test_a_broken_last_line_without_a_newline_is_reported_at_its_end() -> None:
    _, diagnostics = parse_lines(HEADER + "standard 1.1", "f.precepts")
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics if d.span] == [("S002", 3, 13)]
    assert diagnostics[0].message == "expected some text, but found the end of the line"


def test_every_broken_line_is_reported_up_to_the_cap() -> None:
    few, many = 7, MAX_SYNTAX_ERRORS + 20
    for count, reported in ((few, few), (many, MAX_SYNTAX_ERRORS)):
        text = HEADER + "".join(f"standard {n}\n" for n in range(1, count + 1))
        lines, diagnostics = parse_lines(text, "f.precepts")
        assert len(diagnostics) == reported
        assert [d.span.line for d in diagnostics if d.span] == list(range(3, 3 + reported))
    # Under the cap, the lines around the broken ones are still read.
    lines, diagnostics = parse_lines(HEADER + "standard 1\nlevel region: Regions\n", "f.precepts")
    assert len(diagnostics) == 1 and [line.kind for line in lines if hasattr(line, "kind")] == ["framework", "level", "level"]


def test_a_line_with_a_stray_colon_is_kept_without_it() -> None:
    lines, diagnostics = parse_lines(HEADER + "  question 1.1.1: Does it work?\n  title:: A title\n", "f.precepts")
    assert [d.code for d in diagnostics] == ["S002", "S002"]
    question, title = lines[-2:]
    assert (question.kind, question.text) == ("question", "Does it work?")  # type: ignore[union-attr]
    assert (title.key, title.value) == ("title", "A title")  # type: ignore[union-attr]
