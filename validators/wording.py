"""Wording: preferred terms, spelling, doubled words and unbalanced brackets or quotes."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from precepts.compiler.model import Framework
from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic, Span
from precepts.validators.registry import check
from precepts.validators.spelling import unknown_words


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


class Corpus:
    """All of a framework's texts joined into one string, so that each wording check is one
    regular-expression scan in C rather than a Python loop over a hundred thousand texts."""

    SEPARATOR = "\x00"  # matches neither \w nor \s, so no match runs from one text into the next

    def __init__(self, framework: Framework) -> None:
        self.entries = list(texts(framework))
        self.starts: list[int] = []
        position = 0
        for _, _, text, _ in self.entries:
            self.starts.append(position)
            position += len(text) + 1
        self.joined = self.SEPARATOR.join(text for _, _, text, _ in self.entries)

    def locate(self, offset: int) -> tuple[tuple[str, str, str, Span], int]:
        """The entry holding a position of the joined string, and the position within it."""
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.entries[index], offset - self.starts[index]


_LAST: list[tuple[Framework, Corpus]] = []


def corpus(framework: Framework) -> Corpus:
    # Keyed by identity: hashing a frozen framework would walk all of it on every call.
    if _LAST and _LAST[0][0] is framework:
        return _LAST[0][1]
    made = Corpus(framework)
    _LAST[:] = [(framework, made)]
    return made


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


_PUNCTUATION_TO_SPACE = str.maketrans({ch: " " for ch in "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~“”"})
_DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)


@check(Code.DOUBLED_WORD)
def doubled_words(framework: Framework) -> Iterator[Diagnostic]:
    whole = corpus(framework)
    # One pass in C over every word settles the common case, no doubled word anywhere.
    if not _any_word_twice(whole.joined.translate(_PUNCTUATION_TO_SPACE).lower()):
        return
    for what, element_id, text, span in whole.entries:
        words = text.lower().split()
        if not any(map(str.__eq__, words, words[1:])):
            continue  # the common case, settled without the slower back-reference pattern
        for match in _DOUBLED.finditer(text):
            start = match.start()
            yield Code.DOUBLED_WORD(
                f"{what} repeats the word \"{match.group(1)}\"",
                word_span(span, text, start, len(match.group(0))),
                help=f"remove one \"{match.group(1)}\"",
                subjects=(element_id,),
            )


_WHITESPACE = re.compile(r"\s")  # what str.split() splits at


def pieces(text: str, size: int = 1 << 20) -> Iterator[str]:
    """`text` in pieces of about `size` characters, each ending just after a whitespace
    character (or at the end), so that the words of the pieces are the words of the whole.

    Splitting a hundred thousand prompts at once makes over a million strings together
    (some 150 MB); a piece at a time keeps a few."""
    start = 0
    while start < len(text):
        space = _WHITESPACE.search(text, start + size)
        end = space.end() if space else len(text)
        yield text[start:end]
        start = end


def _any_word_twice(text: str, size: int = 1 << 20) -> bool:
    """Whether two words in a row of `text` are the same: `any(map(str.__eq__, w, w[1:]))`
    for `w = text.split()`, a piece at a time."""
    last = None
    for piece in pieces(text, size):
        words = piece.split()
        if words and (words[0] == last or any(map(str.__eq__, words, words[1:]))):
            return True
        if words:
            last = words[-1]
    return False


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


_BRACKET = re.compile(r"[()\[\]{}“”\"]")


@check(Code.UNBALANCED)
def balanced_brackets(framework: Framework) -> Iterator[Diagnostic]:
    whole = corpus(framework)
    with_brackets = dict.fromkeys(whole.locate(m.start())[0] for m in _BRACKET.finditer(whole.joined))
    for what, element_id, text, span in with_brackets:
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
    whole = corpus(framework)
    accepted = project_words() | {w.lower() for w in framework.words}
    # Words are found in each distinct whitespace-separated token, not in the whole text:
    # a framework repeats its vocabulary, so there are far fewer tokens than words.
    tokens: set[str] = set()
    for piece in pieces(whole.joined):
        tokens.update(piece.split())
    written_forms = {w for token in tokens for w in _WORD.findall(token)}
    candidates = {written: _candidate(written) for written in written_forms}
    vocabulary = {word for word in candidates.values() if word is not None and word not in accepted}
    if not vocabulary:
        return
    unknown = unknown_words(vocabulary)
    if not unknown:
        return
    for match in _WORD.finditer(whole.joined):
        word = candidates.get(match.group(0))
        if word not in unknown:
            continue
        (_, element_id, text, span), start = whole.locate(match.start())
        suggestion = unknown[word]
        yield Code.MISSPELLING(
            f"\"{match.group(0)}\" is not in the dictionary or the project's word list",
            word_span(span, text, start, len(match.group(0))),
            help=(f"did you mean \"{suggestion}\"? " if suggestion else "")
            + "if the word is right, add it to the framework's 'words:' line",
            subjects=(element_id,),
        )
