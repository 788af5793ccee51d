"""`precepts check`: check framework files and report every problem found."""

from __future__ import annotations

import os
from pathlib import Path

import click

from precepts.cli.common import DEFAULT_FOLDER, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, input_limits


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github", "sarif"]), default="text",
              show_default=True,
              help="text for people; json for tools (a versioned document); github for workflow "
                   "annotations; sarif for code scanning (SARIF 2.1.0).")
@click.option("--coverage", is_flag=True, help="Also print, level by level, which standards, key questions and prompts apply.")
@click.option("--select", multiple=True, metavar="CODE",
              help="Only report these codes or code prefixes (repeatable, or comma-separated).")
@click.option("--ignore", multiple=True, metavar="CODE",
              help="Do not report these codes or code prefixes (repeatable, or comma-separated).")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only errors.")
@click.option("--show-waived", is_flag=True, help="List the findings that waivers excuse.")
@click.option("--watch", is_flag=True,
              help="Keep running: check again whenever a framework file changes, and print only the findings "
                   "that are new or fixed since the last run (Ctrl-C stops).")
@input_limits
def check(paths: tuple[Path, ...], output_format: str, coverage: bool, select: tuple[str, ...],
          ignore: tuple[str, ...], strict: bool, show_waived: bool, watch: bool) -> None:
    """Check framework files and report every problem found.

    PATHS are framework files or folders (searched for *.precepts); the default is
    frameworks/. Exit status: 0 when no errors were found, 1 when errors were
    (or warnings, with --strict), 2 for usage or internal errors.
    """
    from precepts import api
    from precepts.core import reporting

    if watch:
        from precepts.cli.watch import watch_check

        watch_check(list(paths) or [Path(DEFAULT_FOLDER)], select, ignore)
    try:
        result = api.check(list(paths) or [Path(DEFAULT_FOLDER)], select=select, ignore=ignore)
    except api.UnknownCode as unknown:
        raise click.BadParameter(str(unknown), param_hint=f"--{unknown.option}") from None
    if not result.files:
        for problem in result.diagnostics:
            click.echo(f"precepts: error: {problem.message} ({problem.help})", err=True)
        raise SystemExit(EXIT_USAGE)
    diagnostics = list(result.diagnostics)
    pairs = [(w.diagnostic, w.waiver.reason) for w in result.waived]
    held_back = len(result.held_back)
    if output_format == "json":
        click.echo(reporting.format_json(diagnostics, result.files, pairs, held_back), nl=False)
    elif output_format == "sarif":
        click.echo(reporting.format_sarif(diagnostics, pairs), nl=False)
    elif output_format == "github":
        click.echo(reporting.format_github(diagnostics), nl=False)
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            with open(summary_file, "a", encoding="utf-8") as out:
                out.write(reporting.step_summary(diagnostics, len(result.waived), len(result.files)))
    else:
        if coverage:
            from precepts.renderers.coverage import render_coverage

            for framework in result.frameworks:
                click.echo(render_coverage(framework), nl=False)
        click.echo(reporting.format_text(diagnostics, dict(result.sources), len(result.files),
                                         [w.diagnostic for w in result.waived], show_waived, held_back), nl=False)
    raise SystemExit(EXIT_FINDINGS if result.failed(strict) else EXIT_OK)
