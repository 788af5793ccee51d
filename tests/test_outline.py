"""The outline of a framework file (dsl/outline.py): each line belongs to the nearest heading
above it that can hold it, comments to the block they are written in, and a line that no
heading above can hold is reported with what it must come under.
"""

from __future__ import annotations

from precepts.core.diagnostics import Diagnostic
from precepts.dsl.ast import Block
from precepts.dsl.outline import outline
from precepts.dsl.parser import parse_lines


def read(text: str) -> tuple[Block | None, list[Diagnostic]]:
    lines, errors = parse_lines(text, "f.precepts")
    assert errors == []
    return outline(lines)


def shown(diagnostics: list[Diagnostic]) -> list[tuple[str, int, str]]:
    return [(d.code, d.span.line if d.span else 0, d.message) for d in diagnostics]


def test_each_line_belongs_to_the_nearest_heading_that_can_hold_it() -> None:
    root, diagnostics = read("# about the file\nframework a\ntitle: A\nlevel pdu: PDU\n  note: n\n"
                             "domain 1 One\n  # about the standard\n  standard 1.1 S\n    text: T.\n"
                             "    question 1.1.1 Q?\n      a) P?\n  standard 1.2 S2\n")
    assert diagnostics == []
    assert root is not None and root.heading.kind == "framework"
    assert [c.text for c in root.comments] == ["# about the file"]
    assert [a.key for a in root.attributes] == ["title"]
    level, domain = root.children
    assert [a.key for a in level.attributes] == ["note"]
    assert [s.heading.name.text for s in domain.children if s.heading.name] == ["1.1", "1.2"]
    first = domain.children[0]
    assert [c.text for c in domain.comments] == ["# about the standard"]  # the block it is written in
    assert [a.key for a in first.attributes] == ["text"]
    assert [p.heading.kind for p in first.children[0].children] == ["prompt"]


def test_a_description_before_the_header_is_reported_and_the_rest_read() -> None:
    root, diagnostics = read("title: A\nframework a\nlevel pdu: PDU\n")
    assert shown(diagnostics) == [("S004", 1, "'title:' comes before the framework header")]
    assert root is not None and [c.heading.kind for c in root.children] == ["level"]
    assert root.attributes == ()


def test_a_second_header_is_reported_and_its_lines_join_the_first() -> None:
    root, diagnostics = read("framework a\nframework b\nlevel pdu: PDU\n")
    assert shown(diagnostics) == [
        ("S004", 2, "a second framework header: a file holds one framework or one set of rules")]
    assert root is not None and root.heading.name is not None and root.heading.name.text == "a"
    assert [c.heading.kind for c in root.children] == ["level"]


def test_a_heading_before_the_header_is_reported_and_kept() -> None:
    root, diagnostics = read("level pdu: PDU\nlevel region: Region\n")
    assert shown(diagnostics) == [("M003", 1, "a level comes before the framework header")]
    assert root is not None and [c.heading.name.text for c in root.children if c.heading.name] == ["pdu", "region"]
    prompt_first, found = read("a) Is it?\nlevel pdu: PDU\n")
    assert [d.code for d in found] == ["M003"]
    assert prompt_first is not None and [c.heading.kind for c in prompt_first.children] == ["level"]


def test_a_line_no_heading_above_can_hold_says_what_it_must_come_under() -> None:
    _, diagnostics = read("framework a\ndomain 1 One\n  a) Is it?\n  grade good \"Good\"\n")
    assert shown(diagnostics) == [
        ("S004", 3, "a prompt must come under a key question"),
        ("S004", 4, "a grade must come under a scale"),
    ]
    assert diagnostics[0].help == "move it below a key question, or add one above it"
    _, standard = read("framework a\n  standard 1.1 S\n")
    assert shown(standard) == [("S004", 2, "a standard must come under a domain or a section")]
