"""`precepts rate`: rate inspected units under a framework, and explain every rating."""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from precepts.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, fail, input_limits, note

if TYPE_CHECKING:
    from precepts.compiler.model import Framework
    from precepts.ratings.inputs import InputError
    from precepts.ratings.run import Ratings


def _input_problems(error: InputError, prefix: str = "") -> NoReturn:
    """Bad input, reported as every finding is (precepts.core.reporting): in text on
    standard error, each with its file:line:column, the line and a caret; or, with
    --error-format, as JSON, GitHub annotations or SARIF on standard output."""
    from precepts.ratings.findings import report

    output_format = click.get_current_context().params.get("error_format") or "text"
    if output_format != "text":
        sys.stdout.write(report(error.problems, output_format))
        raise SystemExit(EXIT_FINDINGS)
    count = len(error.problems)
    click.echo(f"precepts: error: {prefix}bad input ({count} problem{'s' if count != 1 else ''}):", err=True)
    click.echo(report(error.problems, "text").rstrip("\n"), err=True)
    raise SystemExit(EXIT_FINDINGS)


@click.command("rate")
@click.argument("framework", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--input", "inputs", multiple=True, type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              metavar="FILE", help="Case records or results: JSON, or CSV for case records (repeatable; '-' reads JSON from standard input).")
@click.option("--level", help="The level to rate at (default: the input's \"level\", or the framework's only rated level).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people; json for tools (a versioned document).")
@click.option("--what-if", "what_if", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Rate the same input under another framework version, or with a rules file's bands and rules, and show what changes.")
@click.option("--schema", "show_schema", is_flag=True, help="Print the JSON Schema of the input for FRAMEWORK and exit.")
@click.option("--panel-margin", type=click.IntRange(0, 100), default=5, show_default=True,
              help="Percentage points from a band boundary that raise a ratings-panel flag (2018/19 report, Annex A).")
@click.option("--brief", is_flag=True, help="Text output without the explanation trees.")
@click.option("--error-format", type=click.Choice(["text", "json", "github", "sarif"]), default="text", show_default=True,
              help="How bad input is reported: text on standard error; json, github (workflow annotations) or sarif on "
                   "standard output, as precepts check reports findings.")
@click.option("--allow-empty", is_flag=True,
              help="A CSV export with no case records (only a header, or no answer columns) is expected: rate what there is instead of failing.")
@click.option("--format-version", "format_version", type=int, default=None, metavar="N",
              help="With --format json: the version of the document to write (default: the newest, 2; "
                   "1 is kept for one release, see docs/formats/ratings-changelog.md).")
@click.option("--language", metavar="TAG",
              help="The language the reader asked for (en, or a translation the framework has, such as cy). The ratings "
                   "and explanations stay in English, which precepts' own words are in; for another language the "
                   "output says so (text: a note at the top; json: a note on standard error).")
@input_limits
def rate(framework: Path, inputs: tuple[Path, ...], level: str | None, output_format: str, what_if: Path | None,
         show_schema: bool, panel_margin: int, brief: bool, error_format: str, allow_empty: bool,
         format_version: int | None, language: str | None) -> None:
    """Rate inspected units under FRAMEWORK and explain every rating.

    Input is JSON (case records, or per key question the numbers sufficient and
    inspected, or a published percentage; judged ratings; NR for a standard not rated)
    or CSV case records, validated against the JSON Schema the framework generates
    (see --schema). Where the framework leaves a rule open the rating is reported as
    undetermined, with the reason; nothing is guessed.

    Exit status: 0 when the units were rated, 1 for bad input or a framework with
    errors, 2 for usage errors.
    """
    from precepts import api
    from precepts.ratings.inputs import InputError
    from precepts.ratings.output_json import FORMAT_VERSIONS
    from precepts.ratings.plan import PlanError

    if format_version is not None and format_version not in FORMAT_VERSIONS:
        shown = " or ".join(str(v) for v in FORMAT_VERSIONS)
        fail(f"--format-version {format_version}: precepts writes ratings format version {shown}", EXIT_USAGE)
    if format_version is not None and output_format != "json":
        fail("--format-version applies to --format json only", EXIT_USAGE)
    if not framework.exists():
        fail(f"no such framework file: {framework}", EXIT_USAGE)
    compiled = _framework(framework)
    from precepts.ratings.output_text import language_note

    try:
        english_only = language_note(compiled, language)
    except ValueError as error:
        fail(str(error), EXIT_USAGE)
    if show_schema:
        from precepts.ratings.run import Rater

        try:
            rater = Rater.for_framework(compiled, level)
        except PlanError as error:
            fail(str(error), EXIT_USAGE)
        import json

        click.echo(json.dumps(rater.schema, indent=2, ensure_ascii=False))
        return
    if not inputs:
        fail("give the input with --input FILE (JSON, or CSV case records); see --help", EXIT_USAGE)
    for path in inputs:
        if str(path) != "-" and not path.exists():
            fail(f"no such input file: {path}", EXIT_USAGE)
    try:
        ratings = api.rate(compiled, inputs, level=level, panel_margin=panel_margin, allow_empty=allow_empty)
    except PlanError as error:
        fail(str(error), EXIT_USAGE)
    except InputError as error:
        _input_problems(error)
    if what_if is not None:
        ratings = _what_if(ratings, what_if, Fraction(panel_margin))
    if output_format == "json":
        if english_only:
            note(english_only)
        sys.stdout.write(ratings.json(format_version))
    else:
        sys.stdout.write(ratings.text(explain=not brief, language=language))
    raise SystemExit(EXIT_OK)


def _framework(path: Path) -> Framework:
    """The framework in a file, or exit 1 with its errors."""
    from precepts import api

    try:
        return api.load(path)
    except api.FrameworkError as failed:
        shown = failed.results[0].files[0]
        fail(f"{shown} has errors, so it cannot be rated; run 'precepts check {shown}'", EXIT_FINDINGS,
             failed.report())


def _what_if(ratings: Ratings, path: Path, margin: Fraction) -> Ratings:
    from precepts.ratings.inputs import InputError
    from precepts.ratings.plan import PlanError
    from precepts.ratings.run import with_what_if
    from precepts.ratings.whatif import OverlayError

    if not path.exists():
        fail(f"no such file for --what-if: {path}", EXIT_USAGE)
    other = _framework(path)
    try:
        return with_what_if(ratings, other, str(path), margin)
    except OverlayError as error:
        fail(f"--what-if {path}: {error}", EXIT_FINDINGS)
    except PlanError as error:
        fail(f"--what-if {path}: {error}", EXIT_USAGE)
    except InputError as error:
        _input_problems(error, prefix=f"under --what-if {path}: ")
