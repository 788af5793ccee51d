"""JSON as every build output writes it: two-space indents, UTF-8 kept as is, one final
newline. Key order is that of construction, which each renderer fixes.

The text is exactly `json.dumps(document, indent=2, ensure_ascii=False)`'s, but made
here: with an indent the standard library gives up its C encoder for a Python generator
that yields every bracket, comma and key as a piece of its own, which took a third of a
10,000-prompt build's time (issue 15). This writes the same pieces into a list, with
the standard library's own (C) string encoder, and turns them into UTF-8 a batch at a
time, so the text is never held whole beside its bytes. Anything it does not know (a key
that is not a string, an object of another type, a cycle) is left to `json.dumps`, which
then gives its own result or error (tests/test_jsonout.py compares the two).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C function where available
from typing import Any

_BATCH = 8192  # pieces joined and encoded at once


class _NotPlain(Exception):
    """The document holds something only json.dumps knows how to write (or refuse)."""


def encode(document: Any) -> bytes:
    try:
        return _encode(document)
    except (_NotPlain, RecursionError):
        return _standard(document).encode("utf-8")


def dumps(document: Any) -> str:
    return encode(document).decode("utf-8")


def _standard(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _encode(document: Any) -> bytes:
    done: list[bytes] = []
    pieces: list[str] = []
    append = pieces.append
    string = encode_basestring

    def write(value: Any, indent: str) -> None:
        if isinstance(value, str):
            append(string(value))
        elif isinstance(value, dict):
            if not value:
                append("{}")
                return
            inner = indent + "  "
            separator = "{" + inner
            for key, item in value.items():
                if not isinstance(key, str):
                    raise _NotPlain
                append(separator)
                append(string(key))
                append(": ")
                write(item, inner)
                separator = "," + inner
            append(indent + "}")
            if len(pieces) > _BATCH:
                done.append("".join(pieces).encode("utf-8"))
                pieces.clear()
        elif isinstance(value, (list, tuple)):
            if not value:
                append("[]")
                return
            inner = indent + "  "
            separator = "[" + inner
            for item in value:
                append(separator)
                write(item, inner)
                separator = "," + inner
            append(indent + "]")
        elif value is None:
            append("null")
        elif value is True:
            append("true")
        elif value is False:
            append("false")
        elif isinstance(value, int):
            append(int.__repr__(value))
        elif isinstance(value, float):
            append(json.dumps(value))
        else:
            raise _NotPlain

    write(document, "\n")
    append("\n")
    done.append("".join(pieces).encode("utf-8"))
    return b"".join(done)
