"""`precepts explain`: what a diagnostic code means, or the list of them all."""

from __future__ import annotations

import click

from precepts.cli.common import EXIT_USAGE


@click.command("explain")
@click.argument("code", required=False)
def explain(code: str | None) -> None:
    """Explain a diagnostic code (such as N004 or too-many-prompts); with no CODE, list them all."""
    from precepts.core.codes import Code, lookup

    if code is None:
        for listed in Code:
            click.echo(f"{listed.code}  {listed.readable_name:<30} {listed.severity.value}")
        return
    entry = lookup(code)
    if entry is None:
        from precepts.compiler.names import did_you_mean

        hint = did_you_mean(code.upper(), [c.code for c in Code]) or did_you_mean(code, [c.readable_name for c in Code])
        click.echo(f"precepts: no diagnostic has the code '{code}'. {hint or 'Run precepts explain for the list.'}", err=True)
        raise SystemExit(EXIT_USAGE)
    click.echo(f"{entry.code} ({entry.readable_name}), {entry.severity.value} by default\n")
    click.echo(entry.explanation)
