"""Duplicate prompts."""

from __future__ import annotations

import os
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from precepts.compiler.model import Framework, Prompt
from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic, Related
from precepts.core.similarity_join import similar_pairs
from precepts.validators.registry import check

# Every ASCII punctuation mark and the typographic quotes become a space.
_FOLD = str.maketrans({ch: " " for ch in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~‘’“”–—…"})


def normalise(text: str) -> str:
    """Text as compared for exact duplicates: case, spacing, quotes and punctuation set aside."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    return " ".join(text.translate(_FOLD).casefold().split())


class PromptTable:
    """Every prompt with its normalised text and the numbers of what holds it: shared by
    the exact and near duplicate checks, so texts are normalised once."""

    def __init__(self, framework: Framework) -> None:
        self.prompts: list[Prompt] = []
        self.question: list[str] = []
        self.standard: list[str] = []
        self.topic: list[frozenset[str]] = []  # words of the standard's heading
        for standard in framework.standards():
            topic = frozenset(normalise(standard.heading).split())
            for question in standard.questions:
                for prompt in question.prompts:
                    self.prompts.append(prompt)
                    self.question.append(question.number)
                    self.standard.append(standard.number)
                    self.topic.append(topic)
        self.texts = [normalise(p.text) for p in self.prompts]


_LAST: list[tuple[Framework, PromptTable]] = []


def prompt_table(framework: Framework) -> PromptTable:
    # Keyed by identity: hashing a frozen framework would walk all of it.
    if _LAST and _LAST[0][0] is framework:
        return _LAST[0][1]
    table = PromptTable(framework)
    _LAST[:] = [(framework, table)]
    return table


@check(Code.DUPLICATE_PROMPT)
def exact_duplicates(framework: Framework) -> Iterator[Diagnostic]:
    table = prompt_table(framework)
    same_text: dict[str, list[int]] = {}
    for index, text in enumerate(table.texts):
        same_text.setdefault(text, []).append(index)
    reported: set[tuple[str, ...]] = set()
    for indices in same_text.values():
        if len(indices) < 2:
            continue
        by_level: dict[str, list[int]] = {}
        for index in indices:
            for level in table.prompts[index].levels:
                by_level.setdefault(level, []).append(index)
        for level, copies in by_level.items():
            if len(copies) < 2:
                continue
            prompts = [table.prompts[i] for i in copies]
            key = tuple(p.id for p in prompts)
            if key in reported:
                continue  # the same copies at another level: one finding is enough
            reported.add(key)
            later = prompts[-1]
            questions = {table.question[i] for i in copies}
            standards = {table.standard[i] for i in copies}
            scope = (
                "within key question " + table.question[copies[0]] if len(questions) == 1 else
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

STOPWORDS = frozenset(
    "a about after all also an and any are as at be been before being both but by can could did do "
    "does during each for from get got had has have how i if in into is it its made make many may me "
    "more most my no not of on or other our out over same should so some such than that the their "
    "them then there these they this those through to too under up us very was we were what when "
    "where which while who whom why will with would you your".split()
)


def _content_words(text: str) -> frozenset[str]:
    # Words such as "the" and "of" say nothing about whether two prompts ask the same
    # thing, and leaving them out keeps the join's posting lists short.
    return frozenset(text.split()).difference(STOPWORDS)


def _by_level(table: PromptTable) -> dict[str, list[int]]:
    by_level: dict[str, list[int]] = defaultdict(list)
    for index, prompt in enumerate(table.prompts):
        for level in prompt.levels:
            by_level[level].append(index)
    return by_level


def _similar_pairs(table: PromptTable) -> dict[str, list[tuple[int, int, float]]]:
    """For each level, the pairs of its prompts (as indexes into the level's list) at or
    above the threshold, sorted. Each prompt's words are found once, whatever its levels."""
    words = _shared_content_words(table.texts)
    return {
        level: sorted(similar_pairs([words[i] for i in indices], NEAR_DUPLICATE_THRESHOLD))
        for level, indices in _by_level(table).items()
    }


def _shared_content_words(texts: list[str]) -> list[tuple[str, ...]]:
    """`_content_words` of each text as a sorted tuple, with one string object for each
    distinct word (interned). A tuple takes a fifth of a frozenset's memory, and the sets
    of a hundred thousand prompts would otherwise hold a million and more copies of the
    same few thousand words: together some 140 MB at the peak of checking 100,000 prompts."""
    intern, stopwords = sys.intern, STOPWORDS
    return [tuple(sorted(frozenset(map(intern, text.split())).difference(stopwords))) for text in texts]


# A framework this large has its near-duplicate join run in a forked process while the
# other checks run: on two cores it takes a fifth off checking 100,000 prompts.
PARALLEL_MIN_PROMPTS = 20_000
_RUNNING: list[tuple[Framework, Any, Any]] = []  # (framework, pipe end, process)


def start_similar_pairs(framework: Framework) -> None:
    """Start the join in a forked process, where that is safe and pays; else do nothing and
    the check computes the pairs itself."""
    import threading

    table = prompt_table(framework)
    if len(table.prompts) < PARALLEL_MIN_PROMPTS or (os.cpu_count() or 1) < 2 or threading.active_count() > 1:
        return  # forking a process that has other threads can deadlock the child
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_send_similar_pairs, args=(table, sender), daemon=True)
    process.start()
    sender.close()
    _RUNNING[:] = [(framework, receiver, process)]


def _send_similar_pairs(table: PromptTable, sender: Any) -> None:
    try:
        sender.send(_similar_pairs(table))
    finally:
        sender.close()


def _started_pairs(framework: Framework) -> dict[str, list[tuple[int, int, float]]] | None:
    """The pairs from the forked process, or None if there is none or it failed.

    The parent waits for the pairs or the child's end, whichever comes first: a child that
    dies before it sends (killed for memory, say) leaves nothing to read, and `recv` alone
    would wait for ever if anything still held the pipe's sending end open."""
    if not _RUNNING or _RUNNING[0][0] is not framework:
        return None
    from multiprocessing.connection import wait

    _, receiver, process = _RUNNING.pop()
    pairs: dict[str, list[tuple[int, int, float]]] | None = None
    try:
        wait([receiver, process.sentinel])
        if receiver.poll():
            pairs = receiver.recv()
    except (EOFError, OSError):
        pairs = None
    finally:
        receiver.close()
        process.join()
    return pairs


@check(Code.NEAR_DUPLICATE_PROMPT, prepare=start_similar_pairs)
def near_duplicates(framework: Framework) -> Iterator[Diagnostic]:
    table = prompt_table(framework)
    by_level = _by_level(table)
    similar = _started_pairs(framework) or _similar_pairs(table)
    reported: set[tuple[str, str]] = set()
    for level, indices in by_level.items():
        for i, j, similarity in similar.get(level, []):
            a, b = indices[i], indices[j]
            if table.texts[a] == table.texts[b]:
                continue  # an exact duplicate: reported as D001
            first, second = table.prompts[a], table.prompts[b]
            if table.topic[a] != table.topic[b] and (
                (_content_words(table.texts[a]) ^ _content_words(table.texts[b])) & (table.topic[a] | table.topic[b])
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
