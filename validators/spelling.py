"""The dictionary behind the spelling check, with a cache of its verdicts.

pyspellchecker's English list takes a quarter of a second to load, longer than checking a
whole framework, so verdicts on words already seen are kept in the cache folder and the
dictionary is loaded only for new words. Its list uses American spellings; British forms
(organise, behaviour, programme, licence, analyse) are accepted when their American form
is known.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from precepts.core.atomic import write_atomically

_BRITISH = (
    (re.compile(r"is(e|ed|es|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"our(s|ed|ing|able|ite|ites)?$"), r"or\1"),
    (re.compile(r"tre(s)?$"), r"ter\1"),
    (re.compile(r"ence(s)?$"), r"ense\1"),
    (re.compile(r"amme(s)?$"), r"am\1"),
    (re.compile(r"ement(s)?$"), r"ment\1"),
    (re.compile(r"lled$"), "led"),
    (re.compile(r"lling$"), "ling"),
)


def british_variants(word: str) -> list[str]:
    variants = []
    for pattern, replacement in _BRITISH:
        changed = pattern.sub(replacement, word)
        if changed != word:
            variants.append(changed)
    return variants


@lru_cache(maxsize=1)
def _dictionary() -> Any:
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1)


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str] | None:
    """The dictionary's words, for `word in dictionary` alone; None if its list cannot be
    read here as SpellChecker reads it (the SpellChecker is asked then).

    Making the SpellChecker costs twice as much as reading its list: it lowercases every word
    again and counts letters and lengths, which only corrections use. A framework whose
    words are all known (the shipped ones, and the generated benchmarks) needs no
    correction. The dictionary is case-insensitive: it holds and looks up words lowercased."""
    import gzip
    import pkgutil

    try:
        data = pkgutil.get_data("spellchecker", "resources/en.json.gz")
        counts = json.loads(gzip.decompress(data).decode("utf-8")) if data else None
    except (OSError, ValueError):
        return None
    if not isinstance(counts, dict):
        return None
    # The list's own strings, not lowercased copies of all of them: the list is almost all
    # lowercase already, and copying every word would add 10 MB to a check's peak memory.
    uppercase = [word for word in counts if word != word.lower()]
    known = frozenset(counts)
    return known.difference(uppercase).union(word.lower() for word in uppercase) if uppercase else known


def _known(word: str) -> bool:
    known = _known_words()
    return word.lower() in known if known is not None else word in _dictionary()


def _cache_path() -> str | None:
    from precepts.dsl import cache

    if not cache.enabled():
        return None
    # The dictionary's identity without importing it (or importlib.metadata, which costs
    # more than checking a small framework): the size and time of its word list file.
    try:
        import importlib.util

        spec = importlib.util.find_spec("spellchecker")
        origin = spec.origin if spec else None
        status = os.stat(os.path.join(os.path.dirname(origin), "resources", "en.json.gz")) if origin else None
        version = f"{status.st_size}-{int(status.st_mtime)}" if status else "unknown"
    except OSError:
        version = "unknown"
    return str(cache.folder() / f"spelling-{version}-1.json")


def _load_verdicts(path: str | None) -> dict[str, str | None]:
    if path is None:
        return {}
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        return data if isinstance(data, dict) else {}
    except Exception:
        return {}


def _store_verdicts(path: str | None, verdicts: dict[str, str | None]) -> None:
    if path is None:
        return
    try:
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        write_atomically(Path(path), json.dumps(verdicts, sort_keys=True).encode("utf-8"), private=True)
    except Exception:
        return


KNOWN = ""  # the verdict stored for a known word; an unknown word stores its suggestion or null


def unknown_words(words: set[str]) -> dict[str, str | None]:
    """The words the dictionary does not know, each with a suggested correction (or None)."""
    path = _cache_path()
    verdicts = _load_verdicts(path)
    new = sorted(w for w in words if w not in verdicts)
    if new:
        for word in new:
            if _known(word) or any(_known(v) for v in british_variants(word)):
                verdicts[word] = KNOWN
            else:
                verdicts[word] = _dictionary().correction(word)
        _store_verdicts(path, verdicts)
    return {w: verdicts[w] for w in words if verdicts[w] != KNOWN}
