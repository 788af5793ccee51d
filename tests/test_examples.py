"""The consumer examples in examples/ run as the README says: each validates a case
assessment record against the schema `precepts build` published and reads a ratings
document, the Python one with jsonschema and the JavaScript one with Ajv (strict), and
both print the same lines. An invalid record makes each exit 1 naming what is wrong."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import FRAMEWORK_2021, REPO_ROOT, invoke
from test_build_fixtures import shipped_build
from test_schemas_strict import ajv_dir

EXAMPLES = REPO_ROOT / "examples"
RECORD = EXAMPLES / "data" / "case-assessment.json"
RATING_INPUT = EXAMPLES / "data" / "pdu-rating-input.json"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("examples")
    rated = invoke("rate", FRAMEWORK_2021, "--input", RATING_INPUT, "--format", "json")
    assert rated.exit_code == 0, rated.stderr
    ratings = folder / "ratings.json"
    ratings.write_text(rated.stdout, encoding="utf-8")
    invalid = json.loads(RECORD.read_text(encoding="utf-8"))
    del invalid["prompts"]["implementation-and-delivery.1d"]  # 2.4.1d: required for a post-custody case
    invalid["questions"]["assessment.1"] = "maybe"
    broken = folder / "invalid-record.json"
    broken.write_text(json.dumps(invalid), encoding="utf-8")
    schema = shipped_build() / "hmip-adult-2021" / "pdu" / "assessment-record.schema.json"
    return {"schema": schema, "ratings": ratings, "invalid": broken}


def python_example(*args: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(EXAMPLES / "python" / "validate.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=120, check=False)


def js_example(folder: Path, *args: Path) -> subprocess.CompletedProcess[str]:
    """As a JavaScript project runs it: the script beside a node_modules holding Ajv."""
    script = folder / "validate.mjs"
    script.write_text((EXAMPLES / "js" / "validate.mjs").read_text(encoding="utf-8"), encoding="utf-8")
    modules = folder / "node_modules"
    if not modules.exists():
        modules.symlink_to(ajv_dir() / "node_modules", target_is_directory=True)
    return subprocess.run(["node", str(script), *map(str, args)], capture_output=True, text=True, timeout=120, check=False)


def test_the_python_example_validates_a_record_and_reads_ratings(files: dict[str, Path]) -> None:
    run = python_example(files["schema"], RECORD, files["ratings"])
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "case-assessment.json: valid against urn:precepts:assessment-record:hmip-adult-2021:pdu"
    assert "Example PDU (pdu): 6 of 11 standards rated" in lines
    assert "  2.4 Implementation and delivery: Good" in lines
    assert "    2.4.3: 72.00% in band 65 to 79%" in lines
    assert "  overall (pdu-overall): undetermined: inadequate or requires-improvement or good or outstanding" in lines
    assert "  panel: 2.2.1 is -0.50 points from 65.00%" in lines


def test_the_python_example_reports_an_invalid_record(files: dict[str, Path]) -> None:
    run = python_example(files["schema"], files["invalid"], files["ratings"])
    assert run.returncode == 1
    assert "invalid-record.json: prompts: 'implementation-and-delivery.1d' is a required property" in run.stdout
    assert "invalid-record.json: questions/assessment.1: 'maybe' is not one of ['yes', 'no']" in run.stdout


def test_the_javascript_example_prints_what_the_python_one_does(files: dict[str, Path], tmp_path: Path) -> None:
    run = js_example(tmp_path, files["schema"], RECORD, files["ratings"])
    assert run.returncode == 0, run.stderr
    assert run.stdout == python_example(files["schema"], RECORD, files["ratings"]).stdout


def test_the_javascript_example_reports_an_invalid_record(files: dict[str, Path], tmp_path: Path) -> None:
    run = js_example(tmp_path, files["schema"], files["invalid"], files["ratings"])
    assert run.returncode == 1, run.stderr
    assert "invalid-record.json: /prompts: must have required property 'implementation-and-delivery.1d'" in run.stdout
    assert "invalid-record.json: /questions/assessment.1: must be equal to one of the allowed values" in run.stdout
