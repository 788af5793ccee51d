"""The static checks CI relies on, run as CI runs them (CI only runs the README's pytest command)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPOSITORY, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing() -> None:
    result = _run(sys.executable, "-m", "ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing_in_any_module() -> None:
    result = _run(sys.executable, "tools/typecheck.py")
    assert result.returncode == 0, result.stdout + result.stderr
    # Every module is checked, not just the few an editable install lets mypy find, and the
    # scripts beside the package.
    sys.path.insert(0, str(REPOSITORY / "tools"))
    try:
        import packageview
        import typecheck
    finally:
        sys.path.pop(0)
    checked = int(result.stdout.rsplit("in ", 1)[1].split()[0])
    modules = sum(1 for folder in packageview.package_dirs(REPOSITORY).values() for _ in folder.rglob("*.py"))
    scripts = sum(1 for folder in typecheck.SCRIPT_FOLDERS for _ in (REPOSITORY / folder).glob("*.py"))
    assert checked == modules + scripts, result.stdout
    assert modules > 90 and scripts > 2, (modules, scripts)
