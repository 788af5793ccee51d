"""Input files → one input document: JSON as it is, CSV case records counted column by
column (csv_input.py), several files merged unit by unit.

Judged ratings and published results belong to a JSON file, which can be given
alongside case records in CSV (`--input cases.csv --input judged.json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from precepts.ratings.csv_input import LINES_READ, CaseTallies, CsvRecords, Locator, read_columns, read_lines
from precepts.ratings.encodings import EncodingProblem, decode, looks_utf16
from precepts.ratings.gcpause import paused_gc
from precepts.ratings.inputs import InputError, InputProblem, Where
from precepts.ratings.plan import LevelPlan
from precepts.ratings.validation import Origins

UNIT_SECTIONS = ("questions", "standards", "judgements", "composites")


@dataclass(frozen=True)
class Sample:
    """A distinct CSV case record standing for all the rows like it (see csv_input.py)."""

    unit: int  # index of its unit in the document
    records: CsvRecords
    locator: Locator
    record: dict[str, Any]


@dataclass
class Loaded:
    document: dict[str, Any]
    origins: Origins
    sources: list[str] = field(default_factory=list)
    tallies: dict[int, list[CaseTallies]] = field(default_factory=dict)  # unit index → counted CSV records
    samples: list[Sample] = field(default_factory=list)
    # A JSON file rated one unit at a time (ratings/streaming.py): `document` holds its
    # fields without the units' records, which are read again from here if needed.
    streamed_from: Path | None = None


def parse_json(text: str, source: str) -> Any:
    import orjson

    try:
        with paused_gc():
            return orjson.loads(text)
    except json.JSONDecodeError as error:  # orjson's error is a json.JSONDecodeError, with line and column
        raise InputError([InputProblem(
            f"{source} line {error.lineno} column {error.colno}", "", "valid JSON", error.msg,
            code="I001", where=Where(source, line=error.lineno, column=error.colno),
        )]) from None


def as_document(data: Any, source: str) -> dict[str, Any]:
    """A whole input document; a single unit (an object with "unit") is wrapped in one."""
    if isinstance(data, dict) and "unit" in data and "units" not in data:
        return {"units": [data]}
    if not isinstance(data, dict):
        raise InputError([InputProblem(source, "", "a JSON object with \"units\" (or one unit, with \"unit\")",
                                       type(data).__name__, code="I002", where=Where(source))])
    return data


def read_csv(text: str, source: str, plan: LevelPlan, allow_empty: bool = False) -> Loaded:
    """CSV case records held in memory (a request's body)."""
    return _csv_loaded(read_columns(text, source, plan, allow_empty), source)


def read_csv_file(path: Path, plan: LevelPlan, allow_empty: bool = False) -> Loaded:
    """CSV case records read from a file as they are counted, a block of rows at a time,
    so that memory does not grow with the file; its text is read again only for a message."""
    source = str(path)
    return _csv_loaded(read_lines(_file_lines(path), lambda: _read_text(path), source, plan, allow_empty), source)


def _file_lines(path: Path) -> Iterator[str]:
    """The lines of a UTF-8 file, each with its line break (split after line feeds only,
    as `text_lines` splits a text). A file that is not UTF-8 is reported as `_read_text`
    reports it, with the line and column of the first byte that is not."""
    try:
        with path.open("rb") as file:
            start = file.read(1024)
    except OSError:
        _read_text(path)  # reports the file as unreadable
        raise
    if looks_utf16(start):
        _read_text(path)  # reports the encoding
    try:
        with path.open(encoding="utf-8-sig", newline="\n") as file:
            while lines := file.readlines(LINES_READ):
                yield from lines
    except UnicodeDecodeError:
        _read_text(path)
        raise
    except OSError:
        _read_text(path)
        raise


def _csv_loaded(records: CsvRecords, source: str) -> Loaded:
    document = {"units": [{"unit": name} for name in records.units]}
    origins = Origins(units={i: source for i in range(len(records.units))},
                      csv_units={i: source for i in range(len(records.units))})
    return Loaded(
        document, origins, [source],
        tallies={i: [tally] for i, tally in enumerate(records.tallies)},
        samples=[Sample(unit, records, locator, record) for unit, locator, record in records.samples],
    )


def _read_text(path: Path) -> str:
    source = str(path)
    kind = "CSV" if path.suffix.lower() == ".csv" else "JSON"
    try:
        return decode(path.read_bytes() if source != "-" else _stdin())
    except OSError as error:
        raise InputError([InputProblem(source, "", "a readable file", error.strerror or str(error),
                                       code="I001", where=None)]) from None
    except EncodingProblem as problem:
        raise InputError([InputProblem(
            f"{source} line {problem.line} column {problem.column}", "", f"{kind} text saved as UTF-8",
            problem.advice(kind), code="I001", where=Where(source, line=problem.line, column=problem.column),
            help=f"save the file as {kind} UTF-8 (in Excel: Save As, 'CSV UTF-8')" if kind == "CSV" else f"save the file as {kind} UTF-8",
        )]) from None


@dataclass(frozen=True)
class InputText:
    """An input held in memory (a request's body, an editor's buffer), named `source` in
    messages: JSON, or with `csv` CSV case records."""

    text: str
    source: str = "input"
    csv: bool = False


Input = Path | InputText  # a file ('-' is standard input) or a text


def is_csv(item: Input) -> bool:
    return item.csv if isinstance(item, InputText) else item.suffix.lower() == ".csv"


def load_json_file(path: Input) -> Loaded:
    source = path.source if isinstance(path, InputText) else str(path)
    text = path.text if isinstance(path, InputText) else _read_text(path)
    return Loaded(as_document(parse_json(text, source), source), Origins(file=source), [source])


def load_file(path: Input, plan: LevelPlan, allow_empty: bool = False) -> Loaded:
    if isinstance(path, InputText) and path.csv:
        return read_csv(path.text, path.source, plan, allow_empty)
    if isinstance(path, Path) and is_csv(path):
        return read_csv_file(path, plan, allow_empty)
    return load_json_file(path)


def _stdin() -> bytes:
    import sys

    return sys.stdin.buffer.read()


def merge(loaded: list[Loaded]) -> Loaded:
    """Several inputs as one document: units with the same name are combined."""
    if len(loaded) == 1:
        return loaded[0]
    problems: list[InputProblem] = []
    merged = Loaded({"units": []}, Origins())
    document = merged.document
    by_name: dict[str, int] = {}
    case_places: dict[tuple[int, int], str] = {}
    unit_places: dict[int, list[str]] = {}
    unit_files: dict[int, tuple[str, int]] = {}
    case_files: dict[tuple[int, int], tuple[str, int, int]] = {}
    csv_units: dict[int, str] = {}
    for item in loaded:
        source = item.sources[0]
        merged.sources.append(source)
        for key in ("format", "format_version", "framework", "level"):
            if key in item.document:
                if key in document and document[key] != item.document[key]:
                    problems.append(InputProblem(source, key, f"the same {key} as the other inputs ({document[key]!r})",
                                                 repr(item.document[key]), where=item.origins.where(None, None, [key])))
                document[key] = item.document[key]
        moved: dict[int, int] = {}
        for unit_index, unit in enumerate(item.document.get("units") or []):
            if not isinstance(unit, dict) or not isinstance(unit.get("unit"), str):
                document["units"].append(unit)  # the schema reports it
                continue
            name = unit["unit"]
            if name not in by_name:
                by_name[name] = len(document["units"])
                document["units"].append({"unit": name})
            target_index = moved[unit_index] = by_name[name]
            target = document["units"][target_index]
            place = item.origins.unit(unit_index)
            unit_places.setdefault(target_index, []).append(place if source in place else f"{source} {place}")
            if item.origins.file is not None:
                unit_files.setdefault(target_index, (item.origins.file, unit_index))
            if unit_index in item.origins.csv_units:
                csv_units.setdefault(target_index, item.origins.csv_units[unit_index])
            already = len(target.get("cases", []))
            for case_index, _ in enumerate(unit.get("cases") or []):
                place = item.origins.case(unit_index, case_index)
                case_places[(target_index, already + case_index)] = place if source in place else f"{source} {place}"
                if item.origins.file is not None:
                    case_files[(target_index, already + case_index)] = (item.origins.file, unit_index, case_index)
            for key, value in unit.items():
                if key == "unit":
                    continue
                if key == "cases":
                    target.setdefault("cases", []).extend(value if isinstance(value, list) else [value])
                elif key in (*UNIT_SECTIONS, "attributes") and isinstance(value, dict):
                    section = target.setdefault(key, {})
                    for name_in, entry in value.items():
                        if name_in in section and section[name_in] != entry:
                            problems.append(InputProblem(f"unit '{name}' ({source})", f"{key} › {name_in}",
                                                         "the same value as in the other inputs", json.dumps(entry),
                                                         where=item.origins.where(unit_index, None, [key, name_in])))
                        section[name_in] = entry
                else:
                    target[key] = value
        for unit_index, tallies in item.tallies.items():
            merged.tallies.setdefault(moved[unit_index], []).extend(tallies)
        merged.samples.extend(
            Sample(moved[s.unit], s.records, s.locator, s.record) for s in item.samples
        )
    if problems:
        raise InputError(problems)
    merged.origins = Origins(
        units={i: "; ".join(dict.fromkeys(places)) for i, places in unit_places.items()},
        cases=case_places, unit_files=unit_files, case_files=case_files, csv_units=csv_units,
    )
    return merged
