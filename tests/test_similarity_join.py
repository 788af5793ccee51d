"""The near-duplicate join is exact: it finds every pair a brute-force comparison finds,
with the same similarity, and nothing else (prefix and length filtering only skip pairs
that cannot reach the threshold)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from precepts.validators.duplicates import near_duplicate_pairs

WORDS = st.sampled_from([f"w{n}" for n in range(20)])  # few words, so that sets overlap often
SETS = st.lists(st.frozensets(WORDS, max_size=16), max_size=25)


def brute_force(token_sets: list[frozenset[str]], threshold: float) -> list[tuple[int, int, float]]:
    pairs = []
    for (a, x), (b, y) in itertools.combinations(enumerate(token_sets), 2):
        union = len(x | y)
        if not union:
            if not x and not y:
                pairs.append((a, b, 1.0))
            continue
        similarity = len(x & y) / union
        if similarity >= threshold:
            pairs.append((a, b, similarity))
    return sorted(pairs)


@settings(max_examples=300, deadline=None)
@given(SETS, st.sampled_from([0.5, 0.6, 0.75, 0.85, 1.0]))
def test_the_join_finds_exactly_the_pairs_brute_force_finds(token_sets: list[frozenset[str]], threshold: float) -> None:
    assert sorted(near_duplicate_pairs(token_sets, threshold)) == brute_force(token_sets, threshold)
