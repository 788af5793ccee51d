"""How much input precepts reads: the size of a file, the length of a line, and how many
findings of one code it reports per file.

Real frameworks are far inside every limit (the largest shipped file is 40 kB, its longest
line 1,010 characters); the limits stop a wrong file (a 50 MB export, a file whose line
breaks were lost) from taking seconds and gigabytes, or one slip repeated a hundred
thousand times from burying the rest. Each limit has a command-line option and an
environment variable to raise it; 0 means no limit.

| limit | default | option | environment variable |
|---|---|---|---|
| file size | 16 MB | `--max-file-size MB` | `PRECEPTS_MAX_FILE_SIZE` |
| line length | 10,000 characters | `--max-line-length N` | `PRECEPTS_MAX_LINE_LENGTH` |
| findings of one code in one file | 100 | `--max-findings-per-code N` | `PRECEPTS_MAX_FINDINGS_PER_CODE` |
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 16 * MEGABYTE
    line_chars: int = 10_000
    findings_per_code: int = 100

    @staticmethod
    def from_environment() -> Limits:
        default = Limits()

        def number(name: str, fallback: float) -> float:
            try:
                return max(0.0, float(os.environ.get(name, fallback)))
            except ValueError:
                return fallback

        return Limits(
            file_bytes=int(number("PRECEPTS_MAX_FILE_SIZE", default.file_bytes / MEGABYTE) * MEGABYTE),
            line_chars=int(number("PRECEPTS_MAX_LINE_LENGTH", default.line_chars)),
            findings_per_code=int(number("PRECEPTS_MAX_FINDINGS_PER_CODE", default.findings_per_code)),
        )


_current: ContextVar[Limits | None] = ContextVar("precepts_limits", default=None)


def current() -> Limits:
    """The limits in force: those a command set, else the environment's, else the defaults."""
    return _current.get() or Limits.from_environment()


@contextmanager
def applied(limits: Limits) -> Iterator[Limits]:
    token = _current.set(limits)
    try:
        yield limits
    finally:
        _current.reset(token)


def megabytes(count: int) -> str:
    return f"{count / MEGABYTE:,.1f} MB".replace(".0 MB", " MB")
