"""Run Python as it runs where a user installed precepts (and pyxform) and nothing else.

The test environment holds more than a user's: the `test` extra adds interegular, so that
tests/test_grammar_collisions.py can check the grammar's terminals for collisions. With
interegular importable, lark compares every pair of terminals of every grammar it builds, and
`import pyxform` (which builds two lark parsers) takes minutes (issue 15). A user who installs
precepts next to pyxform gets only the two packages' runtime requirements, so code that must
behave as it does for them runs in a child process where every other installed distribution's
modules cannot be imported. Should precepts ever require interegular again, it is in the closure,
importable here too, and the tests that use this module slow down and fail.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

USER_INSTALLS = ("precepts", "pyxform")

# Installed in the child before anything else runs: an import of a blocked top-level name fails
# as it would if its distribution were not installed.
_PREAMBLE = """
import json, sys
_BLOCKED = frozenset(json.loads(sys.argv[1]))
class _NotInstalled:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.partition(".")[0] in _BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, _NotInstalled)
del sys.argv[1]
"""


def runtime_closure(names: tuple[str, ...] = USER_INSTALLS) -> frozenset[str]:
    """The distributions `pip install <names>` installs: each one's requirements, without extras,
    whose markers hold here, followed to the end."""
    found: set[str] = set()
    pending = [canonicalize_name(n) for n in names]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        found.add(name)
        try:
            requirements = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for text in requirements:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(canonicalize_name(requirement.name))
    return frozenset(found)


@cache
def blocked_modules() -> frozenset[str]:
    """Top-level modules that only distributions outside the user's install provide."""
    allowed = runtime_closure()
    blocked = set()
    for module, distributions in metadata.packages_distributions().items():
        if not any(canonicalize_name(d) in allowed for d in distributions):
            blocked.add(module)
    return frozenset(blocked)


def run_as_user(code: str, *arguments: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `code` in a child Python that sees only the user's install; it must succeed."""
    command = [sys.executable, "-c", _PREAMBLE + code, json.dumps(sorted(blocked_modules())), *arguments]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done
