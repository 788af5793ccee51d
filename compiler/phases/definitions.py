"""Phase: the definitions that the rest of a framework names — levels, case attributes,
scales and bandings. They are read first, in this order, so that every later line can
be checked against the names they define.
"""

from __future__ import annotations

from precepts.compiler import model as m
from precepts.compiler.compilation import Compilation, of_kind
from precepts.compiler.names import did_you_mean
from precepts.core.codes import Code
from precepts.core.diagnostics import Related, Span
from precepts.dsl import ast
from precepts.dsl.outline import KIND_WORDS

ROUNDINGS = {
    "open": "open",
    "none": "none",
    "exact": "none",
    "half up to whole percent": "half-up",
    "nearest whole percent, halves up": "half-up",
    "down to whole percent": "down",
    "half even to whole percent": "half-even",
}


def top_blocks(c: Compilation) -> None:
    """The top blocks of the main file and of each included file, the definitions under
    them, and the main file's domains."""
    c.roots = [c.root] + [d.root for d in c.loaded.includes if d.root is not None]
    for block in c.roots:
        c.check_attributes(block)
    c.definitions = [
        child for block in c.roots for child in block.children
        if child.heading.kind not in ("domain", "questionnaire")
    ]
    c.domain_blocks = [child for child in c.root.children if child.heading.kind == "domain"]


def levels(c: Compilation) -> None:
    found: dict[str, m.Level] = {}
    for block in of_kind(c.definitions, "level"):
        c.check_attributes(block)
        assert block.heading.name is not None
        if not _defined_again(c, block, found):
            found[block.heading.name.text] = m.Level(block.heading.name.text, block.heading.text or "", block.heading.span)
    if not found and c.root.heading.kind == "rules":
        c.levels_elsewhere = True
    if not found:
        # A framework that declares no levels is inspected at one level.
        found["all"] = m.Level("all", "All", Span.point(c.loaded.main.path, 1, 1))
    c.level_ids = list(found)
    c.levels = tuple(found.values())


def case_attributes(c: Compilation) -> None:
    for block in of_kind(c.definitions, "attribute"):
        c.check_attributes(block)
        assert block.heading.name is not None
        if not _defined_again(c, block, c.attributes):
            values = tuple(dict.fromkeys(w.text for w in block.heading.values))
            c.attributes[block.heading.name.text] = m.CaseAttribute(block.heading.name.text, values, block.heading.span)


def scales(c: Compilation) -> None:
    for block in of_kind(c.definitions, "scale"):
        c.check_attributes(block)
        scale = _scale(c, block)
        c.waivers_of(block, scale.id)
        if not _defined_again(c, block, c.scales):
            c.scales[scale.id] = scale


def bandings(c: Compilation) -> None:
    for block in of_kind(c.definitions, "banding"):
        c.check_attributes(block)
        banding = _banding(c, block)
        c.questions_asked(block, banding.id)
        c.waivers_of(block, banding.id)
        if not _defined_again(c, block, c.bandings):
            c.bandings[banding.id] = banding


def _defined_again(c: Compilation, block: ast.Block,
                   defined: dict[str, m.Level] | dict[str, m.CaseAttribute] | dict[str, m.Scale] | dict[str, m.Banding]) -> bool:
    """True, and reported, when the block defines a name defined before it: the first
    definition stands, so a line naming it means the one a reader meets first."""
    name = block.heading.name
    assert name is not None
    first = defined.get(name.text)
    if first is None:
        return False
    what = KIND_WORDS[block.heading.kind].removeprefix("a ")
    c.report(Code.DUPLICATE_DEFINITION(
        f"{what} '{name.text}' is defined twice; the first definition is used",
        name.span,
        help="remove this copy, or give it a name of its own",
        related=(Related(first.span, f"{what} '{name.text}' first defined here"),),
    ))
    return True


def _scale(c: Compilation, block: ast.Block) -> m.Scale:
    grades: list[m.Grade] = []
    for child in block.children:
        c.check_attributes(child)
        heading = child.heading
        assert heading.name is not None
        grades.append(m.Grade(heading.name.text, heading.label or heading.name.text, heading.score, heading.span))
    assert block.heading.name is not None
    return m.Scale(block.heading.name.text, block.heading.text or "", tuple(grades), block.heading.span)


def _banding(c: Compilation, block: ast.Block) -> m.Banding:
    assert block.heading.name is not None
    banding_id = block.heading.name.text
    scale_id = scale_for(c, block)
    rounding = rounding_of(c, block, banding_id)
    return m.Banding(
        banding_id, block.heading.text or "", scale_id, rounding,
        bands(c, block, scale_id, percent=True), c.text_of(block, "source"), block.heading.span,
        _few_cases(c, block),
    )


def _few_cases(c: Compilation, block: ast.Block) -> int | None:
    """`few cases: below N`: a rating resting on a key question inspected in fewer than
    N cases carries a note (precepts rate); None: the engine's default."""
    attribute = c.first(block, "few-cases")
    if attribute is None:
        return None
    fewest = int(attribute.word.text)
    if fewest < 1:
        c.report(Code.INVALID_VALUE(
            "'few cases: below N' needs N of at least 1", attribute.span,
            help="write, for example, 'few cases: below 10'",
        ))
        return None
    return fewest


# ---- readers shared with the rating rules (composites have scales, bands and rounding too) ----


def scale_for(c: Compilation, block: ast.Block) -> str:
    attribute = c.first(block, "scale")
    if attribute is not None:
        word = attribute.word
        c.known(word, "scale", c.scales)
        return word.text
    return next(iter(c.scales), "")


def bands(c: Compilation, block: ast.Block, scale_id: str, percent: bool) -> tuple[m.Band, ...]:
    scale = c.scales.get(scale_id)
    grade_ids = [g.id for g in scale.grades] if scale else []
    found: list[m.Band] = []
    for child in block.children:
        c.check_attributes(child)
        heading = child.heading
        assert heading.range is not None and heading.grade is not None
        rng = heading.range
        if scale is not None and heading.grade.text not in grade_ids:
            c.report(Code.RATING_RULE(
                f"band gives '{heading.grade.text}', which is not a grade of scale '{scale_id}' ({', '.join(grade_ids)})",
                heading.grade.span,
                help=did_you_mean(heading.grade.text, grade_ids),
            ))
        for bound in (rng.low, rng.high):
            if bound is not None and bound.percent != percent:
                c.report(Code.RATING_RULE(
                    "a banding of key-question results is written in percentages, such as 50%"
                    if percent else "composite bands are totals of scores, written without '%'",
                    bound.span,
                ))
        found.append(m.Band(
            heading.name.text if heading.name else None,
            heading.label,
            rng.low.value if rng.low else None,
            rng.high.value if rng.high else None,
            rng.kind != "below",
            percent,
            heading.grade.text,
            heading.span,
        ))
    return tuple(found)


def rounding_of(c: Compilation, block: ast.Block, owner: str) -> str | None:
    attribute = c.first(block, "rounding")
    if attribute is None:
        return None
    word = attribute.word
    rounding = ROUNDINGS.get(word.text.lower())
    if rounding is None:
        c.report(Code.INVALID_VALUE(
            f"unknown rounding rule '{word.text}'",
            word.span,
            help=did_you_mean(word.text, list(ROUNDINGS)) or "use one of: " + "; ".join(ROUNDINGS),
        ))
    elif rounding == "open":
        reason = c.text_of(block, "open") or "the published document does not say how a percentage on a band boundary is rounded"
        c.open_rules.append(m.OpenRule(owner, "rounding", reason, attribute.span))
    return rounding
