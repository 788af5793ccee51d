"""One slip, one finding: what only follows from a slip is held back (validators/cascades.py).

Each folder of tests/fixtures/one_slip/ holds a framework with one slip and the one finding
it must give. The same slips made in the shipped 2021 framework (two levels, shared rules)
must give one error too.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from support import FRAMEWORK_2021, FRAMEWORKS, TESTS

from precepts.core.diagnostics import Severity
from precepts.pipeline import check_path

ONE_SLIP = TESTS / "fixtures" / "one_slip"


def shown(path: Path) -> tuple[list[str], int]:
    result = check_path(path)
    return [f"{d.code} {d.span.line}:{d.span.column}" for d in result.diagnostics if d.span], len(result.held_back)


@pytest.mark.parametrize("case", sorted(p.name for p in ONE_SLIP.iterdir() if p.is_dir()))
def test_one_slip_gives_exactly_one_finding(case: str) -> None:
    folder = ONE_SLIP / case
    expected = (folder / "expected.txt").read_text(encoding="utf-8").split()
    findings, _held = shown(folder / "main.precepts")
    assert findings == [" ".join(expected)], findings


# (the slip as a regular expression and its replacement, made once; the code it must give)
SLIPS_IN_2021 = [
    (r"question 1\.1\.1 ", "questoin 1.1.1 ", "S003"),
    # Its prompts read as 1.1.1's, numbered twice there: held back.
    (r"question 1\.1\.2 ", "questoin 1.1.2 ", "S003"),
    # Its key questions read as 1.1's, numbered as another standard's: held back.
    (r"standard 1\.2 ", "standrad 1.2 ", "S003"),
    # The PDU part of a standard whose regional part comes first: "at region but not at pdu".
    (r"(section: PDU[\s\S]*?)standard 1\.2 ", r"\1standrad 1.2 ", "S003"),
    # Its standards read into the regional section: references and waivers held back.
    (r"section: PDU", "sectoin: PDU", "S003"),
    (r"standard 1\.2 Staffing", "standard 2.2 Staffing", "N001"),
    (r"(question 1\.1\.1 .*\n.*\n)      b\)", r"\1      c)", "N002"),
]


@pytest.mark.parametrize(("pattern", "replacement", "code"), SLIPS_IN_2021, ids=[s[1].strip().replace("\\1", "PDU ") for s in SLIPS_IN_2021])
def test_one_slip_in_the_2021_framework_gives_one_error(
    tmp_path: Path, pattern: str, replacement: str, code: str
) -> None:
    (tmp_path / "precepts.toml").write_text("", encoding="utf-8")
    shutil.copytree(FRAMEWORKS / "shared", tmp_path / "shared")
    text, count = re.subn(pattern, replacement, FRAMEWORK_2021.read_text(encoding="utf-8"), count=1)
    assert count == 1
    path = tmp_path / FRAMEWORK_2021.name
    path.write_text(text, encoding="utf-8")
    result = check_path(path)
    errors = [d for d in result.diagnostics if d.severity is not Severity.INFO]
    assert [d.code for d in errors] == [code], [f"{d.code} {d.span} {d.message}" for d in errors]
    assert result.held_back, "what follows from the slip is held back, and counted"
