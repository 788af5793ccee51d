"""Type-check the whole `precepts` package with mypy, reporting real repository paths.

Usage: python tools/typecheck.py [extra mypy arguments]

mypy cannot follow the `package-dir` mapping (see tools/packageview.py), so this builds the
package view, runs mypy on the package `precepts` inside it (and on these tools) under the settings in
pyproject.toml's `[tool.mypy]`, rewrites the view's paths in mypy's output back to the
repository's (`.packageview/precepts/core/codes.py` becomes `core/codes.py`) so that
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


def main(arguments: list[str]) -> int:
    view = packageview.build()
    prefixes = packageview.real_prefixes()
    environment = dict(os.environ, MYPYPATH=str(view))
    tools = sorted(str(path.relative_to(packageview.REPOSITORY)) for path in Path(__file__).parent.glob("*.py"))
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
