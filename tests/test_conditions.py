"""The one interpreter of conditions (precepts.compiler.conditions): three-valued
evaluation, words, what a condition reads, and its JSON Schema form."""

from __future__ import annotations

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

from precepts.compiler.conditions import (
    all_of,
    attributes_used,
    compare_among,
    compare_span,
    describe,
    holds_for,
    json_schema,
    names_used,
)
from precepts.compiler.model import AllOf, AnyOf, Compare
from precepts.core.diagnostics import Span

SPAN = Span.point("f.precepts", 1, 1)
OPERATORS = ("is", "is-not", "one-of", "at-least", "at-most")


def attribute(name: str, op: str, *values: str) -> Compare:
    return Compare(op, "attribute", name, values, SPAN)


def rating(name: str, op: str, *values: str) -> Compare:
    return Compare(op, "rating", name, values, SPAN)


POST_CUSTODY = attribute("case-type", "is", "post-custody")
NPS = attribute("provider", "one-of", "nps", "crc")


def test_unknown_is_decided_by_kleenes_rules() -> None:
    both, either = AllOf((POST_CUSTODY, NPS)), AnyOf((POST_CUSTODY, NPS))
    assert holds_for(both, {"case-type": "community"}) is False  # False and unknown
    assert holds_for(both, {"case-type": "post-custody"}) is None  # True and unknown
    assert holds_for(either, {"case-type": "post-custody"}) is True  # True or unknown
    assert holds_for(either, {"case-type": "community"}) is None  # False or unknown
    assert holds_for(None, {}) is True


def test_attributes_have_no_order() -> None:
    assert holds_for(attribute("case-type", "at-least", "a"), {"case-type": "b"}) is None


@given(st.sampled_from(OPERATORS), st.integers(0, 4), st.lists(st.integers(0, 4), min_size=1, max_size=3))
def test_a_known_value_gives_the_plain_comparison(op: str, value: int, wanted: list[int]) -> None:
    plain = {
        "is": value == wanted[0], "is-not": value != wanted[0], "one-of": value in wanted,
        "at-least": value >= wanted[0], "at-most": value <= wanted[0],
    }[op]
    assert compare_among(op, (value,), wanted) is plain
    assert compare_span(op, value, value, wanted) is plain


@given(st.sampled_from(OPERATORS), st.sets(st.integers(0, 4), min_size=1), st.lists(st.integers(0, 4), min_size=1, max_size=3))
def test_an_unsettled_value_is_decided_only_when_every_possibility_agrees(op: str, possible: set[int], wanted: list[int]) -> None:
    answers = {compare_among(op, (value,), wanted) for value in possible}
    expected = answers.pop() if len(answers) == 1 else None
    assert compare_among(op, possible, wanted) is expected


def test_words_as_the_language_writes_them() -> None:
    condition = AllOf((POST_CUSTODY, AnyOf((NPS, rating("diversity", "at-most", "good")))))
    assert describe(condition) == "case-type is post-custody and (provider is one of nps, crc or diversity is at most good)"
    assert describe(None) == "always"
    assert describe(None, always="every case") == "every case"
    assert describe(Compare("at-least", "count", "outstanding", ("2",), SPAN)) == "count of outstanding is at least 2"


def test_what_a_condition_reads() -> None:
    condition = AllOf((POST_CUSTODY, rating("diversity", "is", "inadequate"), POST_CUSTODY))
    assert names_used(condition, "attribute") == ["case-type", "case-type"]
    assert names_used(condition) == ["diversity"]
    assert attributes_used(condition) == {"case-type"}
    assert all_of(POST_CUSTODY, None, AllOf((POST_CUSTODY, NPS))) == AllOf((POST_CUSTODY, NPS))


def test_the_schema_form_holds_exactly_when_the_condition_does() -> None:
    condition = AnyOf((POST_CUSTODY, attribute("provider", "is-not", "nps")))
    schema = json_schema(condition, lambda compare: (("attributes", compare.name or ""), ()))
    for attributes in ({"case-type": "post-custody", "provider": "nps"}, {"case-type": "community", "provider": "nps"},
                       {"case-type": "community", "provider": "crc"}):
        valid = jsonschema.Draft202012Validator(schema).is_valid({"attributes": attributes})
        assert valid is holds_for(condition, attributes)


_SATISFIES = {
    "is": lambda x, wanted: x == wanted[0], "is-not": lambda x, wanted: x != wanted[0],
    "one-of": lambda x, wanted: x in wanted, "at-least": lambda x, wanted: x >= wanted[0],
    "at-most": lambda x, wanted: x <= wanted[0],
}


@given(st.sampled_from(OPERATORS), st.integers(0, 8), st.integers(1, 6), st.lists(st.integers(-1, 15), min_size=1, max_size=3))
def test_a_number_between_two_bounds_is_decided_when_every_number_between_agrees(
        op: str, low: int, width: int, wanted: list[int]) -> None:
    """A total known only to lie between `low` and `high` (any number between, not only whole
    ones): the comparison holds if it holds for every such number, fails if it fails for
    every one, and is undetermined otherwise. `one of` between two different bounds is left
    undetermined (compare_span does not look for listed values between them)."""
    high = low + width
    # The numbers that decide it: the bounds, a value between them, and each value written that lies between.
    points = [low, high, low + width / 2, *(w for w in wanted if low <= w <= high)]
    answers = {_SATISFIES[op](x, wanted) for x in points}
    expected = None if op == "one-of" or len(answers) == 2 else answers.pop()
    assert compare_span(op, low, high, wanted) is expected
