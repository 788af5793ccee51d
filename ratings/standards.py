"""Rating one standard for one unit: key-question results, the lowest banding, judged
ratings, and the standards that carry no rating (not rated, percentages only, reported
at another level, not applicable)."""

from __future__ import annotations

from fractions import Fraction

from precepts.compiler.conditions import attributes_used, describe, holds_for
from precepts.ratings.banding import band_words
from precepts.ratings.inputs import Evidence, UnitInput
from precepts.ratings.numbers import plain
from precepts.ratings.plan import CASE_METHODS, LevelPlan, QuestionPlan, StandardPlan
from precepts.ratings.results import PromptResult, QuestionResult, StandardResult, Step
from precepts.ratings.sensitivity import StandardSensitivity, question_steps, step_words
from precepts.ratings.verdicts import (
    NOT_APPLICABLE,
    NOT_RATED,
    PERCENTAGES_ONLY,
    RATED,
    REPORTED_ELSEWHERE,
    UNDETERMINED,
    Explanation,
    Grades,
    Verdict,
)

METHOD_WORDS = {
    "cases": "rated from cases",
    "judgement": "rated by judgement",
    "not-rated": "not rated at this level",
    "percentages-only": "reported as percentages only, without a rating",
    "elsewhere": "reported at another level",
    "open": "how it is rated is left open",
    "none": "the framework gives no rating rule at this level",
}


def question_name(question: QuestionResult | QuestionPlan) -> str:
    if isinstance(question, QuestionPlan):
        return f"{question.question.number} ({question.question.text})"
    return f"{question.number} ({question.text})"


def evidence_words(evidence: Evidence) -> str:
    """"72% = 36/50" or "72% (a published percentage)", with the cases not applicable."""
    shown = f"{plain(evidence.percentage)}%"
    if evidence.sufficient is not None and evidence.inspected is not None:
        shown += f" = {evidence.sufficient}/{evidence.inspected}"
    else:
        shown += " (a published percentage)"
    if evidence.not_applicable:
        shown += f", {evidence.not_applicable} not applicable"
    return shown


# ---- key questions --------------------------------------------------------------------------


def rate_question(plan: LevelPlan, standard: StandardPlan, question: QuestionPlan, unit: UnitInput) -> QuestionResult:
    q = question.question
    evidence = unit.questions.get(q.id)
    banding = standard.banding if standard.method == "cases" else None
    grades = standard.grades
    prompts = tuple(
        PromptResult(p.prompt.id, p.prompt.number, t.yes, t.no, t.not_applicable)
        for p in question.prompts
        if (t := unit.prompts.get(p.prompt.id)) is not None
    )
    name = question_name(question)
    if evidence is None:
        why = "not answered in any case record" if unit.cases else "no result given"
        verdict = (grades.undetermined(None, f"{q.number}: {why}") if grades and banding
                   else Verdict(UNDETERMINED, (), (f"{q.number}: {why}",)))
        return QuestionResult(q.id, q.number, q.text, "none", None, None, 0, None, None, verdict, None, None,
                              prompts, Explanation(f"{name}: {why}"))
    if evidence.inspected == 0:
        verdict = Verdict(NOT_APPLICABLE, (), (f"{q.number} applies to none of the cases",))
        return QuestionResult(
            q.id, q.number, q.text, "not-applicable", 0, 0, evidence.not_applicable, None, None, verdict,
            None, None, prompts,
            Explanation(f"{name}: not applicable in any of the {evidence.not_applicable} cases — left out"),
        )
    shown = evidence_words(evidence)
    if banding is None or grades is None:
        return QuestionResult(
            q.id, q.number, q.text, evidence.kind, evidence.sufficient, evidence.inspected,
            evidence.not_applicable, evidence.percentage, None, Verdict(PERCENTAGES_ONLY), None, None, prompts,
            Explanation(f"{name}: {shown}"),
        )
    bander = plan.banders[banding.id]
    placed = bander.place(evidence.percentage)
    if placed.band is not None:
        verdict = grades.rated(placed.band.grade)
        explanation = Explanation(f"{name}: {shown}, {band_words(placed.band, grades)}")
    else:
        reasons = [f"{q.number}: {placed.reason}"]
        open_reason = plan.open_reason(banding.id, "rounding")
        if open_reason:
            reasons.append(f"open rule on banding '{banding.id}': {open_reason}")
        verdict = grades.undetermined(placed.possible, *reasons)
        explanation = Explanation(
            f"{name}: {shown} → undetermined ({grades.words(placed.possible)})",
            tuple(Explanation(r) for r in reasons),
        )
    up = down = None
    if verdict.status == RATED and evidence.sufficient is not None and evidence.inspected is not None:
        up, down = question_steps(bander, evidence.sufficient, evidence.inspected, q.number, grades.rank(verdict.possible[0]))
    return QuestionResult(
        q.id, q.number, q.text, evidence.kind, evidence.sufficient, evidence.inspected, evidence.not_applicable,
        evidence.percentage, placed.band, verdict, up, down, prompts, explanation,
    )


# ---- the lowest banding ---------------------------------------------------------------------


def lowest_banding(grades: Grades, questions: tuple[QuestionResult, ...]) -> tuple[Verdict, tuple[str, ...]]:
    """The standard takes the lowest banding of its key questions (2017 §4.10; 2018/19
    Annex A). Returns the verdict and the numbers of the key questions that set it."""
    counted = [q for q in questions if q.verdict.status in (RATED, UNDETERMINED)]
    if not counted:
        return grades.undetermined(None, "no key question has a result"), ()
    lows = [grades.rank(q.verdict.possible[0]) for q in counted]
    highs = [grades.rank(q.verdict.possible[-1]) for q in counted]
    low, high = min(lows), min(highs)
    possible = grades.between(low, high)
    if low == high:
        setting = [q for q, r, h in zip(counted, lows, highs, strict=True) if r == h == low]
        # The one nearest the band below first: it is the one that explains the rating.
        setting.sort(key=lambda q: (q.percentage if q.percentage is not None else 101, q.number))
        lowest = tuple(q.number for q in setting)
        return grades.rated(possible[0]), lowest
    # Undetermined: only key questions that could still be the lowest matter.
    reasons = tuple(r for q, r_low in zip(counted, lows, strict=True) if r_low < high for r in q.verdict.reasons)
    return grades.undetermined(possible, *reasons), ()


# A rating from fewer cases than this carries a note: with four cases, one case judged
# differently moves a key question by 25 points, more than a whole band (2017 §4.8's bands
# are 15 points wide), so the panel should read the rating with that in mind.
FEW_CASES = 5


def few_cases_note(questions: tuple[QuestionResult, ...], fewest: int) -> str | None:
    """"rests on few cases: …" when a key question the rating rests on was inspected in
    fewer than `fewest` cases; None otherwise."""
    few = [q for q in questions if q.verdict.status in (RATED, UNDETERMINED) and q.inspected is not None and q.inspected < fewest]
    if not few:
        return None
    counts = ", ".join(f"{q.number} on {q.inspected} case{'s' if q.inspected != 1 else ''}" for q in few)
    swing = plain(max(Fraction(100, q.inspected or 1) for q in few))
    return (f"rests on few cases: {counts} (fewer than {fewest}; one case judged differently moves "
            f"{'it' if len(few) == 1 else 'a key question'} by {swing} points)")


# ---- the standard ---------------------------------------------------------------------------


def rate_standard(plan: LevelPlan, standard: StandardPlan, unit: UnitInput) -> StandardResult:
    s = standard.standard
    title = f"{s.number} {s.heading}"
    grades = standard.grades
    scale = grades.scale if grades else None
    # Judged standards have key questions too, but they are not answered case by case.
    questions = (
        tuple(rate_question(plan, standard, q, unit) for q in standard.questions) if standard.method in CASE_METHODS else ()
    )
    method_line = _method_line(plan, standard)

    def result(verdict: Verdict, summary_tail: str, because: list[Explanation], lowest: tuple[str, ...] = (),
               up: Step | None = None, down: Step | None = None) -> StandardResult:
        head = f"{title}: {verdict_words(verdict, grades)}"
        summary = f"{head} — {summary_tail}" if summary_tail else head
        return StandardResult(s.id, s.number, s.heading, s.domain, standard.method, scale, verdict, questions,
                              lowest, up, down, (), summary, Explanation(head, tuple(because)))

    applies = holds_for(standard.condition, unit.attributes)
    given = unit.standards.get(s.id)
    evidence_given = any(q.evidence not in ("none",) for q in questions) or given is not None
    if applies is False:
        why = _not_applicable_words(standard, unit)
        return result(Verdict(NOT_APPLICABLE, (), (why,)), why, [Explanation(why)])
    if given is not None and given.grade is None:
        why = "not rated (NR) in the input" + (f": {given.reason}" if given.reason else "")
        return result(Verdict(NOT_RATED, (), (why,)), why, [Explanation(why), *(q.explanation for q in questions if q.evidence != "none")])
    if applies is None and not evidence_given:
        needed = ", ".join(sorted(attributes_used(standard.condition)))
        why = f"whether it applies ({describe(standard.condition)}) depends on {needed}, which the input does not give"
        return result(Verdict(UNDETERMINED, grades.ids if grades else (), (why,)), why, [Explanation(why)])

    method = standard.method
    if method == "cases" and grades is not None and standard.banding is not None:
        verdict, lowest = lowest_banding(grades, questions)
        because = [method_line]
        for q in questions:
            mark = " ← lowest" if q.number in lowest else ""
            because.append(Explanation(q.explanation.text + mark, q.explanation.because))
        up = down = None
        tail = ""
        if verdict.status == RATED:
            sensitivity = StandardSensitivity(plan.banders[standard.banding.id], questions)
            up, down = sensitivity.step_up(), sensitivity.step_down()
            first = next(q for q in questions if q.number == lowest[0])
            tail = f"lowest key question {question_name(first)} {_short_evidence(first)}"
            if first.band is not None:
                tail += f", {band_words(first.band, grades)}"
            if len(lowest) > 1:
                tail += f" (also {', '.join(lowest[1:])})"
            if up is not None:
                tail += f"; {step_words(up, grades, more=True)}"
                because.append(Explanation(step_words(up, grades, more=True)))
            if down is not None:
                because.append(Explanation(step_words(down, grades, more=False)))
        else:
            tail = "; ".join(verdict.reasons)
            deciding = [q.number for q in questions if q.verdict.status == UNDETERMINED
                        and grades.rank(q.verdict.possible[0]) < grades.rank(verdict.possible[-1])]
            because.append(Explanation(
                f"undetermined ({grades.words(verdict.possible)}): the lowest banding depends on "
                + (", ".join(deciding) if deciding else "key questions without a result")
            ))
        few = few_cases_note(questions, standard.banding.few_cases or FEW_CASES)
        if few is not None:
            tail = f"{tail}; {few}" if tail else few
            because.append(Explanation(few))
        return result(verdict, tail, because, lowest, up, down)
    if method == "judgement" and grades is not None:
        if given is not None and given.grade is not None:
            verdict = grades.rated(given.grade)
            words = f"judged {grades.label(given.grade)}" + (f" ({given.reason})" if given.reason else "")
            because = [method_line, Explanation(words)]
            characteristic = next((c for c in s.characteristics if c.grade == given.grade), None)
            if characteristic is not None:
                because.append(Explanation(f"published characteristics of {grades.label(given.grade)}: {characteristic.text}"))
            return result(verdict, words, because)
        why = f"{s.number} is rated by judgement and the input gives no judged rating"
        return result(grades.undetermined(None, why), why, [method_line, Explanation(why)])
    if method in ("not-rated", "percentages-only", "elsewhere"):
        status = {"not-rated": NOT_RATED, "percentages-only": PERCENTAGES_ONLY, "elsewhere": REPORTED_ELSEWHERE}[method]
        why = METHOD_WORDS[method]
        if method == "elsewhere" and standard.rating is not None and standard.rating.reported_at:
            why = f"reported at level '{standard.rating.reported_at}', not rated here"
        shown = [q for q in questions if q.percentage is not None]
        tail = why + ("; " + ", ".join(f"{q.number} {_short_evidence(q)}" for q in shown) if shown else "")
        return result(Verdict(status, (), (why,)), tail, [Explanation(why), *(q.explanation for q in shown)])
    reason = plan.open_reason(s.id, "rating", "standard") if method == "open" else None
    why = METHOD_WORDS.get(method, method) + (f": {reason}" if reason else "")
    return result(Verdict(UNDETERMINED, grades.ids if grades else (), (why,)), why, [Explanation(why)])


def _method_line(plan: LevelPlan, standard: StandardPlan) -> Explanation:
    if standard.method == "cases" and standard.banding is not None:
        banding = standard.banding
        rounding = {
            None: "rounding not stated", "open": "rounding left open", "none": "not rounded",
            "half-up": "rounded half up to whole percentages", "down": "rounded down to whole percentages",
            "half-even": "rounded half to even to whole percentages",
        }.get(banding.rounding, f"rounding {banding.rounding}")
        source = f"; {banding.source}" if banding.source else ""
        return Explanation(
            f"rule: rated from cases — the lowest banding of its key questions (banding '{banding.id}', {rounding}{source})"
        )
    if standard.method == "judgement" and standard.rating is not None and standard.rating.scale and standard.grades:
        scale = next((s for s in plan.framework.scales if s.id == standard.rating.scale), None)
        return Explanation(f"rule: rated by judgement, on its own scale '{scale.name if scale else standard.rating.scale}' "
                           f"({standard.grades.words(standard.grades.ids)})")
    return Explanation(f"rule: {METHOD_WORDS.get(standard.method, standard.method)}")


def _short_evidence(question: QuestionResult) -> str:
    if question.percentage is None:
        return ""
    shown = f"{plain(question.percentage)}%"
    if question.sufficient is not None and question.inspected is not None:
        shown += f" = {question.sufficient}/{question.inspected}"
    return shown


def verdict_words(verdict: Verdict, grades: Grades | None) -> str:
    """'Good', 'undetermined (Good or Outstanding)', 'not rated'…"""
    if verdict.status == RATED and grades is not None:
        return grades.label(verdict.possible[0])
    if verdict.status == UNDETERMINED:
        return "undetermined" + (f" ({grades.words(verdict.possible)})" if grades and verdict.possible and len(verdict.possible) < len(grades.ids) else "")
    return {
        NOT_RATED: "not rated", PERCENTAGES_ONLY: "percentages only", REPORTED_ELSEWHERE: "reported elsewhere",
        NOT_APPLICABLE: "not applicable",
    }.get(verdict.status, verdict.status)


def _not_applicable_words(standard: StandardPlan, unit: UnitInput) -> str:
    used = sorted(attributes_used(standard.condition))
    values = ", ".join(f"{name} is {unit.attributes[name]}" for name in used if name in unit.attributes)
    return f"it applies only where {describe(standard.condition)}, and here {values}"


