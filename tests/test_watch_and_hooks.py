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

from support import REPO_ROOT

CLEAN = "framework watched\ntitle: Watched\n\nlevel pdu: PDU\n\ndomain 1 One\n  at: pdu\n\n  standard 1.1 Two\n    text: Text.\n    rated: not rated\n\n    question 1.1.1 Is it?\n      a) Is it so?\n"


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


def test_the_sample_is_in_the_canonical_layout() -> None:
    from precepts.dsl.format import format_text

    assert format_text(CLEAN) == CLEAN


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
        assert "0 new, 1 fixed since the last run" in fixed and "fixed: watched.precepts:13: S003" in fixed
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_watch_checks_again_when_a_translation_file_changes(tmp_path: Path) -> None:
    """A framework's translation (FRAMEWORK.cy.po) is checked with it (G001–G004), so a
    change to it alone is a change to watch."""
    fixture = REPO_ROOT / "tests" / "fixtures" / "translations"
    shutil.copy(fixture / "welsh.precepts", tmp_path / "welsh.precepts")
    po = tmp_path / "welsh.cy.po"
    shutil.copy(fixture / "welsh.cy.po", po)
    process = subprocess.Popen([sys.executable, "-m", "precepts.cli", "check", "--watch", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path)
    try:
        output = _Output(process)
        output.until("Watching", 60)
        time.sleep(0.5)  # let the watcher start before the change
        po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Parth un"', 'msgstr ""'), encoding="utf-8")
        changed = output.until("G001", 60)
        assert "1 new, 0 fixed since the last run" in changed and "has no Welsh (cy) translation" in changed
    finally:
        process.terminate()
        process.wait(timeout=20)


def _git(folder: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=folder, check=True, env=env, capture_output=True, text=True).stdout


def test_the_pre_commit_hooks_pass_clean_files_and_stop_bad_ones(tmp_path: Path) -> None:
    """A framework repository whose .pre-commit-config.yaml uses this repository's hooks at
    its current commit, run by pre-commit as a user's commit would run them."""
    assert shutil.which("git"), "git is needed"
    revision = _git(REPO_ROOT, "rev-parse", "HEAD").strip()
    folder = tmp_path / "frameworks-repo"
    folder.mkdir()
    _git(folder, "init", "-q")
    (folder / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO_ROOT}\n    rev: {revision}\n    hooks:\n      - id: precepts-check\n      - id: precepts-fmt\n",
        encoding="utf-8")
    (folder / "good.precepts").write_text(CLEAN, encoding="utf-8")
    _git(folder, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=folder, env=env,
                              capture_output=True, text=True, timeout=900)

    clean = run()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    broken = CLEAN.replace("question 1.1.1", "questoin 1.1.1")
    (folder / "bad.precepts").write_text(broken, encoding="utf-8")
    _git(folder, "add", ".")
    stopped = run()
    assert stopped.returncode == 1 and "S003" in stopped.stdout, stopped.stdout
    assert (folder / "bad.precepts").read_text(encoding="utf-8") == broken  # fmt never touches a broken file
    (folder / "bad.precepts").write_text(CLEAN.replace("  at: pdu", "      at:   pdu"), encoding="utf-8")
    _git(folder, "add", ".")
    formatted = run()
    assert formatted.returncode == 1, formatted.stdout  # the fmt hook changed a file, so the commit stops
    assert "files were modified by this hook" in formatted.stdout
    assert (folder / "bad.precepts").read_text(encoding="utf-8") == CLEAN
