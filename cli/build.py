"""`precepts build`: publish frameworks (the work is in precepts.api.build and renderers/)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import click

from precepts.cli.common import (
    DEFAULT_FOLDER,
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    fail,
    input_limits,
    note,
    show_diagnostics,
)

DEFAULT_OUTPUT = "build"


@click.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=DEFAULT_OUTPUT, show_default=True,
              help="The folder to write into.")
@click.option("--check", is_flag=True,
              help="Write nothing; fail (exit 1) if the outputs in the folder are missing, stale or obsolete.")
@click.option("--skip", multiple=True, metavar="OUTPUT", callback=lambda _c, _p, v: _outputs(v),
              help="Leave out an output, for a quick build of a large framework: pdf, docx, html or xlsx "
                   "(repeatable or comma-separated). index.json names what was left out.")
@input_limits
def build(paths: tuple[Path, ...], output: Path, check: bool, skip: tuple[str, ...]) -> None:
    """Publish frameworks: compiled JSON, JSON Schemas, assessment forms and the
    consultation page, with an index.json listing them all.

    PATHS are framework files or folders (default frameworks/). Nothing is written if
    any framework has errors, and a failed build leaves the previous outputs as they
    were. With --skip, the outputs named are neither made nor kept in the folder, and
    --check compares the folder with a build given the same --skip. Exit status: 0 built
    (or up to date, with --check); 1 a framework has errors, or --check found stale
    outputs; 2 usage errors.
    """
    from precepts import api

    try:
        result = api.build(list(paths) or [Path(DEFAULT_FOLDER)], output, check_only=check, skip=skip)
    except api.BuildError as error:
        _warnings(error.warnings, pdf_wanted="pdf" not in skip)
        fail(str(error), EXIT_USAGE)
    except api.FrameworkError as failed:
        for checked in failed.results:
            show_diagnostics(checked.report())
        fail("nothing was built: fix the errors above (precepts check shows every finding)", EXIT_FINDINGS)
    _warnings(result.warnings, pdf_wanted="pdf" not in skip)

    shown = output.as_posix().rstrip("/") + "/"
    comparison = result.comparison
    if check:
        if result.up_to_date:
            click.echo(f"{shown} is up to date ({len(result.files)} files).")
            raise SystemExit(EXIT_OK)
        for reason in result.stale_sources():
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
        again = "".join(f" --skip {name}" for name in skip)
        click.echo(f"{shown} is out of date: run precepts build -o {output.as_posix()}{again} and commit the result.")
        raise SystemExit(EXIT_FINDINGS)

    for framework, artefacts in result.frameworks:
        compared = sorted({a.changes_from for a in artefacts if a.changes_from})
        changes = f", with the change report from {', '.join(compared)}" if compared else ""
        click.echo(f"{framework.id} ({framework.file}): {len(artefacts)} files{changes}")
    written = len(comparison.missing) + len(comparison.differing)
    click.echo(
        f"Built {len(result.frameworks)} framework{'s' * (len(result.frameworks) != 1)} into {shown}: "
        f"{written} written, {len(comparison.unchanged)} unchanged, {len(comparison.obsolete)} removed."
    )


def _outputs(given: tuple[str, ...]) -> tuple[str, ...]:
    """--skip's outputs, each once, in the order given; an unknown one is a usage error."""
    from precepts.renderers.artefacts import SKIPPABLE

    names = [name.strip().lower() for value in given for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in SKIPPABLE]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)}: the outputs that can be left out are {', '.join(SKIPPABLE)}",
                                 param_hint="--skip")
    return tuple(dict.fromkeys(names))


def _warnings(warnings: Mapping[str, int], pdf_wanted: bool = True) -> None:
    from precepts.renderers.consultation.pdf import pdf_unavailable

    for file, count in warnings.items():
        note(f"{file} has {count} warning{'s' * (count != 1)}; precepts check shows them")
    why = pdf_unavailable() if pdf_wanted else None
    if why:
        note(f"no consultation.pdf: WeasyPrint cannot run here ({why}); install the 'documents' extra "
             "and the system's Pango (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)")
