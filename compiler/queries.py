"""Questions asked of a compiled model by more than one layer: which elements carry a
published number, and what a cross-reference (`see: 2.1`, `see: court/2.1`) could mean.
"""

from __future__ import annotations

from precepts.compiler import model as m


def reference_candidates(framework: m.Framework, text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Every element a reference could mean, as (id, levels)."""
    ids = element_levels(framework)
    if text in ids:
        return [(text, ids[text])]
    level = None
    number = text
    if "/" in text:
        level, number = text.split("/", 1)
    found = []
    for element_id, element_number, levels in numbered_elements(framework):
        if element_number == number and (level is None or level in levels):
            found.append((element_id, levels))
    return found


def element_levels(framework: m.Framework) -> dict[str, tuple[str, ...]]:
    return {element_id: levels for element_id, _, levels in numbered_elements(framework)}


def numbered_elements(framework: m.Framework) -> list[tuple[str, str, tuple[str, ...]]]:
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for standard in framework.standards():
        out.append((standard.id, standard.number, standard.levels))
        for question in standard.questions:
            out.append((question.id, question.number, question.levels))
            out.extend((p.id, p.number, p.levels) for p in question.prompts)
    return out
