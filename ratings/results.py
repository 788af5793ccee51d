"""The results of rating one unit: frozen, and each rating with its explanation."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from precepts.compiler.model import Band
from precepts.ratings.verdicts import Explanation, Grades, Verdict


@dataclass(frozen=True, slots=True)
class Step:
    """How far a result is from another grade: `cases` more (or fewer) sufficient cases,
    and the grades the rating could then have (sensitivity.py works it out)."""

    grade: str  # the grade it would surely reach: at least this going up, at most going down
    cases: int
    questions: tuple[tuple[str, int], ...]  # (question number, cases) that make up the step
    possible: tuple[str, ...] = ()  # the grades it could then have, lowest first; () means (grade,)

    def ranks(self, grades: Grades) -> tuple[int, int]:
        possible = self.possible or (self.grade,)
        return grades.rank(possible[0]), grades.rank(possible[-1])


@dataclass(frozen=True, slots=True)
class PromptResult:
    id: str
    number: str
    yes: int
    no: int
    not_applicable: int


@dataclass(frozen=True, slots=True)
class QuestionResult:
    id: str
    number: str
    text: str
    evidence: str  # "cases" | "counts" | "percentage" | "none" | "not-applicable"
    sufficient: int | None
    inspected: int | None
    not_applicable: int
    percentage: Fraction | None
    band: Band | None
    verdict: Verdict
    up: Step | None  # sufficient cases needed for the next better grade
    down: Step | None  # sufficient cases fewer that would give the next worse grade
    prompts: tuple[PromptResult, ...]
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class StandardResult:
    id: str
    number: str
    heading: str
    domain: str
    method: str
    scale: str | None
    verdict: Verdict
    questions: tuple[QuestionResult, ...]
    lowest: tuple[str, ...]  # numbers of the key questions that set the rating
    up: Step | None
    down: Step | None
    hurdles: tuple[str, ...]  # hurdles that changed or may change this rating
    summary: str
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class JudgementResult:
    id: str
    name: str
    scale: str
    verdict: Verdict
    hurdles: tuple[str, ...]
    summary: str
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class CompositeResult:
    id: str
    name: str
    scale: str
    score_method: str | None
    verdict: Verdict
    total: tuple[Fraction, Fraction] | None  # lowest and highest possible total
    maximum: Fraction | None
    counted: tuple[str, ...]  # standard numbers in the composite (worked out over attribute values: in any of them)
    standards_counted: int  # how many standards one unit counts (over attribute values: the most any value counts)
    left_out: tuple[tuple[str, str], ...]  # (standard number, why)
    given_total: Fraction | None
    next_band: tuple[str, Fraction] | None  # (grade, points needed)
    band: Band | None
    hurdles: tuple[str, ...]
    notes: tuple[str, ...]
    summary: str
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class HurdleResult:
    id: str
    name: str
    fired: bool | None  # None: whether it applies is undetermined
    changes: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]  # (subject, before, after)
    summary: str
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class PanelFlag:
    """A rating the ratings panel looks at (2018/19 report, Annex A)."""

    kind: str  # "near-boundary" | "one-case"
    standard: str  # standard number
    question: str | None  # key question number
    boundary: str | None  # e.g. "65%"
    distance: Fraction | None  # percentage points from the boundary
    cases: int | None  # cases judged differently to cross it
    summary: str
    boundary_value: Fraction | None = None  # the boundary as a number: the lowest value of the band above


@dataclass(frozen=True, slots=True)
class UnitResult:
    unit: str
    level: str
    attributes: tuple[tuple[str, str], ...]
    cases: int
    standards: tuple[StandardResult, ...]
    judgements: tuple[JudgementResult, ...]
    composites: tuple[CompositeResult, ...]
    hurdles: tuple[HurdleResult, ...]
    panel_flags: tuple[PanelFlag, ...]
