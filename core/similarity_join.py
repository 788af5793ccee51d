"""Which sets of tokens are alike: the similarity join that `check` (near-duplicate prompts,
D002) and `diff` (proposed pairs of reworded elements) both use (issue 15).

Each text is made into its tokens once, by its caller: D002 compares the distinct content
words of prompts by Jaccard similarity; `diff` compares words with their repeats by the Dice
coefficient, which is difflib's `quick_ratio` and bounds the ratio it then computes exactly.
Both measures are decided by how many tokens two sets share against their sizes, so one
exact join serves both:

- identical sets are grouped first and joined once, at similarity 1;
- prefix filtering (Chaudhuri, Ganti and Kaushik, "A primitive operator for similarity
  joins", ICDE 2006; Bayardo, Ma and Srikant, WWW 2007): with each set's tokens ordered
  rarest first, two sets that share at least `o` tokens share one among the first
  `size - o + 1` of each, so only sets that share one of their few rarest tokens are
  compared (rare tokens have short posting lists, and the cost stays near-linear);
- sets are indexed in order of size: a probe reads a posting list from its largest sets
  down and stops at the first too small to reach the threshold (the length filter); and as
  every later probe is at least as large, a set is indexed under a shorter prefix than it
  probes with (Xiao, Wang, Lin and Yu, "Efficient similarity joins for near duplicate
  detection", WWW 2008).

The join is exact: it finds every pair a comparison of all pairs finds, with the same
similarity computed the same way, and nothing else (tests/test_similarity_join.py).

An empty set is similar to nothing, not even another empty set: two texts with no content
words ("Are they?", "Is it?") have nothing in common to be near duplicates by.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Hashable, Iterator, Sequence
from enum import Enum


class Measure(Enum):
    """How alike two sets of sizes a and b that share o tokens are; each reaches a threshold
    t exactly when o ≥ share·(a + b), for the `share` below."""

    JACCARD = "jaccard"  # o / (a + b - o): shared over all distinct tokens
    DICE = "dice"  # 2·o / (a + b): difflib's quick_ratio, when tokens count repeats

    def of(self, shared: int, size_a: int, size_b: int) -> float:
        if self is Measure.JACCARD:
            return shared / (size_a + size_b - shared)
        return 2.0 * shared / (size_a + size_b)  # as difflib computes it, to the last bit

    def share(self, threshold: float) -> float:
        """The least shared tokens, as a part of a + b, that reach the threshold."""
        return threshold / (1 + threshold) if self is Measure.JACCARD else threshold / 2


# Float rounding may only lengthen a prefix or loosen the length filter, never the reverse:
# a shorter prefix could miss a pair.
_SLACK = 1e-9


def similar_pairs(
    token_sets: Sequence[tuple[Hashable, ...]],
    threshold: float,
    measure: Measure = Measure.JACCARD,
    sides: Sequence[int] | None = None,
) -> Iterator[tuple[int, int, float]]:
    """Every pair (i, j, similarity), i < j, of non-empty sets whose similarity is at least
    the threshold (at most 1), in no particular order.

    Each set is a sorted tuple of distinct tokens, so that equal sets are equal keys (a
    tuple takes a fifth of a frozenset's memory). With `sides` (a number for each set), only
    sets of different sides are paired: the old and the new version's texts of `diff`.
    A threshold at or below zero pairs every two non-empty sets: that is quadratic.
    """
    side_of = sides if sides is not None else [0] * len(token_sets)
    groups: dict[tuple[Hashable, ...], list[int]] = {}
    group_sides: dict[tuple[Hashable, ...], set[int]] = {}
    for position, (tokens, side) in enumerate(zip(token_sets, side_of, strict=True)):
        if tokens:  # an empty set shares nothing with anything
            groups.setdefault(tokens, []).append(position)
            if sides is not None:
                group_sides.setdefault(tokens, set()).add(side)
    del token_sets  # the sets live on as the keys of groups, until ranked below
    members_of = list(groups.values())
    if sides is None:
        for members in members_of:  # different texts, same tokens: as similar as can be
            yield from ((a, b, 1.0) for a, b in itertools.combinations(members, 2))
    else:
        for tokens, members in groups.items():
            if len(group_sides[tokens]) > 1:
                yield from ((a, b, 1.0) for a, b in itertools.combinations(members, 2) if sides[a] != sides[b])
    if threshold <= 0:
        yield from _every_pair(list(groups), members_of, measure, sides)
        return
    frequency = Counter(itertools.chain.from_iterable(groups))
    # Rarest first; tokens as frequent as each other stay in the order first seen. Any order
    # gives the same pairs: it only decides how few sets are compared.
    rank = {token: r for r, token in enumerate(sorted(frequency, key=frequency.__getitem__))}
    del frequency
    # Each set as its tokens' ranks, rarest first; ranks also index the posting lists. The
    # sets themselves are let go: on a hundred thousand prompts they are the join's largest
    # structure, and sets of ranks share as many members as sets of words.
    ranked = [sorted(map(rank.__getitem__, tokens)) for tokens in groups]
    group_side = (
        [min(group_sides[tokens]) if len(group_sides[tokens]) == 1 else -1 for tokens in groups]
        if sides is not None
        else None
    )
    del groups, group_sides
    yield from _join(ranked, members_of, len(rank), threshold, measure, sides, group_side)


def _join(
    ranked: list[list[int]],
    members_of: list[list[int]],
    distinct_tokens: int,
    threshold: float,
    measure: Measure,
    sides: Sequence[int] | None,
    group_side: list[int] | None,
) -> Iterator[tuple[int, int, float]]:
    """The prefix-filtered join of the distinct sets (as ranks), each pair found once."""
    sizes = list(map(len, ranked))
    largest = max(sizes, default=0)
    share = measure.share(threshold)
    # A set of a given size pairs only with sets of at least `least` of its size (the other
    # then being no larger), sharing at least `least` of its size: probing its first
    # size - ceil(least·size) + 1 tokens finds them. A set indexed pairs only with later,
    # larger probes, sharing at least 2·share of its size.
    least = share / (1 - share)
    smallest_partner = [least * size - _SLACK for size in range(largest + 1)]
    probe_length = [max(0, size - math.ceil(least * size - _SLACK) + 1) for size in range(largest + 1)]
    index_length = [max(0, size - math.ceil(2 * share * size - _SLACK) + 1) for size in range(largest + 1)]
    needed = [math.ceil(share * total - _SLACK) for total in range(2 * largest + 1)]  # shared tokens, by a + b
    # Each posting is a set and the place of the token in it.
    index: list[list[tuple[int, int]]] = [[] for _ in range(distinct_tokens)]
    similarity = measure.of
    for i in sorted(range(len(ranked)), key=sizes.__getitem__):
        size = sizes[i]
        mine = ranked[i]
        minimum = smallest_partner[size]
        # The positional filter (Xiao et al. 2008): tokens are in one order in every set, so
        # when this set's token at `place` is the other's at `there`, they share exactly
        # `so_far` tokens before those places, and at most the fewer of the tokens left after
        # them. A set that cannot reach the tokens needed is let go (-1) for this probe.
        so_far: dict[int, int] = {}
        for place, token in enumerate(mine[: probe_length[size]]):
            left = size - place
            for j, there in reversed(index[token]):
                other = sizes[j]
                if other < minimum:
                    break
                shared = so_far.get(j, 0)
                if shared >= 0:
                    possible = shared + min(left, other - there)
                    so_far[j] = shared + 1 if possible >= needed[size + other] else -1
        own: set[int] | None = None
        for j, shared in so_far.items():
            if shared < 0 or (group_side is not None and group_side[i] == group_side[j] != -1):
                continue  # let go, or both sets only of one side: pairs of one version are not wanted
            own = set(mine) if own is None else own
            value = similarity(len(own.intersection(ranked[j])), size, sizes[j])
            if value >= threshold:
                yield from _members(members_of[j], members_of[i], value, sides)
        for place, token in enumerate(mine[: index_length[size]]):
            index[token].append((i, place))


def _members(
    first: list[int], second: list[int], value: float, sides: Sequence[int] | None
) -> Iterator[tuple[int, int, float]]:
    """The pairs of positions behind a pair of distinct sets."""
    for a in first:
        for b in second:
            if sides is None or sides[a] != sides[b]:
                yield (a, b, value) if a < b else (b, a, value)


def _every_pair(
    sets: list[tuple[Hashable, ...]], members_of: list[list[int]], measure: Measure, sides: Sequence[int] | None
) -> Iterator[tuple[int, int, float]]:
    for (x, first), (y, second) in itertools.combinations(zip(sets, members_of, strict=True), 2):
        value = measure.of(len(set(x).intersection(y)), len(x), len(y))
        yield from _members(first, second, value, sides)
