"""The JSON output written fast (issue 15) is the text the json module writes, to the byte."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from precepts.ratings.output_json import DECIMALS, compact, rounded


@given(st.fractions(min_value=-(10**18), max_value=10**18))
def test_rounding_in_integers_is_fractions_rounding(value: Fraction) -> None:
    assert repr(rounded(value)) == repr(float(round(value, DECIMALS)))


@given(st.integers(-(10**6), 10**6), st.sampled_from([1, 2, 3, 4, 6, 7, 8, 16, 40, 200, 400, 1000]))
def test_halves_round_to_even(numerator: int, denominator: int) -> None:
    value = Fraction(numerator, denominator)
    assert repr(rounded(value)) == repr(float(round(value, DECIMALS)))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text()
    | st.fractions(min_value=-(10**20), max_value=10**20).map(rounded)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_compact_is_the_json_modules_text(value: Any) -> None:
    """Numbers with exponents, integers beyond 64 bits: whatever the value, the text is
    the json module's."""
    assert compact(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def test_keys_that_are_not_strings_are_written_as_the_json_module_writes_them() -> None:
    assert compact({1: "a", "b": [1e16, 5e-05, 0.1]}) == '{"1":"a","b":[1e+16,5e-05,0.1]}'
