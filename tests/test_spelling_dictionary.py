"""The spelling check reads pyspellchecker's word list itself for `word in dictionary`
(validators/spelling.py, `_known_words`; issue 15): it must know exactly the words the
SpellChecker knows, or findings would change."""

from __future__ import annotations

from spellchecker import SpellChecker

from precepts.validators import spelling


def test_the_known_words_are_the_spellcheckers_words() -> None:
    known = spelling._known_words()
    assert known is not None
    assert known == frozenset(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def test_unknown_words_and_their_corrections_are_the_spellcheckers() -> None:
    checker = SpellChecker(language="en", distance=1)
    words = {"organise", "behaviour", "recieve", "teh", "programme", "xyzzy", "travelled", "adn"}
    expected = {}
    for word in sorted(words):
        if word not in checker and not any(v in checker for v in spelling.british_variants(word)):
            expected[word] = checker.correction(word)
    assert expected  # the words include misspellings, so the correction road is taken too
    assert spelling.unknown_words(words) == expected
