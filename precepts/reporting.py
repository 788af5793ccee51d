"""The one place diagnostics are formatted, in every output format."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from precepts import __version__
from precepts.diagnostics import Diagnostic, Severity, Span
from precepts.dsl.loader import Source

DIAGNOSTICS_FORMAT = "precepts-diagnostics"
DIAGNOSTICS_FORMAT_VERSION = 1


def _source_line(sources: dict[str, Source], span: Span) -> str | None:
    source = sources.get(span.file)
    if source is None:
        return None
    lines = source.text.split("\n")
    if not 0 < span.line <= len(lines):
        return None
    return lines[span.line - 1]


def _printable(text: str) -> str:
    # Hostile text (control characters, escape sequences) must not reach the terminal.
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


def format_text(
    diagnostics: Sequence[Diagnostic],
    sources: dict[str, Source],
    files: int,
    waived: Sequence[Diagnostic] = (),
    show_waived: bool = False,
) -> str:
    blocks = [format_diagnostic(d, sources) for d in sort_diagnostics(diagnostics)]
    if show_waived and waived:
        blocks.append("Waived findings:")
        blocks.extend(format_diagnostic(d, sources) for d in sort_diagnostics(waived))
    blocks.append(summary_line(diagnostics, len(waived), files))
    return "\n\n".join(blocks) + "\n"


def format_json(
    diagnostics: Sequence[Diagnostic],
    files: Sequence[str],
    waived: Sequence[tuple[Diagnostic, str]] = (),
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
        },
        "diagnostics": [d.as_dict() for d in sort_diagnostics(diagnostics)],
        "waived": [
            {**d.as_dict(), "waiver_reason": reason}
            for d, reason in sorted(waived, key=lambda pair: pair[0].sort_key())
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
