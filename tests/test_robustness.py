"""Broken input gives located findings and an exit status, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support import CHECK_FIXTURES, invoke, no_traceback

from precepts.core.codes import Code
from precepts.pipeline import check_path

VALID = (CHECK_FIXTURES / "S002" / "pass" / "main.precepts").read_text(encoding="utf-8")
VALID_LINES = VALID.splitlines()


def check_file(path: Path) -> tuple[int, dict[str, Any]]:
    """Check one file in both output formats; return the exit code and the JSON document."""
    text = invoke("check", path)
    no_traceback(text)
    result = invoke("check", "--format", "json", path)
    no_traceback(result)
    assert result.exit_code == text.exit_code
    return result.exit_code, json.loads(result.stdout)


def located(document: dict[str, Any]) -> list[tuple[str, int, int]]:
    return [
        (d["code"], d["span"]["line"], d["span"]["column"])
        for d in document["diagnostics"]
        if d["span"] is not None and d["span"]["line"] >= 1 and d["span"]["column"] >= 1 and d["span"]["file"]
    ]


def with_line(number: int, line: str) -> str:
    """The valid framework with line `number` (1-based) replaced."""
    lines = list(VALID_LINES)
    lines[number - 1] = line
    return "\n".join(lines) + "\n"


# (name, file content, exit status, a finding that must be among those reported)
BROKEN: list[tuple[str, bytes, int, tuple[str, int, int] | None]] = [
    ("empty", b"", 1, (Code.MISSING_FRAMEWORK.code, 1, 1)),
    ("only-comments", b"# a comment\n# another\n", 1, (Code.MISSING_FRAMEWORK.code, 1, 1)),
    ("only-blank-lines", b"\n\n   \n", 1, (Code.MISSING_FRAMEWORK.code, 1, 1)),
    ("truncated-mid-line", VALID[: VALID.index("by judgement") + len("by jud")].encode(), 1,
     (Code.SYNTAX_ERROR.code, 13, 15)),
    ("unclosed-quote-in-band-label", (
        b"framework demo\nscale rating: Rating levels\n  grade poor \"Poor\"\n  grade good \"Good\"\n"
        b"banding results: Results\n  band low \"Low: below 50% gives poor\n"
        b"  band high \"High\": 50% and above gives good\n"), 1, (Code.SYNTAX_ERROR.code, 6, 12)),
    ("binary", b"\x7fELF\x02\x01\x01\x00\x00\x00\xff\xfe", 1, (Code.UNREADABLE_FILE.code, 1, 1)),
    ("nul-on-line-3", b"framework demo\ntitle: x\nlevel\x00 pdu: P\n", 1, (Code.UNREADABLE_FILE.code, 3, 1)),
    ("latin-1", "framework demo\ntitle: Démonstration\n".encode("latin-1"), 1, (Code.UNREADABLE_FILE.code, 2, 9)),
    ("utf-16", "framework demo\n".encode("utf-16"), 1, None),
    # Lines over the length limit (10,000 characters by default) are reported and skipped.
    ("very-long-line", with_line(16, "      " + "x" * 200_000).encode(), 1, (Code.INPUT_TOO_LARGE.code, 16, 10_001)),
    ("very-long-prompt", with_line(16, "      a) " + "Are staff engaged " * 10_000 + "?").encode(), 1,
     (Code.INPUT_TOO_LARGE.code, 16, 10_001)),
    ("escape-sequence", with_line(2, "\x1b[2J\x1b[31mtitle: x").encode(), 1, (Code.UNKNOWN_KEYWORD.code, 2, 1)),
    ("control-characters", with_line(2, "title\x07\x08\x0b: x").encode(), 1, None),
    ("script", with_line(2, "<script>alert('x')</script>").encode(), 1, (Code.UNKNOWN_KEYWORD.code, 2, 1)),
    ("lone-prompt", b"a) Is this a framework?\n", 1, (Code.MISSING_FRAMEWORK.code, 1, 1)),
    ("two-headers", b"framework a\nframework b\n", 1, (Code.MISPLACED_LINE.code, 2, 1)),
]

VALID_VARIANTS: list[tuple[str, bytes]] = [
    ("utf-8-bom", b"\xef\xbb\xbf" + VALID.encode()),
    ("crlf", VALID.replace("\n", "\r\n").encode()),
    ("cr-only", VALID.replace("\n", "\r").encode()),
    ("no-final-newline", VALID.rstrip("\n").encode()),
    ("tabs-for-indentation", VALID.replace("  ", "\t").encode()),
    ("script-in-a-prompt", VALID.replace("Are staff engaged?", "Are <script>alert(1)</script> staff engaged?").encode()),
]


@pytest.mark.parametrize(("name", "content", "status", "finding"), BROKEN, ids=[case[0] for case in BROKEN])
def test_broken_input_is_located(
    tmp_path: Path, name: str, content: bytes, status: int, finding: tuple[str, int, int] | None
) -> None:
    path = tmp_path / f"{name}.precepts"
    path.write_bytes(content)
    exit_code, document = check_file(path)
    assert exit_code == status, document["diagnostics"]
    places = located(document)
    if status == 1:
        assert places, document["diagnostics"]
    if finding is not None:
        assert finding in places


@pytest.mark.parametrize(("name", "content"), VALID_VARIANTS, ids=[case[0] for case in VALID_VARIANTS])
def test_valid_input_in_other_encodings_of_lines_is_clean(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / f"{name}.precepts"
    path.write_bytes(content)
    exit_code, document = check_file(path)
    assert exit_code == 0, document["diagnostics"]


def test_crlf_and_bom_do_not_shift_locations(tmp_path: Path) -> None:
    broken = with_line(13, "    rated: by judgment")
    plain = tmp_path / "plain.precepts"
    windows = tmp_path / "windows.precepts"
    plain.write_text(broken, encoding="utf-8")
    windows.write_bytes(b"\xef\xbb\xbf" + broken.replace("\n", "\r\n").encode())
    assert located(check_file(plain)[1]) == located(check_file(windows)[1])
    assert (Code.SYNTAX_ERROR.code, 13, 15) in located(check_file(windows)[1])


def test_hostile_text_does_not_reach_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "hostile.precepts"
    path.write_bytes(with_line(2, "\x1b]0;owned\x07\x1b[2Jtitle: x").encode())
    result = invoke("check", path)
    no_traceback(result)
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_a_folder_instead_of_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.precepts"
    folder.mkdir()
    result = invoke("compile", folder)
    no_traceback(result)
    assert result.exit_code == 2  # a path argument that is not a file is a usage error
    assert result.stdout == ""
    assert "folder.precepts" in result.stderr and "is a directory" in result.stderr
    [diagnostic] = check_path(folder).diagnostics
    assert diagnostic.code == Code.UNREADABLE_FILE.code
    assert diagnostic.span is not None and (diagnostic.span.line, diagnostic.span.column) == (1, 1)


def test_an_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("check", tmp_path)
    no_traceback(result)
    assert result.exit_code == 2
    assert "no .precepts files" in result.stderr


def test_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.precepts"
    result = invoke("compile", missing)
    no_traceback(result)
    assert result.exit_code == 2  # as for check: a path argument that does not exist is a usage error
    assert result.stdout == ""
    assert "missing.precepts" in result.stderr and "does not exist" in result.stderr
    [diagnostic] = check_path(missing).diagnostics
    assert diagnostic.code == Code.UNREADABLE_FILE.code
    assert diagnostic.span is not None and (diagnostic.span.line, diagnostic.span.column) == (1, 1)


def test_an_unreadable_include(tmp_path: Path) -> None:
    (tmp_path / "precepts.toml").write_text("", encoding="utf-8")
    (tmp_path / "binary.precepts").write_bytes(b"rules r\x00\n")
    (tmp_path / "folder.precepts").mkdir()
    main = tmp_path / "main.precepts"
    lines = list(VALID_LINES)
    lines[1:3] = ["include: binary.precepts", "include: folder.precepts"]
    main.write_text("\n".join(lines) + "\n", encoding="utf-8")
    exit_code, document = check_file(main)
    assert exit_code == 1
    includes = [place for place in located(document) if place[0] == Code.BAD_INCLUDE.code]
    assert includes == [(Code.BAD_INCLUDE.code, 2, 10), (Code.BAD_INCLUDE.code, 3, 10)]


def test_an_include_cycle_between_rules_files_is_reported_where_it_closes(tmp_path: Path) -> None:
    (tmp_path / "precepts.toml").write_text("", encoding="utf-8")
    (tmp_path / "a.precepts").write_text("rules a\ninclude: b.precepts\n", encoding="utf-8")
    (tmp_path / "b.precepts").write_text("rules b\n\ninclude: a.precepts\n", encoding="utf-8")
    main = tmp_path / "main.precepts"
    main.write_text(with_line(2, "include: a.precepts"), encoding="utf-8")
    [cycle] = [d for d in check_path(main).diagnostics if d.code == Code.BAD_INCLUDE.code]
    assert cycle.span is not None
    assert (Path(cycle.span.file).name, cycle.span.line, cycle.span.column) == ("b.precepts", 3, 10)
    assert "a.precepts → " in cycle.message and "b.precepts → " in cycle.message


# ---- error recovery --------------------------------------------------------------------------


def test_every_broken_line_is_reported_once_in_one_run(tmp_path: Path) -> None:
    lines = list(VALID_LINES)
    lines[3] = "level pdu PDU inspection"  # line 4: no colon
    lines[7] = '  grade good "Good'  # line 8: unclosed quote
    lines[10] = "  standrd 1.1 Leadership"  # line 11: misspelt keyword
    path = tmp_path / "three.precepts"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    syntax = [
        (d.code, d.span.line, d.span.column)
        for d in check_path(path).diagnostics
        if d.code in (Code.SYNTAX_ERROR.code, Code.UNKNOWN_KEYWORD.code) and d.span is not None
    ]
    assert sorted(syntax, key=lambda f: f[1]) == [
        (Code.SYNTAX_ERROR.code, 4, 11),
        (Code.SYNTAX_ERROR.code, 8, 14),
        (Code.UNKNOWN_KEYWORD.code, 11, 3),
    ]


def test_consecutive_broken_lines_and_a_broken_last_line(tmp_path: Path) -> None:
    path = tmp_path / "consecutive.precepts"
    path.write_text("framework demo\nlevel pdu PDU\nlevel region Region\nxyz", encoding="utf-8")
    syntax = sorted((d.span.line, d.code) for d in check_path(path).diagnostics if d.span is not None)
    assert syntax == [(2, Code.SYNTAX_ERROR.code), (3, Code.SYNTAX_ERROR.code), (4, Code.UNKNOWN_KEYWORD.code)]


def test_the_cache_gives_the_same_findings_as_a_fresh_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cached.precepts"
    path.write_text(with_line(8, "  grade good Good"), encoding="utf-8")
    first = check_path(path).diagnostics
    second = check_path(path).diagnostics  # from the parse cache
    monkeypatch.setenv("PRECEPTS_NO_CACHE", "1")
    fresh = check_path(path).diagnostics
    assert first == second == fresh
    assert any(d.code == Code.SYNTAX_ERROR.code for d in fresh)
