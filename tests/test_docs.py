"""The documentation site (docs/, mkdocs-material) builds with --strict, and its table of
codes is the code catalogue's."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from support import REPO_ROOT

from precepts.core.codes import Code

DOCS = REPO_ROOT / "docs"


def _hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mkdocs_hooks", REPO_ROOT / "tools" / "mkdocs_hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                           cwd=REPO_ROOT, capture_output=True, text=True, timeout=600,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0, built.stderr
    checks = (tmp_path / "site" / "checks" / "index.html").read_text(encoding="utf-8")
    assert all(f"<td>{code.code}</td>" in checks for code in Code)


def test_the_committed_table_of_codes_is_the_catalogue() -> None:
    page = (DOCS / "checks.md").read_text(encoding="utf-8")
    assert _hooks().with_codes_table(page) == page, (
        "docs/checks.md's table of codes is not the catalogue's: regenerate it with\n"
        "  python3 -c \"import runpy,pathlib; h=runpy.run_path('tools/mkdocs_hooks.py'); "
        "p=pathlib.Path('docs/checks.md'); p.write_text(h['with_codes_table'](p.read_text()))\"")


def test_every_page_is_in_the_navigation() -> None:
    import yaml

    def entries(items: list[object]) -> set[str]:
        found: set[str] = set()
        for item in items:
            if isinstance(item, str):
                found.add(item)
            elif isinstance(item, dict):
                for value in item.values():
                    found |= entries(value) if isinstance(value, list) else {value}
        return found

    nav = entries(yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"])
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert pages <= nav, f"pages not in mkdocs.yml's nav: {sorted(pages - nav)}"
