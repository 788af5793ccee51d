"""Rating rules: complete bandings and composites, consistent scales, hurdles that can
bite, and open rules reported so nobody mistakes them for settled ones."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from decimal import Decimal

from precepts.compiler.conditions import Truth, compare_among, comparisons, describe, evaluate, holds_for, names_used
from precepts.compiler.model import (
    AllOf,
    Band,
    Compare,
    Composite,
    Condition,
    Framework,
    Grade,
    Hurdle,
    Scale,
    Standard,
)
from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic, Related, Span
from precepts.validators.registry import check

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
            if rating.method == "judgement" and not framework.scales:
                yield Code.RATING_RULE(
                    f"standard {standard.number} is rated by judgement, but the framework defines no rating scale",
                    rating.span,
                    help="define a scale, for example 'scale rating: Four-point rating scale'",
                    subjects=(standard.id,),
                )


# ---- what a hurdle's then: may say ------------------------------------------------------------

# `X is at most G` caps X, `X is at least G` floors it, `X is G` sets it (ratings/hurdles.py
# applies them); several may be joined with `and`.
LIMITS = ("at-most", "at-least", "is")


def _parts(then: Condition) -> list[Condition]:
    """The conditions a `then:` joins with `and`."""
    return [part for item in then.items for part in _parts(item)] if isinstance(then, AllOf) else [then]


def _is_limit(part: Condition) -> bool:
    return isinstance(part, Compare) and part.subject == "rating" and part.op in LIMITS and bool(part.values)


def limits(then: Condition | None) -> list[Compare] | None:
    """The limits a `then:` sets, or None if it is not a conjunction of limits (reported as R002)."""
    parts = _parts(then) if then is not None else []
    found = [part for part in parts if isinstance(part, Compare) and _is_limit(part)]
    return found if len(found) == len(parts) else None


@check(Code.RATING_RULE)
def hurdles_set_limits(framework: Framework) -> Iterator[Diagnostic]:
    for hurdle in framework.hurdles:
        for part in _parts(hurdle.then) if hurdle.then is not None else ():
            if _is_limit(part):
                continue
            yield Code.RATING_RULE(
                f"hurdle '{hurdle.id}' says 'then: {describe(part)}', which is not a limit on a rating",
                part.span if isinstance(part, Compare) else hurdle.span,
                help="write 'then:' as limits joined with 'and': 'X is at most G', 'X is at least G' or 'X is G'",
                subjects=(hurdle.id,),
            )


def _off_scale(framework: Framework, hurdle: Hurdle) -> Iterator[tuple[Compare, str, list[str]]]:
    """The hurdle's comparisons of a rating with a grade its scale lacks: (comparison, grade, the scale's grades)."""
    for part in (*comparisons(hurdle.when), *comparisons(hurdle.then)):
        grades = _grades_of(framework, part.name or "") if part.subject == "rating" else []
        wrong = [value for value in part.values if grades and value not in grades]
        if wrong:
            yield part, wrong[0], grades


@check(Code.RATING_RULE)
def hurdle_grades_on_scale(framework: Framework) -> Iterator[Diagnostic]:
    for hurdle in framework.hurdles:
        for part, grade, grades in _off_scale(framework, hurdle):
            yield Code.RATING_RULE(
                f"hurdle '{hurdle.id}' compares '{part.name}' with '{grade}', which is not a grade of its scale "
                f"({', '.join(grades)})",
                part.span,
                help=f"use one of the grades {part.name} is rated in",
                subjects=(hurdle.id,),
            )


# ---- bandings --------------------------------------------------------------------------------

_WHOLE = {"half-up", "down", "half-even"}


def _fmt(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def _interval(band: Band, top: Decimal) -> tuple[Decimal, Decimal, bool]:
    low = band.low if band.low is not None else Decimal(0)
    high = band.high if band.high is not None else top
    inclusive = band.high_inclusive or band.high is None
    return low, high, inclusive


def coverage_problems(bands: tuple[Band, ...], top: Decimal, whole_numbers: bool, unit: str,
                      *, from_zero: bool = True) -> list[str]:
    """Gaps and overlaps of bands over [0, top], in words. With `from_zero` False a gap below
    the lowest band is not one (an average of scores is never below the lowest score)."""
    problems: list[str] = []
    if whole_numbers:
        owners: dict[int, list[Band]] = {v: [] for v in range(int(top) + 1)}
        for band in bands:
            low, high, inclusive = _interval(band, top)
            for value in owners:
                if low <= value < high or (inclusive and value == high):
                    owners[value].append(band)
        gaps = [v for v, owned in owners.items() if not owned]
        overlaps = [v for v, owned in owners.items() if len(owned) > 1]
        if gaps:
            problems.append(f"{_ranges(gaps, unit)} in no band")
        if overlaps:
            problems.append(f"{_ranges(overlaps, unit)} in two bands")
        outside = [b for b in bands if (b.high is not None and b.high > top) or (b.low is not None and b.low < 0)]
        problems.extend(f"a band reaches beyond 0–{_fmt(top)}{unit}" for _ in outside[:1])
        return problems
    intervals = sorted((_interval(b, top) for b in bands), key=lambda i: (i[0], i[1]))
    reach = Decimal(0)
    reach_inclusive = False
    started = False
    for low, high, inclusive in intervals:
        if not started:
            if low > 0 and from_zero:
                problems.append(f"results from 0{unit} to below {_fmt(low)}{unit} fall in no band")
            started = True
        elif low > reach:  # a band's low bound is in it: `below 50%` then `50% to …` leaves no gap
            problems.append(
                f"results {'above' if reach_inclusive else 'from'} {_fmt(reach)}{unit} "
                f"{'and' if reach_inclusive else 'to'} below {_fmt(low)}{unit} fall in no band"
            )
        elif low < reach or (low == reach and reach_inclusive):
            problems.append(_overlap(low, high, inclusive, reach, reach_inclusive, unit))
        if high > reach or (high == reach and inclusive):
            reach, reach_inclusive = high, inclusive
    if started and reach_inclusive and reach < top:
        problems.append(f"results above {_fmt(reach)}{unit} fall in no band")
    elif started and not reach_inclusive and reach <= top:  # the last band ends `below` its bound: the bound is in none
        problems.append(
            f"a result of {_fmt(reach)}{unit} falls in no band" if reach == top
            else f"results of {_fmt(reach)}{unit} and above fall in no band"
        )
    return problems


def _overlap(low: Decimal, high: Decimal, inclusive: bool, reach: Decimal, reach_inclusive: bool, unit: str) -> str:
    """The results from `low` that a band reaching `high` shares with the bands before it,
    which reach `reach`: up to the nearer end, which is shared only if both include it."""
    end = min(high, reach)
    end_shared = (inclusive or high > end) and (reach_inclusive or reach > end)
    if low == end:
        return f"a result of {_fmt(low)}{unit} falls in two bands"
    return f"results from {_fmt(low)}{unit} to {'' if end_shared else 'below '}{_fmt(end)}{unit} fall in two bands"


def _ranges(values: list[int], unit: str) -> str:
    runs: list[tuple[int, int]] = []
    for value in values:
        if runs and runs[-1][1] == value - 1:
            runs[-1] = (runs[-1][0], value)
        else:
            runs.append((value, value))
    words = [f"{a}{unit}" if a == b else f"{a}–{b}{unit}" for a, b in runs]
    noun = "result" if unit == "%" else "total"
    if len(values) > 1:
        return f"{noun}s of {', '.join(words)} fall"
    return f"a {noun} of {words[0]} falls"


@check(Code.BANDING_INCOMPLETE)
def bandings_complete(framework: Framework) -> Iterator[Diagnostic]:
    for banding in framework.bandings:
        if not banding.bands:
            continue
        whole = banding.rounding in _WHOLE
        problems = coverage_problems(banding.bands, Decimal(100), whole, "%")
        if problems:
            why = (
                "" if whole else
                " (no rounding to whole percentages is stated, so a result such as 64.5% is possible)"
                if banding.rounding in (None, "open", "none") else ""
            )
            yield Code.BANDING_INCOMPLETE(
                f"banding '{banding.id}' does not cover 0–100% exactly once: {'; '.join(problems)}{why}",
                banding.span,
                help="close the gaps and overlaps, or state 'rounding:' to whole percentages",
                subjects=(banding.id,),
            )


@check(Code.ROUNDING_NOT_STATED)
def rounding_stated(framework: Framework) -> Iterator[Diagnostic]:
    for banding in framework.bandings:
        if banding.rounding is None:
            yield Code.ROUNDING_NOT_STATED(
                f"banding '{banding.id}' does not say how results on a band boundary are rounded",
                banding.span,
                help="add 'rounding: half up to whole percent' (or down, half even, none), or 'rounding: open' with an 'open:' reason",
                subjects=(banding.id,),
            )


# ---- scales ------------------------------------------------------------------------------------


def _scale(framework: Framework, scale_id: str) -> Scale | None:
    return next((s for s in framework.scales if s.id == scale_id), None)


@check(Code.SCALE_INCONSISTENT)
def scales_consistent(framework: Framework) -> Iterator[Diagnostic]:
    for scale in framework.scales:
        seen_ids: dict[str, Grade] = {}
        seen_labels: dict[str, Grade] = {}
        for grade in scale.grades:
            for seen, key, what in ((seen_ids, grade.id, "id"), (seen_labels, grade.label.casefold(), "label")):
                if key in seen:
                    yield Code.SCALE_INCONSISTENT(
                        f"scale '{scale.id}' uses the grade {what} '{key}' twice",
                        grade.span,
                        related=(Related(seen[key].span, "first used here"),),
                        subjects=(scale.id,),
                    )
                seen[key] = grade
        scored = [g for g in scale.grades if g.score is not None]
        if scored and len(scored) != len(scale.grades):
            missing = ", ".join(g.id for g in scale.grades if g.score is None)
            yield Code.SCALE_INCONSISTENT(
                f"scale '{scale.id}' gives scores to some grades but not to {missing}",
                scale.span, help="give every grade a score, or none", subjects=(scale.id,),
            )
        yield from _rising(scale.id, [(g.id, g.score, g.span) for g in scored], scale.span)
    for composite in framework.composites:
        composite_scale = _scale(framework, composite.scale)
        if composite_scale is None or not composite.scores:
            continue
        order = {g.id: i for i, g in enumerate(composite_scale.grades)}
        given = sorted(composite.scores, key=lambda pair: order.get(pair[0], 0))
        unscored = [g.id for g in composite_scale.grades if g.id not in dict(composite.scores)]
        if unscored:
            yield Code.SCALE_INCONSISTENT(
                f"composite '{composite.id}' gives no score to {', '.join(unscored)}",
                composite.span, subjects=(composite.id,),
            )
        yield from _rising(composite.id, [(g, s, composite.span) for g, s in given], composite.span)
    for banding in framework.bandings:
        yield from _bands_rising(framework, banding.id, banding.scale, banding.bands)
    for composite in framework.composites:
        yield from _bands_rising(framework, composite.id, composite.scale, composite.bands)


def _rising(owner: str, scores: list[tuple[str, Decimal | None, Span]], span: Span) -> Iterator[Diagnostic]:
    for (low_id, low, _), (high_id, high, high_span) in itertools.pairwise(scores):
        if low is not None and high is not None and high <= low:
            yield Code.SCALE_INCONSISTENT(
                f"in '{owner}', {high_id} scores {_fmt(high)}, not more than the lower grade {low_id} ({_fmt(low)})",
                high_span,
                help="scores rise with the grade, lowest grade first",
                subjects=(owner,),
            )


def _bands_rising(framework: Framework, owner: str, scale_id: str, bands: tuple[Band, ...]) -> Iterator[Diagnostic]:
    scale = _scale(framework, scale_id)
    if scale is None:
        return
    order = {g.id: i for i, g in enumerate(scale.grades)}
    ordered = sorted(bands, key=lambda b: b.low if b.low is not None else Decimal(-1))
    for lower, higher in itertools.pairwise(ordered):
        if lower.grade in order and higher.grade in order and order[higher.grade] < order[lower.grade]:
            yield Code.SCALE_INCONSISTENT(
                f"in '{owner}', a higher result gives {higher.grade}, a lower grade than {lower.grade} below it",
                higher.span,
                help="bands give higher grades for higher results",
                related=(Related(lower.span, f"this band gives {lower.grade}"),),
                subjects=(owner,),
            )


# ---- composites ----------------------------------------------------------------------------------


def _module_attributes(framework: Framework) -> list[str]:
    used: list[str] = []
    for domain in framework.domains:
        for condition in (domain.applies_to, *(s.applies_to for s in domain.standards)):
            for name in names_used(condition, "attribute"):
                if name not in used:
                    used.append(name)
    return used


def rated_standards(framework: Framework, level: str, module: dict[str, str]) -> list[Standard]:
    """The standards that count in a composite at a level, for one provider module."""
    counted = []
    for domain in framework.domains:
        if holds_for(domain.applies_to, module) is False:
            continue
        for standard in domain.standards:
            if holds_for(standard.applies_to, module) is False:
                continue
            rating = next((r for r in standard.ratings if r.level == level), None)
            if rating is not None and rating.method in ("cases", "judgement"):
                counted.append(standard)
    return counted


def modules(framework: Framework) -> list[dict[str, str]]:
    assignments: list[dict[str, str]] = [{}]
    for name in _module_attributes(framework):
        attribute = next((a for a in framework.attributes if a.id == name), None)
        if attribute is None:
            continue
        assignments = [{**a, name: value} for a in assignments for value in attribute.values]
    return assignments


def _own_scale_tops(framework: Framework, composite: Composite) -> dict[str, Decimal]:
    """Standard id → the top score of the scale it is judged on, for standards at the
    composite's levels judged on their own scale (`scale:`) whose grades all have scores."""
    tops: dict[str, Decimal] = {}
    for standard in framework.standards():
        for rating in standard.ratings:
            if rating.level not in composite.levels or rating.scale in (None, composite.scale):
                continue
            scale = _scale(framework, rating.scale or "")
            if scale is not None and scale.grades and all(g.score is not None for g in scale.grades):
                tops[standard.id] = max(g.score for g in scale.grades if g.score is not None)
    return tops


@check(Code.COMPOSITE_BANDS)
def composite_bands(framework: Framework) -> Iterator[Diagnostic]:
    for composite in framework.composites:
        if composite.score not in ("sum", "average", "percent-of-maximum") or not composite.bands:
            continue
        if composite.score == "percent-of-maximum":
            problems = coverage_problems(composite.bands, Decimal(100), composite.rounding in _WHOLE, "%")
            if problems:
                yield Code.COMPOSITE_BANDS(
                    f"composite '{composite.id}' gives a percentage of the maximum, but {'; '.join(problems)}",
                    composite.span, help="write bands covering 0–100% once each", subjects=(composite.id,),
                )
            continue
        scale = _scale(framework, composite.scale)
        scores = dict(composite.scores) or ({g.id: g.score for g in scale.grades if g.score is not None} if scale else {})
        own_tops = _own_scale_tops(framework, composite)
        if not scores and own_tops:  # every standard is judged on its own, scored, scale
            scores = {"": max(own_tops.values())}
        if not scores:
            yield Code.COMPOSITE_BANDS(
                f"composite '{composite.id}' sums scores, but its grades have none",
                composite.span,
                help="give the scores with 'scores:' on the composite, or on the scale's grades",
                subjects=(composite.id,),
            )
            continue
        top = max(scores.values())
        if composite.score == "average":
            problems = coverage_problems(composite.bands, top, False, "", from_zero=False)
            if problems:
                yield Code.COMPOSITE_BANDS(
                    f"composite '{composite.id}' averages scores up to {_fmt(top)}, but {'; '.join(problems)}",
                    composite.span, help=f"write bands covering the scores up to {_fmt(top)} once each",
                    subjects=(composite.id,),
                )
            continue
        weights = dict(composite.weights)
        whole = all(v == v.to_integral_value() for v in (*scores.values(), *weights.values()))
        reported: set[tuple[str, ...]] = set()
        for level in composite.levels:
            for module in modules(framework):
                counted = rated_standards(framework, level, module)
                count = len(counted)
                if count == 0:
                    continue
                # The most each standard can score: its own scale's top, when judged on one.
                most = sum((weights.get(s.id, Decimal(1)) * own_tops.get(s.id, top) for s in counted), Decimal(0))
                problems = coverage_problems(composite.bands, most, whole, "")
                key = tuple(problems)
                if not problems or key in reported:
                    continue
                reported.add(key)
                who = (" for " + ", ".join(f"{k} {v}" for k, v in module.items())) if module else ""
                yield Code.COMPOSITE_BANDS(
                    f"composite '{composite.id}' at {level}{who}: {count} {'standards are' if count > 1 else 'standard is'} rated, so totals run "
                    f"0–{_fmt(most)}, but {'; '.join(problems)}",
                    composite.span,
                    help=f"write bands covering 0 to {_fmt(most)} once each, or check which standards are rated at {level}",
                    subjects=(composite.id,),
                )


# ---- hurdles ---------------------------------------------------------------------------------------


@check(Code.HURDLE_CYCLE)
def hurdles_acyclic(framework: Framework) -> Iterator[Diagnostic]:
    edges = [
        (source, target, hurdle)
        for hurdle in framework.hurdles
        for source in names_used(hurdle.when)
        for target in names_used(hurdle.then)
    ]
    for source, target, hurdle in edges:
        if source == target:
            yield Code.HURDLE_CYCLE(
                f"hurdle '{hurdle.id}' caps '{target}' on a condition about '{source}' itself",
                hurdle.span, subjects=(hurdle.id,),
            )
    if len(framework.hurdles) < 2:
        return
    import networkx  # only frameworks with several hurdles pay for it

    graph: networkx.DiGraph[str] = networkx.DiGraph()
    for source, target, hurdle in edges:
        if source != target:
            graph.add_edge(source, target, hurdle=hurdle.id)
    written = {h.id: i for i, h in enumerate(framework.hurdles)}
    cycles = []
    for cycle in networkx.simple_cycles(graph):
        # networkx starts a cycle anywhere; start it at the hurdle written first, so the
        # finding is the same on every run.
        steps = [(graph.edges[a, b]["hurdle"], a) for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=False)]
        start = min(range(len(steps)), key=lambda i: written[steps[i][0]])
        steps = steps[start:] + steps[:start]
        cycles.append(steps)
    for steps in sorted(cycles, key=lambda c: [written[h] for h, _ in c]):
        cycle = [node for _, node in steps]
        names = [hurdle for hurdle, _ in steps]
        first = next(h for h in framework.hurdles if h.id == names[0])
        yield Code.HURDLE_CYCLE(
            "hurdles form a cycle: " + " → ".join(cycle + cycle[:1]) + f" (through {', '.join(sorted(set(names)))})",
            first.span, subjects=tuple(sorted(set(names))),
        )


def _grades_of(framework: Framework, name: str) -> list[str]:
    scale_id = None
    judgement = next((j for j in framework.judgements if j.id == name), None)
    composite = next((c for c in framework.composites if c.id == name), None)
    if judgement is not None:
        scale_id = judgement.scale
    elif composite is not None:
        scale_id = composite.scale
    else:
        standard = next((s for s in framework.standards() if s.id == name), None)
        rating = standard.ratings[0] if standard is not None and standard.ratings else None
        if rating is not None:
            banding = next((b for b in framework.bandings if b.id == rating.banding), None)
            scale_id = banding.scale if banding else rating.scale or _judged_scale(framework, rating.level)
    scale = _scale(framework, scale_id or "")
    return [g.id for g in scale.grades] if scale else []


def _judged_scale(framework: Framework, level: str) -> str | None:
    """The scale a standard judged without a scale of its own is rated on at `level`, as
    the rating engine reads it (ratings/plan.py): the composite's at the level, else a
    banding's, else the first scale."""
    ids = [scale.id for scale in framework.scales]
    for composite in framework.composites:
        if level in composite.levels and composite.scale in ids:
            return composite.scale
    return next((banding.scale for banding in framework.bandings if banding.scale in ids), ids[0] if ids else None)


def _ratings_hold(condition: Condition | None, ratings: dict[str, int], grade_index: dict[str, int]) -> Truth:
    """Whether a hurdle's condition holds when each rating it reads has the grade of the
    given index; None for what it reads besides ratings (counts, totals)."""

    def test(compare: Compare) -> Truth:
        index = ratings.get(compare.name or "") if compare.subject == "rating" else None
        if index is None or not all(value in grade_index for value in compare.values):
            return None
        return compare_among(compare.op, (index,), [grade_index[value] for value in compare.values])

    return evaluate(condition, test)


def _reads_counts_or_totals(hurdle: Hurdle) -> bool:
    """Whether a hurdle reads a count of grades or a composite's total score: whether it fires
    then depends on more than the ratings it names, which this check does not enumerate. (A
    total has no name, so names_used cannot see it.)"""
    return any(part.subject in ("count", "total") for part in (*comparisons(hurdle.when), *comparisons(hurdle.then)))


@check(Code.HURDLE_NEVER_FIRES)
def hurdles_can_fire(framework: Framework) -> Iterator[Diagnostic]:
    for hurdle in framework.hurdles:
        if hurdle.when is None or hurdle.then is None or next(_off_scale(framework, hurdle), None):
            continue  # a grade off the scale is reported as R002
        names = list(dict.fromkeys(names_used(hurdle.when) + names_used(hurdle.then)))
        spaces = [_grades_of(framework, n) for n in names]
        if not names or any(not s for s in spaces) or _reads_counts_or_totals(hurdle):
            continue  # count and total conditions are enumerated by the rating engine's tests
        grade_index = {g: i for space in spaces for i, g in enumerate(space)}
        fires = bites = False
        for combination in itertools.product(*(range(len(s)) for s in spaces)):
            ratings = dict(zip(names, combination, strict=True))
            if _ratings_hold(hurdle.when, ratings, grade_index) is True:
                fires = True
                if _ratings_hold(hurdle.then, ratings, grade_index) is False:
                    bites = True
                    break
        if not bites:
            what = "no combination of ratings meets its condition" if not fires else "whenever it fires, its cap already holds"
            yield Code.HURDLE_NEVER_FIRES(
                f"hurdle '{hurdle.id}' can never change a rating: {what}",
                hurdle.span,
                help="correct the 'when:' condition or the 'then:' cap",
                subjects=(hurdle.id,),
            )
