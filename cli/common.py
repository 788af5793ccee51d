"""What every command shares: exit statuses, how errors and notes are written, and writing
an output file. The commands are thin: the work is in the public API (precepts.api)."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import click

# Exit statuses, the same for every command (CI depends on them).
EXIT_OK = 0  # done; no errors found
EXIT_FINDINGS = 1  # the input has errors (or warnings with --strict, or stale outputs with build --check)
EXIT_USAGE = 2  # the command was used wrongly, or precepts itself failed

DEFAULT_FOLDER = "frameworks"


def error(message: str) -> None:
    click.echo(f"precepts: error: {message}", err=True)


def note(message: str) -> None:
    click.echo(f"precepts: note: {message}", err=True)


def fail(message: str, status: int = EXIT_USAGE, details: str = "") -> NoReturn:
    """Print the error (and any details, such as a framework's diagnostics) and exit."""
    error(message)
    if details:
        click.echo(details.rstrip("\n"), err=True)
    raise SystemExit(status)


def show_diagnostics(text: str) -> None:
    """Diagnostics formatted by precepts.core.reporting, on standard error."""
    click.echo(text, err=True, nl=False)


def write_output(path: Path, text: str) -> None:
    """Write an output file atomically (all of it or, on failure, nothing), or exit 2."""
    from precepts.core.atomic import write_atomically

    try:
        write_atomically(path, text.encode("utf-8"))
    except OSError as problem:
        fail(f"cannot write {path}: {problem.strerror or problem}")
