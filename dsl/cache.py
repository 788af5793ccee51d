"""A cache of parsed files, keyed by their exact text.

Parsing is the slowest step and needs lark, whose import alone costs more than checking
a whole framework. Like mypy's and ruff's caches, this one lets an unchanged file skip
both. The key covers the file's text, the path it is shown under, and the source of the
parser itself, so a changed file or a changed precepts never reads a stale entry. The
cache is only an optimisation: any problem with it (unwritable folder, corrupt entry)
silently falls back to parsing. Set PRECEPTS_NO_CACHE=1 to turn it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Any

from precepts.core.atomic import write_atomically

_PARSER_FILES = ("precepts.lark", "parser.py", "ast.py", "cache.py")


def enabled() -> bool:
    return not os.environ.get("PRECEPTS_NO_CACHE")


def folder() -> Path:
    explicit = os.environ.get("PRECEPTS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "precepts"


@lru_cache(maxsize=1)
def _parser_fingerprint() -> bytes:
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in _PARSER_FILES:
        digest.update((here / name).read_bytes())
    return digest.digest()


def _key(text: str, shown: str) -> str:
    digest = hashlib.sha256(_parser_fingerprint())
    digest.update(shown.encode("utf-8", "surrogatepass"))
    digest.update(b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def load(text: str, shown: str) -> Any | None:
    if not enabled():
        return None
    try:
        with open(folder() / (_key(text, shown) + ".pickle"), "rb") as handle:
            return pickle.load(handle)
    except Exception:  # a missing or unreadable entry just means: parse again
        return None


def store(text: str, shown: str, value: Any) -> None:
    if not enabled():
        return
    try:
        target = folder()
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(target / (_key(text, shown) + ".pickle"),
                         pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), private=True)
    except Exception:  # the cache is an optimisation; never fail a check over it
        return
