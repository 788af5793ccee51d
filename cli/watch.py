"""`precepts check --watch`: check again whenever a framework file changes, and print only what
changed since the last run (watchfiles wraps the operating system's change notifications)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from precepts.cli.common import EXIT_OK, fail

if TYPE_CHECKING:
    from precepts.api import CheckResult
    from precepts.core.diagnostics import Diagnostic
    from precepts.core.sources import Source

Key = tuple[str, str, str]  # code, file, message: a finding that moved to another line is the same finding


def watch_check(paths: Sequence[Path], select: Iterable[str], ignore: Iterable[str]) -> None:
    """Report every finding once, then only new and fixed findings after each change, until Ctrl-C."""
    try:
        from watchfiles import watch
    except ImportError as error:  # watchfiles is an optional extra
        fail(f"--watch needs the 'watch' extra ({error.name} is missing): pip install 'precepts[watch]'")
    from precepts.core.reporting import format_text

    result = _check(paths, select, ignore)
    click.echo(format_text(list(result.diagnostics), dict(result.sources), len(result.files)), nl=False)
    seen = _keyed(result.diagnostics)
    folders = sorted({(p if p.is_dir() else p.parent).resolve() for p in paths})
    click.echo(f"Watching {', '.join(str(f) for f in folders)} for changes (Ctrl-C stops).")
    try:
        for _ in watch(*folders, watch_filter=_watched, debounce=200):
            result = _check(paths, select, ignore)
            now = _keyed(result.diagnostics)
            _report_changes(seen, now, dict(result.sources))
            seen = now
    except KeyboardInterrupt:
        pass
    raise SystemExit(EXIT_OK)


def _watched(_change: object, name: str) -> bool:
    """A framework file, or a translation beside one (FRAMEWORK.cy.po): its checks G001–G004
    read the framework and its translations together."""
    return name.endswith((".precepts", ".po"))


def _check(paths: Sequence[Path], select: Iterable[str], ignore: Iterable[str]) -> CheckResult:
    from precepts import api

    return api.check(list(paths), select=select, ignore=ignore)


def _keyed(diagnostics: Iterable[Diagnostic]) -> dict[Key, Diagnostic]:
    return {(d.code, d.span.file if d.span else "", d.message): d for d in diagnostics}


def _report_changes(before: dict[Key, Diagnostic], after: dict[Key, Diagnostic], sources: Mapping[str, Source]) -> None:
    from precepts.core.reporting import format_diagnostic

    new = [after[k] for k in after if k not in before]
    fixed = [before[k] for k in before if k not in after]
    if not new and not fixed:
        click.echo("No change in the findings.")
        return
    click.echo(f"{len(new)} new, {len(fixed)} fixed since the last run:")
    for diagnostic in new:
        click.echo(format_diagnostic(diagnostic, dict(sources)))
    for diagnostic in fixed:
        where = f"{diagnostic.span.file}:{diagnostic.span.line}: " if diagnostic.span else ""
        click.echo(f"fixed: {where}{diagnostic.code} {diagnostic.message}")
