"""The path a published output records for its framework file: relative to the project.

Diagnostics show a path relative to the working folder, as compilers do. A published
output must not depend on where `build` was run from (two builds of one commit are byte
for byte the same), so it records the path relative to the project root: the folder that
bounds includes (dsl/loader.py's project_root, marked by .git, pyproject.toml or
precepts.toml), with '/' between folders on every system.
"""

from __future__ import annotations

from pathlib import Path

from precepts.dsl.loader import project_root


def published_path(file: str) -> str:
    """`file` (as shown to the user, relative to the working folder or absolute) relative
    to its project root."""
    absolute = Path(file).resolve()
    try:
        return absolute.relative_to(project_root(absolute)).as_posix()
    except ValueError:  # not below its own root: cannot happen, but never fail a build over it
        return absolute.name
