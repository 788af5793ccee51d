"""Phase: the rating rules that read the hierarchy — judgements, composites and hurdles.
They come after the hierarchy because composites weigh standards, and hurdles compare the
ratings of standards, judgements and composites.
"""

from __future__ import annotations

from decimal import Decimal

from precepts.compiler import model as m
from precepts.compiler.compilation import Compilation, of_kind
from precepts.compiler.names import did_you_mean
from precepts.compiler.phases.definitions import bands, rounding_of, scale_for
from precepts.core.codes import Code
from precepts.dsl import ast

SCORE_METHODS = {
    "sum": "sum",
    "sum of scores": "sum",
    "average": "average",
    "average score": "average",
    "percentage of maximum": "percent-of-maximum",
    "average as a percentage of the maximum": "percent-of-maximum",
    "open": "open",
}


def ratable_standards(c: Compilation) -> None:
    c.ratable = {s.id: "standard" for d in c.domains for s in d.standards}


def judgements(c: Compilation) -> None:
    found = []
    for block in of_kind(c.definitions, "judgement"):
        c.check_attributes(block)
        assert block.heading.name is not None
        judgement_id = block.heading.name.text
        c.open_rule(block, judgement_id, "judgement")
        c.questions_asked(block, judgement_id)
        c.waivers_of(block, judgement_id)
        found.append(m.Judgement(
            judgement_id, block.heading.text or "", scale_for(c, block),
            c.levels_of(block, tuple(c.level_ids)), c.text_of(block, "source"),
            block.heading.span,
        ))
        c.ratable[judgement_id] = "judgement"
    c.judgements = tuple(found)


def composites(c: Compilation) -> None:
    found = []
    for block in of_kind(c.definitions, "composite"):
        c.check_attributes(block)
        found.append(_composite(c, block))
        c.waivers_of(block, found[-1].id)
        c.questions_asked(block, found[-1].id)
    for composite in found:  # hurdles may cap or read an overall rating too
        c.ratable.setdefault(composite.id, "composite")
    c.composites = tuple(found)


def weights(c: Compilation) -> None:
    """The standards a composite's `weights:` line names, checked once all are known."""
    standard_ids = {s.id for d in c.domains for s in d.standards}
    for word in c.weight_words:
        c.known(word, "standard", standard_ids)


def hurdles(c: Compilation) -> None:
    found = []
    for block in of_kind(c.definitions, "hurdle"):
        c.check_attributes(block)
        assert block.heading.name is not None
        hurdle_id = block.heading.name.text
        c.open_rule(block, hurdle_id, "hurdle")
        c.questions_asked(block, hurdle_id)
        c.waivers_of(block, hurdle_id)
        when = c.first(block, "when")
        then = c.first(block, "then")
        found.append(m.Hurdle(
            hurdle_id, block.heading.text or "", c.levels_of(block, tuple(c.level_ids)),
            c.condition(when.condition, "ratings", c.ratable) if when else None,
            c.condition(then.condition, "ratings", c.ratable) if then else None,
            c.text_of(block, "source"), block.heading.span,
        ))
    c.hurdles = tuple(found)


def _composite(c: Compilation, block: ast.Block) -> m.Composite:
    assert block.heading.name is not None
    composite_id = block.heading.name.text
    scale_id = scale_for(c, block)
    score: str | None = None
    attribute = c.first(block, "score")
    if attribute is not None:
        word = attribute.word
        score = SCORE_METHODS.get(word.text.lower())
        if score is None:
            c.report(Code.INVALID_VALUE(
                f"unknown scoring rule '{word.text}'", word.span,
                help=did_you_mean(word.text, list(SCORE_METHODS)) or "use: sum",
            ))
    is_open = c.first(block, "open") is not None or score == "open"
    if is_open:
        reason = c.text_of(block, "open") or "the published document does not give the composite rule"
        c.open_rules.append(m.OpenRule(composite_id, "composite", reason, block.heading.span))
        score = None
    scores: list[tuple[str, Decimal]] = []
    scores_attribute = c.first(block, "scores")
    if scores_attribute is not None:
        grade_ids = [g.id for g in c.scales[scale_id].grades] if scale_id in c.scales else []
        for word, value in scores_attribute.numbers:
            if c.known(word, f"grade of scale '{scale_id}'", grade_ids):
                scores.append((word.text, value))
    weights: list[tuple[str, Decimal]] = []
    weights_attribute = c.first(block, "weights")
    if weights_attribute is not None:
        weights = [(word.text, value) for word, value in weights_attribute.numbers]
        c.weight_words.extend(word for word, _ in weights_attribute.numbers)
    return m.Composite(
        composite_id, block.heading.text or "", scale_id, c.levels_of(block, tuple(c.level_ids)),
        score, tuple(scores), bands(c, block, scale_id, percent=score == "percent-of-maximum"),
        c.text_of(block, "source"), block.heading.span, tuple(weights), rounding_of(c, block, composite_id),
    )
