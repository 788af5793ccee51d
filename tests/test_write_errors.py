"""Output that cannot be written (a full disk, a closed pipe) is a write error, exit 2: not a bug."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import FRAMEWORK_2021, REPO_ROOT

PRECEPTS = [sys.executable, "-m", "precepts.cli"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux) to simulate a full disk")
@pytest.mark.parametrize("args", [["check", str(FRAMEWORK_2021)], ["check", "--format", "sarif", str(FRAMEWORK_2021)], ["explain"]])
def test_a_full_disk_is_a_write_error(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        process = subprocess.run([*PRECEPTS, *args], stdout=full, stderr=subprocess.PIPE, text=True, cwd=REPO_ROOT)
    assert process.returncode == 2, process.stderr
    assert "cannot write the output: No space left on device" in process.stderr
    assert "bug" not in process.stderr and "Traceback" not in process.stderr


def test_a_closed_pipe_is_a_write_error() -> None:
    reading, writing = os.pipe()
    os.close(reading)  # the reader has gone, as when `| head` has read enough
    try:
        process = subprocess.run([*PRECEPTS, "explain"], stdout=writing, stderr=subprocess.PIPE, text=True, cwd=REPO_ROOT)
    finally:
        os.close(writing)
    assert process.returncode == 2, process.stderr
    assert "cannot write the output" in process.stderr
    assert "bug" not in process.stderr and "Traceback" not in process.stderr
