"""How alike two texts of a framework are, for proposing identities across versions.

Texts are compared as sequences of words, after the things that do not change what a
standard asks are set aside: case, curly quotes, and a framework's `preferred term`
replacements (2021 writes "person on probation" where 2017 wrote "service user").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from precepts.compiler.model import Framework

_WORD = re.compile(r"[a-z0-9]+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


@dataclass(frozen=True, slots=True)
class TermSwap:
    """One `preferred term` line: text that says `instead_of` is read as saying `preferred`."""

    instead_of: str
    preferred: str


def plural_of(term: str) -> str:
    """The plural of a term, enough for the terms frameworks replace.

    The head noun of "person on probation" is its first word, so its plural is "people on
    probation"; other terms take an s on their last word ("service users").
    """
    first, _, rest = term.partition(" ")
    if first.lower() == "person":
        return ("People" if first[0].isupper() else "people") + (f" {rest}" if rest else "")
    return term + "s"


def term_swaps(*frameworks: Framework) -> tuple[TermSwap, ...]:
    """Every preferred term of the frameworks, longest first so that longer terms win."""
    swaps = {(t.instead_of, t.preferred) for f in frameworks for t in f.preferred_terms}
    ordered = sorted(swaps, key=lambda pair: (-len(pair[0]), pair))
    return tuple(TermSwap(instead_of, preferred) for instead_of, preferred in ordered)


def apply_terms(text: str, swaps: Iterable[TermSwap]) -> str:
    """The text as it would read with every replaced term written the preferred way."""
    for swap in swaps:
        plural = re.compile(r"\b" + re.escape(swap.instead_of) + r"s\b", re.IGNORECASE)
        text = plural.sub(plural_of(swap.preferred), text)
        single = re.compile(r"\b" + re.escape(swap.instead_of) + r"\b", re.IGNORECASE)
        text = single.sub(swap.preferred, text)
    return text


def normalised(text: str, swaps: Iterable[TermSwap] = ()) -> str:
    """Lower case, straight quotes, preferred terms, single spaces."""
    return " ".join(apply_terms(text.translate(_QUOTES), swaps).lower().split())


def words(text: str, swaps: Iterable[TermSwap] = ()) -> tuple[str, ...]:
    return tuple(_WORD.findall(normalised(text, swaps)))


def similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """0 (nothing in common) to 1 (the same words in the same order)."""
    if not a and not b:
        return 1.0
    # autojunk would ignore common words in longer texts; these texts are short.
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def same_apart_from_terms(old: str, new: str, swaps: Iterable[TermSwap]) -> bool:
    """Whether two texts differ only by preferred-term replacements, quotes and spacing."""
    swaps = tuple(swaps)
    return normalised(old, swaps) == normalised(new, swaps) and old != new
