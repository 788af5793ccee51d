"""index.json: what a build wrote, for downstream tools: each framework, its version
and levels, and every artefact with its sha256 and the schema that describes it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from precepts.compiler import model as m
from precepts.core.formats import BUILD_INDEX
from precepts.renderers.artefacts import JSON, Artefact
from precepts.renderers.source_paths import published_path

INDEX = "index.json"


def _entry(artefact: Artefact) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "path": artefact.path,
        "kind": artefact.kind,
        "media_type": artefact.media_type,
        "bytes": len(artefact.data),
        "sha256": hashlib.sha256(artefact.data).hexdigest(),
        "schema": artefact.schema,
    }
    if artefact.schema_id:
        entry["id"] = artefact.schema_id
    if artefact.describes:  # so a tool finds the schema for a document by its format, not by a file name
        entry["format"] = artefact.describes.format
        entry["format_version"] = artefact.describes.version
    if artefact.questionnaire:
        entry["questionnaire"] = artefact.questionnaire
    if artefact.changes_from:
        entry["changes_from"] = artefact.changes_from
    if artefact.language:
        entry["language"] = artefact.language
    return entry


def index_document(
    schemas: list[Artefact], built: list[tuple[m.Framework, list[Artefact]]], skipped: Sequence[str] = ()
) -> dict[str, Any]:
    """The index; `skipped`, the outputs the build was asked to leave out (`build --skip`),
    which it names so that a reader knows their absence is meant."""
    frameworks = []
    for framework, artefacts in sorted(built, key=lambda pair: pair[0].id):
        frameworks.append({
            "id": framework.id,
            "title": framework.title,
            "version": framework.version,
            "status": framework.status,
            "source_file": {"path": published_path(framework.file), "sha256": framework.sha256},
            # Only a framework with translations has the key, so that English-only indexes are as they were.
            **({"translation_files": [
                {"language": t.language, "path": published_path(t.file), "sha256": t.sha256}
                for t in framework.translations
            ]} if framework.translations else {}),
            "artefacts": [_entry(a) for a in artefacts if a.level is None],
            "levels": [
                {"id": level.id, "name": level.name, "artefacts": [_entry(a) for a in artefacts if a.level == level.id]}
                for level in framework.levels
            ],
        })
    return {
        "format": BUILD_INDEX.format,
        "format_version": BUILD_INDEX.version,
        # Only a build that left outputs out has the key, so that full builds' indexes are as they were.
        **({"skipped": list(skipped)} if skipped else {}),
        "schemas": [_entry(s) for s in schemas],
        "frameworks": frameworks,
    }


def index_artefact(document: dict[str, Any]) -> Artefact:
    from precepts.renderers.jsonout import encode

    return Artefact(INDEX, "build-index", JSON, encode(document), f"schemas/{BUILD_INDEX.file}")
