"""Type-check the whole `precepts` package with mypy, reporting real repository paths.

Usage: python tools/typecheck.py [extra mypy arguments]

mypy cannot follow the `package-dir` mapping (see tools/packageview.py), so this builds the
package view, runs mypy on the package `precepts` inside it (and on the scripts in tools/ and
bench/) under the settings in pyproject.toml's `[tool.mypy]`, rewrites the view's paths in
mypy's output back to the repository's (`.packageview/precepts/core/codes.py` becomes `core/codes.py`) so that
editors and CI annotations point at the real files, and exits with mypy's exit code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# packageview is a sibling script, not part of the package.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import packageview

SCRIPT_FOLDERS = ("tools", "bench")


def main(arguments: list[str]) -> int:
    view = packageview.build()
    prefixes = packageview.real_prefixes()
    environment = dict(os.environ, MYPYPATH=str(view))
    # The scripts beside the package (these tools, the benchmarks) are held to the same standard.
    scripts = [path for folder in SCRIPT_FOLDERS for path in (packageview.REPOSITORY / folder).glob("*.py")]
    tools = sorted(str(path.relative_to(packageview.REPOSITORY)) for path in scripts)
    package = str((view / "precepts").relative_to(packageview.REPOSITORY))
    command = [sys.executable, "-m", "mypy", "--config-file", "pyproject.toml", package, *tools, *arguments]
    result = subprocess.run(
        command, cwd=packageview.REPOSITORY, env=environment, capture_output=True, text=True, check=False
    )
    sys.stdout.write(packageview.real_path(result.stdout, prefixes))
    sys.stderr.write(packageview.real_path(result.stderr, prefixes))
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
