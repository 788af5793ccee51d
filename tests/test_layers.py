"""The layers: data flows one way, so no module imports a layer above its own.

Every module of the package (found through pyproject.toml's package-dir, as setuptools
finds them) is parsed, and every import in it is checked, including imports inside
functions and under TYPE_CHECKING: a lazy import is still a dependency. The layers, lowest
first, are documented in the README's Layout section.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. Packages in one layer are siblings: independent of each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("precepts.core",),
    ("precepts.dsl",),
    ("precepts.compiler",),
    ("precepts.validators",),
    ("precepts.pipeline",),
    ("precepts.ratings", "precepts.changes"),
    ("precepts.renderers",),
    # Frameworks read from other formats (a Word document): writes framework text through the
    # formatter and checks it with the pipeline.
    ("precepts.importers",),
    ("precepts.api", "precepts"),  # the package's __init__ re-exports the API
    ("precepts.service", "precepts.lsp"),  # the shells over the API, independent of each other
    # The command line, the process's entry point: `precepts serve` and `precepts lsp` start
    # the shells below it, which never import it.
    ("precepts.cli",),
    # `python -m precepts` starts the command line, as the console script in [project.scripts] does.
    ("precepts.__main__",),
)
ENTRY_POINTS = {"precepts.__main__"}  # the only modules that may import precepts.cli


@dataclass(frozen=True)
class Place:
    layer: int
    group: str  # the package of LAYERS that the module belongs to


def place(module: str) -> Place | None:
    """The layer of a module: the longest package of LAYERS that contains it."""
    best: tuple[int, str] | None = None
    for layer, groups in enumerate(LAYERS):
        for group in groups:
            if (module == group or module.startswith(group + ".")) and (best is None or len(group) > len(best[1])):
                best = (layer, group)
    return Place(*best) if best else None


def package_modules() -> dict[str, Path]:
    """Every module of the package, name → file, found as setuptools finds them: each of
    pyproject's `packages` in its folder under the `package-dir` mapping."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders: dict[str, str] = config["package-dir"]
    modules: dict[str, Path] = {}
    for package in config["packages"]:
        mapped = max((p for p in folders if package == p or package.startswith(p + ".")), key=len)
        folder = ROOT / folders[mapped] / Path(*package[len(mapped):].split(".")[1:])
        for file in sorted(folder.glob("*.py")):
            modules[package if file.stem == "__init__" else f"{package}.{file.stem}"] = file
    return modules


def imports(module: str, source: str, known: set[str], is_package: bool = False) -> Iterator[tuple[int, str]]:
    """(line, module imported) for every import in `source`; relative ones made absolute."""
    package = module if is_package else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # a relative import
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                # `from precepts import api` imports a module; `from precepts import __version__` the package
                submodule = f"{base}.{alias.name}"
                yield node.lineno, submodule if submodule in known else base


def violations(module: str, source: str, known: set[str], is_package: bool = False) -> list[str]:
    here = place(module)
    assert here is not None, f"{module} is in no layer: add its package to LAYERS and to the README's Layout"
    found = []
    for line, imported in imports(module, source, known, is_package):
        if not (imported == "precepts" or imported.startswith("precepts.")):
            continue
        there = place(imported)
        where = f"{module} (line {line}) imports {imported}"
        if there is None:
            found.append(f"{where}, which is in no layer")
        elif imported.startswith("precepts.cli") and not module.startswith("precepts.cli") and module not in ENTRY_POINTS:
            found.append(f"{where}: nothing imports the command line; call precepts.api")
        elif there.layer > here.layer:
            found.append(f"{where}, a layer above its own ({here.group} < {there.group})")
        elif there.layer == here.layer and there.group != here.group and {here.group, there.group} != {"precepts.api", "precepts"}:
            found.append(f"{where}: {here.group} and {there.group} are siblings, independent of each other")
    return found


def test_every_module_is_in_a_layer_and_imports_only_downwards() -> None:
    modules = package_modules()
    assert len(modules) > 90, "the package's modules were not found"
    known = set(modules)
    found = [
        problem for name, file in modules.items()
        for problem in violations(name, file.read_text(encoding="utf-8"), known, file.stem == "__init__")
    ]
    assert not found, "\n".join(found)


def test_the_layer_check_catches_upward_sideways_and_cli_imports() -> None:
    known = {"precepts.api", "precepts.cli", "precepts.cli.app", "precepts.ratings.run", "precepts.changes.compare",
             "precepts.service.app", "precepts.lsp.server"}
    upward = "def f():\n    from precepts.pipeline import check_path\n"
    assert violations("precepts.compiler.model", upward, known) == [
        "precepts.compiler.model (line 2) imports precepts.pipeline, a layer above its own "
        "(precepts.compiler < precepts.pipeline)"]
    assert violations("precepts.ratings.run", "import precepts.changes.compare\n", known)
    assert violations("precepts.renderers.x", "from precepts.cli import app\n", known)
    assert violations("precepts.dsl.x", "from precepts import api\n", known)
    assert violations("precepts.dsl.x", "from .. import api\n", known)
    assert not violations("precepts.renderers.x", "from precepts.changes import compare\nimport json\n", known)
    assert not violations("precepts.__main__", "from precepts.cli.app import main\n", known)
    assert violations("precepts.service.app", "from precepts.cli import common\n", known)
    assert violations("precepts.lsp.server", "from precepts.service import app\n", known)
    assert not violations("precepts.cli.serve", "from precepts.service import app\n", known)


def test_precepts_check_loads_neither_the_rating_engine_nor_the_renderers() -> None:
    script = (
        "import sys\n"
        "from precepts.cli import main\n"
        "try:\n"
        "    main(['check', 'frameworks/hmip-adult-2021.precepts'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = [m for m in sys.modules if m.startswith(('precepts.ratings', 'precepts.renderers', "
        "'precepts.changes', 'precepts.cli.rate', 'precepts.cli.build', 'precepts.cli.diff'))]\n"
        "print(loaded, file=sys.stderr)\n"
        "assert 'precepts.cli.check' in sys.modules and not loaded\n"
    )
    process = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert process.returncode == 0, process.stderr


def test_every_command_is_a_module_of_its_own() -> None:
    from precepts.cli.app import COMMANDS, main

    assert {"check", "compile", "explain", "rate", "build", "diff"} <= set(COMMANDS)
    for command, (module, _) in COMMANDS.items():
        assert module == f"precepts.cli.{command}"
        assert (ROOT / "cli" / f"{command}.py").is_file()
    assert set(main.commands) == set(), "commands are registered in COMMANDS, imported when used"
