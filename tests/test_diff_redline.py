"""Word-level redlines and the text similarity behind proposals."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from precepts.changes.redline import as_text, new_text, old_text, redline, tokens
from precepts.changes.similarity import TermSwap, apply_terms, plural_of, same_apart_from_terms, similarity, words

SWAPS = (TermSwap("service user", "person on probation"),)


def test_text_markers_as_in_git_word_diff() -> None:
    ops = redline(
        "Assessment is well-informed, analytical and personalised, actively involving the service user.",
        "Assessment is well-informed, analytical and personalised, and actively involves the person on probation.",
    )
    assert as_text(ops) == (
        "Assessment is well-informed, analytical and personalised, {+and+} actively [-involving-] {+involves+} "
        "the [-service user-] {+person on probation+}."
    )


def test_words_keep_their_apostrophes_hyphens_and_slashes() -> None:
    assert [t.strip() for t in tokens("the court’s well-informed victim/s, here")] == [
        "the", "court’s", "well-informed", "victim/s", ",", "here"]


def test_nothing_changed_is_one_equal_operation() -> None:
    assert [op.op for op in redline("Same words?", "Same words?")] == ["equal"]


_WORDS = st.lists(st.sampled_from(["the", "service", "user", "person", "on", "probation", ",", "?", "well-informed",
                                   "court’s", "and", "victim/s"]), max_size=25)


@given(_WORDS, _WORDS)
def test_the_operations_give_back_both_texts(old_words: list[str], new_words: list[str]) -> None:
    old, new = " ".join(old_words), " ".join(new_words)
    ops = redline(old, new)
    assert new_text(ops) == new
    assert old_text(ops).split() == old.split()  # spacing between unchanged words comes from the new text
    assert all(op.text for op in ops)
    assert all(a.op != b.op for a, b in itertools.pairwise(ops))


@given(st.text(max_size=60), st.text(max_size=60))
def test_any_text_is_redlined_without_loss(old: str, new: str) -> None:
    assert new_text(redline(old, new)) == new


def test_preferred_terms_and_their_plurals() -> None:
    assert plural_of("person on probation") == "people on probation"
    assert plural_of("service user") == "service users"
    assert apply_terms("for all service users and the service user’s needs", SWAPS) == (
        "for all people on probation and the person on probation’s needs")


def test_wording_changed_only_by_preferred_terms() -> None:
    assert same_apart_from_terms("Does planning support the service user’s desistance?",
                                 "Does planning support the person on probation's desistance?", SWAPS)
    assert not same_apart_from_terms("Is the service user encouraged to contribute?",
                                     "Is the person on probation meaningfully involved?", SWAPS)
    assert not same_apart_from_terms("Same words?", "Same words?", SWAPS)


def test_similarity_sets_aside_terms_case_and_quotes() -> None:
    a = words("Does the advice consider the service user’s motivation?", SWAPS)
    b = words("Does the advice consider the Person on probation's motivation?", SWAPS)
    assert similarity(a, b) == 1.0
    assert similarity(words("Are home visits undertaken?"), words("Are key individuals engaged?")) < 0.5
