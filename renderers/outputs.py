"""Publishing a build's files as one atomic step, and comparing them with what is there.

The design (README, "Publishing is atomic"): a build never writes into the output folder.
It makes a complete new copy of the folder beside it, in a staging folder named
`.<folder>.precepts-build-*` in the same parent (so that the switch is a rename on one
file system): the changed files written in full and flushed to disk, the unchanged ones
and any files the build did not write hard-linked from the current folder (so they keep
their bytes and times). Then one system call swaps the two folders: renameat2 with
RENAME_EXCHANGE on Linux, which the kernel does atomically. At every instant the output
folder is the whole previous build or the whole new one; a process killed at any point
leaves one of the two, plus at most a staging folder that the next build removes. The
previous folder, now at the staging name, is deleted.

Where the exchange is not available (not Linux, or a file system without it), the swap
is two renames: the old folder aside to `.<folder>.precepts-old-*`, the new one in. In
between the folder is briefly absent, never mixed, and a build interrupted there is
repaired by the next one, which first puts the old folder back.

A lock on the parent folder (flock) serialises builds into the same folder, so two
concurrent builds publish one after the other and neither sees the other's staging.

Files that a previous build listed in its index.json and this build does not make are
not carried over (they are obsolete). Files the build never wrote are carried over
untouched, and `build --check` reports them.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from precepts.renderers.index import INDEX

STAGING_PREFIX = ".precepts-build-"  # before 0.2, inside the output folder; now after ".<folder>"
ASIDE_PREFIX = ".precepts-old-"


class OutputError(Exception):
    """The output folder cannot take the build (a file where a folder must go, no permission)."""


@dataclass
class Comparison:
    missing: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)
    obsolete: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Files in the folder that no build wrote (neither this one nor, per its index.json, the last).
    foreign: list[str] = field(default_factory=list)
    # Staging folders an interrupted build left beside the output folder (or, before 0.2, in it).
    leftovers: list[str] = field(default_factory=list)

    @property
    def up_to_date(self) -> bool:
        return not (self.missing or self.differing or self.obsolete or self.foreign or self.leftovers)

    @property
    def changes(self) -> bool:
        """Whether publishing would change the folder's content (foreign files stay as they are)."""
        return bool(self.missing or self.differing or self.obsolete)


def _safe_relative(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return bool(parts) and not PurePosixPath(path).is_absolute() and ".." not in parts and not path.startswith(".")


def previous_files(target: Path) -> list[str]:
    """The files the last build listed in target/index.json (none if it has no readable index)."""
    try:
        document = json.loads((target / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    listed: list[str] = []
    if not isinstance(document, dict) or document.get("format") != "precepts-build-index":
        return []

    def collect(entries: object) -> None:
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("path"), str) and _safe_relative(entry["path"]):
                listed.append(entry["path"])

    collect(document.get("schemas"))
    for framework in document.get("frameworks") or []:
        if isinstance(framework, dict):
            collect(framework.get("artefacts"))
            for level in framework.get("levels") or []:
                if isinstance(level, dict):
                    collect(level.get("artefacts"))
    return [*listed, INDEX]


def _staging_prefix(target: Path) -> str:
    return f".{target.name}{STAGING_PREFIX}"


def _aside_prefix(target: Path) -> str:
    return f".{target.name}{ASIDE_PREFIX}"


def _files_in(folder: Path) -> Iterator[str]:
    """Every file (and symbolic link) below `folder`, as a relative posix path."""
    for here, folders, names in os.walk(folder):
        base = Path(here)
        for name in [*names, *(f for f in folders if (base / f).is_symlink())]:
            yield (base / name).relative_to(folder).as_posix()


def leftovers(target: Path) -> list[str]:
    """Staging folders of interrupted builds: beside the folder, and (before 0.2) inside it."""
    found = []
    if target.parent.is_dir():
        found += [str(target.parent / n) for n in os.listdir(target.parent) if n.startswith(_staging_prefix(target))]
    if target.is_dir():
        found += [str(target / n) for n in os.listdir(target) if n.startswith(STAGING_PREFIX)]
    return sorted(found)


def compare(files: dict[str, bytes], target: Path) -> Comparison:
    result = Comparison()
    for path, data in files.items():
        existing = target / path
        try:
            current = existing.read_bytes() if existing.is_file() else None
        except OSError:
            current = None
        if current is None:
            result.missing.append(path)
        elif current != data:
            result.differing.append(path)
        else:
            result.unchanged.append(path)
    previous = set(previous_files(target))
    result.obsolete = sorted(p for p in previous - set(files) if (target / p).is_file())
    if target.is_dir():
        result.foreign = sorted(
            p for p in _files_in(target)
            if p not in files and p not in previous and not p.startswith(STAGING_PREFIX)
        )
    result.leftovers = leftovers(target)
    return result


def _preflight(files: dict[str, bytes], target: Path) -> None:
    """Refuse before anything is written if some file cannot go where it must."""
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target} is a file, not a folder")
    for path in files:
        destination = target / path
        if destination.is_dir():
            raise OutputError(f"{destination} is a folder; the build must write a file there")
        for parent in destination.parents:
            if parent == target:
                break
            if parent.exists() and not parent.is_dir():
                raise OutputError(f"{parent} is a file; the build must make a folder there")
    real = target.resolve()
    here = Path.cwd().resolve()
    if real == here or real in here.parents or real == Path(real.anchor):
        raise OutputError(f"{target} holds the working folder; publish into a folder of its own, such as build/")


@contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder's parent while publishing into it.

    The parent, not the folder, because the folder itself is swapped for a new one: a lock
    on it would be a lock on the previous build. flock is released by the kernel when the
    process ends, however it ends, so a killed build never leaves a stale lock.
    """
    if sys.platform == "win32":  # no flock; builds into one folder are not serialised there
        yield
        return
    import fcntl

    handle = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE). False where the
    system or file system cannot; raises OSError for any other failure."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _fsync_folder(folder: Path) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems cannot sync a folder; the files themselves are synced
    finally:
        os.close(handle)


def _carry(source: Path, destination: Path) -> None:
    """Put an existing file into the new folder unchanged: a hard link (same bytes, same
    times, no copy), or a copy where the file system has no hard links."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if source.is_symlink():
        os.symlink(os.readlink(source), destination)
        return
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _write(destination: Path, data: bytes) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    with open(destination, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _fill(staging: Path, files: dict[str, bytes], target: Path, comparison: Comparison) -> None:
    for path in comparison.foreign:
        _carry(target / path, staging / path)
    for path, data in files.items():
        if path in comparison.unchanged:
            _carry(target / path, staging / path)
        else:
            _write(staging / path, data)
    if target.is_dir():  # the folder keeps its permissions
        os.chmod(staging, stat.S_IMODE(target.stat().st_mode))
    else:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(staging, 0o777 & ~mask)
    for here, _, _ in os.walk(staging):
        _fsync_folder(Path(here))


def _restore_interrupted_swap(target: Path) -> None:
    """A build killed between the two renames of the fallback swap left the folder aside:
    put it back before anything else."""
    if target.exists() or not target.parent.is_dir():
        return
    aside = sorted(n for n in os.listdir(target.parent) if n.startswith(_aside_prefix(target)))
    if aside:
        os.rename(target.parent / aside[-1], target)


def _remove_leftovers(target: Path) -> None:
    for leftover in leftovers(target):
        shutil.rmtree(leftover, ignore_errors=True)
    for name in os.listdir(target.parent):
        if name.startswith(_aside_prefix(target)):
            shutil.rmtree(target.parent / name, ignore_errors=True)


def _switch(staging: Path, target: Path) -> None:
    """Make `staging` the output folder in one step; afterwards `staging` holds the old one."""
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        return
    aside = Path(tempfile.mkdtemp(prefix=_aside_prefix(target), dir=target.parent))
    aside.rmdir()
    os.rename(target, aside)
    os.rename(staging, target)
    os.rename(aside, staging)


def publish(files: dict[str, bytes], target: Path) -> Comparison:
    """Write `files` (relative path → bytes) as the content of `target`; returns what changed."""
    if target.is_symlink():
        target = target.resolve()  # swap the folder the link points to, not the link
    _preflight(files, target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with build_lock(target):
            _restore_interrupted_swap(target)
            _remove_leftovers(target)
            comparison = compare(files, target)
            if target.is_dir() and not comparison.changes:
                return comparison
            staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(target), dir=target.parent))
            try:
                _fill(staging, files, target, comparison)
                _switch(staging, target)
                _fsync_folder(target.parent)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as error:
        raise OutputError(f"cannot write to {target}: {error.strerror or error}") from error
    return comparison
