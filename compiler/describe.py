"""Parts of the model in words, as the framework language writes them, for change reports.

Two versions of a rule are compared through these words: equal words, equal rule.
"""

from __future__ import annotations

from decimal import Decimal

from precepts.compiler import conditions
from precepts.compiler import model as m

EVERY_CASE = "every case"


def condition(node: m.Condition | None) -> str:
    """`provider is nps`, `case-type is post-custody and …`; `every case` for none."""
    return conditions.describe(node, always=EVERY_CASE)


def number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def band(item: m.Band) -> str:
    """`50% to 64% gives requires-improvement`, as a band line is written."""
    unit = "%" if item.percent else ""
    low, high = number(item.low) + unit, number(item.high) + unit
    if item.low is None and item.high is None:
        span = "any result"
    elif item.low is None:
        span = f"{high} and below" if item.high_inclusive else f"below {high}"
    elif item.high is None:
        span = f"{low} and above"
    else:
        span = f"{low} to {high}" + ("" if item.high_inclusive else " (not included)")
    label = f' "{item.label}"' if item.label else ""
    name = f"{item.id}{label}: " if item.id else ""
    return f"{name}{span} gives {item.grade}"


def rating_method(rating: m.LevelRating) -> str:
    """How a standard is rated at one level, as the `rated:` line says it."""
    if rating.method == "cases":
        return f"from cases using {rating.banding}" if rating.banding else "from cases"
    if rating.method == "elsewhere":
        return f"reported at {rating.reported_at}"
    return {
        "judgement": "by judgement",
        "not-rated": "not rated",
        "percentages-only": "percentages only",
        "open": "open",
    }.get(rating.method, rating.method)


def levels(values: tuple[str, ...]) -> str:
    return ", ".join(values) if values else "no level"
