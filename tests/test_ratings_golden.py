"""Golden files for `precepts rate --format json`: format version 2 (the default) and
version 1 (`--format-version 1`, kept for one release), byte for byte but for the tool's
version. Inputs: the 2021 PDU example of examples/data (judged standards, a judgement,
counts, a published percentage near a boundary, case records) and 2017 draft providers
(composite totals scored and banded in points, a published total that disagrees, an
undetermined composite).

After an intended change run `PRECEPTS_UPDATE_GOLDEN=1 python3 -m pytest tests/test_ratings_golden.py`
and review the diff (and docs/formats/ratings-changelog.md) before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from support import FRAMEWORK_2021, FRAMEWORKS, GOLDEN, REPO_ROOT, invoke, no_traceback

from precepts import __version__
from precepts.core.formats import RATINGS, RATINGS_1

RATINGS_GOLDEN = GOLDEN / "ratings"
EXAMPLE_INPUT = REPO_ROOT / "examples" / "data" / "pdu-rating-input.json"
PROVIDERS_2017 = RATINGS_GOLDEN / "providers-2017.input.json"
RUNS = {
    "hmip-adult-2021-pdu": (FRAMEWORK_2021, EXAMPLE_INPUT),
    "hmip-probation-2017-providers": (FRAMEWORKS / "hmip-probation-2017-draft.precepts", PROVIDERS_2017),
}
TOOL = '"tool":{"name":"precepts","version":%s}'


def rated(framework: Path, source: Path, version: int | None, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(REPO_ROOT)  # paths in the output as the README's commands give them
    chosen = ["--format-version", str(version)] if version else []
    result = invoke("rate", framework.relative_to(REPO_ROOT), "--input", source.relative_to(REPO_ROOT),
                    "--format", "json", *chosen)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    # The tool's version changes with every release; nothing else may change unnoticed.
    return result.stdout.replace(TOOL % json.dumps(__version__), TOOL % '"VERSION"')


@pytest.mark.parametrize("version", [None, 1], ids=["v2-default", "v1"])
@pytest.mark.parametrize("name", list(RUNS))
def test_ratings_output_matches_the_golden_file(name: str, version: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    framework, source = RUNS[name]
    text = rated(framework, source, version, monkeypatch)
    path = RATINGS_GOLDEN / f"{name}.v{version or RATINGS.version}.json"
    if os.environ.get("PRECEPTS_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}: run with PRECEPTS_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs: rerun with PRECEPTS_UPDATE_GOLDEN=1 and review"
    assert json.loads(text)["format_version"] == (version or RATINGS.version)


def test_the_golden_files_pass_their_schemas() -> None:
    import jsonschema

    for path in sorted(RATINGS_GOLDEN.glob("*.v*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        schema = {1: RATINGS_1, 2: RATINGS}[document["format_version"]].schema()
        jsonschema.Draft202012Validator(schema).validate(document)


def test_version_2_numbers_are_decimals_beside_their_text() -> None:
    """What version 2 promises: every non-count number a decimal, bands and boundaries
    with numeric limits that agree with the published text, no grade id among statuses."""
    document = json.loads((RATINGS_GOLDEN / "hmip-probation-2017-providers.v2.json").read_text(encoding="utf-8"))
    document_2021 = json.loads((RATINGS_GOLDEN / "hmip-adult-2021-pdu.v2.json").read_text(encoding="utf-8"))
    questions = [q for d in (document, document_2021) for u in d["units"] for s in u["standards"] for q in s["questions"]]
    percentages = [q["percentage"] for q in questions if q["percentage"] is not None]
    assert percentages and all(isinstance(p, float) for p in percentages)
    for band in [q["band"] for q in questions if q["band"]]:
        if band["lower"] is not None:
            assert band["range"].startswith(f"{band['lower']:g}") and band["lower_inclusive"] is True
        if band["upper"] is not None:
            assert f"{band['upper']:g}" in band["range"]
            assert band["upper_inclusive"] is (not band["range"].startswith("below"))
    units = [u for d in (document, document_2021) for u in d["units"]]
    flags = [(u, f) for u in units for f in u["panel_flags"] if f["kind"] == "near-boundary"]
    assert flags
    for unit, flag in flags:
        [question] = [q for s in unit["standards"] for q in s["questions"] if q["number"] == flag["question"]]
        assert flag["boundary_text"] == f"{flag['boundary']:g}%"
        assert flag["boundary"] == pytest.approx(question["percentage"] - flag["distance"], abs=0.01)
    composites = document["summary"]["composites"]["overall"]
    grades = {g for u in document["units"] for c in u["composites"] for g in c["possible"]}
    assert set(composites["by_grade"]) <= grades and not set(composites["by_status"]) & grades
    assert composites["undetermined"] and all(item["possible"] for item in composites["undetermined"])
    points = [c["band"] for u in document["units"] for c in u["composites"] if c["band"]]
    assert points and all(band["unit"] == "points" for band in points)


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "json", "--format-version", "3"], "--format-version 3: precepts writes ratings format version 1 or 2"),
    (["--format-version", "1"], "--format-version applies to --format json only"),
])
def test_a_format_version_that_cannot_be_written_is_a_usage_error(args: list[str], message: str) -> None:
    result = invoke("rate", FRAMEWORK_2021, "--input", EXAMPLE_INPUT, *args)
    no_traceback(result)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_a_step_to_an_undetermined_rating_names_no_grade() -> None:
    """next_grade where the cases more would leave the rating between two grades (as at
    small counts under a rounding left open): a status and its possible grades."""
    import jsonschema

    from precepts.ratings.output_json import _step
    from precepts.ratings.results import Step

    schema = RATINGS.schema()
    step_schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/step"}
    undetermined = _step(Step("good", 2, (("2.3.1", 2),), ("good", "outstanding")), 2)
    assert undetermined == {"status": "undetermined", "grade": None, "possible": ["good", "outstanding"], "cases": 2,
                            "questions": [{"number": "2.3.1", "cases": 2}]}
    rated = _step(Step("good", 1, (("2.3.1", 1),)), 2)
    assert rated is not None and (rated["status"], rated["grade"], rated["possible"]) == ("rated", "good", ["good"])
    for valid in (undetermined, rated):
        jsonschema.Draft202012Validator(step_schema).validate(valid)
    assert not jsonschema.Draft202012Validator(step_schema).is_valid({**undetermined, "grade": "good"})
    assert _step(Step("good", 2, (("2.3.1", 2),), ("good", "outstanding")), 1) == {
        "grade": "good", "cases": 2, "questions": [{"number": "2.3.1", "cases": 2}]}
