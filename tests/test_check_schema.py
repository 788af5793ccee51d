"""`precepts check --format json` against its published schema, precepts-check-1: the
shipped frameworks (waived findings), every failing check fixture (errors, warnings,
related places), a file with a syntax error (held-back findings) and a missing file (a
finding with no place), by python-jsonschema and jsonschema-rs alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
from support import CHECK_FIXTURES, FRAMEWORKS, invoke, no_traceback
from test_regressions import CASCADE

from precepts.core.codes import Code
from precepts.core.formats import CHECK


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return CHECK.schema()


def check_document(*args: str | Path) -> dict[str, Any]:
    result = invoke("check", "--format", "json", *args)
    no_traceback(result)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def assert_valid(schema: dict[str, Any], document: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(schema).validate(document)
    jsonschema_rs.validator_for(schema).validate(document)


def test_the_schema_names_the_format_its_documents_carry(schema: dict[str, Any]) -> None:
    assert schema["$id"] == "urn:precepts:schema:precepts-check:1"
    assert schema["properties"]["format"] == {"const": CHECK.format, "description": schema["properties"]["format"]["description"]}
    assert schema["properties"]["format_version"]["const"] == CHECK.version
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_code_fits_the_schema(schema: dict[str, Any]) -> None:
    diagnostic = schema["$defs"]["diagnostic"]["properties"]
    code, name = jsonschema.Draft202012Validator(diagnostic["code"]), jsonschema.Draft202012Validator(diagnostic["name"])
    for item in Code:
        assert code.is_valid(item.code) and name.is_valid(item.value[1]), item


def test_the_shipped_frameworks_with_their_waived_findings(schema: dict[str, Any]) -> None:
    document = check_document(FRAMEWORKS)
    assert_valid(schema, document)
    assert document["waived"] and document["summary"]["waived"] == len(document["waived"])


def test_every_failing_fixture(schema: dict[str, Any]) -> None:
    seen: set[str] = set()
    related = 0
    for path in sorted(CHECK_FIXTURES.glob("*/fail/main.precepts")):
        document = check_document(path)
        assert_valid(schema, document)
        seen |= {d["severity"] for d in document["diagnostics"]}
        related += sum(len(d["related"]) for d in document["diagnostics"])
    assert seen == {"error", "warning", "info"}
    assert related > 0


def test_held_back_findings_and_a_missing_file(schema: dict[str, Any], tmp_path: Path) -> None:
    broken = tmp_path / "broken.precepts"
    broken.write_text(CASCADE, encoding="utf-8")
    document = check_document(broken, tmp_path / "missing.precepts")
    assert_valid(schema, document)
    assert document["summary"]["held_back"] == 3
    assert document["summary"]["errors"] > 0


@pytest.mark.parametrize("change", [
    lambda d: d["diagnostics"][0].update(severity="fatal"),
    lambda d: d["diagnostics"][0]["span"].update(line=0),
    lambda d: d["summary"].pop("held_back"),
    lambda d: d["waived"][0].pop("waiver_reason"),
    lambda d: d["diagnostics"][0].update(code="r1"),
], ids=["severity", "line", "held-back", "waiver-reason", "code"])
def test_the_schema_refuses_what_tools_could_not_read(schema: dict[str, Any], change: Any) -> None:
    document = check_document(FRAMEWORKS)
    change(document)
    assert not jsonschema.Draft202012Validator(schema).is_valid(document)
    assert not jsonschema_rs.validator_for(schema).is_valid(document)
