"""The published format schemas agree with the documents and with each other: each names
the format and version its documents carry, the build index says which format each
format schema describes, and every count the diff's summary writes is declared by name."""

from __future__ import annotations

import json
from typing import Any

from support import FRAMEWORKS, invoke, no_traceback
from test_build_fixtures import read_json, shipped_build

from precepts.core import formats


def test_each_format_schema_names_the_format_and_version_it_describes() -> None:
    assert len({(item.format, item.version) for item in formats.ALL}) == len(formats.ALL)
    for item in formats.ALL:
        schema = item.schema()
        assert schema["properties"]["format"]["const"] == item.format, item.file
        assert schema["properties"]["format_version"]["const"] == item.version, item.file


def test_the_index_says_which_format_each_format_schema_describes() -> None:
    index = read_json(shipped_build() / "index.json")
    described = {(e["format"], e["format_version"]): e["path"] for e in index["schemas"]}
    assert described == {(item.format, item.version): f"schemas/{item.file}" for item in formats.ALL}
    for entry in index["schemas"]:
        schema = read_json(shipped_build() / entry["path"])
        assert schema["properties"]["format_version"]["const"] == entry["format_version"]


def test_every_count_the_diff_summary_writes_is_declared() -> None:
    result = invoke("diff", FRAMEWORKS / "hmip-probation-2017-draft.precepts", FRAMEWORKS / "hmip-adult-2021.precepts",
                    "--format", "json")
    no_traceback(result)
    summary: dict[str, Any] = json.loads(result.stdout)["summary"]
    schema = formats.DIFF.schema()
    declared = set(schema["$defs"]["elementSummary"]["properties"])
    for kind in ("standards", "questions", "prompts"):
        assert set(summary[kind]) <= declared, kind
    assert set(summary["rules"]) <= set(schema["properties"]["summary"]["properties"]["rules"]["properties"])
