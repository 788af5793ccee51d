"""Framework files as they were at a git revision: `REV:PATH`, as git writes it.

`precepts diff main:frameworks/hmip-adult-2021.precepts frameworks/hmip-adult-2021.precepts`
compares a framework with the version committed on `main`. The whole tree at the
revision is exported to a temporary folder (`git archive`), so the file's includes and
the mapping files beside it are read as they were at that revision too.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

# REV:PATH; a revision never holds a space or starts with "-" (so no option can be smuggled to git).
_REVISION = re.compile(r"^(?P<revision>[^\s:-][^\s:]*):(?P<path>.+)$")


class RevisionError(Exception):
    """REV:PATH could not be read; the message says why and what to do."""


@dataclass(frozen=True)
class Exported:
    path: Path  # the file in the exported tree
    shown: str  # REV:PATH as the user wrote it, for messages and reports
    folder: Path  # the exported tree, removed by cleanup()

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def shown_text(self, text: str) -> str:
        """Text that names files of the exported tree, naming them as REV:PATH instead."""
        revision = self.shown.split(":", 1)[0]
        return text.replace(f"{self.folder}/", f"{revision}:")


def is_revision_path(argument: str) -> bool:
    return not Path(argument).exists() and _REVISION.match(argument) is not None


def export(argument: str) -> Exported:
    """The file named by REV:PATH (PATH from the repository's top, or from here when it
    starts with ./ or ../), in a temporary copy of the tree at REV."""
    match = _REVISION.match(argument)
    if match is None:
        raise RevisionError(f"{argument} is not REV:PATH")
    revision, inside = match["revision"], match["path"]
    try:
        top = _git("rev-parse", "--show-toplevel").decode("utf-8", "replace").strip()
    except RevisionError as error:
        raise RevisionError(f"{argument}: REV:PATH names a file as committed in git, and {Path.cwd()} is not in a "
                            f"git repository ({error})") from None
    if inside.startswith(("./", "../")):
        try:
            inside = (Path.cwd() / inside).resolve().relative_to(Path(top).resolve()).as_posix()
        except ValueError:
            raise RevisionError(f"{argument}: {inside} is outside the git repository at {top}") from None
    try:
        _git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", cwd=top)
    except RevisionError:
        raise RevisionError(f"{argument}: git knows no commit '{revision}' (a branch, tag or commit id)") from None
    archive = _git("archive", "--format=tar", revision, cwd=top)
    folder = Path(tempfile.mkdtemp(prefix="precepts-revision-"))
    try:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tree:
            if hasattr(tarfile, "data_filter"):
                tree.extractall(folder, filter="data")
            else:  # Python before 3.11.4: only plain files and folders, inside the folder
                safe = [m for m in tree.getmembers() if (m.isfile() or m.isdir())
                        and not m.name.startswith("/") and ".." not in Path(m.name).parts]
                tree.extractall(folder, members=safe)
    except (tarfile.TarError, OSError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise RevisionError(f"cannot export {revision}: {error}") from None
    # The repository's top bounds includes there as here (dsl/loader.py's project_root
    # looks for .git), so an include that works in the working copy works at REV too.
    (folder / ".git").mkdir(exist_ok=True)
    path = folder / inside
    if not path.is_file():
        shutil.rmtree(folder, ignore_errors=True)
        raise RevisionError(f"{argument}: there is no file {inside} at {revision}")
    return Exported(path, f"{revision}:{inside}", folder)


def _git(*arguments: str, cwd: str | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, check=False)
    except OSError as error:
        raise RevisionError(f"REV:PATH needs git, which cannot be run here: {error.strerror or error}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(f"git {arguments[0]}: {said[-1] if said else 'failed'}")
    return done.stdout
