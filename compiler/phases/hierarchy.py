"""Phase: the hierarchy — domains, sections, standards, key questions and prompts.

Levels and applicability are inherited down the hierarchy; the per-level parts of one
standard (same id, levels that do not overlap) are merged into one standard; every
element gets its stable id.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from precepts.compiler import model as m
from precepts.compiler.compilation import Compilation
from precepts.compiler.names import slug
from precepts.core.codes import Code
from precepts.core.diagnostics import Related
from precepts.dsl import ast

# A standard's block as placed: its domain, the block, its section (if any), its levels
# and its id. One standard may be written in parts, one per level.
Placed = tuple[ast.Block, ast.Block, ast.Block | None, tuple[str, ...], str]


def domains(c: Compilation) -> None:
    placed, domain_levels, section_levels = _place(c)
    groups = _group(placed)
    group_of = {i: g for g, members in enumerate(groups) for i in members}
    standards = [_standard(c, [placed[i] for i in members]) for members in groups]
    # Each domain's and each section's standards, in order, found in one pass rather than
    # by a pass over every standard for each domain and section.
    in_domain: dict[int, list[int]] = {}
    in_section: dict[int, list[int]] = {}
    for i, p in enumerate(placed):
        in_domain.setdefault(id(p[0]), []).append(i)
        in_section.setdefault(id(p[2]), []).append(i)
    result: list[m.Domain] = []
    for domain in c.domain_blocks:
        number = domain.heading.name.text if domain.heading.name else ""
        domain_id = slug(domain.heading.text or number)
        explicit = c.first(domain, "id")
        if explicit is not None:
            domain_id = explicit.word.text
        member_groups = list(dict.fromkeys(group_of[i] for i in in_domain.get(id(domain), ())))
        sections = []
        for child in domain.children:
            if child.heading.kind == "section":
                ids = tuple(standards[group_of[i]].id for i in in_section.get(id(child), ()))
                sections.append(m.Section(child.heading.text or "", section_levels[id(child)], ids, child.heading.span))
        result.append(m.Domain(
            domain_id, number, domain.heading.text or "", domain_levels[id(domain)],
            c.applies_to(domain), tuple(sections),
            tuple(dataclasses.replace(standards[g], domain=domain_id) for g in member_groups),
            domain.heading.span,
        ))
    c.domains = tuple(result)


def _place(c: Compilation) -> tuple[list[Placed], dict[int, tuple[str, ...]], dict[int, tuple[str, ...]]]:
    """Every standard block with its levels (to merge per-level parts), and the levels of
    each domain and section block (by id of the block)."""
    all_levels = tuple(c.level_ids)
    placed: list[Placed] = []
    domain_levels: dict[int, tuple[str, ...]] = {}
    section_levels: dict[int, tuple[str, ...]] = {}
    for domain in c.domain_blocks:
        c.check_attributes(domain)
        levels = c.levels_of(domain, all_levels)
        domain_levels[id(domain)] = levels
        for child in domain.children:
            c.check_attributes(child)
            if child.heading.kind == "section":
                section = child
                inner = c.levels_of(section, levels)
                section_levels[id(section)] = inner
                candidates: list[tuple[ast.Block, ast.Block | None, tuple[str, ...]]]
                candidates = [(s, section, inner) for s in section.children]
            else:
                candidates = [(child, None, levels)]
            for block, section_block, inherited in candidates:
                if block is not child:
                    c.check_attributes(block)
                explicit = c.first(block, "id")
                standard_id = explicit.word.text if explicit else slug(block.heading.text or "")
                placed.append((domain, block, section_block, c.levels_of(block, inherited), standard_id))
    return placed, domain_levels, section_levels


def _group(placed: list[Placed]) -> list[list[int]]:
    """The parts of each standard, as indexes into `placed`: the same id, at levels that
    do not overlap."""
    groups: list[list[int]] = []
    by_id: dict[str, list[int]] = defaultdict(list)
    for index, (_, _, _, levels, standard_id) in enumerate(placed):
        for group_index in by_id[standard_id]:
            group_levels = {lv for i in groups[group_index] for lv in placed[i][3]}
            if not group_levels & set(levels):
                groups[group_index].append(index)
                break
        else:
            by_id[standard_id].append(len(groups))
            groups.append([index])
    return groups


def _standard(c: Compilation, parts: list[Placed]) -> m.Standard:
    first_block = parts[0][1]
    standard_id = parts[0][4]
    number = first_block.heading.name.text if first_block.heading.name else ""
    heading = first_block.heading.text or ""
    levels: list[str] = []
    texts: list[m.LevelText] = []
    ratings: list[m.LevelRating] = []
    questions: list[m.Question] = []
    characteristics: list[m.Characteristic] = []
    absent: list[tuple[str, str]] = []
    tags: list[str] = []
    references: list[m.Reference] = []
    applies_to: m.Condition | None = None
    source = None
    for _, block, _, part_levels, _ in parts:
        other_number = block.heading.name.text if block.heading.name else ""
        if block is not first_block and (other_number != number or block.heading.text != heading):
            first_levels = ", ".join(parts[0][3]) or "its first level"
            c.report(Code.INCONSISTENT_PARTS(
                f"standard '{standard_id}' is {other_number} {block.heading.text} here but "
                f"{number} {heading} at {first_levels}",
                block.heading.span,
                related=(Related(first_block.heading.span, "first written here"),),
                subjects=(standard_id,),
            ))
        levels.extend(part_levels)
        text = c.first(block, "text")
        if text is not None and isinstance(text.value, str):
            texts.extend(m.LevelText(level, text.value, text.span) for level in part_levels)
        rated = c.first(block, "rated")
        if rated is not None and not part_levels:
            # No valid level (already reported): still check the names the line uses.
            _rating(c, rated.rating_method, "", standard_id, block)
        if rated is not None and rated.rating_method.kind == "open":
            reason = c.text_of(block, "open") or "the published document does not say how this standard is rated"
            c.open_rules.append(m.OpenRule(standard_id, "rating", reason, rated.span))
        elif c.first(block, "open") is not None:
            c.open_rule(block, standard_id, "standard")
        if rated is not None:
            ratings.extend(_rating(c, rated.rating_method, level, standard_id, block) for level in part_levels)
        c.waivers_of(block, standard_id)
        applies_to = applies_to or c.applies_to(block)
        tags.extend(c.tags(block))
        references.extend(c.references(block))
        c.questions_asked(block, standard_id)
        source = source or c.text_of(block, "source")
        for attribute in block.all("absent-at"):
            assert attribute.qualifier is not None
            if c.known(attribute.qualifier, "level", c.level_ids):
                absent.append((attribute.qualifier.text, str(attribute.value)))
        for attribute in block.all("characteristic"):
            assert attribute.qualifier is not None
            characteristics.append(m.Characteristic(attribute.qualifier.text, str(attribute.value), attribute.span))
        level_key = "-".join(part_levels) if len(parts) > 1 else None
        for child in block.children:
            questions.append(_question(c, child, standard_id, level_key, part_levels))
    return m.Standard(
        id=standard_id, number=number, heading=heading, domain="",
        levels=tuple(lv for lv in c.level_ids if lv in levels),
        texts=tuple(texts), ratings=tuple(ratings), applies_to=applies_to,
        tags=tuple(dict.fromkeys(tags)), references=tuple(references), questions=tuple(questions),
        characteristics=tuple(characteristics), absent=tuple(absent), source=source,
        span=first_block.heading.span, parts=tuple(m.StandardPart(p[3], p[1].heading.span) for p in parts),
    )


def _rating(c: Compilation, method: ast.RatingMethod, level: str, standard_id: str, block: ast.Block) -> m.LevelRating:
    banding = reported_at = None
    if method.kind == "cases" and method.name is not None:
        if c.known(method.name, "banding", c.bandings):
            banding = method.name.text
    elif method.kind == "elsewhere" and method.name is not None:
        if c.known(method.name, "level", c.level_ids):
            reported_at = method.name.text
    return m.LevelRating(level, method.kind, banding, reported_at, method.span, _judged_scale(c, method, block))


def _judged_scale(c: Compilation, method: ast.RatingMethod, block: ast.Block) -> str | None:
    """A judged standard's own scale (`scale: statement-scores`), such as a scheme that
    scores statements 1 to 4 and bands the overall rating Inadequate to Outstanding."""
    attribute = c.first(block, "scale")
    if attribute is None:
        return None
    if method.kind != "judgement":
        c.report(Code.INVALID_VALUE(
            f"'scale:' names the scale of a standard rated by judgement; this one is rated {method.kind}",
            attribute.span,
            help="a standard rated from cases takes the scale of its banding; remove 'scale:'",
        ))
        return None
    word = attribute.word
    return word.text if c.known(word, "scale", c.scales) else None


def _question(c: Compilation, block: ast.Block, standard_id: str, level_key: str | None, inherited: tuple[str, ...]) -> m.Question:
    c.check_attributes(block)
    number = block.heading.name.text if block.heading.name else ""
    last = number.rsplit(".", 1)[-1]
    explicit = c.first(block, "id")
    question_id = explicit.word.text if explicit else (
        f"{standard_id}.{level_key}.{last}" if level_key else f"{standard_id}.{last}"
    )
    levels = c.levels_of(block, inherited)
    c.waivers_of(block, question_id)
    c.questions_asked(block, question_id)
    prompts = []
    for child in block.children:
        letter = child.heading.name.text if child.heading.name else ""
        if not child.attributes:  # most prompts: nothing to resolve, so skip the lookups
            prompts.append(m.Prompt(
                f"{question_id}{letter}", letter, number + letter, child.heading.text or "",
                levels, None, (), (), child.heading.span,
            ))
            continue
        c.check_attributes(child)
        explicit_prompt = c.first(child, "id")
        prompt_id = explicit_prompt.word.text if explicit_prompt else f"{question_id}{letter}"
        c.waivers_of(child, prompt_id)
        prompts.append(m.Prompt(
            prompt_id, letter, number + letter, child.heading.text or "",
            c.levels_of(child, levels), c.applies_to(child), c.tags(child),
            c.references(child), child.heading.span,
        ))
    return m.Question(
        question_id, number, block.heading.text or "", levels, c.applies_to(block),
        c.tags(block), c.references(block), tuple(prompts), block.heading.span,
    )
