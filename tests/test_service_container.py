"""The Containerfile cannot be built here, but its command line and its health check can
be run as written: in a network namespace of their own (so port 8000 is free and 0.0.0.0
reaches nobody), the CMD starts the server and the HEALTHCHECK command sees it healthy."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO_ROOT

CONTAINERFILE = REPO_ROOT / "Containerfile"


def exec_form(instruction: str) -> list[str]:
    """The JSON array of a CMD (or HEALTHCHECK … CMD) line of the Containerfile."""
    text = CONTAINERFILE.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith(instruction + " "))
    found = re.search(r"CMD (\[.*\])\s*$", line)
    assert found, f"{instruction} is in exec form (a JSON array)"
    command = json.loads(found.group(1))
    assert all(isinstance(word, str) for word in command)
    return command


def test_the_command_is_the_documented_one() -> None:
    command = exec_form("CMD")
    assert command[:3] == ["precepts", "serve", "frameworks"]
    from support import documentation

    assert " ".join(command) in documentation(), "the documentation gives the container's command"
    assert "/healthz" in " ".join(exec_form("HEALTHCHECK"))


def test_the_command_as_written_starts_a_server_the_health_check_accepts(tmp_path: Path) -> None:
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("ip") is None:
        if os.environ.get("CI"):
            pytest.fail("this test needs root, unshare and ip (a private network namespace)", pytrace=False)
        pytest.skip("needs root, unshare and ip to run the command in a private network namespace")
    server, health = shlex.join(exec_form("CMD")), shlex.join(exec_form("HEALTHCHECK"))
    script = f"""
ip link set lo up
{server} 2>{shlex.quote(str(tmp_path / 'server.log'))} &
pid=$!
for attempt in $(seq 1 150); do
    if {health}; then kill $pid; wait $pid; echo healthy; exit 0; fi
    sleep 0.2
done
kill $pid; wait $pid; cat {shlex.quote(str(tmp_path / 'server.log'))} >&2; exit 1
"""
    # The container's python and precepts are this environment's.
    path = f"{os.path.dirname(sys.executable)}:{os.environ.get('PATH', '')}"
    done = subprocess.run(["unshare", "--net", "sh", "-c", script], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PATH": path})
    assert done.returncode == 0 and "healthy" in done.stdout, done.stderr[-3000:]
