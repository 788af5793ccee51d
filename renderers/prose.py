"""The framework in words for people: the published wording of conditions, bands,
rating methods and hurdles, shared by the consultation page and the forms.

Every sentence is generated from the rule it describes, so what is published cannot
disagree with what the code does.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from precepts.compiler import model as m
from precepts.compiler.conditions import OPERATOR_WORDS, Wording, describe
from precepts.compiler.describe import number

# `Leadership is Good or Outstanding`: the values are listed with "or", so "one of" goes unsaid.
_PUBLISHED_OPERATORS = {**OPERATOR_WORDS, "one-of": "is"}


def label_of(identifier: str) -> str:
    """`case-type` → `Case type`: an id as a heading, when the framework gives no name."""
    text = identifier.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def value_label(value: str) -> str:
    """`post-custody` → `Post-custody`: an attribute value as an answer option."""
    return value[:1].upper() + value[1:]


def or_list(values: Iterable[str], joiner: str = "or") -> str:
    items = list(values)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {joiner} {items[-1]}"


def grade_label(framework: m.Framework, grade: str) -> str:
    for scale in framework.scales:
        for item in scale.grades:
            if item.id == grade:
                return item.label
    return grade


def level_name(framework: m.Framework, level: str) -> str:
    return next((lv.name for lv in framework.levels if lv.id == level), level)


def subject_name(framework: m.Framework, subject: str) -> str:
    """A standard or judgement named as the published text names it."""
    for standard in framework.standards():
        if standard.id == subject:
            return f"{standard.heading} ({standard.number})"
    for judgement in framework.judgements:
        if judgement.id == subject:
            return judgement.name
    return label_of(subject)


def condition_words(framework: m.Framework, node: m.Condition | None) -> str:
    """`case type is post-custody`; `Approach to diversity is Inadequate`."""
    return describe(node, _published_wording(framework))


def _published_wording(framework: m.Framework) -> Wording:
    def subject(compare: m.Compare) -> str:
        if compare.subject == "attribute":
            return label_of(compare.name or "").lower()
        if compare.subject == "count":
            return f"the number of {grade_label(framework, compare.name or '')} ratings"
        if compare.subject == "total":
            return "the total score"
        return subject_name(framework, compare.name or "")

    def values(compare: m.Compare) -> str:
        if compare.subject == "rating":
            return or_list(grade_label(framework, value) for value in compare.values)
        return or_list(compare.values)

    return Wording(subject, values, _PUBLISHED_OPERATORS)


def applies_words(framework: m.Framework, node: m.Condition | None) -> str | None:
    """`Applies only where case type is post-custody.`, or None for what always applies."""
    if node is None:
        return None
    return f"Applies only where {condition_words(framework, node)}."


def band_range(band: m.Band) -> str:
    """`below 50%`, `50% to 64%`, `80% and above`: a band's results as published."""
    unit = "%" if band.percent else ""

    def show(value: Decimal | None) -> str:
        return f"{number(value)}{unit}"

    if band.low is None and band.high is None:
        return "any result"
    if band.low is None:
        return f"{show(band.high)} and below" if band.high_inclusive else f"below {show(band.high)}"
    if band.high is None:
        return f"{show(band.low)} and above"
    if band.high_inclusive:
        return f"{show(band.low)} to {show(band.high)}"
    return f"{show(band.low)} up to but not including {show(band.high)}"


def method_words(framework: m.Framework, rating: m.LevelRating | None) -> str:
    """How a standard is rated at one level, in a sentence."""
    if rating is None:
        return "The framework does not say how this standard is rated here."
    if rating.method == "cases":
        return (
            "Rated from the cases inspected: each key question is banded by the share of cases in which "
            "it was judged sufficient, and the standard takes the lowest banding of its key questions."
        )
    if rating.method == "judgement":
        return "Rated by the lead inspector's judgement."
    if rating.method == "not-rated":
        return "Not rated."
    if rating.method == "percentages-only":
        return "Inspected in cases; results are reported as percentages, without a rating."
    if rating.method == "elsewhere":
        return f"Inspected in cases; reported at {level_name(framework, rating.reported_at or '')}."
    return "How this standard is rated is left open."


def hurdle_words(framework: m.Framework, hurdle: m.Hurdle) -> str:
    """`Where Approach to diversity is Inadequate, Leadership (1.1) is at most Good.`"""
    when = condition_words(framework, hurdle.when) if hurdle.when else None
    then = condition_words(framework, hurdle.then) if hurdle.then else None
    if when is None or then is None:
        return "The rule of this hurdle is left open."
    return f"Where {when}, {then}."
