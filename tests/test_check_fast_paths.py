"""The wording checks read the whole corpus a piece at a time (issue 15): the words, and
whether any word comes twice in a row, are the same as from splitting it all at once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from precepts.validators import wording

# Few distinct words and every kind of whitespace str.split() knows, so that repeats, and
# words and spaces at the cuts between pieces, are common.
_TEXTS = st.lists(st.sampled_from(["the", "it", "a", "\x00the", " ", "  ", "\t", "\n", "\r", "\x0b", "\x1c", "\x85",
                                   "\u00a0", "\u2003", "\u3000", "é", "it?"]), max_size=40).map("".join)


@given(_TEXTS, st.integers(1, 12))
def test_pieces_hold_the_words_of_the_whole(text: str, size: int) -> None:
    cut = list(wording.pieces(text, size))
    assert "".join(cut) == text
    assert [word for piece in cut for word in piece.split()] == text.split()


@given(_TEXTS, st.integers(1, 12))
def test_a_word_twice_in_a_row_is_found_as_in_the_whole(text: str, size: int) -> None:
    words = text.split()
    assert wording._any_word_twice(text, size) == any(map(str.__eq__, words, words[1:]))
