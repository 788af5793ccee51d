"""A cache of parsed files, keyed by their exact text.

Parsing is the slowest step and needs lark, whose import alone costs more than checking
a whole framework. Like mypy's and ruff's caches, this one lets an unchanged file skip
both. The cache is only an optimisation: any problem with it (unwritable folder, corrupt,
forged or foreign entry) silently falls back to parsing. Set PRECEPTS_NO_CACHE=1 to turn
it off, PRECEPTS_CACHE_DIR to move it, PRECEPTS_CACHE_MAX_MB to bound it otherwise.

Safety. An entry is plain data (tuples, strings, numbers), written with marshal and read
back into the syntax tree's named tuples by a decoder that accepts nothing else, so an
entry cannot run code (pickle, which the cache used before, can). Each entry also carries
an HMAC-SHA256 under a random key of the user's own (a 0600 file in the cache folder, used
only if the user owns it and no one else can read it), checked before anything is
decoded: an entry written by anyone without the key, on a shared CI cache or by another
user of the machine, is ignored.

Staleness. The key of an entry covers the file's text, the path it is shown under, and a
fingerprint of every module whose objects an entry holds (the grammar, the parser, the
syntax tree, diagnostics and their codes, and this file), with the Python version (the
marshal format is Python's), so a changed file or an upgraded precepts never reads a
stale entry.

Size. The folder is kept under PRECEPTS_CACHE_MAX_MB (default 64): after a store that
takes it over, the entries read longest ago are removed. A read touches the entry's time.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import secrets
import stat
import sys
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from precepts.core.atomic import write_atomically
from precepts.core.diagnostics import Diagnostic, Related, Severity, Span
from precepts.dsl import ast

FORMAT = 2  # entries of format 1 were pickles, and are never read
SUFFIX = ".entry"
KEY_FILE = "key"
DEFAULT_MAX_MB = 64
_HERE = Path(__file__).resolve().parent
# Every file whose code shapes what an entry holds: a change to any of them is a new cache.
_FINGERPRINTED = (
    _HERE / "precepts.lark", _HERE / "parser.py", _HERE / "ast.py", _HERE / "cache.py",
    _HERE.parent / "core" / "diagnostics.py", _HERE.parent / "core" / "codes.py",
)
_DIGEST = 32  # bytes of HMAC-SHA256


def enabled() -> bool:
    return not os.environ.get("PRECEPTS_NO_CACHE")


def folder() -> Path:
    explicit = os.environ.get("PRECEPTS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "precepts"


def max_bytes() -> int:
    try:
        return max(0, int(float(os.environ.get("PRECEPTS_CACHE_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024))
    except ValueError:
        return DEFAULT_MAX_MB * 1024 * 1024


@lru_cache(maxsize=1)
def fingerprint() -> bytes:
    digest = hashlib.sha256(f"precepts-parse-cache {FORMAT} {sys.version} {marshal.version}".encode())
    for path in _FINGERPRINTED:
        digest.update(path.read_bytes() if path.is_file() else path.name.encode())
    return digest.digest()


def _key(text: str, shown: str) -> str:
    digest = hashlib.sha256(fingerprint())
    digest.update(shown.encode("utf-8", "surrogatepass"))
    digest.update(b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


# ---- the secret of this user -----------------------------------------------------------


def _own_private_file(handle: int) -> bool:
    info = os.fstat(handle)
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owner_ok and stat.S_ISREG(info.st_mode) and not info.st_mode & 0o077


def _secret(create: bool) -> bytes | None:
    """The user's cache key: None if there is none (and not `create`) or it is not private."""
    path = folder() / KEY_FILE
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        if not create:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:  # another process made it first: read theirs
            return _secret(create=False)
        with os.fdopen(handle, "wb") as out:
            out.write(secrets.token_bytes(32))
        return _secret(create=False)
    with os.fdopen(handle, "rb") as key_file:
        if not _own_private_file(key_file.fileno()):
            return None  # someone else's, or readable by others: trust no entry signed with it
        secret = key_file.read()
    return secret if len(secret) == 32 else None


# ---- the syntax tree as plain data ---------------------------------------------------------

# Every kind of object an entry may hold, by a tag that is its place here.
_NODES: tuple[type, ...] = (
    Span, ast.Word, ast.Subject, ast.Test, ast.AllOf, ast.AnyOf, ast.Bound, ast.Range,
    ast.RatingMethod, ast.Heading, ast.Attribute, ast.Comment,
)
_TAG = {node: index for index, node in enumerate(_NODES)}
_ARITY = tuple(len(node._fields) for node in _NODES)  # type: ignore[attr-defined]
_DECIMAL, _TUPLE, _DIAGNOSTIC, _RELATED = -1, -2, -3, -4
_PLAIN = (str, int, bool, type(None))


def _encode(value: Any) -> Any:
    kind = type(value)
    if kind is Span:  # the commonest by far; marshal takes plain tuples only
        return tuple(value)
    tag = _TAG.get(kind)
    if tag is not None:
        return (tag, *[_encode(item) for item in value])
    if kind is tuple:
        return (_TUPLE, *[_encode(item) for item in value])
    if kind is Decimal:
        return (_DECIMAL, str(value))
    if kind in _PLAIN:
        return value
    raise TypeError(f"the parse cache cannot hold {kind.__name__}")


def _encode_diagnostic(d: Diagnostic) -> tuple[Any, ...]:
    return (
        _DIAGNOSTIC, d.code, d.name, d.severity.value, d.message, None if d.span is None else tuple(d.span), d.help,
        tuple((_RELATED, tuple(r.span), r.message) for r in d.related), tuple(d.subjects),
    )


_new_tuple = tuple.__new__
_PLAIN_TYPES = frozenset(_PLAIN)


def _span(value: Any) -> Span:
    # The entry's HMAC shows it is this user's own; the checks here only keep anything but
    # a span from being made into one.
    if type(value) is not tuple or len(value) != 5:
        raise ValueError("not a span")
    return _new_tuple(Span, value)


def _decode(value: Any) -> Any:
    """Plain data → the syntax tree. Makes nothing but the named tuples of _NODES, tuples,
    Decimals, strings, numbers and None, whatever the data says."""
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if kind is not tuple or not value:
        raise ValueError(f"unexpected {kind.__name__} in a cache entry")
    tag = value[0]
    if type(tag) is str:  # a span: (file, line, column, end line, end column)
        return _span(value)
    if type(tag) is not int:
        raise ValueError("unexpected tag in a cache entry")
    # Spans, half of all nodes, are made here rather than in a call of their own.
    items = [
        item if type(item) in _PLAIN_TYPES
        else _new_tuple(Span, item) if type(item) is tuple and len(item) == 5 and type(item[0]) is str
        else _decode(item)
        for item in value[1:]
    ]
    if tag >= 0:
        if tag >= len(_NODES) or len(items) != _ARITY[tag]:
            raise ValueError("unknown tag in a cache entry")
        return _new_tuple(_NODES[tag], items)  # as NamedTuple's __new__ does, without its call
    if tag == _TUPLE:
        return tuple(items)
    if tag == _DECIMAL and len(items) == 1 and type(items[0]) is str:
        return Decimal(items[0])
    raise ValueError("unknown tag in a cache entry")


def _text(value: Any) -> str:
    if type(value) is not str:
        raise ValueError("not text")
    return value


def _decode_diagnostic(value: Any) -> Diagnostic:
    if type(value) is not tuple or len(value) != 9 or value[0] != _DIAGNOSTIC:
        raise ValueError("not a diagnostic")
    _, code, name, severity, message, span, help_text, related, subjects = value
    if type(related) is not tuple or type(subjects) is not tuple:
        raise ValueError("not a diagnostic")
    return Diagnostic(
        _text(code), _text(name), Severity(_text(severity)), _text(message),
        None if span is None else _span(span),
        None if help_text is None else _text(help_text),
        tuple(Related(_span(r[1]), _text(r[2])) for r in related if type(r) is tuple and len(r) == 3 and r[0] == _RELATED),
        tuple(_text(s) for s in subjects),
    )


def encode_entry(value: tuple[list[Any], list[Diagnostic]]) -> bytes:
    lines, diagnostics = value
    plain = (tuple(_encode(line) for line in lines), tuple(_encode_diagnostic(d) for d in diagnostics))
    return marshal.dumps(plain)


def decode_entry(data: bytes) -> tuple[list[Any], list[Diagnostic]]:
    plain = marshal.loads(data)
    if type(plain) is not tuple or len(plain) != 2 or type(plain[0]) is not tuple or type(plain[1]) is not tuple:
        raise ValueError("not a cache entry")
    lines = [_decode(line) for line in plain[0]]
    if any(type(line) not in (ast.Heading, ast.Attribute, ast.Comment) for line in lines):
        raise ValueError("not a line")
    return lines, [_decode_diagnostic(d) for d in plain[1]]


# ---- reading and writing entries ------------------------------------------------------------


def _entry_path(text: str, shown: str) -> Path:
    return folder() / (_key(text, shown) + SUFFIX)


def load(text: str, shown: str) -> tuple[list[Any], list[Diagnostic]] | None:
    if not enabled():
        return None
    try:
        secret = _secret(create=False)
        if secret is None:
            return None
        path = _entry_path(text, shown)
        data = path.read_bytes()
        signature, body = data[:_DIGEST], data[_DIGEST:]
        if not hmac.compare_digest(signature, hmac.new(secret, body, hashlib.sha256).digest()):
            return None  # not written by this user's precepts: never decoded
        value = decode_entry(body)
        os.utime(path)  # read now: the last to be evicted
        return value
    except Exception:  # a missing, unreadable or malformed entry just means: parse again
        return None


def store(text: str, shown: str, value: tuple[list[Any], list[Diagnostic]]) -> None:
    if not enabled() or max_bytes() == 0:
        return
    try:
        secret = _secret(create=True)
        if secret is None:
            return
        body = encode_entry(value)
        target = folder()
        write_atomically(target / (_key(text, shown) + SUFFIX),
                         hmac.new(secret, body, hashlib.sha256).digest() + body, private=True)
        evict(target, max_bytes())
    except Exception:  # the cache is an optimisation; never fail a check over it
        return


def evict(target: Path, limit: int) -> None:
    """Remove the entries read or written longest ago until the folder holds `limit` bytes
    or less (down to three quarters of it, so that eviction is not needed on every store).
    Files that are not entries (such as pickles of format 1) go first."""
    entries = []
    total = 0
    for item in os.scandir(target):
        if item.name == KEY_FILE or not item.is_file(follow_symlinks=False):
            continue
        if item.name.endswith(".pickle"):  # format 1: never read again
            os.unlink(item.path)
            continue
        info = item.stat(follow_symlinks=False)
        total += info.st_size
        entries.append((item.name.endswith(SUFFIX), info.st_mtime_ns, info.st_size, item.path))
    if total <= limit:
        return
    for _, _, size, path in sorted(entries):
        if total <= limit * 3 // 4:
            break
        try:
            os.unlink(path)
            total -= size
        except OSError:
            continue
