"""`precepts compile`: print a framework's compiled model as JSON."""

from __future__ import annotations

from pathlib import Path

import click

from precepts.cli.common import EXIT_FINDINGS, input_limits, show_diagnostics


@click.command("compile")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@input_limits
def compile_command(file: Path) -> None:
    """Print FILE's compiled model as JSON on standard output.

    The framework is checked first; if it has errors they are printed on standard
    error, nothing is printed on standard output, and the exit status is 1.
    """
    from precepts import api

    try:
        compiled = api.compile(file)
    except api.FrameworkError as failed:
        show_diagnostics(failed.report())
        raise SystemExit(EXIT_FINDINGS) from None
    click.echo(compiled, nl=False)
