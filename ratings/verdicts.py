"""What a rating is: a grade, or the grades still possible and why, with its explanation.

A rating the framework does not settle is never guessed. It is kept as the run of grades
that remain possible (lowest first) together with the reasons, so that later rules can
still settle it when every possibility leads to the same answer: a standard whose other
key question is Inadequate is Inadequate whatever an undetermined 64.5% turns out to be.
"""

from __future__ import annotations

from dataclasses import dataclass

from precepts.compiler.model import Scale

# Status of a rating. Only "rated" carries a grade; the others say why there is none.
RATED = "rated"
UNDETERMINED = "undetermined"
NOT_RATED = "not-rated"  # the framework says so at this level, or the input says NR
PERCENTAGES_ONLY = "percentages-only"
REPORTED_ELSEWHERE = "reported-elsewhere"
NOT_APPLICABLE = "not-applicable"  # the framework's applicability rules leave it out


@dataclass(frozen=True, slots=True)
class Explanation:
    """One claim and the claims it rests on: a node of an explanation tree."""

    text: str
    because: tuple[Explanation, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {"text": self.text, "because": [child.as_dict() for child in self.because]}


@dataclass(frozen=True, slots=True)
class Verdict:
    status: str
    possible: tuple[str, ...] = ()  # grade ids still possible, lowest first; one when rated
    reasons: tuple[str, ...] = ()  # why it is undetermined or carries no rating

    @property
    def grade(self) -> str | None:
        return self.possible[0] if self.status == RATED and len(self.possible) == 1 else None

    @property
    def counts(self) -> bool:
        """Whether the rating takes part in composites and counts of grades."""
        return self.status in (RATED, UNDETERMINED)


@dataclass(frozen=True, slots=True)
class Grades:
    """A scale's grades in order, lowest first, with their labels."""

    scale: str
    ids: tuple[str, ...]
    labels: tuple[str, ...]

    @classmethod
    def of(cls, scale: Scale) -> Grades:
        return cls(scale.id, tuple(g.id for g in scale.grades), tuple(g.label for g in scale.grades))

    def rank(self, grade: str) -> int:
        return self.ids.index(grade)

    def label(self, grade: str) -> str:
        return self.labels[self.ids.index(grade)] if grade in self.ids else grade

    def between(self, low: int, high: int) -> tuple[str, ...]:
        return self.ids[low : high + 1]

    def span(self, grades: tuple[str, ...] | list[str] | set[str]) -> tuple[str, ...]:
        """The run of grades from the lowest to the highest of `grades`."""
        ranks = [self.rank(g) for g in grades]
        return self.between(min(ranks), max(ranks)) if ranks else ()

    def rated(self, grade: str) -> Verdict:
        return Verdict(RATED, (grade,))

    def undetermined(self, possible: tuple[str, ...] | None, *reasons: str) -> Verdict:
        return Verdict(UNDETERMINED, self.ids if possible is None else possible, tuple(reasons))

    def verdict(self, possible: tuple[str, ...], reasons: tuple[str, ...] = ()) -> Verdict:
        """Rated when one grade is left, undetermined (with the reasons) otherwise."""
        if len(possible) == 1:
            return Verdict(RATED, possible)
        return Verdict(UNDETERMINED, possible or self.ids, reasons)

    def words(self, possible: tuple[str, ...]) -> str:
        """'Good', or 'Requires improvement or Good', or 'Inadequate to Good'."""
        if not possible:
            return "no grade"
        if len(possible) == 1:
            return self.label(possible[0])
        if len(possible) == 2:
            return f"{self.label(possible[0])} or {self.label(possible[1])}"
        return f"{self.label(possible[0])} to {self.label(possible[-1])}"
