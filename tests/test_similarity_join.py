"""The similarity join (core/similarity_join.py) is exact: it finds every pair a brute-force
comparison finds, with the same similarity, and nothing else (prefix and length filtering
only skip pairs that cannot reach the threshold), for both of its measures and with or
without sides. Empty sets pair with nothing."""

from __future__ import annotations

import difflib
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from precepts.core.similarity_join import Measure, similar_pairs

WORDS = st.sampled_from([f"w{n}" for n in range(20)])  # few words, so that sets overlap often
SETS = st.lists(st.frozensets(WORDS, max_size=16), max_size=25)
THRESHOLDS = st.sampled_from([0.0, 0.3, 0.5, 0.6, 0.75, 0.85, 0.9, 1.0])


def brute_force(
    token_sets: list[frozenset[str]], threshold: float, measure: Measure, sides: list[int] | None = None
) -> list[tuple[int, int, float]]:
    pairs = []
    for (a, x), (b, y) in itertools.combinations(enumerate(token_sets), 2):
        if not x or not y or (sides is not None and sides[a] == sides[b]):
            continue
        shared = len(x & y)
        similarity = shared / len(x | y) if measure is Measure.JACCARD else 2.0 * shared / (len(x) + len(y))
        if similarity >= threshold:
            pairs.append((a, b, similarity))
    return sorted(pairs)


def joined(
    token_sets: list[frozenset[str]],
    threshold: float,
    measure: Measure = Measure.JACCARD,
    sides: list[int] | None = None,
) -> list[tuple[int, int, float]]:
    return sorted(similar_pairs([tuple(sorted(s)) for s in token_sets], threshold, measure, sides))


@settings(max_examples=300, deadline=None)
@given(SETS, THRESHOLDS, st.sampled_from(Measure))
def test_the_join_finds_exactly_the_pairs_brute_force_finds(
    token_sets: list[frozenset[str]], threshold: float, measure: Measure
) -> None:
    assert joined(token_sets, threshold, measure) == brute_force(token_sets, threshold, measure)


@settings(max_examples=300, deadline=None)
@given(SETS, THRESHOLDS, st.sampled_from(Measure), st.data())
def test_with_sides_the_join_pairs_only_sets_of_different_sides(
    token_sets: list[frozenset[str]], threshold: float, measure: Measure, data: st.DataObject
) -> None:
    sides = data.draw(st.lists(st.integers(0, 1), min_size=len(token_sets), max_size=len(token_sets)))
    assert joined(token_sets, threshold, measure, sides) == brute_force(token_sets, threshold, measure, sides)


def test_sets_without_tokens_are_like_nothing() -> None:
    """ "Are they?" and "Is it?" have no content words: nothing to be alike by (D002)."""
    empty: frozenset[str] = frozenset()
    assert joined([empty, empty, frozenset({"w1"}), frozenset({"w1"})], 0.5) == [(2, 3, 1.0)]
    assert joined([empty, empty, frozenset({"w1"})], 0.0) == []


def test_identical_sets_pair_once_each_and_across_sides_only() -> None:
    same = frozenset({"w1", "w2"})
    assert joined([same, same, same], 0.9) == [(0, 1, 1.0), (0, 2, 1.0), (1, 2, 1.0)]
    assert joined([same, same, same], 0.9, Measure.DICE, sides=[0, 0, 1]) == [(0, 2, 1.0), (1, 2, 1.0)]
    assert joined([same, same], 0.9, Measure.DICE, sides=[1, 1]) == []


def test_the_thresholds_are_met_exactly_at_the_boundary() -> None:
    """Jaccard 6/7 (sets of 7 and 6, 6 shared) and Dice 12/13 reach their thresholds and no more."""
    seven = frozenset(f"w{n}" for n in range(7))
    six = frozenset(f"w{n}" for n in range(6))
    assert joined([seven, six], 6 / 7) == [(0, 1, 6 / 7)]
    assert joined([seven, six], 6 / 7 + 1e-6) == []
    assert joined([seven, six], 12 / 13, Measure.DICE) == [(0, 1, 12 / 13)]
    assert joined([seven, six], 12 / 13 + 1e-6, Measure.DICE) == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from("a b c d the of".split()), min_size=1, max_size=10),
    st.lists(st.sampled_from("a b c d the of".split()), min_size=1, max_size=10),
)
def test_dice_over_words_counted_with_repeats_is_difflibs_quick_ratio(a: list[str], b: list[str]) -> None:
    """`diff` joins words as (word, occurrence) tokens: the join's Dice coefficient is then
    quick_ratio, to the last bit, so that the join keeps exactly the pairs it would."""

    def counted(words: list[str]) -> tuple[tuple[str, int], ...]:
        return tuple(sorted((w, words[:i].count(w)) for i, w in enumerate(words)))

    found = list(similar_pairs([counted(a), counted(b)], 0.01, Measure.DICE, sides=[0, 1]))
    quick = difflib.SequenceMatcher(None, a, b, autojunk=False).quick_ratio()
    assert found == ([(0, 1, quick)] if quick >= 0.01 else [])
