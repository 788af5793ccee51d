"""The `precepts build` command; the work is in build.py and outputs.py."""

from __future__ import annotations

from pathlib import Path

import click

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
DEFAULT_FOLDER = "frameworks"
DEFAULT_OUTPUT = "build"


def _fail(message: str, status: int) -> None:
    click.echo(f"precepts: error: {message}", err=True)
    raise SystemExit(status)


@click.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=DEFAULT_OUTPUT, show_default=True,
              help="The folder to write into.")
@click.option("--check", is_flag=True,
              help="Write nothing; fail (exit 1) if the outputs in the folder are missing, stale or obsolete.")
def build(paths: tuple[Path, ...], output: Path, check: bool) -> None:
    """Publish frameworks: compiled JSON, JSON Schemas, assessment forms and the
    consultation page, with an index.json listing them all.

    PATHS are framework files or folders (default frameworks/). Nothing is written if
    any framework has errors, and a failed build leaves the previous outputs as they
    were. Exit status: 0 built (or up to date, with --check); 1 a framework has errors,
    or --check found stale outputs; 2 usage errors.
    """
    from precepts.core.reporting import format_text
    from precepts.renderers.build import FrameworkErrors, UsageError, checked_frameworks, make_build
    from precepts.renderers.freshness import source_change
    from precepts.renderers.outputs import OutputError, compare, publish

    try:
        frameworks, warnings = checked_frameworks(list(paths) or [Path(DEFAULT_FOLDER)])
        result = make_build(frameworks)
    except UsageError as error:
        _fail(str(error), EXIT_USAGE)
    except FrameworkErrors as failed:
        for checked in failed.results:
            errors = [d for d in checked.diagnostics if d.severity.value == "error"]
            click.echo(format_text(errors, checked.sources, 1), err=True, nl=False)
        _fail("nothing was built: fix the errors above (precepts check shows every finding)", EXIT_FINDINGS)
    for file, count in warnings.items():
        click.echo(f"precepts: note: {file} has {count} warning{'s' * (count != 1)}; precepts check shows them", err=True)

    shown = output.as_posix().rstrip("/") + "/"
    if check:
        if output.exists() and not output.is_dir():
            _fail(f"{output} is a file, not a folder", EXIT_USAGE)
        comparison = compare(result.files, output)
        if comparison.up_to_date:
            click.echo(f"{shown} is up to date ({len(result.files)} files).")
            raise SystemExit(EXIT_OK)
        for framework, _ in result.frameworks:
            reason = source_change(framework, output / framework.id / "framework.json")
            if reason:
                click.echo(reason)
        for label, items in (("missing", comparison.missing), ("stale", comparison.differing),
                             ("obsolete", comparison.obsolete), ("not written by precepts build", comparison.foreign)):
            for item in items:
                click.echo(f"{label}: {shown}{item}")
        for leftover in comparison.leftovers:
            click.echo(f"left by an interrupted build: {Path(leftover).as_posix()} (the next build removes it)")
        if comparison.foreign:
            click.echo(f"Files no build wrote are kept by precepts build; remove them from {shown} "
                       "if they are not meant to be published.")
        click.echo(f"{shown} is out of date: run precepts build -o {output.as_posix()} and commit the result.")
        raise SystemExit(EXIT_FINDINGS)

    try:
        comparison = publish(result.files, output)
    except OutputError as error:
        _fail(f"{error}; the previous outputs are unchanged", EXIT_USAGE)
    for framework, artefacts in result.frameworks:
        compared = sorted({a.changes_from for a in artefacts if a.changes_from})
        changes = f", with the change report from {', '.join(compared)}" if compared else ""
        click.echo(f"{framework.id} ({framework.file}): {len(artefacts)} files{changes}")
    written = len(comparison.missing) + len(comparison.differing)
    click.echo(
        f"Built {len(result.frameworks)} framework{'s' * (len(result.frameworks) != 1)} into {shown}: "
        f"{written} written, {len(comparison.unchanged)} unchanged, {len(comparison.obsolete)} removed."
    )
