"""Reading a framework file's bytes (dsl/loader.py): where an unreadable byte is reported,
the limits on a file's size and a line's length exactly at their edge, and UTF-16 text
recognised by its byte-order mark or by its zero bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from precepts.core.diagnostics import Diagnostic
from precepts.core.limits import Limits, applied
from precepts.dsl.loader import Source, _long_lines, decode_source, read_source

_LINE = st.text(alphabet=st.sampled_from("ab é€\t#:"), max_size=12)


@given(st.lists(_LINE, min_size=1, max_size=5), st.data())
def test_an_unreadable_byte_is_reported_on_its_line_and_column(lines: list[str], data: st.DataObject) -> None:
    row = data.draw(st.integers(0, len(lines) - 1))
    column = data.draw(st.integers(0, len(lines[row])))
    broken = [line.encode() for line in lines]
    text_line = lines[row]
    broken[row] = text_line[:column].encode() + b"\xff" + text_line[column:].encode()
    found = decode_source(b"\n".join(broken), "f.precepts")
    assert isinstance(found, Diagnostic) and found.code == "S001" and found.span is not None
    assert (found.span.line, found.span.column) == (row + 1, column + 1)
    assert f"byte 0xff on line {row + 1} cannot be read" in found.message


@given(st.lists(_LINE, min_size=1, max_size=5), st.data())
def test_a_nul_byte_is_reported_on_its_line(lines: list[str], data: st.DataObject) -> None:
    row = data.draw(st.integers(0, len(lines) - 1))
    broken = [line.encode() for line in lines]
    broken[row] += b"\x00"
    found = decode_source(b"\n".join(broken), "f.precepts")
    assert isinstance(found, Diagnostic) and found.span is not None
    assert found.span.line == row + 1
    assert found.message == f"f.precepts looks like a binary file (it contains a NUL byte on line {row + 1})"


def test_text_is_given_with_lf_lines_and_no_byte_order_mark() -> None:
    source = decode_source("\ufeffframework a\r\ntitle: A\rlevel b: B\n".encode(), "f.precepts")
    assert isinstance(source, Source)
    assert source.text == "framework a\ntitle: A\nlevel b: B\n"


@pytest.mark.parametrize(("data", "kind"), [
    ("framework a\n".encode("utf-16-le"), "little-endian"),
    ("framework a\n".encode("utf-16-be"), "big-endian"),
    ("framework a\n".encode("utf-16"), "little-endian"),  # with its byte-order mark
    (b"\xfe\xff" + "framework a\n".encode("utf-16-be"), "big-endian"),
    ("ab".encode("utf-16-le"), "little-endian"),  # four bytes: the shortest recognised without a mark
])
def test_utf16_text_is_named_as_such(data: bytes, kind: str) -> None:
    found = decode_source(data, "f.precepts")
    assert isinstance(found, Diagnostic)
    assert found.message == f"f.precepts is UTF-16 text ({kind}); framework files are UTF-8"


@pytest.mark.parametrize("data", [b"a\x00", "a\u0100b".encode("utf-16-le")[:5], b"\x00a\x00a\x00\x00"])
def test_bytes_that_are_not_utf16_text_are_not_named_so(data: bytes) -> None:
    found = decode_source(data, "f.precepts")
    assert not isinstance(found, Diagnostic) or "UTF-16" not in found.message


def test_a_file_exactly_at_the_size_limit_is_read_and_one_byte_more_is_not(tmp_path: Path) -> None:
    path = tmp_path / "f.precepts"
    with applied(Limits(file_bytes=20)):
        path.write_bytes(b"framework a\n" + b"#" * 7 + b"\n")
        assert isinstance(read_source(path, "f.precepts"), Source)
        path.write_bytes(b"framework a\n" + b"#" * 8 + b"\n")
        found = read_source(path, "f.precepts")
        assert isinstance(found, Diagnostic) and found.code == "S006"
        assert found.span is not None and (found.span.line, found.span.column) == (1, 1)
        assert isinstance(decode_source(b"framework a\n" + b"#" * 8 + b"\n", "f.precepts"), Diagnostic)


def test_a_line_exactly_at_the_length_limit_is_read_and_one_longer_is_skipped() -> None:
    with applied(Limits(line_chars=10)):
        text = "framework\n" + "#" * 10 + "\n" + "#" * 11 + "\nend\n"
        kept, found = _long_lines(Source("f.precepts", text, ""))
        assert kept == "framework\n" + "#" * 10 + "\n\nend\n"
        assert [(d.span.line, d.span.column, d.span.end_column) for d in found if d.span] == [(3, 11, 12)]
        assert found[0].message.startswith("line 3 is 11 characters long, more than the 10 precepts reads")
        assert _long_lines(Source("f.precepts", "#" * 10 + "\n" + "#" * 10, "")) == ("#" * 10 + "\n" + "#" * 10, [])
