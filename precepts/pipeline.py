"""text → AST → model → checks: the one road every command takes."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from precepts.compiler.model import Framework
from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic, Severity
from precepts.core.sources import Source
from precepts.dsl.loader import FRAMEWORK_SUFFIX, Loaded, display_path, load, load_files, memory_name

if TYPE_CHECKING:
    from precepts.validators.run import Waived


@dataclass(frozen=True)
class Result:
    """The outcome of checking one framework file."""

    path: str
    framework: Framework | None
    diagnostics: tuple[Diagnostic, ...]
    waived: tuple[Waived, ...] = ()
    sources: dict[str, Source] = field(default_factory=dict)
    held_back: tuple[Diagnostic, ...] = ()  # findings that may only follow from a syntax error

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


def check_path(
    path: Path,
    select: Collection[str] | None = None,
    ignore: Collection[str] | None = None,
) -> Result:
    """Read, parse, compile and check one framework file. Never raises on bad input."""
    return check_loaded(display_path(path), load(path), select, ignore, beside=path)


def check_files(
    files: Mapping[str, str | bytes],
    main: str,
    select: Collection[str] | None = None,
    ignore: Collection[str] | None = None,
) -> Result:
    """Check the file named `main` among in-memory files (name → text), its includes read
    from the same mapping: the road for an editor's buffers and the service's requests."""
    return check_loaded(memory_name(main), load_files(files, main), select, ignore, among=(files, main))


def check_loaded(
    shown: str,
    loaded: Loaded | list[Diagnostic],
    select: Collection[str] | None = None,
    ignore: Collection[str] | None = None,
    *,
    beside: Path | None = None,
    among: tuple[Mapping[str, str | bytes], str] | None = None,
) -> Result:
    """Compile and check a loaded framework (or report why it could not be loaded).

    Its translations (PO files, issue 16 §3) are read from beside the framework file on
    disk (`beside`: its path), or from among in-memory files (`among`: the files and the
    framework's name); with neither, the framework is checked in English alone."""
    from precepts.compiler.resolve import build_model
    from precepts.validators.run import apply_waivers, run_checks, selected

    if isinstance(loaded, list):
        return Result(shown, None, tuple(loaded))
    diagnostics = list(loaded.diagnostics)
    framework, resolution = build_model(loaded)
    diagnostics.extend(resolution)
    sources = loaded.sources
    if framework is not None and (beside is not None or among is not None):
        framework, unreadable, translation_sources = _with_translations(framework, beside, among)
        diagnostics.extend(unreadable)
        sources = {**sources, **translation_sources}
    waived: list[Waived] = []
    if framework is not None:
        findings = run_checks(framework, select, ignore)
        diagnostics = [d for d in diagnostics if selected(d.code, select, ignore)]
        active, waived_findings = apply_waivers(framework, diagnostics + findings, select, ignore)
        diagnostics = active
        waived = list(waived_findings)
    else:
        diagnostics = [d for d in diagnostics if selected(d.code, select, ignore)]
    from precepts.validators.cascades import held_back

    diagnostics, held = held_back([loaded.main, *loaded.includes], loaded.sources, _unique(diagnostics))
    return Result(shown, framework, tuple(_at_most_per_code(diagnostics)), tuple(waived), sources, tuple(held))


def _with_translations(
    framework: Framework,
    beside: Path | None,
    among: tuple[Mapping[str, str | bytes], str] | None,
) -> tuple[Framework, list[Diagnostic], dict[str, Source]]:
    from precepts.compiler import translations

    if beside is not None:
        return translations.attach_beside(framework, beside, display_path)
    assert among is not None
    files, main = among

    def read(name: str) -> bytes | None:
        data = files.get(name)
        return data.encode("utf-8") if isinstance(data, str) else data

    return translations.attach(framework, main, list(files), read, memory_name)


def _at_most_per_code(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """At most the limit's number of findings of each code in each file (the first, by
    place), and for the rest one finding that counts them: one slip copied a hundred
    thousand times must not bury the other findings."""
    from precepts.core import limits

    limit = limits.current().findings_per_code
    if not limit or len(diagnostics) <= limit:
        return diagnostics
    groups: dict[tuple[str, str], list[Diagnostic]] = {}
    for d in diagnostics:
        groups.setdefault((d.span.file if d.span else "", d.code), []).append(d)
    if all(len(group) <= limit for group in groups.values()):
        return diagnostics
    omitted: set[int] = set()
    counts: list[Diagnostic] = []
    for (file, _), group in groups.items():
        if len(group) <= limit:
            continue
        ordered = sorted(group, key=Diagnostic.sort_key)
        rest = ordered[limit:]
        omitted.update(id(d) for d in rest)
        first = rest[0]
        counts.append(Diagnostic(
            first.code, first.name, first.severity,
            f"{len(rest):,} more like this in {file or 'the input'} are not shown "
            f"(at most {limit:,} findings of one code are shown per file)",
            first.span,
            help="fix the ones shown and check again, or raise the limit with --max-findings-per-code N "
            "(or PRECEPTS_MAX_FINDINGS_PER_CODE; 0 shows all)",
        ))
    return [d for d in diagnostics if id(d) not in omitted] + counts


def _unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(diagnostics))


def framework_files(paths: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Expand folders into their framework files, in a stable order."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob(f"*{FRAMEWORK_SUFFIX}") if p.is_file())
            if not found:
                problems.extend(framework_files_missing(f"the folder {display_path(path)}"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(Code.UNREADABLE_FILE(
                f"no such file or folder: {display_path(path)}",
                None,
                help="check the path; with no path, precepts checks frameworks/",
            ))
    return list(dict.fromkeys(files)), problems





def framework_names(files: Mapping[str, object]) -> list[str]:
    """The framework files among in-memory files, in the order a folder's are checked."""
    return sorted(name for name in files if name.endswith(FRAMEWORK_SUFFIX))


def framework_files_missing(where: str) -> list[Diagnostic]:
    return [Code.UNREADABLE_FILE(
        f"no {FRAMEWORK_SUFFIX} files in {where}",
        None,
        help=f"framework files end in {FRAMEWORK_SUFFIX}",
    )]
