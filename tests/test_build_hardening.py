"""`precepts build` hardening (issue 13): outputs independent of the working folder, and
publishing that no interruption or concurrent build can leave half done."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from random import Random

import pytest
from support import invoke
from test_build_cli import SMALL, snapshot
from test_build_fixtures import read_json

from precepts.renderers.index import INDEX
from precepts.renderers.outputs import build_lock, compare, leftovers, publish


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


# ---- publishing is atomic (renderers/outputs.py) -------------------------------------------


def build_files(tag: str, count: int = 24) -> dict[str, bytes]:
    """A build's files: `count` artefacts in folders, and an index.json recording their sha256."""
    files = {
        f"framework-{i % 2}/level-{i % 2}/artefact-{i}.json": f"{tag} artefact {i}\n".encode() * (200 + 50 * i)
        for i in range(count)
    }
    entries = [{"path": p, "sha256": hashlib.sha256(d).hexdigest()} for p, d in sorted(files.items())]
    index = {"format": "precepts-build-index", "schemas": [], "frameworks": [{"id": tag, "artefacts": entries}]}
    files[INDEX] = json.dumps(index, indent=2).encode()
    return files


def verify(folder: Path, versions: list[dict[str, bytes]]) -> dict[str, bytes]:
    """The folder is exactly one whole version: index.json lists every file in it, each with
    the recorded sha256, and nothing else is there."""
    present = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    index = json.loads(present[INDEX])
    entries = [*index["schemas"]]
    for framework in index["frameworks"]:
        entries += framework["artefacts"] + [e for level in framework.get("levels", []) for e in level["artefacts"]]
    listed = {e["path"]: e["sha256"] for e in entries}
    assert set(present) == {*listed, INDEX}, "only the files of one build"
    mismatched = [p for p, digest in listed.items() if hashlib.sha256(present[p]).hexdigest() != digest]
    assert not mismatched, f"{len(mismatched)} files do not match index.json"
    assert present in versions
    return present


# Every step of publishing that touches the file system: the test kills a publish just before
# the n-th of these, for every n, so both sides of the switch are reached whatever the timing.
STEPS = ("_write", "_carry", "_exchange", "_fsync_folder", "_restore_interrupted_swap", "_remove_leftovers")


def publish_killed_at(step: int | None, files: dict[str, bytes], target: Path, exchange: bool) -> int:
    """Publish in a forked process that SIGKILLs itself just before its `step`-th file-system
    step (or, with None, runs to the end); returns how many steps the child took."""
    from precepts.renderers import outputs

    counter_read, counter_write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            os.close(counter_read)
            taken = 0

            def counted(function):  # type: ignore[no-untyped-def]
                def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
                    nonlocal taken
                    if taken == step:
                        os.kill(os.getpid(), signal.SIGKILL)
                    taken += 1
                    os.write(counter_write, b".")
                    return function(*args, **kwargs)
                return wrapper

            for name in STEPS:
                setattr(outputs, name, counted(getattr(outputs, name)))
            if not exchange:
                outputs._exchange = counted(lambda first, second: False)
            outputs.os.rename = counted(os.rename)  # the first build and the fallback swap
            publish(files, target)
        finally:
            os._exit(0)
    os.close(counter_write)
    with os.fdopen(counter_read, "rb") as counts:
        taken = len(counts.read())
    os.waitpid(child, 0)
    return taken


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (Linux, macOS) to kill a build mid-way")
@pytest.mark.parametrize("exchange", [True, False], ids=["atomic exchange", "fallback swap by renames"])
def test_a_build_killed_at_any_step_leaves_one_whole_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           exchange: bool) -> None:
    # Flushing to disk guards against a power cut, not a killed process; without it each
    # publish takes milliseconds, so a kill at every step fits in a test.
    monkeypatch.setattr(os, "fsync", lambda _: None)
    old, new = build_files("old"), build_files("new")
    target = tmp_path / "build"
    publish(old, target)
    steps = publish_killed_at(None, new, target, exchange)
    assert verify(target, [old, new]) == new and steps > len(new)
    outcomes = {"switched": 0, "not yet": 0}
    for step in range(steps):
        current = verify(target, [old, new])
        other = new if current == old else old
        publish_killed_at(step, other, target, exchange)
        if not exchange and not target.exists():
            # Between the fallback's two renames the folder is aside, whole; the next build
            # puts it back first (what docs/builds.md promises where there is no exchange).
            from precepts.renderers.outputs import _restore_interrupted_swap
            _restore_interrupted_swap(target)
            outcomes["not yet" if verify(target, [old, new]) == current else "switched"] += 1
            continue
        outcomes["switched" if verify(target, [old, new]) == other else "not yet"] += 1
    assert outcomes["switched"] and outcomes["not yet"], f"the kills fell on both sides of the switch: {outcomes}"
    publish(new, target)  # the next build completes the work, and clears what killed ones left
    verify(target, [new])
    assert not leftovers(target)
    assert [p.name for p in tmp_path.iterdir()] == ["build"]


def test_a_killed_build_command_leaves_one_whole_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole command, killed at random points while it runs (a few runs: each is a process)."""
    project = tmp_path / "project"
    (project / "frameworks").mkdir(parents=True)
    (project / "precepts.toml").write_text("", encoding="utf-8")
    source = project / "frameworks" / "small.precepts"
    source.write_text(SMALL, encoding="utf-8")
    command = [sys.executable, "-m", "precepts.cli", "build", "frameworks", "-o", "build"]
    subprocess.run(command, cwd=project, check=True, capture_output=True)
    old = {p.relative_to(project / "build").as_posix(): p.read_bytes() for p in (project / "build").rglob("*") if p.is_file()}
    source.write_text(SMALL.replace("Planning is good.", "Planning is fine."), encoding="utf-8")
    start = time.perf_counter()
    subprocess.run(command, cwd=project, check=True, capture_output=True)
    duration = time.perf_counter() - start
    new = {p.relative_to(project / "build").as_posix(): p.read_bytes() for p in (project / "build").rglob("*") if p.is_file()}
    assert old != new
    random = Random(12)
    for _ in range(3):  # each run is a whole process of a second or more
        now = {p.relative_to(project / "build").as_posix(): p.read_bytes()
               for p in (project / "build").rglob("*") if p.is_file()}
        other = SMALL if now == new else SMALL.replace("Planning is good.", "Planning is fine.")
        source.write_text(other, encoding="utf-8")
        process = subprocess.Popen(command, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(random.uniform(duration * 0.6, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        verify(project / "build", [old, new])


def test_concurrent_builds_into_one_folder_are_serialised(tmp_path: Path) -> None:
    target = tmp_path / "build"
    publish(build_files("first"), target)
    holding, released = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            with build_lock(target):
                os.write(released, b"locked")
                time.sleep(1.0)
                os.write(released, b"done")
        finally:
            os._exit(0)
    assert os.read(holding, 6) == b"locked"
    publish(build_files("second"), target)  # waits for the child's lock
    os.set_blocking(holding, False)
    try:
        released_first = os.read(holding, 4) == b"done"
    except BlockingIOError:
        released_first = False
    assert released_first, "publish went ahead while another build held the folder"
    os.waitpid(child, 0)
    verify(target, [build_files("second")])


def test_stale_staging_folders_are_removed_and_reported(tmp_path: Path) -> None:
    target = tmp_path / "build"
    publish(build_files("old"), target)
    beside = tmp_path / ".build.precepts-build-abc123"
    inside = target / ".precepts-build-def456"  # where builds before 0.2 staged
    for stale in (beside, inside):
        (stale / "framework").mkdir(parents=True)
        (stale / "framework" / "framework.json").write_text("half", encoding="utf-8")
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    comparison = compare(build_files("old"), target)
    assert not comparison.up_to_date
    assert comparison.leftovers == sorted([str(beside), str(inside)])
    assert comparison.foreign == ["notes.txt"]
    publish(build_files("new"), target)
    assert not beside.exists() and not inside.exists()
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine", "a file no build wrote is kept"
    assert compare(build_files("new"), target).foreign == ["notes.txt"]
