"""CSV case records, read column by column.

One row per case: a `unit` column, an optional `case` column, then one column per case
attribute, key question and prompt (named by number or id). Cells hold yes, no or n/a;
an empty cell is not answered.

A CSV file can hold hundreds of thousands of records, so it is not turned into one
dictionary per record. The rows are transposed into columns; each unit's answers are
counted with `tuple.count` on slices of its rows; and the JSON Schema is applied, with
jsonschema-rs, to every *distinct* combination of a case's attributes and one of its
answers. That is the same check as validating every record: the schema's case-record
rules are each about one field, given the case's attributes (see schema.py). Only when
something is wrong is the file read again to find the first line that shows it.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from precepts.ratings.gcpause import paused_gc
from precepts.ratings.inputs import InputError, InputProblem, Where
from precepts.ratings.plan import LevelPlan, PromptPlan, QuestionPlan

ANSWER_WORDS = ("yes", "no", "n/a")


@dataclass
class CaseTallies:
    """One unit's case records, counted: what reading.py needs instead of the records."""

    cases: int
    questions: Counter[tuple[str, str]] = field(default_factory=Counter)  # (column, answer) → cases
    prompts: Counter[tuple[str, str]] = field(default_factory=Counter)
    attributes: dict[str, set[str]] = field(default_factory=dict)  # attribute → values given ("" for none)
    # Answers to key questions and prompts whose applicability the case's own attributes
    # do not settle: (attributes given, section, column, answer, where to find the row).
    unsettled: list[tuple[dict[str, str], str, str, str, Locator]] = field(default_factory=list)
    records: CsvRecords | None = None  # the file they were counted from, for messages
    references: list[tuple[str, int]] = field(default_factory=list)  # (case reference, data row), where given


# Where a sample comes from: the column indexes it combines and the values it has there;
# the first row with those values is looked up only if a message needs it.
Locator = tuple[tuple[int, ...], tuple[str, ...]]


@dataclass
class CsvRecords:
    units: list[str]  # unit names, in order of first appearance
    tallies: list[CaseTallies]
    samples: list[tuple[int, Locator, dict[str, Any]]]  # (unit index, where, distinct case record)
    source: str
    text: str
    case_index: int | None = None  # the 'case' column
    columns: dict[str, int] = field(default_factory=dict)  # the unit and attribute columns by name
    delimiter: str = ","
    normalised: frozenset[int] = frozenset()  # answer columns whose cells were trimmed and lower-cased
    _rows: list[tuple[int, list[str]]] | None = field(default=None, repr=False)

    def rows(self) -> list[tuple[int, list[str]]]:
        """(line, cells) of every data row, blank rows skipped, answers as counted: for
        messages only."""
        if self._rows is not None:
            return self._rows
        reader = csv.reader(io.StringIO(self.text), delimiter=self.delimiter)
        next(reader, None)
        found = []
        line = reader.line_num + 1
        for cells in reader:
            if cells and any(cells):
                for i in self.normalised:
                    if i < len(cells):
                        cells[i] = answer_word(cells[i])
                found.append((line, cells))
            line = reader.line_num + 1
        self._rows = found
        return found

    @property
    def header(self) -> tuple[str, ...]:
        """The header's cells, as the columns are named (for finding a column's cell)."""
        return tuple(cell.strip() for cell in next(csv.reader(io.StringIO(self.text), delimiter=self.delimiter), []))

    def line_of(self, row: int) -> int:
        """The line of the file a data row (counted from 0, blank rows skipped) starts on."""
        rows = self.rows()
        return rows[row][0] if 0 <= row < len(rows) else 0

    def first(self, locator: Locator) -> tuple[int, str | None]:
        """The line of the first row with a sample's values, and its case reference."""
        indexes, values = locator
        for line, cells in self.rows():
            if tuple(cells[i] for i in indexes) == values:
                return line, self._case(cells)
        return 0, None

    def _case(self, cells: list[str]) -> str | None:
        return cells[self.case_index] if self.case_index is not None and cells[self.case_index] else None


def read_columns(text: str, source: str, plan: LevelPlan, allow_empty: bool = False) -> CsvRecords:
    with paused_gc():
        return _read_columns(text, source, plan, allow_empty)


def separator(text: str) -> str:
    """',' or, for a file whose header has semicolons and no commas (as Excel writes CSV
    where the comma is the decimal mark), ';'."""
    first = text[: text.find("\n")] if "\n" in text else text
    return ";" if ";" in first and "," not in first else ","


def _read_columns(text: str, source: str, plan: LevelPlan, allow_empty: bool = False) -> CsvRecords:
    delimiter = separator(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [cell.strip() for cell in next(reader, [])]
        if not header:
            raise InputError([InputProblem(source, "", "a header row naming the columns (unit, case, …)", "an empty file",
                                           code="I005", where=Where(source, line=1),
                                           help="export the records again, or give --allow-empty if none is expected")])
        roles = _roles(header, source, plan, delimiter)
        rows = list(filter(None, reader))  # an empty line reads as []
    except csv.Error as error:  # a cell beyond the csv module's size limit, a NUL byte
        raise InputError([InputProblem(f"{source} line {reader.line_num}", "",
                                       f"CSV cells of at most {csv.field_size_limit():,} characters, without NUL bytes",
                                       str(error), code="I001", where=Where(source, line=reader.line_num))]) from None
    width = len(header)
    if rows and (len(widths := set(map(len, rows))) > 1 or widths != {width}):
        rows = [row for row in rows if any(row)]  # a line of commas only is empty too
        if len(widths := set(map(len, rows))) > 1 or widths != {width}:
            first = next(i for i, row in enumerate(rows) if len(row) != width)
            records = CsvRecords([], [], [], source, text, delimiter=delimiter)
            line = records.line_of(first)
            raise InputError([InputProblem(f"{source} line {line}", "",
                                           f"{width} cells, as in the header", f"{len(rows[first])}",
                                           code="I004", where=Where(source, line=line, delimiter=delimiter))])
    if not allow_empty:
        _check_not_empty(source, header, roles, rows, delimiter)
    unit_index = roles["unit"][0][1]
    columns: list[tuple[str, ...]] = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    if "" in columns[unit_index]:
        rows = [row for row in rows if any(row)]  # a line of commas only is empty too
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    unit_column = columns[unit_index]
    if "" in unit_column:
        first = unit_column.index("")
        records = CsvRecords([], [], [], source, text, delimiter=delimiter)
        line = records.line_of(first)
        raise InputError([InputProblem(f"{source} line {line}", "column 'unit'", "the unit's name", "an empty cell",
                                       code="I004", where=Where(source, line=line, cell=unit_index, delimiter=delimiter))])

    # Runs of rows of one unit: (name, start, end). A unit may come back in a later run.
    runs: list[tuple[str, int, int]] = []
    start = 0
    for name, group in itertools.groupby(unit_column):
        length = len(list(group))
        runs.append((name, start, start + length))
        start += length
    order: dict[str, int] = {}
    for name, _, _ in runs:
        order.setdefault(name, len(order))
    tallies = [CaseTallies(0) for _ in order]

    attribute_columns = [(name, columns[i]) for name, i in roles["attribute"]]
    answer_columns = [("questions", name, i) for name, i in roles["question"]]
    answer_columns += [("prompts", name, i) for name, i in roles["prompt"]]
    # Columns with a value other than yes, no, n/a or empty, which the schema will reject.
    irregular: set[int] = set()
    # Answer columns with cells such as 'Yes' or ' no ', rewritten as the answer words when
    # first met: a column of exact words (the usual export) is only counted, the fast path.
    normalised: set[int] = set()
    for name, begin, end in runs:
        tally = tallies[order[name]]
        cases = end - begin
        tally.cases += cases
        for attribute, column in attribute_columns:
            tally.attributes.setdefault(attribute, set()).update(column[begin:end])
        for section, key, i in answer_columns:
            counter = tally.questions if section == "questions" else tally.prompts
            found = _count_answers(columns[i][begin:end])
            if sum(found.values()) < cases and i not in normalised:
                columns[i] = tuple(answer_word(cell) for cell in columns[i])
                normalised.add(i)
                found = _count_answers(columns[i][begin:end])
            for word in ANSWER_WORDS:
                if found[word]:
                    counter[(key, word)] += found[word]
            if sum(found.values()) < cases:
                irregular.add(i)

    samples = _samples(plan, roles, columns, unit_column, order, tallies, irregular)
    case_index = roles["case"][0][1] if roles["case"] else None
    if case_index is not None:
        case_column = columns[case_index]
        for name, begin, end in runs:
            tallies[order[name]].references.extend(
                (reference, row) for reference, row in zip(case_column[begin:end], range(begin, end), strict=True)
                if reference
            )
    named = {name: i for role in ("unit", "attribute") for name, i in roles[role]}
    records = CsvRecords(list(order), tallies, samples, source, text, case_index, named, delimiter, frozenset(normalised))
    for tally in tallies:
        tally.records = records
    return records


def answer_word(cell: str) -> str:
    """' Yes ' → 'yes', 'N/A' → 'n/a': the answer words whatever their case and spacing;
    any other cell as it is, for the schema to refuse by what was written."""
    word = cell.strip().lower()
    return word if word in ANSWER_WORDS else cell


def _count_answers(part: tuple[str, ...]) -> dict[str, int]:
    """How many cells of a run are each answer word, and how many are empty."""
    return {word: part.count(word) for word in ("", *ANSWER_WORDS)}


def _check_not_empty(source: str, header: list[str], roles: dict[str, list[tuple[str, int]]], rows: list[list[str]],
                     delimiter: str) -> None:
    """An export with no case records, or no answers in them, is refused: otherwise CI
    would pass on an empty export. `--allow-empty` says an empty one is expected."""
    if not any(any(row) for row in rows):
        raise InputError([InputProblem(
            f"{source} line 1", "", "at least one case record below the header (or --allow-empty, if none is expected)",
            "only the header", code="I005", where=Where(source, line=1, delimiter=delimiter),
            help="export the records again, or give --allow-empty if an empty export is expected",
        )])
    if not roles["question"] and not roles["prompt"]:
        raise InputError([InputProblem(
            f"{source} line 1", "header",
            "a column for at least one key question or prompt (or --allow-empty, if no answers are expected)",
            ", ".join(header), code="I005", where=Where(source, line=1, delimiter=delimiter),
            help="export the answers too, or give --allow-empty if an export without answers is expected",
        )])


def _roles(header: list[str], source: str, plan: LevelPlan, delimiter: str = ",") -> dict[str, list[tuple[str, int]]]:
    roles: dict[str, list[tuple[str, int]]] = {"unit": [], "case": [], "attribute": [], "question": [], "prompt": []}
    problems: list[InputProblem] = []
    seen: dict[str, str] = {}
    for index, name in enumerate(header):
        if name in ("unit", "case"):
            role = name
        elif name in plan.attributes:
            role = "attribute"
        elif name in plan.question_keys:
            role = "question"
        elif name in plan.prompt_keys:
            role = "prompt"
        else:
            from precepts.compiler.names import did_you_mean

            hint = did_you_mean(name, [*plan.attributes, *plan.question_keys, *plan.prompt_keys])
            problems.append(InputProblem(
                f"{source} line 1", f"column {name!r}",  # repr: a stray control character shows
                f"unit, case, a case attribute ({', '.join(plan.attributes) or 'none defined'}) or a key question "
                f"or prompt at level {plan.level}",
                repr(name) + (f" ({hint})" if hint else ""),
                code="I004", where=Where(source, line=1, cell=index, delimiter=delimiter),
            ))
            continue
        # One column per element, whichever name it goes by.
        if role == "question":
            element = plan.question_keys[name].question.id
        elif role == "prompt":
            element = plan.prompt_keys[name].prompt.id
        else:
            element = name
        if element in seen:
            problems.append(InputProblem(f"{source} line 1", f"column {index + 1} '{name}'",
                                         "each column once, under one name", f"a second column for '{seen[element]}'",
                                         code="I004", where=Where(source, line=1, cell=index, delimiter=delimiter)))
            continue
        seen[element] = name
        roles[role].append((name, index))
    if not roles["unit"]:
        problems.append(InputProblem(f"{source} line 1", "header", "a 'unit' column", ", ".join(header),
                                     code="I004", where=Where(source, line=1, delimiter=delimiter)))
    if problems:
        raise InputError(problems)
    return roles


def _samples(plan: LevelPlan, roles: dict[str, list[tuple[str, int]]], columns: list[tuple[str, ...]],
             unit_column: tuple[str, ...], order: dict[str, int], tallies: list[CaseTallies],
             irregular: set[int]) -> list[tuple[int, Locator, dict[str, Any]]]:
    """Every distinct (attributes, one answer) combination, as a case record to validate.

    The distinct values of a column are known from the counts already made (yes, no,
    n/a), unless the column is `irregular`; only then is it scanned for them."""
    from precepts.compiler.conditions import attributes_used

    unit_index = roles["unit"][0][1]
    samples: list[tuple[int, Locator, dict[str, Any]]] = []
    for attribute, i in roles["attribute"]:
        values = set().union(*(t.attributes.get(attribute, set()) for t in tallies)) - {""}
        for value in sorted(values):
            row = columns[i].index(value)
            samples.append((order[unit_column[row]], ((i,), (value,)), {"attributes": {attribute: value}}))
    keys: dict[str, Mapping[str, QuestionPlan | PromptPlan]] = {
        "question": plan.question_keys, "prompt": plan.prompt_keys,
    }
    for role, section in (("question", "questions"), ("prompt", "prompts")):
        for key, i in roles[role]:
            column = columns[i]
            condition = keys[role][key].condition
            if condition is None:
                if i in irregular:
                    values = set(column) - {""}
                else:
                    counters = [t.questions if section == "questions" else t.prompts for t in tallies]
                    values = {word for word in ANSWER_WORDS if any(c.get((key, word)) for c in counters)}
                for value in sorted(values):
                    row = column.index(value)
                    samples.append((order[unit_column[row]], ((i,), (value,)), {section: {key: value}}))
                continue
            # Whether the answer may be n/a depends on the case's attributes: each
            # combination of the unit, those attributes and the answer is a sample.
            needed = attributes_used(condition)
            given = [(name, j) for name, j in roles["attribute"] if name in needed]
            indexes = (unit_index, *(j for _, j in given), i)
            for combination in sorted(set(zip(unit_column, *(columns[j] for _, j in given), column, strict=True))):
                unit, *values_given, answer = combination
                if answer == "":
                    continue
                attributes = {name: value for (name, _), value in zip(given, values_given, strict=True) if value != ""}
                locator = (indexes, tuple(combination))
                samples.append((order[unit], locator, {"attributes": attributes, section: {key: answer}}))
                if set(attributes) != needed:
                    tallies[order[unit]].unsettled.append((attributes, section, key, answer, locator))
    return samples
