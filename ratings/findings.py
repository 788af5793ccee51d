"""Input problems as `Diagnostic`s: one shape, with codes and spans, for every input, so
that bad rating input is reported as `precepts check` reports a framework (text with the
line and a caret, JSON, GitHub annotations, SARIF: precepts.core.reporting).

The files' texts are read again only when something is reported; a file that cannot be
read (or standard input, already consumed) is shown without its line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from precepts.core.codes import BY_CODE
from precepts.core.diagnostics import Diagnostic, Span
from precepts.core.locations import csv_cell_span, json_span, yaml_span
from precepts.core.sources import Source
from precepts.ratings.inputs import InputProblem, Where


class Texts:
    """The texts of the input files, read once each, for spans and for showing lines."""

    def __init__(self, known: Mapping[str, str] | None = None) -> None:
        self._texts: dict[str, str | None] = dict(known or {})

    def get(self, file: str) -> str | None:
        if file not in self._texts:
            try:
                self._texts[file] = Path(file).read_bytes().decode("utf-8-sig", errors="replace") if file != "-" else None
            except OSError:
                self._texts[file] = None
        return self._texts[file]

    def sources(self) -> dict[str, Source]:
        return {
            file: Source(file, text, hashlib.sha256(text.encode("utf-8")).hexdigest())
            for file, text in self._texts.items() if text is not None
        }


def span_of(where: Where, texts: Texts) -> Span:
    text = texts.get(where.file)
    if where.line:
        if where.cell is not None and text is not None:
            lines = text.split("\n")
            line_text = lines[where.line - 1] if 0 < where.line <= len(lines) else ""
            return csv_cell_span(where.file, line_text, where.line, where.cell, where.delimiter)
        return Span.point(where.file, where.line, where.column or 1)
    if text is None:
        return Span.point(where.file, 1, 1)
    if where.file.lower().endswith((".yaml", ".yml")):
        return yaml_span(where.file, text, where.path)
    return json_span(where.file, text, where.path)


def diagnostic(problem: InputProblem, texts: Texts) -> Diagnostic:
    code = BY_CODE[problem.code]
    span = span_of(problem.where, texts) if problem.where is not None else None
    return code(str(problem), span, help=problem.help)


def diagnostics(problems: Iterable[InputProblem], texts: Texts | None = None) -> list[Diagnostic]:
    texts = texts or Texts()
    return [diagnostic(problem, texts) for problem in problems]


def report(problems: Sequence[InputProblem], output_format: str, known: Mapping[str, str] | None = None) -> str:
    """The problems formatted as every other finding is, in one of the report formats."""
    from precepts.core.reporting import format_findings

    texts = Texts(known)
    found = diagnostics(problems, texts)
    return format_findings(found, output_format, texts.sources())
