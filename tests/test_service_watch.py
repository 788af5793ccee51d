"""Serving frameworks that change: an edit is recompiled in the background and swapped in
whole; a framework that stops compiling keeps its last good version, and says why."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from service_support import ADULT, framework_repository
from starlette.testclient import TestClient

from precepts.service.app import create_app
from precepts.service.settings import Settings


@pytest.fixture()
def watched(tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    repository = framework_repository(tmp_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repository)
        with TestClient(create_app(Settings(folder="frameworks", watch=True))) as client:
            eventually(lambda: client.get("/readyz").status_code == 200)
            yield client, repository / "frameworks" / f"{ADULT}.precepts"


def eventually(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("the change was not picked up in time")


def adult(client: TestClient) -> dict:
    return next(f for f in client.get("/v1/frameworks").json()["frameworks"] if f["id"] == ADULT)


def test_an_edit_is_served_after_recompiling_and_a_broken_edit_keeps_the_last_good_version(
        watched: tuple[TestClient, Path]) -> None:
    client, file = watched
    before = adult(client)
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("title: Consultation", "title: Revised consultation", 1), encoding="utf-8")
    eventually(lambda: adult(client)["title"].startswith("Revised consultation"))
    revised = adult(client)
    assert revised["sha256"] != before["sha256"] and revised["errors"] == [] and not revised["stale"]
    compiled = client.get(f"/v1/frameworks/{ADULT}")
    assert compiled.headers["etag"] == f'"{revised["sha256"]}"'

    file.write_text(text.replace("title: Consultation", "title: Revised consultation", 1)
                    + "\nstandrd 9.9 Broken\n", encoding="utf-8")
    eventually(lambda: adult(client)["stale"])
    stale = adult(client)
    assert stale["sha256"] == revised["sha256"], "the last good version is still served"
    assert any("S003" in line or "S002" in line for line in stale["errors"]), stale["errors"]
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["stale"] == [ADULT]
    assert any(ready.json()["errors"].values())
    assert client.get(f"/v1/frameworks/{ADULT}").headers["etag"] == f'"{revised["sha256"]}"'
    assert "precepts_frameworks_failing 1" in client.get("/metrics").text


def test_a_framework_that_never_compiled_makes_the_server_unready(tmp_path: Path) -> None:
    folder = tmp_path / "frameworks"
    folder.mkdir()
    (folder / "broken.precepts").write_text("framework broken\nstandrd 1\n", encoding="utf-8")
    with TestClient(create_app(Settings(folder=str(folder), watch=False))) as client:
        eventually(lambda: client.get("/readyz").json().get("generation") is not None)
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["not_loaded"]
        listed = client.get("/v1/frameworks").json()
        assert listed["frameworks"] == [] and listed["failing"][0]["errors"]
