"""Files precepts writes outside a build (a diff report, proposed mappings, its caches) are
written atomically: the old content or all of the new, never a part, and no stray files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from support import REPO_ROOT, invoke

from precepts.core.atomic import write_atomically


def test_a_write_replaces_the_whole_file_with_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert os.listdir(tmp_path) == ["report.html"]


def test_private_files_are_the_owners_alone(tmp_path: Path) -> None:
    write_atomically(tmp_path / "cache", b"x", private=True)
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o600


def test_a_failed_write_leaves_the_old_file_and_nothing_else(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")

    def failing_fsync(_: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        write_atomically(target, b"new and longer")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["report.html"]


def test_diff_output_that_cannot_be_written_is_a_usage_error_and_leaves_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "notice.html"
    target.write_text("previous notice", encoding="utf-8")
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.setattr(os, "fsync", lambda _: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    result = invoke("diff", "frameworks/hmip-probation-2017-draft.precepts", "frameworks/hmip-adult-2021.precepts",
                    "--format", "html", "-o", target)
    assert result.exit_code == 2
    assert f"cannot write {target}: No space left on device" in result.stderr
    assert target.read_text(encoding="utf-8") == "previous notice"
    assert os.listdir(tmp_path) == ["notice.html"]
