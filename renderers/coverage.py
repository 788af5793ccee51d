"""`check --coverage`: which standards, key questions and prompts apply at each level."""

from __future__ import annotations

from precepts.compiler.model import Framework

_METHOD_WORDS = {
    "cases": "rated from cases",
    "judgement": "rated by judgement",
    "not-rated": "not rated",
    "percentages-only": "percentages only",
    "elsewhere": "reported at {}",
    "open": "rating open",
}


def render_coverage(framework: Framework) -> str:
    out = [f"Coverage of {framework.id} ({framework.file})"]
    for level in framework.levels:
        standards = [s for s in framework.standards() if level.id in s.levels]
        questions = [q for s in standards for q in s.questions if level.id in q.levels]
        prompts = [p for q in questions for p in q.prompts if level.id in p.levels]
        out.append(
            f"\n  {level.id} — {level.name}: {len(standards)} standards, {len(questions)} key questions, {len(prompts)} prompts"
        )
        for standard in standards:
            rating = next((r for r in standard.ratings if r.level == level.id), None)
            how = _METHOD_WORDS.get(rating.method, rating.method).format(rating.reported_at) if rating else "rating not stated"
            out.append(f"    {standard.number} {standard.heading} ({how})")
            for question in standard.questions:
                if level.id not in question.levels:
                    continue
                letters = "".join(p.letter for p in question.prompts if level.id in p.levels)
                out.append(f"      {question.number} prompts {letters or '—'}")
    return "\n".join(out) + "\n\n"
