"""Whether published outputs were built from the framework files as they are now, told
from the source file and sha256 that every compiled framework records, and the sha256 of
each translation file (FRAMEWORK.cy.po) beside it (issue 16 §3)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from precepts.compiler import model as m
from precepts.renderers.source_paths import published_path


def _recorded(compiled: Path) -> dict[str, Any] | None:
    try:
        document = json.loads(compiled.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return document if isinstance(document, dict) else None


def recorded_source(compiled: Path) -> tuple[str, str] | None:
    """The (path, sha256) of the source a compiled framework file records, or None if the
    file is missing or is not a compiled framework."""
    source = (_recorded(compiled) or {}).get("source_file")
    if not isinstance(source, dict) or "path" not in source or "sha256" not in source:
        return None
    return str(source["path"]), str(source["sha256"])


def recorded_translations(compiled: Path) -> dict[str, tuple[str, str]]:
    """language → (path, sha256) of each translation file a compiled framework records."""
    document = _recorded(compiled)
    found: dict[str, tuple[str, str]] = {}
    translations = document.get("translations") if document else None
    if isinstance(translations, dict):
        for language, entry in translations.items():
            if isinstance(entry, dict):
                found[str(language)] = (str(entry.get("file", "")), str(entry.get("sha256", "")))
    return found


def source_change(framework: m.Framework, compiled: Path) -> str | None:
    """Why `compiled` is out of date with `framework`'s source file or its translation
    files, or None if every sha256 matches (or the file cannot tell)."""
    recorded = recorded_source(compiled)
    if recorded is None:
        return None
    path, sha256 = recorded
    reasons = []
    if sha256 != framework.sha256:
        reasons.append(
            f"{framework.file} has changed since {compiled.as_posix()} was built "
            f"(sha256 {sha256[:12]}… recorded, {framework.sha256[:12]}… now)"
            + ("" if path == published_path(framework.file) else f"; it was built from {path}")
        )
    before = recorded_translations(compiled)
    now = {t.language: t for t in framework.translations}
    for language in sorted(before.keys() | now.keys()):
        if language not in now:
            reasons.append(f"{before[language][0]} is gone since {compiled.as_posix()} was built")
        elif language not in before:
            reasons.append(f"{now[language].file} is new since {compiled.as_posix()} was built")
        elif before[language][1] != now[language].sha256:
            reasons.append(
                f"{now[language].file} has changed since {compiled.as_posix()} was built "
                f"(sha256 {before[language][1][:12]}… recorded, {now[language].sha256[:12]}… now)"
            )
    return "; ".join(reasons) or None
