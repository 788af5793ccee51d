"""Rating a JSON input file one unit at a time, so that memory holds one unit's records.

A file of case records can hold a million of them; parsed whole, as Python objects, that
is several gigabytes. Here the file is read in blocks and decoded incrementally: the
small top-level fields (`format`, `level`…) with `json.JSONDecoder.raw_decode`, then each
element of `units` in turn, which is validated against the schema, read, rated and
released before the next is decoded. Measured against `ijson` (yajl2_c), raw_decode was
about twice as fast, and as fast as orjson parsing the whole text, so no dependency is
added.

This is the way for valid input only. Whenever anything is out of the ordinary — a
unit the schema refuses or whose records do not agree, two units of one name, the level
named after the units, a syntax error, text that is not UTF-8, a surrogate escape or a
number orjson would read differently — `rate_json_file` returns None, and the caller
reads the file whole (documents.py, reading.py), as before, so every diagnostic is the
same, with the same file:line:column.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import orjson

from precepts.compiler.model import Framework
from precepts.ratings.case_columns import case_columns
from precepts.ratings.documents import Loaded
from precepts.ratings.engine import rate_unit
from precepts.ratings.inputs import InputProblem
from precepts.ratings.plan import PlanError
from precepts.ratings.reading import read_unit
from precepts.ratings.results import UnitResult
from precepts.ratings.validation import Origins

READ = 1 << 20  # characters read at once; more when one unit is larger
WHITESPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace, as the json module skips it
# An escaped UTF-16 surrogate: the json module accepts a lone one, orjson refuses it.
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
# Where a unit whose last field is its case records may end: `]`, `}`, then `,` or `]`.
UNIT_END = re.compile(r"\][ \t\n\r]*(\})[ \t\n\r]*[,\]]")


class Unusual(Exception):
    """The file is not plain valid input: read it whole instead, which says why."""


def _refused(_: str) -> Any:
    raise Unusual  # NaN, Infinity: not JSON, which orjson refuses


def _integer(text: str) -> int:
    value = int(text)
    if not -(2**63) <= value < 2**64:  # orjson reads 64-bit integers only
        raise Unusual
    return value


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise Unusual
    return value


class JsonStream:
    """A JSON document `{…, "units": [unit, …], …}` read incrementally from a file."""

    def __init__(self, path: Path) -> None:
        self.file = path.open(encoding="utf-8-sig", newline="")
        self.buffer = ""
        self.position = 0
        self.dropped = 0  # characters read and let go before the buffer
        self.ended = False
        self.decoder = json.JSONDecoder(parse_constant=_refused, parse_int=_integer, parse_float=_float)
        self.guessing = True  # units end where UNIT_END finds (see _unit)

    def close(self) -> None:
        self.file.close()

    def _more(self, at_least: int = 0) -> None:
        """Read on; as much again as is held when one value is larger than a block."""
        if self.ended:
            raise Unusual  # the document stops short
        kept = self.buffer[self.position:]
        chunk = self.file.read(max(READ, len(kept), at_least))
        if not chunk:
            self.ended = True
        if SURROGATE_ESCAPE.search(kept[-5:] + chunk):
            raise Unusual
        self.dropped += self.position
        self.buffer = kept + chunk
        self.position = 0

    def _peek(self) -> str:
        """The next character that is not whitespace ('' at the end of the file)."""
        while True:
            spaces = WHITESPACE.match(self.buffer, self.position)
            self.position = spaces.end() if spaces else self.position
            if self.position < len(self.buffer):
                return self.buffer[self.position]
            if self.ended:
                return ""
            self._more()

    def _expect(self, *characters: str) -> str:
        found = self._peek()
        if found not in characters or not found:
            raise Unusual
        self.position += 1
        return found

    def _value(self, expected: int = 0) -> Any:
        """The next value. With `expected` characters held first (the size of the unit
        before, and a quarter more), a unit is rarely cut by the end of what is held, so
        rarely decoded twice."""
        self._peek()
        if len(self.buffer) - self.position < expected and not self.ended:
            self._more(expected)
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.position)
            except json.JSONDecodeError:
                self._more()
                continue
            except RecursionError:
                raise Unusual from None
            if end == len(self.buffer) and not self.ended:
                self._more()  # a number may go on in the next block
                continue
            self.position = end
            return value

    def _unit(self, expected: int) -> Any:
        """The next unit. Where it ends is guessed (UNIT_END) and the text up to there
        parsed with orjson, which takes two thirds of the time of `raw_decode` and
        refuses anything but one whole JSON value: a wrong guess (a unit with a field
        after its records, `]}` inside a string) costs one parse, and the unit is
        decoded as any value is; after one, no more are guessed."""
        self._peek()
        if len(self.buffer) - self.position < expected and not self.ended:
            self._more(expected)
        found = UNIT_END.search(self.buffer, self.position) if self.guessing else None
        if found is None:  # not in what is held: read on as for any value
            return self._value()
        try:
            value = orjson.loads(self.buffer[self.position:found.end(1)])
        except orjson.JSONDecodeError:
            self.guessing = False
            return self._value()
        self.position = found.end(1)
        return value

    def _key(self) -> str:
        if self._peek() != '"':
            raise Unusual
        key = self._value()
        self._expect(":")
        return str(key)

    def head(self) -> dict[str, Any]:
        """The fields before "units"; the stream is then at the units."""
        self._expect("{")
        fields: dict[str, Any] = {}
        while True:
            key = self._key()
            if key in fields:
                raise Unusual
            if key == "units":
                return fields
            fields[key] = self._value()
            if self._expect(",", "}") == "}":
                raise Unusual  # no units: a small document, read whole

    def units(self) -> Iterator[Any]:
        self._expect("[")
        if self._peek() == "]":
            self.position += 1
            return
        expected = 0
        while True:
            start = self.dropped + self.position
            unit = self._unit(expected)
            expected = (self.dropped + self.position - start) * 5 // 4
            yield unit
            del unit  # let go of it before the next is parsed: one unit at a time in memory
            if self._expect(",", "]") == "]":
                return

    def tail(self, before: dict[str, Any]) -> dict[str, Any]:
        """The fields after "units", and nothing but whitespace after the document."""
        fields: dict[str, Any] = {}
        while self._expect(",", "}") == ",":
            key = self._key()
            if key in fields or key in before or key == "units":
                raise Unusual
            fields[key] = self._value()
        if self._peek() != "":
            raise Unusual
        return fields


def rate_json_file(framework: Framework, path: Path, level: str | None,
                   panel_margin: Fraction) -> tuple[Any, Loaded, tuple[UnitResult, ...]] | None:
    """The rater, the input (without its units' records) and the rated units of a JSON
    file read one unit at a time; or None when the file should be read whole instead."""
    from precepts.ratings.run import Rater

    source = str(path)
    try:
        stream = JsonStream(path)
    except OSError:
        return None
    try:
        head = stream.head()
        named = head.get("level")
        try:
            rater = Rater.for_framework(framework, level or (named if isinstance(named, str) else None))
        except PlanError:
            return None
        origins = Origins(file=source)
        results: list[UnitResult] = []
        seen: set[str] = set()
        problems: list[InputProblem] = []
        index = -1  # counted here: enumerate would hold each unit until the next is parsed
        for unit in stream.units():
            index += 1
            # Records of one layout are validated through the few that stand for them all.
            columns = case_columns(unit.get("cases")) if type(unit) is dict else None
            checked = unit if columns is None else {**unit, "cases": columns.samples(rater.plan)}
            if not rater.validator.is_valid({"units": [checked]}):
                return None
            name = unit["unit"]
            if name in seen:
                return None
            seen.add(name)
            unit_input = read_unit(rater.plan, unit, index, f"unit '{name}' ({origins.unit(index)})", origins, problems,
                                   columns)
            if problems:
                return None
            results.append(rate_unit(rater.plan, unit_input, panel_margin))
            del unit, columns, checked  # as the stream does: its records go before the next unit is parsed
        tail = stream.tail(head)
        if "level" in tail and level is None:
            return None  # the level is named after the units were rated
        document = {**head, **tail, "units": []}
        if not rater.validator.is_valid(document):
            return None
        return rater, Loaded(document, origins, [source], streamed_from=path), tuple(results)
    except (Unusual, UnicodeDecodeError, OSError):
        return None
    finally:
        stream.close()
