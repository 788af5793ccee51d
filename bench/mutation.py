"""Mutation testing: do the tests notice when a rule in the engine or a check is wrong?

    python bench/mutation.py                                  # every configured module
    python bench/mutation.py --module ratings/banding.py      # one module (repeatable)
    python bench/mutation.py --list                           # the modules and their tests
    python bench/mutation.py --module ratings/banding.py --show 12   # print mutant 12's change

Each mutant is one small change to one function: a comparison flipped (`<` for `<=`), an
operator swapped, `and` for `or`, a `not` dropped, a number moved by one, `True` for
`False`, `min` for `max`, `any` for `all`, a statement deleted, `break` for `continue`. The
module's own tests (MODULES below: the tests that exercise it, so a run stays fast) are run
against each mutant; a mutant the tests pass is a *survivor*: a wrong rule nobody would
notice. Survivors known to be equivalent (the program behaves the same) are listed with
the reason in bench/mutation_equivalent.toml; the rest are gaps in the tests.

The summary goes to stdout and, with --report, to docs/mutation-report.md (merged with the
modules already in it, so measuring one module keeps the others' figures).

Why a driver of our own rather than mutmut or cosmic-ray: the folders are mapped into
`precepts.*` by package-dir (pyproject.toml), which mutmut 3 cannot follow (it imports
mutated copies from a `mutants/` tree by the folder's own name, so `precepts.ratings.banding`
would keep loading the original), and cosmic-ray rewrites the file on disk and starts a
fresh pytest per mutant (lark, the grammar and every test module imported again: a few
seconds each, hours per module on this machine). This driver imports precepts once, then
for each mutant forks, swaps the mutated function's code object in place (`f.__code__`, so
every `from ... import f` sees it too) and runs pytest in the child: one mutant at a time,
one core, nothing written to the source tree. Lines the baseline run never executes are
reported as not covered without running. For each mutant only the tests the baseline saw
run its line are run, quickest first (pytest -x stops at the first failure); a mutant they
all pass is run again against every test of those files before it is called a survivor
(a test may rely on a result another test cached). `--every K` measures a deterministic
sample (mutants 0, K, 2K, …), said so in the report. It is too slow for every CI run: run it on
demand, before and after changing the engine or a check.

Limits, by design: only code inside functions is mutated (module-level tables are data, and
are checked by the tests of the published frameworks); tests that start `precepts` as a
subprocess cannot see a mutant, so they are not in the modules' test lists.
"""

from __future__ import annotations

import argparse
import ast
import functools
import gc
import hashlib
import importlib
import json
import os
import re
import signal
import sys
import threading
import time
import tomllib
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest import hookimpl as pytest_hookimpl

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_FILE = ROOT / "bench" / "mutation_equivalent.toml"
REPORT_FILE = ROOT / "docs" / "mutation-report.md"
# The last outcome of every mutant, by the module's source hash: --survivors re-runs only what survived.
# MUTATION_RESULTS names another file, for two runs at once (each writes its file after every mutant).
RESULTS_FILE = Path(os.environ.get("MUTATION_RESULTS", ROOT / "bench" / ".mutation-results.json"))

# The folders mapped into the `precepts` package (pyproject.toml, [tool.setuptools]).
PACKAGE_OF_FOLDER = {"ratings": "precepts.ratings", "validators": "precepts.validators",
                     "compiler": "precepts.compiler", "dsl": "precepts.dsl", "core": "precepts.core"}

CHECK_TESTS = ["tests/test_fixtures.py", "tests/test_shipped_findings.py", "tests/test_structure_checks.py",
               "tests/test_rule_checks.py",
               "tests/test_one_slip.py"]
RATING_TESTS = ["tests/test_ratings_cases.py", "tests/test_ratings_engine.py", "tests/test_ratings_generality.py",
                "tests/test_banding_properties.py"]

# The rating modules' tests, and the golden JSON output of `rate` (explanations, bands, totals, format 1 and 2).
RATED_OUTPUT_TESTS = [*RATING_TESTS, "tests/test_ratings_golden.py"]

COMPILER_TESTS = ["tests/test_fixtures.py", "tests/test_definitions.py", "tests/test_hierarchy.py", "tests/test_compilation.py",
                  "tests/test_rating_rules_phase.py",
                  "tests/test_structure_checks.py", "tests/test_regressions.py", "tests/test_one_slip.py",
                  "tests/test_shipped_findings.py", "tests/test_framework_2021.py"]
DSL_TESTS = ["tests/test_fixtures.py", "tests/test_structure_checks.py", "tests/test_grammar_collisions.py",
             "tests/test_regressions.py", "tests/test_one_slip.py", "tests/test_shipped_findings.py"]

# Module → the tests that exercise it, in-process (fastest-failing first: pytest stops at the first failure).
MODULES: dict[str, list[str]] = {
    "ratings/banding.py": RATED_OUTPUT_TESTS,
    "ratings/composites.py": RATED_OUTPUT_TESTS,
    "ratings/hurdles.py": RATED_OUTPUT_TESTS,
    "validators/structure.py": CHECK_TESTS,
    "validators/duplicates.py": [*CHECK_TESTS, "tests/test_similarity_join.py", "tests/test_duplicates_fork.py"],
    # The similarity join of D002 and diff's proposed pairs (issue 15): its own exactness
    # tests, and the checks and diff pairings that go through it.
    "core/similarity_join.py": ["tests/test_similarity_join.py", *CHECK_TESTS, "tests/test_diff_identity.py",
                                "tests/test_diff_golden.py"],
    "compiler/conditions.py": ["tests/test_conditions.py", *RATING_TESTS, *CHECK_TESTS],
    # The compiler's phases (compiler/compilation.py runs them in order).
    **{f"compiler/phases/{phase}.py": COMPILER_TESTS for phase in ("definitions", "hierarchy", "references",
                                                                    "rating_rules", "questionnaires", "framework")},
    "compiler/compilation.py": COMPILER_TESTS,
    "compiler/resolve.py": COMPILER_TESTS,
    "compiler/queries.py": COMPILER_TESTS,
    "compiler/names.py": COMPILER_TESTS,
    "compiler/model.py": ["tests/test_model.py", *COMPILER_TESTS, "tests/test_conditions.py"],
    "compiler/describe.py": ["tests/test_definitions.py", "tests/test_conditions.py", "tests/test_diff_support.py", "tests/test_diff_golden.py"],
    "compiler/translations.py": ["tests/test_translations.py", "tests/test_fixtures.py"],
    # The language: what every framework passes through (fixtures and checks), then each module's own tests.
    "dsl/parser.py": ["tests/test_outline.py", *DSL_TESTS, "tests/test_parser_positions.py", "tests/test_syntax_messages.py",
                      "tests/test_conditions.py", "tests/test_corpus_2018_characteristics.py", "tests/test_fmt.py",
                      "tests/test_input_hardening.py"],
    "dsl/ast.py": [*DSL_TESTS, "tests/test_compilation.py"],
    "dsl/format.py": ["tests/test_fmt.py"],
    "dsl/incremental.py": ["tests/test_incremental.py"],
    "dsl/outline.py": ["tests/test_outline.py", *DSL_TESTS, "tests/test_lsp_features.py"],
    "dsl/cache.py": ["tests/test_parse_cache.py", "tests/test_fixtures.py"],
    "dsl/loader.py": ["tests/test_loader.py", "tests/test_incremental.py", "tests/test_fixtures.py", "tests/test_regressions.py", "tests/test_parse_cache.py",
                      "tests/test_input_hardening.py"],
    "validators/references.py": CHECK_TESTS,
    "validators/levels.py": CHECK_TESTS,
    "validators/cascades.py": [*CHECK_TESTS, "tests/test_regressions.py"],
    # limits() is how the rating engine reads a hurdle's then: (ratings/hurdles.py): the rule cases check it.
    "validators/rules.py": [*CHECK_TESTS, "tests/test_banding_coverage.py", "tests/test_ratings_cases.py"],
    "ratings/numbers.py": RATED_OUTPUT_TESTS,
    "ratings/verdicts.py": RATED_OUTPUT_TESTS,
}


@dataclass(frozen=True)
class Mutant:
    index: int
    line: int
    column: int
    description: str
    function: str  # qualified name of the top-level function or method holding the change

    def key(self, module: str) -> str:
        return f"{module}:{self.line}:{self.column}: {self.description}"


@dataclass
class Outcome:
    mutant: Mutant
    status: str  # killed | survived | timeout | not covered | not applied
    seconds: float = 0.0


@dataclass
class ModuleResult:
    module: str
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    of: int | None = None  # mutants in the module, when the run stopped before the end
    every: int = 1  # a sample: only every k-th mutant (by index) was run


# ---------------------------------------------------------------------------------- mutating

_COMPARE_SWAPS: dict[type, type] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
_BINOP_SWAPS: dict[type, type] = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv,
}
_NAME_SWAPS = {"min": "max", "max": "min", "any": "all", "all": "any", "True": "False", "False": "True"}


def _op_name(op: ast.AST) -> str:
    return {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
            ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.Add: "+", ast.Sub: "-",
            ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.And: "and",
            ast.Or: "or"}.get(type(op), type(op).__name__)


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and isinstance(
        statement.value.value, str)


class _Sites(ast.NodeVisitor):
    """Every place in function bodies where a mutation applies, in source order."""

    def __init__(self) -> None:
        self.sites: list[tuple[ast.AST, str, str, str]] = []  # node, kind, description, function
        self._function: list[str] = []
        self._class: list[str] = []

    def _add(self, node: ast.AST, kind: str, description: str) -> None:
        if self._function:
            self.sites.append((node, kind, description, self._function[0]))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._class.append(node.name)
        for statement in node.body:
            self.visit(statement)
        self._class.pop()

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        # Decorators, defaults and annotations run at import time: not mutated.
        name = ".".join([*self._class, node.name]) if not self._function else self._function[0]
        self._function.append(name)
        for statement in node.body:
            self.visit(statement)
        self._function.pop()

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.visit(node.body)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_Compare(self, node: ast.Compare) -> None:
        for position, op in enumerate(node.ops):
            swap = _COMPARE_SWAPS.get(type(op))
            if swap is not None:
                self._add(node, f"compare:{position}", f"`{_op_name(op)}` → `{_op_name(swap())}`")
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        swap = _BINOP_SWAPS.get(type(node.op))
        if swap is not None:
            self._add(node, "binop", f"`{_op_name(node.op)}` → `{_op_name(swap())}`")
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        swap = _BINOP_SWAPS.get(type(node.op))
        if swap is not None:
            self._add(node, "binop", f"`{_op_name(node.op)}=` → `{_op_name(swap())}=`")
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        other = "or" if isinstance(node.op, ast.And) else "and"
        self._add(node, "boolop", f"`{_op_name(node.op)}` → `{other}`")
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self._add(node, "not", "`not x` → `x`")
        elif isinstance(node.op, ast.USub):
            self._add(node, "usub", "`-x` → `x`")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self._add(node, "constant", f"`{value}` → `{not value}`")
        elif isinstance(value, int):
            self._add(node, "constant", f"`{value}` → `{value + 1}`")
        elif value is None:
            pass

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in _NAME_SWAPS and isinstance(node.ctx, ast.Load):
            self._add(node, "name", f"`{node.id}` → `{_NAME_SWAPS[node.id]}`")

    def visit_If(self, node: ast.If) -> None:
        self._add(node, "if", "condition → `not (condition)`")
        self.generic_visit(node)

    def _statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Expr) and not _is_docstring(node):
            self._add(node, "delete", "statement deleted")
        elif isinstance(node, (ast.Continue, ast.Break)):
            other = "break" if isinstance(node, ast.Continue) else "continue"
            self._add(node, "loopjump", f"`{type(node).__name__.lower()}` → `{other}`")
        elif isinstance(node, ast.Return) and node.value is not None and not (
                # `return False` (or 0, "") → `return None` only matters to an `is` test: left out.
                isinstance(node.value, ast.Constant) and not node.value.value):
            self._add(node, "return", "`return x` → `return None`")

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.stmt):
            self._statement(node)
        super().visit(node)


def mutation_sites(tree: ast.Module) -> list[tuple[ast.AST, str, str, str]]:
    finder = _Sites()
    finder.visit(tree)
    return finder.sites


def mutants_of(source: str) -> list[Mutant]:
    tree = ast.parse(source)
    return [
        Mutant(index, node.lineno, node.col_offset + 1, description, function)  # type: ignore[attr-defined]
        for index, (node, _, description, function) in enumerate(mutation_sites(tree))
    ]


def _apply(node: ast.AST, kind: str) -> ast.AST | None:
    """Mutate `node` in place, or return the node that replaces it."""
    if kind.startswith("compare:"):
        assert isinstance(node, ast.Compare)
        position = int(kind.split(":")[1])
        node.ops[position] = _COMPARE_SWAPS[type(node.ops[position])]()
    elif kind == "binop":
        assert isinstance(node, (ast.BinOp, ast.AugAssign))
        node.op = _BINOP_SWAPS[type(node.op)]()
    elif kind == "boolop":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind in ("not", "usub"):
        assert isinstance(node, ast.UnaryOp)
        return node.operand
    elif kind == "constant":
        assert isinstance(node, ast.Constant)
        value = node.value
        assert isinstance(value, int)  # bool is an int too
        node.value = (not value) if isinstance(value, bool) else value + 1
    elif kind == "name":
        assert isinstance(node, ast.Name)
        if node.id in ("True", "False"):
            return ast.Constant(node.id == "False")
        node.id = _NAME_SWAPS[node.id]
    elif kind == "if":
        assert isinstance(node, ast.If)
        node.test = ast.UnaryOp(ast.Not(), node.test)
    elif kind == "delete":
        return ast.Pass()
    elif kind == "loopjump":
        return ast.Break() if isinstance(node, ast.Continue) else ast.Continue()
    elif kind == "return":
        assert isinstance(node, ast.Return)
        node.value = ast.Constant(None)
    return None


class _Replace(ast.NodeTransformer):
    def __init__(self, target: ast.AST, replacement: ast.AST) -> None:
        self.target, self.replacement = target, replacement

    def visit(self, node: ast.AST) -> ast.AST:
        if node is self.target:
            return ast.copy_location(self.replacement, node)
        visited: ast.AST = super().visit(node)
        return visited


def mutated_tree(source: str, index: int) -> ast.Module:
    tree = ast.parse(source)
    node, kind, _, _ = mutation_sites(tree)[index]
    replacement = _apply(node, kind)
    if replacement is not None:
        _Replace(node, replacement).visit(tree)  # the module node itself is never the target
    return ast.fix_missing_locations(tree)


def _code_objects(code: types.CodeType) -> Iterator[types.CodeType]:
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield constant
            yield from _code_objects(constant)


def live_functions(module: types.ModuleType) -> dict[str, list[types.FunctionType]]:
    """The module's functions and methods by qualified name, unwrapping decorators."""
    found: dict[str, list[types.FunctionType]] = {}

    def add(candidate: object, depth: int = 0) -> None:
        if depth > 5:
            return
        if isinstance(candidate, (staticmethod, classmethod)):
            add(candidate.__func__, depth + 1)
        elif isinstance(candidate, functools.cached_property):
            add(candidate.func, depth + 1)
        elif isinstance(candidate, property):
            for accessor in (candidate.fget, candidate.fset, candidate.fdel):
                add(accessor, depth + 1)
        elif isinstance(candidate, types.FunctionType):
            if candidate.__code__.co_filename == module.__file__:
                entries = found.setdefault(candidate.__code__.co_qualname, [])
                if candidate not in entries:
                    entries.append(candidate)
            add(getattr(candidate, "__wrapped__", None), depth + 1)
        elif hasattr(candidate, "__wrapped__"):  # functools.lru_cache and friends
            add(candidate.__wrapped__, depth + 1)
        elif isinstance(candidate, type) and candidate.__module__ == module.__name__:
            for member in vars(candidate).values():
                add(member, depth + 1)

    for value in list(vars(module).values()):
        add(value)
    return found


def install(module: types.ModuleType, source: str, mutant: Mutant) -> bool:
    """Swap the code of the function holding `mutant` for its mutated code; False if it cannot be."""
    tree = mutated_tree(source, mutant.index)
    compiled = compile(tree, module.__file__ or "<mutant>", "exec")
    new_code = {code.co_qualname: code for code in _code_objects(compiled)}
    functions = live_functions(module)
    replaced = False
    for qualname, live in functions.items():
        if qualname != mutant.function:
            continue
        code = new_code.get(qualname)
        if code is None:
            continue
        for function in live:
            try:
                function.__code__ = code
            except ValueError:  # a different closure: cannot be swapped in place
                return False
            replaced = True
    return replaced


# ----------------------------------------------------------------------------------- running

class _OnlyThese:
    """A pytest plugin keeping only the tests (node ids) that run the mutated line, quickest first:
    with -x the first failure ends the run, so a killed mutant costs about its quickest killing test."""

    def __init__(self, wanted: set[str] | None, seconds: dict[str, float] | None = None) -> None:
        self.wanted = wanted
        self.seconds = seconds or {}

    def pytest_collection_modifyitems(self, items: list[Any]) -> None:
        kept = [item for item in items if self.wanted is None or item.nodeid in self.wanted]
        kept.sort(key=lambda item: self.seconds.get(item.nodeid, 1.0))  # stable: ties keep the file's order
        items[:] = kept


class _WhoRuns:
    """A pytest plugin and tracer recording, for each line of one file, the tests that run it."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.current = "<collection>"
        self.by_line: dict[int, set[str]] = {}
        self.seconds: dict[str, float] = {}

    @pytest_hookimpl(hookwrapper=True)  # type: ignore[misc, untyped-decorator, unused-ignore]
    def pytest_runtest_protocol(self, item: Any, nextitem: Any) -> Iterator[None]:
        self.current = item.nodeid
        started = time.monotonic()
        yield
        self.seconds[item.nodeid] = time.monotonic() - started

    def local(self, frame: types.FrameType, event: str, arg: object) -> object:
        if event == "line":
            self.by_line.setdefault(frame.f_lineno, set()).add(self.current)
        return self.local

    def trace(self, frame: types.FrameType, event: str, arg: object) -> object:
        if frame.f_code.co_filename == self.filename:
            self.by_line.setdefault(frame.f_lineno, set()).add(self.current)
            return self.local
        return None


def _run_child(tests: list[str], before_tests: Callable[[], bool], timeout: float,
               after_tests: Callable[[], None] | None = None, plugins: tuple[object, ...] = ()) -> tuple[int | None, float]:
    """Fork; the child calls `before_tests()`, runs pytest, `after_tests()`, and exits with pytest's status."""
    started = time.monotonic()
    gc.collect()
    gc.freeze()  # what the parent holds stays shared with the child, unscanned
    pid = os.fork()
    if pid == 0:  # the child
        status = 70
        try:
            os.setpgid(0, 0)
            if not os.environ.get("MUTATION_DEBUG"):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
            if before_tests():
                import pytest

                _hypothesis_profile()
                # Only the plugins the tests need (no entry-point plugins such as playwright's), and no
                # garbage collection after every test for unraisable exceptions: both cost seconds.
                os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
                status = int(pytest.main(["-x", "-q", "-p", "no:cacheprovider", "-p", "no:unraisableexception",
                                          "-p", "_hypothesis_pytestplugin", "--no-header", *tests],
                                         plugins=list(plugins)))
                if after_tests is not None:
                    after_tests()
            else:
                status = 71
        except BaseException:
            status = 72
        finally:
            os._exit(status)
    deadline = started + timeout
    while True:
        done, wait_status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            for target in (-pid, pid):
                try:
                    os.kill(target, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            os.waitpid(pid, 0)
            return None, time.monotonic() - started
        time.sleep(0.05)
    return os.waitstatus_to_exitcode(wait_status), time.monotonic() - started


def tests_by_line(module: types.ModuleType, tests: list[str]) -> tuple[dict[int, set[str]], dict[str, float], float]:
    """Run the tests unmutated, recording which tests run each line of the module; they must pass."""
    read_end, write_end = os.pipe()
    assert module.__file__ is not None
    recorder = _WhoRuns(module.__file__)

    def start() -> bool:
        threading.settrace(recorder.trace)  # type: ignore[arg-type]
        sys.settrace(recorder.trace)  # type: ignore[arg-type]
        return True

    def send() -> None:
        sys.settrace(None)
        threading.settrace(None)  # type: ignore[arg-type, unused-ignore]
        payload = json.dumps({"lines": {line: sorted(ids) for line, ids in recorder.by_line.items()},
                              "seconds": recorder.seconds}).encode()
        view = memoryview(payload)
        while view:
            view = view[os.write(write_end, view):]

    chunks: list[bytes] = []

    def drain() -> None:
        while chunk := os.read(read_end, 1 << 16):
            chunks.append(chunk)

    # Drain the pipe while the child runs: the map can be larger than a pipe's buffer.
    drainer = threading.Thread(target=drain, daemon=True)
    drainer.start()
    status, seconds = _run_child(tests, start, timeout=3600, after_tests=send, plugins=(recorder,))
    os.close(write_end)
    drainer.join()
    os.close(read_end)
    if status != 0:
        raise SystemExit(f"the tests fail without any mutant (exit {status}): {' '.join(tests)}")
    data = json.loads(b"".join(chunks).decode() or "{}")
    by_line = {int(line): set(ids) for line, ids in data.get("lines", {}).items()}
    return by_line, data.get("seconds", {}), seconds


def _saved(module_path: str, digest: str) -> dict[str, str]:
    if not RESULTS_FILE.exists():
        return {}
    saved = json.loads(RESULTS_FILE.read_text(encoding="utf-8")).get(module_path, {})
    return saved.get("outcomes", {}) if saved.get("source") == digest else {}


def _save(result: ModuleResult, digest: str) -> None:
    data = json.loads(RESULTS_FILE.read_text(encoding="utf-8")) if RESULTS_FILE.exists() else {}
    data[result.module] = {"source": digest, "seconds": result.seconds, "every": result.every,
                           "outcomes": {o.mutant.key(result.module): o.status for o in result.outcomes}}
    RESULTS_FILE.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _hypothesis_profile() -> None:
    from hypothesis import HealthCheck, Phase, settings

    # Same examples every run, and no deadline: timings under load are not a test failure.
    # Fewer examples than the suite's 100: a wrong rule in banding fails within a few dozen.
    # No shrinking either: a mutant is killed by the first failing example, however large.
    settings.register_profile("mutation", deadline=None, derandomize=True, database=None, max_examples=40,
                              phases=[Phase.explicit, Phase.generate],
                              suppress_health_check=list(HealthCheck))
    settings.load_profile("mutation")


def _import_tests(tests: list[str]) -> None:
    """Import pytest, its plugins and the test modules once, before forking: each mutant's
    pytest then finds them in sys.modules instead of importing them again (most of the time
    a run takes). Tests that work out their cases when imported read only data files."""
    import pytest  # noqa: F401
    from hypothesis.extra import pytestplugin  # noqa: F401

    importlib.import_module("conftest")  # loads the suite's own profile
    _hypothesis_profile()  # then ours, before the tests are imported: @settings(...) copies it then
    for test in tests:
        importlib.import_module(Path(test).stem)


def measure(module_path: str, tests: list[str], *, limit: int | None, verbose: bool,
            survivors_only: bool = False, every: int = 1) -> ModuleResult:
    package = PACKAGE_OF_FOLDER[module_path.split("/")[0]]
    name = ".".join([package, *Path(module_path).with_suffix("").parts[1:]])
    module = importlib.import_module(name)
    source = (ROOT / module_path).read_text(encoding="utf-8")
    digest = hashlib.sha256(source.encode()).hexdigest()
    earlier = _saved(module_path, digest) if survivors_only else {}
    mutants = mutants_of(source)
    result = ModuleResult(module_path, of=len(mutants) if every > 1 else None, every=every)
    mutants = mutants[::every]
    if limit is not None:
        mutants = mutants[:limit]
    present = [test for test in tests if (ROOT / test).exists()]
    started = time.monotonic()
    _import_tests(present)
    by_line, test_seconds, baseline = tests_by_line(module, present)
    print(f"{module_path}: {len(mutants)} mutants; tests take {baseline:.1f}s: {' '.join(present)}", flush=True)
    for mutant in mutants:
        if earlier.get(mutant.key(module_path)) in ("killed", "timeout", "not applied"):
            # Adding tests cannot bring a killed mutant back while the module is unchanged.
            result.outcomes.append(Outcome(mutant, earlier[mutant.key(module_path)]))
            continue
        running = by_line.get(mutant.line, set()) - {"<collection>"}
        if not running:
            result.outcomes.append(Outcome(mutant, "not covered"))
            continue
        files = [test for test in present if any(node.split("::")[0] == test for node in running)]

        def setup(mutant: Mutant = mutant) -> bool:
            return install(module, source, mutant)

        # Traced, the baseline ran slower than a mutant will: three times its time is ample.
        timeout = 30.0 + 3 * sum(test_seconds.get(node, 1.0) for node in running)
        status, seconds = _run_child(files, setup, timeout, plugins=(_OnlyThese(running, test_seconds),))
        if status == 0:
            # Before calling it a survivor, run every test of those files: a test can rely on a
            # result cached by another (rule cases with the same input share one rating), so the
            # tests recorded as running a line are not always all the tests that check it.
            timeout = 30.0 + 3 * sum(t for node, t in test_seconds.items() if node.split("::")[0] in files)
            status, more = _run_child(files, setup, timeout, plugins=(_OnlyThese(None, test_seconds),))
            seconds += more
        if status is None:
            outcome = Outcome(mutant, "timeout", seconds)
        elif status == 71:
            outcome = Outcome(mutant, "not applied", seconds)
        elif status == 0:
            outcome = Outcome(mutant, "survived", seconds)
        else:
            outcome = Outcome(mutant, "killed", seconds)
        result.outcomes.append(outcome)
        if limit is None:
            result.seconds = time.monotonic() - started
            _save(result, digest)  # after every mutant: a run stopped part way still counts
        if verbose or outcome.status in ("survived", "not applied"):
            print(f"  {outcome.status:>11} {mutant.key(module_path)} in {mutant.function} ({seconds:.1f}s)", flush=True)
    result.seconds = time.monotonic() - started
    if limit is None:
        _save(result, digest)
    return result


# ----------------------------------------------------------------------------------- reporting

def equivalents() -> dict[str, str]:
    if not EQUIVALENT_FILE.exists():
        return {}
    with EQUIVALENT_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    return {entry["mutant"]: entry["why"] for entry in data.get("equivalent", [])}


def summarise(result: ModuleResult, known: dict[str, str]) -> tuple[str, list[str]]:
    counts = {status: 0 for status in ("killed", "timeout", "survived", "not covered", "not applied")}
    for outcome in result.outcomes:
        counts[outcome.status] += 1
    lines: list[str] = []
    equivalent = 0
    for outcome in result.outcomes:
        if outcome.status not in ("survived", "not covered"):
            continue
        key = outcome.mutant.key(result.module)
        why = known.get(key)
        if why is not None:
            equivalent += 1
            lines.append(f"- `` {key} `` ({outcome.mutant.function}): equivalent: {why}")
        else:
            lines.append(f"- `` {key} `` ({outcome.mutant.function}): **{outcome.status}**, no test notices")
    killed = counts["killed"] + counts["timeout"]
    total = len(result.outcomes) - counts["not applied"] - equivalent
    score = 100.0 * killed / total if total else 100.0
    if result.every > 1:
        lines.insert(0, f"A sample: one mutant in {result.every} by index (0, {result.every}, {2 * result.every}, …), "
                        f"{len(result.outcomes)} of the module's {result.of} mutants.")
    elif result.of is not None:
        lines.insert(0, f"Measured {len(result.outcomes)} of the module's {result.of} mutants (the run was stopped).")
    row = (f"| {result.module} | {len(result.outcomes)} | {killed} | {counts['survived']} | {counts['not covered']} "
           f"| {equivalent} | {score:.1f}% | {result.seconds:.0f}s |")
    return row, lines


HEADER = """# Mutation report

Made by `python bench/mutation.py --report` (see docs/ci.md, "Mutation testing"). Each mutant
is one small wrong change to one function; the score is the share of non-equivalent mutants
the module's tests catch: killed / (all − equivalent − not applied). Equivalent survivors
and why are in bench/mutation_equivalent.toml. Measured on {date}.

| module | mutants | killed | survived | not covered | equivalent | score | time |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
"""

NOTES = "## Notes"  # from this heading on, the report is written by hand and kept

_ROW = re.compile(r"^\| (\S+\.py) \|")


def folder_totals(rows: list[str]) -> list[str]:
    """A total row per folder, summed from the module rows (a sampled module counts the mutants run)."""
    totals: dict[str, list[int]] = {}
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        mutants, killed, survived, uncovered, equivalent = (int(cell) for cell in cells[1:6])
        # Every mutant is killed (or timed out), survived, not covered or not applied.
        not_applied = mutants - killed - survived - uncovered
        total = totals.setdefault(cells[0].split("/")[0], [0] * 6)
        for index, value in enumerate((mutants, killed, survived, uncovered, equivalent, not_applied)):
            total[index] += value
    out = []
    for folder, (mutants, killed, survived, uncovered, equivalent, not_applied) in sorted(totals.items()):
        counted = mutants - equivalent - not_applied
        score = 100.0 * killed / counted if counted else 100.0
        out.append(f"| **{folder}/ (total)** | {mutants} | {killed} | {survived} | {uncovered} | {equivalent} "
                   f"| **{score:.1f}%** | |")
    return out


def write_report(results: list[ModuleResult]) -> None:
    known = equivalents()
    sections: dict[str, tuple[str, list[str]]] = {}
    notes = ""
    if REPORT_FILE.exists():  # keep the modules not measured this time, and the notes written by hand
        text = REPORT_FILE.read_text(encoding="utf-8")
        if NOTES in text:
            text, notes = text.split(NOTES, 1)
            notes = NOTES + notes
        rows = {m.group(1): line for line in text.splitlines() if (m := _ROW.match(line))}
        for module, row in rows.items():
            body = re.search(rf"^## {re.escape(module)}\n\n(.*?)(?=^## |\Z)", text, re.S | re.M)
            sections[module] = (row, body.group(1).strip().splitlines() if body else [])
    for result in results:
        sections[result.module] = summarise(result, known)
    out = [HEADER.format(date=time.strftime("%Y-%m-%d")).rstrip("\n")]
    out += [sections[module][0] for module in sorted(sections)]
    out += folder_totals([sections[module][0] for module in sorted(sections)])
    for module in sorted(sections):
        survivors = sections[module][1]
        out += ["", f"## {module}", "", *(survivors or ["Every mutant killed."])]
    REPORT_FILE.parent.mkdir(exist_ok=True)
    REPORT_FILE.write_text("\n".join(out) + "\n" + ("\n" + notes.rstrip("\n") + "\n" if notes else ""), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", help="a module to mutate, e.g. ratings/banding.py")
    parser.add_argument("--report", action="store_true", help=f"write {REPORT_FILE.relative_to(ROOT)}")
    parser.add_argument("--limit", type=int, help="only the first N mutants of each module (to try the driver)")
    parser.add_argument("--every", type=int, default=1, metavar="K",
                        help="a deterministic sample: only mutants 0, K, 2K, … of each module (when time is short)")
    parser.add_argument("--show", type=int, metavar="N", help="print mutant N of the (one) module and stop")
    parser.add_argument("--list", action="store_true", help="list the configured modules and their tests")
    parser.add_argument("--survivors", action="store_true",
                        help="re-run only the mutants that survived last time (module unchanged since)")
    parser.add_argument("--from-results", action="store_true",
                        help="run nothing: write the report from the last outcomes saved for each module")
    parser.add_argument("--isolated", action="store_true",
                        help="import precepts from this folder (through tools/packageview.py), not from the editable "
                             "install: for a run in a copy of the repository while the working tree changes")
    parser.add_argument("--verbose", action="store_true", help="print every mutant's outcome")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    if args.isolated:
        sys.path.insert(0, str(ROOT / "tools"))
        import packageview

        sys.path.insert(0, str(packageview.build(ROOT, ROOT / "build" / "packageview")))
        # The editable install's finder would import the working tree's files instead.
        sys.meta_path[:] = [f for f in sys.meta_path if getattr(f, "__name__", "") != "_EditableFinder"]
    sys.path.insert(0, str(ROOT / "tests"))
    if args.list:
        for module, tests in MODULES.items():
            print(f"{module}: {' '.join(tests)}")
        return 0
    modules = args.module or list(MODULES)
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        parser.error(f"not configured in MODULES: {', '.join(unknown)} (see --list)")
    if args.show is not None:
        source = (ROOT / modules[0]).read_text(encoding="utf-8")
        mutant = mutants_of(source)[args.show]
        print(mutant.key(modules[0]), "in", mutant.function)
        original = ast.unparse(ast.parse(source)).splitlines()
        changed = ast.unparse(mutated_tree(source, args.show)).splitlines()
        import difflib

        print("\n".join(difflib.unified_diff(original, changed, lineterm="", n=2)))
        return 0
    results = []
    known = equivalents()
    if args.from_results:
        saved = json.loads(RESULTS_FILE.read_text(encoding="utf-8")) if RESULTS_FILE.exists() else {}
        for module in modules if args.module else [m for m in MODULES if m in saved]:
            source = (ROOT / module).read_text(encoding="utf-8")
            outcomes = _saved(module, hashlib.sha256(source.encode()).hexdigest())
            if not outcomes:
                print(f"{module}: no saved outcomes for its current source; run it first")
                continue
            every = mutants_of(source)
            step = saved[module].get("every", 1)
            # Only the sample that was run: two mutants at one place with one change share a key.
            run = [Outcome(m, outcomes[m.key(module)]) for m in every[::step] if m.key(module) in outcomes]
            result = ModuleResult(module, run, saved[module].get("seconds", 0.0),
                                  len(every) if len(run) < len(every) else None, step)
            results.append(result)
            print(summarise(result, known)[0])
        if args.report:
            write_report(results)
        return 0
    for module in modules:
        result = measure(module, MODULES[module], limit=args.limit, verbose=args.verbose,
                         survivors_only=args.survivors, every=args.every)
        results.append(result)
        print(summarise(result, known)[0], flush=True)
    if args.report:
        write_report(results)
        print(f"wrote {REPORT_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
