"""`precepts rate`: rate inspected units under a framework, and explain every rating."""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import click

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _fail(message: str, code: int, details: str = "") -> None:
    click.echo(f"precepts: error: {message}", err=True)
    if details:
        click.echo(details.rstrip("\n"), err=True)
    raise SystemExit(code)


def _input_problems(error: Exception, prefix: str = "") -> None:
    from precepts.ratings.inputs import InputError

    assert isinstance(error, InputError)
    count = len(error.problems)
    click.echo(f"precepts: error: {prefix}bad input ({count} problem{'s' if count != 1 else ''}):", err=True)
    for problem in error.problems:
        click.echo(f"  {problem}", err=True)
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
@click.option("--format-version", "format_version", type=int, default=None, metavar="N",
              help="With --format json: the version of the document to write (default: the newest, 2; "
                   "1 is kept for one release, see docs/formats/ratings-changelog.md).")
def rate(framework: Path, inputs: tuple[Path, ...], level: str | None, output_format: str, what_if: Path | None,
         show_schema: bool, panel_margin: int, brief: bool, format_version: int | None) -> None:
    """Rate inspected units under FRAMEWORK and explain every rating.

    Input is JSON (case records, or per key question the numbers sufficient and
    inspected, or a published percentage; judged ratings; NR for a standard not rated)
    or CSV case records, validated against the JSON Schema the framework generates
    (see --schema). Where the framework leaves a rule open the rating is reported as
    undetermined, with the reason; nothing is guessed.

    Exit status: 0 when the units were rated, 1 for bad input or a framework with
    errors, 2 for usage errors.
    """
    from precepts.ratings.inputs import InputError
    from precepts.ratings.plan import PlanError
    from precepts.ratings.run import FrameworkError, Rater, level_named, load_framework, parse_json_inputs

    from precepts.ratings import output_json

    if format_version is not None and format_version not in output_json.FORMAT_VERSIONS:
        shown = " or ".join(str(v) for v in output_json.FORMAT_VERSIONS)
        _fail(f"--format-version {format_version}: precepts writes ratings format version {shown}", EXIT_USAGE)
    if format_version is not None and output_format != "json":
        _fail("--format-version applies to --format json only", EXIT_USAGE)
    if not framework.exists():
        _fail(f"no such framework file: {framework}", EXIT_USAGE)
    try:
        compiled = load_framework(framework)
    except FrameworkError as error:
        _fail(str(error), EXIT_FINDINGS, error.details)
    if show_schema:
        try:
            rater = Rater.for_framework(compiled, level)
        except PlanError as error:
            _fail(str(error), EXIT_USAGE)
        import json

        click.echo(json.dumps(rater.schema, indent=2, ensure_ascii=False))
        return
    if not inputs:
        _fail("give the input with --input FILE (JSON, or CSV case records); see --help", EXIT_USAGE)
    for path in inputs:
        if str(path) != "-" and not path.exists():
            _fail(f"no such input file: {path}", EXIT_USAGE)
    from precepts.ratings.gcpause import paused_gc

    try:
        with paused_gc():
            parsed = parse_json_inputs(inputs)
            rater = Rater.for_framework(compiled, level or level_named(parsed))
            loaded = rater.load(inputs, parsed)
            results = rater.rate_loaded(loaded, Fraction(panel_margin))
    except PlanError as error:
        _fail(str(error), EXIT_USAGE)
    except InputError as error:
        _input_problems(error)

    what_if_json = what_if_text = None
    if what_if is not None:
        what_if_json, what_if_text = _what_if(compiled, rater, what_if, loaded, results, Fraction(panel_margin))

    from precepts.ratings import output_text

    if output_format == "json":
        data = output_json.document(compiled, rater.plan.level, results, rater.plan.scales, what_if_json,
                                    version=format_version or output_json.OUTPUT_FORMAT_VERSION)
        sys.stdout.write(output_json.dumps(data))
    else:
        sys.stdout.write(output_text.render(compiled, rater.plan.level, results, not brief, what_if_text))
    raise SystemExit(EXIT_OK)


def _what_if(compiled, rater, path: Path, loaded, results, margin: Fraction):  # type: ignore[no-untyped-def]
    from precepts.ratings.inputs import InputError
    from precepts.ratings.plan import PlanError
    from precepts.ratings.run import FrameworkError, Rater, load_framework
    from precepts.ratings.whatif import changes_json, changes_text, compare, overlay

    if not path.exists():
        _fail(f"no such file for --what-if: {path}", EXIT_USAGE)
    try:
        other = load_framework(path)
    except FrameworkError as error:
        _fail(str(error), EXIT_FINDINGS, error.details)
    if other.kind == "rules":
        alternative = overlay(compiled, other)
        label = f"{compiled.id} with the rating rules of {path}"
    else:
        alternative = other
        label = f"{other.id}" + (f" ({other.version})" if other.version else "") + f" from {path}"
    try:
        other_rater = Rater.for_framework(alternative, rater.plan.level)
    except PlanError as error:
        _fail(f"--what-if {path}: {error}", EXIT_USAGE)
    import dataclasses

    document = dict(loaded.document)
    if "framework" in document and other.kind != "rules":
        document["framework"] = alternative.id  # the same records, named for the other framework
    try:
        other_results = other_rater.rate_loaded(dataclasses.replace(loaded, document=document), margin)
    except InputError as error:
        _input_problems(error, prefix=f"under --what-if {path}: ")
    changes = compare(results, other_results, rater.plan.scales, other_rater.plan.scales)
    return changes_json(label, alternative, changes), changes_text(label, changes)
