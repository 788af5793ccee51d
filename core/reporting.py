"""The one place diagnostics are formatted, in every output format."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from precepts.core.diagnostics import Diagnostic, Related, Severity, Span
from precepts.core.sources import Source
from precepts.core.version import __version__

DIAGNOSTICS_FORMAT = "precepts-diagnostics"
DIAGNOSTICS_FORMAT_VERSION = 1


@lru_cache(maxsize=16)
def _lines(text: str) -> list[str]:
    # A string caches its hash, so looking a file's text up here is cheap after the first time.
    return text.split("\n")


def _source_line(sources: dict[str, Source], span: Span) -> str | None:
    source = sources.get(span.file)
    if source is None:
        return None
    lines = _lines(source.text)
    if not 0 < span.line <= len(lines):
        return None
    return lines[span.line - 1]


def _printable(text: str) -> str:
    # Hostile text (control characters, escape sequences) must not reach the terminal.
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == "\t" else "�" for ch in text)


def _location(span: Span | None) -> str:
    return f"{span.file}:{span.line}:{span.column}" if span else "precepts"


def format_diagnostic(diagnostic: Diagnostic, sources: dict[str, Source]) -> str:
    span = diagnostic.span
    out = [
        f"{_location(span)}: {diagnostic.severity.value} {diagnostic.code} "
        f"({diagnostic.name}) {_printable(diagnostic.message)}"
    ]
    if span is not None:
        line = _source_line(sources, span)
        if line is not None:
            gutter = str(span.line)
            pad = " " * len(gutter)
            shown = _printable(line.replace("\t", " "))
            width = (span.end_column - span.column) if span.end_line == span.line else len(line) - span.column + 1
            width = max(1, min(width, len(shown) - span.column + 2))
            out.append(f" {pad} |")
            out.append(f" {gutter} | {shown}")
            out.append(f" {pad} | {' ' * (span.column - 1)}{'^' * width}")
    for related in diagnostic.related:
        out.append(f"  note: {_location(related.span)}: {_printable(related.message)}")
    if diagnostic.help:
        out.append(f"  help: {_printable(diagnostic.help)}")
    return "\n".join(out)


def summary_line(diagnostics: Sequence[Diagnostic], waived: int, files: int) -> str:
    counts = Counter(d.severity for d in diagnostics)
    parts = []
    for severity, word in ((Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "info")):
        n = counts.get(severity, 0)
        if n:
            parts.append(f"{n} {word}{'s' if n != 1 and word != 'info' else ''}")
    found = ", ".join(parts) if parts else "no problems"
    waived_text = f" ({waived} waived)" if waived else ""
    return f"Checked {files} file{'s' if files != 1 else ''}: {found}{waived_text}."


def sort_diagnostics(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    return sorted(dict.fromkeys(diagnostics), key=Diagnostic.sort_key)


def collapse_repeats(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One entry for a finding repeated word for word in many places, listing the others."""
    first: dict[tuple[str, str], int] = {}
    others: dict[int, list[Span]] = {}
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        key = (diagnostic.code, diagnostic.message)
        if key in first and diagnostic.span is not None:
            others.setdefault(first[key], []).append(diagnostic.span)
            continue
        first[key] = len(kept)
        kept.append(diagnostic)
    for index, spans in others.items():
        original = kept[index]
        kept[index] = replace(
            original,
            related=original.related + tuple(Related(span, "the same finding again") for span in spans),
        )
    return kept


def held_back_line(held_back: int) -> str:
    some = "1 more finding" if held_back == 1 else f"{held_back} more findings"
    return (f"{some} may only follow from the faults above, so {'it is' if held_back == 1 else 'they are'} "
            "held back: fix those and check again.")


def format_text(
    diagnostics: Sequence[Diagnostic],
    sources: dict[str, Source],
    files: int,
    waived: Sequence[Diagnostic] = (),
    show_waived: bool = False,
    held_back: int = 0,
) -> str:
    blocks = [format_diagnostic(d, sources) for d in collapse_repeats(sort_diagnostics(diagnostics))]
    if show_waived and waived:
        blocks.append("Waived findings:")
        blocks.extend(format_diagnostic(d, sources) for d in sort_diagnostics(waived))
    if held_back:
        blocks.append(held_back_line(held_back))
    blocks.append(summary_line(diagnostics, len(waived), files))
    return "\n\n".join(blocks) + "\n"


def format_json(
    diagnostics: Sequence[Diagnostic],
    files: Sequence[str],
    waived: Sequence[tuple[Diagnostic, str]] = (),
    held_back: int = 0,
) -> str:
    counts = Counter(d.severity.value for d in diagnostics)
    document = {
        "format": DIAGNOSTICS_FORMAT,
        "format_version": DIAGNOSTICS_FORMAT_VERSION,
        "tool": {"name": "precepts", "version": __version__},
        "files": list(files),
        "summary": {
            "errors": counts.get("error", 0),
            "warnings": counts.get("warning", 0),
            "infos": counts.get("info", 0),
            "waived": len(waived),
            "held_back": held_back,  # findings that may only follow from a syntax error, not listed
        },
        "diagnostics": [d.as_dict() for d in sort_diagnostics(diagnostics)],
        "waived": [
            {**d.as_dict(), "waiver_reason": reason}
            for d, reason in sorted(waived, key=lambda pair: pair[0].sort_key())
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# ---- SARIF 2.1.0 --------------------------------------------------------------------------------

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _sarif_region(span: Span) -> dict[str, int]:
    return {
        "startLine": max(1, span.line),
        "startColumn": max(1, span.column),
        "endLine": max(1, span.end_line),
        "endColumn": max(1, span.end_column),
    }


def _sarif_artifact(file: str) -> dict[str, str]:
    """Where a file is, as SARIF wants it: a URI reference, so a space, '#', '%' or a
    non-ASCII letter in a file name is percent-encoded (SARIF 2.1.0 §3.4.3, RFC 3986).
    A relative path is relative to the checked project (%SRCROOT%); an absolute one is
    a file: URI."""
    from urllib.parse import quote

    path = file.replace("\\", "/")
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/")}
    return {"uri": quote(path, safe="/"), "uriBaseId": "%SRCROOT%"}


def _sarif_location(span: Span) -> dict[str, object]:
    return {
        "physicalLocation": {
            "artifactLocation": _sarif_artifact(span.file),
            "region": _sarif_region(span),
        }
    }


def format_sarif(diagnostics: Sequence[Diagnostic], waived: Sequence[tuple[Diagnostic, str]] = ()) -> str:
    """A SARIF 2.1.0 log: one run, every code a rule, waived findings as suppressed results."""
    from precepts.core.codes import Code

    rules = list(Code)
    rule_index = {c.code: i for i, c in enumerate(rules)}

    def result(diagnostic: Diagnostic, justification: str | None) -> dict[str, object]:
        entry: dict[str, object] = {
            "ruleId": diagnostic.code,
            "ruleIndex": rule_index.get(diagnostic.code, -1),
            "level": _SARIF_LEVEL[diagnostic.severity],
            "message": {"text": diagnostic.message + (f" (help: {diagnostic.help})" if diagnostic.help else "")},
        }
        if diagnostic.span is not None:
            entry["locations"] = [_sarif_location(diagnostic.span)]
        if diagnostic.related:
            entry["relatedLocations"] = [
                {"id": i, **_sarif_location(r.span), "message": {"text": r.message}}
                for i, r in enumerate(diagnostic.related)
            ]
        if diagnostic.subjects:
            entry["properties"] = {"subjects": list(diagnostic.subjects)}
        if justification is not None:
            entry["suppressions"] = [{"kind": "inSource", "justification": justification}]
        return entry

    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "precepts",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [
                            {
                                "id": c.code,
                                "name": c.readable_name,
                                "shortDescription": {"text": c.explanation.split("\n\n")[0]},
                                "fullDescription": {"text": c.explanation},
                                "help": {"text": c.explanation},
                                "defaultConfiguration": {"level": _SARIF_LEVEL[c.severity]},
                            }
                            for c in rules
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [result(d, None) for d in sort_diagnostics(diagnostics)]
                + [result(d, reason) for d, reason in sorted(waived, key=lambda pair: pair[0].sort_key())],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# ---- GitHub Actions ----------------------------------------------------------------------------

GITHUB_ANNOTATIONS_PER_KIND = 10  # GitHub shows 10 error, 10 warning and 10 notice annotations a step
_GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
STEP_SUMMARY_BUDGET = 1_000_000  # GitHub's cap is 1 MiB a step


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Sequence[Diagnostic]) -> str:
    """Workflow commands that GitHub turns into annotations, and a count of those it will hide."""
    lines = []
    shown: Counter[Severity] = Counter()
    for diagnostic in sort_diagnostics(diagnostics):
        shown[diagnostic.severity] += 1
        properties = [f"title={_escape_property(f'{diagnostic.code} ({diagnostic.name})')}"]
        if diagnostic.span is not None:
            span = diagnostic.span
            properties = [
                f"file={_escape_property(span.file)}",
                f"line={span.line}",
                f"col={span.column}",
                f"endLine={span.end_line}",
                f"endColumn={span.end_column}",
                *properties,
            ]
        message = diagnostic.message + (f"\n\nhelp: {diagnostic.help}" if diagnostic.help else "")
        lines.append(f"::{_GITHUB_COMMAND[diagnostic.severity]} {','.join(properties)}::{_escape_data(message)}")
    hidden = {s: n - GITHUB_ANNOTATIONS_PER_KIND for s, n in shown.items() if n > GITHUB_ANNOTATIONS_PER_KIND}
    if hidden:
        words = ", ".join(f"{n} {_GITHUB_COMMAND[s]}{'s' if n != 1 else ''}" for s, n in sorted(hidden.items(), key=lambda p: p[0].rank))
        lines.append(
            f"::notice title=precepts::{words} beyond GitHub's limit of {GITHUB_ANNOTATIONS_PER_KIND} annotations "
            "of each kind a step are not shown as annotations; they are all in this log and in the step summary"
        )
    return "\n".join(lines) + ("\n" if lines else "")


def step_summary(diagnostics: Sequence[Diagnostic], waived: int, files: int) -> str:
    """A Markdown table of every finding, for $GITHUB_STEP_SUMMARY."""
    header = f"## precepts check\n\n{summary_line(diagnostics, waived, files)}\n\n"
    if not diagnostics:
        return header
    rows = ["| Severity | Code | Where | Message |", "|---|---|---|---|"]
    size = len(header) + sum(len(r) for r in rows)
    ordered = sort_diagnostics(diagnostics)
    for index, diagnostic in enumerate(ordered):
        cell = _printable(diagnostic.message).replace("|", "\\|").replace("\n", " ")
        row = f"| {diagnostic.severity.value} | {diagnostic.code} ({diagnostic.name}) | {_location(diagnostic.span)} | {cell} |"
        if size + len(row) > STEP_SUMMARY_BUDGET - 200:
            rows.append(f"\n{len(ordered) - index} more findings are in the log.")
            break
        rows.append(row)
        size += len(row) + 1
    return header + "\n".join(rows) + "\n"


def format_findings(diagnostics: Sequence[Diagnostic], output_format: str, sources: dict[str, Source]) -> str:
    """Findings about an input other than a framework (rating input, a mapping file, a
    rule-case file) in a report format: text in the order found, each with its line and
    caret; or JSON, GitHub annotations or SARIF, as `precepts check` writes them."""
    if output_format == "json":
        return format_json(diagnostics, sorted({d.span.file for d in diagnostics if d.span is not None}))
    if output_format == "github":
        return format_github(diagnostics)
    if output_format == "sarif":
        return format_sarif(diagnostics)
    return "\n\n".join(format_diagnostic(d, sources) for d in diagnostics) + "\n"
