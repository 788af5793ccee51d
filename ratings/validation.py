"""Validating rating input against the generated JSON Schema, in bulk, with jsonschema-rs.

The whole document is checked in one call (the fast path: valid input costs one pass in
Rust). Only when it fails are the errors collected and turned into messages that name
the record (the unit and case, and for CSV the file and line), the field, what the
schema expects there (its `description`) and what was found.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from precepts.ratings.inputs import InputProblem, Where

MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Origins:
    """Where each unit and case record of a document came from, for messages: a JSON
    file's `units[2].cases[14]`, a CSV file's line, or both when inputs were merged."""

    units: dict[int, str] = field(default_factory=dict)  # unit index → "judged.json units[0]"
    cases: dict[tuple[int, int], str] = field(default_factory=dict)  # (unit, case) → "cases.csv line 7"
    csv_cases: frozenset[tuple[int, int]] = frozenset()
    # For spans: the JSON file a document was read from as it is (units at their own
    # indexes); or, after merging, each unit's and case's file and index there; and the
    # CSV line (with its header, to find a column's cell) each CSV record stands for.
    file: str | None = None
    unit_files: dict[int, tuple[str, int]] = field(default_factory=dict)
    case_files: dict[tuple[int, int], tuple[str, int, int]] = field(default_factory=dict)
    csv_rows: dict[tuple[int, int], tuple[str, int, tuple[str, ...], str]] = field(default_factory=dict)
    csv_units: dict[int, str] = field(default_factory=dict)

    def unit(self, unit_index: int) -> str:
        return self.units.get(unit_index, f"units[{unit_index}]")

    def case(self, unit_index: int, case_index: int) -> str:
        return self.cases.get((unit_index, case_index), f"units[{unit_index}].cases[{case_index}]")

    def is_csv(self, unit_index: int, case_index: int) -> bool:
        return (unit_index, case_index) in self.csv_cases

    def where(self, unit_index: int | None, case_index: int | None = None, rest: Sequence[Any] = ()) -> Where | None:
        """Where a unit, a case record or a field of one (`rest`) stands in its file."""
        rest = tuple(rest)
        if unit_index is None:
            return Where(self.file, rest) if self.file else None
        if case_index is not None:
            key = (unit_index, case_index)
            if key in self.csv_rows:
                file, line, header, delimiter = self.csv_rows[key]
                named = [part for part in rest[-1:] if isinstance(part, str) and part in header]
                return Where(file, line=line, cell=header.index(named[0]) if named else None, delimiter=delimiter)
            if key in self.case_files:
                file, unit_in_file, case_in_file = self.case_files[key]
                return Where(file, ("units", unit_in_file, "cases", case_in_file, *rest))
            return Where(self.file, ("units", unit_index, "cases", case_index, *rest)) if self.file else None
        if unit_index in self.unit_files:
            file, unit_in_file = self.unit_files[unit_index]
            return Where(file, ("units", unit_in_file, *rest))
        if unit_index in self.csv_units:
            return Where(self.csv_units[unit_index], line=1)
        return Where(self.file, ("units", unit_index, *rest)) if self.file else None


def compile_validator(schema: dict[str, Any]) -> Any:
    import jsonschema_rs  # a compiled extension: import it only when input is read

    return jsonschema_rs.validator_for(schema)


def validate(validator: Any, schema: dict[str, Any], document: Any, origin: Origins | None = None) -> list[InputProblem]:
    if validator.is_valid(document):
        return []
    origin = origin or Origins()
    problems: list[InputProblem] = []
    for error in validator.iter_errors(document):
        problems.append(_problem(error, schema, document, origin))
        if len(problems) > MAX_PROBLEMS:
            break
    # The same fault can be reported through two schema branches; report it once.
    return sorted(set(problems), key=problems.index)


def where_of(path: Sequence[Any], origin: Origins) -> Where | None:
    """Where the value at an instance path of the document stands in its file."""
    path = list(path)
    if len(path) < 2 or path[0] != "units" or not isinstance(path[1], int):
        return origin.where(None, None, path)
    if len(path) >= 4 and path[2] == "cases" and isinstance(path[3], int):
        return origin.where(path[1], path[3], path[4:])
    return origin.where(path[1], None, path[2:])


def record_of(document: Any, path: Sequence[Any], origin: Origins) -> tuple[str, list[Any], bool]:
    """The record named by an instance path, in words, the rest of the path, and whether
    the record came from CSV."""
    if len(path) < 2 or path[0] != "units" or not isinstance(path[1], int):
        return "the input document", list(path), False
    unit_index = path[1]
    unit = _get(document, ["units", unit_index])
    name = unit.get("unit") if isinstance(unit, dict) else None
    words = f"unit '{name}'" if isinstance(name, str) and name else f"unit {unit_index + 1}"
    rest = list(path[2:])
    if len(rest) >= 2 and rest[0] == "cases" and isinstance(rest[1], int):
        case_index = rest[1]
        case = _get(unit, ["cases", case_index])
        reference = case.get("case") if isinstance(case, dict) else None
        if reference is None:
            words += f", case {case_index + 1}"
        elif isinstance(reference, str) or (isinstance(reference, int) and not isinstance(reference, bool)):
            words += f", case '{reference}'"
        else:  # a reference the schema refuses, shown as written
            words += f", case {_shown(reference)}"
        return f"{words} ({origin.case(unit_index, case_index)})", rest[2:], origin.is_csv(unit_index, case_index)
    return f"{words} ({origin.unit(unit_index)})", rest, False


def field_words(rest: Sequence[Any], csv: bool = False) -> str:
    if csv and len(rest) == 2 and rest[0] in ("questions", "prompts", "attributes"):
        return f"column '{rest[1]}'"
    if csv and len(rest) == 1 and rest[0] == "case":
        return "column 'case'"
    return " › ".join(str(p) for p in rest)


def _get(node: Any, path: Sequence[Any]) -> Any:
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _description(schema: dict[str, Any], schema_path: Sequence[Any]) -> str | None:
    """The description of the deepest schema node on the path that has one."""
    node: Any = schema
    found = schema.get("description") if isinstance(schema, dict) else None
    for part in schema_path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("description"), str):
            found = node["description"]
    return found


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "…"


def _problem(error: Any, schema: dict[str, Any], document: Any, origin: Origins) -> InputProblem:

    path = list(error.instance_path)
    record, rest, csv = record_of(document, path, origin)
    where = where_of(path, origin)
    problem = _schema_problem(error, schema, document, record, rest, csv)
    return replace(problem, code="I002", where=where)


def _schema_problem(error: Any, schema: dict[str, Any], document: Any, record: str, rest: list[Any], csv: bool) -> InputProblem:
    import jsonschema_rs

    kind = error.kind
    expected = _description(schema, list(error.schema_path)) or error.message
    found = _shown(error.instance)
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
        unexpected = list(kind.unexpected)
        name = unexpected[0] if unexpected else "?"
        from precepts.compiler.names import did_you_mean

        node = _get(schema, list(error.schema_path)[:-1])
        known = list(node.get("properties", {})) if isinstance(node, dict) else []
        hint = did_you_mean(str(name), known) if known else None
        names = ", ".join(f"'{u}'" for u in unexpected)
        return InputProblem(record, field_words([*rest, name], csv), expected,
                            f"the unknown name{'s' if len(unexpected) > 1 else ''} {names}" + (f" ({hint})" if hint else ""))
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
        return InputProblem(record, field_words([*rest, kind.property], csv), "a value: it is required", "nothing")
    return InputProblem(record, field_words(rest, csv), expected, found)
