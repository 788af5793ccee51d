"""A skip says what it needs, and under CI=true it is a failure (tests/ci_skips.py)."""

from __future__ import annotations

import pytest
from support import SEEDS, seed_missing

SKIPPING = """
import pytest

def test_needs_something():
    pytest.skip("needs the widget: set WIDGET to its folder")

@pytest.mark.skipif(True, reason="needs a marker thing")
def test_marked():
    pass

@pytest.mark.xfail(reason="known")
def test_expected_failure():
    assert False

def test_runs():
    pass
"""

MODULE_SKIP = """
import pytest
pytest.skip("needs chromium: apt-get install chromium", allow_module_level=True)

def test_never():
    pass
"""


def test_skips_pass_outside_ci(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    pytester.makepyfile(test_skipping=SKIPPING)
    result = pytester.runpytest("-p", "ci_skips", "-rs")
    result.assert_outcomes(passed=1, skipped=2, xfailed=1)
    result.stdout.fnmatch_lines(["*needs the widget: set WIDGET to its folder*"])


def test_skips_fail_in_ci(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    pytester.makepyfile(test_skipping=SKIPPING)
    result = pytester.runpytest("-p", "ci_skips")
    outcomes = result.parseoutcomes()  # a skip in setup (a skipif mark) shows as an error
    assert (outcomes.get("failed", 0) + outcomes.get("errors", 0), outcomes["passed"], outcomes["xfailed"]) == (2, 1, 1)
    assert "skipped" not in outcomes
    result.stdout.fnmatch_lines(["*skipped under CI=true*needs the widget: set WIDGET to its folder*"])
    assert result.ret != 0


def test_a_module_skipped_at_import_fails_in_ci(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    pytester.makepyfile(test_module_skip=MODULE_SKIP)
    result = pytester.runpytest("-p", "ci_skips")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*skipped under CI=true*apt-get install chromium*"])


def test_a_missing_seed_says_how_to_provide_it() -> None:
    reason = seed_missing(SEEDS / "000_x.txt")
    assert "PRECEPTS_SEEDS" in reason and "000_x.txt" in reason
