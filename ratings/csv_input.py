"""CSV case records, read column by column.

One row per case: a `unit` column, an optional `case` column, then one column per case
attribute, key question and prompt (named by number or id). Cells hold yes, no or n/a;
an empty cell is not answered.

A CSV file can hold a million records, so it is neither held nor turned into one
dictionary per record. It is read a block of rows at a time (about 8,192 cells); each
block's rows are transposed into columns, and each unit's answers are counted with
`tuple.count` on the slice of its run of rows. The JSON Schema is applied, with
jsonschema-rs, to every *distinct* combination of a case's attributes and one of its
answers. That is the same check as validating every record: the schema's case-record
rules are each about one field, given the case's attributes (see schema.py). Only when
something is wrong is the file read again to find the first line that shows it.
"""

from __future__ import annotations

import csv
import io
import itertools
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
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
    unit: str = ""
    # The hash of each case reference given (8 bytes a record, where the references
    # themselves would take about 150): enough to see that no two records share one, the
    # usual case. Only when two hashes meet are the references read again (`references`).
    reference_hashes: array[int] = field(default_factory=lambda: array("q"))

    def references(self) -> list[tuple[str, int]]:
        """(case reference, data row) of each record of the unit that gives one, read
        again from the file: for messages only."""
        records = self.records
        if records is None or records.case_index is None:
            return []
        unit_index, case_index = records.columns["unit"], records.case_index
        return [(cells[case_index], row) for row, (_, cells) in enumerate(records.rows())
                if cells[unit_index] == self.unit and cells[case_index]]


# Where a sample comes from: the column indexes it combines and the values it has there;
# the first row with those values is looked up only if a message needs it.
Locator = tuple[tuple[int, ...], tuple[str, ...]]


@dataclass
class CsvRecords:
    units: list[str]  # unit names, in order of first appearance
    tallies: list[CaseTallies]
    samples: list[tuple[int, Locator, dict[str, Any]]]  # (unit index, where, distinct case record)
    source: str
    load_text: Callable[[], str]  # the file's text, read again only when a message needs a line
    case_index: int | None = None  # the 'case' column
    columns: dict[str, int] = field(default_factory=dict)  # the unit and attribute columns by name
    delimiter: str = ","
    normalised: frozenset[int] = frozenset()  # answer columns whose cells were trimmed and lower-cased
    _rows: list[tuple[int, list[str]]] | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        return self.load_text()

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
    """CSV case records held in memory as one text."""
    return read_lines(text_lines(text), lambda: text, source, plan, allow_empty)


def read_lines(lines: Iterator[str], load_text: Callable[[], str], source: str, plan: LevelPlan,
               allow_empty: bool = False) -> CsvRecords:
    """CSV case records as they are read, line by line: memory holds one block of rows
    at a time, not the file. `load_text` gives the whole text again, for messages."""
    with paused_gc():
        return _read_columns(lines, load_text, source, plan, allow_empty)


def text_lines(text: str) -> Iterator[str]:
    """The lines of a text, each with its line break, split after line feeds only (as
    `open_lines` reads a file; carriage returns are left to the csv module)."""
    buffer = io.StringIO(text)
    return itertools.chain.from_iterable(iter(lambda: buffer.readlines(LINES_READ), []))


LINES_READ = 1 << 16  # characters of lines read at once
BLOCK_CELLS = 8192  # cells counted at once: rows of a block stay in the processor's cache
BLOCK_ROWS_AT_LEAST = 64


def separator(text: str) -> str:
    """',' or, for a file whose header has semicolons and no commas (as Excel writes CSV
    where the comma is the decimal mark), ';'."""
    first = text[: text.find("\n")] if "\n" in text else text
    return ";" if ";" in first and "," not in first else ","


@dataclass
class _Layout:
    """The first rows that break the layout, found while the file is read on to its end (a
    malformed cell further on is reported first, as when the whole file was read at once)."""

    wrong_width: tuple[int, int] | None = None  # (data row, cells)
    unnamed: int | None = None  # data row without a unit
    has_records: bool = False


def _read_columns(lines: Iterator[str], load_text: Callable[[], str], source: str, plan: LevelPlan,
                  allow_empty: bool = False) -> CsvRecords:
    lines = iter(lines)
    first_line = next(lines, "")
    delimiter = separator(first_line)
    reader = csv.reader(itertools.chain((first_line,), lines), delimiter=delimiter)
    try:
        header = [cell.strip() for cell in next(reader, [])]
        if not header:
            raise InputError([InputProblem(source, "", "a header row naming the columns (unit, case, …)", "an empty file",
                                           code="I005", where=Where(source, line=1),
                                           help="export the records again, or give --allow-empty if none is expected")])
        roles = _roles(header, source, plan, delimiter)
        counting = _Counting(plan, roles, len(header))
        layout = _Layout()
        width = len(header)
        unit_index = roles["unit"][0][1]
        block_rows = max(BLOCK_ROWS_AT_LEAST, BLOCK_CELLS // width)
        row = 0  # data rows before this block, blank rows skipped
        while chunk := list(itertools.islice(reader, block_rows)):
            if layout.wrong_width is not None:
                continue  # read on only for a malformed cell
            block = list(filter(any, chunk))  # an empty line reads as [], a line of commas only is empty too
            if not block:
                continue
            layout.has_records = True
            if len(widths := set(map(len, block))) > 1 or widths != {width}:
                first = next(i for i, cells in enumerate(block) if len(cells) != width)
                layout.wrong_width = (row + first, len(block[first]))
                continue
            columns = list(zip(*block, strict=True))
            if layout.unnamed is None and "" in columns[unit_index]:
                layout.unnamed = row + columns[unit_index].index("")
            if layout.unnamed is None:
                counting.block(columns)
            row += len(block)
    except csv.Error as error:  # a cell beyond the csv module's size limit, a NUL byte
        raise InputError([InputProblem(f"{source} line {reader.line_num}", "",
                                       f"CSV cells of at most {csv.field_size_limit():,} characters, without NUL bytes",
                                       str(error), code="I001", where=Where(source, line=reader.line_num))]) from None
    if layout.wrong_width is not None:
        at, cells = layout.wrong_width
        line = CsvRecords([], [], [], source, load_text, delimiter=delimiter).line_of(at)
        raise InputError([InputProblem(f"{source} line {line}", "",
                                       f"{width} cells, as in the header", f"{cells}",
                                       code="I004", where=Where(source, line=line, delimiter=delimiter))])
    if not allow_empty:
        _check_not_empty(source, header, roles, layout.has_records, delimiter)
    if layout.unnamed is not None:
        line = CsvRecords([], [], [], source, load_text, delimiter=delimiter).line_of(layout.unnamed)
        raise InputError([InputProblem(f"{source} line {line}", "column 'unit'", "the unit's name", "an empty cell",
                                       code="I004", where=Where(source, line=line, cell=unit_index, delimiter=delimiter))])

    samples = counting.samples()
    case_index = roles["case"][0][1] if roles["case"] else None
    named = {name: i for role in ("unit", "attribute") for name, i in roles[role]}
    records = CsvRecords(list(counting.order), counting.tallies, samples, source, load_text, case_index, named, delimiter,
                         frozenset(counting.normalised))
    for tally in counting.tallies:
        tally.records = records
    return records


class _Counting:
    """Case records counted block by block: per unit, the answers of each column (with
    `tuple.count` on the slice of a run of the unit's rows), the attribute values, the
    hashes of the case references; and across units what `samples` needs: the distinct
    values of each column, with the unit of the first row that has each, and for answers
    whose applicability depends on case attributes, each distinct combination of the
    unit, those attributes and the answer."""

    def __init__(self, plan: LevelPlan, roles: dict[str, list[tuple[str, int]]], width: int) -> None:
        from precepts.compiler.conditions import attributes_used

        self.plan = plan
        self.roles = roles
        self.unit_index = roles["unit"][0][1]
        self.case_index = roles["case"][0][1] if roles["case"] else None
        self.order: dict[str, int] = {}  # unit name → index, in order of first appearance
        self.tallies: list[CaseTallies] = []
        self.attribute_columns = roles["attribute"]
        self.answer_columns = [("questions", name, i) for name, i in roles["question"]]
        self.answer_columns += [("prompts", name, i) for name, i in roles["prompt"]]
        # Answer columns with cells such as 'Yes' or ' no ', rewritten as the answer words
        # from the run where first met (the rows before it hold only the words, which the
        # rewriting keeps): a column of exact words (the usual export) is only counted.
        self.normalised: set[int] = set()
        keys: dict[str, Mapping[str, QuestionPlan | PromptPlan]] = {
            "questions": plan.question_keys, "prompts": plan.prompt_keys,
        }
        # Conditional answer columns: (column, the attribute columns its condition needs).
        self.conditional: dict[int, tuple[int, ...]] = {}
        for section, key, i in self.answer_columns:
            condition = keys[section][key].condition
            if condition is not None:
                needed = attributes_used(condition)
                self.conditional[i] = tuple(j for name, j in roles["attribute"] if name in needed)
        self.first_unit: dict[int, dict[str, int]] = {i: {} for i in range(width)}  # column → value → unit
        self.combinations: dict[int, set[tuple[str, ...]]] = {i: set() for i in self.conditional}

    def block(self, columns: list[tuple[str, ...]]) -> None:
        unit_column = columns[self.unit_index]
        order, tallies = self.order, self.tallies
        runs: list[tuple[CaseTallies, int, int]] = []  # a unit's rows in the block: begin, end
        start = 0
        for name, group in itertools.groupby(unit_column):
            length = sum(1 for _ in group)
            if name not in order:
                order[name] = len(order)
                tallies.append(CaseTallies(0, unit=name))
            runs.append((tallies[order[name]], start, start + length))
            start += length
        for tally, begin, end in runs:
            tally.cases += end - begin
        for attribute, i in self.attribute_columns:
            column = columns[i]
            for tally, begin, end in runs:
                tally.attributes.setdefault(attribute, set()).update(column[begin:end])
            self._first_units(i, set(column) - {""}, column, unit_column)
        for i in self.normalised:
            columns[i] = tuple(answer_word(cell) for cell in columns[i])
        for section, key, i in self.answer_columns:
            irregular = False
            seen: set[str] = set()
            for tally, begin, end in runs:
                counter = tally.questions if section == "questions" else tally.prompts
                cases = end - begin
                found = _count_answers(columns[i][begin:end])
                if sum(found.values()) < cases and i not in self.normalised:
                    columns[i] = tuple(answer_word(cell) for cell in columns[i])
                    self.normalised.add(i)
                    found = _count_answers(columns[i][begin:end])
                for word in ANSWER_WORDS:
                    if found[word]:
                        counter[(key, word)] += found[word]
                        seen.add(word)
                if sum(found.values()) < cases:
                    irregular = True
            column = columns[i]
            if i in self.conditional:
                self.combinations[i].update(zip(unit_column, *(columns[j] for j in self.conditional[i]), column, strict=True))
            else:
                self._first_units(i, set(column) - {""} if irregular else seen, column, unit_column)
        if self.case_index is not None:
            references = columns[self.case_index]
            for tally, begin, end in runs:
                tally.reference_hashes.extend(map(hash, filter(None, references[begin:end])))

    def _first_units(self, i: int, values: set[str], column: tuple[str, ...], unit_column: tuple[str, ...]) -> None:
        known = self.first_unit[i]
        for value in values - known.keys():
            known[value] = self.order[unit_column[column.index(value)]]

    def samples(self) -> list[tuple[int, Locator, dict[str, Any]]]:
        """Every distinct (attributes, one answer) combination, as a case record to validate."""
        from precepts.compiler.conditions import attributes_used

        roles, tallies = self.roles, self.tallies
        samples: list[tuple[int, Locator, dict[str, Any]]] = []
        for attribute, i in roles["attribute"]:
            for value, unit in sorted(self.first_unit[i].items()):
                samples.append((unit, ((i,), (value,)), {"attributes": {attribute: value}}))
        names = {j: name for name, j in roles["attribute"]}
        for role, section in (("question", "questions"), ("prompt", "prompts")):
            for key, i in roles[role]:
                if i not in self.conditional:
                    for value, unit in sorted(self.first_unit[i].items()):
                        samples.append((unit, ((i,), (value,)), {section: {key: value}}))
                    continue
                # Whether the answer may be n/a depends on the case's attributes: each
                # combination of the unit, those attributes and the answer is a sample.
                given = self.conditional[i]
                plan_keys: Mapping[str, QuestionPlan | PromptPlan] = (
                    self.plan.question_keys if role == "question" else self.plan.prompt_keys)
                needed = attributes_used(plan_keys[key].condition)
                indexes = (self.unit_index, *given, i)
                for combination in sorted(self.combinations[i]):
                    unit_name, *values_given, answer = combination
                    if answer == "":
                        continue
                    attributes = {names[j]: value for j, value in zip(given, values_given, strict=True) if value != ""}
                    locator = (indexes, tuple(combination))
                    samples.append((self.order[unit_name], locator, {"attributes": attributes, section: {key: answer}}))
                    if set(attributes) != needed:
                        tallies[self.order[unit_name]].unsettled.append((attributes, section, key, answer, locator))
        return samples


def answer_word(cell: str) -> str:
    """' Yes ' → 'yes', 'N/A' → 'n/a': the answer words whatever their case and spacing;
    any other cell as it is, for the schema to refuse by what was written."""
    word = cell.strip().lower()
    return word if word in ANSWER_WORDS else cell


def _count_answers(part: tuple[str, ...]) -> dict[str, int]:
    """How many cells of a run are each answer word, and how many are empty. Each is
    counted only while the ones before leave cells over: a key question's column of yes
    and no is gone through twice, not four times."""
    found = dict.fromkeys((*ANSWER_WORDS, ""), 0)
    left = len(part)
    for word in found:
        if left:
            found[word] = part.count(word)
            left -= found[word]
    return found


def _check_not_empty(source: str, header: list[str], roles: dict[str, list[tuple[str, int]]], has_records: bool,
                     delimiter: str) -> None:
    """An export with no case records, or no answers in them, is refused: otherwise CI
    would pass on an empty export. `--allow-empty` says an empty one is expected."""
    if not has_records:
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
