"""Phase: questionnaires, each item with its id, its options and its references."""

from __future__ import annotations

from precepts.compiler import model as m
from precepts.compiler.compilation import Compilation
from precepts.dsl import ast


def questionnaires(c: Compilation) -> None:
    c.questionnaires = tuple(
        _questionnaire(c, child) for child in c.root.children if child.heading.kind == "questionnaire"
    )


def _questionnaire(c: Compilation, block: ast.Block) -> m.Questionnaire:
    c.check_attributes(block)
    assert block.heading.name is not None
    questionnaire_id = block.heading.name.text
    c.questions_asked(block, questionnaire_id)
    c.waivers_of(block, questionnaire_id)
    scale_attribute = c.first(block, "scale")
    scale = None
    if scale_attribute is not None:
        word = scale_attribute.word
        scale = word.text if c.known(word, "scale", c.scales) else None
    levels = c.levels_of(block, tuple(c.level_ids))
    items = []
    for number, child in enumerate(block.children, start=1):
        c.check_attributes(child)
        explicit = c.first(child, "id")
        item_id = explicit.word.text if explicit else f"{questionnaire_id}.{number}"
        c.waivers_of(child, item_id)
        items.append(m.QuestionnaireItem(
            item_id, child.heading.label or "rating", child.heading.text or "",
            tuple(str(a.value) for a in child.all("option")), c.references(child), child.heading.span,
        ))
    return m.Questionnaire(
        questionnaire_id, block.heading.text or "", levels, scale,
        tuple(str(a.value) for a in block.all("instruction")), tuple(items),
        c.text_of(block, "source"), block.heading.span,
    )
