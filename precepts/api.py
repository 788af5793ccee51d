"""The public Python API: the one core that the command line, the HTTP service and the
language server all call, and the only thing a Python program needs to import.

    >>> import precepts
    >>> result = precepts.check("frameworks/hmip-adult-2021.precepts")
    >>> result.has_errors
    False
    >>> framework = precepts.load("frameworks/hmip-adult-2021.precepts")
    >>> framework.id
    'hmip-adult-2021'

Frameworks can be given as a path (a file, or for `check` a folder), as several paths, or
as in-memory files, a mapping of POSIX names to texts, so that an editor's unsaved buffers
or a request's files are checked without touching the disk and their includes resolve
among the names:

    >>> files = {
    ...     "main.precepts": "framework demo\\ninclude: rules/shared.precepts\\nlevel unit: Unit\\n",
    ...     "rules/shared.precepts": "rules shared\\n",
    ... }
    >>> precepts.check(files, main="main.precepts").sources.keys()
    dict_keys(['main.precepts', 'rules/shared.precepts'])

Bad input is reported, not raised: `check` returns diagnostics for a missing file or a
syntax error. The functions that need a framework without errors (`load`, `compile`,
`rate`, `diff`, `build`) raise `FrameworkError`, which carries the same diagnostics.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from precepts.changes.mapping import Mapping as IdentityMapping
    from precepts.changes.report import ChangeReport
    from precepts.compiler.model import Framework
    from precepts.core.diagnostics import Diagnostic
    from precepts.core.sources import Source
    from precepts.pipeline import Result
    from precepts.ratings.documents import InputText
    from precepts.ratings.run import Ratings
    from precepts.renderers.artefacts import Artefact
    from precepts.renderers.outputs import Comparison
    from precepts.validators.run import Waived

PathLike: TypeAlias = "str | os.PathLike[str]"
Files: TypeAlias = "Mapping[str, str | bytes]"  # in-memory files: POSIX name → text
Frameworks: TypeAlias = "PathLike | Sequence[PathLike] | Files"

DEFAULT_FOLDER = "frameworks"


class UnknownCode(ValueError):
    """A code, code prefix or name given to `select` or `ignore` names no diagnostic."""

    def __init__(self, word: str, option: str, hint: str | None) -> None:
        super().__init__(f"no diagnostic code or name '{word}'. {hint or 'Run precepts explain for the list.'}")
        self.word = word
        self.option = option  # "select" or "ignore"


@dataclass(frozen=True)
class CheckResult:
    """What checking one or more framework files found.

    `diagnostics` are the findings to report (with a missing path or an empty folder among
    them), `waived` the findings that a waiver in the framework excuses, `held_back` the
    findings not reported because they may only follow from a syntax error. `files` are
    the files checked, as shown to the user; it is empty when no framework file was found,
    which the command line treats as a usage error.
    """

    files: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    waived: tuple[Waived, ...] = ()
    held_back: tuple[Diagnostic, ...] = ()
    models: tuple[Framework, ...] = ()  # every file's compiled model (frameworks and rules files), in order
    sources: Mapping[str, Source] = field(default_factory=dict)

    @property
    def frameworks(self) -> tuple[Framework, ...]:
        """The compiled frameworks (not rules files)."""
        return tuple(model for model in self.models if model.kind == "framework")

    @property
    def framework(self) -> Framework | None:
        """The first compiled framework, or None."""
        return next(iter(self.frameworks), None)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        from precepts.core.diagnostics import Severity

        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def failed(self, strict: bool = False) -> bool:
        """Whether the check fails: an error, or with `strict` a warning too."""
        from precepts.core.diagnostics import Severity

        failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
        return any(d.severity in failing for d in self.diagnostics)

    def report(self) -> str:
        """The errors as `precepts check` prints them, file by file."""
        from precepts.core.reporting import format_text

        return format_text(self.errors, dict(self.sources), 1)


class FrameworkError(Exception):
    """A framework has errors, so it cannot be compiled, rated, compared or built.
    `results` hold the diagnostics, one CheckResult per failing file."""

    def __init__(self, results: Sequence[CheckResult]) -> None:
        self.results = tuple(results)
        names = ", ".join(name for result in self.results for name in result.files)
        super().__init__(f"{names} has errors; run 'precepts check {names}'")

    def report(self) -> str:
        """Every failing file's errors, as `precepts check` prints them."""
        return "".join(result.report() for result in self.results)


def resolve_codes(values: Iterable[str], option: str = "select") -> list[str]:
    """Codes, code prefixes (N, N00, N004) or readable names (too-many-prompts), alone or
    comma-separated, as upper-case codes. Raises UnknownCode for a word that names none.

    >>> resolve_codes(["N004", "too-many-prompts,S"])
    ['N004', 'N004', 'S']
    """
    from precepts.core.codes import Code, lookup

    chosen = []
    for value in values:
        for word in (w.strip() for w in value.split(",")):
            if not word:
                continue
            entry = lookup(word)
            if entry is not None:
                chosen.append(entry.code)
            elif any(c.code.startswith(word.upper()) for c in Code) and word[:1].isalpha():
                chosen.append(word.upper())
            else:
                from precepts.compiler.names import did_you_mean

                hint = did_you_mean(word.upper(), [c.code for c in Code]) or did_you_mean(
                    word, [c.readable_name for c in Code]
                )
                raise UnknownCode(word, option, hint)
    return chosen


def check(
    frameworks: Frameworks = DEFAULT_FOLDER,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    main: str | None = None,
) -> CheckResult:
    """Read, parse, compile and check frameworks; never raises on bad input.

    `frameworks` is a framework file or a folder (searched for *.precepts files), a list of
    them, or in-memory files (a mapping of POSIX names to texts). For in-memory files every
    file is checked, or with `main` only that one (its includes are read from the mapping).
    `select` and `ignore` take codes, code prefixes or readable names.

    >>> check("frameworks/hmip-adult-2021.precepts").files
    ('frameworks/hmip-adult-2021.precepts',)
    >>> check({"x.precepts": "framework x\\n  nonsense\\n"}).has_errors
    True
    """
    from precepts.pipeline import check_files, check_path, framework_files, framework_files_missing, framework_names

    if isinstance(frameworks, Mapping):
        names = [main] if main is not None else framework_names(frameworks)
        if not names:
            return CheckResult((), tuple(framework_files_missing("the files given")))
        checks = [_lazy(check_files, frameworks, name) for name in names]
        problems: list[Diagnostic] = []
    else:
        files, problems = framework_files([Path(p) for p in _paths(frameworks)])
        if not files:
            return CheckResult((), tuple(problems))
        checks = [_lazy(check_path, file) for file in files]
    chosen = resolve_codes(select, "select") or None
    skipped = resolve_codes(ignore, "ignore") or None
    return _combined([run(chosen, skipped) for run in checks], problems)


def load(framework: PathLike | Files, *, main: str | None = None) -> Framework:
    """The compiled model of a framework (or rules) file without errors, else FrameworkError.

    >>> load("frameworks/hmip-adult-2021.precepts").kind
    'framework'
    """
    result = _check_one(framework, main)
    if not result.models or result.has_errors:
        raise FrameworkError([result])
    return result.models[0]


def compile(framework: PathLike | Files | Framework, *, main: str | None = None) -> str:
    """The compiled JSON of a framework, byte for byte as `precepts compile` prints it.
    Raises FrameworkError when the framework has errors.

    >>> compile("frameworks/hmip-adult-2021.precepts")[:1]
    '{'
    """
    from precepts.renderers.compiled import render

    return render(_model(framework, main))


def rate(
    framework: PathLike | Framework,
    inputs: PathLike | InputText | Sequence[PathLike | InputText] | Mapping[str, Any],
    *,
    level: str | None = None,
    what_if: PathLike | Framework | None = None,
    panel_margin: int | Fraction = 5,
    allow_empty: bool = False,
) -> Ratings:
    """Rate inspected units under a framework and explain every rating.

    `inputs` are input files or one file (JSON, or CSV case records; '-' reads JSON from standard
    input), texts held in memory (`precepts.InputText(text, source, csv=False)`, as a request's
    body), or one input document already parsed from JSON. `level` defaults to the input's
    "level", or the framework's only rated level. `what_if` rates the same input under
    another framework version, or with a rules file's rating rules, and records what
    changes. `panel_margin` is the percentage points from a band boundary that raise a
    ratings-panel flag. A CSV export without case records is refused unless `allow_empty`.

    The result gives the versioned JSON document (`.document()`, `.json()`) and the text
    (`.text(explain=True)`). Raises FrameworkError for a framework with errors,
    precepts.ratings.plan.PlanError for a level that cannot be rated and
    precepts.ratings.inputs.InputError for input that does not fit the framework.

    >>> unit = {"unit": "North", "attributes": {"provider": "nps"}}  # nothing inspected yet
    >>> ratings = rate("tests/fixtures/ratings/hmip-probation-2018.precepts", {"units": [unit]})
    >>> overall = ratings.document()["summary"]["composites"]["provider-overall"]
    >>> ratings.level, overall["by_status"]["undetermined"], overall["undetermined"][0]["possible"][0]
    ('provider', 1, 'inadequate')
    """
    from precepts.ratings.run import rate_document, rate_files, with_what_if

    compiled = _model(framework)
    margin = Fraction(panel_margin)
    if isinstance(inputs, Mapping):
        ratings = rate_document(compiled, dict(inputs), level, margin)
    else:
        ratings = rate_files(compiled, _inputs(inputs), level, margin, allow_empty)
    if what_if is None:
        return ratings
    other = _model(what_if)
    shown = os.fspath(what_if) if isinstance(what_if, str | os.PathLike) else other.file
    return with_what_if(ratings, other, shown, margin)


@dataclass(frozen=True)
class Changes:
    """What changed between two versions of a framework, and the identity mapping used."""

    report: ChangeReport
    mapping: IdentityMapping | None

    def render(self, output_format: str = "text") -> str:
        """The report as "text", "json" (versioned, with a JSON Schema) or "html" (a change notice)."""
        from precepts.changes.compare import render

        return render(self.report, output_format)


def diff(
    old: PathLike | Framework,
    new: PathLike | Framework,
    *,
    mapping: PathLike | IdentityMapping | None = None,
    no_mapping: bool = False,
    threshold: float | None = None,
) -> Changes:
    """Compare two versions of a framework.

    Elements are paired by the identity `mapping` (a mapping file, or by default one in
    mappings/ beside either framework naming both), then by ids, and the rest proposed
    from text similarity of at least `threshold` (0 to 1; 0.6 by default). `no_mapping`
    pairs by ids only. Raises FrameworkError for a framework with errors and
    precepts.changes.mapping.MappingError for a mapping file that cannot be used.

    >>> changes = diff("frameworks/hmip-probation-2017-draft.precepts", "frameworks/hmip-adult-2021.precepts")
    >>> changes.mapping.path
    'frameworks/mappings/hmip-2017-draft-to-2021.yaml'
    """
    from precepts.changes.compare import change_report
    from precepts.changes.identity import PROPOSAL_MIN
    from precepts.changes.mapping import mapping_for, read_mapping

    old_model, new_model = _model(old), _model(new)
    chosen: IdentityMapping | None
    if no_mapping:
        chosen = None
    elif mapping is None:
        folders = [Path(new_model.file).parent, Path(old_model.file).parent]
        chosen = mapping_for(folders, old_model.id, new_model.id)
    elif isinstance(mapping, str | os.PathLike):
        from precepts.dsl.loader import display_path

        chosen = read_mapping(Path(mapping), display_path(Path(mapping)))
        if (chosen.old, chosen.new) == (new_model.id, old_model.id):
            chosen = chosen.inverted()
    else:
        chosen = mapping
    report = change_report(old_model, new_model, chosen, PROPOSAL_MIN if threshold is None else threshold)
    return Changes(report, chosen)


@dataclass(frozen=True)
class BuildResult:
    """A build: every file made (relative path → bytes), and how they compare with the
    output folder, before publishing (`check_only`) or as published."""

    output: Path
    frameworks: tuple[tuple[Framework, tuple[Artefact, ...]], ...]
    files: Mapping[str, bytes]
    comparison: Comparison
    warnings: Mapping[str, int]  # framework file → number of warnings (a build still goes ahead)
    check_only: bool

    @property
    def up_to_date(self) -> bool:
        return self.comparison.up_to_date

    def stale_sources(self) -> list[str]:
        """For each framework whose source changed since its outputs were built, why."""
        from precepts.renderers.freshness import source_change

        reasons = (source_change(framework, self.output / framework.id / "framework.json")
                   for framework, _ in self.frameworks)
        return [reason for reason in reasons if reason]


class BuildError(Exception):
    """Something the build cannot be made from or written to (the command line's exit status 2).
    `warnings` counts the warnings of the frameworks checked before it failed, if they were."""

    def __init__(self, message: str, warnings: Mapping[str, int] | None = None) -> None:
        super().__init__(message)
        self.warnings = dict(warnings or {})


def build(
    frameworks: PathLike | Sequence[PathLike] = DEFAULT_FOLDER,
    output: PathLike = "build",
    *,
    check_only: bool = False,
    skip: Collection[str] = (),
) -> BuildResult:
    """Publish frameworks into the `output` folder: compiled JSON, JSON Schemas, assessment
    forms and the consultation page, with an index.json listing them all.

    Publishing is atomic: nothing is written if any framework has errors (FrameworkError)
    or anything cannot be built or written (BuildError), and a failed build leaves the
    previous outputs as they were. With `check_only` nothing is written; the result says
    whether the folder is up to date. `skip` names outputs to leave out ("pdf", "docx",
    "html", "xlsx"; see `precepts build --skip`): they are not made, not written, and a
    folder holding them from an earlier build loses them; with `check_only`, the folder is
    compared with what a build with the same `skip` writes.

    >>> build("frameworks", "build", check_only=True).up_to_date  # doctest: +SKIP
    True
    """
    from precepts.renderers.build import FrameworkErrors, UsageError, checked_frameworks, make_build
    from precepts.renderers.outputs import OutputError, compare, publish

    folder = Path(output)
    try:
        models, warnings = checked_frameworks([Path(p) for p in _paths(frameworks)])
        made = make_build(models, skip)
    except UsageError as error:
        raise BuildError(str(error)) from None
    except FrameworkErrors as failed:
        raise FrameworkError([_combined([result], []) for result in failed.results]) from None
    if check_only:
        if folder.exists() and not folder.is_dir():
            raise BuildError(f"{folder} is a file, not a folder", warnings)
        comparison = compare(made.files, folder)
    else:
        try:
            comparison = publish(made.files, folder)
        except OutputError as error:
            raise BuildError(f"{error}; the previous outputs are unchanged", warnings) from None
    built = tuple((framework, tuple(artefacts)) for framework, artefacts in made.frameworks)
    return BuildResult(folder, built, made.files, comparison, warnings, check_only)


@dataclass(frozen=True)
class Imported:
    """A framework read from a Word document by `import_word`.

    `text` is the framework text in the formatter's layout (what `precepts fmt` writes),
    with everything that could not be placed kept as comments; `findings` say what that was
    and where it stood in the document (I009–I011), or that the document could not be read
    at all (I008, and then `text` is empty). `check` is the text checked as `precepts
    check` checks a file named `name`; None when the document could not be read.
    `includes` are the files the framework includes, as a document precepts wrote carries
    them (path relative to `name`'s folder → text; see docs/commands.md, "import").
    """

    name: str
    text: str
    findings: tuple[Diagnostic, ...]
    check: CheckResult | None
    includes: Mapping[str, str] = field(default_factory=dict)

    @property
    def readable(self) -> bool:
        return self.check is not None


def import_word(document: PathLike | bytes, *, name: str | None = None) -> Imported:
    """Read a framework written in Word (.docx), a path or the file's bytes; never raises on
    bad input. `name` is the framework file the text is checked as (default: the
    document's name with .precepts).

    >>> result = import_word(b"not a zip", name="draft.precepts")
    >>> result.readable, result.findings[0].code
    (False, 'I008')
    """
    from precepts.importers.word import UnreadableDocument
    from precepts.importers.word import import_word as read_word

    shown = "<bytes>" if isinstance(document, bytes) else os.fspath(document)
    name = name or (str(Path(shown).with_suffix(".precepts").name) if not isinstance(document, bytes)
                    else "imported.precepts")
    try:
        data = document if isinstance(document, bytes) else Path(document).read_bytes()
    except OSError as error:
        from precepts.importers.word import unreadable

        return Imported(name, "", (unreadable(shown, error.strerror or str(error)).diagnostic,), None)
    try:
        imported = read_word(data, shown)
    except UnreadableDocument as error:
        return Imported(name, "", (error.diagnostic,), None)
    # The included files a document carries are checked beside the framework, where its
    # `include:` lines look for them (the command writes them there).
    folder = posixpath.dirname(Path(name).as_posix())
    files = {posixpath.normpath(posixpath.join(folder, path)): text for path, text in imported.includes.items()}
    files[name] = imported.text
    return Imported(name, imported.text, imported.findings, check(files, main=name), dict(imported.includes))


def _paths(value: PathLike | Sequence[PathLike]) -> list[PathLike]:
    return [value] if isinstance(value, str | os.PathLike) else list(value)


def _inputs(value: PathLike | InputText | Sequence[PathLike | InputText]) -> list[Path | InputText]:
    from precepts.ratings.documents import InputText

    items = [value] if isinstance(value, str | os.PathLike | InputText) else list(value)
    return [item if isinstance(item, InputText) else Path(item) for item in items]


def _lazy(run: Any, *args: Any) -> Any:
    """A check to run once the codes are resolved (after the files are found, as the CLI reports)."""
    return lambda select, ignore: run(*args, select, ignore)


def _combined(results: Sequence[Result], problems: Sequence[Diagnostic]) -> CheckResult:
    """Several files' results as one: a rules file checked alone and via an include reports once."""
    diagnostics = list(dict.fromkeys([*problems, *(d for r in results for d in r.diagnostics)]))
    waived: dict[Any, Waived] = {}
    for result in results:
        for item in result.waived:
            waived.setdefault((item.diagnostic, item.waiver), item)
    sources: dict[str, Source] = {}
    for result in results:
        sources.update(result.sources)
    return CheckResult(
        files=tuple(r.path for r in results),
        diagnostics=tuple(diagnostics),
        waived=tuple(waived.values()),
        held_back=tuple(d for r in results for d in r.held_back),
        models=tuple(r.framework for r in results if r.framework is not None),
        sources=sources,
    )


def _check_one(framework: PathLike | Files, main: str | None) -> CheckResult:
    from precepts.pipeline import check_files, check_path

    if isinstance(framework, Mapping):
        name = main if main is not None else next(iter(framework))
        return _combined([check_files(framework, name)], [])
    return _combined([check_path(Path(framework))], [])


def _model(framework: PathLike | Files | Framework, main: str | None = None) -> Framework:
    from precepts.compiler.model import Framework

    if isinstance(framework, Framework):
        return framework
    return load(framework, main=main)
