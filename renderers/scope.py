"""What a framework asks at one level: its standards, key questions and prompts there,
each with the whole condition under which it applies to a case.

A prompt inherits the applicability of its key question, standard and domain, so the
condition that decides whether an inspector answers it is all of those together.
"""

from __future__ import annotations

from dataclasses import dataclass

from precepts.compiler import model as m
from precepts.compiler.conditions import all_of

# Standards whose key questions an inspector answers case by case: rated from cases,
# reported as percentages of cases, or inspected in cases and reported at another level.
CASE_METHODS = frozenset({"cases", "percentages-only", "elsewhere"})
JUDGED = "judgement"


@dataclass(frozen=True, slots=True)
class PromptAt:
    prompt: m.Prompt
    condition: m.Condition | None  # the whole condition, inherited from the domain down


@dataclass(frozen=True, slots=True)
class QuestionAt:
    question: m.Question
    condition: m.Condition | None
    prompts: tuple[PromptAt, ...]


@dataclass(frozen=True, slots=True)
class StandardAt:
    standard: m.Standard
    domain: m.Domain
    level: str
    text: str | None
    rating: m.LevelRating | None
    condition: m.Condition | None
    questions: tuple[QuestionAt, ...]

    @property
    def method(self) -> str | None:
        return self.rating.method if self.rating else None


def standards_at(framework: m.Framework, level: str) -> tuple[StandardAt, ...]:
    """Every standard at `level`, in the order written, with what it asks there."""
    found = []
    for domain in framework.domains:
        if level not in domain.levels:
            continue
        for standard in domain.standards:
            if level not in standard.levels:
                continue
            inherited = all_of(domain.applies_to, standard.applies_to)
            questions = tuple(
                QuestionAt(
                    question,
                    all_of(inherited, question.applies_to),
                    tuple(
                        PromptAt(prompt, all_of(inherited, question.applies_to, prompt.applies_to))
                        for prompt in question.prompts
                        if level in prompt.levels
                    ),
                )
                for question in standard.questions
                if level in question.levels
            )
            found.append(StandardAt(
                standard=standard,
                domain=domain,
                level=level,
                text=next((t.text for t in standard.texts if t.level == level), None),
                rating=next((r for r in standard.ratings if r.level == level), None),
                condition=inherited,
                questions=questions,
            ))
    return tuple(found)


def case_assessed(framework: m.Framework, level: str) -> tuple[StandardAt, ...]:
    """The standards at `level` whose key questions are answered for each case."""
    return tuple(s for s in standards_at(framework, level) if s.method in CASE_METHODS and s.questions)


def judged(framework: m.Framework, level: str) -> tuple[StandardAt, ...]:
    """The standards at `level` that the lead inspector rates by judgement."""
    return tuple(s for s in standards_at(framework, level) if s.method == JUDGED)


def judgements_at(framework: m.Framework, level: str) -> tuple[m.Judgement, ...]:
    return tuple(j for j in framework.judgements if level in j.levels)


def scale(framework: m.Framework, scale_id: str | None) -> m.Scale | None:
    return next((s for s in framework.scales if s.id == scale_id), None)


def judged_scale(framework: m.Framework, level: str) -> m.Scale | None:
    """The scale judged standards are rated on, as `precepts rate` chooses it: the scale of
    the composite at the level, else that of the bandings, else the first scale."""
    chosen = [c.scale for c in framework.composites if level in c.levels] + [b.scale for b in framework.bandings]
    for scale_id in chosen:
        found = scale(framework, scale_id)
        if found is not None:
            return found
    return framework.scales[0] if framework.scales else None
