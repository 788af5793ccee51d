"""Paths and helpers shared by the test modules."""

from __future__ import annotations

import inspect
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from precepts.cli import main
from precepts.compiler.model import Framework
from precepts.pipeline import Result as CheckResult
from precepts.pipeline import check_path

TESTS = Path(__file__).resolve().parent
REPO_ROOT = TESTS.parent
FRAMEWORKS = REPO_ROOT / "frameworks"
FRAMEWORK_2021 = FRAMEWORKS / "hmip-adult-2021.precepts"
SHARED_RULES = FRAMEWORKS / "shared" / "hmip-case-ratings.precepts"
CHECK_FIXTURES = TESTS / "fixtures" / "checks"
GOLDEN = TESTS / "golden"
# The published documents the frameworks are transcribed from. They are not in the repository
# (the frameworks hold the transcriptions); the corpus tests compare against them. In CI the
# repository is cloned with shared/ beside it; elsewhere PRECEPTS_SEEDS names the folder.
SEEDS = Path(os.environ.get("PRECEPTS_SEEDS") or REPO_ROOT.parent / "shared" / "seeds")
SEED_2021 = SEEDS / "000_146081cfc030480c.txt"


def seed(name: str) -> Path:
    """A published document by its file name in the seeds folder."""
    return SEEDS / name


def seed_missing(path: Path) -> str:
    """Why a test that needs the published document `path` cannot run, and how to let it."""
    return (
        f"needs the published document {path.name}, which is not at {path}: set PRECEPTS_SEEDS "
        f"to a folder holding the published documents (default ../shared/seeds beside the repository)"
    )


def runner() -> CliRunner:
    """A runner that keeps standard error apart from standard output (click 8.1 and 8.2+)."""
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()


def invoke(*args: str | Path) -> Result:
    return runner().invoke(main, [str(a) for a in args], catch_exceptions=True)


def check_json(*args: str | Path) -> tuple[Result, dict[str, Any]]:
    """Run `precepts check --format json ARGS` and parse what it prints."""
    result = invoke("check", "--format", "json", *args)
    return result, json.loads(result.stdout)


def no_traceback(result: Result) -> None:
    """The command ended by exiting, not by an exception, and printed no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr, result.stderr


@cache
def checked(path: Path) -> CheckResult:
    """The result of checking a framework file, computed once per test run."""
    return check_path(path)


def compiled(path: Path) -> Framework:
    """A framework's model; fails the test, listing the findings, if it did not compile."""
    framework = checked(path).framework
    assert framework is not None, [d.message for d in checked(path).diagnostics]
    return framework


def check_text(tmp_path: Path, text: str, name: str = "main.precepts") -> CheckResult:
    """Check framework `text` written to a file `name` in `tmp_path` (includes resolve beside it)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return check_path(path)


def documentation() -> str:
    """The README and every page of the documentation site (docs/), as one text: what a
    user can read. Tests that hold the documentation to the code read this."""
    pages = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").rglob("*.md"))]
    return "\n\n".join(page.read_text(encoding="utf-8") for page in pages)
