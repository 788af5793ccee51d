"""The rare-word index finds every pair that diff's exhaustive search would score (issue 15)."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from precepts.changes.candidates import candidate_pairs

# A small vocabulary, so that texts share words often and the floor decides.
_TEXTS = st.lists(st.lists(st.sampled_from("a b c d e f g h the of is".split()), max_size=12), max_size=8)


def exhaustive(olds: dict[str, list[str]], news: dict[str, list[str]], floor: float) -> set[tuple[str, str]]:
    """The pairs the old search compared: both texts have words and quick_ratio reaches the floor."""
    found = set()
    for old, a in olds.items():
        for new, b in news.items():
            if a and b and difflib.SequenceMatcher(None, a, b, autojunk=False).quick_ratio() >= floor:
                found.add((old, new))
    return found


@settings(max_examples=300, deadline=None)
@given(_TEXTS, _TEXTS, st.floats(min_value=0.01, max_value=1.0))
def test_the_index_finds_every_pair_the_exhaustive_search_accepts(old_texts: list[list[str]],
                                                                   new_texts: list[list[str]], floor: float) -> None:
    olds = {f"old{i}": text for i, text in enumerate(old_texts)}
    news = {f"new{i}": text for i, text in enumerate(new_texts)}
    assert exhaustive(olds, news, floor) <= candidate_pairs(olds, news, floor)


def test_the_index_leaves_out_texts_that_share_no_rare_word() -> None:
    """It prunes: two texts sharing only a common word are not candidates at 0.6."""
    olds = {"x": "the cat sat on the mat".split(), "y": "risk of harm is assessed".split()}
    news = {"x2": "the cat sat on a mat".split(), "y2": "the plan is reviewed today".split()}
    assert candidate_pairs(olds, news, 0.6) == {("x", "x2")}
