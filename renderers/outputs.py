"""Putting a build's files in place, all or nothing, and comparing them with what is there.

Every file is first written in full to a temporary folder inside the output folder (so
that moving it is a rename on the same file system), and only when all are written is
each moved over its old version with os.replace: a reader sees the old file or the new
one, never a part. index.json goes last. A failure before the moves leaves the previous
outputs untouched. Files a previous build listed in its index.json and this build does
not make are removed; nothing else in the folder is touched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from precepts.renderers.index import INDEX

STAGING_PREFIX = ".precepts-build-"


class OutputError(Exception):
    """The output folder cannot take the build (a file where a folder must go, no permission)."""


@dataclass
class Comparison:
    missing: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)
    obsolete: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def up_to_date(self) -> bool:
        return not (self.missing or self.differing or self.obsolete)


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
    result.obsolete = sorted(p for p in set(previous_files(target)) - set(files) if (target / p).is_file())
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


def publish(files: dict[str, bytes], target: Path) -> Comparison:
    """Write `files` (relative path → bytes) into `target`; returns what changed."""
    _preflight(files, target)
    try:
        target.mkdir(parents=True, exist_ok=True)
        comparison = compare(files, target)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=target))
    except OSError as error:
        raise OutputError(f"cannot write to {target}: {error.strerror or error}") from error
    try:
        changed = [p for p in files if p in comparison.missing or p in comparison.differing]
        for path in changed:
            staged = staging / path
            staged.parent.mkdir(parents=True, exist_ok=True)
            with open(staged, "wb") as out:
                out.write(files[path])
                out.flush()
                os.fsync(out.fileno())
        # Everything is written: now move each file into place, the index last.
        for path in sorted(changed, key=lambda p: p == INDEX):
            destination = target / path
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / path, destination)
        for path in comparison.obsolete:
            (target / path).unlink(missing_ok=True)
            _remove_empty_parents(target / path, target)
    except OSError as error:
        raise OutputError(f"cannot write to {target}: {error.strerror or error}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return comparison


def _remove_empty_parents(path: Path, stop: Path) -> None:
    for parent in path.parents:
        if parent == stop:
            return
        try:
            parent.rmdir()
        except OSError:
            return
