"""The build's JSON writer (renderers/jsonout.py) writes exactly what
`json.dumps(document, indent=2, ensure_ascii=False)` does, plus a final newline, for every
kind of value, and leaves what it does not know to json.dumps (issue 15)."""

from __future__ import annotations

import enum
import json
from typing import Any

import pytest

from precepts.renderers.jsonout import dumps, encode


class Grade(enum.IntEnum):
    GOOD = 3


def standard(document: Any) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


DOCUMENTS: list[Any] = [
    {},
    [],
    "text",
    0,
    None,
    {"a": {}, "b": [], "c": [[]], "d": [{}], "e": {"f": {"g": []}}},
    {"quote": 'say "no"\\', "control": "a\tb\nc\r\x00\x1f\x7f", "unicode": "Cymraeg — ŵ ŷ 中文 😀 \u2028"},
    {"true": True, "false": False, "none": None, "int": -12345678901234567890, "grade": Grade.GOOD},
    {"float": 0.1, "big": 1e16, "small": -2.5e-7, "whole": 3.0, "nan": float("nan"), "inf": float("-inf")},
    {"tuple": (1, "two", (3,)), "list": [1, [2, [3, {"x": "y"}]]]},
    [{"id": f"p{n}", "text": f"prompt {n}", "levels": ["pdu"] * (n % 3)} for n in range(50)],
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_bytes_are_json_dumps_with_an_indent_of_two(document: Any) -> None:
    assert encode(document) == standard(document)
    assert dumps(document) == standard(document).decode("utf-8")


def test_a_large_document_written_in_batches_is_the_same() -> None:
    document = {"items": [{"n": n, "text": "é" * (n % 7), "nested": {"k": [n, None]}} for n in range(20_000)]}
    assert encode(document) == standard(document)


def test_keys_that_are_not_strings_are_written_as_json_dumps_writes_them() -> None:
    document = {1: "one", 2.5: "two and a half", False: "no", None: "nothing", "s": {3: [4]}}
    assert encode(document) == standard(document)


def test_what_json_cannot_write_fails_as_json_dumps_fails() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        encode({"a": {1, 2}})
    cycle: list[Any] = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="Circular reference"):
        encode({"a": cycle})
