"""Wording: preferred terms, spelling, doubled words and unbalanced brackets or quotes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from precepts.compiler.model import Framework
from precepts.validators.registry import check
from precepts.validators.spelling import unknown_words

from precepts.codes import Code
from precepts.diagnostics import Diagnostic, Span


def texts(framework: Framework) -> Iterator[tuple[str, str, str, Span]]:
    """Every piece of published text: (what, element id, text, span of the line holding it).

    The text always ends its line, so a word's column is found from the end of the span.
    """
    for standard in framework.standards():
        seen: set[tuple[str, int]] = set()
        for level_text in standard.texts:
            key = (level_text.text, level_text.span.line)
            if key not in seen:
                seen.add(key)
                yield f"standard {standard.number} text", standard.id, level_text.text, level_text.span
        for question in standard.questions:
            yield f"key question {question.number}", question.id, question.text, question.span
            for prompt in question.prompts:
                yield f"prompt {prompt.number}", prompt.id, prompt.text, prompt.span
    for questionnaire in framework.questionnaires:
        for item in questionnaire.items:
            yield "questionnaire item", item.id, item.text, item.span


def word_span(span: Span, text: str, start: int, length: int) -> Span:
    column = span.end_column - len(text) + start
    return Span(span.file, span.line, column, span.line, column + length)


@check(Code.NON_PREFERRED_TERM)
def preferred_terms(framework: Framework) -> Iterator[Diagnostic]:
    patterns = [
        (term, re.compile(r"\b" + re.escape(term.instead_of) + r"s?\b", re.IGNORECASE))
        for term in framework.preferred_terms
    ]
    if not patterns:
        return
    for what, element_id, text, span in texts(framework):
        for term, pattern in patterns:
            for match in pattern.finditer(text):
                plural = len(match.group(0)) > len(term.instead_of)
                yield Code.NON_PREFERRED_TERM(
                    f"{what} says \"{match.group(0)}\"; this framework says \"{term.preferred}\" instead",
                    word_span(span, text, match.start(), len(match.group(0))),
                    help=f"write \"{term.preferred}\"" + (" (or its plural)" if plural else ""),
                    subjects=(element_id,),
                )


_DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)


@check(Code.DOUBLED_WORD)
def doubled_words(framework: Framework) -> Iterator[Diagnostic]:
    for what, element_id, text, span in texts(framework):
        for match in _DOUBLED.finditer(text):
            yield Code.DOUBLED_WORD(
                f"{what} repeats the word \"{match.group(1)}\"",
                word_span(span, text, match.start(), len(match.group(0))),
                help=f"remove one \"{match.group(1)}\"",
                subjects=(element_id,),
            )


_PAIRS = {")": "(", "]": "[", "}": "{", "”": "“"}
_OPENERS = set(_PAIRS.values())


def _unbalanced(text: str) -> tuple[int, str] | None:
    """The position and character of the first unbalanced bracket or quote, if any."""
    stack: list[tuple[int, str]] = []
    for index, ch in enumerate(text):
        if ch in _OPENERS:
            stack.append((index, ch))
        elif ch in _PAIRS:
            if not stack or stack[-1][1] != _PAIRS[ch]:
                return index, ch
            stack.pop()
    if stack:
        return stack[-1]
    straight = [i for i, ch in enumerate(text) if ch == '"']
    if len(straight) % 2:
        return straight[-1], '"'
    return None


@check(Code.UNBALANCED)
def balanced_brackets(framework: Framework) -> Iterator[Diagnostic]:
    for what, element_id, text, span in texts(framework):
        found = _unbalanced(text)
        if found:
            index, ch = found
            opened = ch in _OPENERS or ch == '"'
            yield Code.UNBALANCED(
                f"{what} has {'an unclosed' if opened else 'an unopened'} '{ch}'",
                word_span(span, text, index, 1),
                help="close or remove it",
                subjects=(element_id,),
            )


_WORD = re.compile(r"[A-Za-z][A-Za-z’']*[A-Za-z]|[A-Za-z]")


@lru_cache(maxsize=1)
def project_words() -> frozenset[str]:
    lines = (Path(__file__).parent / "words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def _candidate(word: str) -> str | None:
    """The dictionary form of a word to check, or None for words not to spell-check."""
    if sum(ch.isupper() for ch in word) >= 2:  # acronyms: PDU, ICT, SFOs
        return None
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'")
    return word.lower() if len(word) > 1 else None


@check(Code.MISSPELLING)
def spelling(framework: Framework) -> Iterator[Diagnostic]:
    occurrences: list[tuple[str, str, Span, int, str]] = []
    vocabulary: set[str] = set()
    accepted = project_words() | {w.lower() for w in framework.words}
    for _, element_id, text, span in texts(framework):
        for match in _WORD.finditer(text):
            word = _candidate(match.group(0))
            if word is None or word in accepted:
                continue
            vocabulary.add(word)
            occurrences.append((element_id, text, span, match.start(), match.group(0)))
    if not vocabulary:
        return
    unknown = unknown_words(vocabulary)
    for element_id, text, span, start, written in occurrences:
        word = _candidate(written)
        if word in unknown:
            suggestion = unknown[word]
            yield Code.MISSPELLING(
                f"\"{written}\" is not in the dictionary or the project's word list",
                word_span(span, text, start, len(written)),
                help=(f"did you mean \"{suggestion}\"? " if suggestion else "")
                + "if the word is right, add it to the framework's 'words:' line",
                subjects=(element_id,),
            )
