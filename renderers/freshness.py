"""Whether published outputs were built from the framework files as they are now, told
from the source file and sha256 that every compiled framework records."""

from __future__ import annotations

import json
from pathlib import Path

from precepts.compiler import model as m
from precepts.renderers.source_paths import published_path


def recorded_source(compiled: Path) -> tuple[str, str] | None:
    """The (path, sha256) of the source a compiled framework file records, or None if the
    file is missing or is not a compiled framework."""
    try:
        document = json.loads(compiled.read_text(encoding="utf-8"))
        source = document["source_file"]
        return str(source["path"]), str(source["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def source_change(framework: m.Framework, compiled: Path) -> str | None:
    """Why `compiled` is out of date with `framework`'s source file, or None if its sha256
    matches (or the file cannot tell)."""
    recorded = recorded_source(compiled)
    if recorded is None:
        return None
    path, sha256 = recorded
    if sha256 == framework.sha256:
        return None
    return (
        f"{framework.file} has changed since {compiled.as_posix()} was built "
        f"(sha256 {sha256[:12]}… recorded, {framework.sha256[:12]}… now)"
        + ("" if path == published_path(framework.file) else f"; it was built from {path}")
    )
