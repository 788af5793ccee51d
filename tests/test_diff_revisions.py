"""`precepts diff REV:PATH PATH`: a framework compared with a version committed in git."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from support import FRAMEWORKS, invoke, no_traceback

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git to export earlier revisions (sudo apt-get install git)")

FRAMEWORK = "frameworks/hmip-adult-2021.precepts"
PUBLISHED = "Is the person on probation meaningfully involved in the preparation of the report"
EDITED = "Is the person on probation involved in preparing the report"


def git(folder: Path, *arguments: str) -> None:
    environment = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                   "GIT_COMMITTER_EMAIL": "t@t", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    subprocess.run(["git", *arguments], cwd=folder, env=environment, check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped frameworks committed once, then one prompt edited in the working copy."""
    shutil.copytree(FRAMEWORKS, tmp_path / "frameworks")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "published")
    framework = tmp_path / FRAMEWORK
    framework.write_text(framework.read_text(encoding="utf-8").replace(PUBLISHED, EDITED), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def exports() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("precepts-revision-*"))


def test_the_working_copy_against_the_last_commit(repository: Path) -> None:
    before = exports()
    result = invoke("diff", f"HEAD:{FRAMEWORK}", FRAMEWORK)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert f"old: HEAD:{FRAMEWORK}\n  new: {FRAMEWORK}\n" in result.stdout
    assert "Prompts: 179 → 179. 179 pairs, 178 unchanged; 1 reworded" in result.stdout
    assert "[-meaningfully-]" in result.stdout and "{+preparing+}" in result.stdout
    assert exports() == before, "the exported tree is removed"


def test_two_revisions_and_a_path_from_here(repository: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(repository, "commit", "-qam", "edited")
    monkeypatch.chdir(repository / "frameworks")
    result = invoke("diff", "HEAD~1:./hmip-adult-2021.precepts", "HEAD:./hmip-adult-2021.precepts", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert '"file": "HEAD~1:frameworks/hmip-adult-2021.precepts"' in result.stdout
    assert '"file": "HEAD:frameworks/hmip-adult-2021.precepts"' in result.stdout


def test_the_2017_mapping_is_read_as_it_was_at_the_revision(repository: Path) -> None:
    shutil.rmtree(repository / "frameworks" / "mappings")
    result = invoke("diff", "HEAD:frameworks/hmip-probation-2017-draft.precepts", FRAMEWORK)
    assert result.exit_code == 0, result.stderr
    assert "mapping: HEAD:frameworks/mappings/hmip-2017-draft-to-2021.yaml, confirmed by" in result.stdout


@pytest.mark.parametrize(("old", "message"), [
    ("nope:" + FRAMEWORK, f"nope:{FRAMEWORK}: git knows no commit 'nope' (a branch, tag or commit id)"),
    ("HEAD:frameworks/missing.precepts", "there is no file frameworks/missing.precepts at HEAD"),
])
def test_a_revision_or_path_git_does_not_have(repository: Path, old: str, message: str) -> None:
    result = invoke("diff", old, FRAMEWORK)
    no_traceback(result)
    assert result.exit_code == 2
    assert message in result.stderr


def test_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = invoke("diff", f"HEAD:{FRAMEWORK}", FRAMEWORKS / "hmip-adult-2021.precepts")
    assert result.exit_code == 2
    assert "is not in a git repository" in result.stderr


def test_errors_in_the_committed_version_name_it_as_committed(repository: Path) -> None:
    (repository / "frameworks" / "broken.precepts").write_text("framework broken\nnonsense here\n", encoding="utf-8")
    git(repository, "add", "-A")
    git(repository, "commit", "-qm", "broken")
    result = invoke("diff", "HEAD:frameworks/broken.precepts", FRAMEWORK)
    assert result.exit_code == 1
    assert "HEAD:frameworks/broken.precepts:2:1: error S003 (unknown-keyword)" in result.stderr
    assert "precepts-revision-" not in result.stderr


def test_includes_reach_as_far_at_a_revision_as_in_the_working_copy(repository: Path) -> None:
    """The shared rules moved out of frameworks/ and included from ../rules: the repository's
    top, not the framework's folder, bounds what an include may reach."""
    framework = repository / FRAMEWORK
    shutil.move(repository / "frameworks" / "shared", repository / "rules")
    framework.write_text(framework.read_text(encoding="utf-8").replace("include: shared/", "include: ../rules/"),
                         encoding="utf-8")
    for other in ("hmip-probation-2017-draft", "hmip-domain-one-characteristics-2018"):
        path = repository / "frameworks" / f"{other}.precepts"
        path.write_text(path.read_text(encoding="utf-8").replace("include: shared/", "include: ../rules/"), encoding="utf-8")
    git(repository, "add", "-A")
    git(repository, "commit", "-qm", "rules moved")
    result = invoke("diff", f"HEAD:{FRAMEWORK}", FRAMEWORK)
    assert result.exit_code == 0, result.stderr
    assert "Prompts: 179 → 179" in result.stdout
