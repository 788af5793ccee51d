"""Every position the parser gives points at the text it names: editors underline it, findings
quote it, and `precepts fmt` and the language server rewrite by it.

For every line of every framework and fixture shipped in the repository (and for generated
lines): a statement spans its line from its first to its last visible character; a word (a
name, a number, a grade, a value in a condition) spans exactly its own text; any other part
(a condition, a range, a bound) spans text on its own line, without blanks at either end.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import CHECK_FIXTURES, FRAMEWORKS

from precepts.core.diagnostics import Span
from precepts.dsl.ast import AllOf, AnyOf, Comment, Heading, Test, Word
from precepts.dsl.parser import line_keywords, parse_lines

SOURCES = sorted([*FRAMEWORKS.rglob("*.precepts"), *CHECK_FIXTURES.rglob("*.precepts")])


def _slice(lines: list[str], span: Span) -> str:
    assert span.line == span.end_line, span
    assert 1 <= span.line <= len(lines), span
    assert 1 <= span.column <= span.end_column, span
    return lines[span.line - 1][span.column - 1: span.end_column - 1]


def _parts(node: object, inside: str = "") -> Iterator[tuple[str, object]]:
    """Every node with a span below `node`, each with the kind of statement it is in."""
    if isinstance(node, tuple):
        if hasattr(node, "span"):
            yield inside, node
        for child in node:
            yield from _parts(child, inside)


def assert_positions(text: str, *, valid: bool = False) -> int:
    """Check every position in `text`'s parse (`valid`: and that it has no syntax error);
    the number of words checked."""
    lines = text.split("\n")
    parsed, errors = parse_lines(text, "f.precepts")
    assert not valid or errors == [], errors
    words = 0
    for line in parsed:
        written = lines[line.span.line - 1]
        statement = _slice(lines, line.span)
        assert statement == written.strip(), (line, written)
        if isinstance(line, Comment):
            continue
        kind = line.kind if isinstance(line, Heading) else line.key
        for part in [*line[1:]]:
            for _, node in _parts(part):
                if node is line.span:
                    continue
                if isinstance(node, Word):
                    words += 1
                    shown = _slice(lines, node.span)
                    if isinstance(line, Heading) and line.kind == "prompt" and node is line.name:
                        assert shown == node.text + ")", (kind, node, shown)
                    else:
                        assert shown == node.text, (kind, node, shown)
                elif isinstance(node, Span):
                    continue
                else:
                    span = node.span  # type: ignore[attr-defined]
                    shown = _slice(lines, span)
                    assert shown and shown == shown.strip(), (kind, node, shown)
                    assert span.line == line.span.line, (kind, node)
    return words


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_every_position_points_at_its_own_text(path: Path) -> None:
    assert_positions(path.read_bytes().decode("utf-8", errors="replace"))


def test_the_shipped_frameworks_exercise_every_kind_of_part() -> None:
    """The parametrised test above means something only if the sources hold words at all."""
    text = (FRAMEWORKS / "hmip-adult-2021.precepts").read_text(encoding="utf-8")
    assert assert_positions(text, valid=True) > 300


# Names that are not words of the language (a line's first word, a condition's `is`, a band's `to`…).
_NAME = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?", fullmatch=True).filter(
    lambda name: name not in line_keywords() and name not in _CONDITION_WORDS)
_CONDITION_WORDS = {"is", "not", "one", "of", "at", "least", "most", "and", "or", "count", "total", "to", "below",
                    "above", "gives", "scores", "from", "cases", "using", "by", "judgement", "rated",
                    "reported", "open", "percentages", "only", "free", "text"}
_INDENT = st.sampled_from(["", "  ", "    ", "\t"])
_GAP = st.sampled_from([" ", "  ", "\t"])


@st.composite
def _statement(draw: st.DrawFn) -> str:
    """One line of the language, with its parts spaced and indented in varied ways."""
    name, other, gap = draw(_NAME), draw(_NAME), draw(_GAP)
    number = draw(st.integers(0, 100))
    letter = draw(st.sampled_from(["a", "b", "z", "aa"]))
    line = draw(st.sampled_from([
        f"level{gap}{name}:{gap}Some level",
        f"attribute{gap}{name}:{gap}{other},{gap}x-{other}",
        f"scale{gap}{name}:{gap}A scale",
        f'grade{gap}{name}{gap}"A grade"{gap}scores{gap}{number}',
        f'band{gap}{name}{gap}"Low":{gap}below{gap}{number}%{gap}gives{gap}{other}',
        f"band{gap}{number}%{gap}to{gap}{number + 5}%{gap}gives{gap}{other}",
        f"band{gap}{number}{gap}and{gap}above{gap}gives{gap}{other}",
        f"at:{gap}{name},{gap}{other}",
        f"tags:{gap}{name}",
        f"id:{gap}{name}",
        f"see:{gap}1.2.{number}a,{gap}{name}/1.1.1",
        f"applies to:{gap}{name}{gap}is{gap}{other}{gap}and{gap}{other}{gap}is not{gap}{name}",
        f"when:{gap}count of{gap}{name}{gap}is at least{gap}{number}",
        f"then:{gap}{name}{gap}is at most{gap}{other}",
        f"rated:{gap}from cases using{gap}{name}",
        f"scale:{gap}{name}",
        f"rounding:{gap}half up to whole percent",
        f"score:{gap}total of grades",
        f"characteristic{gap}{name}:{gap}Staff are engaged",
        f"absent at{gap}{name}:{gap}not inspected there",
        f"include:{gap}shared/{name}.precepts",
        f"few cases:{gap}below{gap}{number}",
        f"status:{gap}{name}",
        f"scores:{gap}{name}{gap}{number},{gap}{other}{gap}{number + 1}",
        f"question{gap}1.1.{number + 1}{gap}Is it clear?",
        f"{letter}){gap}Is the plan{gap}agreed?",
        f"standard{gap}1.{number + 1}{gap}Leadership",
        f"waive{gap}N002:{gap}as published",
        f"# a comment{gap}{name}",
    ]))
    return draw(_INDENT) + line + draw(st.sampled_from(["", " ", "  \t"]))


@given(st.lists(_statement(), min_size=1, max_size=8))
def test_positions_hold_however_a_line_is_spaced(statements: list[str]) -> None:
    # No header: the parser reads any line anywhere, and the first line of a file is a line like the rest.
    text = "\n".join(statements) + "\n"
    assert_positions(text, valid=True)


def test_a_parsed_band_keeps_its_numbers_and_percent_signs() -> None:
    parsed, errors = parse_lines("band 50% to 64.5% gives good\nband 3 and above gives good\n", "f")
    assert errors == []
    ranges = [line.range for line in parsed if isinstance(line, Heading)]
    assert [(r.kind, r.low and (r.low.value, r.low.percent), r.high and (r.high.value, r.high.percent))
            for r in ranges if r] == [("between", (Decimal("50"), True), (Decimal("64.5"), True)),
                                      ("from", (Decimal("3"), False), None)]


def test_a_prompt_written_without_a_space_after_its_letter() -> None:
    parsed, errors = parse_lines("  question 1.1.1 Is it clear?\n    b)Is the plan agreed?\n", "f")
    assert errors == []
    prompt = parsed[-1]
    assert isinstance(prompt, Heading) and prompt.name is not None
    assert (prompt.kind, prompt.name.text, prompt.text) == ("prompt", "b", "Is the plan agreed?")
    assert (prompt.name.span.column, prompt.name.span.end_column) == (5, 7)
    assert_positions("    b)Is the plan agreed?\n", valid=True)


def test_conditions_parse_into_their_parts_with_and_binding_tighter_than_or() -> None:
    parsed, errors = parse_lines(
        "applies to: a is b and count of good is at least 2 or total score is at most 9 and c is not d\n"
        "when: (a is one of x, y)\n", "f")
    assert errors == []
    first, second = (line.value for line in parsed)  # type: ignore[union-attr]
    assert isinstance(first, AnyOf) and [type(item) for item in first.items] == [AllOf, AllOf]
    tests = [t for group in first.items for t in group.items]  # type: ignore[union-attr]
    assert [(t.op, t.subject.kind, t.subject.name.text if t.subject.name else None, [v.text for v in t.values])
            for t in tests] == [("is", "name", "a", ["b"]), ("at-least", "count", "good", ["2"]),
                                ("at-most", "total", None, ["9"]), ("is-not", "name", "c", ["d"])]
    assert isinstance(second, Test) and (second.op, [v.text for v in second.values]) == ("one-of", ["x", "y"])


def test_qualified_lines_keep_their_qualifier_and_text() -> None:
    parsed, errors = parse_lines("characteristic good: Leaders are visible\nwaive N002: as published\n"
                                 "absent at region: not inspected there\n", "f")
    assert errors == []
    assert [(a.key, a.qualifier.text if a.qualifier else None, a.value) for a in parsed] == [  # type: ignore[union-attr]
        ("characteristic", "good", "Leaders are visible"), ("waive", "N002", "as published"),
        ("absent-at", "region", "not inspected there")]
