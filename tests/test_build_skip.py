"""`precepts build --skip`: leaving slow outputs out of a build (issue 15). The outputs named
are neither made nor kept, index.json says they were left out, `--check` compares with a
build given the same --skip, and publishing stays all or nothing."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
from support import invoke
from test_build_cli import SMALL, snapshot
from test_build_documents import needs_pdf
from test_build_fixtures import read_json

from precepts import api


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "small.precepts").write_text(SMALL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def listed(index: dict) -> set[str]:  # type: ignore[type-arg]
    paths = {entry["path"] for entry in index["schemas"]}
    for framework in index["frameworks"]:
        paths |= {entry["path"] for entry in framework["artefacts"]}
        for level in framework["levels"]:
            paths |= {entry["path"] for entry in level["artefacts"]}
    return paths | {"index.json"}


def test_skipped_outputs_are_not_written_and_the_rest_is_the_same_bytes(project: Path) -> None:
    assert invoke("build", "-o", "full").exit_code == 0
    result = invoke("build", "-o", "quick", "--skip", "xlsx,docx", "--skip", "pdf")
    assert result.exit_code == 0, result.stderr
    full, quick = snapshot(project / "full"), snapshot(project / "quick")
    left_out = {path for path in full if path.endswith((".pdf", ".docx", ".xlsx"))}
    assert {"small/consultation.docx", "small/unit/case-assessment.xlsx"} <= left_out
    assert set(quick) == set(full) - left_out
    for path in set(quick) - {"index.json"}:
        assert quick[path][0] == full[path][0], path
    index = read_json(project / "quick" / "index.json")
    assert index["skipped"] == ["pdf", "docx", "xlsx"], "named in one order, whatever the order given"
    assert listed(index) == set(quick), "the index lists what was written, and only that"
    assert "skipped" not in read_json(project / "full" / "index.json"), "a full build's index is as it was"
    schema = read_json(project / "quick" / "schemas" / "precepts-build-index-1.schema.json")
    jsonschema.Draft202012Validator(schema).validate(index)


def test_check_compares_with_a_build_given_the_same_skip(project: Path) -> None:
    assert invoke("build", "-o", "build", "--skip", "docx").exit_code == 0
    assert invoke("build", "-o", "build", "--skip", "docx", "--check").exit_code == 0
    whole = invoke("build", "-o", "build", "--check")
    assert whole.exit_code == 1
    assert "missing: build/small/consultation.docx" in whole.stdout
    more = invoke("build", "-o", "build", "--skip", "docx", "--skip", "xlsx", "--check")
    assert more.exit_code == 1
    assert "obsolete: build/small/unit/case-assessment.xlsx" in more.stdout
    assert "run precepts build -o build --skip docx --skip xlsx and commit" in more.stdout


def test_a_build_with_skip_over_a_full_one_removes_the_skipped_outputs(project: Path) -> None:
    assert invoke("build", "-o", "build").exit_code == 0
    result = invoke("build", "-o", "build", "--skip", "docx")
    assert result.exit_code == 0
    assert "1 removed" in result.stdout
    assert not (project / "build" / "small" / "consultation.docx").exists()
    assert invoke("build", "-o", "build", "--skip", "docx", "--check").exit_code == 0


def test_a_failed_build_with_skip_leaves_the_previous_outputs(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert invoke("build", "-o", "build").exit_code == 0
    before = snapshot(project / "build")
    (project / "frameworks" / "small.precepts").write_text(SMALL.replace("Planning is good.", "Planning is fine."),
                                                           encoding="utf-8")

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("precepts.renderers.outputs._write", full_disk)
    result = invoke("build", "-o", "build", "--skip", "docx,xlsx")
    assert result.exit_code == 2
    assert "the previous outputs are unchanged" in result.stderr
    assert snapshot(project / "build") == before


@pytest.mark.parametrize("value", ["pfd", "pdf,word", ""])
def test_an_unknown_output_is_a_usage_error_and_nothing_is_written(project: Path, value: str) -> None:
    result = invoke("build", "-o", "build", "--skip", value) if value else invoke("build", "-o", "build", "--skip")
    assert result.exit_code == 2
    assert "--skip" in result.stderr
    assert not (project / "build").exists()


def test_the_api_refuses_an_unknown_output(project: Path) -> None:
    with pytest.raises(api.BuildError, match="--skip takes pdf, docx, html, xlsx, not word"):
        api.build("frameworks", "build", skip=["word"])
    assert not (project / "build").exists()


def test_the_pdf_is_made_from_the_page_when_only_the_page_is_skipped(project: Path) -> None:
    needs_pdf()
    assert invoke("build", "-o", "full").exit_code == 0
    assert invoke("build", "-o", "build", "--skip", "html").exit_code == 0
    assert not (project / "build" / "small" / "consultation.html").exists()
    pdf = (project / "build" / "small" / "consultation.pdf").read_bytes()
    assert pdf == (project / "full" / "small" / "consultation.pdf").read_bytes()
