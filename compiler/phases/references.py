"""Phase: cross-references (`see: 2.1`, `see: court/2.1`) resolved to the element meant,
once the whole hierarchy is known. A reference that could mean several elements is read
at the citing element's levels; one that still means none or several keeps no target
(the references checks report it)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from precepts.compiler import model as m
from precepts.compiler.compilation import Compilation
from precepts.compiler.queries import reference_candidates


def references(c: Compilation) -> None:
    assert c.framework is not None
    c.framework = resolve_references(c.framework)


def _hierarchy(framework: m.Framework) -> Iterator[m.Standard | m.Question | m.Prompt]:
    """Every standard, question and prompt."""
    for standard in framework.standards():
        yield standard
        for question in standard.questions:
            yield question
            yield from question.prompts


def resolve_references(framework: m.Framework) -> m.Framework:
    if not any(element.references for element in _hierarchy(framework)) and not any(item.references for q in framework.questionnaires for item in q.items):
        return framework

    def resolve(references: tuple[m.Reference, ...], levels: tuple[str, ...]) -> tuple[m.Reference, ...]:
        resolved = []
        for reference in references:
            candidates = reference_candidates(framework, reference.text)
            if len(candidates) > 1:
                candidates = [c for c in candidates if set(c[1]) & set(levels)]
            target = candidates[0][0] if len(candidates) == 1 else None
            resolved.append(dataclasses.replace(reference, target=target))
        return tuple(resolved)

    domains = []
    for domain in framework.domains:
        standards = []
        for standard in domain.standards:
            questions = tuple(
                dataclasses.replace(
                    q,
                    references=resolve(q.references, q.levels),
                    prompts=tuple(dataclasses.replace(p, references=resolve(p.references, p.levels)) for p in q.prompts),
                )
                for q in standard.questions
            )
            standards.append(dataclasses.replace(
                standard, references=resolve(standard.references, standard.levels), questions=questions))
        domains.append(dataclasses.replace(domain, standards=tuple(standards)))
    questionnaires = tuple(
        dataclasses.replace(q, items=tuple(
            dataclasses.replace(item, references=resolve(item.references, q.levels)) for item in q.items
        ))
        for q in framework.questionnaires
    )
    return dataclasses.replace(framework, domains=tuple(domains), questionnaires=questionnaires)
