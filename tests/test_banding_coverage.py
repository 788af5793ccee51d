"""R003 banding-incomplete over many bandings: a banding is reported exactly when some result
from 0% to 100% falls in no band or in two, worked out here directly, band by band.

The bandings are written as a framework writes them ("below 50%", "50% to 64.5%", "65% and
above", "100%"), in any order, with gaps, overlaps, bands inside others and empty ones. With
rounding stated to whole percentages only the whole results 0–100 can occur; with none, open
or no rounding every result can, so a gap as thin as one point ("below 50%" then "50.5% to …")
or an overlap of one point ("… to 50%" then "50% and above") counts (validators/rules.py,
coverage_problems; docs/checks.md, R003).
"""

from __future__ import annotations

import itertools
import tempfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from precepts.pipeline import check_path

TOP = Fraction(100)
WHOLE = ("half up to whole percent", "down to whole percent", "half even to whole percent")
CONTINUOUS = ("none", None)  # None: no rounding line (R004 is reported too, not read here)


class WrittenBand(NamedTuple):
    """One band as written: low None for "below", high None for "and above"."""

    low: Decimal | None
    high: Decimal | None
    high_inclusive: bool

    def text(self) -> str:
        if self.low is None:
            assert self.high is not None
            return f"below {self.high}%"
        if self.high is None:
            return f"{self.low}% and above"
        if self.low == self.high:
            return f"{self.low}%"
        return f"{self.low}% to {self.high}%"

    def holds(self, value: Fraction) -> bool:
        low = Fraction(self.low) if self.low is not None else Fraction(0)
        if value < low:
            return False
        if self.high is None:
            return value <= TOP
        return value <= Fraction(self.high) if self.high_inclusive else value < Fraction(self.high)


# Bounds on a grid of halves, so that bands meet, touch and miss each other often.
bounds = st.integers(0, 200).map(lambda halves: Decimal(halves) / 2)


@st.composite
def written_bands(draw: st.DrawFn) -> WrittenBand:
    shape = draw(st.sampled_from(["below", "between", "above", "exactly"]))
    if shape == "below":
        return WrittenBand(None, draw(bounds), False)
    if shape == "above":
        return WrittenBand(draw(bounds), None, True)
    if shape == "exactly":
        value = draw(bounds)
        return WrittenBand(value, value, True)
    low, high = sorted((draw(bounds), draw(bounds)))
    return WrittenBand(low, high, True)


@st.composite
def whole_tilings(draw: st.DrawFn) -> list[WrittenBand]:
    """Bands that hold every whole percentage once, as published: "below 50%", "50% to 64%",
    "65% and above"."""
    cuts = sorted(draw(st.sets(st.integers(1, 100), min_size=1, max_size=3)))
    bands = [WrittenBand(None, Decimal(cuts[0]), False)]
    bands += [WrittenBand(Decimal(low), Decimal(high - 1), True) for low, high in itertools.pairwise(cuts)]
    if cuts[-1] == 100:
        return [*bands, WrittenBand(Decimal(100), Decimal(100), True)]
    return [*bands, WrittenBand(Decimal(cuts[-1]), None, True)]


@st.composite
def continuous_tilings(draw: st.DrawFn) -> list[WrittenBand]:
    """Bands that hold every result from 0% to 100% once, fractions too. A band's lower
    bound is always in it, so only "below" can end one where the next begins."""
    cut = draw(bounds.filter(lambda bound: 0 < bound < 100))
    return draw(
        st.sampled_from(
            [
                [WrittenBand(None, cut, False), WrittenBand(cut, None, True)],
                [WrittenBand(None, cut, False), WrittenBand(cut, Decimal(100), True)],
                [WrittenBand(None, Decimal(100), False), WrittenBand(Decimal(100), Decimal(100), True)],
                [WrittenBand(Decimal(0), Decimal(100), True)],
                [WrittenBand(Decimal(0), None, True)],
            ]
        )
    )


@st.composite
def bandings(draw: st.DrawFn) -> tuple[list[WrittenBand], str | None]:
    """Bands drawn at random (mostly faulty), or a complete banding with a band more or
    fewer, in any order; and the banding's rounding, most often the one it is complete under."""
    shape = draw(st.sampled_from(["random", "whole", "continuous"]))
    if shape == "random":
        return draw(st.lists(written_bands(), min_size=1, max_size=5)), draw(st.sampled_from([*WHOLE, *CONTINUOUS]))
    bands = draw(whole_tilings() if shape == "whole" else continuous_tilings())
    change = draw(st.sampled_from(["none", "none", "fewer", "more"]))
    if change == "fewer" and len(bands) > 1:
        bands.pop(draw(st.integers(0, len(bands) - 1)))
    elif change == "more":
        bands.append(draw(written_bands()))
    likely = WHOLE if shape == "whole" else CONTINUOUS
    rounding = draw(st.sampled_from(likely if draw(st.integers(0, 3)) else [*WHOLE, *CONTINUOUS]))
    return draw(st.permutations(bands)), rounding


def framework(bands: list[WrittenBand], rounding: str | None) -> str:
    lines = [
        "framework demo",
        "level pdu: PDU inspection",
        "",
        "scale rating: Rating levels",
        '  grade poor "Poor"',
        '  grade good "Good"',
        "",
        "banding results: Results",
        "  scale: rating",
    ]
    if rounding is not None:
        lines.append(f"  rounding: {rounding}")
    lines += [f'  band b{index} "B{index}": {band.text()} gives good' for index, band in enumerate(bands)]
    return "\n".join(lines) + "\n"


def results_to_try(bands: list[WrittenBand], whole: bool) -> list[Fraction]:
    """Every whole result; or every bound and a point strictly between each two neighbouring
    bounds (within a stretch between bounds, every result lies in the same bands)."""
    if whole:
        return [Fraction(value) for value in range(101)]
    points = sorted(
        {Fraction(0), TOP}
        | {Fraction(b) for band in bands for b in (band.low, band.high) if b is not None and 0 <= b <= 100}
    )
    return points + [(a + b) / 2 for a, b in itertools.pairwise(points)]


def findings_r003(text: str) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "main.precepts"
        path.write_text(text, encoding="utf-8")
        result = check_path(path)
    return [d.message for d in result.diagnostics if d.code == "R003"]


@settings(max_examples=150)
@given(bandings())
def test_a_banding_is_reported_exactly_when_a_result_falls_in_no_band_or_in_two(
    banding: tuple[list[WrittenBand], str | None],
) -> None:
    bands, rounding = banding
    owners = [sum(band.holds(value) for band in bands) for value in results_to_try(bands, rounding in WHOLE)]
    text = framework(bands, rounding)
    messages = findings_r003(text)
    assert len(messages) <= 1
    message = messages[0] if messages else ""
    assert ("in no band" in message) == (0 in owners), text
    assert ("in two bands" in message) == any(count > 1 for count in owners), text
    # The problems are named from the lowest result up, in whatever order the bands are written.
    assert findings_r003(framework(bands[::-1], rounding)) == messages, text


@pytest.mark.parametrize(
    ("bands", "said"),
    [
        (["below 100%"], "a result of 100% falls in no band"),
        (["below 60%"], "results of 60% and above fall in no band"),
        (["0% to 60%"], "results above 60% fall in no band"),
        (["below 50%", "60% to 100%"], "results from 50% to below 60% fall in no band"),
        (["0% to 50%", "60% and above"], "results above 50% and below 60% fall in no band"),
        (["20% and above"], "results from 0% to below 20% fall in no band"),
        (["1% and above"], "results from 0% to below 1% fall in no band"),
        (
            ["0% to 50%", "below 50%", "50% and above"],
            "results from 0% to below 50% fall in two bands; a result of 50% falls in two bands",
        ),
        (
            ["0% to 100%", "0% to 40%", "0% to 30%"],
            "results from 0% to 30% fall in two bands; results from 0% to 40% fall in two bands",
        ),
        (["0% to 50%", "50% and above"], "a result of 50% falls in two bands"),
        (["50% and above", "0% to 70%"], "results from 50% to 70% fall in two bands"),
        (["0% and above", "10% to 20%"], "results from 10% to 20% fall in two bands"),
        (["below 50%", "60% and above", "below 60%"], "results from 0% to below 50% fall in two bands"),
        (["below 50%", "40% to 45%", "50% and above"], "results from 40% to 45% fall in two bands"),
        (["below 100%", "0% to 100%"], "results from 0% to below 100% fall in two bands"),
    ],
)
def test_a_gap_or_an_overlap_of_fractional_results_is_named_exactly(bands: list[str], said: str) -> None:
    """With no rounding to whole percentages, the message names the results in no band or in
    two as the bands are written: whether a bound itself is in ('below 60%' leaves 60% out)."""
    text = framework([], "none") + "".join(
        f'  band b{index} "B{index}": {band} gives good\n' for index, band in enumerate(bands)
    )
    [message] = findings_r003(text)
    assert (
        message == f"banding 'results' does not cover 0–100% exactly once: {said} (no rounding to whole "
        "percentages is stated, so a result such as 64.5% is possible)"
    )
