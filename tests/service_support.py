"""What the service tests share: a git repository holding a copy of the frameworks (so
saving, watching and revisions never touch the real ones), and a real server process."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from support import FRAMEWORKS, REPO_ROOT

ADULT = "hmip-adult-2021"


def git(folder: Path, *arguments: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                           "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *arguments],
                          cwd=folder, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def framework_repository(folder: Path) -> Path:
    """folder/ as a git repository with frameworks/ committed and tagged v1; returns folder."""
    shutil.copytree(FRAMEWORKS, folder / "frameworks")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "frameworks")
    git(folder, "commit", "-q", "-m", "frameworks as published")
    git(folder, "tag", "v1")
    return folder


def bench_rate() -> ModuleType:
    """bench/rate.py, whose generator writes realistic case records for the 2021 framework."""
    spec = importlib.util.spec_from_file_location("bench_rate", REPO_ROOT / "bench" / "rate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_ready(base: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the server stopped: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{base} was not ready within {timeout} s")


@contextlib.contextmanager
def running_server(cwd: Path, *arguments: str, environment: dict[str, str] | None = None) -> Iterator[str]:
    """`precepts serve ARGUMENTS --port FREE` as a real process; yields its base URL, stops it after."""
    port = free_port()
    command = [sys.executable, "-m", "precepts", "serve", *arguments, "--port", str(port)]
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, **(environment or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()
