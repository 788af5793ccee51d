"""Rating rules: open rules are reported so nobody mistakes them for settled ones."""

from __future__ import annotations

from collections.abc import Iterator

from precepts.compiler.model import Framework
from precepts.validators.registry import check

from precepts.codes import Code
from precepts.diagnostics import Diagnostic

_WHAT = {
    "rounding": "how boundary percentages are rounded",
    "composite": "the composite (overall) rating",
    "rating": "how the standard is rated",
    "judgement": "how the judgement is reached",
    "hurdle": "the hurdle",
    "standard": "part of the standard",
    "framework": "part of the framework",
}


@check(Code.OPEN_RULE)
def open_rules(framework: Framework) -> Iterator[Diagnostic]:
    for rule in framework.open_rules:
        yield Code.OPEN_RULE(
            f"open rule in '{rule.subject}': {_WHAT.get(rule.what, rule.what)} is left open — {rule.reason}",
            rule.span,
            help="ratings that need this rule are reported as undetermined",
            subjects=(rule.subject,),
        )


@check(Code.RATING_RULE)
def rated_standards_have_rules(framework: Framework) -> Iterator[Diagnostic]:
    for standard in framework.standards():
        for rating in standard.ratings:
            if rating.method == "cases" and rating.banding is None:
                continue  # the unknown banding is already reported by the compiler
            if rating.method == "judgement" and not framework.scales:
                yield Code.RATING_RULE(
                    f"standard {standard.number} is rated by judgement, but the framework defines no rating scale",
                    rating.span,
                    help="define a scale, for example 'scale rating: Four-point rating scale'",
                    subjects=(standard.id,),
                )
