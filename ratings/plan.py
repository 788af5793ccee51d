"""What a framework rates at one level, worked out once before any unit is rated.

The plan lists the standards at the level with how each is rated, the key questions and
prompts that feed them, the applicability conditions that decide which cases and units
they cover, the judgements, composites and hurdles at the level, and the names an input
may use for each element (its published number or its stable id).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from precepts.compiler.conditions import both
from precepts.compiler.model import (
    Banding,
    Composite,
    Condition,
    Framework,
    Hurdle,
    Judgement,
    LevelRating,
    Prompt,
    Question,
    Scale,
    Standard,
)
from precepts.ratings.banding import Bander
from precepts.ratings.verdicts import Grades

# Standards whose key questions are judged in each inspected case. Judged standards (such
# as domain one) are rated from other evidence and take no case records.
CASE_METHODS = ("cases", "percentages-only", "elsewhere")


class PlanError(ValueError):
    """The framework cannot be rated as asked (for example, an unknown level)."""


@dataclass(frozen=True, slots=True)
class PromptPlan:
    prompt: Prompt
    condition: Condition | None  # the question's and the prompt's own applicability


@dataclass(frozen=True, slots=True)
class QuestionPlan:
    question: Question
    standard: str
    condition: Condition | None  # the key question's own applicability, about each case
    prompts: tuple[PromptPlan, ...]


@dataclass(frozen=True, slots=True)
class StandardPlan:
    standard: Standard
    method: str  # a LevelRating method, or "none" when the framework gives none at the level
    rating: LevelRating | None
    banding: Banding | None
    grades: Grades | None  # the scale its rating is on
    condition: Condition | None  # the domain's and the standard's applicability, about the unit
    questions: tuple[QuestionPlan, ...]


@dataclass(frozen=True)
class LevelPlan:
    framework: Framework
    level: str
    standards: tuple[StandardPlan, ...]
    judgements: tuple[tuple[Judgement, Grades], ...]
    composites: tuple[tuple[Composite, Grades], ...]
    hurdles: tuple[Hurdle, ...]
    scales: dict[str, Grades]
    attributes: dict[str, tuple[str, ...]]
    open_reasons: dict[tuple[str, str], str]
    banders: dict[str, Bander] = field(default_factory=dict)  # by banding id
    # The names an input may use: published numbers and stable ids.
    standard_keys: dict[str, StandardPlan] = field(default_factory=dict)
    question_keys: dict[str, QuestionPlan] = field(default_factory=dict)
    prompt_keys: dict[str, PromptPlan] = field(default_factory=dict)

    def open_reason(self, subject: str, *whats: str) -> str | None:
        for what in whats:
            if (subject, what) in self.open_reasons:
                return self.open_reasons[(subject, what)]
        return None

    def standard(self, standard_id: str) -> StandardPlan | None:
        return next((s for s in self.standards if s.standard.id == standard_id), None)

    @property
    def questions(self) -> tuple[QuestionPlan, ...]:
        """The key questions answered case by case: those of standards rated from cases,
        reported as percentages, or reported at another level."""
        return tuple(q for s in self.standards if s.method in CASE_METHODS for q in s.questions)


def rated_levels(framework: Framework) -> list[str]:
    """Levels at which the framework rates something, in the order declared."""
    used = {r.level for s in framework.standards() for r in s.ratings if r.method in ("cases", "judgement")}
    used.update(level for c in framework.composites for level in c.levels)
    return [lv.id for lv in framework.levels if lv.id in used]


def choose_level(framework: Framework, requested: str | None) -> str:
    known = [lv.id for lv in framework.levels]
    if requested is not None:
        if requested not in known:
            raise PlanError(f"the framework has no level '{requested}'; its levels are {', '.join(known)}")
        return requested
    rated = rated_levels(framework)
    if len(rated) == 1:
        return rated[0]
    if len(known) == 1:
        return known[0]
    raise PlanError(
        f"the framework rates at more than one level ({', '.join(rated or known)}); say which with --level "
        "or with \"level\" in the input"
    )


def _rating_scale(framework: Framework, level: str, scales: dict[str, Grades]) -> Grades | None:
    """The scale judged standards are rated on: the composite's at the level, else the
    bandings', else the first scale."""
    for composite in framework.composites:
        if level in composite.levels and composite.scale in scales:
            return scales[composite.scale]
    for banding in framework.bandings:
        if banding.scale in scales:
            return scales[banding.scale]
    return next(iter(scales.values()), None)


def build_plan(framework: Framework, level: str) -> LevelPlan:
    scales: dict[str, Grades] = {s.id: Grades.of(s) for s in framework.scales if isinstance(s, Scale)}
    bandings = {b.id: b for b in framework.bandings}
    judged_scale = _rating_scale(framework, level, scales)
    standards: list[StandardPlan] = []
    for domain in framework.domains:
        for standard in domain.standards:
            if level not in standard.levels:
                continue
            rating = next((r for r in standard.ratings if r.level == level), None)
            method = rating.method if rating is not None else "none"
            banding = bandings.get(rating.banding) if rating is not None and rating.banding else None
            if banding is not None:
                grades = scales.get(banding.scale)
            elif rating is not None and rating.scale is not None:
                grades = scales.get(rating.scale)  # a judged standard on its own scale
            else:
                grades = judged_scale
            questions = tuple(
                QuestionPlan(
                    question, standard.id, question.applies_to,
                    tuple(PromptPlan(p, both(question.applies_to, p.applies_to)) for p in question.prompts if level in p.levels),
                )
                for question in standard.questions
                if level in question.levels
            )
            standards.append(StandardPlan(
                standard, method, rating, banding, grades,
                both(domain.applies_to, standard.applies_to), questions,
            ))
    judgements = tuple(
        (j, scales[j.scale]) for j in framework.judgements if level in j.levels and j.scale in scales
    )
    composites = tuple(
        (c, scales[c.scale]) for c in framework.composites if level in c.levels and c.scale in scales
    )
    hurdles = tuple(h for h in framework.hurdles if level in h.levels)
    plan = LevelPlan(
        framework=framework,
        level=level,
        standards=tuple(standards),
        judgements=judgements,
        composites=composites,
        hurdles=hurdles,
        scales=scales,
        attributes={a.id: a.values for a in framework.attributes},
        open_reasons={(r.subject, r.what): r.reason for r in framework.open_rules},
        banders={b.id: Bander(b.bands, b.rounding, scales[b.scale]) for b in framework.bandings if b.scale in scales},
    )
    for standard_plan in plan.standards:
        for key in (standard_plan.standard.number, standard_plan.standard.id):
            plan.standard_keys.setdefault(key, standard_plan)
        if standard_plan.method not in CASE_METHODS:
            continue
        for question_plan in standard_plan.questions:
            for key in (question_plan.question.number, question_plan.question.id):
                plan.question_keys.setdefault(key, question_plan)
            for prompt_plan in question_plan.prompts:
                for key in (prompt_plan.prompt.number, prompt_plan.prompt.id):
                    plan.prompt_keys.setdefault(key, prompt_plan)
    return plan
