"""Placing a percentage in bands, over many bandings: the fast integer path, the exact path
and a direct computation written here must agree.

The bandings vary as frameworks may write them (ratings/banding.py): contiguous whole
percentages ("below 50%", "50% to 64%", "65% and above"), gapped, overlapping (which the
language lets a framework write, and B-codes report), bands starting at a half ("up to
49%", "49.5% to 64%"), bands whose grade does not rise with the percentage, single-value bands ("100%"),
in any order; the rounding is stated, open or not stated.
A value is settled only if every allowed reading of the rounding rule puts it in one band;
otherwise the grades it may get run from the lowest to the highest any reading gives,
with the nearest band on each side counting for a reading that falls in a gap.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from precepts.compiler.model import Band
from precepts.core.diagnostics import Span
from precepts.ratings.banding import Bander, cases_to_fall, cases_to_reach, place
from precepts.ratings.verdicts import Grades

GRADES = Grades("g", ("g0", "g1", "g2", "g3"), ("Zero", "One", "Two", "Three"))
SPAN = Span("bands.precepts", 1, 1, 1, 2)
ROUNDINGS = [None, "open", "none", "half-up", "half-even", "down"]
STATED = {"none", "half-up", "half-even", "down"}


def band(low: int | Decimal | None, high: int | Decimal | None, inclusive: bool, grade: str) -> Band:
    return Band(None, None, None if low is None else Decimal(low), None if high is None else Decimal(high),
                inclusive, True, grade, SPAN)


@st.composite
def bandings(draw: st.DrawFn, rising: bool | None = None) -> tuple[Band, ...]:
    """Whole-percentage bands: cut points, then each band's end moved to make gaps and
    overlaps, and grades in rising order or not. An inclusive end may be a half
    ("50% to 64.5%"), which the fast path cannot hold in whole numbers."""
    cuts = sorted(draw(st.sets(st.integers(1, 99), min_size=1, max_size=3)))
    rising = draw(st.booleans()) if rising is None else rising
    lowest = draw(st.integers(0, len(GRADES.ids) - len(cuts) - 1))  # a banding need not use the lowest grade
    grades = [GRADES.ids[lowest + i] for i in range(len(cuts) + 1)] if rising else draw(
        st.lists(st.sampled_from(GRADES.ids), min_size=len(cuts) + 1, max_size=len(cuts) + 1))
    shape = draw(st.sampled_from(["contiguous", "gapped", "overlapping", "exclusive", "halves"]))
    bands = []
    starts = [None, *cuts]
    ends = [*cuts, None]
    for index, (low, high) in enumerate(zip(starts, ends, strict=True)):
        grade = grades[index]
        if shape == "halves":
            # "up to 49%", "49.5% to 64%", "64.5% and above": every band that has a low
            # starts half a point below its cut, after a whole end (a half-point gap).
            bands.append(band(None if low is None else low - Decimal("0.5"), None if high is None else high - 1, True, grade))
        elif high is None:
            bands.append(band(low, None, False, grade))
        elif low is None:
            gap = draw(st.integers(0, 2)) if shape == "gapped" else 0
            bands.append(band(None, high - gap, False, grade))  # "below 50%"
        elif shape == "exclusive":
            bands.append(band(low, high, False, grade))  # contiguous over every value
        else:
            end = high - 1  # "50% to 64%": inclusive, as published
            if shape == "gapped":
                end -= draw(st.integers(0, 2))
            elif shape == "overlapping":
                end += draw(st.integers(0, 2))
            half = Decimal("0.5") if draw(st.booleans()) else Decimal(0)
            bands.append(band(low, max(low, end) + half, True, grade))
    if draw(st.booleans()):
        top = GRADES.ids[-1] if rising else draw(st.sampled_from(GRADES.ids))
        bands.append(band(100, 100, True, top))  # a band of exactly 100%
    # A framework may write its bands in any order (Outstanding first, say).
    return tuple(draw(st.permutations(bands)))


def rounded(value: Fraction, reading: str) -> Fraction:
    """The rounding readings, computed independently of the engine."""
    if reading == "none" or value.denominator == 1:
        return value
    if reading == "down":
        return Fraction(math.floor(value))
    if reading == "up":
        return Fraction(math.ceil(value))
    if reading == "half-up":
        return Fraction(math.floor(value + Fraction(1, 2)))
    return Fraction(round(value))  # Python rounds a Fraction half to even


def inside(b: Band, value: Fraction) -> bool:
    if b.low is not None and value < Fraction(b.low):
        return False
    if b.high is None:
        return True
    return value <= Fraction(b.high) if b.high_inclusive else value < Fraction(b.high)


def expected(value: Fraction, bands: tuple[Band, ...], rounding: str | None) -> tuple[bool, tuple[str, ...]]:
    """(settled, possible grades) by the rule in the module docstring."""
    readings = [rounding] if rounding in STATED else ["none", "half-up", "half-even", "down", "up"]
    outcomes = []
    grades: set[str] = set()
    for reading in readings:
        at = rounded(value, reading)
        matched = tuple(b for b in bands if inside(b, at))
        outcomes.append(matched)
        if matched:
            grades.update(b.grade for b in matched)
        else:
            below = [b for b in bands if b.high is not None and Fraction(b.high) <= at]
            above = [b for b in bands if b.low is not None and Fraction(b.low) >= at]
            if below:
                grades.add(max(below, key=lambda b: Fraction(b.high)).grade)  # type: ignore[arg-type]
            if above:
                grades.add(min(above, key=lambda b: Fraction(b.low)).grade)  # type: ignore[arg-type]
    settled = len(set(outcomes)) == 1 and len(outcomes[0]) == 1
    ranks = [GRADES.rank(g) for g in grades]
    return settled, GRADES.between(min(ranks), max(ranks))


counts = st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


def near_an_edge(bands: tuple[Band, ...]) -> st.SearchStrategy[tuple[int, int]]:
    """Counts whose percentage is within a point or two of a band's bound, where the
    readings of a rounding rule part (79.6% is 79 rounded down, 80 rounded half up)."""
    edges = sorted({int(b) for band_ in bands for b in (band_.low, band_.high) if b is not None} | {0, 100})

    def around(edge: int, inspected: int) -> st.SearchStrategy[tuple[int, int]]:
        middle = edge * inspected // 100
        return st.integers(max(0, middle - 2), min(inspected, middle + 2)).map(lambda s: (s, inspected))

    return st.tuples(st.sampled_from(edges), st.integers(1, 300)).flatmap(lambda pair: around(*pair))


@settings(max_examples=4 * settings.default.max_examples)  # many shapes of banding: more than the default
@given(st.data(), bandings(), st.sampled_from(ROUNDINGS))
def test_fast_and_exact_placing_agree_with_the_rule(data: st.DataObject, bands: tuple[Band, ...],
                                                     rounding: str | None) -> None:
    sufficient, inspected = data.draw(st.one_of(counts, near_an_edge(bands)), label="sufficient, inspected")
    value = Fraction(sufficient * 100, inspected)
    settled, possible = expected(value, bands, rounding)

    exact = place(value, bands, rounding, GRADES)
    assert exact.possible == possible
    assert (exact.band is not None) == settled
    if not settled:
        assert exact.reason

    bander = Bander(bands, rounding, GRADES)
    fast = bander.place(value)
    assert fast.possible == possible
    assert fast.grade == exact.grade
    assert fast.band == exact.band  # the band shown in the explanation, not only its grade
    assert bander.count_ranks(sufficient, inspected) == (GRADES.rank(possible[0]), GRADES.rank(possible[-1]))


@given(st.sampled_from([Fraction(129, 2), Fraction(159, 2), Fraction(131, 2), Fraction(161, 2)]))
def test_half_even_exactly_on_a_boundary_in_the_fast_path(value: Fraction) -> None:
    """64.5% and 79.5% under 'half even' round to 64 and 80; 65.5% and 80.5% to 66 and 80."""
    bands = (band(None, 50, False, "g0"), band(50, 64, True, "g1"), band(65, 79, True, "g2"), band(80, None, False, "g3"))
    bander = Bander(bands, "half-even", GRADES)
    grade = {Fraction(129, 2): "g1", Fraction(159, 2): "g3", Fraction(131, 2): "g2", Fraction(161, 2): "g3"}[value]
    assert bander.place(value).grade == grade
    assert bander.ranks(value) == (GRADES.rank(grade), GRADES.rank(grade))
    assert bander.place(value) == place(value, bands, "half-even", GRADES)
    # Half up and down read the same value otherwise: the rule stated is the rule applied.
    assert Bander(bands, "half-up", GRADES).place(Fraction(129, 2)).grade == "g2"
    assert Bander(bands, "down", GRADES).place(Fraction(159, 2)).grade == "g2"


@given(st.integers(1, 99), st.sampled_from([None, "open"]), st.integers(1, 99))
def test_a_value_the_readings_place_apart_is_unsettled_in_the_fast_path_too(cut: int, rounding: str | None,
                                                                            hundredths: int) -> None:
    """A value a fraction of a point below a cut, under a rounding rule not stated or left
    open: unrounded or rounded down it is below the cut, rounded up at it. The fast path
    must leave it unsettled, as the exact path does, not settle it on the lower grade."""
    bands = (band(None, cut, False, "g1"), band(cut, None, False, "g2"))
    value = cut - Fraction(hundredths, 100)
    bander = Bander(bands, rounding, GRADES)
    assert bander.place(value).possible == ("g1", "g2")
    assert bander.place(value) == place(value, bands, rounding, GRADES)


@given(st.integers(1, 97), st.integers(1, 2))
def test_a_value_at_the_open_end_of_a_band_before_a_gap_lies_between_that_band_and_the_next(cut: int, gap: int) -> None:
    """"below 50%" then "51% and above" (a gap a framework may waive): 50% is in neither
    band, and the band ending at it, without it, is still its neighbour below."""
    bands = (band(None, cut, False, "g0"), band(cut + gap, None, False, "g1"))
    assert Bander(bands, "none", GRADES).place(Fraction(cut)).possible == ("g0", "g1")


@given(st.integers(2, 96), st.integers(1, 3), st.integers(1, 99), st.sampled_from(["gap", "overlap", "alone"]))
def test_a_value_not_rounded_near_an_open_end_is_placed_alike_by_both_paths(cut: int, width: int, hundredths: int,
                                                                           shape: str) -> None:
    """Not rounded, a value a fraction of a point from a bound is compared with it exactly
    by the fast path too: inside a gap after "below 50%" (between both bands), inside an
    overlap of "below 50%" with "49% and above" (in both), or outside a banding of one band
    (beside it, not in it). Frameworks write these only with R003 waived."""
    fraction = Fraction(hundredths, 100)
    if shape == "gap":
        bands = (band(None, cut, False, "g0"), band(cut + width, None, False, "g1"))
        value, possible = cut + width * fraction, ("g0", "g1")
    elif shape == "overlap":
        bands = (band(None, cut, False, "g0"), band(cut - 1, None, False, "g1"))
        value, possible = cut - fraction, ("g0", "g1")
    else:
        bands = (band(cut, None, False, "g1"),)
        value, possible = cut - width * fraction, ("g1",)
    exact = place(value, bands, "none", GRADES)
    assert exact.possible == possible
    assert Bander(bands, "none", GRADES).place(value) == exact


HALF = Decimal("64.5")


@given(st.sampled_from([
    # "64.5% and above" starts half a point above 64%: 64.25% falls in the gap between bands.
    ((band(None, 50, False, "g0"), band(50, 64, True, "g1"), band(HALF, None, False, "g2")), ("g1", "g2")),
    # "50% to 64.5%" overlaps "64% and above": 64.25% is in both.
    ((band(None, Decimal("49.5"), False, "g0"), band(50, HALF, True, "g1"), band(64, None, False, "g2")), ("g1", "g2")),
    # Every bound a half: 64.25% is below "64.5% and above".
    ((band(None, Decimal("49.5"), False, "g0"), band(Decimal("49.5"), HALF, False, "g1"), band(HALF, None, False, "g2")),
     ("g1",)),
    # "up to 64%" then "64.5% and above", every low a half: 64.25% falls in the gap, not in the top band.
    ((band(None, 64, True, "g1"), band(HALF, None, False, "g2")), ("g1", "g2")),
    # Whole bounds, overlapping: 64.25% is in "50% to 65%" and in "64% and above".
    ((band(None, 50, False, "g0"), band(50, 65, True, "g1"), band(64, None, False, "g2")), ("g1", "g2")),
]))
def test_a_bound_at_a_half_percent_is_read_exactly(case: tuple[tuple[Band, ...], tuple[str, ...]]) -> None:
    """257 of 400 is 64.25%, not rounded: a bound of 64.5% is not read as 64%, and a value
    between whole bounds is compared with them exactly."""
    bands, possible = case
    value = Fraction(257 * 100, 400)
    assert expected(value, bands, "none")[1] == possible
    bander = Bander(bands, "none", GRADES)
    assert bander.place(value).possible == possible
    assert bander.count_ranks(257, 400) == (GRADES.rank(possible[0]), GRADES.rank(possible[-1]))


def rank_of(sufficient: int, inspected: int, bands: tuple[Band, ...], rounding: str | None) -> tuple[int, int]:
    _, possible = expected(Fraction(sufficient * 100, inspected), bands, rounding)
    return GRADES.rank(possible[0]), GRADES.rank(possible[-1])


@settings(max_examples=2 * settings.default.max_examples)
@given(bandings(rising=True), st.integers(1, 60).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.sampled_from(ROUNDINGS), st.integers(0, 3))
def test_cases_to_cross_a_boundary_are_the_fewest_for_any_banding(
        bands: tuple[Band, ...], pair: tuple[int, int], rounding: str | None, rank: int) -> None:
    """The fewest more (fewer) sufficient cases that surely give `rank` or better (worse).

    Only rising bandings: the search assumes that more sufficient cases never lower the
    grade, and a banding that does not rise is an error (R005)."""
    sufficient, inspected = pair
    up = cases_to_reach(sufficient, inspected, bands, rounding, GRADES, rank)
    fewest_up = next((k for k in range(1, inspected - sufficient + 1)
                      if rank_of(sufficient + k, inspected, bands, rounding)[0] >= rank), None)
    assert up == fewest_up
    down = cases_to_fall(sufficient, inspected, bands, rounding, GRADES, rank)
    fewest_down = next((k for k in range(1, sufficient + 1)
                        if rank_of(sufficient - k, inspected, bands, rounding)[1] <= rank), None)
    assert down == fewest_down


OVERLAPPING = (band(None, 50, False, "g0"), band(50, 64, True, "g1"), band(60, 79, True, "g2"), band(80, None, False, "g3"))


def test_the_reason_a_result_is_undetermined_names_the_readings_and_the_bands() -> None:
    """What a ratings panel reads: each reading of the rounding rule and where it puts the result."""
    left_open = place(Fraction(129, 2), OVERLAPPING, "open", GRADES)
    assert left_open.reason == (
        "64.5% is placed differently depending on rounding, which is left open — not rounded or rounded half up"
        " or rounded up: Two; rounded half to even or rounded down (64%): falls in '50–64%' and '60–79%'")
    assert "which is not stated — " in (place(Fraction(129, 2), OVERLAPPING, None, GRADES).reason or "")
    overlap = place(Fraction(62), OVERLAPPING, "down", GRADES)
    assert (overlap.possible, overlap.reason) == (("g1", "g2"), "62% falls in more than one band: 50–64%, 60–79%")
    published = (band(None, 50, False, "g0"), band(50, 66, True, "g1"), band(67, 79, True, "g2"), band(80, None, False, "g3"))
    assert place(Fraction(200, 3), published, "none", GRADES).reason == (
        "66.67% falls between '50–66%' (50–66%) and '67–79%' (67–79%) and the framework says results are not rounded")
    assert place(Fraction(200, 3), published, "none", GRADES).possible == ("g1", "g2")
