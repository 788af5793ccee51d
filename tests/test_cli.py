"""The `precepts` command: options, exit codes and output formats."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from support import CHECK_FIXTURES, FRAMEWORK_2021, check_json, invoke, no_traceback

from precepts import __version__
from precepts.cli import main
from precepts.cli.app import ENDS_AT_ONCE
from precepts.core.codes import BY_CODE, Code

BROKEN = CHECK_FIXTURES / "S002" / "fail" / "main.precepts"  # two syntax errors
CLEAN = CHECK_FIXTURES / "S002" / "pass" / "main.precepts"
WARNING_ONLY = CHECK_FIXTURES / "W001" / "fail" / "main.precepts"  # one unused waiver

HEADLINE = re.compile(
    r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?P<column>\d+): "
    r"(?P<severity>error|warning|info) (?P<code>[A-Z]\d{3}) \((?P<name>[a-z0-9-]+)\) (?P<message>.+)$"
)
DIAGNOSTIC_FIELDS = {"code", "name", "severity", "message", "span", "help", "related", "subjects"}
SPAN_FIELDS = {"file", "line", "column", "end_line", "end_column"}


def two_faults(tmp_path: Path) -> Path:
    """A framework with one duplicate prompt (D001) and one gap in the letters (N002)."""
    path = tmp_path / "two-faults.precepts"
    path.write_text(
        "framework demo\n"
        "level pdu: PDU inspection\n"
        "scale rating: Rating levels\n"
        '  grade inadequate "Inadequate"\n'
        '  grade good "Good"\n'
        "domain 1 Domain one\n"
        "  standard 1.1 Leadership\n"
        "    text: The leadership enables a good service.\n"
        "    rated: by judgement\n"
        "    question 1.1.1 Does the vision drive a good service?\n"
        "      a) Are staff engaged?\n"
        "      c) Are staff engaged?\n",
        encoding="utf-8",
    )
    return path


def waived_duplicate_lines() -> list[int]:
    """The 2021 prompts whose D001 finding is waived: each is the line above its `waive D001`."""
    lines = FRAMEWORK_2021.read_text(encoding="utf-8").splitlines()
    found = [number - 1 for number, line in enumerate(lines, start=1) if line.strip().startswith("waive D001:")]
    assert len(found) == 4
    return found


def codes_in(document: dict[str, object]) -> list[str]:
    return [d["code"] for d in document["diagnostics"]]  # type: ignore[index, union-attr]


# ---- version and help ---------------------------------------------------------------------


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"precepts, version {__version__}"


def command_names() -> list[str]:
    """Every command `precepts --help` lists, including any loaded lazily."""
    assert isinstance(main, click.Group)
    return list(main.list_commands(click.Context(main)))


def test_the_documented_commands_exist() -> None:
    assert {"check", "compile", "explain"} <= set(command_names())


@pytest.mark.parametrize("command", [[], *([name] for name in command_names())], ids=lambda c: c[0] if c else "main")
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_on_every_command(command: list[str], flag: str) -> None:
    result = invoke(*command, flag)
    assert result.exit_code == 0, result.output
    assert re.match(rf"Usage: \S+{''.join(' ' + c for c in command)} \[OPTIONS\]", result.stdout), result.stdout
    assert "Options:" in result.stdout
    assert result.stderr == ""


def test_help_lists_every_command() -> None:
    result = invoke("--help")
    for name in command_names():
        assert re.search(rf"^\s+{name}\b", result.stdout, re.MULTILINE), name


# ---- exit codes ------------------------------------------------------------------------------


def summary_of(output: str) -> str:
    summary = output.rstrip("\n").splitlines()[-1]
    assert summary.startswith("Checked "), output
    return summary


def test_clean_framework_exits_0() -> None:
    result = invoke("check", FRAMEWORK_2021)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "error" not in summary_of(result.stdout)


def test_errors_exit_1() -> None:
    result = invoke("check", BROKEN)
    no_traceback(result)
    assert result.exit_code == 1
    assert re.match(r"Checked 1 file: \d+ errors", summary_of(result.stdout))
    assert result.stdout.count(f"error {Code.SYNTAX_ERROR.code} ") == 2


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--bogus"],
        ["check", "--format", "xml", "frameworks"],
        ["compile"],  # FILE is required
        ["compile", "a.precepts", "b.precepts"],
        ["nosuchcommand"],
    ],
    ids=["unknown-option", "bad-format", "missing-path", "two-files", "unknown-command"],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.stderr or "Error" in result.stderr
    assert result.stdout == ""


def test_check_of_a_path_that_does_not_exist_exits_2(tmp_path: Path) -> None:
    result = invoke("check", tmp_path / "nowhere.precepts")
    no_traceback(result)
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr
    assert "nowhere.precepts" in result.stderr


def test_a_missing_path_beside_a_real_one_is_reported_as_S001(tmp_path: Path) -> None:
    result, document = check_json(tmp_path / "nowhere.precepts", CLEAN)
    assert result.exit_code == 1
    [missing] = [d for d in document["diagnostics"] if d["code"] == Code.UNREADABLE_FILE.code]
    assert missing["span"] is None
    assert "nowhere.precepts" in missing["message"]


def test_warnings_fail_only_with_strict() -> None:
    plain = invoke("check", WARNING_ONLY)
    strict = invoke("check", "--strict", WARNING_ONLY)
    assert f"warning {Code.UNUSED_WAIVER.code}" in plain.stdout
    assert (plain.exit_code, strict.exit_code) == (0, 1)


# ---- text format -------------------------------------------------------------------------------


def test_text_format_shape() -> None:
    result = invoke("check", BROKEN)
    blocks = result.stdout.rstrip("\n").split("\n\n")
    assert re.fullmatch(r"Checked 1 file: \d+ errors?(, .+)?\.", blocks[-1])
    [block] = [b for b in blocks if "by judgment" in b]
    lines = block.split("\n")
    headline = HEADLINE.match(lines[0])
    assert headline, lines[0]
    assert Path(headline["path"]).resolve() == BROKEN.resolve()
    assert (headline["line"], headline["column"]) == ("13", "15")
    assert (headline["severity"], headline["code"]) == (Code.SYNTAX_ERROR.severity.value, Code.SYNTAX_ERROR.code)
    assert headline["name"] == Code.SYNTAX_ERROR.readable_name
    assert headline["message"] == "expected 'judgement', but found 'judgment'"
    # the source line, then a caret under the word, then the help
    assert lines[1] == "    |"
    assert lines[2] == " 13 |     rated: by judgment"
    caret = lines[3]
    assert caret.startswith("    | ")
    assert caret.index("^") == lines[2].index("judgment")
    assert caret.count("^") == len("judgment")
    assert lines[4] == "  help: did you mean 'judgement'?"


def test_text_format_every_headline_matches(tmp_path: Path) -> None:
    result = invoke("check", two_faults(tmp_path), BROKEN)
    headlines = [line for line in result.stdout.splitlines() if HEADLINE.match(line)]
    assert len(headlines) >= 4
    for line in headlines:
        match = HEADLINE.match(line)
        assert match is not None
        assert match["name"] == BY_CODE[match["code"]].readable_name
        assert match["severity"] == BY_CODE[match["code"]].severity.value


def test_related_places_are_shown_as_notes(tmp_path: Path) -> None:
    path = two_faults(tmp_path)
    result = invoke("check", path)
    [block] = [b for b in result.stdout.split("\n\n") if f" {Code.DUPLICATE_PROMPT.code} " in b]
    assert re.search(r"^  note: .*two-faults\.precepts:11:7: copy 1\.1\.1a$", block, re.MULTILINE), block


# ---- JSON format ---------------------------------------------------------------------------------


def test_json_format_document(tmp_path: Path) -> None:
    path = two_faults(tmp_path)
    result, document = check_json(path)
    assert result.exit_code == 1
    assert document["format"] == "precepts-diagnostics"
    assert document["format_version"] == 1
    assert document["tool"] == {"name": "precepts", "version": __version__}
    assert len(document["files"]) == 1 and document["files"][0].endswith("two-faults.precepts")
    assert set(document["summary"]) == {"errors", "warnings", "infos", "waived", "held_back"}
    assert document["summary"]["errors"] == sum(d["severity"] == "error" for d in document["diagnostics"])
    assert document["waived"] == []
    assert {Code.DUPLICATE_PROMPT.code, Code.NUMBER_SEQUENCE.code} <= set(codes_in(document))
    for diagnostic in document["diagnostics"]:
        assert set(diagnostic) == DIAGNOSTIC_FIELDS
        assert diagnostic["severity"] in ("error", "warning", "info")
        assert isinstance(diagnostic["message"], str) and diagnostic["message"]
        assert diagnostic["help"] is None or isinstance(diagnostic["help"], str)
        assert isinstance(diagnostic["subjects"], list)
        assert set(diagnostic["span"]) == SPAN_FIELDS
        assert diagnostic["span"]["line"] >= 1 and diagnostic["span"]["column"] >= 1
        for related in diagnostic["related"]:
            assert set(related) == {"span", "message"}
            assert set(related["span"]) == SPAN_FIELDS
    [duplicate] = [d for d in document["diagnostics"] if d["code"] == Code.DUPLICATE_PROMPT.code]
    assert duplicate["name"] == Code.DUPLICATE_PROMPT.readable_name
    assert duplicate["severity"] == Code.DUPLICATE_PROMPT.severity.value
    assert (duplicate["span"]["line"], duplicate["span"]["column"]) == (12, 7)
    assert duplicate["span"]["end_line"] == 12
    assert duplicate["span"]["end_column"] == 7 + len("c) Are staff engaged?")
    assert duplicate["subjects"] == ["leadership.1a", "leadership.1c"]
    assert [r["span"]["line"] for r in duplicate["related"]] == [11]


def test_json_lists_waived_findings_with_their_reason() -> None:
    _, document = check_json(FRAMEWORK_2021)
    assert document["summary"]["waived"] == len(document["waived"])
    for waived in document["waived"]:
        assert set(waived) == DIAGNOSTIC_FIELDS | {"waiver_reason"}
        assert waived["waiver_reason"]
    duplicates = [w for w in document["waived"] if w["code"] == Code.DUPLICATE_PROMPT.code]
    assert [w["span"]["line"] for w in duplicates] == waived_duplicate_lines()
    for waived in duplicates:
        assert waived["waiver_reason"].startswith("as published in the May 2021 consultation")


# ---- choosing codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "expected", "only"),
    [
        (["--select", "N002"], {"N002"}, ("N002",)),
        (["--select", "n002"], {"N002"}, ("N002",)),
        (["--select", "D001,N002"], {"D001", "N002"}, ("D001", "N002")),
        (["--select", "D001", "--select", "N002"], {"D001", "N002"}, ("D001", "N002")),
        (["--select", "D"], {"D001"}, ("D",)),
        (["--ignore", "D001"], {"N002"}, None),
        (["--ignore", "D001,N002"], set(), None),
        (["--select", "D,N", "--ignore", "N002"], {"D001"}, ("D", "N")),
    ],
)
def test_select_and_ignore(tmp_path: Path, options: list[str], expected: set[str], only: tuple[str, ...] | None) -> None:
    path = two_faults(tmp_path)
    _, everything = check_json(path)
    assert {"D001", "N002"} <= set(codes_in(everything))
    result, document = check_json(*options, path)
    assert set(codes_in(document)) & {"D001", "N002"} == expected
    if only is not None:  # with --select, nothing else is reported either
        assert all(code.startswith(only) for code in codes_in(document))
    assert result.exit_code == (1 if document["summary"]["errors"] else 0)


def test_show_waived_lists_the_four_waived_duplicates() -> None:
    hidden = invoke("check", FRAMEWORK_2021)
    shown = invoke("check", "--show-waived", FRAMEWORK_2021)
    assert hidden.exit_code == shown.exit_code == 0
    assert "Waived findings:" not in hidden.stdout
    assert f" {Code.DUPLICATE_PROMPT.code} " not in hidden.stdout
    reported, waived_part = shown.stdout.split("Waived findings:", 1)
    assert reported.rstrip("\n") == hidden.stdout.split("\n\nChecked", 1)[0].rstrip("\n")
    headlines = [HEADLINE.match(line) for line in waived_part.splitlines()]
    found = [(m["code"], int(m["line"])) for m in headlines if m]
    waived = re.search(r"\((\d+) waived\)", hidden.stdout)
    assert waived is not None and int(waived[1]) == len(found) >= 4
    duplicates = [line for code, line in found if code == Code.DUPLICATE_PROMPT.code]
    assert duplicates == waived_duplicate_lines()


# ---- explain ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", list(Code), ids=lambda c: c.code)
def test_explain_every_code(code: Code) -> None:
    for spelling in (code.code, code.code.lower(), code.readable_name):
        result = invoke("explain", spelling)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"{code.code} ({code.readable_name}), {code.severity.value} by default\n")
        assert code.explanation in result.stdout


def test_explain_lists_every_code() -> None:
    result = invoke("explain")
    assert result.exit_code == 0
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows == [[c.code, c.readable_name, c.severity.value] for c in Code]


@pytest.mark.parametrize(("word", "hint"), [("Z999", None), ("N02", "N002"), ("duplicate-prompts", "duplicate-prompt")])
def test_explain_unknown_code_exits_2(word: str, hint: str | None) -> None:
    result = invoke("explain", word)
    no_traceback(result)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"no diagnostic has the code '{word}'" in result.stderr
    if hint:
        assert f"'{hint}'" in result.stderr


# ---- compile ----------------------------------------------------------------------------------------


def test_compile_prints_the_model_as_json() -> None:
    result = invoke("compile", FRAMEWORK_2021)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["format"] == "precepts-framework"
    assert document["format_version"] == 1
    assert document["framework"]["id"] == "hmip-adult-2021"
    assert result.stderr == ""


def test_compile_of_a_broken_file_prints_nothing_on_stdout() -> None:
    result = invoke("compile", BROKEN)
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"error {Code.SYNTAX_ERROR.code} ({Code.SYNTAX_ERROR.readable_name})" in result.stderr
    assert ":13:15:" in result.stderr


# ---- a real process ------------------------------------------------------------------------------------


def run_module(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "precepts.cli", *(str(a) for a in args)],
        cwd=cwd, capture_output=True, text=True, encoding="utf-8", env=os.environ.copy(), check=False,
    )


def test_subprocess_check_and_exit_codes(tmp_path: Path) -> None:
    clean = run_module("check", "--format", "json", FRAMEWORK_2021, cwd=tmp_path)
    assert clean.returncode == 0, clean.stderr
    assert json.loads(clean.stdout)["summary"]["errors"] == 0

    broken = run_module("check", BROKEN, cwd=tmp_path)
    assert broken.returncode == 1
    assert f"error {Code.SYNTAX_ERROR.code}" in broken.stdout
    assert "Traceback" not in broken.stderr

    usage = run_module("check", "--bogus", cwd=tmp_path)
    assert usage.returncode == 2
    assert "No such option" in usage.stderr

    version = run_module("--version", cwd=tmp_path)
    assert version.returncode == 0
    assert version.stdout.strip() == f"precepts, version {__version__}"


def _run_entry_point(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`precepts.cli.run` in a process of its own, with an exit handler that says when it ran."""
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('teardown ran', file=sys.stderr))\n"
        f"sys.argv = ['precepts', *{[str(a) for a in args]!r}]\n"
        "from precepts.cli import run\n"
        "run()\n"
    )
    return subprocess.run([sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          env=os.environ.copy(), check=False)


def test_check_ends_the_process_at_once_with_all_its_output_and_its_exit_status(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # where the process runs: paths are shown from there
    in_process = CliRunner().invoke(main, ["check", "--format", "json", str(FRAMEWORK_2021)])
    clean = _run_entry_point("check", "--format", "json", FRAMEWORK_2021, cwd=tmp_path)
    assert (clean.returncode, clean.stdout) == (0, in_process.output)
    assert "teardown ran" not in clean.stderr  # ended without the interpreter's teardown

    broken = _run_entry_point("check", BROKEN, cwd=tmp_path)
    assert broken.returncode == 1 and f"error {Code.SYNTAX_ERROR.code}" in broken.stdout
    assert "teardown ran" not in broken.stderr

    usage = _run_entry_point("check", "--bogus", cwd=tmp_path)
    assert usage.returncode == 2 and "No such option" in usage.stderr

    version = _run_entry_point("--version", cwd=tmp_path)  # no command ran: the ordinary way
    assert version.returncode == 0 and version.stdout.strip() == f"precepts, version {__version__}"
    assert "teardown ran" in version.stderr


def test_other_commands_end_the_ordinary_way(tmp_path: Path) -> None:
    assert "check" in ENDS_AT_ONCE and not {"serve", "lsp", "build", "rate", "diff", "fmt"} & ENDS_AT_ONCE
    formatted = _run_entry_point("fmt", "--check", FRAMEWORK_2021, cwd=tmp_path)
    assert "teardown ran" in formatted.stderr, formatted.stderr
