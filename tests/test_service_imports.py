"""`precepts check` pays nothing for the server, the language server or publishing: it imports
none of their libraries (issue 15: start-up near the interpreter's)."""

from __future__ import annotations

import subprocess
import sys

from support import FRAMEWORK_2021, REPO_ROOT

SERVER_LIBRARIES = ("starlette", "uvicorn", "watchfiles", "anyio", "httptools", "uvloop", "precepts.service")
# What only other commands need: the language server, templates, the outputs of `build` and
# `diff`, the Word importer, and the parser itself while the parse cache is warm.
OTHER_COMMANDS = ("pygls", "lsprotocol", "cattrs", "jinja2", "markupsafe", "docx", "openpyxl", "pyxform",
                  "precepts.lsp", "precepts.renderers", "precepts.changes", "precepts.service", "precepts.importers")


def imported_by(*arguments: str) -> set[str]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "precepts", *arguments], cwd=REPO_ROOT,
                          capture_output=True, text=True, check=False)
    assert "import time:" in done.stderr, done.stderr[-2000:]
    return {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


def test_check_imports_no_server_library() -> None:
    imported_by("check", str(FRAMEWORK_2021))  # warms the parse cache
    modules = imported_by("check", str(FRAMEWORK_2021))
    assert "precepts.pipeline" in modules, "the probe sees precepts' own imports"
    assert not [m for m in modules if m.split(".")[0] in SERVER_LIBRARIES or m.startswith("precepts.service")]
    assert not [m for m in modules if m.split(".")[0] in OTHER_COMMANDS or m.startswith(OTHER_COMMANDS)]


def test_help_lists_serve_without_importing_it() -> None:
    modules = imported_by("--help")
    assert not [m for m in modules if m.split(".")[0] in SERVER_LIBRARIES or m.startswith("precepts.service")]
    done = subprocess.run([sys.executable, "-m", "precepts", "--help"], capture_output=True, text=True, check=True)
    assert "serve" in done.stdout
