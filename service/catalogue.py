"""The frameworks a server serves: compiled from DIR, swapped in whole, and kept at their
last good version when an edit breaks them (issue 11, "Serving frameworks that change").

A Snapshot is immutable. Reloading makes a new one in a worker thread and replaces the
reference in one assignment, so a request sees the old snapshot or the new one, never a
half-loaded state. Published versions (`id@rev`) are built once per commit, by the
`precepts build` command run on the tree at that commit, and kept for the life of the
server: a commit never changes.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from precepts.service import core_calls

if TYPE_CHECKING:
    from precepts.compiler.model import Framework

# Ids are what `build` accepts as a folder name; revisions are git names without anything
# git would read as an option, a range, a reflog step or a path.
FRAMEWORK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
REVISION = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._/~^-]{0,127}$")


def valid_id(text: str) -> bool:
    return FRAMEWORK_ID.match(text) is not None and ".." not in text


def valid_revision(text: str) -> bool:
    return (REVISION.match(text) is not None and ".." not in text and "//" not in text
            and not text.endswith((".", "/", ".lock")))


@dataclass(frozen=True)
class Served:
    """One artefact as served: its bytes, media type and strong validator."""

    data: bytes
    media_type: str
    sha256: str

    @classmethod
    def of(cls, data: bytes, media_type: str) -> Served:
        return cls(data, media_type, hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class Entry:
    """One framework at one version."""

    id: str
    title: str
    version: str | None
    status: str | None
    levels: tuple[str, ...]
    file: str  # the source file, as shown
    artefacts: dict[str, Served]  # path inside the framework's build folder → artefact
    framework: Framework | None = None  # in memory for the working copy; None for a published version

    @property
    def compiled(self) -> Served:
        return self.artefacts["framework.json"]


@dataclass(frozen=True)
class Snapshot:
    frameworks: dict[str, Entry]
    schemas: dict[str, Served]  # the format schemas, by file name
    errors: dict[str, list[str]]  # source file → its errors, where it does not compile now
    stale: frozenset[str]  # ids served at their last good version
    missing: tuple[str, ...]  # files with errors and no good version to serve
    findings: dict[str, int]  # severity → number of findings over every file
    loaded_at: float
    generation: int

    @property
    def ready(self) -> bool:
        return not self.missing


def _error_lines(result: object) -> list[str]:
    diagnostics = getattr(result, "diagnostics", ())
    lines = []
    for d in diagnostics:
        if d.severity.value != "error":
            continue
        where = f"{d.span.file}:{d.span.line}:{d.span.column}" if d.span else getattr(result, "path", "")
        lines.append(f"{where}: {d.code} ({d.name}) {d.message}")
    return lines


class Catalogue:
    """The working copy's frameworks (reloaded on change) and the published versions."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.snapshot: Snapshot | None = None
        self._good: dict[str, Framework] = {}  # source file → last framework that compiled
        self._reload_lock = threading.Lock()
        self._revisions: dict[str, dict[str, Entry] | str] = {}  # commit → entries, or why it did not build
        self._revision_locks: dict[str, threading.Lock] = {}
        self._revision_guard = threading.Lock()
        self._models: dict[str, Framework | str] = {}
        self.last_error: str | None = None

    # ---- the working copy --------------------------------------------------------------------

    def reload(self) -> Snapshot:
        """Compile every file in the folder and swap the result in (runs in a worker thread)."""
        with self._reload_lock:
            return self._reload()

    def _reload(self) -> Snapshot:
        files = core_calls.framework_files(self.folder) if self.folder.is_dir() else []
        inside = self.folder.resolve()
        files = [f for f in files if f.resolve().is_relative_to(inside)]  # a symlink out of the folder is not served
        errors: dict[str, list[str]] = {}
        findings: dict[str, int] = {"error": 0, "warning": 0, "info": 0}
        good: dict[str, Framework] = {}
        missing: list[str] = []
        stale: set[str] = set()
        for file in files:
            result = core_calls.check_file(file)
            for d in result.diagnostics:
                findings[d.severity.value] = findings.get(d.severity.value, 0) + 1
            if result.framework is not None and not result.has_errors:
                good[result.path] = result.framework
                continue
            errors[result.path] = _error_lines(result)
            if result.path in self._good:
                good[result.path] = self._good[result.path]
                stale.add(self._good[result.path].id)
            else:
                missing.append(result.path)
        frameworks = [f for f in good.values() if f.kind == "framework"]
        previous = self.snapshot
        try:
            build = core_calls.build_frameworks(frameworks) if frameworks else core_calls.Build({})
        except core_calls.usage_error() as error:
            self.last_error = str(error)
            errors[str(self.folder)] = [str(error)]
            if previous is not None:  # keep serving what was served
                kept = Snapshot(previous.frameworks, previous.schemas, errors, previous.stale,
                                previous.missing, findings, time.time(), previous.generation + 1)
                self.snapshot = kept
                return kept
            build = core_calls.Build({})
            missing.append(str(self.folder))
        entries = {}
        for identifier, built in build.frameworks.items():
            framework = built.framework
            entries[identifier] = Entry(
                identifier, framework.title or identifier, framework.version, framework.status,
                tuple(level.id for level in framework.levels), built.path,
                {path: Served.of(a.data, a.media_type) for path, a in built.artefacts.items()},
                framework,
            )
        schemas = {path.removeprefix("schemas/"): Served.of(data, "application/schema+json")
                   for path, data in build.files.items() if path.startswith("schemas/")}
        if not schemas and previous is not None:
            schemas = previous.schemas
        self._good = good
        snapshot = Snapshot(entries, schemas, errors, frozenset(stale), tuple(missing), findings, time.time(),
                            (previous.generation + 1) if previous else 1)
        self.snapshot = snapshot  # the swap: one assignment
        return snapshot

    def source_file(self, identifier: str) -> Path | None:
        """The file a framework is compiled from; always inside the folder."""
        snapshot = self.snapshot
        entry = snapshot.frameworks.get(identifier) if snapshot else None
        if entry is None:
            return None
        path = Path(entry.file)
        folder = self.folder.resolve()
        try:
            resolved = path.resolve()
        except OSError:
            return None
        if not resolved.is_relative_to(folder) or path.is_symlink():
            return None
        return path

    # ---- published versions ------------------------------------------------------------------

    def git_top(self) -> Path | None:
        done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=self.folder, capture_output=True,
                              text=True, check=False)
        return Path(done.stdout.strip()) if done.returncode == 0 else None

    def commit_of(self, revision: str) -> str | None:
        """The commit a revision names, or None (not a git repository, or no such commit)."""
        if not valid_revision(revision):
            return None
        done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "--end-of-options",
                               f"{revision}^{{commit}}"],
                              cwd=self.folder, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else None

    def at_commit(self, commit: str) -> dict[str, Entry] | str:
        """Every framework as published at a commit, built once; or why it cannot be built."""
        with self._revision_guard:
            if commit in self._revisions:
                return self._revisions[commit]
            lock = self._revision_locks.setdefault(commit, threading.Lock())
        with lock:
            if commit not in self._revisions:
                self._revisions[commit] = self._build_commit(commit)
            return self._revisions[commit]

    def _build_commit(self, commit: str) -> dict[str, Entry] | str:
        top = self.git_top()
        if top is None:
            return "the framework folder is not in a git repository"
        inside = self.folder.resolve().relative_to(top.resolve()).as_posix()
        output = Path(tempfile.mkdtemp(prefix="precepts-serve-build-"))
        try:
            built, said = core_calls.build_at_revision(top, inside or ".", commit, output / "out")
            if not built:
                return f"the frameworks at {commit[:12]} do not build: {said.strip()[-2000:]}"
            index = json.loads((output / "out" / "index.json").read_text(encoding="utf-8"))
            entries = {}
            for item in index.get("frameworks", []):
                artefacts = {}
                listed = list(item.get("artefacts", []))
                for level in item.get("levels", []):
                    listed.extend(level.get("artefacts", []))
                for artefact in listed:
                    path = artefact["path"]
                    data = (output / "out" / path).read_bytes()
                    artefacts[path.removeprefix(f"{item['id']}/")] = Served.of(data, artefact["media_type"])
                compiled = json.loads(artefacts["framework.json"].data)
                header = compiled.get("framework", {})
                entries[item["id"]] = Entry(
                    item["id"], header.get("title", ""), header.get("version"), header.get("status"),
                    tuple(level.get("id") for level in compiled.get("levels", [])),
                    compiled.get("source_file", {}).get("path", ""), artefacts)
            return entries
        finally:
            shutil.rmtree(output, ignore_errors=True)

    def model_at(self, commit: str, identifier: str) -> Framework | str:
        """A framework's compiled model at a commit (for rating and comparing), kept once made."""
        key = f"{commit}/{identifier}"
        with self._revision_guard:
            if key in self._models:
                return self._models[key]
        built = self.at_commit(commit)
        top = self.git_top()
        if isinstance(built, str) or top is None:
            return built if isinstance(built, str) else "the framework folder is not in a git repository"
        entry = built.get(identifier)
        if entry is None:
            return f"there was no framework '{identifier}' at {commit[:12]}"
        model = core_calls.model_at_revision(top, commit, entry.file)
        with self._revision_guard:
            self._models[key] = model
        return model

    def versions(self, identifier: str) -> list[dict[str, object]] | None:
        """The commits (and their tags) that changed a framework's source file, newest first."""
        entry = self.snapshot.frameworks.get(identifier) if self.snapshot else None
        top = self.git_top()
        if entry is None or top is None:
            return None
        sources = [entry.file]
        done = subprocess.run(
            ["git", "log", "--format=%H%x1f%cI%x1f%s%x1f%D", "--end-of-options", "HEAD", "--",
             *[str(Path(s).resolve()) for s in sources]],
            cwd=self.folder, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return []
        versions: list[dict[str, object]] = []
        for line in done.stdout.splitlines():
            commit, date, subject, refs = ([*line.split("\x1f"), "", "", ""])[:4]
            tags = [r.strip().removeprefix("tag: ") for r in refs.split(",") if r.strip().startswith("tag: ")]
            versions.append({"commit": commit, "date": date, "subject": subject, "tags": tags})
        return versions
