"""Rules tested as data: YAML rule cases, each an input and the ratings it must give.

A file holds one case, or several under `cases:` sharing `framework:` and `level:`:

    framework: ../fixtures/ratings/hmip-probation-2018.precepts   # relative to the file
    level: provider
    cases:
      - name: 2017 §4.11, one key question in 'reasonable majority'
        description: …
        input: {unit: Example NPS division, attributes: {provider: nps}, questions: {…}}
        expected:
          standards:
            "2.3": {grade: good, lowest: ["2.3.3"]}

`expected` is matched against the JSON output of the unit (`precepts rate --format
json`), partially: only the fields written are compared. A list of elements with ids
(standards, questions, composites, hurdles…) is matched by id or published number; a
list of plain values must match in full, while each element of a list of mappings must
match some element of the output's list; `{contains: text}` matches part of a string and
`{length: n}` the length of a list. An input with several units has `expected` keyed by
unit name.

A file may also have `tallies:` — counts across all the units of its cases, checked
against published totals:

    tallies:
      - name: §2.1 "five of the seven NPS divisions rated as 'Good'"
        where: {attributes/provider: nps}
        count_by: composites/provider-overall/grade
        expected: {good: 5, requires-improvement: 2}

`where` and `count_by` are paths separated by "/"; a `where` value may be
`{at_most: n}` or `{at_least: n}`. `sum_of: path` adds a field up instead of counting.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic, Span

CASE_KEYS = {"name", "description", "framework", "level", "input", "expected", "source"}


@dataclass(frozen=True)
class RuleCase:
    name: str
    description: str
    file: Path
    framework: Path
    level: str | None
    input: dict[str, Any]
    expected: dict[str, Any]
    where: tuple[str | int, ...] = ()  # the case's place in its file: () or ("cases", index)


@dataclass(frozen=True)
class Tally:
    name: str
    file: Path
    cases: tuple[RuleCase, ...]
    where: dict[str, Any]
    count_by: str | None
    sum_of: str | None
    expected: Any


@dataclass(frozen=True)
class Mismatch:
    field: str
    expected: Any
    actual: Any

    def __str__(self) -> str:
        return f"{self.field}: expected {_shown(self.expected)}, got {_shown(self.actual)}"


@dataclass
class CaseFile:
    path: Path
    cases: list[RuleCase] = field(default_factory=list)
    tallies: list[Tally] = field(default_factory=list)


class CaseFileError(ValueError):
    """A rule-case file that cannot be read as one: the message, the file, and where in it
    (a path of keys and indexes, or where the YAML reader stopped)."""

    def __init__(self, message: str, file: Path, path: tuple[str | int, ...] = (), span: Span | None = None) -> None:
        super().__init__(f"{file}: {message}")
        self.message = message
        self.file = file
        self.path = path
        self.span = span

    def diagnostic(self) -> Diagnostic:
        """The problem as a finding (I007), spanning the YAML node it is about."""
        from precepts.core.locations import yaml_span

        span = self.span
        if span is None:
            try:
                span = yaml_span(str(self.file), self.file.read_text(encoding="utf-8"), self.path)
            except (OSError, UnicodeDecodeError):
                span = Span.point(str(self.file), 1, 1)
        return Code.INVALID_RULE_CASE(self.message, span)


def _shown(value: Any) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 300 else text[:297] + "…"


def load_case_file(path: Path) -> CaseFile:
    import yaml

    from precepts.core.locations import yaml_error_span

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise CaseFileError(f"not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8", path) from None
    except yaml.YAMLError as error:
        raise CaseFileError(f"not valid YAML: {error}", path, span=yaml_error_span(str(path), error)) from None
    if not isinstance(data, dict):
        raise CaseFileError("expected a mapping with a case, or with 'cases:'", path)
    defaults = {k: data[k] for k in ("framework", "level") if k in data}
    entries = data.get("cases", [data] if "input" in data else [])
    if not isinstance(entries, list):
        raise CaseFileError("'cases:' holds a list of cases, each starting with '- name:'", path, ("cases",))
    loaded = CaseFile(path)
    names: set[str] = set()
    for index, entry in enumerate(entries):
        where: tuple[str | int, ...] = ("cases", index) if "cases" in data else ()
        if not isinstance(entry, dict):
            raise CaseFileError(f"case {index + 1}: expected a mapping with name, framework, input and expected", path, where)
        merged = {**defaults, **entry}
        unknown = set(merged) - CASE_KEYS
        missing = {"name", "framework", "input", "expected"} - set(merged)
        if unknown or missing:
            raise CaseFileError(
                f"case {index + 1}: " + "; ".join(
                    [f"unknown keys {sorted(unknown)}"] * bool(unknown) + [f"missing keys {sorted(missing)}"] * bool(missing)
                ), path, where,
            )
        if merged["name"] in names:
            raise CaseFileError(f"two cases are named '{merged['name']}'", path, (*where, "name"))
        names.add(merged["name"])
        loaded.cases.append(RuleCase(
            name=str(merged["name"]), description=str(merged.get("description", "")).strip(), file=path,
            framework=(path.parent / merged["framework"]).resolve(), level=merged.get("level"),
            input=merged["input"], expected=merged["expected"] or {}, where=where,
        ))
    tallies = data.get("tallies", [])
    for index, entry in enumerate(tallies if isinstance(tallies, list) else [tallies]):
        lacking = sorted({"name", "expected"} - set(entry if isinstance(entry, dict) else {}))
        if not isinstance(entry, dict) or lacking:
            raise CaseFileError(f"tally {index + 1}: missing {', '.join(lacking) or 'name, expected'}", path, ("tallies", index))
        loaded.tallies.append(Tally(
            name=str(entry["name"]), file=path, cases=tuple(loaded.cases), where=entry.get("where", {}),
            count_by=entry.get("count_by"), sum_of=entry.get("sum_of"), expected=entry["expected"],
        ))
    return loaded


def case_files(folder: Path) -> list[CaseFile]:
    return [load_case_file(p) for p in sorted(folder.rglob("*.yaml"))]


# ---- running a case ------------------------------------------------------------------------------


@functools.cache
def _rater(framework: Path, level: str | None) -> Any:
    from precepts.ratings.run import Rater, load_framework

    return Rater.for_framework(load_framework(framework), level)


def output_units(case: RuleCase) -> dict[str, dict[str, Any]]:
    """The JSON output of the case's units, by unit name."""
    return _output_units(case.framework, case.level, _frozen(case.input))


@functools.cache
def _output_units(framework: Path, level: str | None, frozen_input: Any) -> dict[str, dict[str, Any]]:
    from precepts.ratings.documents import as_document
    from precepts.ratings.output_json import unit_json
    from precepts.ratings.validation import Origins

    rater = _rater(framework, level)
    document = as_document(_thawed(frozen_input), "input")
    results = rater.rate_document(document, Origins(file="input"))
    return {unit.unit: unit_json(unit, rater.plan.scales) for unit in results}


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return ("__dict__", tuple((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("__list__", tuple(_frozen(v) for v in value))
    return value


def _thawed(value: Any) -> Any:
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "__dict__":
        return {k: _thawed(v) for k, v in value[1]}
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "__list__":
        return [_thawed(v) for v in value[1]]
    return value


def input_findings(case: RuleCase, problems: Any) -> list[Diagnostic]:
    """Bad rating input in a case, as findings (I002, I003…) spanning the YAML it is in."""
    from dataclasses import replace

    from precepts.ratings.findings import diagnostics
    from precepts.ratings.inputs import Where

    single = "unit" in case.input and "units" not in case.input
    placed = []
    for problem in problems:
        path: tuple[str | int, ...] = problem.where.path if problem.where is not None else ()
        if single and path[:2] == ("units", 0):
            path = path[2:]
        placed.append(replace(problem, where=Where(str(case.file), (*case.where, "input", *path))))
    return diagnostics(placed)


def check_case(case: RuleCase) -> list[Mismatch]:
    from precepts.ratings.inputs import InputError

    try:
        units = output_units(case)
    except InputError as error:
        found = input_findings(case, error.problems)
        return [Mismatch("input", "rating input the framework accepts",
                         f"{d.span.file}:{d.span.line}:{d.span.column}: {d.code} {d.message}" if d.span else d.message)
                for d in found]
    if "unit" in case.input and "units" not in case.input:
        (unit,) = units.values()
        return list(match(case.expected, unit, ""))
    mismatches = []
    for name, expected in case.expected.items():
        if name not in units:
            mismatches.append(Mismatch(name, "a unit of that name", sorted(units)))
            continue
        mismatches.extend(match(expected, units[name], name))
    return mismatches


def _element(items: list[Any], key: str) -> Any:
    for item in items:
        if isinstance(item, dict) and key in (item.get("id"), item.get("number"), item.get("unit")):
            return item
    return None


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return float(expected) == float(actual)
    return bool(expected == actual)


def match(expected: Any, actual: Any, path: str) -> Iterator[Mismatch]:
    here = path or "(unit)"
    if isinstance(expected, dict) and set(expected) == {"contains"}:
        if not isinstance(actual, str) or str(expected["contains"]) not in actual:
            yield Mismatch(here, f"text containing {expected['contains']!r}", actual)
        return
    if isinstance(expected, dict) and set(expected) == {"length"}:
        if not isinstance(actual, list | dict | str) or len(actual) != expected["length"]:
            yield Mismatch(here, f"length {expected['length']}", len(actual) if isinstance(actual, list | dict | str) else actual)
        return
    if isinstance(expected, dict):
        if isinstance(actual, dict):
            for key, value in expected.items():
                if key not in actual:
                    yield Mismatch(f"{path}.{key}" if path else str(key), value, "no such field")
                else:
                    yield from match(value, actual[key], f"{path}.{key}" if path else str(key))
            return
        if isinstance(actual, list):
            for key, value in expected.items():
                element = _element(actual, str(key))
                where = f"{path}[{key}]"
                if element is None:
                    yield Mismatch(where, value, "no element with that id or number")
                else:
                    yield from match(value, element, where)
            return
        yield Mismatch(here, expected, actual)
        return
    if isinstance(expected, list) and isinstance(actual, list) and expected and all(isinstance(e, dict) for e in expected):
        # Elements written in part (panel flags, say): each must match some element of the list.
        for index, item in enumerate(expected):
            if not any(not list(match(item, candidate, "")) for candidate in actual):
                yield Mismatch(f"{path}[{index}]", item, actual)
        return
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(expected) != len(actual):
            yield Mismatch(here, expected, actual)
            return
        for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
            yield from match(e, a, f"{path}[{index}]")
        return
    if not _same(expected, actual):
        yield Mismatch(here, expected, actual)


def failure_message(case: RuleCase, mismatches: list[Mismatch]) -> str:
    lines = [f"rule case '{case.name}' ({case.file.name}) failed:"]
    lines.extend(f"  {m}" for m in mismatches)
    return "\n".join(lines)


# ---- tallies ---------------------------------------------------------------------------------------


def _at(node: Any, path: str) -> Any:
    for part in path.split("/"):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list):
            node = _element(node, part)
        else:
            return None
    return node


def _holds(value: Any, wanted: Any) -> bool:
    if isinstance(wanted, dict):
        if value is None:
            return False
        if "at_most" in wanted and not value <= wanted["at_most"]:
            return False
        if "at_least" in wanted and not value >= wanted["at_least"]:
            return False
        return all(k in ("at_most", "at_least") for k in wanted)
    return _same(wanted, value)


def check_tally(tally: Tally) -> list[Mismatch]:
    units = [unit for case in tally.cases for unit in output_units(case).values()]
    chosen = [u for u in units if all(_holds(_at(u, path), wanted) for path, wanted in tally.where.items())]
    if tally.sum_of is not None:
        actual: Any = sum(_at(u, tally.sum_of) or 0 for u in chosen)
    elif tally.count_by is not None:
        counts = Counter(str(_at(u, tally.count_by)) for u in chosen)
        actual = {str(k): counts.get(str(k), 0) for k in tally.expected}
        expected = {str(k): v for k, v in tally.expected.items()}
        return [] if actual == expected else [Mismatch(f"count by {tally.count_by}", expected, dict(sorted(counts.items())))]
    else:
        actual = len(chosen)
    return [] if _same(tally.expected, actual) else [Mismatch(tally.sum_of or "count", tally.expected, actual)]


def main(argv: list[str] | None = None) -> int:
    """`python3 -m precepts.ratings.cases [FOLDER]`: run every rule case and tally."""
    import sys

    folder = Path((argv or sys.argv[1:] or ["tests/rating_cases"])[0])
    failed = total = 0
    try:
        files = case_files(folder)
    except CaseFileError as error:
        from precepts.core.reporting import format_diagnostic
        from precepts.core.sources import Source

        found = error.diagnostic()
        text = error.file.read_bytes().decode("utf-8", errors="replace") if error.file.is_file() else ""
        print(format_diagnostic(found, {str(error.file): Source(str(error.file), text, "")}), file=sys.stderr)
        return 2
    for case_file in files:
        for case in case_file.cases:
            total += 1
            mismatches = check_case(case)
            if mismatches:
                failed += 1
                print(failure_message(case, mismatches))
        for tally in case_file.tallies:
            total += 1
            mismatches = check_tally(tally)
            if mismatches:
                failed += 1
                print(f"tally '{tally.name}' ({case_file.path.name}) failed:\n  " + "\n  ".join(map(str, mismatches)))
    print(f"{total - failed} of {total} rule cases and tallies pass")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
