"""Which old and new texts could be similar enough to compare, found through their rare words.

`diff` pairs reworded elements by difflib's ratio, which is at most quick_ratio: twice the
words two texts share (counted with repeats) over their total length. Comparing every old text
with every new one grows with the product of their numbers (250,000 pairs for two 10,000-prompt
versions; issue 15). Prefix filtering (Chaudhuri, Ganti and Kaushik, "A primitive operator for
similarity joins", ICDE 2006) finds every pair whose quick_ratio can reach a floor without that
product: a pair that shares at least `o` words shares one among the `len - o + 1` rarest words
of each text, so only texts that share one of those few rare words are candidates.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

# A repeated word is one element per occurrence, ("the", 0) and ("the", 1), so that counting
# shared elements counts shared words with their repeats, as quick_ratio does.
_Item = tuple[str, int]


def _items(words: Sequence[str]) -> list[_Item]:
    seen: Counter[str] = Counter()
    items = []
    for word in words:
        items.append((word, seen[word]))
        seen[word] += 1
    return items


def _least_overlap(length: int, floor: float) -> int:
    """The fewest shared words with which a text of `length` words can reach `floor` with any
    other text: the other is at least floor·length/(2-floor) long (or the lengths alone fall
    short), and the pair needs floor·(sum of lengths)/2 shared. Rounded down a little, so that
    floating point can only make the prefix longer."""
    return max(1, math.floor(floor * length / (2 - floor) - 1e-9))


def candidate_pairs(olds: Mapping[str, Sequence[str]], news: Mapping[str, Sequence[str]],
                    floor: float) -> set[tuple[str, str]]:
    """Every (old key, new key) whose words could reach quick_ratio ≥ floor (a superset of them).

    Texts without words are left out: they reach no floor above zero with anything.
    """
    if floor <= 0:
        return {(old, new) for old, a in olds.items() if a for new, b in news.items() if b}
    old_items = {key: _items(text) for key, text in olds.items() if text}
    new_items = {key: _items(text) for key, text in news.items() if text}
    frequency: Counter[_Item] = Counter()
    for items in (*old_items.values(), *new_items.values()):
        frequency.update(items)

    def prefix(items: list[_Item]) -> list[_Item]:
        rarest = sorted(items, key=lambda item: (frequency[item], item))
        return rarest[:len(items) - _least_overlap(len(items), floor) + 1]

    index: defaultdict[_Item, list[str]] = defaultdict(list)
    for key, items in new_items.items():
        for item in prefix(items):
            index[item].append(key)
    pairs: set[tuple[str, str]] = set()
    for key, items in old_items.items():
        for item in prefix(items):
            for new_key in index.get(item, ()):
                pairs.add((key, new_key))
    return pairs
