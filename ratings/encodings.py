"""Reading an input file as UTF-8 text, and naming the encoding when it is not.

Spreadsheet programs save "CSV" in several encodings: Excel's "Unicode Text" and some
exports are UTF-16, and older "CSV (Comma delimited)" files are Windows-1252 (Latin-1).
Decoding them as UTF-8 fails with a byte offset no user can act on. This says which
encoding the file looks like, on which line, and how to save it as UTF-8.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass
class EncodingProblem(Exception):
    """The bytes are not UTF-8: where the first bad byte is, and what the file looks like."""

    line: int
    column: int
    looks_like: str | None  # "UTF-16", "Latin-1 (Windows-1252)", or None when unknown
    detail: str

    def advice(self, kind: str) -> str:
        if self.looks_like is None:
            return f"this file is not UTF-8 text ({self.detail}); save it as {kind} UTF-8"
        return f"this file looks {self.looks_like} encoded; save it as {kind} UTF-8"


def decode(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is dropped), or EncodingProblem."""
    if looks_utf16(data):
        return _fail(data, 0, "UTF-16", "a UTF-16 byte-order mark or NUL bytes between the characters")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        looks_like = "Latin-1 (Windows-1252)" if _is_single_byte_text(data) else None
        return _fail(data, error.start, looks_like, f"byte 0x{data[error.start]:02x} is not UTF-8")


def looks_utf16(data: bytes) -> bool:
    """Whether bytes (the start of a file will do) are UTF-16: a byte-order mark, or NUL
    bytes between the characters."""
    return data.startswith(UTF16_BOMS) or _mostly_nul_pairs(data)


def _fail(data: bytes, offset: int, looks_like: str | None, detail: str) -> str:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    raise EncodingProblem(line, column, looks_like, detail)


def _mostly_nul_pairs(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: ASCII text with a NUL beside every character."""
    sample = data[:1024]
    return len(sample) >= 4 and sample.count(0) * 3 >= len(sample)


def _is_single_byte_text(data: bytes) -> bool:
    """Whether the bytes read as Windows-1252 text: it decodes and has no control
    characters other than tab, carriage return and newline."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return not any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text)
