"""`precepts build` hardening (issue 13): outputs independent of the working folder, and
publishing that no interruption or concurrent build can leave half done."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import invoke
from test_build_cli import SMALL, snapshot
from test_build_fixtures import read_json


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project (marked by precepts.toml) with a framework that includes shared rules."""
    root = tmp_path / "project"
    (root / "frameworks" / "nested").mkdir(parents=True)
    (root / "precepts.toml").write_text("", encoding="utf-8")
    (root / "frameworks" / "nested" / "small.precepts").write_text(SMALL, encoding="utf-8")
    return root


def build_from(folder: Path, target: str, output: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    monkeypatch.chdir(folder)
    result = invoke("build", target, "-o", output)
    assert result.exit_code == 0, result.stderr
    return {path: data for path, (data, _) in snapshot(output).items()}


def test_outputs_do_not_depend_on_the_working_folder(project: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from_root = build_from(project, "frameworks", tmp_path / "a", monkeypatch)
    from_inside = build_from(project / "frameworks" / "nested", ".", tmp_path / "b", monkeypatch)
    from_outside = build_from(tmp_path, str(project / "frameworks"), tmp_path / "c", monkeypatch)
    assert from_root == from_inside == from_outside
    compiled = read_json(tmp_path / "a" / "small" / "framework.json")
    assert compiled["source_file"]["path"] == "frameworks/nested/small.precepts"
    index = read_json(tmp_path / "a" / "index.json")
    assert index["frameworks"][0]["source_file"]["path"] == "frameworks/nested/small.precepts"
    assert b"from frameworks/nested/small.precepts (sha256" in from_root["small/consultation.html"]
