"""Hurdles: when a condition holds, a rating is held to a limit (2021 consultation §4.5:
"those PDUs judged as 'Inadequate' on their approach to diversity will not find it
possible to gain an 'Outstanding' rating on our leadership standard").

`then:` is read as limits on ratings — `X is at most G` caps X, `X is at least G` floors
it, `X is G` sets it; several may be joined with `and` (anything else is reported by
`precepts check` as R002, validators/rules.py, so it is never rated). When it is undetermined whether
the hurdle applies, the limited rating keeps both possibilities and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from precepts.compiler.conditions import comparisons, describe
from precepts.compiler.model import Compare, Condition, Hurdle
from precepts.ratings.conditions import number_words, ratings_hold
from precepts.ratings.results import HurdleResult
from precepts.ratings.verdicts import RATED, UNDETERMINED, Explanation, Grades, Verdict
from precepts.validators.rules import limits


@dataclass
class RatingState:
    """The ratings of one unit while hurdles are applied, by id."""

    verdicts: dict[str, Verdict]
    grades: dict[str, Grades]
    names: dict[str, str]  # id → "1.1 Leadership", for explanations
    count: Callable[[str | None], tuple[Fraction, Fraction] | None]
    total: Callable[[str | None], tuple[Fraction, Fraction] | None]

    def rating(self, name: str) -> tuple[Verdict, Grades] | None:
        if name in self.verdicts and name in self.grades:
            return self.verdicts[name], self.grades[name]
        return None


def targets(hurdle: Hurdle) -> set[str]:
    return {c.name for c in (limits(hurdle.then) or []) if c.name}


def clamp(possible: tuple[str, ...], limit: Compare, grades: Grades) -> tuple[str, ...]:
    grade = limit.values[0]
    if grade not in grades.ids:
        return possible
    bound = grades.rank(grade)
    ranks = [grades.rank(g) for g in possible]
    if limit.op == "at-most":
        ranks = [min(r, bound) for r in ranks]
    elif limit.op == "at-least":
        ranks = [max(r, bound) for r in ranks]
    else:
        ranks = [bound]
    return grades.between(min(ranks), max(ranks))


def _facts(condition: Condition | None, state: RatingState) -> list[str]:
    """What the condition's subjects are, in words: 'diversity is Inadequate'."""
    facts: list[str] = []
    for compare in comparisons(condition):
        if compare.subject == "rating" and compare.name:
            found = state.rating(compare.name)
            if found is None:
                facts.append(f"{compare.name} is not rated at this level")
                continue
            verdict, grades = found
            who = state.names.get(compare.name, compare.name)
            if verdict.status == RATED:
                facts.append(f"{who} is {grades.label(verdict.possible[0])}")
            elif verdict.status == UNDETERMINED:
                facts.append(f"{who} is undetermined ({grades.words(verdict.possible)}): " + "; ".join(verdict.reasons))
            else:  # not rated, percentages only, reported elsewhere, not applicable: in words
                facts.append(f"{who} is {verdict.status.replace('-', ' ')}")
        elif compare.subject in ("count", "total"):
            lookup = state.count if compare.subject == "count" else state.total
            span = lookup(compare.name)
            what = f"the count of {compare.name}" if compare.subject == "count" else "the total score"
            facts.append(f"{what} is {number_words(span)}" if span else f"{what} is undetermined")
    return list(dict.fromkeys(facts))


def _only_elsewhere(condition: Condition | None, state: RatingState) -> bool:
    """Whether every comparison of the condition is about a rating this level does not
    have (a standard rated at another level): the hurdle cannot fire here. Asked only of a
    hurdle that did not fire, whose condition has comparisons (no condition always holds)."""
    return all(c.subject == "rating" and state.rating(c.name or "") is None for c in comparisons(condition))


def apply_hurdle(hurdle: Hurdle, state: RatingState) -> HurdleResult:
    title = f"Hurdle {hurdle.id} ({hurdle.name})"
    source = f" ({hurdle.source})" if hurdle.source else ""
    fired = ratings_hold(hurdle.when, state.rating, state.count, state.total)
    facts = _facts(hurdle.when, state)
    rule = Explanation(f"rule: when {describe(hurdle.when)}, then {describe(hurdle.then)}{source}")
    found_limits = limits(hurdle.then)
    if found_limits is None:
        why = f"its 'then' ({describe(hurdle.then)}) is not a limit on ratings the engine can apply"
        return HurdleResult(hurdle.id, hurdle.name, None, (), f"{title}: not applied — {why}",
                            Explanation(f"{title}: not applied", (rule, Explanation(why))))
    changes: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    effect_lines: list[Explanation] = []
    for limit in found_limits:
        assert limit.name is not None
        found = state.rating(limit.name)
        if found is None:
            continue
        verdict, grades = found
        if not verdict.counts or fired is False:
            continue
        limited = clamp(verdict.possible, limit, grades)
        who = state.names.get(limit.name, limit.name)
        if fired:
            after = limited
            reasons = verdict.reasons if len(after) > 1 else ()
        else:
            after = grades.span(set(limited) | set(verdict.possible))
            reasons = (*verdict.reasons, f"hurdle {hurdle.id} may apply: " + "; ".join(facts))
        if after == verdict.possible:
            continue
        changes.append((limit.name, verdict.possible, after))
        state.verdicts[limit.name] = grades.verdict(after, reasons)
        effect_lines.append(Explanation(f"{who}: {grades.words(verdict.possible)} → {grades.words(after)}"))
    if fired:
        state_words = "fired"
    elif fired is False and _only_elsewhere(hurdle.when, state):
        state_words = "does not apply at this level"
    elif fired is False:
        state_words = "did not fire"
    else:
        state_words = "may fire (undetermined)"
    because = (rule, *(Explanation(f) for f in facts), *effect_lines)
    if fired and not changes:
        because = (*because, Explanation("every rating was already within the limit, so nothing changed"))
    summary = f"{title}: {state_words}" + (f" — {'; '.join(facts)}" if facts else "")
    if effect_lines:
        summary += "; " + "; ".join(e.text for e in effect_lines)
    return HurdleResult(hurdle.id, hurdle.name, fired, tuple(changes), summary,
                        Explanation(f"{title}: {state_words}", because))
