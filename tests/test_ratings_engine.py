"""The rating engine's parts: rounding readings, banding, the lowest banding, composites
with undetermined ratings, three-valued hurdles and ratings-panel flags."""

from __future__ import annotations

from fractions import Fraction
from functools import cache

from hypothesis import assume, given
from hypothesis import strategies as st
from support import FRAMEWORK_2021, TESTS

from precepts.compiler.model import Framework
from precepts.pipeline import check_path
from precepts.ratings.banding import band_range, cases_to_fall, cases_to_reach, place
from precepts.ratings.engine import rate_unit
from precepts.ratings.inputs import Evidence, Given, UnitInput
from precepts.ratings.numbers import round_whole
from precepts.ratings.panel import boundaries
from precepts.ratings.plan import build_plan
from precepts.ratings.verdicts import Grades

FIXTURE_2018 = TESTS / "fixtures" / "ratings" / "hmip-probation-2018.precepts"


@cache
def framework(path: str = str(FRAMEWORK_2021)) -> Framework:
    result = check_path(__import__("pathlib").Path(path))
    assert result.framework is not None
    return result.framework


def case_results():  # type: ignore[no-untyped-def]
    f = framework()
    banding = f.bandings[0]
    return banding, Grades.of(next(s for s in f.scales if s.id == banding.scale))


def unit(**fields) -> UnitInput:  # type: ignore[no-untyped-def]
    base = {"unit": "U", "attributes": {}, "cases": 0, "questions": {}, "prompts": {}, "standards": {},
            "judgements": {}, "totals": {}}
    base.update(fields)
    return UnitInput(**base)


def counts(sufficient: int, inspected: int) -> Evidence:
    return Evidence("counts", sufficient, inspected, 0, Fraction(sufficient * 100, inspected))


# ---- rounding and banding ------------------------------------------------------------------------


def test_rounding_readings() -> None:
    assert round_whole(Fraction(129, 2), "half-up") == 65
    assert round_whole(Fraction(129, 2), "half-even") == 64
    assert round_whole(Fraction(131, 2), "half-even") == 66
    assert round_whole(Fraction(129, 2), "down") == 64
    assert round_whole(Fraction(641, 10), "up") == 65
    assert round_whole(Fraction(129, 2), "none") == Fraction(129, 2)


def test_published_bands_are_written_as_published() -> None:
    banding, _ = case_results()
    assert [band_range(b) for b in banding.bands] == ["below 50%", "50–64%", "65–79%", "80% and above"]


def test_open_rounding_settles_a_result_only_when_every_reading_agrees() -> None:
    banding, grades = case_results()
    assert place(Fraction(72), banding.bands, "open", grades).grade == "good"
    assert place(Fraction(145, 2), banding.bands, "open", grades).grade == "good"  # 72.5%
    for value, possible in ((Fraction(129, 2), ("requires-improvement", "good")),  # 64.5%
                            (Fraction(398, 5), ("good", "outstanding")),  # 79.6%
                            (Fraction(248, 5), ("inadequate", "requires-improvement"))):  # 49.6%
        placed = place(value, banding.bands, "open", grades)
        assert placed.band is None and placed.possible == possible
        assert "left open" in (placed.reason or "")


def test_a_stated_rounding_rule_is_applied() -> None:
    banding, grades = case_results()
    assert place(Fraction(129, 2), banding.bands, "half-up", grades).grade == "good"
    assert place(Fraction(129, 2), banding.bands, "down", grades).grade == "requires-improvement"
    placed = place(Fraction(129, 2), banding.bands, "none", grades)
    assert placed.band is None and "falls between 'Too few' (50–64%) and 'Reasonable majority' (65–79%)" in (placed.reason or "")


@given(st.integers(0, 100))
def test_whole_percentages_need_no_rounding_rule(value: int) -> None:
    banding, grades = case_results()
    assert place(Fraction(value), banding.bands, "open", grades).band is not None


@given(st.integers(1, 120).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_cases_to_cross_a_boundary_are_the_fewest(pair: tuple[int, int]) -> None:
    sufficient, inspected = pair
    banding, grades = case_results()

    def grade(s: int) -> int | None:
        placed = place(Fraction(s * 100, inspected), banding.bands, "open", grades)
        return grades.rank(placed.grade) if placed.grade else None

    current = grade(sufficient)
    assume(current is not None)  # 11/17 = 64.7% is itself undetermined
    assert current is not None
    for rank in range(current + 1, len(grades.ids)):
        up = cases_to_reach(sufficient, inspected, banding.bands, "open", grades, rank)
        brute = next((k for k in range(1, inspected - sufficient + 1) if (g := grade(sufficient + k)) is not None and g >= rank), None)
        assert up == brute
    for rank in range(current):
        down = cases_to_fall(sufficient, inspected, banding.bands, "open", grades, rank)
        brute = next((k for k in range(1, sufficient + 1) if (g := grade(sufficient - k)) is not None and g <= rank), None)
        assert down == brute


def test_boundaries_are_the_lowest_value_of_each_band_above() -> None:
    banding, grades = case_results()
    assert [(int(b), lower.grade, upper.grade) for b, lower, upper in boundaries(banding.bands, grades)] == [
        (50, "inadequate", "requires-improvement"), (65, "requires-improvement", "good"), (80, "good", "outstanding"),
    ]


# ---- standards ------------------------------------------------------------------------------------


def test_the_lowest_banding_ignores_an_undetermined_question_that_cannot_be_lowest() -> None:
    plan = build_plan(framework(), "pdu")
    result = rate_unit(plan, unit(questions={
        "implementation-and-delivery.1": counts(45, 50),
        "implementation-and-delivery.2": counts(20, 50),
        "implementation-and-delivery.3": counts(129, 200),
    }))
    standard = next(s for s in result.standards if s.number == "2.4")
    assert standard.verdict.grade == "inadequate" and standard.lowest == ("2.4.2",)


def test_a_missing_key_question_leaves_the_standard_open_above_the_others() -> None:
    plan = build_plan(framework(), "pdu")
    result = rate_unit(plan, unit(questions={"implementation-and-delivery.1": counts(30, 50)}))
    standard = next(s for s in result.standards if s.number == "2.4")
    assert standard.verdict.status == "undetermined"
    assert standard.verdict.possible == ("inadequate", "requires-improvement")


def test_standards_without_a_rating_say_why() -> None:
    plan = build_plan(framework(), "region")
    result = rate_unit(plan, unit())
    assert {s.verdict.status for s in result.standards} == {"not-rated"}
    assert result.composites == ()


# ---- composites and hurdles ----------------------------------------------------------------------


def provider_plan():  # type: ignore[no-untyped-def]
    return build_plan(framework(str(FIXTURE_2018)), "provider")


def test_a_composite_of_undetermined_ratings_is_rated_when_every_total_is_in_one_band() -> None:
    plan = provider_plan()
    judged = {s: Given("outstanding") for s in ("leadership", "staff", "services", "information-and-facilities")}
    questions = {q.question.id: counts(45, 50) for s in plan.standards for q in s.questions
                 if s.method == "cases" and s.standard.number.startswith(("2.", "3."))}
    # 2.1.1 undetermined between Good and Outstanding (79.6%): total 29 or 30, both Outstanding.
    questions["assessment.1"] = counts(398, 500)
    result = rate_unit(plan, unit(attributes={"provider": "nps"}, questions=questions, standards=judged))
    composite = result.composites[0]
    assert composite.total == (29, 30)
    assert composite.verdict.grade == "outstanding"


def test_a_composite_total_spanning_bands_is_undetermined() -> None:
    plan = provider_plan()
    result = rate_unit(plan, unit(attributes={"provider": "nps"}))
    composite = result.composites[0]
    assert composite.verdict.status == "undetermined" and composite.total == (0, 30)


def test_a_published_total_that_disagrees_with_the_ratings_is_noted() -> None:
    plan = provider_plan()
    judged = {s: Given("good") for s in ("leadership", "staff", "services", "information-and-facilities")}
    questions = {q.question.id: counts(35, 50) for s in plan.standards for q in s.questions if s.method == "cases"
                 and s.standard.number.startswith(("2.", "3."))}
    result = rate_unit(plan, unit(attributes={"provider": "nps"}, questions=questions, standards=judged,
                                  totals={"provider-overall": Fraction(21)}))
    composite = result.composites[0]
    assert composite.total == (20, 20)
    assert composite.notes == ("the input gives a total of 21, but the standards' scores give 20",)


def test_the_hurdle_keeps_both_possibilities_while_diversity_is_undetermined() -> None:
    plan = build_plan(framework(), "pdu")
    result = rate_unit(plan, unit(standards={"leadership": Given("outstanding")}))
    leadership = next(s for s in result.standards if s.id == "leadership")
    assert leadership.verdict.possible == ("good", "outstanding")
    assert any("hurdle diversity-leadership may apply" in r for r in leadership.verdict.reasons)
    assert result.hurdles[0].fired is None


def test_panel_flags_count_the_cases_to_cross_each_boundary() -> None:
    plan = provider_plan()
    result = rate_unit(plan, unit(attributes={"provider": "crc"}, questions={
        "implementation-and-delivery.1": counts(45, 50),
        "implementation-and-delivery.2": counts(39, 50),  # 78%: 2 points below 80%, 1 case away
        "implementation-and-delivery.3": counts(42, 50),
    }))
    flags = [f for f in result.panel_flags if f.standard == "2.3"]
    near = [f for f in flags if f.kind == "near-boundary"]
    assert [(f.question, f.boundary, f.distance, f.cases) for f in near] == [
        ("2.3.2", "80%", -2, 1), ("2.3.3", "80%", 4, 3),
    ]
    one_case = [f for f in flags if f.kind == "one-case"]
    assert [f.question for f in one_case] == ["2.3.2"]
    assert "would make the standard Outstanding" in one_case[0].summary


@given(st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.sampled_from([None, "open", "none", "half-up", "half-even", "down"]))
def test_integer_banding_agrees_with_exact_banding(pair: tuple[int, int], rounding: str | None) -> None:
    from precepts.ratings.banding import Bander

    sufficient, inspected = pair
    banding, grades = case_results()
    bander = Bander(banding.bands, rounding, grades)
    placed = place(Fraction(sufficient * 100, inspected), banding.bands, rounding, grades)
    assert bander.count_ranks(sufficient, inspected) == (grades.rank(placed.possible[0]), grades.rank(placed.possible[-1]))
    assert bander.place(Fraction(sufficient * 100, inspected)).possible == placed.possible
