"""Assemble the `precepts` package as one folder tree, for tools that cannot follow `package-dir`.

Each top-level folder is mapped into `precepts.*` by setuptools' `package-dir` table in
pyproject.toml, and an editable install reaches them through an import hook that static tools
(mypy, import graphs) do not run. This module keeps `.packageview/precepts/`, a tree of
symbolic links to the real folders, from that same table, so that a new subsystem is picked up
as soon as it is declared there. `real_path` maps a path inside the view back to the repository.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
# Not under build/, which is where `precepts build` publishes by default: a published folder
# must not carry a tree of links to the source.
VIEW = REPOSITORY / ".packageview"


def package_dirs(repository: Path = REPOSITORY) -> dict[str, Path]:
    """The `[tool.setuptools] package-dir` table: dotted package name to its real folder."""
    with (repository / "pyproject.toml").open("rb") as handle:
        setuptools = tomllib.load(handle)["tool"]["setuptools"]
    return {name: (repository / folder).resolve() for name, folder in setuptools["package-dir"].items()}


def _view_path(view: Path, package: str) -> Path:
    return view.joinpath(*package.split("."))


def _links(mapping: dict[str, Path], view: Path) -> dict[Path, Path]:
    """Every link the view holds: its path in the view, and the real file or folder it points to."""
    links = {}
    for package, folder in mapping.items():
        target = _view_path(view, package)
        nested = {other[len(package) + 1 :].split(".")[0] for other in mapping if other.startswith(package + ".")}
        if not nested:
            links[target] = folder
            continue
        # A package with mapped subpackages inside it: a real folder holding links to its own
        # entries, so that the subpackages can be linked in beside them.
        for entry in folder.iterdir():
            if entry.name not in nested and entry.name != "__pycache__":
                links[target / entry.name] = entry
    return links


def build(repository: Path = REPOSITORY, view: Path = VIEW) -> Path:
    """Bring the view up to date with the package-dir table and return its root.

    Links already right are left alone and stale ones removed, rather than rebuilding from
    scratch, so that two runs at once (an editor and the test suite) do not pull the tree from
    under each other.
    """
    links = _links(package_dirs(repository), view)
    folders = {parent for link in links for parent in link.parents if view in parent.parents or parent == view}
    # os.walk does not descend into the linked folders (followlinks is off), only the view's own.
    for root, folder_names, file_names in os.walk(view, topdown=False):
        for name in folder_names + file_names:
            path = Path(root, name)
            if path.is_symlink():
                if links.get(path) != Path(os.readlink(path)):
                    path.unlink(missing_ok=True)
            elif path.is_dir() and path not in folders:
                shutil.rmtree(path, ignore_errors=True)
    for link, real in sorted(links.items()):
        link.parent.mkdir(parents=True, exist_ok=True)
        if not link.is_symlink():
            try:
                link.symlink_to(real, target_is_directory=real.is_dir())
            except FileExistsError:  # made by a run beside this one
                pass
    return view


def real_prefixes(repository: Path = REPOSITORY, view: Path = VIEW) -> list[tuple[str, str]]:
    """(view prefix, repository prefix) pairs, relative to the repository, longest first."""
    pairs = []
    for package, folder in package_dirs(repository).items():
        in_view = _view_path(view, package).relative_to(repository).as_posix() + "/"
        real = folder.relative_to(repository).as_posix() + "/"
        pairs.append((in_view, real))
    return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


def real_path(text: str, prefixes: list[tuple[str, str]]) -> str:
    """Rewrite every view path in `text` (a line of tool output) to the repository path."""
    for in_view, real in prefixes:
        text = text.replace(in_view, real)
    return text
