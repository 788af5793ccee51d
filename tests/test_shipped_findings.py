"""The exact findings, waived ones included, on each shipped framework.

Any change in the checker's behaviour on the real frameworks shows here. To accept a
change after reviewing it: PRECEPTS_UPDATE_GOLDEN=1 python3 -m pytest tests/test_shipped_findings.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from support import FRAMEWORKS, GOLDEN, REPO_ROOT

from precepts.core.diagnostics import Diagnostic
from precepts.pipeline import check_path

GOLDEN_FILE = GOLDEN / "shipped-findings.json"
SHIPPED = sorted(FRAMEWORKS.rglob("*.precepts"))


def _entry(diagnostic: Diagnostic, waiver: str | None) -> dict[str, object]:
    span = diagnostic.span
    return {
        "code": diagnostic.code,
        "where": f"{span.file}:{span.line}:{span.column}" if span else None,
        "subjects": list(diagnostic.subjects),
        "waived": waiver,
    }


def findings(path: Path) -> list[dict[str, object]]:
    result = check_path(path)
    entries = [_entry(d, None) for d in result.diagnostics]
    entries += [_entry(w.diagnostic, w.waiver.reason) for w in result.waived]  # type: ignore[attr-defined]
    return sorted(entries, key=lambda e: (str(e["where"]), str(e["code"])))


@pytest.fixture(scope="module")
def actual(monkeypatch_module: pytest.MonkeyPatch) -> dict[str, list[dict[str, object]]]:
    monkeypatch_module.chdir(REPO_ROOT)
    return {str(p.relative_to(REPO_ROOT)): findings(p.relative_to(REPO_ROOT)) for p in SHIPPED}


@pytest.fixture(scope="module")
def monkeypatch_module() -> pytest.MonkeyPatch:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_shipped_frameworks_have_exactly_the_recorded_findings(actual: dict[str, list[dict[str, object]]]) -> None:
    if os.environ.get("PRECEPTS_UPDATE_GOLDEN"):
        GOLDEN_FILE.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))
    assert actual == expected


def test_every_unwaived_finding_on_the_shipped_frameworks_is_information(
    actual: dict[str, list[dict[str, object]]],
) -> None:
    # Real faults of the published text are waived with a reason; what remains is the
    # open rules (R001), which are information, never a fault.
    unwaived = {e["code"] for entries in actual.values() for e in entries if e["waived"] is None}
    assert unwaived <= {"R001"}


def test_every_waiver_gives_its_reason(actual: dict[str, list[dict[str, object]]]) -> None:
    reasons = [e["waived"] for entries in actual.values() for e in entries if e["waived"] is not None]
    assert reasons and all(isinstance(r, str) and len(r) > 20 for r in reasons)
