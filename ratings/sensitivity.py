"""What it would take to change a rating from cases: the one computation behind both the
explanation ("4 more sufficient cases in 2.4.3 would make it Outstanding", `next_grade`
and `lower_grade`) and the ratings-panel flag for one case judged differently (2018/19
report, Annex A).

Every claim is worked out the same way: change the sufficient count of one or more key
questions, band the new percentages, take the lowest banding again (2017 §4.10), and
say what the standard would then be. At small counts one case moves a percentage a long
way (0/1 → 1/1 is 0% → 100%), so the grade a change reaches is computed, never assumed
to be the next one up or down.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from precepts.ratings.banding import Bander
from precepts.ratings.results import QuestionResult, Step
from precepts.ratings.verdicts import RATED, UNDETERMINED, Grades

Ranks = tuple[int, int]  # the lowest and highest rank a rating may have (equal when settled)


def outcome_words(grades: Grades, ranks: Ranks) -> str:
    """'Outstanding', or 'undetermined (Good or Outstanding)'."""
    words = grades.words(grades.between(*ranks))
    return words if ranks[0] == ranks[1] else f"undetermined ({words})"


def step_words(step: Step, grades: Grades, more: bool) -> str:
    word = "more" if more else "fewer"
    noun = "case" if step.cases == 1 else "cases"
    where = (
        f" in {step.questions[0][0]}" if len(step.questions) == 1
        else " (" + ", ".join(f"{k} in {n}" for n, k in step.questions) + ")"
    )
    return f"{step.cases} {word} sufficient {noun}{where} would make it {outcome_words(grades, step.ranks(grades))}"


def question_steps(bander: Bander, sufficient: int, inspected: int, number: str, rank: int) -> tuple[Step | None, Step | None]:
    """The fewest sufficient cases more, and fewer, that would surely change a key
    question's grade, and the grade each would give."""
    grades = bander.grades
    up = down = None
    if rank + 1 < len(grades.ids):
        k = bander.cases_to_reach(sufficient, inspected, rank + 1)
        if k is not None:
            up = _step(grades, bander.count_ranks(sufficient + k, inspected), ((number, k),), more=True)
    if rank > 0:
        k = bander.cases_to_fall(sufficient, inspected, rank - 1)
        if k is not None:
            down = _step(grades, bander.count_ranks(sufficient - k, inspected), ((number, k),), more=False)
    return up, down


@dataclass(frozen=True)
class OneCase:
    """One case in one key question judged differently, and what the standard would be."""

    question: QuestionResult
    change: int  # +1: one more case sufficient; -1: one sufficient case insufficient
    sufficient: int  # the key question's count after the change
    after: Ranks


class StandardSensitivity:
    """A standard rated from cases, ready to answer "what would change its rating"."""

    def __init__(self, bander: Bander, questions: Sequence[QuestionResult]) -> None:
        self.bander = bander
        self.grades = bander.grades
        # Key questions without a result or not applicable take no part in the lowest banding.
        self.counted = [q for q in questions if q.verdict.status in (RATED, UNDETERMINED)]
        self.spans = [(self.grades.rank(q.verdict.possible[0]), self.grades.rank(q.verdict.possible[-1])) for q in self.counted]
        self.current = self.after({})

    def after(self, counts: Mapping[int, int]) -> Ranks:
        """The standard's ranks with some key questions' sufficient counts replaced
        (by index in `counted`): the lowest banding of the new results."""
        spans = [
            self.bander.count_ranks(counts[i], q.inspected) if i in counts and q.inspected else span
            for i, (q, span) in enumerate(zip(self.counted, self.spans, strict=True))
        ]
        if not spans:
            return (0, len(self.grades.ids) - 1)
        return min(low for low, _ in spans), min(high for _, high in spans)

    def step_up(self) -> Step | None:
        """More sufficient cases, key question by key question, that would surely raise
        the rating: every key question that may be at or below the rating is lifted to at
        least the next grade. None if one of them has no counts or cannot get there."""
        low, high = self.current
        if low != high or low + 1 >= len(self.grades.ids):
            return None
        counts: dict[int, int] = {}
        parts: list[tuple[str, int]] = []
        for index, (q, (q_low, _)) in enumerate(zip(self.counted, self.spans, strict=True)):
            if q_low > low:
                continue
            if q.sufficient is None or q.inspected is None:
                return None  # a published percentage: no count of cases would move it
            k = self.bander.cases_to_reach(q.sufficient, q.inspected, low + 1)
            if k is None:
                return None
            counts[index] = q.sufficient + k
            parts.append((q.number, k))
        return _step(self.grades, self.after(counts), tuple(parts), more=True) if parts else None

    def step_down(self) -> Step | None:
        """The fewest sufficient cases, in any one key question, that would surely lower
        the rating."""
        low, high = self.current
        if low != high or low == 0:
            return None
        options = []
        for index, q in enumerate(self.counted):
            if q.sufficient is None or q.inspected is None:
                continue
            k = self.bander.cases_to_fall(q.sufficient, q.inspected, low - 1)
            if k is not None:
                options.append((k, q.number, index))
        if not options:
            return None
        k, number, index = min(options)
        q = self.counted[index]
        assert q.sufficient is not None
        return _step(self.grades, self.after({index: q.sufficient - k}), ((number, k),), more=False)

    def one_case(self) -> list[OneCase]:
        """Each case in one key question that, judged differently, would change the
        standard's rating (Annex A: "a different judgement in one case")."""
        found = []
        for index, q in enumerate(self.counted):
            if q.sufficient is None or q.inspected is None or q.inspected == 0:
                continue
            for change in (+1, -1):
                sufficient = q.sufficient + change
                if not 0 <= sufficient <= q.inspected:
                    continue
                after = self.after({index: sufficient})
                if after != self.current:
                    found.append(OneCase(q, change, sufficient, after))
        return found


def _step(grades: Grades, after: Ranks, parts: tuple[tuple[str, int], ...], more: bool) -> Step:
    # The grade a step surely gives: at least `after`'s lowest going up, at most its highest going down.
    grade = grades.ids[after[0] if more else after[1]]
    return Step(grade, sum(k for _, k in parts), parts, grades.between(*after))
