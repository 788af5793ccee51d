"""Every JSON Schema precepts publishes compiles with Ajv 8 in strict mode, with no warning.

Many downstream tools are JavaScript or TypeScript and validate with Ajv, often with
`strict: true`; a schema Ajv refuses cannot be loaded there at all. The published format
schemas and the per-level schemas generated from every shipped framework and every fixture
framework are compiled by tests/ajv_strict.mjs under node, with the Ajv that `.ci/run`
installs from the npm registry into a temporary folder named by PRECEPTS_AJV_DIR.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
from ci_skips import in_ci
from support import CHECK_FIXTURES, FRAMEWORKS, GOLDEN, REPO_ROOT, TESTS, checked, invoke
from test_build_fixtures import HOSTILE, artefacts, read_json, shipped_build

from precepts.renderers.artefacts import SCHEMA_JSON, format_schemas, framework_artefacts

AJV_VERSION = "8.17.1"
AJV_SCRIPT = TESTS / "ajv_strict.mjs"
INSTALL = f'tmp=$(mktemp -d) && npm install --prefix "$tmp" ajv@{AJV_VERSION} && export PRECEPTS_AJV_DIR="$tmp"'
RATING_FIXTURES = TESTS / "fixtures" / "ratings"


def ajv_dir() -> Path:
    """Where Ajv is installed; skips locally, and fails under CI, when it is not."""
    folder = os.environ.get("PRECEPTS_AJV_DIR")
    problem = None
    if shutil.which("node") is None:
        problem = "node is not installed"
    elif not folder or not (Path(folder) / "node_modules" / "ajv" / "package.json").is_file():
        problem = f"Ajv is not installed; install it with: {INSTALL}"
    if problem is None:
        return Path(folder)  # type: ignore[arg-type]
    if in_ci():
        pytest.fail(f"CI must run the Ajv tests: {problem}")
    pytest.skip(problem)


def framework_files() -> list[Path]:
    """Shipped frameworks, the ratings fixtures, and every check fixture that compiles."""
    files = sorted(FRAMEWORKS.glob("*.precepts")) + sorted(RATING_FIXTURES.glob("*.precepts"))
    files += sorted(CHECK_FIXTURES.glob("*/pass/main.precepts"))
    return files


@cache
def published_schemas(folder: Path) -> list[Path]:
    """Every schema a build of any framework writes, each in a file of its own under `folder`."""
    written: list[Path] = []

    def write(name: str, data: bytes) -> None:
        path = folder / f"{len(written):03d}-{name.replace('/', '--')}"
        path.write_bytes(data)
        written.append(path)

    for artefact in format_schemas():
        write(artefact.path, artefact.data)
    hostile = folder / "hostile.precepts"
    hostile.write_text(HOSTILE, encoding="utf-8")
    for source in [*framework_files(), hostile]:
        framework = checked(source).framework
        if framework is None:
            continue
        for artefact in framework_artefacts(framework):
            if artefact.media_type == SCHEMA_JSON:
                write(f"{framework.id}-{artefact.path}", artefact.data)
    return written


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return published_schemas(tmp_path_factory.mktemp("schemas"))


def test_the_schemas_cover_every_kind_and_many_frameworks(schemas: list[Path]) -> None:
    kinds = {path.name.split("--")[-1] for path in schemas}
    assert {"assessment-record.schema.json", "lead-inspector-record.schema.json", "rating-input.schema.json"} <= kinds
    assert {f"precepts-{name}-1.schema.json" for name in ("framework", "form", "diff", "build-index")} <= kinds
    frameworks = {json.loads(p.read_text(encoding="utf-8"))["$id"].split(":")[3] for p in schemas
                  if "rating-input" in p.name}
    assert len(frameworks) >= 8, frameworks


def test_every_schema_passes_the_metaschema_in_python_and_rust(schemas: list[Path]) -> None:
    for path in schemas:
        schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema_rs.meta.validate(schema)


def test_every_schema_compiles_in_strict_ajv_without_a_warning(schemas: list[Path]) -> None:
    run = subprocess.run(["node", str(AJV_SCRIPT), str(ajv_dir()), *map(str, schemas)],
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["ajv"] == AJV_VERSION, f"CI pins Ajv {AJV_VERSION}; PRECEPTS_AJV_DIR holds {report['ajv']}"
    results = report["results"]
    assert len(results) == len(schemas)
    problems = [f"{r['file']} ({r['id']}): {m}" for r in results for m in [*r["errors"], *r["warnings"]]]
    assert not problems, "\n".join(problems)


def run_ajv(*arguments: str) -> list[dict[str, Any]]:
    run = subprocess.run(["node", str(AJV_SCRIPT), str(ajv_dir()), *arguments],
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)["results"]  # type: ignore[no-any-return]


def test_strict_ajv_accepts_real_documents(tmp_path: Path) -> None:
    """What a JavaScript tool reads passes the published schemas in Ajv too: a build's JSON
    artefacts, `check --format json` with findings and waivers, ratings golden files of
    both versions, and the example assessment record and rating input."""
    build = shipped_build()
    pairs: dict[Path, list[Path]] = {}
    for entry in artefacts(build):
        if entry["schema"] and entry["schema"].startswith("schemas/"):
            pairs.setdefault(build / entry["schema"], []).append(build / entry["path"])
    pairs.setdefault(build / "schemas" / "precepts-build-index-1.schema.json", []).append(build / "index.json")
    checked_output = tmp_path / "check.json"
    checked_output.write_text(invoke("check", "--format", "json", FRAMEWORKS, CHECK_FIXTURES / "D001" / "fail").stdout,
                              encoding="utf-8")
    pairs.setdefault(build / "schemas" / "precepts-check-1.schema.json", []).append(checked_output)
    for golden in sorted((GOLDEN / "ratings").glob("*.v*.json")):
        version = read_json(golden)["format_version"]
        pairs.setdefault(build / "schemas" / f"precepts-ratings-{version}.schema.json", []).append(golden)
    record_schema = build / "hmip-adult-2021" / "pdu" / "assessment-record.schema.json"
    pairs.setdefault(record_schema, []).append(REPO_ROOT / "examples" / "data" / "case-assessment.json")
    input_schema = build / "hmip-adult-2021" / "pdu" / "rating-input.schema.json"
    pairs.setdefault(input_schema, []).append(REPO_ROOT / "examples" / "data" / "pdu-rating-input.json")
    assert len(pairs) >= 9 and sum(map(len, pairs.values())) >= 15
    results = run_ajv(*("::".join(map(str, [schema, *documents])) for schema, documents in pairs.items()))
    problems = [r for r in results if r["errors"] or r["warnings"] or r["invalid"]]
    assert problems == []


def test_the_strict_script_catches_what_strict_ajv_refuses(tmp_path: Path) -> None:
    """The harness itself can fail: an untyped `required` and an unknown keyword are reported."""
    bad = tmp_path / "bad.schema.json"
    bad.write_text(json.dumps({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:test:bad",
        "properties": {"a": {"required": ["b"], "properties": {"b": {"maxItems": 1}}}},
    }), encoding="utf-8")
    [result] = run_ajv(str(bad))
    assert result["errors"] and any("strictTypes" in w for w in result["warnings"]), result
    good = tmp_path / "good.schema.json"
    good.write_text(json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                                "required": ["a"], "properties": {"a": {"type": "integer"}}}), encoding="utf-8")
    document = tmp_path / "document.json"
    document.write_text('{"a": "one"}', encoding="utf-8")
    [checked_document] = run_ajv(f"{good}::{document}")
    assert not checked_document["errors"] and checked_document["invalid"][0]["document"] == str(document)
