"""`precepts import`: a framework written in Word, as framework text (see precepts.importers.word)."""

from __future__ import annotations

from pathlib import Path

import click

from precepts.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, fail, note, show_diagnostics, write_output


@click.command("import")
@click.argument("document", type=click.Path(path_type=Path))
@click.option("-o", "--output", "output_path", type=click.Path(path_type=Path), metavar="FILE",
              help="Write the framework to FILE (replacing it) instead of standard output.")
def import_command(document: Path, output_path: Path | None) -> None:
    """Read a framework written in Word (.docx) as framework text.

    Headings, numbered paragraphs and lettered lists become domains, sections, standards,
    key questions and prompts, with their text kept as written; Word's own numbering is
    read as the numbers and letters it shows, and tracked changes as accepted. What cannot
    be placed (a table, a picture, a paragraph between levels) is kept as a comment where it
    stood and reported with its paragraph number (I009–I011). The text is written in the
    layout `precepts fmt` gives and checked as `precepts check` would.

    A document that `precepts build` wrote also carries its framework's source: the rating
    rules, waivers and ids it cannot show come back from there, and the files the framework
    includes are written beside FILE (never over one that exists).

    Exit status: 0 when the imported framework has no errors, 1 when its check finds
    errors, 2 when the document cannot be read or the command was used wrongly.
    """
    from precepts import api
    from precepts.core import reporting

    if output_path is not None and output_path.resolve() == document.resolve():
        fail(f"-o would overwrite the document being imported, {document}; name a .precepts file")
    name = output_path.as_posix() if output_path is not None else document.with_suffix(".precepts").name
    result = api.import_word(document, name=name)
    for finding in reporting.sort_diagnostics(result.findings):
        show_diagnostics(reporting.format_diagnostic(finding, {}) + "\n\n")
    if result.check is None:
        raise SystemExit(EXIT_USAGE)
    if output_path is None:
        click.echo(result.text, nl=False)
    else:
        write_output(output_path, result.text)
        note(f"wrote {output_path}")
        # A document precepts wrote carries the files its framework includes: written beside
        # the framework where its `include:` lines look, never over a file already there.
        folder = output_path.parent.resolve()
        for path, text in result.includes.items():
            target = output_path.parent / path
            if not target.resolve().is_relative_to(folder):
                # A path that leaves the framework's folder is not written from a document.
                note(f"did not write {path}, which {output_path.name} includes: it is outside {output_path.parent}")
            elif not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                write_output(target, text)
                note(f"wrote {target}, which {output_path.name} includes")
            elif target.read_bytes() != text.encode("utf-8"):
                note(f"kept {target}, which differs from the copy the document carries")
    check = result.check
    show_diagnostics(reporting.format_text(check.diagnostics, dict(check.sources), len(check.files),
                                           [w.diagnostic for w in check.waived]))
    count = len(result.findings)
    placed = "everything placed" if not count else \
        f"{count} part{'s' if count != 1 else ''} of the document not placed, kept as comments"
    note(f"imported {document}: {placed}; the framework {'has errors' if check.has_errors else 'checks without errors'}")
    raise SystemExit(EXIT_FINDINGS if check.has_errors else EXIT_OK)
