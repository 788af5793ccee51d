"""The composite (overall) rating: score each standard's rating, combine the scores as
the framework says, and band the result.

A standard that carries no rating (not rated, NR in the input, percentages only,
reported elsewhere, not applicable) is left out, and the result says so. A standard whose
rating is undetermined contributes the range of scores it could have; the composite is
rated only if every total in that range falls in the same band.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from precepts.compiler.conditions import attributes_used, holds_for
from precepts.compiler.model import Band, Composite, Condition
from precepts.ratings.banding import band_range, known_low, place
from precepts.ratings.numbers import exact, plain
from precepts.ratings.plan import LevelPlan
from precepts.ratings.results import CompositeResult, StandardResult
from precepts.ratings.verdicts import RATED, UNDETERMINED, Explanation, Grades, Verdict

SCORE_WORDS = {
    "sum": "the sum of the standards' scores",
    "average": "the average of the standards' scores",
    "percent-of-maximum": "the standards' scores as a percentage of the most they could score",
}


def grade_scores(plan: LevelPlan, composite: Composite) -> dict[str, Fraction]:
    """Grade → score: the composite's own scores, or else the scale's."""
    if composite.scores:
        return {grade: exact(score) for grade, score in composite.scores}
    scale = next((s for s in plan.framework.scales if s.id == composite.scale), None)
    return {g.id: exact(g.score) for g in scale.grades if g.score is not None} if scale else {}


def scale_scores(plan: LevelPlan, scale_id: str) -> dict[str, Fraction]:
    """Grade → score on a scale whose every grade has a score; empty otherwise."""
    scale = next((s for s in plan.framework.scales if s.id == scale_id), None)
    if scale is None or any(g.score is None for g in scale.grades):
        return {}
    return {g.id: exact(g.score) for g in scale.grades if g.score is not None}


def weights_of(composite: Composite) -> dict[str, Fraction]:
    """Per-standard weights, where the model gives them (a planned `weights:` line);
    every standard weighs 1 otherwise."""
    given: tuple[tuple[str, Decimal], ...] = getattr(composite, "weights", ()) or ()
    return {standard: exact(weight) for standard, weight in given}


MAX_WORLDS = 64


def rate_composite(plan: LevelPlan, composite: Composite, grades: Grades, standards: tuple[StandardResult, ...],
                   verdicts: Mapping[str, Verdict], given_total: Fraction | None,
                   attributes: Mapping[str, str] | None = None) -> CompositeResult:
    """The composite of a unit's standards. Where whether a standard applies depends on a
    unit attribute the input does not give (the 2017 draft's NPS and CRC modules, without
    the provider), it is worked out for each value the attribute can take, and the
    results are combined: counting every module at once would give totals no unit can have."""
    attributes = attributes or {}
    conditions = {p.standard.id: p.condition for p in plan.standards}
    open_ids = {
        s.id for s in standards
        if verdicts[s.id].status == UNDETERMINED and holds_for(conditions.get(s.id), attributes) is None
        and not any(q.evidence != "none" for q in s.questions)
    }
    names = sorted(set().union(*(attributes_used(conditions[i]) for i in open_ids)) - attributes.keys())
    worlds = list(itertools.product(*(plan.attributes.get(n, ()) for n in names)))
    if open_ids and names and 1 < len(worlds) <= MAX_WORLDS:
        return _over_worlds(plan, composite, grades, standards, verdicts, given_total, attributes, conditions,
                            open_ids, [dict(zip(names, values, strict=True)) for values in worlds])
    return _rate_composite(plan, composite, grades, standards, verdicts, given_total)


def _over_worlds(plan: LevelPlan, composite: Composite, grades: Grades, standards: tuple[StandardResult, ...],
                 verdicts: Mapping[str, Verdict], given_total: Fraction | None, attributes: Mapping[str, str],
                 conditions: Mapping[str, Condition | None], open_ids: set[str],
                 worlds: list[dict[str, str]]) -> CompositeResult:
    results = []
    for world in worlds:
        merged = {**attributes, **world}
        kept = tuple(s for s in standards if s.id not in open_ids or holds_for(conditions[s.id], merged))
        results.append((world, _rate_composite(plan, composite, grades, kept, verdicts, given_total)))
    alike = {(r.verdict.status, r.verdict.possible) for _, r in results}
    given = " and ".join(sorted(worlds[0]))
    if len(alike) == 1 and results[0][1].verdict.status == RATED:
        verdict = results[0][1].verdict
        why = f"{grades.label(verdict.possible[0])} whatever {given} is"
    else:
        possible = grades.span({g for _, r in results for g in r.verdict.possible})
        why = f"which standards count depends on {given}, which the input does not give"
        verdict = grades.undetermined(possible, why)
    totals = [r.total for _, r in results]
    known = [t for t in totals if t is not None]
    total = (min(t[0] for t in known), max(t[1] for t in known)) if len(known) == len(totals) else None
    maxima = {r.maximum for _, r in results}
    bands = {id(r.band) for _, r in results}
    first = results[0][1]
    head = f"{composite.name}: {_verdict_words(verdict, grades)}"
    open_numbers = ", ".join(s.number for s in standards if s.id in open_ids)
    because = [Explanation(f"whether {open_numbers} apply depends on {given}, which the input does not give: "
                           f"the composite is worked out for each value {given} can take")]
    for world, result in results:
        setting = ", ".join(f"{name} is {value}" for name, value in world.items())
        because.append(Explanation(f"if {setting}: {result.summary.split(' — ', 1)[-1]}", result.explanation.because))
    return CompositeResult(
        composite.id, composite.name, composite.scale, composite.score, verdict, total,
        maxima.pop() if len(maxima) == 1 else None,
        tuple(dict.fromkeys(n for _, r in results for n in r.counted)),
        # One unit counts one value's standards, not all the values' at once (12 in the 2017
        # draft, where either provider counts 10).
        max(r.standards_counted for _, r in results),
        tuple(dict.fromkeys(x for _, r in results for x in r.left_out)),
        given_total, None, first.band if len(bands) == 1 else None, (),
        tuple(dict.fromkeys(n for _, r in results for n in r.notes)),
        f"{head} — {why}", Explanation(head, tuple(because)),
    )


def _rate_composite(plan: LevelPlan, composite: Composite, grades: Grades, standards: tuple[StandardResult, ...],
                    verdicts: Mapping[str, Verdict], given_total: Fraction | None) -> CompositeResult:
    title = composite.name
    counted: list[StandardResult] = []
    left_out: list[tuple[str, str]] = []
    # A standard judged on its own scale (statements scored 1 to 4, say) counts by its
    # scale's scores; without scores it cannot be added to the others.
    own_scores = {standard.scale: scale_scores(plan, standard.scale) for standard in standards
                  if standard.scale is not None and standard.scale != composite.scale}
    for standard in standards:
        verdict = verdicts[standard.id]
        if standard.scale != composite.scale and not own_scores.get(standard.scale or ""):
            left_out.append((standard.number, f"rated on another scale ({standard.scale}), whose grades have no scores"))
        elif verdict.counts:
            counted.append(standard)
        elif verdict.status != "not-applicable":
            left_out.append((standard.number, "; ".join(verdict.reasons) or verdict.status))
    not_applicable = [s.number for s in standards if verdicts[s.id].status == "not-applicable"]

    def finish(verdict: Verdict, total: tuple[Fraction, Fraction] | None, maximum: Fraction | None,
               because: list[Explanation], band: Band | None = None, next_band: tuple[str, Fraction] | None = None,
               notes: tuple[str, ...] = (), tail: str = "") -> CompositeResult:
        head = f"{title}: {_verdict_words(verdict, grades)}"
        summary = f"{head} — {tail}" if tail else head
        return CompositeResult(
            composite.id, composite.name, composite.scale, composite.score, verdict, total, maximum,
            tuple(s.number for s in counted), len(counted), tuple(left_out), given_total, next_band, band, (), notes,
            summary, Explanation(head, tuple(because)),
        )

    left_lines = [Explanation(f"{number} left out: {why}") for number, why in left_out]
    if not_applicable:
        left_lines.append(Explanation(f"not applicable to this unit: {', '.join(not_applicable)}"))
    if composite.score is None:
        reason = plan.open_reason(composite.id, "composite") or "the framework does not give the composite rule"
        why = f"the composite rule is left open: {reason}"
        return finish(grades.undetermined(None, why), None, None, [Explanation(why)], tail=why)
    method = composite.score
    if method not in SCORE_WORDS:
        why = f"the engine does not know the scoring rule '{method}'"
        return finish(grades.undetermined(None, why), None, None, [Explanation(why)], tail=why)
    scores = grade_scores(plan, composite)
    weights = weights_of(composite)
    score_list = ", ".join(f"{grades.label(g)} {plain(scores[g])}" for g in grades.ids if g in scores)
    for scale_id, other in own_scores.items():
        if other and any(s.scale == scale_id for s in counted):
            other_grades = plan.scales[scale_id]
            score_list += ("; " if score_list else "") + ", ".join(f"{other_grades.label(g)} {plain(v)}" for g, v in other.items())
    rule = Explanation(
        f"rule: {SCORE_WORDS[method]} ({score_list})"
        + (", weighted " + ", ".join(f"{k} ×{plain(v)}" for k, v in weights.items()) if weights else "")
        + (f"; {composite.source}" if composite.source else "")
    )
    if not counted:
        why = "no standard is rated"
        return finish(grades.undetermined(None, why), None, None, [rule, *left_lines, Explanation(why)], tail=why)

    low_sum = high_sum = Fraction(0)
    weight_sum = best_sum = Fraction(0)
    tops: list[Fraction] = list(scores.values())  # the top score of every scale involved
    lines: list[Explanation] = []
    unscored: list[str] = []
    for standard in counted:
        verdict = verdicts[standard.id]
        weight = weights.get(standard.id, Fraction(1))
        own_scale = standard.scale if standard.scale != composite.scale else None
        standard_scores = own_scores[own_scale] if own_scale is not None else scores
        standard_grades = plan.scales[own_scale] if own_scale is not None else grades
        missing = [g for g in verdict.possible if g not in standard_scores]
        if missing:
            unscored.append(f"{standard.number} ({', '.join(standard_grades.label(g) for g in missing)})")
            continue
        possible_scores = [standard_scores[g] for g in verdict.possible]
        low, high = min(possible_scores) * weight, max(possible_scores) * weight
        low_sum += low
        high_sum += high
        weight_sum += weight
        standard_top = max(standard_scores.values())
        best_sum += standard_top * weight
        tops.append(standard_top)
        times = f" ×{plain(weight)}" if weight != 1 else ""
        if verdict.status == RATED:
            lines.append(Explanation(f"{standard.number} {standard.heading}: {standard_grades.label(verdict.possible[0])} → {plain(low)}{times}"))
        else:
            lines.append(Explanation(
                f"{standard.number} {standard.heading}: undetermined ({standard_grades.words(verdict.possible)}) → {plain(low)} to {plain(high)}{times}"
            ))
    if unscored:
        why = "the framework gives no score for " + "; ".join(unscored)
        return finish(grades.undetermined(None, why), None, None, [rule, *lines, *left_lines, Explanation(why)], tail=why)

    if best_sum == 0:
        # Every standard counted weighs 0, or its scale's top score is 0: the total is 0
        # whatever their ratings. An average (0/0) or a percentage of a maximum of 0 has no
        # value, and a sum of 0 would put the unit in the lowest band for a total nobody
        # could have raised: there is nothing to score.
        why = (f"nothing to score: the most the standards counted ({', '.join(s.number for s in counted)}) "
               "could score is 0, so the total says nothing of their ratings")
        return finish(grades.undetermined(None, why), None, None, [rule, *lines, *left_lines, Explanation(why)], tail=why)

    if method == "sum":
        total, maximum = (low_sum, high_sum), best_sum
    elif method == "average":
        # The most an average can be is the top score of the scales involved: the
        # composite's own (its bands are on it) or, unscored, those the standards counted are judged on.
        total, maximum = (low_sum / weight_sum, high_sum / weight_sum), max(tops)
    else:
        total, maximum = (low_sum * 100 / best_sum, high_sum * 100 / best_sum), Fraction(100)
    unit = "%" if method == "percent-of-maximum" else ""
    notes: list[str] = []
    computed = total
    if given_total is not None:
        if total[0] == total[1] and given_total != total[0]:
            notes.append(f"the input gives a total of {plain(given_total)}, but the standards' scores give {plain(total[0])}")
        elif not total[0] <= given_total <= total[1]:
            notes.append(
                f"the input gives a total of {plain(given_total)}, outside the {plain(total[0])}–{plain(total[1])} the standards' ratings allow"
            )
        else:
            total = (given_total, given_total)
    rated_count = len(counted)
    of_what = f"{rated_count} standard{'s' if rated_count != 1 else ''}"
    if total[0] == total[1]:
        total_line = f"total {plain(total[0])}{unit}" + (f" of {plain(maximum)}" if method == "sum" else "") + f" from {of_what}"
        if given_total is not None and not notes and computed[0] != computed[1]:
            total_line += f" (as given in the input; the ratings given allow {plain(computed[0])}–{plain(computed[1])})"
        elif given_total is not None and not notes:
            total_line += " (the input gives the same total)"
    else:
        total_line = f"total between {plain(total[0])}{unit} and {plain(total[1])}{unit} from {of_what}"
    # A percentage is rounded as the composite says, as a banding's is (open or unstated: every reading).
    low_place = place(total[0], composite.bands, composite.rounding, grades, unit or "")
    high_place = place(total[1], composite.bands, composite.rounding, grades, unit or "")
    because = [rule, *lines, *left_lines, *(Explanation(n) for n in notes)]
    if low_place.band is not None and low_place.band is high_place.band:
        band = low_place.band
        verdict = grades.rated(band.grade)
        next_band = _next_band(composite.bands, grades, band, total[0])
        band_line = f"{total_line}, band {band_range(band)} → {grades.label(band.grade)}"
        because.append(Explanation(band_line))
        tail = band_line
        if next_band is not None:
            step = f"{plain(next_band[1])} point{'s' if next_band[1] != 1 else ''} short of {grades.label(next_band[0])}"
            because.append(Explanation(step))
            tail += f"; {step}"
        return finish(verdict, total, maximum, because, band, next_band, tuple(notes), tail)
    possible = grades.span(set(low_place.possible) | set(high_place.possible))
    if total[0] == total[1]:
        why = f"{total_line}: {low_place.reason}"
    else:
        undetermined = [s.number for s in counted if verdicts[s.id].status == UNDETERMINED]
        why = f"{total_line}, which spans more than one band, because {', '.join(undetermined)} {'is' if len(undetermined) == 1 else 'are'} undetermined"
    because.append(Explanation(why))
    return finish(grades.undetermined(possible, why), total, maximum, because, notes=tuple(notes), tail=why)


def _verdict_words(verdict: Verdict, grades: Grades) -> str:
    """'Good'; or 'undetermined' alone when any grade is possible, and with the grades
    when fewer are: 'undetermined (Requires improvement or Good)', or 'undetermined (Good)'
    for a total between two bands of the same grade, which no band holds."""
    if verdict.status == RATED:
        return grades.label(verdict.possible[0])
    return "undetermined" + (f" ({grades.words(verdict.possible)})" if len(verdict.possible) < len(grades.ids) else "")


def _next_band(bands: tuple[Band, ...], grades: Grades, band: Band, total: Fraction) -> tuple[str, Fraction] | None:
    """The next better band up, and how many points short of it the total is."""
    rank = grades.rank(band.grade)
    better = [b for b in bands if b.low is not None and grades.rank(b.grade) > rank and exact(b.low) > total]
    if not better:
        return None
    nearest = min(better, key=known_low)
    return nearest.grade, known_low(nearest) - total
