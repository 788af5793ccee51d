"""Reading a framework file's bytes (dsl/loader.py): where an unreadable byte is reported,
the limits on a file's size and a line's length exactly at their edge, and UTF-16 text
recognised by its byte-order mark or by its zero bytes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from precepts.core.diagnostics import Diagnostic
from precepts.core.limits import Limits, applied
from precepts.dsl.loader import Loaded, Source, _long_lines, decode_source, load_files, project_root, read_source

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
    assert (found.span.line, found.span.column) == (row + 1, 1)
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
    assert found.span is not None and (found.span.line, found.span.column) == (1, 1)


@pytest.mark.parametrize("data", [b"a\x00", b"\x00\x00a\x00", "a\u0100b".encode("utf-16-le")[:5], b"\x00a\x00a\x00\x00"])
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


def test_a_path_that_is_not_a_regular_file_is_reported(tmp_path: Path) -> None:
    pipe = tmp_path / "f.precepts"
    os.mkfifo(pipe)
    found = read_source(pipe, "f.precepts")
    assert isinstance(found, Diagnostic) and found.message == "f.precepts is not a regular file (a device, pipe or socket)"
    folder = read_source(tmp_path, "folder")
    assert isinstance(folder, Diagnostic) and folder.message == "folder is a folder, not a file"


def test_an_in_memory_file_over_the_size_limit_is_reported_at_its_start() -> None:
    with applied(Limits(file_bytes=5)):
        found = decode_source(b"framework a\n", "f.precepts")
    assert isinstance(found, Diagnostic) and found.span is not None
    assert (found.code, found.span.line, found.span.column) == ("S006", 1, 1)


def test_the_project_is_the_nearest_folder_with_any_one_marker(tmp_path: Path) -> None:
    (tmp_path / "outer" / "inner").mkdir(parents=True)
    (tmp_path / "outer" / "precepts.toml").write_text("", encoding="utf-8")
    framework = tmp_path / "outer" / "inner" / "f.precepts"
    assert project_root(framework) == tmp_path / "outer"
    (tmp_path / "outer" / "inner" / "pyproject.toml").write_text("", encoding="utf-8")
    assert project_root(framework) == tmp_path / "outer" / "inner"


RULES = "rules shared\nscale rating: Rating levels\n  grade good \"Good\"\n"


def _codes(loaded: Loaded | list[Diagnostic]) -> list[tuple[str, str]]:
    diagnostics = loaded if isinstance(loaded, list) else loaded.diagnostics
    return [(d.code, d.message) for d in diagnostics]


def test_in_memory_includes_are_followed_once_each_and_stay_among_the_files_given() -> None:
    files = {"main.precepts": "framework a\ninclude: rules/a.precepts\ninclude: rules/b.precepts\n",
             "rules/a.precepts": RULES.replace("shared\n", "a\ninclude: b.precepts\n"),
             "rules\\b.precepts": RULES.replace("shared", "b")}
    loaded = load_files(files, "./main.precepts")
    assert isinstance(loaded, Loaded) and _codes(loaded) == []
    assert [d.path for d in loaded.includes] == ["rules/a.precepts", "rules/b.precepts"]  # b once, though named twice
    outside = load_files({"main.precepts": "framework a\ninclude: ../x.precepts\n"}, "main.precepts")
    assert _codes(outside) == [("S005", "include '../x.precepts' reaches outside the files given")]
    missing = load_files({"main.precepts": "framework a\ninclude: x.precepts\n"}, "main.precepts")
    assert _codes(missing) == [("S005", "no such file: x.precepts")]
    nothing = load_files({}, "main.precepts")
    assert _codes(nothing) == [("S001", "no such file: main.precepts")]
    assert isinstance(nothing, list) and nothing[0].span is not None and (nothing[0].span.line, nothing[0].span.column) == (1, 1)


def test_an_include_cycle_and_an_included_framework_are_reported() -> None:
    cycle = {"main.precepts": "framework a\ninclude: r.precepts\n", "r.precepts": RULES.replace("shared\n", "shared\ninclude: r.precepts\n")}
    assert _codes(load_files(cycle, "main.precepts")) == [
        ("S005", "include cycle: r.precepts → r.precepts")]
    framework = {"main.precepts": "framework a\ninclude: other.precepts\n", "other.precepts": "framework b\n"}
    assert [code for code, _ in _codes(load_files(framework, "main.precepts"))] == ["S005"]


def test_a_path_that_cannot_be_read_is_reported_with_the_reason(tmp_path: Path) -> None:
    found = read_source(tmp_path / ("x" * 300 + ".precepts"), "long.precepts")
    assert isinstance(found, Diagnostic) and found.message == "cannot read long.precepts: File name too long"


def test_an_empty_file_loads_with_no_includes_to_follow() -> None:
    loaded = load_files({"main.precepts": ""}, "main.precepts")
    assert isinstance(loaded, Loaded) and loaded.main.root is None and loaded.includes == () and loaded.diagnostics == ()
