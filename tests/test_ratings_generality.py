"""Rules other inspectorates use, written in the language and rated by the unchanged
engine (issue 4, part 5): four- and five-point scales, caps while a condition holds,
rules based on counts of ratings, average-score percentage bands and weighted scores.

Each example framework is under tests/fixtures/ratings/. The language tests compile the
fixtures and rate them; the engine tests rate the same rules from a model built in code,
to show that the engine and the compiler agree.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from support import TESTS

from precepts.compiler import model as m
from precepts.core.diagnostics import Span
from precepts.pipeline import check_path
from precepts.ratings.output_json import unit_json
from precepts.ratings.run import Rater

FIXTURES = TESTS / "fixtures" / "ratings"
SPAN = Span("test", 1, 1, 1, 2)


def compiled(name: str) -> tuple[m.Framework | None, list[str]]:
    result = check_path(FIXTURES / name)
    errors = [f"{d.code} {d.message}" for d in result.diagnostics if d.severity.value == "error"]
    return (result.framework if not errors else None), errors


def rate(framework: m.Framework, unit: dict[str, Any], level: str | None = None) -> dict[str, Any]:
    rater = Rater.for_framework(framework, level)
    (result,) = rater.rate_document({"units": [unit]})
    return unit_json(result, rater.plan.scales)


def by_id(items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return next(i for i in items if key in (i["id"], i.get("number")))


def compiles(name: str) -> m.Framework:
    """The framework compiles without errors."""
    framework, errors = compiled(name)
    assert framework is not None, errors
    return framework


# ---- four- and five-point scales, caps, counts: expressible now -----------------------------------


def test_five_point_scale_bands_rounds_and_sums() -> None:
    framework, errors = compiled("example-five-point.precepts")
    assert framework is not None, errors
    unit = rate(framework, {
        "unit": "Service A",
        "questions": {"1.1.1": {"sufficient": 89, "inspected": 100}, "1.1.2": {"percentage": 89.5},
                      "1.2.1": {"sufficient": 59, "inspected": 100}},
        "standards": {"1.3": "strong"},
    })
    safeguarding = by_id(unit["standards"], "1.1")
    # 89.5% rounds half up to 90%: Exceptional; 89% is Strong, and the lowest banding wins.
    assert by_id(safeguarding["questions"], "1.1.2")["grade"] == "exceptional"
    assert safeguarding["grade"] == "strong"
    assert by_id(unit["standards"], "1.2")["grade"] == "needs-attention"
    overall = by_id(unit["composites"], "overall")
    assert (overall["total"], overall["grade"]) == (7, "expected")  # 3 + 1 + 3


def test_cap_while_a_condition_holds() -> None:
    framework, _ = compiled("example-five-point.precepts")
    assert framework is not None
    unit = rate(framework, {
        "unit": "Service B",
        "questions": {"1.1.1": {"percentage": 45}, "1.1.2": {"percentage": 95}, "1.2.1": {"percentage": 95}},
        "standards": {"1.3": "exceptional"},
    })
    assert by_id(unit["standards"], "1.1")["grade"] == "needs-attention"
    leadership = by_id(unit["standards"], "1.3")
    assert leadership["grade"] == "expected"
    assert leadership["hurdles"] == ["safeguarding-caps-leadership"]
    assert by_id(unit["hurdles"], "safeguarding-caps-leadership")["fired"] is True


def test_cap_on_a_four_point_scale() -> None:
    framework, errors = compiled("example-four-point-caps-and-counts.precepts")
    assert framework is not None, errors
    unit = rate(framework, {"unit": "P", "standards": {"1.1": "inadequate", "1.2": "good", "1.3": "good", "1.4": "outstanding"}})
    assert by_id(unit["standards"], "well-led")["grade"] == "requires-improvement"
    assert by_id(unit["composites"], "overall")["total"] == 0 + 2 + 2 + 1


@pytest.mark.parametrize(("ratings", "caring"), [
    ({"1.1": "outstanding", "1.2": "good", "1.3": "outstanding", "1.4": "good"}, "outstanding"),  # two Outstanding
    ({"1.1": "good", "1.2": "good", "1.3": "outstanding", "1.4": "good"}, "good"),  # only one
    ({"1.1": "outstanding", "1.2": "inadequate", "1.3": "outstanding", "1.4": "outstanding"}, "good"),  # an Inadequate
])
def test_rule_based_on_counts(ratings: dict[str, str], caring: str) -> None:
    framework, _ = compiled("example-four-point-caps-and-counts.precepts")
    assert framework is not None
    unit = rate(framework, {"unit": "P", "standards": ratings})
    assert by_id(unit["standards"], "1.3")["grade"] == caring


def test_a_count_rule_waits_for_undetermined_ratings() -> None:
    framework, _ = compiled("example-four-point-caps-and-counts.precepts")
    assert framework is not None
    # Effective is not given: it may or may not be the second Outstanding.
    unit = rate(framework, {"unit": "P", "standards": {"1.1": "outstanding", "1.3": "outstanding", "1.4": "good"}})
    caring = by_id(unit["standards"], "1.3")
    assert caring["status"] == "undetermined"
    assert caring["possible"] == ["good", "outstanding"]


# ---- the overall rating limited by counts and caps: hurdles on composites --------------------


def overall_rules(framework: m.Framework) -> None:
    cases = [
        ({"1.1": "outstanding", "1.2": "outstanding", "1.3": "outstanding", "1.4": "good"}, 11, "outstanding"),
        ({"1.1": "outstanding", "1.2": "good", "1.3": "outstanding", "1.4": "outstanding"}, 11, "outstanding"),
        # Total 10 would be Outstanding, but only one standard is Outstanding.
        ({"1.1": "good", "1.2": "good", "1.3": "good", "1.4": "good"}, 8, "good"),
        ({"1.1": "outstanding", "1.2": "good", "1.3": "good", "1.4": "outstanding"}, 10, "outstanding"),
        ({"1.1": "good", "1.2": "outstanding", "1.3": "good", "1.4": "good"}, 9, "good"),
        # Safe Inadequate: total 9 is Good, capped to Requires improvement.
        ({"1.1": "inadequate", "1.2": "outstanding", "1.3": "outstanding", "1.4": "outstanding"}, 9, "requires-improvement"),
    ]
    for ratings, total, grade in cases:
        unit = rate(framework, {"unit": "P", "standards": ratings})
        overall = by_id(unit["composites"], "overall")
        assert (overall["total"], overall["grade"]) == (total, grade), (ratings, overall["summary"])
    unit = rate(framework, {"unit": "P", "standards": {"1.1": "outstanding", "1.2": "good", "1.3": "outstanding", "1.4": "outstanding"}})
    assert by_id(unit["hurdles"], "outstanding-needs-two")["fired"] is False
    unit = rate(framework, {"unit": "P", "standards": {"1.1": "good", "1.2": "outstanding", "1.3": "outstanding", "1.4": "outstanding"}})
    assert by_id(unit["composites"], "overall")["grade"] == "outstanding"


def test_language_expresses_an_overall_rating_limited_by_counts() -> None:
    overall_rules(compiles("example-overall-count-rule.precepts"))


def test_engine_rates_an_overall_rating_limited_by_counts() -> None:
    framework, _ = compiled("example-four-point-caps-and-counts.precepts")
    assert framework is not None
    at_most = lambda name, grade: m.Compare("at-most", "rating", name, (grade,), SPAN)  # noqa: E731
    hurdles = (
        m.Hurdle("outstanding-needs-two", "Outstanding needs two Outstanding and no Inadequate", ("provider",),
                 m.AnyOf((m.Compare("at-most", "count", "outstanding", ("1",), SPAN),
                          m.Compare("at-least", "count", "inadequate", ("1",), SPAN))),
                 at_most("overall", "good"), None, SPAN),
        m.Hurdle("safe-caps-overall", "Requires improvement at best while safety is Inadequate", ("provider",),
                 m.Compare("is", "rating", "safe", ("inadequate",), SPAN), at_most("overall", "requires-improvement"), None, SPAN),
    )
    overall_rules(dataclasses.replace(framework, hurdles=hurdles))


# ---- average-score percentage bands: `score: percentage of maximum` --------------------------


def average_percentage_rules(framework: m.Framework) -> None:
    # Scores 1–4 averaged, as a percentage of the maximum 4: (4+3+3+2)/16 = 75% → Good.
    unit = rate(framework, {"unit": "U", "standards": {"1.1": "outstanding", "1.2": "good", "1.3": "good", "1.4": "requires-improvement"}})
    overall = by_id(unit["composites"], "overall")
    assert (overall["total"], overall["grade"]) == (75, "good"), overall["summary"]
    # (4+4+4+2)/16 = 87.5% → Outstanding; (2+2+2+1)/16 = 43.75% → Inadequate.
    unit = rate(framework, {"unit": "U", "standards": {"1.1": "outstanding", "1.2": "outstanding", "1.3": "outstanding", "1.4": "requires-improvement"}})
    assert by_id(unit["composites"], "overall")["grade"] == "outstanding"
    unit = rate(framework, {"unit": "U", "standards": {"1.1": "requires-improvement", "1.2": "requires-improvement", "1.3": "requires-improvement", "1.4": "inadequate"}})
    assert by_id(unit["composites"], "overall")["total"] == 43.75
    # A standard not rated changes the maximum, not the average: (4+3+3)/12 = 83.3% → Good.
    unit = rate(framework, {"unit": "U", "standards": {"1.1": "outstanding", "1.2": "good", "1.3": "good", "1.4": "NR"}})
    overall = by_id(unit["composites"], "overall")
    assert overall["grade"] == "good" and overall["standards_counted"] == 3


def test_language_expresses_average_score_percentage_bands() -> None:
    average_percentage_rules(compiles("example-average-percentage.precepts"))


def test_engine_rates_average_score_percentage_bands() -> None:
    framework, _ = compiled("example-four-point-caps-and-counts.precepts")
    assert framework is not None
    scale = m.Scale("rating", "Four-point", tuple(
        m.Grade(g.id, g.label, Decimal(i + 1), SPAN) for i, g in enumerate(framework.scales[0].grades)
    ), SPAN)
    band = lambda low, high, inclusive, grade: m.Band(None, None, low, high, inclusive, True, grade, SPAN)  # noqa: E731
    composite = dataclasses.replace(
        framework.composites[0], score="percent-of-maximum", scores=(),
        bands=(band(None, Decimal(50), False, "inadequate"), band(Decimal(50), Decimal(69), True, "requires-improvement"),
               band(Decimal(70), Decimal(84), True, "good"), band(Decimal(85), None, True, "outstanding")),
    )
    average_percentage_rules(dataclasses.replace(framework, scales=(scale,), composites=(composite,), hurdles=()))


# ---- weighted scores: `weights:` -------------------------------------------------------------


def weighted_rules(framework: m.Framework, level: str | None = None) -> None:
    # Safety ×2, outcomes ×1, leadership ×2: Good 2×2 + Outstanding 3 + Requires improvement 1×2 = 9.
    unit = rate(framework, {"unit": "U", "standards": {"1.1": "good", "1.2": "outstanding", "1.3": "requires-improvement"}}, level)
    overall = by_id(unit["composites"], "overall")
    assert (overall["total"], overall["maximum"], overall["grade"]) == (9, 15, "requires-improvement"), overall["summary"]
    unit = rate(framework, {"unit": "U", "standards": {"1.1": "outstanding", "1.2": "requires-improvement", "1.3": "good"}}, level)
    assert by_id(unit["composites"], "overall")["total"] == 6 + 1 + 4


def test_language_expresses_weighted_scores() -> None:
    weighted_rules(compiles("example-weighted.precepts"))


def test_engine_rates_weighted_scores() -> None:
    framework, _ = compiled("example-four-point-caps-and-counts.precepts")
    assert framework is not None
    base = framework.composites[0]
    band = lambda low, high, grade: m.Band(None, None, Decimal(low), Decimal(high), True, False, grade, SPAN)  # noqa: E731
    composite = dataclasses.replace(
        base, weights=(("safe", Decimal(2)), ("effective", Decimal(1)), ("caring", Decimal(2))),
    )
    composite = dataclasses.replace(composite, bands=(
        band(0, 4, "inadequate"), band(5, 9, "requires-improvement"), band(10, 12, "good"), band(13, 15, "outstanding"),
    ))
    # Three standards as in example-weighted.precepts: drop well-led.
    domain = framework.domains[0]
    domain = dataclasses.replace(domain, standards=domain.standards[:3])
    weighted_rules(dataclasses.replace(framework, domains=(domain,), composites=(composite,), hurdles=()))


def test_the_fixtures_no_longer_say_they_need_a_language_change() -> None:
    # The three changes have been made (hurdles on composites, score: percentage of
    # maximum, weights:); a stale note would send a reader to a proposal that is done.
    for fixture in FIXTURES.glob("*.precepts"):
        assert "NEEDS A LANGUAGE CHANGE" not in fixture.read_text(encoding="utf-8"), fixture.name
        assert compiled(fixture.name)[0] is not None, fixture.name
