"""What every command shares: exit statuses, how errors and notes are written, and writing
an output file. The commands are thin: the work is in the public API (precepts.api)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

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


def input_limits(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that raise the input limits (precepts.core.limits), for every command
    that reads frameworks; the command runs with the limits they set. An option not given
    takes its environment variable, else the default."""
    from precepts.core.limits import MEGABYTE, Limits

    default = Limits()

    @functools.wraps(command)
    def run(*args: Any, max_file_size: float | None, max_line_length: int | None, max_findings_per_code: int | None,
            **kwargs: Any) -> Any:
        from precepts.core import limits

        environment = Limits.from_environment()
        chosen = Limits(
            environment.file_bytes if max_file_size is None else int(max_file_size * MEGABYTE),
            environment.line_chars if max_line_length is None else max_line_length,
            environment.findings_per_code if max_findings_per_code is None else max_findings_per_code,
        )
        with limits.applied(chosen):
            return command(*args, **kwargs)

    options = [
        click.option("--max-file-size", type=click.FloatRange(min=0), default=None, metavar="MB",
                     show_default=f"{default.file_bytes // MEGABYTE}, or PRECEPTS_MAX_FILE_SIZE",
                     help="Read framework files up to this size in MB (0: no limit)."),
        click.option("--max-line-length", type=click.IntRange(min=0), default=None, metavar="N",
                     show_default=f"{default.line_chars}, or PRECEPTS_MAX_LINE_LENGTH",
                     help="Skip, and report, lines longer than N characters (0: no limit)."),
        click.option("--max-findings-per-code", type=click.IntRange(min=0), default=None, metavar="N",
                     show_default=f"{default.findings_per_code}, or PRECEPTS_MAX_FINDINGS_PER_CODE",
                     help="Show at most N findings of one code per file, then how many more (0: all)."),
    ]
    for option in reversed(options):
        run = option(run)
    return run
