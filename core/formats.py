"""The JSON Schemas of precepts' own published formats, shipped in the package."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class FormatSchema:
    format: str  # the `format` its documents carry
    version: int
    file: str  # its name in core/schemas/ and in the build's schemas/

    def text(self) -> str:
        return (resources.files("precepts.core") / "schemas" / self.file).read_text(encoding="utf-8")

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = json.loads(self.text())
        return schema


COMPILED_FRAMEWORK = FormatSchema("precepts-framework", 1, "precepts-framework-1.schema.json")
FORM = FormatSchema("precepts-form", 1, "precepts-form-1.schema.json")
BUILD_INDEX = FormatSchema("precepts-build-index", 1, "precepts-build-index-1.schema.json")
DIFF = FormatSchema("precepts-diff", 1, "precepts-diff-1.schema.json")
RATINGS = FormatSchema("precepts-ratings", 2, "precepts-ratings-2.schema.json")
# Still written by `precepts rate --format-version 1`, for one release (docs/formats/ratings-changelog.md).
RATINGS_1 = FormatSchema("precepts-ratings", 1, "precepts-ratings-1.schema.json")
# `precepts check --format json`: its documents have said "precepts-diagnostics" since
# before the schema was published, and keep saying it; the schema is named for the command.
CHECK = FormatSchema("precepts-diagnostics", 1, "precepts-check-1.schema.json")
ALL = (COMPILED_FRAMEWORK, FORM, DIFF, RATINGS, RATINGS_1, BUILD_INDEX, CHECK)
