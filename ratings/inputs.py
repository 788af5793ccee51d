"""The evidence for one inspected unit, as the engine sees it, and input problems.

Whatever the input format (JSON case records, JSON aggregates, CSV), it is read into
one `UnitInput` per unit: per key question either the tally of case judgements, the
counts of sufficient and inspected cases, or a published percentage; the judged ratings
of judged standards and judgements; standards the input marks not rated (NR); and any
published composite total.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction

NOT_RATED_WORDS = ("not-rated", "NR")  # how an input marks a standard not rated

# The most cases one key question of one unit can count. England and Wales supervise
# about 240,000 people on probation in all, so a larger count is a slip (a total pasted
# for a count, a spreadsheet's serial number) and is refused rather than rated. It also
# keeps counts within a double's exact integers, as spreadsheets and JavaScript write them.
MOST_CASES = 1_000_000


def whole(count: int | float) -> int:
    """A count the schema has accepted (JSON Schema counts 5.0 as an integer, and pandas,
    Excel and JavaScript write counts so) as a Python int."""
    return count if isinstance(count, int) else int(count)


@dataclass(frozen=True, slots=True)
class Evidence:
    """The result of one key question for one unit."""

    kind: str  # "cases" (from case records) | "counts" | "percentage"
    sufficient: int | None
    inspected: int | None  # cases judged yes or no
    not_applicable: int
    percentage: Fraction


@dataclass(frozen=True, slots=True)
class Tally:
    yes: int
    no: int
    not_applicable: int


@dataclass(frozen=True, slots=True)
class Given:
    """A rating the input gives: a judged grade, or not rated (grade None) and why."""

    grade: str | None
    reason: str | None = None


@dataclass(frozen=True)
class UnitInput:
    unit: str
    attributes: dict[str, str]
    cases: int
    questions: dict[str, Evidence]  # by key question id
    prompts: dict[str, Tally]  # by prompt id
    standards: dict[str, Given]  # by standard id
    judgements: dict[str, Given]  # by judgement id
    totals: dict[str, Fraction]  # published composite totals, by composite id


@dataclass(frozen=True, slots=True, order=True)
class Where:
    """Where in which input file a problem stands: a JSON path, or a line (and for CSV
    the cell, counted from 0, or for text the column). Turned into a `Span` by
    ratings/findings.py, which reads the file's text only when something is reported."""

    file: str
    path: tuple[str | int, ...] = ()
    line: int = 0  # 0: give the path
    column: int = 0
    cell: int | None = None
    delimiter: str = ","


@dataclass(frozen=True, slots=True, order=True)
class InputProblem:
    """Bad input: which record, which field, what was expected, and what was found, with
    its diagnostic code (precepts.core.codes, the I family) and where it stands."""

    record: str
    field: str
    expected: str
    found: str | None = None
    code: str = "I003"  # inconsistent-rating-input unless said otherwise
    where: Where | None = dataclasses.field(default=None, compare=False)
    help: str | None = dataclasses.field(default=None, compare=False)

    def __str__(self) -> str:
        found = f"; found {self.found}" if self.found is not None else ""
        where = f"{self.record}, {self.field}" if self.field else self.record
        return f"{where}: expected {self.expected}{found}"


class InputError(Exception):
    def __init__(self, problems: list[InputProblem] | tuple[InputProblem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
