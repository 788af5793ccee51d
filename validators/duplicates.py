"""Duplicate prompts."""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterator

from precepts.compiler.model import Framework, Prompt
from precepts.validators.registry import check

from precepts.codes import Code
from precepts.diagnostics import Diagnostic, Related

# Every ASCII punctuation mark and the typographic quotes become a space.
_FOLD = str.maketrans({ch: " " for ch in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~‘’“”–—…"})


def normalise(text: str) -> str:
    """Text as compared for exact duplicates: case, spacing, quotes and punctuation set aside."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    return " ".join(text.translate(_FOLD).casefold().split())


@check(Code.DUPLICATE_PROMPT)
def exact_duplicates(framework: Framework) -> Iterator[Diagnostic]:
    owners: dict[str, tuple[str, str]] = {}  # prompt id → (question number, standard number)
    groups: dict[tuple[str, str], list[Prompt]] = defaultdict(list)
    for standard in framework.standards():
        for question in standard.questions:
            for prompt in question.prompts:
                owners[prompt.id] = (question.number, standard.number)
                for level in prompt.levels:
                    groups[(level, normalise(prompt.text))].append(prompt)
    reported: set[tuple[str, ...]] = set()
    for (level, _), prompts in groups.items():
        if len(prompts) < 2:
            continue
        key = tuple(p.id for p in prompts)
        if key in reported:
            continue  # the same copies at another level: one finding is enough
        reported.add(key)
        later = prompts[-1]
        questions = {owners[p.id][0] for p in prompts}
        standards = {owners[p.id][1] for p in prompts}
        scope = (
            "within key question " + prompts[0].number[:-1] if len(questions) == 1 else
            "across key questions of standard " + next(iter(standards)) if len(standards) == 1 else
            "across standards"
        )
        numbers = ", ".join(p.number for p in prompts)
        yield Code.DUPLICATE_PROMPT(
            f"prompt {later.number} repeats {', '.join(p.number for p in prompts[:-1])} "
            f"word for word ({scope}, at {level}): \"{later.text}\"",
            later.span,
            help=f"remove or reword one of {numbers}; if the published text has the duplicate, keep it and waive this finding",
            related=tuple(Related(p.span, f"copy {p.number}") for p in prompts[:-1]),
            subjects=key,
        )


NEAR_DUPLICATE_THRESHOLD = 0.85


def near_duplicate_pairs(token_sets: list[frozenset[str]], threshold: float) -> Iterator[tuple[int, int, float]]:
    """Pairs of sets whose Jaccard similarity is at least the threshold.

    An exact set-similarity join with prefix filtering (Chaudhuri et al. 2006; Bayardo et
    al. 2007): order each set's tokens rarest first; two sets can only reach the threshold
    if their prefixes share a token, so only sets sharing a prefix token are compared.
    Rare tokens make the candidate lists short, so the cost stays near-linear in practice.
    """
    frequency: dict[str, int] = defaultdict(int)
    for tokens in token_sets:
        for token in tokens:
            frequency[token] += 1
    ordered = [sorted(tokens, key=lambda t: (frequency[t], t)) for tokens in token_sets]
    by_size = sorted(range(len(ordered)), key=lambda i: len(ordered[i]))
    index: dict[str, list[int]] = defaultdict(list)
    for i in by_size:
        tokens = ordered[i]
        size = len(tokens)
        if size == 0:
            continue
        prefix = size - math.ceil(threshold * size) + 1
        minimum = threshold * size
        seen: set[int] = set()
        mine = token_sets[i]
        for token in tokens[:prefix]:
            for j in index[token]:
                if j in seen:
                    continue
                seen.add(j)
                other = token_sets[j]
                if len(other) < minimum:
                    continue
                shared = len(mine & other)
                similarity = shared / (size + len(other) - shared)
                if similarity >= threshold:
                    yield (j, i, similarity) if j < i else (i, j, similarity)
            index[token].append(i)


@check(Code.NEAR_DUPLICATE_PROMPT)
def near_duplicates(framework: Framework) -> Iterator[Diagnostic]:
    by_level: dict[str, list[Prompt]] = defaultdict(list)
    for prompt in framework.prompts():
        for level in prompt.levels:
            by_level[level].append(prompt)
    reported: set[tuple[str, str]] = set()
    topic: dict[str, frozenset[str]] = {}  # prompt id → words of its standard's heading
    for standard in framework.standards():
        words = frozenset(normalise(standard.heading).split())
        for question in standard.questions:
            for prompt in question.prompts:
                topic[prompt.id] = words
    for level, prompts in by_level.items():
        texts = [normalise(p.text) for p in prompts]
        token_sets = [frozenset(text.split()) for text in texts]
        for i, j, similarity in sorted(near_duplicate_pairs(token_sets, NEAR_DUPLICATE_THRESHOLD)):
            if texts[i] == texts[j]:
                continue  # an exact duplicate: reported as D001
            first, second = prompts[i], prompts[j]
            if topic[first.id] != topic[second.id] and (token_sets[i] ^ token_sets[j]) & (
                topic[first.id] | topic[second.id]
            ):
                # Parallel prompts of different standards, differing in the standard's own
                # subject ("involved in planning" / "involved in their assessment"), are
                # deliberate, not duplicates.
                continue
            key = (first.id, second.id)
            if key in reported:
                continue
            reported.add(key)
            yield Code.NEAR_DUPLICATE_PROMPT(
                f"prompt {second.number} is {similarity:.0%} similar to prompt {first.number} (at {level}): "
                f"\"{second.text}\" / \"{first.text}\"",
                second.span,
                help="merge them, or reword one so that they ask different things",
                related=(Related(first.span, f"prompt {first.number}"),),
                subjects=(second.id, first.id),
            )
