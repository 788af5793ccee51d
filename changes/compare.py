"""The change report between two versions of a framework, and the way to render it.

    from precepts.changes.compare import change_report, render
    report = change_report(old, new, mapping)      # mapping: renderers.mapping.Mapping or None
    text = render(report, "html")                  # "text", "json" or "html"

`change_report` pairs the standards, key questions and prompts (identity.py), then says
what changed in each pair (diff_elements.py) and in the rating rules, levels, case
attributes and domains (diff_rules.py). The report (diff_report.py) is plain data in a
fixed order: the same two frameworks and mapping always give the same report.
"""

from __future__ import annotations

from dataclasses import replace

from precepts.changes.identity import KINDS, PROPOSAL_MIN, match
from precepts.changes.mapping import Mapping, MappingError, find_mapping, mapping_for, read_mapping
from precepts.changes.report import ChangeReport, MappingInfo, Version
from precepts.compiler import model as m

FORMATS = ("text", "json", "html")

__all__ = ["FORMATS", "ChangeReport", "MappingError", "change_report", "find_mapping", "mapping_for", "read_mapping",
           "render"]


# ---- the report ---------------------------------------------------------------------------


def change_report(old: m.Framework, new: m.Framework, mapping: Mapping | None = None,
                  threshold: float = PROPOSAL_MIN) -> ChangeReport:
    """What changed from `old` to `new`. Raises mapping.MappingError when the mapping does not fit."""
    from precepts.changes.elements import element_changes
    from precepts.changes.rules import attribute_changes, domain_changes, level_changes, rule_changes

    identities = match(old, new, mapping, threshold)
    elements = {kind: element_changes(kind, identities) for kind in KINDS}

    report = ChangeReport(
        old=_version(old), new=_version(new), mapping=_mapping_info(mapping), threshold=threshold,
        levels=level_changes(old, new, identities), attributes=attribute_changes(old, new),
        domains=domain_changes(old, new, identities),
        standards=elements["standard"], questions=elements["question"], prompts=elements["prompt"],
        rules=rule_changes(old, new, identities), notes=(),
    )
    return _with_notes(report)


def render(report: ChangeReport, output_format: str) -> str:
    if output_format == "json":
        from precepts.changes.json import render_json

        return render_json(report)
    if output_format == "html":
        from precepts.changes.html import render_html

        return render_html(report)
    if output_format == "text":
        from precepts.changes.text import render_text

        return render_text(report)
    raise ValueError(f"no change report format '{output_format}'; use one of {', '.join(FORMATS)}")


def _version(framework: m.Framework) -> Version:
    return Version(framework.id, framework.title, framework.version, framework.date, framework.status,
                   framework.file, framework.sha256)


def _mapping_info(mapping: Mapping | None) -> MappingInfo | None:
    if mapping is None:
        return None
    return MappingInfo(mapping.path, mapping.confirmed_by, mapping.confirmed_on, mapping.note, mapping.sha256,
                       mapping.inverted_from_file)


def _with_notes(report: ChangeReport) -> ChangeReport:
    notes = []
    proposed = sum(report.summary(kind)["proposed"] for kind in KINDS)
    proposed += sum(r.matched_by == "proposed" for r in report.rules)
    if report.mapping is None:
        notes.append("No mapping file was used: only ids pair elements, and pairs found by text similarity are proposals.")
    elif report.mapping.inverted:
        notes.append(f"The mapping {report.mapping.file} runs from {report.new.id} to {report.old.id}; it was read backwards.")
    if proposed:
        are = "1 pair is" if proposed == 1 else f"{proposed} pairs are"
        notes.append(
            f"{are} proposed from text similarity and not yet confirmed: write them out with "
            "--propose-mapping FILE, review each one, and commit the file."
        )
    return replace(report, notes=tuple(notes))
