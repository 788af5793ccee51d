"""`precepts check --watch` as a running process, and the pre-commit hooks run by pre-commit."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from support import REPO_ROOT

CLEAN = "framework watched\ntitle: Watched\nlevel pdu: PDU\n\ndomain 1 One\n  at: pdu\n\n  standard 1.1 Two\n    text: Text.\n    rated: not rated\n\n    question 1.1.1 Is it?\n      a) Is it so?\n"


class _Output:
    """A process's standard output, read line by line in a thread so that a test can wait
    for a line with a time limit."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen = ""
        threading.Thread(target=self._pump, args=(process,), daemon=True).start()

    def _pump(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.lines.put(line)

    def until(self, wanted: str, seconds: float) -> str:
        """What was printed since the last call, up to the line holding `wanted`."""
        start = len(self.seen)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.seen += self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            if wanted in self.seen[start:]:
                return self.seen[start:]
        raise AssertionError(f"no {wanted!r} within {seconds} s; the output was:\n{self.seen}")


def test_watch_reports_only_what_changed(tmp_path: Path) -> None:
    path = tmp_path / "watched.precepts"
    path.write_text(CLEAN, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "precepts.cli", "check", "--watch", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path)
    try:
        output = _Output(process)
        first = output.until("Watching", 60)
        assert "Checked 1 file" in first
        time.sleep(0.5)  # let the watcher start before the change
        path.write_text(CLEAN.replace("question 1.1.1", "questoin 1.1.1"), encoding="utf-8")
        changed = output.until("S003", 60)
        assert "1 new, 0 fixed since the last run" in changed and "Checked" not in changed
        path.write_text(CLEAN, encoding="utf-8")
        fixed = output.until("fixed: ", 60)
        assert "0 new, 1 fixed since the last run" in fixed and "fixed: watched.precepts:12: S003" in fixed
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def framework_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository of frameworks whose pre-commit config uses this repository's hooks."""
    folder = tmp_path_factory.mktemp("frameworks-repo")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True, env=env)
    (folder / "good.precepts").write_text(CLEAN, encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=folder, check=True, env=env)
    return folder


def _try_repo(folder: Path, hook: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo` with this repository, as a user's pre-commit would install it."""
    home = folder.parent / "pre-commit-home"
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(REPO_ROOT), hook, "--all-files"],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=900)


def test_the_pre_commit_hooks_pass_clean_files_and_stop_bad_ones(framework_repository: Path) -> None:
    assert shutil.which("git")
    folder = framework_repository
    assert _try_repo(folder, "precepts-check").returncode == 0
    assert _try_repo(folder, "precepts-fmt").returncode == 0
    (folder / "bad.precepts").write_text(CLEAN.replace("question 1.1.1", "questoin 1.1.1").replace("  at: pdu", "      at:   pdu"),
                                         encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=folder, check=True)
    checked = _try_repo(folder, "precepts-check")
    assert checked.returncode == 1 and "S003" in checked.stdout, checked.stdout + checked.stderr
    (folder / "bad.precepts").write_text(CLEAN.replace("  at: pdu", "      at:   pdu"), encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=folder, check=True)
    formatted = _try_repo(folder, "precepts-fmt")
    assert formatted.returncode == 1, formatted.stdout  # the hook changed a file, so the commit stops
    assert (folder / "bad.precepts").read_text(encoding="utf-8") == CLEAN
