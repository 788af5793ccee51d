"""`precepts build`: check the frameworks, make every artefact in memory, then either put
them in place or compare them with what is in place (--check).

Nothing is written unless every framework checks without errors and every artefact has
been made.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from precepts.compiler import model as m
from precepts.pipeline import Result
from precepts.renderers.artefacts import SKIPPABLE, Artefact, UnsafeName, format_schemas, framework_artefacts
from precepts.renderers.index import index_artefact, index_document


class UsageError(Exception):
    """The command was given something it cannot build from (exit status 2)."""


class FrameworkErrors(Exception):
    """A framework has errors (exit status 1); the results say which."""

    def __init__(self, results: Sequence[Result]) -> None:
        super().__init__("frameworks with errors")
        self.results = list(results)


@dataclass
class Build:
    frameworks: list[tuple[m.Framework, list[Artefact]]]
    files: dict[str, bytes]  # relative path → bytes, index.json included
    warnings: dict[str, int] = field(default_factory=dict)  # file → number of warnings


def checked_frameworks(paths: Sequence[Path]) -> tuple[list[m.Framework], dict[str, int]]:
    """Check every framework file under `paths`; rules files are checked, not built."""
    from precepts.core.diagnostics import Severity
    from precepts.pipeline import check_path, framework_files

    files, problems = framework_files(paths)
    if problems:
        raise UsageError("; ".join(p.message for p in problems))
    results = [check_path(file) for file in files]
    failed = [r for r in results if r.framework is None or r.has_errors]
    if failed:
        raise FrameworkErrors(failed)
    frameworks = [r.framework for r in results if r.framework is not None and r.framework.kind == "framework"]
    if not frameworks:
        raise UsageError("no framework to build: the files given hold only shared rules")
    seen: dict[str, str] = {}
    for framework in frameworks:
        if framework.id in seen:
            raise UsageError(f"{seen[framework.id]} and {framework.file} are both framework {framework.id}; "
                             "build them into different folders")
        seen[framework.id] = framework.file
    warnings = {
        r.path: n for r in results
        if (n := sum(1 for d in r.diagnostics if d.severity is Severity.WARNING))
    }
    return frameworks, warnings


def make_build(frameworks: Sequence[m.Framework], skip: Collection[str] = ()) -> Build:
    """Every file of the build, in memory, less the outputs named in `skip` (artefacts.SKIPPABLE),
    which index.json lists as skipped. Raises UsageError for what cannot be built."""
    unknown = sorted(set(skip) - set(SKIPPABLE))
    if unknown:
        raise UsageError(f"--skip takes {', '.join(SKIPPABLE)}, not {', '.join(unknown)}")
    schemas = format_schemas()
    reserved = {a.path.split("/")[0] for a in schemas}
    built = []
    for framework in sorted(frameworks, key=lambda f: f.id):
        if framework.id in reserved:
            raise UsageError(f"a framework cannot have the id '{framework.id}': the build keeps its schemas there")
        try:
            built.append((framework, framework_artefacts(framework, skip)))
        except UnsafeName as error:
            raise UsageError(
                f"{framework.file}: the id '{error}' cannot name a file; use letters, digits, '.', '-'"
            ) from None
    built = _with_change_reports(built)
    index = index_artefact(index_document(schemas, built, [name for name in SKIPPABLE if name in skip]))
    files = {a.path: a.data for a in schemas}
    for _, artefacts in built:
        files.update({a.path: a.data for a in artefacts})
    files[index.path] = index.data
    return Build(built, dict(sorted(files.items())))


def _with_change_reports(built: list[tuple[m.Framework, list[Artefact]]]) -> list[tuple[m.Framework, list[Artefact]]]:
    """Add a change report to the newer framework wherever a mapping file in `mappings/`
    beside the frameworks pairs two frameworks of this build (the 2017 draft → 2021)."""
    from precepts.changes.mapping import MappingError, mappings_in
    from precepts.renderers.artefacts import change_report_artefacts

    by_id = {framework.id: framework for framework, _ in built}
    folders = sorted({Path(framework.file).parent for framework in by_id.values()})
    try:
        mappings = [mp for mp in mappings_in(folders) if mp.old in by_id and mp.new in by_id]
        reports: dict[str, list[Artefact]] = {}
        for mapping in sorted(mappings, key=lambda mp: (mp.new, mp.old, mp.path)):
            made = change_report_artefacts(by_id[mapping.old], by_id[mapping.new], mapping)
            if any(a.path in {b.path for b in reports.get(mapping.new, [])} for a in made):
                raise UsageError(f"{mapping.path}: a second mapping from {mapping.old} to {mapping.new}; "
                                 "keep one file per pair of frameworks")
            reports.setdefault(mapping.new, []).extend(made)
    except MappingError as error:
        listed = "".join(f"\n  {problem}" for problem in error.problems)
        raise UsageError("a mapping file in mappings/ cannot be used for the change reports "
                         f"(fix it, or move it out of mappings/):{listed}") from None
    return [(framework, artefacts + reports.get(framework.id, [])) for framework, artefacts in built]
