"""Cross-references resolve to exactly one element."""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import lru_cache

from precepts.compiler.model import Framework, Reference
from precepts.compiler.names import did_you_mean
from precepts.compiler.queries import element_levels, numbered_elements, reference_candidates
from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic
from precepts.validators.duplicates import STOPWORDS
from precepts.validators.registry import check


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


@check(Code.REFERENCE_WRONG_LEVEL)
def references_at_the_right_level(framework: Framework) -> Iterator[Diagnostic]:
    levels_of = element_levels(framework)
    numbered = numbered_elements(framework)
    number_of = {element_id: number for element_id, number, _ in numbered}
    for citing_id, levels, reference in _citing(framework):
        if reference.target is None:
            continue
        target_levels = levels_of.get(reference.target, ())
        if levels and target_levels and not set(levels) & set(target_levels):
            number = number_of[reference.target]
            yield Code.REFERENCE_WRONG_LEVEL(
                f"reference '{reference.text}' points at '{reference.target}', which applies at "
                f"{', '.join(target_levels)}, not at {', '.join(levels)} where it is cited",
                reference.span,
                help=_right_level_help(number, levels, target_levels, numbered),
                subjects=(citing_id,),
            )


def _right_level_help(number: str, levels: tuple[str, ...], target_levels: tuple[str, ...],
                      numbered: list[tuple[str, str, tuple[str, ...]]]) -> str:
    """Qualify the reference with a level only where the same number exists at a level of the
    citing element (a reference written `region/1.1.2a`, or by id); otherwise that qualified
    reference would name nothing, and the number itself is what needs correcting."""
    here = next((level for _, other, at in numbered if other == number for level in at if level in levels), None)
    if here is not None:
        return f"qualify it with the level where it is cited: {here}/{number}"
    return (f"nothing numbered {number} applies at {', '.join(levels)}: correct the number to one that does, "
            f"or cite it from an element at {', '.join(target_levels)}")


# ---- does the citing text match what it cites? ----------------------------------------------

_STOPWORDS = STOPWORDS | {"able"}


_SUFFIXES = ("ing", "ed", "es", "s", "ly", "ment", "al")  # tried in this order


def _stem(word: str) -> str:
    if not word.endswith(_SUFFIXES):  # most words: one test instead of seven
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1 << 16)
def content_words(text: str) -> frozenset[str]:
    # Cached: a long-running process (the language server, the service) checks the same
    # texts again after every edit, and stemming them was a third of a re-check.
    from precepts.validators.duplicates import normalise

    return frozenset(_stem(w) for w in normalise(text).split() if w not in _STOPWORDS and len(w) > 2)


def _texts(framework: Framework) -> dict[str, tuple[str, tuple[str, ...], str]]:
    """Element id → (text, levels, number) for key questions and prompts."""
    found: dict[str, tuple[str, tuple[str, ...], str]] = {}
    for question in framework.questions():
        found[question.id] = (question.text, question.levels, question.number)
        for prompt in question.prompts:
            found[prompt.id] = (prompt.text, prompt.levels, prompt.number)
    return found


def _kind(number: str) -> str:
    return "prompt" if number[-1:].isalpha() else "key question"


MISMATCH_SCORE = 0.15  # at most this share of the citing text's weight in common: "plainly" different


@check(Code.CITING_TEXT_MISMATCH)
def citing_text_matches(framework: Framework) -> Iterator[Diagnostic]:
    citing_texts = {
        item.id: item.text for questionnaire in framework.questionnaires for item in questionnaire.items
    }
    for question in framework.questions():
        citing_texts.setdefault(question.id, question.text)
        for prompt in question.prompts:
            citing_texts.setdefault(prompt.id, prompt.text)
    citations = [
        (citing_id, levels, reference)
        for citing_id, levels, reference in _citing(framework)
        if reference.target is not None and citing_id in citing_texts
    ]
    if not citations:
        return
    targets = _texts(framework)
    words = {element_id: content_words(text) for element_id, (text, _, _) in targets.items()}
    frequency: dict[str, int] = {}
    for bag in words.values():
        for word in bag:
            frequency[word] = frequency.get(word, 0) + 1
    total = len(words) or 1

    rare = math.log(1 + total) + 1  # the weight of a word no element uses
    weight = {word: math.log((1 + total) / (1 + count)) + 1 for word, count in frequency.items()}

    def score(citing: frozenset[str], mass: float, element_id: str) -> float:
        return sum(weight.get(w, rare) for w in citing & words.get(element_id, frozenset())) / mass

    # Each element's levels and kind, worked out once rather than for every citation.
    described = [
        (element_id, frozenset(element_levels), _kind(number))
        for element_id, (_, element_levels, number) in targets.items()
    ]
    for citing_id, levels, reference in citations:
        target = reference.target
        if target not in targets:
            continue
        citing = content_words(citing_texts[citing_id])
        if not citing:
            continue
        mass = sum(weight.get(w, rare) for w in citing) or 1.0
        cited = score(citing, mass, target)
        if cited > MISMATCH_SCORE:
            continue
        kind = _kind(targets[target][2])
        citing_levels = frozenset(levels)
        candidates = [
            (score(citing, mass, element_id), element_id)
            for element_id, element_levels, element_kind in described
            if (not levels or not citing_levels.isdisjoint(element_levels)) and element_kind == kind
            and element_id != citing_id
        ]  # the citing element itself would always fit best
        best_score, best = max(candidates, default=(0.0, ""))
        if not best or best_score < 2 * max(cited, 0.1):
            continue  # nothing fits clearly better: not plainly wrong
        text, _, number = targets[target]
        best_text, _, best_number = targets[best]
        yield Code.CITING_TEXT_MISMATCH(
            f"\"{citing_texts[citing_id]}\" cites {number}, which asks \"{text}\"; "
            f"{best_number} fits far better: \"{best_text}\"",
            reference.span,
            help=f"check the reference; {best_number} shares {best_score:.0%} of the citing text's weight against {cited:.0%}",
            subjects=(citing_id,),
        )
