"""Golden files for every artefact of the 2021 framework's build, index.json and the
format schemas included: tests/golden/build/ is exactly what `precepts build` writes for
frameworks/hmip-adult-2021.precepts, as `precepts build --check` confirms.

After an intended change run `PRECEPTS_UPDATE_GOLDEN=1 python3 -m pytest tests/test_build_golden.py`
and review the diff before committing.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from support import FRAMEWORK_2021, GOLDEN, REPO_ROOT
from test_build_fixtures import build_in

GOLDEN_BUILD = GOLDEN / "build"
EXPECTED = {
    "index.json",
    "schemas/precepts-build-index-1.schema.json",
    "schemas/precepts-diff-1.schema.json",
    "schemas/precepts-ratings-1.schema.json",
    "schemas/precepts-ratings-2.schema.json",
    "schemas/precepts-form-1.schema.json",
    "schemas/precepts-framework-1.schema.json",
    "schemas/precepts-check-1.schema.json",
    "hmip-adult-2021/framework.json",
    "hmip-adult-2021/consultation.html",
    # Binary, but byte for byte the same for the same input (tests/test_build_documents.py),
    # so kept as golden files like the .xlsx. The PDF's bytes also depend on the WeasyPrint
    # release and the system's fonts, and the .docx's on python-docx's template: an upgrade of
    # either shows up here, to be regenerated once tests/test_build_documents.py passes.
    "hmip-adult-2021/consultation.docx",
    "hmip-adult-2021/consultation.pdf",
    "hmip-adult-2021/questionnaires/experience-of-probation.form.json",
    "hmip-adult-2021/questionnaires/experience-of-probation.xlsx",
    "hmip-adult-2021/pdu/assessment-record.schema.json",
    "hmip-adult-2021/pdu/lead-inspector-record.schema.json",
    "hmip-adult-2021/pdu/case-assessment.form.json",
    "hmip-adult-2021/pdu/case-assessment.xlsx",
    "hmip-adult-2021/pdu/rating-input.schema.json",
}


def _first_difference(built: Path) -> str:
    for golden in sorted(GOLDEN_BUILD.rglob("*")):
        if not golden.is_file():
            continue
        fresh = built / golden.relative_to(GOLDEN_BUILD)
        if not fresh.is_file() or fresh.read_bytes() == golden.read_bytes():
            continue
        if golden.suffix in (".xlsx", ".docx", ".pdf"):
            return f"{golden.name} differs"
        diff = difflib.unified_diff(golden.read_text(encoding="utf-8").splitlines(),
                                    fresh.read_text(encoding="utf-8").splitlines(),
                                    str(golden), str(fresh), lineterm="", n=2)
        return "\n".join(list(diff)[:60])
    return ""


def test_the_2021_build_matches_the_golden_files(tmp_path: Path) -> None:
    source = FRAMEWORK_2021.relative_to(REPO_ROOT)
    if os.environ.get("PRECEPTS_UPDATE_GOLDEN") == "1":
        assert build_in(REPO_ROOT, GOLDEN_BUILD, source).exit_code == 0
    written = {p.relative_to(GOLDEN_BUILD).as_posix() for p in GOLDEN_BUILD.rglob("*") if p.is_file()}
    assert written == EXPECTED, "no golden files: run with PRECEPTS_UPDATE_GOLDEN=1 to write them"
    check = build_in(REPO_ROOT, GOLDEN_BUILD, source, check=True)
    if check.exit_code != 0:
        fresh = tmp_path / "build"
        build_in(REPO_ROOT, fresh, source)
        raise AssertionError(f"{check.stdout}\n{_first_difference(fresh)}")
