"""What every record schema the build writes has in common: the 2020-12 dialect, a URN
`$id`, and the properties that say which format, framework and level a record is for."""

from __future__ import annotations

from typing import Any

from precepts.compiler import model as m

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def schema_id(kind: str, framework: m.Framework, level: str) -> str:
    return f"urn:precepts:{kind}:{framework.id}:{level}"


def envelope(
    *,
    kind: str,
    record_format: str,
    format_version: int,
    framework: m.Framework,
    level: str,
    title: str,
    description: str,
) -> dict[str, Any]:
    """The head of a record schema: identity, and the properties naming the record's format."""
    return {
        "$schema": DRAFT,
        "$id": schema_id(kind, framework, level),
        "title": title,
        "description": description,
        "type": "object",
        "properties": {
            "format": {"const": record_format, "description": f'the record\'s format, "{record_format}"'},
            "format_version": {"const": format_version, "description": f"the format's version, {format_version}"},
            "framework": {"const": framework.id, "description": f'the framework\'s id, "{framework.id}"'},
            "level": {"const": level, "description": f'the level of inspection, "{level}"'},
        },
    }


def framework_words(framework: m.Framework) -> str:
    version = f", {framework.version}" if framework.version else ""
    return f"{framework.title or framework.id}{version} (framework {framework.id}, sha256 {framework.sha256})"
