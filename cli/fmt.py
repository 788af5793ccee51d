"""`precepts fmt`: rewrite framework files in the canonical layout (see precepts.dsl.format)."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from precepts.cli.common import DEFAULT_FOLDER, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE


@click.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing; name the files that would change and exit 1 if any would (for CI).")
@click.option("--diff", "show_diff", is_flag=True,
              help="Change nothing; print what would change as a unified diff and exit 1 if anything would.")
def fmt(paths: tuple[Path, ...], check_only: bool, show_diff: bool) -> None:
    """Format framework files in the one canonical layout.

    PATHS are framework files or folders (searched for *.precepts); the default is
    frameworks/, and - formats standard input to standard output. Verbatim text is never
    changed and every comment is kept. A file with syntax errors is left as it is and its
    errors are printed. Exit status: 0 when nothing needed formatting (or was formatted),
    1 with --check or --diff when something would change, or when a file has syntax
    errors; 2 for usage errors.
    """
    if paths == (Path("-"),):
        _format_stdin()
        return
    from precepts.core.atomic import write_atomically
    from precepts.core.diagnostics import Diagnostic
    from precepts.core.reporting import format_diagnostic
    from precepts.dsl.format import FormatError, format_text
    from precepts.dsl.loader import display_path, read_source
    from precepts.pipeline import framework_files

    files, problems = framework_files(list(paths) or [Path(DEFAULT_FOLDER)])
    if problems:
        for problem in problems:
            click.echo(f"precepts: error: {problem.message} ({problem.help})", err=True)
        raise SystemExit(EXIT_USAGE)
    changed, unchanged, failed = [], 0, 0
    for path in files:
        source = read_source(path, display_path(path))
        if isinstance(source, Diagnostic):
            click.echo(format_diagnostic(source, {}), err=True)
            failed += 1
            continue
        try:
            formatted = format_text(source.text, source.path)
        except FormatError as error:
            for diagnostic in error.diagnostics:
                click.echo(format_diagnostic(diagnostic, {source.path: source}), err=True)
            click.echo(f"precepts: {source.path} has syntax errors and was not formatted", err=True)
            failed += 1
            continue
        if formatted.encode("utf-8") == path.read_bytes():
            unchanged += 1
            continue
        changed.append(source.path)
        if show_diff:
            click.echo("".join(difflib.unified_diff(
                source.text.splitlines(keepends=True), formatted.splitlines(keepends=True),
                f"{source.path} (as written)", f"{source.path} (formatted)")), nl=False)
        elif check_only:
            click.echo(f"would reformat {source.path}")
        else:
            write_atomically(path, formatted.encode("utf-8"))
            click.echo(f"reformatted {source.path}")
    click.echo(_summary(len(changed), unchanged, failed, check_only or show_diff), err=True)
    would_change = bool(changed) and (check_only or show_diff)
    raise SystemExit(EXIT_FINDINGS if failed or would_change else EXIT_OK)


def _summary(changed: int, unchanged: int, failed: int, dry_run: bool) -> str:
    def files(n: int) -> str:
        return f"{n} file{'s' if n != 1 else ''}"

    parts = [f"{files(changed)} {'would be ' if dry_run else ''}reformatted", f"{files(unchanged)} already formatted"]
    if failed:
        parts.append(f"{files(failed)} not formatted because of errors")
    return ", ".join(parts) + "."


def _format_stdin() -> None:
    from precepts.core.reporting import format_diagnostic
    from precepts.dsl.format import FormatError, format_text

    text = sys.stdin.read()
    try:
        click.echo(format_text(text, "<stdin>"), nl=False)
    except FormatError as error:
        for diagnostic in error.diagnostics:
            click.echo(format_diagnostic(diagnostic, {}), err=True)
        raise SystemExit(EXIT_FINDINGS) from None
