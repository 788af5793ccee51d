"""One fixture folder per diagnostic code: a failing case and its corrected twin.

tests/fixtures/checks/<CODE>/fail/main.precepts must give exactly the findings listed in
fail/expected.txt — every finding, of every code, so that a change adding a wrong finding
of another code is noticed — one per line as `CODE line:column` (a finding in another
file of the case is written `CODE path:line:column`, path relative to the case folder;
lines starting with '#' are comments, which say why a finding of another code belongs).
pass/main.precepts is the same framework with the fault corrected: no finding of that
code, no errors at all, and exactly the findings in pass/expected.txt (none when there is
no such file).

The codes of inputs other than a framework (the I family) keep the input beside the
framework: `input.json` or `input.csv` (rating input, rated under main.precepts),
`mapping.yaml` (a mapping file) or `cases.yaml` (a rule-case file). Their findings are
listed in expected.txt with the file's name (`I002 input.json:3:45`).

A Word document for `precepts import` (I008–I011) is made when the test runs, by the case's
`document.py`, whose make() returns the .docx's bytes (python-docx writes a .docx with the
time in it, so the script, not the file, is kept). It is imported as `input.docx`, its
findings listed as `I009 input.docx:PARAGRAPH:1`; main.precepts is what the import writes,
byte for byte (for a document that cannot be read, any framework).
"""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import NamedTuple

import pytest
from support import CHECK_FIXTURES

from precepts.changes.mapping import MappingError, read_mapping
from precepts.core.codes import BY_CODE, Code
from precepts.core.diagnostics import Diagnostic, Severity
from precepts.pipeline import Result as CheckResult
from precepts.pipeline import check_path
from precepts.ratings.cases import CaseFileError, load_case_file
from precepts.ratings.findings import diagnostics as input_diagnostics
from precepts.ratings.inputs import InputError
from precepts.ratings.run import Rater

MAIN = "main.precepts"


class Finding(NamedTuple):
    code: str
    file: str  # relative to the case folder
    line: int
    column: int

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}" if self.file == MAIN else f"{self.file}:{self.line}:{self.column}"
        return f"{self.code} {where}"


def fixture_folders() -> list[str]:
    return sorted(p.name for p in CHECK_FIXTURES.iterdir() if p.is_dir())


def read_expected(case: Path) -> list[Finding]:
    findings = []
    for number, raw in enumerate((case / "expected.txt").read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        code, where = line.split()
        parts = where.split(":")
        assert len(parts) in (2, 3), f"{case}/expected.txt:{number}: write CODE line:column"
        file = parts[0] if len(parts) == 3 else MAIN
        findings.append(Finding(code, file, int(parts[-2]), int(parts[-1])))
    return sorted(findings)


def as_finding(diagnostic: Diagnostic, case: Path) -> Finding:
    assert diagnostic.span is not None, f"{diagnostic.code} has no location: {diagnostic.message}"
    file = Path(diagnostic.span.file).resolve().relative_to(case.resolve()).as_posix()
    return Finding(diagnostic.code, file, diagnostic.span.line, diagnostic.span.column)


def describe(diagnostics: tuple[Diagnostic, ...]) -> str:
    return "\n".join(
        f"  {d.code} {d.span.line if d.span else '-'}:{d.span.column if d.span else '-'} {d.message}"
        for d in diagnostics
    )


def test_every_code_has_a_failing_and_a_passing_fixture() -> None:
    missing = [
        f"{code.code} ({code.readable_name}): {CHECK_FIXTURES.name}/{code.code}/{kind}/{MAIN}"
        for code in Code
        for kind in ("fail", "pass")
        if not (CHECK_FIXTURES / code.code / kind / MAIN).is_file()
    ]
    missing += [
        f"{code.code}: {code.code}/fail/expected.txt"
        for code in Code
        if not (CHECK_FIXTURES / code.code / "fail" / "expected.txt").is_file()
    ]
    assert not missing, "codes without fixtures:\n" + "\n".join(missing)


def test_every_fixture_folder_is_a_code() -> None:
    assert [name for name in fixture_folders() if name not in BY_CODE] == []


def input_findings(case: Path, result: CheckResult) -> tuple[Diagnostic, ...]:
    """The findings about the inputs beside a case's framework, read as precepts reads them."""
    found: list[Diagnostic] = []
    inputs = [case / name for name in ("input.json", "input.csv") if (case / name).is_file()]
    if inputs and result.framework is not None:
        rater = Rater.for_framework(result.framework, None)
        try:
            rater.rate_loaded(rater.load(inputs))
        except InputError as error:
            found.extend(input_diagnostics(error.problems))
    if (case / "mapping.yaml").is_file():
        try:
            read_mapping(case / "mapping.yaml")
        except MappingError as error:
            found.extend(error.diagnostics())
    if (case / "document.py").is_file():
        found.extend(imported_document(case))
    if (case / "cases.yaml").is_file():
        try:
            load_case_file(case / "cases.yaml")
        except CaseFileError as error:
            found.append(error.diagnostic())
    return tuple(found)


def imported_document(case: Path) -> tuple[Diagnostic, ...]:
    """The findings of importing the case's Word document; what it imports to must be main.precepts."""
    from precepts.importers.word import UnreadableDocument, import_word

    make = runpy.run_path(str(case / "document.py"))["make"]
    try:
        imported = import_word(make(), str(case / "input.docx"))
    except UnreadableDocument as error:
        return (error.diagnostic,)
    assert imported.text == (case / MAIN).read_text(encoding="utf-8"), f"{case}: importing input.docx writes\n{imported.text}"
    return imported.findings


def findings_of(case: Path) -> tuple[CheckResult, tuple[Diagnostic, ...]]:
    result = check_path(case / MAIN)
    return result, (*result.diagnostics, *input_findings(case, result))


@pytest.mark.parametrize("folder", fixture_folders())
def test_failing_case_reports_exactly_the_expected_findings(folder: str) -> None:
    code = BY_CODE[folder]
    case = CHECK_FIXTURES / folder / "fail"
    expected = read_expected(case)
    assert code.code in {f.code for f in expected}, "a failing case must expect a finding of its folder's code"

    result, diagnostics = findings_of(case)
    reported = [d for d in diagnostics if d.code == code.code]

    assert sorted(as_finding(d, case) for d in diagnostics) == expected, (
        f"expected {[str(f) for f in expected]}, got:\n{describe(diagnostics)}"
    )
    for diagnostic in reported:
        assert diagnostic.name == code.readable_name
        assert diagnostic.severity is code.severity
        assert diagnostic.message.strip()
        assert diagnostic.span is not None
        assert (diagnostic.span.end_line, diagnostic.span.end_column) > (diagnostic.span.line, diagnostic.span.column)
    if code.severity is Severity.ERROR:
        assert result.has_errors or any(d.severity is Severity.ERROR for d in diagnostics)


@pytest.mark.parametrize("folder", fixture_folders())
def test_passing_case_is_clean(folder: str) -> None:
    code = BY_CODE[folder]
    case = CHECK_FIXTURES / folder / "pass"
    result, diagnostics = findings_of(case)
    assert not [d for d in diagnostics if d.code == code.code], describe(diagnostics)
    expected = read_expected(case) if (case / "expected.txt").exists() else []
    assert sorted(as_finding(d, case) for d in diagnostics) == expected, describe(diagnostics)
    errors = tuple(d for d in diagnostics if d.severity is Severity.ERROR)
    assert errors == (), describe(errors)
    assert result.framework is not None


def test_expected_file_format_is_read_as_documented(tmp_path: Path) -> None:
    (tmp_path / "expected.txt").write_text("# a comment\n\nN002 14:7\nS005 rules.precepts:3:10\n", encoding="utf-8")
    assert read_expected(tmp_path) == [
        Finding("N002", MAIN, 14, 7),
        Finding("S005", "rules.precepts", 3, 10),
    ]
    assert str(Finding("N002", MAIN, 14, 7)) == "N002 14:7"
