"""The parse cache (dsl/cache.py): plain data that cannot run code, authenticated per user,
bounded in size, and never stale after an upgrade."""

from __future__ import annotations

import inspect
import os
import pickle
from pathlib import Path

import pytest
from support import CHECK_FIXTURES, FRAMEWORKS, TESTS

from precepts.core import codes
from precepts.core.diagnostics import Diagnostic, Related, Severity
from precepts.dsl import cache
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
