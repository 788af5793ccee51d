"""`precepts diff OLD NEW`: what changed between two versions of a framework."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from precepts.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    error,
    fail,
    input_limits,
    show_diagnostics,
    write_output,
)

if TYPE_CHECKING:
    from precepts.changes.mapping import Mapping, MappingError
    from precepts.changes.revisions import Exported
    from precepts.compiler.model import Framework



@click.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True,
              help="text for people; json for tools (a versioned document with a JSON Schema); "
                   "html for a publishable change notice.")
@click.option("--mapping", "mapping_path", type=click.Path(path_type=Path), metavar="FILE",
              help="The identity mapping to use. By default, a file in mappings/ beside either "
                   "framework whose old: and new: name the two frameworks.")
@click.option("--no-mapping", is_flag=True, help="Use no mapping file: pair by ids, and propose the rest.")
@click.option("--propose-mapping", "proposal_path", type=click.Path(path_type=Path), metavar="FILE",
              help="Also write a mapping file to FILE: the entries in use and the proposed pairs, for a person to review.")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=None, metavar="SCORE",
              help="The least text similarity (0 to 1) for proposing a pair; 0.6 by default.")
@click.option("--output", "-o", "output_path", type=click.Path(path_type=Path), metavar="FILE",
              help="Write the report to FILE instead of standard output.")
@input_limits
def diff(old: Path, new: Path, output_format: str, mapping_path: Path | None, no_mapping: bool,
         proposal_path: Path | None, threshold: float | None, output_path: Path | None) -> None:
    """Report what changed from framework OLD to framework NEW.

    OLD and NEW are framework files, or REV:PATH for a file as committed in git
    (main:frameworks/hmip-adult-2021.precepts compares with the version on main).

    Standards, key questions and prompts are paired across versions by the mapping
    file, then by their ids, and the rest are proposed from text similarity. The report
    lists what was added, removed, renumbered, moved to another standard or level, or
    reworded (with a word-level redline), and changes to applicability and rating rules.

    Exit status: 0 when the report was made, 1 when a framework has errors, 2 for
    usage errors, including a mapping file that cannot be used.
    """
    if mapping_path is not None and no_mapping:
        fail("use --mapping FILE or --no-mapping, not both")
    exported: list[Exported] = []
    try:
        old, new = _at_revision(old, exported), _at_revision(new, exported)
        old_framework, new_framework = _checked(old, exported), _checked(new, exported)
        _report(old, new, old_framework, new_framework, output_format, mapping_path, no_mapping, proposal_path,
                threshold, output_path, exported)
    finally:
        for item in exported:
            item.cleanup()


def _report(old: Path, new: Path, old_framework: Framework, new_framework: Framework, output_format: str,
            mapping_path: Path | None, no_mapping: bool, proposal_path: Path | None, threshold: float | None,
            output_path: Path | None, exported: list[Exported]) -> None:
    from dataclasses import replace

    from precepts import api
    from precepts.changes.mapping import MappingError

    try:
        mapping = None if no_mapping else _mapping(mapping_path, old, new, old_framework.id, new_framework.id)
        for item in exported:  # a mapping read from a revision is named REV:PATH, as the frameworks are
            if mapping is not None and mapping.path.startswith(f"{item.folder}/"):
                mapping = replace(mapping, path=item.shown_text(mapping.path))
        if mapping is not None and proposal_path is not None and _same_file(proposal_path, Path(mapping.path)):
            fail(f"--propose-mapping would overwrite the mapping in use, {mapping.path}; "
                 "write the proposals to another file and merge them by hand")
        # The mapping is found here, not by the API, because a revision's mappings are in its export.
        changes = api.diff(old_framework, new_framework, mapping=mapping, no_mapping=mapping is None,
                           threshold=threshold)
    except MappingError as problems:
        _mapping_problems(problems)
    text = changes.render(output_format)
    if output_path is not None:
        write_output(output_path, text)
    else:
        click.echo(text, nl=False)
    if proposal_path is not None:
        from precepts.changes.proposals import proposal_file

        write_output(proposal_path, proposal_file(changes.report, mapping))
        proposed = sum(changes.report.summary(kind)["proposed"] for kind in ("standard", "question", "prompt"))
        click.echo(f"precepts: wrote {proposal_path} with {proposed} proposed pairs to review", err=True)
    raise SystemExit(EXIT_OK)


def _at_revision(path: Path, exported: list[Exported]) -> Path:
    """PATH itself, or for REV:PATH the file as it was at the git revision REV."""
    from precepts.changes.revisions import RevisionError, export, is_revision_path

    if not is_revision_path(str(path)):
        return path
    try:
        exported.append(export(str(path)))
    except RevisionError as error:
        fail(str(error))
    return exported[-1].path


def _checked(path: Path, exported: list[Exported]) -> Framework:
    """The framework in a file, or exit: 2 when there is no such file, 1 when it has errors."""
    from dataclasses import replace

    from precepts import api

    if not path.exists() or path.is_dir():
        fail(f"no framework file {path}" + (" (it is a folder)" if path.is_dir() else "")
             + ("; to compare a committed version, write REV:PATH, as in main:frameworks/x.precepts"
                if not path.exists() else ""))
    at = next((e for e in exported if e.path == path), None)
    result = api.check(path)
    shown = at.shown if at else result.files[0]
    if not result.models or result.has_errors:
        text = result.report()
        show_diagnostics(at.shown_text(text) if at else text)
        fail(f"{shown} has errors; fix them before comparing it", EXIT_FINDINGS)
    model = result.models[0]
    if model.kind != "framework":
        fail(f"{shown} is a rules file, not a framework")
    return replace(model, file=shown) if at else model


def _mapping(given: Path | None, old: Path, new: Path, old_id: str, new_id: str) -> Mapping | None:
    from precepts.changes.mapping import mapping_for, read_mapping
    from precepts.dsl.loader import display_path

    if given is None:
        return mapping_for([new.parent, old.parent], old_id, new_id)
    if not given.is_file():
        fail(f"no mapping file {given}")
    mapping = read_mapping(given, display_path(given))
    return mapping.inverted() if (mapping.old, mapping.new) == (new_id, old_id) else mapping


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _mapping_problems(problems: MappingError) -> NoReturn:
    """A mapping file that cannot be used: its findings (I006) with their lines, as
    precepts check reports a framework's."""
    import hashlib

    from precepts.core.reporting import format_findings
    from precepts.core.sources import Source

    found = problems.diagnostics()
    sources = {}
    for file in {d.span.file for d in found if d.span is not None}:
        try:
            text = Path(file).read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue
        sources[file] = Source(file, text, hashlib.sha256(text.encode("utf-8")).hexdigest())
    count = len(found)
    error(f"the mapping cannot be used ({count} problem{'s' if count != 1 else ''}):")
    click.echo(format_findings(found, "text", sources).rstrip("\n"), err=True)
    raise SystemExit(EXIT_USAGE)
