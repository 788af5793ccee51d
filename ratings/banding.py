"""Placing a percentage or a total in a framework's bands, under its rounding rule.

Where the framework states a rounding rule, that one reading is used. Where it leaves the
rule open (or does not state it), every reasonable reading is tried — no rounding, half
up, half even, down and up — and the result stands only if they all agree. So 72.5% is
Good under any reading, while 64.5% (between the published 50–64% and 65–79%) and 79.6%
(Good if rounded down, Outstanding if rounded half up) stay undetermined.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor

from precepts.compiler.model import Band
from precepts.ratings.numbers import exact, plain, readings_for, round_whole
from precepts.ratings.verdicts import Grades

READING_WORDS = {
    "none": "not rounded",
    "half-up": "rounded half up",
    "half-even": "rounded half to even",
    "down": "rounded down",
    "up": "rounded up",
}


@dataclass(frozen=True, slots=True)
class Placement:
    value: Fraction
    band: Band | None  # the one band every reading agrees on, if any
    possible: tuple[str, ...]  # grades possible, lowest first
    reason: str | None  # why no single band, in words

    @property
    def grade(self) -> str | None:
        return self.band.grade if self.band is not None else None


@functools.lru_cache(maxsize=4096)
def bounds(band: Band) -> tuple[Fraction | None, Fraction | None, bool]:
    """A band's bounds as fractions, converted once: banding runs in the inner loops."""
    return (
        exact(band.low) if band.low is not None else None,
        exact(band.high) if band.high is not None else None,
        band.high_inclusive,
    )


def known_low(band: Band) -> Fraction:
    """The low bound of a band that has one (callers keep to bands whose `low` is set)."""
    low = bounds(band)[0]
    assert low is not None, band
    return low


def known_high(band: Band) -> Fraction:
    """The high bound of a band that has one (callers keep to bands whose `high` is set)."""
    high = bounds(band)[1]
    assert high is not None, band
    return high


def contains(band: Band, value: Fraction) -> bool:
    low, high, inclusive = bounds(band)
    if low is not None and value < low:
        return False
    if high is None:
        return True
    return value <= high if inclusive else value < high


def _bound(value: Decimal) -> str:
    """A bound as the framework wrote it, 64 or 2.75: never rounded for show, as it is the rule."""
    exponent = value.as_tuple().exponent
    return plain(value, max(1, -exponent) if isinstance(exponent, int) else 1)


def band_range(band: Band) -> str:
    """How the band is published: 'below 50%', '50–64%', '80% and above', '16–25'."""
    unit = "%" if band.percent else ""
    low = _bound(band.low) if band.low is not None else None
    high = _bound(band.high) if band.high is not None else None
    if low is None and high is None:
        return "any value"
    if low is None:
        return f"below {high}{unit}" if not band.high_inclusive else f"up to {high}{unit}"
    if high is None:
        return f"{low}{unit} and above"
    if low == high:
        return f"{low}{unit}"
    return f"{low}–{high}{unit}"


def band_words(band: Band, grades: Grades) -> str:
    """"band 65–79% 'Reasonable majority' → Good"."""
    name = f" '{band.label}'" if band.label else ""
    return f"band {band_range(band)}{name} → {grades.label(band.grade)}"


def place(value: Fraction, bands: Sequence[Band], rounding: str | None, grades: Grades, unit: str = "%",
          explain: bool = True) -> Placement:
    """The band `value` falls in, or the grades it may give and why not one (the reason
    only when `explain`: searches that try many values do not need it)."""
    readings = readings_for(rounding) if unit == "%" and value.denominator != 1 else ("none",)
    outcomes: dict[str, tuple[Band, ...]] = {}
    matched_by_value: dict[Fraction, tuple[Band, ...]] = {}
    for reading in readings:
        rounded = round_whole(value, reading)
        if rounded not in matched_by_value:
            matched_by_value[rounded] = tuple(b for b in bands if contains(b, rounded))
        outcomes[reading] = matched_by_value[rounded]
    distinct = set(outcomes.values())
    if len(distinct) == 1:
        (matched,) = distinct
        if len(matched) == 1:
            return Placement(value, matched[0], (matched[0].grade,), None)
    found: set[str] = set()
    for reading, matched in outcomes.items():
        if matched:
            found.update(b.grade for b in matched)
        else:
            found.update(b.grade for b in _neighbours(bands, round_whole(value, reading)))
    possible = grades.span(found) if found else grades.ids
    reason = _why(value, bands, outcomes, rounding, grades, unit) if explain else None
    return Placement(value, None, possible, reason)


def _neighbours(bands: Sequence[Band], value: Fraction) -> list[Band]:
    """The nearest band below and the nearest band above a value that falls in none."""
    below = [b for b in bands if b.high is not None and exact(b.high) <= value]
    above = [b for b in bands if b.low is not None and exact(b.low) >= value]
    out = []
    if below:
        out.append(max(below, key=known_high))
    if above:
        out.append(min(above, key=known_low))
    return out


def _why(value: Fraction, every_band: Sequence[Band], outcomes: dict[str, tuple[Band, ...]], rounding: str | None,
         grades: Grades, unit: str) -> str:
    """Why no single band: '64.5% is placed differently depending on rounding, …'."""
    shown = f"{plain(value, 2)}{unit}"

    def outcome_words(matched: tuple[Band, ...], rounded: Fraction) -> str:
        if not matched:
            near = _neighbours(every_band, rounded)
            return "between " + " and ".join(f"'{b.label or band_range(b)}' ({band_range(b)})" for b in near)
        if len(matched) > 1:
            return "falls in " + " and ".join(f"'{b.label or band_range(b)}'" for b in matched)
        return grades.label(matched[0].grade)

    if len(outcomes) == 1:
        ((_, matched),) = outcomes.items()
        if not matched:
            return f"{shown} falls {outcome_words(matched, value)}" + (
                " and the framework says results are not rounded" if rounding == "none" else ""
            )
        return f"{shown} falls in more than one band: " + ", ".join(band_range(b) for b in matched)
    parts = []
    grouped: dict[tuple[Band, ...], list[str]] = {}
    for reading, matched in outcomes.items():
        grouped.setdefault(matched, []).append(reading)
    for matched, readings in grouped.items():
        rounded = round_whole(value, readings[0])
        how = " or ".join(READING_WORDS[r] for r in readings)
        at = f" ({plain(rounded)}{unit})" if rounded != value else ""
        parts.append(f"{how}{at}: {outcome_words(matched, rounded)}")
    said = "is not stated" if rounding is None else "is left open"
    return f"{shown} is placed differently depending on rounding, which {said} — " + "; ".join(parts)


class Bander:
    """One banding, ready to place many results: the same percentage, and the same search
    for the cases needed to cross a boundary, are worked out once per run."""

    def __init__(self, bands: Sequence[Band], rounding: str | None, grades: Grades) -> None:
        self.bands = tuple(bands)
        self.rounding = rounding
        self.grades = grades
        self._placed: dict[Fraction, Placement] = {}
        self._ranks: dict[tuple[int, int], tuple[int, int]] = {}
        self._steps: dict[tuple[str, int, int, int], int | None] = {}

    def place(self, value: Fraction) -> Placement:
        placed = self._placed.get(value)
        if placed is None:
            placed = self._placed[value] = self._quick_place(value) or place(value, self.bands, self.rounding, self.grades)
        return placed

    def _quick_place(self, value: Fraction) -> Placement | None:
        """A settled placement found in integer arithmetic; None to take the full road."""
        ranks = self._fast_ranks(value.numerator, value.denominator)
        if ranks is None or ranks[0] != ranks[1]:
            return None
        grade = self.grades.ids[ranks[0]]
        of_grade = [b for b in self.bands if b.grade == grade]
        if len(of_grade) != 1:
            return None
        return Placement(value, of_grade[0], (grade,), None)

    def ranks(self, value: Fraction) -> tuple[int, int]:
        """The lowest and highest rank `value` may get (equal when it is settled)."""
        return self.count_ranks(value.numerator, value.denominator * 100)

    def count_ranks(self, sufficient: int, inspected: int) -> tuple[int, int]:
        """`ranks` of sufficient/inspected as a percentage, without making fractions: the
        searches for cases to cross a boundary try many counts."""
        key = (sufficient, inspected)
        found = self._ranks.get(key)
        if found is None:
            found = self._fast_ranks(sufficient * 100, inspected) or self._slow_ranks(Fraction(sufficient * 100, inspected))
            self._ranks[key] = found
        return found

    def _slow_ranks(self, value: Fraction) -> tuple[int, int]:
        placed = self._placed.get(value) or place(value, self.bands, self.rounding, self.grades, explain=False)
        return self.grades.rank(placed.possible[0]), self.grades.rank(placed.possible[-1])

    @functools.cached_property
    def _whole_bounds(self) -> list[tuple[int | None, int | None, bool, int]] | None:
        """Band bounds as integers, when they all are (as published percentages are)."""
        found = []
        for band in self.bands:
            low, high, inclusive = bounds(band)
            if (low is not None and low.denominator != 1) or (high is not None and high.denominator != 1):
                return None
            found.append((None if low is None else int(low), None if high is None else int(high), inclusive,
                          self.grades.rank(band.grade)))
        return found

    def _fast_ranks(self, numerator: int, denominator: int) -> tuple[int, int] | None:
        """`ranks` in integer arithmetic, for the searches that try many case counts; None
        when the value falls in a gap or an overlap and needs the full account."""
        table = self._whole_bounds
        if table is None:
            return None
        whole, rest = divmod(numerator, denominator)
        if rest == 0:
            candidates = {(whole, 1)}
        else:
            readings = readings_for(self.rounding)
            candidates = set()
            for reading in readings:
                if reading == "none":
                    candidates.add((numerator, denominator))
                elif reading == "down":
                    candidates.add((whole, 1))
                elif reading == "up":
                    candidates.add((whole + 1, 1))
                else:
                    twice = 2 * rest
                    up = twice > denominator or (twice == denominator and (reading == "half-up" or whole % 2 == 1))
                    candidates.add((whole + 1 if up else whole, 1))
        ranks = []
        for top, bottom in candidates:
            matched = [
                rank for low, high, inclusive, rank in table
                if (low is None or top >= low * bottom)
                and (high is None or (top <= high * bottom if inclusive else top < high * bottom))
            ]
            if len(matched) != 1:
                return None
            ranks.append(matched[0])
        return min(ranks), max(ranks)

    def cases_to_reach(self, sufficient: int, inspected: int, rank: int) -> int | None:
        """How many more sufficient cases (of the same number inspected) would surely give
        `rank` or better; None if no number of cases would."""
        key = ("up", sufficient, inspected, rank)
        if key not in self._steps:
            def reaches(k: int) -> bool:
                return self.count_ranks(sufficient + k, inspected)[0] >= rank

            low = self._reach_low.get(rank)
            guess = ceil(low * inspected / 100) - sufficient if low is not None else None
            self._steps[key] = _fewest(reaches, inspected - sufficient, guess, inspected)
        return self._steps[key]

    def cases_to_fall(self, sufficient: int, inspected: int, rank: int) -> int | None:
        """How many fewer sufficient cases would surely give `rank` or worse; None if none would."""
        key = ("down", sufficient, inspected, rank)
        if key not in self._steps:
            def falls(k: int) -> bool:
                return self.count_ranks(sufficient - k, inspected)[1] <= rank

            high = self._fall_high.get(rank)
            guess = sufficient - floor(high * inspected / 100) if high is not None else None
            self._steps[key] = _fewest(falls, sufficient, guess, inspected)
        return self._steps[key]

    @functools.cached_property
    def _reach_low(self) -> dict[int, Fraction]:
        """Rank → the lowest value of any band giving that rank or better."""
        found: dict[int, Fraction] = {}
        for rank in range(len(self.grades.ids)):
            lows = [known_low(b) for b in self.bands if b.low is not None and self.grades.rank(b.grade) >= rank]
            if lows:
                found[rank] = min(lows)
        return found

    @functools.cached_property
    def _fall_high(self) -> dict[int, Fraction]:
        """Rank → the highest value of any band giving that rank or worse."""
        found: dict[int, Fraction] = {}
        for rank in range(len(self.grades.ids)):
            highs = [known_high(b) for b in self.bands if b.high is not None and self.grades.rank(b.grade) <= rank]
            if highs:
                found[rank] = max(highs)
        return found

    @functools.cached_property
    def boundaries(self) -> list[tuple[Fraction, Band, Band]]:
        """(boundary, band below, band above): each boundary is the lowest value of the band
        above it, as published ("65-79%" starts at 65%), and the band below is the one that
        ends nearest under it. Where bands overlap (a waived R003), a band starting inside
        another is no boundary of that one ("0%" inside "below 50%"), and the band below 50%
        is "below 50%", not a "0%" band that also lies under it."""
        with_low = [b for b in self.bands if b.low is not None]
        ordered = sorted(with_low, key=known_low)
        found = []
        for band in ordered:
            low = known_low(band)
            below = [b for b in self.bands if b is not band and b.high is not None and known_high(b) <= low]
            if below:
                found.append((low, max(below, key=known_high), band))
        return found


def _fewest(holds: Callable[[int], bool], most: int, guess: int | None, inspected: int) -> int | None:
    """The least k in 1..most for which `holds(k)`. Bandings rise with the percentage, so
    `holds` (every possible grade reaches the target) turns true once and stays true: a
    binary search, first in a narrow window round the exact answer `guess` (rounding moves
    it by at most a percentage point), and checked at its answer."""
    if most < 1:
        return None
    low, high = 1, most
    if guess is not None:
        near_low = min(max(1, guess - inspected // 100 - 2), most)
        near_high = min(max(1, guess + 2), most)
        if holds(near_high) and (near_low == 1 or not holds(near_low - 1)):
            low, high = near_low, near_high
    if (low, high) == (1, most) and not holds(most):
        return None
    while low < high:
        middle = (low + high) // 2
        if holds(middle):
            high = middle
        else:
            low = middle + 1
    if low > 1 and holds(low - 1):  # a banding that does not rise: search one by one
        return next(k for k in range(1, most + 1) if holds(k))
    return low


def cases_to_reach(sufficient: int, inspected: int, bands: Sequence[Band], rounding: str | None,
                   grades: Grades, rank: int) -> int | None:
    return Bander(bands, rounding, grades).cases_to_reach(sufficient, inspected, rank)


def cases_to_fall(sufficient: int, inspected: int, bands: Sequence[Band], rounding: str | None,
                  grades: Grades, rank: int) -> int | None:
    return Bander(bands, rounding, grades).cases_to_fall(sufficient, inspected, rank)
