"""Cross-references resolve to exactly one element."""

from __future__ import annotations

from collections.abc import Iterator

from precepts.compiler.model import Framework, Reference
from precepts.compiler.names import did_you_mean
from precepts.compiler.resolve import numbered_elements, reference_candidates
from precepts.validators.registry import check

from precepts.codes import Code
from precepts.diagnostics import Diagnostic


def _citing(framework: Framework) -> Iterator[tuple[str, tuple[str, ...], Reference]]:
    for standard in framework.standards():
        for reference in standard.references:
            yield standard.id, standard.levels, reference
        for question in standard.questions:
            for reference in question.references:
                yield question.id, question.levels, reference
            for prompt in question.prompts:
                for reference in prompt.references:
                    yield prompt.id, prompt.levels, reference
    for questionnaire in framework.questionnaires:
        for item in questionnaire.items:
            for reference in item.references:
                yield item.id, questionnaire.levels, reference


@check(Code.UNRESOLVED_REFERENCE)
def unresolved_references(framework: Framework) -> Iterator[Diagnostic]:
    names: list[str] | None = None
    for citing_id, _levels, reference in _citing(framework):
        if reference.target is not None:
            continue
        candidates = reference_candidates(framework, reference.text)
        if candidates:
            options = ", ".join(f"{'/'.join(lv) or '-'}/{reference.text.split('/')[-1]} (id {cid})" for cid, lv in candidates)
            yield Code.UNRESOLVED_REFERENCE(
                f"reference '{reference.text}' is ambiguous: it could mean {options}",
                reference.span,
                help="qualify the number with its level, such as pdu/" + reference.text.split("/")[-1],
                subjects=(citing_id,),
            )
            continue
        if names is None:
            names = sorted({n for _, n, _ in numbered_elements(framework)} | {i for i, _, _ in numbered_elements(framework)})
        bare = reference.text.split("/")[-1]
        yield Code.UNRESOLVED_REFERENCE(
            f"reference '{reference.text}' matches no standard, key question or prompt",
            reference.span,
            help=did_you_mean(bare, names) or "write a published number such as 1.3.2a, or an element's id",
            subjects=(citing_id,),
        )
