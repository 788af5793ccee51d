"""The one interpreter of conditions (precepts.compiler.conditions): three-valued
evaluation, words, what a condition reads, and its JSON Schema form."""

from __future__ import annotations

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

from precepts.compiler.conditions import (
    all_of,
    attributes_used,
    both,
    compare_among,
    compare_span,
    describe,
    holds_for,
    json_schema,
    names_used,
    sayable,
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


GRADES = ("inadequate", "requires-improvement", "good", "outstanding")


def _rating_place(compare: Compare) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    return (("ratings", compare.name or ""), GRADES) if compare.subject == "rating" else None


def test_the_schema_form_of_every_comparison_of_a_rating_holds_exactly_when_it_does() -> None:
    rank = GRADES.index
    for op in OPERATORS:
        for wanted in [(g,) for g in GRADES] + [(GRADES[0], GRADES[2])]:
            condition = AllOf((rating("leadership", op, *wanted), rating("diversity", "is-not", "outstanding")))
            validator = jsonschema.Draft202012Validator(json_schema(condition, _rating_place))
            for actual in GRADES:
                holds = compare_among(op, (rank(actual),), [rank(w) for w in wanted]) and actual != "outstanding"
                record = {"ratings": {"leadership": actual, "diversity": actual}}
                assert validator.is_valid(record) is holds, (op, wanted, actual)


def test_a_condition_the_record_does_not_hold_has_no_schema_form() -> None:
    counted = Compare("at-least", "count", "outstanding", ("2",), SPAN)
    assert not sayable(AnyOf((rating("leadership", "is", "good"), counted)), _rating_place)
    assert sayable(rating("leadership", "at-most", "good"), _rating_place)
    assert not sayable(rating("leadership", "at-most", "excellent"), _rating_place)  # not a grade of the scale
    assert not sayable(None, _rating_place)


def test_conditions_combine_flat_without_repeats_or_grouped_as_written() -> None:
    assert all_of() is None and all_of(None, None) is None
    assert all_of(None, POST_CUSTODY) == POST_CUSTODY
    assert all_of(POST_CUSTODY, POST_CUSTODY) == POST_CUSTODY
    assert all_of(AllOf((POST_CUSTODY, NPS)), NPS) == AllOf((POST_CUSTODY, NPS))
    assert both(None, NPS) == NPS and both(NPS, None) == NPS and both(None, None) is None
    assert both(AllOf((POST_CUSTODY, NPS)), NPS) == AllOf((AllOf((POST_CUSTODY, NPS)), NPS))


def test_every_part_known_true_makes_the_whole_true_and_nothing_to_compare_is_unknown() -> None:
    both_known = {"case-type": "post-custody", "provider": "nps"}
    assert holds_for(AllOf((POST_CUSTODY, NPS)), both_known) is True
    assert holds_for(AnyOf((POST_CUSTODY, NPS)), {"case-type": "community", "provider": "probation"}) is False
    for op in OPERATORS:
        assert compare_among(op, (), [1]) is None
        assert compare_among(op, (1,), []) is None
