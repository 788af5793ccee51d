"""The one finding type shared by the parser, the compiler and the checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Span(NamedTuple):
    """A stretch of source text. Lines and columns count from 1; the end is exclusive.

    A named tuple rather than a dataclass: a large framework has hundreds of thousands
    of spans, and tuples are several times cheaper to create.
    """

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, file: str, line: int, column: int, width: int = 1) -> Span:
        return cls(file, line, column, line, column + width)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a finding, such as the other copy of a duplicate."""

    span: Span
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"span": self.span.as_dict(), "message": self.message}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    name: str
    severity: Severity
    message: str
    span: Span | None
    help: str | None = None
    related: tuple[Related, ...] = ()
    subjects: tuple[str, ...] = field(default=())

    def sort_key(self) -> tuple[object, ...]:
        if self.span is None:
            return ("", 0, 0, self.code, self.message)
        return (self.span.file, self.span.line, self.span.column, self.code, self.message)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "span": self.span.as_dict() if self.span else None,
            "help": self.help,
            "related": [r.as_dict() for r in self.related],
            "subjects": list(self.subjects),
        }
