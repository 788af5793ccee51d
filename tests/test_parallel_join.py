"""On large frameworks the near-duplicate join runs in a forked process while the other
checks run; it must find exactly what the join in the process itself finds."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from support import FRAMEWORKS

FRAMEWORK_2017 = FRAMEWORKS / "hmip-probation-2017-draft.precepts"

# Run in a fresh interpreter: forking is only done where no other thread runs, and a
# test process may have some (the browser tests' driver).
SCRIPT = """
import json, sys
from pathlib import Path
from precepts.validators import duplicates
from precepts.pipeline import check_path

duplicates.PARALLEL_MIN_PROMPTS = int(sys.argv[2])
forked = []
original = duplicates._started_pairs
def spy(framework):
    found = original(framework)
    forked.append(found is not None)
    return found
duplicates._started_pairs = spy
result = check_path(Path(sys.argv[1]), select=["D002"])
findings = [d.message for d in result.diagnostics] + [w.diagnostic.message for w in result.waived]
print(json.dumps({"forked": forked, "findings": findings}))
"""


def near_duplicates(minimum: int) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(FRAMEWORK_2017), str(minimum)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.mark.skipif(sys.platform == "win32", reason="no fork")
def test_the_forked_join_finds_what_the_join_in_process_finds() -> None:
    in_process, forked = near_duplicates(10**9), near_duplicates(0)
    assert in_process["forked"] == [False] and forked["forked"] == [True]
    assert forked["findings"] == in_process["findings"]
    assert len(in_process["findings"]) >= 3  # the 2017 draft's near-duplicate CRC prompts
