"""`precepts build`: where it writes, its exit statuses, and its promises: byte-identical
output on every run, all or nothing when something fails, and --check failing when the
outputs in a folder are stale."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO_ROOT, invoke
from test_build_fixtures import HOSTILE, build_in, read_json

SMALL = """\
framework small
title: A small framework
level unit: Unit
attribute case-type: community, post-custody
scale rating: Rating
  grade inadequate "Inadequate"
  grade good "Good"
banding results: Results
  scale: rating
  rounding: half up to whole percent
  band below 50% gives inadequate
  band 50% and above gives good
domain 1 Domain one
  at: unit
  standard 1.1 Planning
    text: Planning is good.
    rated: from cases using results
    question 1.1.1 Is planning good?
      a) Is the plan written?
      b) Post-custody cases only: is release planned?
        applies to: case-type is post-custody
"""


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below `folder` with its bytes and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder holding two small frameworks."""
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "small.precepts").write_text(SMALL, encoding="utf-8")
    (tmp_path / "frameworks" / "hostile.precepts").write_text(HOSTILE, encoding="utf-8")
    return tmp_path


def test_build_writes_build_from_frameworks_by_default(project: Path) -> None:
    result = build_in(project, "build")
    assert result.exit_code == 0, result.stderr
    assert "Built 2 frameworks into build/" in result.stdout
    index = read_json(project / "build" / "index.json")
    assert [f["id"] for f in index["frameworks"]] == ["hostile-demo", "small"]
    assert (project / "build" / "small" / "unit" / "case-assessment.xlsx").is_file()
    assert not list((project / "build").glob(".precepts-build-*")), "the staging folder is removed"


def test_a_rebuild_is_byte_identical_and_rewrites_nothing(project: Path) -> None:
    build_in(project, "build")
    before = snapshot(project / "build")
    again = build_in(project, "build")
    assert again.exit_code == 0
    assert "0 written" in again.stdout
    assert snapshot(project / "build") == before


def test_builds_in_other_processes_are_byte_identical(tmp_path: Path) -> None:
    """Other hash seeds, with and without the parse cache: the same bytes, the shipped frameworks."""
    outputs = []
    for seed, no_cache in (("1", True), ("2", False)):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        if no_cache:
            env["PRECEPTS_NO_CACHE"] = "1"
        output = tmp_path / f"build-{seed}"
        process = subprocess.run([sys.executable, "-m", "precepts.cli", "build", "frameworks", "-o", str(output)],
                                 cwd=REPO_ROOT, env=env, capture_output=True, check=False)
        assert process.returncode == 0, process.stderr.decode()
        outputs.append({path: data for path, (data, _) in snapshot(output).items()})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) >= 20


def test_a_framework_with_errors_builds_nothing_and_exits_1(project: Path) -> None:
    build_in(project, "build")
    before = snapshot(project / "build")
    source = project / "frameworks" / "small.precepts"
    source.write_text(SMALL.replace("question 1.1.1", "question 1.1.3"), encoding="utf-8")
    result = build_in(project, "build")
    assert result.exit_code == 1
    assert "N002" in result.stderr and "nothing was built" in result.stderr
    assert snapshot(project / "build") == before


def test_a_failure_while_rendering_leaves_the_previous_outputs_untouched(project: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    build_in(project, "build")
    before = snapshot(project / "build")
    (project / "frameworks" / "small.precepts").write_text(SMALL.replace("Planning is good.", "Planning is fine."),
                                                           encoding="utf-8")

    def broken(*_: object) -> str:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr("precepts.renderers.consultation.page.render_consultation", broken)
    monkeypatch.chdir(project)
    result = invoke("build")
    assert result.exit_code == 2
    assert "internal error: RuntimeError: renderer failed" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project / "build") == before


def test_a_failure_while_moving_files_into_place_leaves_no_half_written_file(project: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    build_in(project, "build")
    before = snapshot(project / "build")
    (project / "frameworks" / "small.precepts").write_text(SMALL.replace("Planning is good.", "Planning is fine."),
                                                           encoding="utf-8")

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("precepts.renderers.outputs._write", full_disk)
    result = build_in(project, "build")
    assert result.exit_code == 2
    assert "No space left on device; the previous outputs are unchanged" in result.stderr
    assert snapshot(project / "build") == before
    assert not list((project / "build").glob(".precepts-build-*"))
    assert not list(project.glob(".build.precepts-build-*")), "the staging folder is removed"


def test_a_folder_where_a_file_must_go_is_refused_before_anything_is_written(project: Path) -> None:
    build_in(project, "build")
    (project / "frameworks" / "small.precepts").write_text(SMALL.replace("Planning is good.", "Planning is fine."),
                                                           encoding="utf-8")
    shutil.rmtree(project / "build" / "hostile-demo")
    (project / "build" / "hostile-demo" / "framework.json").mkdir(parents=True)
    before = snapshot(project / "build")  # small's outputs are stale, and must stay as they are
    result = build_in(project, "build")
    assert result.exit_code == 2
    assert "framework.json is a folder" in result.stderr
    assert snapshot(project / "build") == before


def test_check_passes_on_fresh_outputs_and_writes_nothing(project: Path) -> None:
    missing = build_in(project, "build", check=True)
    assert missing.exit_code == 1
    assert not (project / "build").exists(), "--check creates nothing"
    build_in(project, "build")
    before = snapshot(project / "build")
    result = build_in(project, "build", check=True)
    assert result.exit_code == 0
    assert "build/ is up to date" in result.stdout
    assert snapshot(project / "build") == before


def test_check_fails_on_stale_missing_and_obsolete_outputs(project: Path) -> None:
    build_in(project, "build")
    (project / "build" / "small" / "consultation.html").write_text("edited by hand", encoding="utf-8")
    (project / "build" / "small" / "unit" / "case-assessment.xlsx").unlink()
    (project / "frameworks" / "hostile.precepts").unlink()
    (project / "build" / "notes.txt").write_text("not the build's", encoding="utf-8")
    before = snapshot(project / "build")
    result = build_in(project, "build", check=True)
    assert result.exit_code == 1
    assert "stale: build/small/consultation.html" in result.stdout
    assert "missing: build/small/unit/case-assessment.xlsx" in result.stdout
    assert "obsolete: build/hostile-demo/framework.json" in result.stdout
    assert "not written by precepts build: build/notes.txt" in result.stdout
    assert snapshot(project / "build") == before
    # A build puts it right: the obsolete framework goes, files that are not the build's stay.
    assert build_in(project, "build").exit_code == 0
    assert not (project / "build" / "hostile-demo").exists()
    assert (project / "build" / "notes.txt").read_text(encoding="utf-8") == "not the build's"
    assert build_in(project, "build", check=True).exit_code == 1, "--check reports a file no build wrote"
    (project / "build" / "notes.txt").unlink()
    assert build_in(project, "build", check=True).exit_code == 0


def test_check_says_which_source_changed(project: Path) -> None:
    build_in(project, "build")
    source = project / "frameworks" / "small.precepts"
    source.write_text(SMALL.replace("Planning is good.", "Planning is fine."), encoding="utf-8")
    result = build_in(project, "build", check=True)
    assert result.exit_code == 1
    assert "frameworks/small.precepts has changed since build/small/framework.json was built" in result.stdout
    assert "stale: build/small/framework.json" in result.stdout


@pytest.mark.parametrize(
    ("arrange", "args", "message"),
    [
        (lambda p: None, ["nowhere.precepts"], "no such file or folder: nowhere.precepts"),
        (lambda p: (p / "out").write_text("a file", encoding="utf-8"), ["-o", "out"], "out is a file, not a folder"),
        (lambda p: (p / "frameworks" / "copy.precepts").write_text(SMALL, encoding="utf-8"), [],
         "are both framework small"),
        (lambda p: (p / "rules.precepts").write_text("rules only\nscale rating: Rating\n  grade good \"Good\"\n",
                                                     encoding="utf-8"),
         ["rules.precepts"], "no framework to build"),
    ],
    ids=["missing path", "output is a file", "two files, one framework id", "only shared rules"],
)
def test_usage_errors_exit_2(project: Path, arrange, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    arrange(project)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        result = invoke("build", *args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_build_is_a_command_with_help() -> None:
    listed = invoke("--help")
    assert "build" in listed.stdout
    result = invoke("build", "--help")
    assert result.exit_code == 0
    assert "--check" in result.stdout and "-o, --output" in result.stdout

