"""Editing through the API: the atomic, If-Match-guarded save and what protects it
(bearer token, Origin, Host, ids, symlinks), and the server refusing unsafe options."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_support import ADULT, framework_repository
from starlette.testclient import TestClient

from precepts.service.app import create_app
from precepts.service.settings import Settings

BASE = "http://127.0.0.1:8000"


def opened(repository: Path, patch: pytest.MonkeyPatch, **settings: object) -> TestClient:
    patch.chdir(repository)
    return TestClient(create_app(Settings(folder="frameworks", watch=False, **settings)),  # type: ignore[arg-type]
                      base_url=BASE)


def ready(client: TestClient) -> TestClient:
    # Up to 2 minutes: loading builds every artefact, the consultation PDFs (WeasyPrint,
    # seconds each) included, and the test machine may be busy.
    for _ in range(2400):
        if client.get("/readyz").status_code == 200:
            return client
        time.sleep(0.05)
    raise AssertionError(client.get("/readyz").text)


@pytest.fixture()
def repository(tmp_path: Path) -> Path:
    return framework_repository(tmp_path)


@pytest.fixture()
def editor(repository: Path) -> Iterator[TestClient]:
    with pytest.MonkeyPatch.context() as patch, opened(repository, patch, edit=True) as client:
        yield ready(client)


def source_path(repository: Path) -> Path:
    return repository / "frameworks" / f"{ADULT}.precepts"


def test_save_writes_the_file_when_it_is_still_the_version_edited(editor: TestClient, repository: Path) -> None:
    source = editor.get(f"/v1/frameworks/{ADULT}/source")
    assert source.headers["etag"] == f'"{source.json()["sha256"]}"'
    body = source.json()
    assert body["path"] == f"{ADULT}.precepts" and "shared/hmip-case-ratings.precepts" in body["includes"]
    assert body["head"] == body["text"]
    edited = body["text"].replace("title: Consultation", "title: Edited consultation", 1)
    saved = editor.put(f"/v1/frameworks/{ADULT}/source", content=edited.encode(),
                       headers={"Content-Type": "text/plain", "If-Match": f'"{body["sha256"]}"', "Origin": BASE})
    assert saved.status_code == 200, saved.text
    assert source_path(repository).read_text(encoding="utf-8") == edited
    assert saved.json()["sha256"] == hashlib.sha256(edited.encode()).hexdigest()
    assert editor.get(f"/v1/frameworks/{ADULT}").json()["framework"]["title"].startswith("Edited consultation")
    assert not list(source_path(repository).parent.glob(".*.tmp")), "no temporary file is left"


def test_a_save_over_someone_elses_change_is_409_with_both_versions(editor: TestClient, repository: Path) -> None:
    body = editor.get(f"/v1/frameworks/{ADULT}/source").json()
    theirs = body["text"] + "\n# their change\n"
    source_path(repository).write_text(theirs, encoding="utf-8")
    mine = body["text"] + "\n# my change\n"
    answer = editor.put(f"/v1/frameworks/{ADULT}/source", content=mine.encode(),
                        headers={"Content-Type": "text/plain", "If-Match": f'"{body["sha256"]}"'})
    assert answer.status_code == 409 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["current"] == theirs
    assert answer.json()["current_sha256"] == hashlib.sha256(theirs.encode()).hexdigest()
    assert source_path(repository).read_text(encoding="utf-8") == theirs, "their change is kept"


def test_a_save_needs_if_match_and_text(editor: TestClient) -> None:
    assert editor.put(f"/v1/frameworks/{ADULT}/source", content=b"x",
                      headers={"Content-Type": "text/plain"}).status_code == 428
    assert editor.put(f"/v1/frameworks/{ADULT}/source", content=b"x",
                      headers={"Content-Type": "application/octet-stream", "If-Match": '"0"'}).status_code == 415


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Origin": "http://127.0.0.1:9999"},
    {"Sec-Fetch-Site": "cross-site"},
])
def test_a_cross_site_save_is_refused(editor: TestClient, repository: Path, headers: dict[str, str]) -> None:
    before = source_path(repository).read_bytes()
    answer = editor.put(f"/v1/frameworks/{ADULT}/source", content=b"framework evil\n", headers={
        "Content-Type": "text/plain", "If-Match": f'"{hashlib.sha256(before).hexdigest()}"', **headers})
    assert answer.status_code == 403 and answer.json()["type"] == "urn:precepts:problem:forbidden-origin"
    assert source_path(repository).read_bytes() == before


def test_a_rebound_host_name_cannot_edit(editor: TestClient) -> None:
    answer = editor.get(f"/v1/frameworks/{ADULT}/source", headers={"Host": "attacker.example:8000"})
    assert answer.status_code == 403


@pytest.mark.parametrize("reference", ["..", "%2e%2e", "..%2f..%2fetc%2fpasswd", f"{ADULT}@HEAD", "%2fetc%2fpasswd"])
def test_ids_that_are_not_ids_find_nothing(editor: TestClient, reference: str) -> None:
    assert editor.get(f"/v1/frameworks/{reference}/source").status_code == 404
    assert editor.put(f"/v1/frameworks/{reference}/source", content=b"x",
                      headers={"Content-Type": "text/plain", "If-Match": '"0"'}).status_code in (404, 405)


def test_a_symlink_out_of_the_folder_is_neither_served_nor_written(repository: Path, tmp_path_factory:
                                                                  pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.precepts"
    outside.write_text("framework secret\ntitle: Secret\n", encoding="utf-8")
    (repository / "frameworks" / "secret.precepts").symlink_to(outside)
    with pytest.MonkeyPatch.context() as patch, opened(repository, patch, edit=True) as client:
        ready(client)
        assert "secret" not in [f["id"] for f in client.get("/v1/frameworks").json()["frameworks"]]
        assert client.get("/v1/frameworks/secret").status_code == 404
        assert client.get("/v1/frameworks/secret/source").status_code == 404
        assert client.put("/v1/frameworks/secret/source", content=b"framework x\n",
                          headers={"Content-Type": "text/plain", "If-Match": '"0"'}).status_code == 404
    assert outside.read_text(encoding="utf-8") == "framework secret\ntitle: Secret\n"


def test_with_a_token_editing_needs_it(repository: Path) -> None:
    with pytest.MonkeyPatch.context() as patch, opened(repository, patch, edit=True, token="s3cret") as client:
        ready(client)
        assert client.get(f"/v1/frameworks/{ADULT}/source").status_code == 401
        assert client.get(f"/v1/frameworks/{ADULT}/source",
                          headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get(f"/v1/frameworks/{ADULT}/source",
                          headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert client.get(f"/v1/frameworks/{ADULT}").status_code == 200, "reading needs no token"


def test_without_edit_there_is_no_editing(repository: Path) -> None:
    with pytest.MonkeyPatch.context() as patch, opened(repository, patch) as client:
        ready(client)
        assert client.get(f"/edit/{ADULT}").status_code == 404
        assert client.get(f"/v1/frameworks/{ADULT}/source").status_code == 404
        assert client.put(f"/v1/frameworks/{ADULT}/source", content=b"x",
                          headers={"Content-Type": "text/plain", "If-Match": '"0"'}).status_code == 405


def test_the_page_is_autoescaped_and_allows_no_inline_script(editor: TestClient) -> None:
    page = editor.get(f"/edit/{ADULT}")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "<script>" not in page.text and "<script src=" in page.text
    assert "frame-ancestors 'none'" in policy


def test_edit_off_loopback_without_a_token_refuses_to_start(repository: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "precepts", "serve", "frameworks", "--host", "0.0.0.0", "--edit",
                           "--port", "1"], cwd=repository, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(repository)})
    assert done.returncode == 2
    assert "--token" in done.stderr and "Traceback" not in done.stderr


def test_the_preview_is_the_consultation_page_build_would_publish(editor: TestClient) -> None:
    source = editor.get(f"/v1/frameworks/{ADULT}/source").json()
    files = {source["path"]: source["text"], **source["includes"]}
    preview = editor.post("/v1/preview", json={"files": files, "name": source["path"]})
    assert preview.status_code == 200, preview.text
    assert preview.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src" not in preview.headers["content-security-policy"]
    published = editor.get(f"/v1/frameworks/{ADULT}/consultation.html").text
    assert preview.text == published.replace(f"from frameworks/{ADULT}.precepts", f"from {source['path']}")
    broken = editor.post("/v1/preview", json={"files": {**files, source["path"]: "framework x\nstandrd\n"},
                                              "name": source["path"]})
    assert broken.status_code == 422 and broken.json()["errors"]
