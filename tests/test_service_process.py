"""End to end against a real `precepts serve` process on a free loopback port, over real
sockets: list, ETag and 304, check with faults, rate (JSON and CSV), diff, a save
conflict, path traversal as raw request lines, a body over the limit, and 50 concurrent
checks."""

from __future__ import annotations

import hashlib
import http.client
import json
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from service_support import ADULT, bench_rate, framework_repository, running_server
from support import FRAMEWORK_2021, SHARED_RULES


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return framework_repository(tmp_path_factory.mktemp("process"))


@pytest.fixture(scope="module")
def server(repository: Path) -> Iterator[str]:
    with running_server(repository, "frameworks", "--edit", "--max-check-bytes", "2000000") as base:
        yield base


def request(base: str, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


def raw(base: str, request_line: str) -> bytes:
    """A request sent byte for byte, so no client library tidies the path first."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
        connection.sendall(f"{request_line}\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def adult_files(text: str | None = None) -> dict[str, str]:
    return {f"{ADULT}.precepts": text or FRAMEWORK_2021.read_text(encoding="utf-8"),
            "shared/hmip-case-ratings.precepts": SHARED_RULES.read_text(encoding="utf-8")}


def test_list_fetch_with_etag_and_304(server: str) -> None:
    status, _, body = request(server, "GET", "/v1/frameworks")
    assert status == 200
    listed = {f["id"]: f for f in json.loads(body)["frameworks"]}
    assert set(listed) == {ADULT, "hmip-domain-one-characteristics-2018", "hmip-probation-2017-draft"}
    status, headers, body = request(server, "GET", f"/v1/frameworks/{ADULT}")
    assert status == 200 and headers["etag"] == f'"{hashlib.sha256(body).hexdigest()}"'
    assert hashlib.sha256(body).hexdigest() == listed[ADULT]["sha256"]
    status, _, body = request(server, "GET", f"/v1/frameworks/{ADULT}", headers={"If-None-Match": headers["etag"]})
    assert status == 304 and body == b""


def test_check_with_faults(server: str) -> None:
    faulty = FRAMEWORK_2021.read_text(encoding="utf-8") + "\nstandrd 9.9 Broken\n"
    status, headers, body = request(server, "POST", "/v1/check", json.dumps({"files": adult_files(faulty)}).encode(),
                                    {"Content-Type": "application/json"})
    assert status == 200 and headers["content-type"] == "application/json"
    report = json.loads(body)
    assert report["summary"]["errors"] >= 1
    assert any(d["span"]["file"] == f"{ADULT}.precepts" and d["code"].startswith("S") for d in report["diagnostics"])


def test_rate_with_json_and_csv(server: str) -> None:
    document, csv_text, _ = bench_rate().generate(FRAMEWORK_2021, 2, 10)
    status, _, body = request(server, "POST", f"/v1/frameworks/{ADULT}/rate", json.dumps(document).encode(),
                              {"Content-Type": "application/json"})
    assert status == 200 and len(json.loads(body)["units"]) == 2
    status, _, body = request(server, "POST", f"/v1/frameworks/{ADULT}/rate?level=pdu", csv_text.encode(),
                              {"Content-Type": "text/csv"})
    assert status == 200 and json.loads(body)["format"] == "precepts-ratings"


def test_diff(server: str) -> None:
    status, headers, body = request(server, "POST", "/v1/diff", json.dumps(
        {"old": {"id": "hmip-probation-2017-draft"}, "new": {"id": ADULT}}).encode(),
        {"Content-Type": "application/json", "Accept": "text/html"})
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8" and b"<html" in body


def test_a_save_conflict_is_409(server: str, repository: Path) -> None:
    status, headers, body = request(server, "GET", f"/v1/frameworks/{ADULT}/source")
    assert status == 200
    edited_elsewhere = json.loads(body)["text"] + "# changed on disk\n"
    (repository / "frameworks" / f"{ADULT}.precepts").write_text(edited_elsewhere, encoding="utf-8")
    status, headers, body = request(server, "PUT", f"/v1/frameworks/{ADULT}/source", b"framework mine\n",
                                    {"Content-Type": "text/plain", "If-Match": headers["etag"],
                                     "Origin": server})
    assert status == 409 and headers["content-type"] == "application/problem+json"
    assert json.loads(body)["current"] == edited_elsewhere


@pytest.mark.parametrize("target", [
    "/v1/frameworks/../../etc/passwd", "/v1/frameworks/%2e%2e/%2e%2e/etc/passwd",
    f"/v1/frameworks/{ADULT}/../../../../etc/passwd", f"/v1/frameworks/{ADULT}/%2e%2e/%2e%2e/pyproject.toml",
    "/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/app.py", "/static//etc/passwd",
    f"/v1/frameworks/{ADULT}/source/../../../etc/passwd", "/edit/..%2f..%2fetc%2fpasswd",
    "//etc/passwd", "/v1/schemas/..%2f..%2f..%2fetc%2fpasswd",
])
def test_path_traversal_reaches_nothing(server: str, target: str) -> None:
    answer = raw(server, f"GET {target} HTTP/1.1")
    status = int(answer.split(b" ", 2)[1])
    assert status in (400, 404), answer[:200]
    assert b"root:" not in answer and b"[project]" not in answer and b"def create_app" not in answer


def test_an_absolute_form_request_target_reaches_nothing(server: str) -> None:
    answer = raw(server, "GET http://127.0.0.1/etc/passwd HTTP/1.1")
    assert b"root:" not in answer


def test_a_body_over_the_limit_is_413(server: str) -> None:
    status, headers, _body = request(server, "POST", "/v1/check", b"x" * 2_000_001, {"Content-Type": "text/plain"})
    assert status == 413 and headers["content-type"] == "application/problem+json"


def test_fifty_concurrent_checks(server: str) -> None:
    body = json.dumps({"files": adult_files()}).encode()

    def one(_: int) -> tuple[int, int]:
        status, _, answer = request(server, "POST", "/v1/check", body, {"Content-Type": "application/json"})
        return status, json.loads(answer)["summary"]["errors"]

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(one, range(50)))
    assert results == [(200, 0)] * 50
    status, _, _ = request(server, "GET", "/healthz")
    assert status == 200
