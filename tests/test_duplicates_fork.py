"""The near-duplicate join forked on a large framework (validators/duplicates.py): a child
that dies before it sends its pairs must not hang `check`; the check computes the pairs
itself and finds the same near duplicates (issue 15)."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest
from support import CHECK_FIXTURES, check_text

from precepts.validators import duplicates
from precepts.validators.duplicates import PromptTable


@pytest.fixture
def hang_guard() -> Iterator[None]:
    """A hang fails the test instead of stopping the run (not a measure of speed)."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError("the check waited for a child that had died")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(120)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


D002_FAIL = CHECK_FIXTURES / "D002" / "fail" / "main.precepts"


def near_duplicates_of(tmp_path: Path) -> list[tuple[str, int, int]]:
    result = check_text(tmp_path, D002_FAIL.read_text(encoding="utf-8"))
    return [(d.code, d.span.line, d.span.column) for d in result.diagnostics if d.code == "D002" and d.span]


@pytest.mark.usefixtures("hang_guard")
def test_a_forked_join_that_dies_before_sending_leaves_the_check_to_find_the_pairs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = near_duplicates_of(tmp_path)
    parent = os.getpid()
    original = duplicates._similar_pairs
    outcomes: list[object] = []
    started_original = duplicates._started_pairs

    def die_in_the_child(table: PromptTable) -> dict[str, list[tuple[int, int, float]]]:
        if os.getpid() != parent:
            os._exit(3)  # as a child killed for its memory would: nothing sent, nothing closed
        return original(table)

    def spy(framework: object) -> object:
        outcomes.append(duplicates._RUNNING[0][2] if duplicates._RUNNING else None)
        found = started_original(framework)  # type: ignore[arg-type]
        outcomes.append(found)
        return found

    monkeypatch.setattr(duplicates, "PARALLEL_MIN_PROMPTS", 0)
    monkeypatch.setattr(duplicates, "_similar_pairs", die_in_the_child)
    monkeypatch.setattr(duplicates, "_started_pairs", spy)
    forked = near_duplicates_of(tmp_path)
    assert forked == alone == [("D002", 18, 7)]
    if threading.active_count() == 1:  # forking is only done where no other thread runs
        process, found = outcomes
        assert process is not None and process.exitcode == 3  # type: ignore[attr-defined]
        assert found is None
