"""The parse cache (dsl/cache.py): plain data that cannot run code, authenticated per user,
bounded in size, and never stale after an upgrade."""

from __future__ import annotations

import inspect
import marshal
import os
import pickle
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import CHECK_FIXTURES, FRAMEWORKS, TESTS

from precepts.core import codes
from precepts.core.diagnostics import Diagnostic, Related, Severity
from precepts.dsl import cache
from precepts.dsl.ast import Attribute, Comment, Heading
from precepts.dsl.parser import parse_lines
from precepts.pipeline import check_path

SOURCES = sorted([*FRAMEWORKS.rglob("*.precepts"), *(TESTS / "fixtures").rglob("*.precepts")])


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PRECEPTS_CACHE_DIR", str(folder))
    monkeypatch.delenv("PRECEPTS_NO_CACHE", raising=False)
    return folder


class _RunsCode:
    """What an attacker would put in a pickle: loading it creates the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def test_every_file_round_trips_through_an_entry() -> None:
    for path in SOURCES:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # a fixture of an unreadable file
            continue
        value = parse_lines(text, path.name)
        assert cache.decode_entry(cache.encode_entry(value)) == value, path


def test_an_entry_that_would_run_code_is_never_loaded(cache_folder: Path, tmp_path: Path) -> None:
    text = (CHECK_FIXTURES / "S002" / "pass" / "main.precepts").read_text(encoding="utf-8")
    cache.store(text, "main.precepts", parse_lines(text, "main.precepts"))  # makes the folder and key
    marker = tmp_path / "code-ran"
    payload = pickle.dumps(_RunsCode(marker))
    for suffix in (".pickle", getattr(cache, "SUFFIX", ".pickle")):
        (cache_folder / (cache._key(text, "main.precepts") + suffix)).write_bytes(payload)
    assert cache.load(text, "main.precepts") is None
    assert not marker.exists(), "the cache ran code from an entry"


def test_an_entry_not_signed_with_the_users_key_is_ignored(cache_folder: Path) -> None:
    text = "framework real\n"
    forged = parse_lines("framework forged\n", "f.precepts")
    cache.store(text, "f.precepts", parse_lines(text, "f.precepts"))
    entry = cache_folder / (cache._key(text, "f.precepts") + cache.SUFFIX)
    entry.write_bytes(b"\0" * 32 + cache.encode_entry(forged))  # well formed, but not signed
    assert cache.load(text, "f.precepts") is None


def test_a_key_of_another_user_is_not_trusted(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "framework real\n"
    value = parse_lines(text, "f.precepts")
    cache.store(text, "f.precepts", value)
    assert cache.load(text, "f.precepts") == value
    me = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: me + 1)  # the files now belong to someone else
    assert cache.load(text, "f.precepts") is None


def test_a_key_others_can_read_is_not_trusted(cache_folder: Path) -> None:
    text = "framework real\n"
    value = parse_lines(text, "f.precepts")
    cache.store(text, "f.precepts", value)
    assert cache.load(text, "f.precepts") == value
    os.chmod(cache_folder / cache.KEY_FILE, 0o644)
    assert cache.load(text, "f.precepts") is None


def test_the_cache_stays_under_its_size_and_keeps_the_recent(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRECEPTS_CACHE_MAX_MB", "0.1")  # about 100 kB
    limit = cache.max_bytes()
    (cache_folder).mkdir(parents=True)
    (cache_folder / "old-format.pickle").write_bytes(b"x" * 1000)
    texts = [f"framework f{i}\n" + "".join(f"title: {'word ' * 200}{i} {n}\n" for n in range(10)) for i in range(20)]
    for i, text in enumerate(texts):
        cache.store(text, "f.precepts", parse_lines(text, "f.precepts"))
        os.utime(cache_folder / (cache._key(text, "f.precepts") + cache.SUFFIX), ns=(i * 10**9, i * 10**9))
    entries = list(cache_folder.glob("*" + cache.SUFFIX))
    assert sum(p.stat().st_size for p in cache_folder.iterdir()) <= limit
    assert 1 < len(entries) < len(texts), "some entries were evicted, not all"
    assert cache.load(texts[-1], "f.precepts") is not None, "the newest entry stays"
    assert cache.load(texts[0], "f.precepts") is None, "the oldest entry went first"
    assert not (cache_folder / "old-format.pickle").exists()


def test_every_module_whose_objects_an_entry_holds_is_in_the_fingerprint() -> None:
    held = {Path(inspect.getfile(kind)).resolve() for kind in (*cache._NODES, Diagnostic, Related, Severity)}
    held.add(Path(inspect.getfile(codes)).resolve())  # the codes and names inside diagnostics
    fingerprinted = {path.resolve() for path in cache._FINGERPRINTED}
    assert held <= fingerprinted, sorted(str(p) for p in held - fingerprinted)
    assert all(path.is_file() for path in fingerprinted)


def test_a_cached_check_gives_the_same_findings(cache_folder: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "broken.precepts"
    path.write_text((CHECK_FIXTURES / "N002" / "fail" / "main.precepts").read_text(encoding="utf-8") + "oops\n",
                    encoding="utf-8")
    first = check_path(path).diagnostics
    assert list(cache_folder.glob("*" + cache.SUFFIX)), "the parse was cached"
    second = check_path(path).diagnostics
    monkeypatch.setenv("PRECEPTS_NO_CACHE", "1")
    assert first == second == check_path(path).diagnostics


# ---- what a malformed entry, the size limit and the folder's settings do ------------------------


def test_an_entry_is_not_found_under_another_path_that_runs_into_its_text(cache_folder: Path) -> None:
    # "f.precepts" + "xframework a" and "f.preceptsx" + "framework a" are the same characters.
    value = parse_lines("xframework a\n", "f.precepts")
    cache.store("xframework a\n", "f.precepts", value)
    assert cache.load("xframework a\n", "f.precepts") == value
    assert cache.load("framework a\n", "f.preceptsx") is None


def test_an_entry_and_the_key_are_private_to_the_user(cache_folder: Path) -> None:
    cache.store("framework a\n", "f.precepts", parse_lines("framework a\n", "f.precepts"))
    entries = list(cache_folder.glob("*" + cache.SUFFIX))
    assert len(entries) == 1
    for path in (*entries, cache_folder / cache.KEY_FILE):
        assert path.stat().st_mode & 0o777 == 0o600, path


def test_a_size_limit_of_nought_turns_storing_off(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRECEPTS_CACHE_MAX_MB", "0")
    cache.store("framework a\n", "f.precepts", parse_lines("framework a\n", "f.precepts"))
    assert not cache_folder.exists()  # nothing written, not even the folder or the key
    assert cache.load("framework a\n", "f.precepts") is None


@pytest.mark.parametrize(("written", "megabytes"), [(None, 64), ("2", 2), ("0.5", 0.5), ("-3", 0), ("lots", 64)])
def test_the_size_limit_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch, written: str | None,
                                                     megabytes: float) -> None:
    if written is None:
        monkeypatch.delenv("PRECEPTS_CACHE_MAX_MB", raising=False)
    else:
        monkeypatch.setenv("PRECEPTS_CACHE_MAX_MB", written)
    assert cache.max_bytes() == int(megabytes * 1024 * 1024)


def test_the_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PRECEPTS_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "precepts"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.folder() == tmp_path / "home" / ".cache" / "precepts"
    monkeypatch.setenv("PRECEPTS_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.folder() == tmp_path / "mine"


def test_reading_an_entry_keeps_it_from_eviction(cache_folder: Path) -> None:
    texts = [f"framework f{i}\n" for i in range(4)]
    for i, text in enumerate(texts):
        cache.store(text, "f.precepts", parse_lines(text, "f.precepts"))
        os.utime(cache_folder / (cache._key(text, "f.precepts") + cache.SUFFIX), ns=(i * 10**9, i * 10**9))
    assert cache.load(texts[0], "f.precepts") is not None  # the oldest, read now
    sizes = sum(p.stat().st_size for p in cache_folder.glob("*" + cache.SUFFIX))
    cache.evict(cache_folder, sizes - 1)  # over the limit by a byte: down to three quarters of it
    kept = {p.name for p in cache_folder.glob("*" + cache.SUFFIX)}
    assert cache._key(texts[0], "f.precepts") + cache.SUFFIX in kept
    assert cache._key(texts[1], "f.precepts") + cache.SUFFIX not in kept
    assert (cache_folder / cache.KEY_FILE).exists()


def test_a_folder_at_its_limit_is_left_alone_and_one_over_is_brought_to_three_quarters(cache_folder: Path) -> None:
    cache_folder.mkdir(parents=True)
    for i in range(8):
        (cache_folder / f"{i}{cache.SUFFIX}").write_bytes(b"x" * (101 if i == 0 else 100))
        os.utime(cache_folder / f"{i}{cache.SUFFIX}", ns=(i * 10**9, i * 10**9))
    (cache_folder / "sub").mkdir()
    cache.evict(cache_folder, 801)
    assert len(list(cache_folder.glob("*" + cache.SUFFIX))) == 8
    cache.evict(cache_folder, 800)  # 801 bytes: the two oldest go, leaving exactly three quarters (600)
    assert sorted(p.name for p in cache_folder.glob("*" + cache.SUFFIX)) == [f"{i}{cache.SUFFIX}" for i in range(2, 8)]
    assert (cache_folder / "sub").is_dir()


_PLAIN_DATA = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 14) | st.sampled_from(["", "f", "S002", "error", "1.5"]),
    lambda inner: st.lists(inner, max_size=10).map(tuple), max_leaves=40)


@given(st.tuples(st.lists(_PLAIN_DATA, max_size=3).map(tuple), st.lists(_PLAIN_DATA, max_size=2).map(tuple))
       | _PLAIN_DATA)
def test_a_malformed_entry_is_refused_and_never_made_into_other_objects(data: object) -> None:
    """decode_entry makes only the syntax tree's own objects (module docstring), whatever the
    entry holds; anything else is refused with ValueError."""
    try:
        lines, diagnostics = cache.decode_entry(marshal.dumps(data))
    except ValueError:
        return
    allowed = (*cache._NODES, tuple, Decimal, str, int, bool, type(None))

    def every(value: object) -> None:
        assert isinstance(value, allowed), value
        if isinstance(value, tuple):
            for item in value:
                every(item)

    assert all(isinstance(line, (Heading, Attribute, Comment)) for line in lines)
    for line in lines:
        every(line)
    for diagnostic in diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert all(isinstance(related, Related) for related in diagnostic.related)


@pytest.mark.parametrize("data", [
    (), ((), ), ((), (), ()), [(), ()], ((), []), ([], ()),
    (((0,),), ()),  # a line that is a Span tag with no fields
    ((("f", 1, 1, 1, 1),), ()),  # a span where a line belongs
    (((len(cache._NODES),),), ()),  # a tag past the last kind of node
    (((-9, "x"),), ()),  # a tag of no kind
    (((-1, 5),), ()),  # a decimal that is not text
    (((cache._TAG[Comment], "# c", ("f", 1, 1)),), ()),  # a span of three fields
    (((cache._TAG[Comment], "# c", ("f", 1, 1, 1, 1, 1)),), ()),  # a span of six fields
    ((), ((-3, "S002"),)),  # a diagnostic without its fields
    ((), ((-3, "S002", "syntax-error", "error", "m", None, None, [], ()),)),  # related not a tuple
    ((), ((-3, "S002", "syntax-error", "error", "m", None, None, (), []),)),  # subjects not a tuple
    ((), ((-4, "S002", "syntax-error", "error", "m", None, None, (), ()),)),  # not tagged as a diagnostic
    ((), ((-3, "S002", "syntax-error", "error", 5, None, None, (), ()),)),  # a message that is not text
])
def test_entries_of_the_wrong_shape_are_refused(data: object) -> None:
    with pytest.raises(ValueError):
        cache.decode_entry(marshal.dumps(data))


def test_a_diagnostic_keeps_only_well_formed_related_places() -> None:
    span = ("f", 1, 1, 1, 2)
    data = ((), ((-3, "S002", "syntax-error", "error", "m", span, "h",
                  ((-4, span, "first here"), (-4, span), ("x", span, "y"), (-5, span, "z")), ("a",)),))
    _, (diagnostic,) = cache.decode_entry(marshal.dumps(data))
    assert [related.message for related in diagnostic.related] == ["first here"]
    assert (diagnostic.code, diagnostic.message, diagnostic.help, diagnostic.subjects) == ("S002", "m", "h", ("a",))


def test_a_key_made_by_another_process_at_the_same_moment_is_used(cache_folder: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open
    theirs = b"k" * 32

    def racing_open(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if str(path).endswith(cache.KEY_FILE) and flags & os.O_EXCL:  # another process makes the key first
            made = real_open(path, os.O_WRONLY | os.O_CREAT, 0o600)
            os.write(made, theirs)
            os.close(made)
            raise FileExistsError(path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", racing_open)
    value = parse_lines("framework a\n", "f.precepts")
    cache.store("framework a\n", "f.precepts", value)
    assert (cache_folder / cache.KEY_FILE).read_bytes() == theirs
    assert cache.load("framework a\n", "f.precepts") == value


def test_eviction_goes_on_past_an_entry_it_cannot_remove(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_folder.mkdir(parents=True)
    for i in range(4):
        (cache_folder / f"{i}{cache.SUFFIX}").write_bytes(b"x" * 100)
        os.utime(cache_folder / f"{i}{cache.SUFFIX}", ns=(i * 10**9, i * 10**9))
    real_unlink = os.unlink

    def unlink(path: str) -> None:
        if path.endswith(f"0{cache.SUFFIX}"):
            raise PermissionError(path)  # removed by another process, or not ours to remove
        real_unlink(path)

    monkeypatch.setattr(os, "unlink", unlink)
    cache.evict(cache_folder, 399)  # down to 299 bytes: the oldest cannot go, so the next two do
    assert sorted(p.name for p in cache_folder.glob("*" + cache.SUFFIX)) == [f"{i}{cache.SUFFIX}" for i in (0, 3)]
