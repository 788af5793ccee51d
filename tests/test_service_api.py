"""The HTTP API in process (Starlette's test client): reading, validating, errors, limits.

The same app a `precepts serve` process runs; tests/test_service_process.py drives a real
process over a socket.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_support import ADULT, bench_rate, framework_repository, git
from starlette.testclient import TestClient
from support import FRAMEWORK_2021, SHARED_RULES

from precepts.service.app import create_app
from precepts.service.settings import Settings

SHARED_NAME = "shared/hmip-case-ratings.precepts"


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return framework_repository(tmp_path_factory.mktemp("served"))


@pytest.fixture(scope="module")
def built(repository: Path) -> Path:
    """What `precepts build` writes, run from the repository's top as the server is."""
    subprocess.run([sys.executable, "-m", "precepts", "build", "frameworks", "-o", "out"], cwd=repository,
                   check=True, capture_output=True)
    return repository / "out"


def wait_ready(client: TestClient) -> None:
    # Up to 2 minutes: loading builds every artefact, the consultation PDFs (WeasyPrint,
    # seconds each) included, and the test machine may be busy.
    for _ in range(2400):
        if client.get("/readyz").status_code == 200:
            return
        time.sleep(0.05)
    raise AssertionError(client.get("/readyz").text)


@pytest.fixture(scope="module")
def client(repository: Path) -> Iterator[TestClient]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repository)
        app = create_app(Settings(folder="frameworks", watch=False, edit=True))
        with TestClient(app) as opened:
            wait_ready(opened)
            yield opened


def problem(response: object, status: int) -> dict:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["status"] == status and body["type"].startswith("urn:precepts:problem:") and body["detail"]
    return body


# ---- reading -----------------------------------------------------------------------------------


def test_the_list_names_every_framework_with_its_compiled_sha256(client: TestClient, built: Path) -> None:
    listed = client.get("/v1/frameworks").json()["frameworks"]
    assert [f["id"] for f in listed] == ["hmip-adult-2021", "hmip-domain-one-characteristics-2018",
                                         "hmip-probation-2017-draft"]
    adult = listed[0]
    assert adult["levels"] == ["region", "pdu", "national"] and adult["status"] == "consultation"
    import hashlib

    assert adult["sha256"] == hashlib.sha256((built / ADULT / "framework.json").read_bytes()).hexdigest()
    assert adult["links"]["pdu/rating-input.schema.json"] == f"/v1/frameworks/{ADULT}/pdu/rating-input.schema.json"


def test_every_artefact_is_byte_identical_to_builds_file_with_its_media_type(client: TestClient,
                                                                            built: Path) -> None:
    index = json.loads((built / "index.json").read_text(encoding="utf-8"))
    served = 0
    for framework in index["frameworks"]:
        listed = list(framework["artefacts"]) + [a for level in framework["levels"] for a in level["artefacts"]]
        for artefact in listed:
            inside = artefact["path"].removeprefix(framework["id"] + "/")
            answer = client.get(f"/v1/frameworks/{framework['id']}/{inside}")
            assert answer.status_code == 200, artefact["path"]
            assert answer.content == (built / artefact["path"]).read_bytes(), artefact["path"]
            assert answer.headers["content-type"].split(";")[0] == artefact["media_type"].split(";")[0]
            assert answer.headers["etag"] == f'"{artefact["sha256"]}"'
            served += 1
    assert served >= 20
    compiled = client.get(f"/v1/frameworks/{ADULT}")
    assert compiled.content == (built / ADULT / "framework.json").read_bytes()
    for schema in index["schemas"]:
        name = schema["path"].removeprefix("schemas/")
        assert client.get(f"/v1/schemas/{name}").content == (built / schema["path"]).read_bytes()


def test_a_strong_etag_is_answered_with_304(client: TestClient) -> None:
    first = client.get(f"/v1/frameworks/{ADULT}")
    tag = first.headers["etag"]
    assert tag.startswith('"') and not tag.startswith("W/")
    assert first.headers["cache-control"] == "no-cache"
    again = client.get(f"/v1/frameworks/{ADULT}", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    other = client.get(f"/v1/frameworks/{ADULT}", headers={"If-None-Match": '"0000"'})
    assert other.status_code == 200


def test_html_artefacts_are_sent_with_a_policy_that_allows_no_script(client: TestClient) -> None:
    page = client.get(f"/v1/frameworks/{ADULT}/consultation.html")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src" not in page.headers["content-security-policy"]
    assert page.headers["content-security-policy"].startswith("default-src 'none'")


def test_a_published_version_is_served_from_git_and_cached_for_good(client: TestClient, repository: Path,
                                                                   built: Path) -> None:
    commit = git(repository, "rev-parse", "HEAD")
    versions = client.get(f"/v1/frameworks/{ADULT}/versions").json()
    assert versions["git"] and versions["versions"][0]["commit"] == commit
    assert versions["versions"][0]["tags"] == ["v1"]
    at_commit = client.get(f"/v1/frameworks/{ADULT}@{commit}")
    assert at_commit.status_code == 200
    assert at_commit.content == (built / ADULT / "framework.json").read_bytes()
    assert at_commit.headers["cache-control"] == "public, max-age=31536000, immutable"
    by_tag = client.get(f"/v1/frameworks/{ADULT}@v1/pdu/case-assessment.xlsx")
    assert by_tag.content == (built / ADULT / "pdu" / "case-assessment.xlsx").read_bytes()
    assert by_tag.headers["cache-control"] == "no-cache", "a tag can move; only a commit id is immutable"
    started = time.perf_counter()
    client.get(f"/v1/frameworks/{ADULT}@{commit}/consultation.html")
    assert time.perf_counter() - started < 1, "a built commit is kept, not built again"


def test_codes_and_their_explanations(client: TestClient) -> None:
    codes = client.get("/v1/codes").json()["codes"]
    assert {"code": "N004", "name": "too-many-prompts", "severity": "error"} in codes
    explained = client.get("/v1/codes/too-many-prompts").json()
    assert explained["code"] == "N004" and "prompts" in explained["explanation"]
    problem(client.get("/v1/codes/Z999"), 404)


def test_health_readiness_and_prometheus_metrics(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["ready"] is True and ready["frameworks"] == 3
    client.get(f"/v1/frameworks/{ADULT}")
    metrics = client.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = metrics.text
    assert 'precepts_http_requests_total{method="GET",route="get_framework",status="200"}' in text
    assert 'precepts_http_request_duration_seconds_bucket{method="GET",route="get_framework",le="+Inf"}' in text
    assert "precepts_frameworks_loaded 3" in text
    assert 'precepts_findings{severity="warning"}' in text


# ---- validating --------------------------------------------------------------------------------


def cli_json(*arguments: str, cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "precepts", *arguments], cwd=cwd, capture_output=True, text=True,
                          check=False)
    return done.stdout


def test_check_answers_what_check_format_json_prints(client: TestClient, tmp_path: Path) -> None:
    text = FRAMEWORK_2021.read_text(encoding="utf-8").replace("prompt limit: 10", "prompt limit: 2", 1)
    files = {"hmip-adult-2021.precepts": text, SHARED_NAME: SHARED_RULES.read_text(encoding="utf-8")}
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    expected = cli_json("check", "--format", "json", ".", cwd=tmp_path)
    answer = client.post("/v1/check", json={"files": files})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.text == expected.replace('"./', '"')
    assert answer.json()["summary"]["errors"] > 0
    sarif = client.post("/v1/check", json={"files": files}, headers={"Accept": "application/sarif+json"})
    assert sarif.headers["content-type"] == "application/sarif+json"
    assert sarif.json()["version"] == "2.1.0" and sarif.json()["runs"][0]["results"]


def test_check_takes_plain_text_and_names_it(client: TestClient) -> None:
    answer = client.post("/v1/check?name=draft.precepts", content="framework x\nstandrd 1\n",
                         headers={"Content-Type": "text/plain"})
    body = answer.json()
    assert body["files"] == ["draft.precepts"]
    assert any(d["span"] and d["span"]["file"] == "draft.precepts" for d in body["diagnostics"])
    assert "/tmp" not in answer.text and "slot-" not in answer.text


@pytest.mark.parametrize("name", ["../evil.precepts", "/etc/passwd.precepts", "a/../../b.precepts",
                                  "%2e%2e/x.precepts", ".hidden.precepts", "x.py"])
def test_check_refuses_file_names_that_leave_the_folder(client: TestClient, name: str) -> None:
    problem(client.post("/v1/check", json={"files": {name: "framework x\n"}}), 422)


def test_an_include_cannot_read_outside_the_posted_files(client: TestClient) -> None:
    text = "framework x\ninclude: ../../../../etc/passwd\n"
    body = client.post("/v1/check", json={"files": {"x.precepts": text}}).json()
    assert any(d["code"] == "S005" for d in body["diagnostics"])
    assert "root:" not in json.dumps(body)


def test_bad_bodies_get_problems_never_a_500(client: TestClient) -> None:
    problem(client.post("/v1/check", content=b"\xff\xfe", headers={"Content-Type": "text/plain"}), 400)
    problem(client.post("/v1/check", content=b"{", headers={"Content-Type": "application/json"}), 400)
    problem(client.post("/v1/check", content=b"x", headers={"Content-Type": "image/png"}), 415)
    problem(client.post("/v1/check", json=[1, 2]), 422)
    problem(client.post("/v1/check", json={"files": {"a.precepts": 3}}), 422)
    problem(client.get("/v1/check"), 405)
    problem(client.get("/nowhere"), 404)


def test_a_body_over_the_limit_is_413(repository: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repository)
        app = create_app(Settings(folder="frameworks", watch=False, check_limit=1000))
        with TestClient(app) as small:
            problem(small.post("/v1/check", content="x" * 1001, headers={"Content-Type": "text/plain"}), 413)
            assert small.post("/v1/check", content="framework x\n",
                              headers={"Content-Type": "text/plain"}).status_code == 200


# ---- rating ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def records() -> tuple[dict, str, int]:
    return bench_rate().generate(FRAMEWORK_2021, 3, 20)  # type: ignore[no-any-return]


def test_rate_answers_what_rate_format_json_prints(client: TestClient, repository: Path,
                                                   records: tuple[dict, str, int]) -> None:
    document, csv_text, _ = records
    (repository / "in.json").write_text(json.dumps(document), encoding="utf-8")
    (repository / "in.csv").write_text(csv_text, encoding="utf-8")
    framework = "frameworks/hmip-adult-2021.precepts"
    expected = cli_json("rate", framework, "--input", "in.json", "--format", "json", cwd=repository)
    answer = client.post(f"/v1/frameworks/{ADULT}/rate", json=document)
    assert answer.status_code == 200, answer.text
    assert answer.text == expected
    expected_csv = cli_json("rate", framework, "--input", "in.csv", "--level", "pdu", "--format", "json",
                            cwd=repository)
    from_csv = client.post(f"/v1/frameworks/{ADULT}/rate?level=pdu", content=csv_text,
                           headers={"Content-Type": "text/csv"})
    assert from_csv.status_code == 200, from_csv.text
    assert json.loads(from_csv.text)["units"] == json.loads(expected_csv)["units"]


def test_rate_what_if_another_version(client: TestClient, records: tuple[dict, str, int]) -> None:
    document, _, _ = records
    answer = client.post(f"/v1/frameworks/{ADULT}/rate?what_if={ADULT}@v1", json=document)
    assert answer.status_code == 200, answer.text
    assert answer.json()["what_if"]["changes"] == []


def test_rate_problems(client: TestClient, records: tuple[dict, str, int]) -> None:
    document = records[0]
    problem(client.post(f"/v1/frameworks/{ADULT}/rate", content="x", headers={"Content-Type": "text/html"}), 415)
    problem(client.post("/v1/frameworks/nope/rate", json=document), 404)
    problem(client.post(f"/v1/frameworks/{ADULT}/rate?level=moon", json=document), 422)
    bad = client.post(f"/v1/frameworks/{ADULT}/rate", json={"units": [{"unit": 3, "cases": "many"}]})
    assert problem(bad, 422)["problems"]
    problem(client.post(f"/v1/frameworks/{ADULT}/rate", content=b"[", headers={"Content-Type": "application/json"}),
            422)


def test_rate_has_a_record_limit(repository: Path, records: tuple[dict, str, int]) -> None:
    document, csv_text, count = records
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repository)
        app = create_app(Settings(folder="frameworks", watch=False, record_limit=count - 1))
        with TestClient(app) as limited:
            wait_ready(limited)
            problem(limited.post(f"/v1/frameworks/{ADULT}/rate", json=document), 413)
            problem(limited.post(f"/v1/frameworks/{ADULT}/rate?level=pdu", content=csv_text,
                                 headers={"Content-Type": "text/csv"}), 413)


# ---- comparing ---------------------------------------------------------------------------------


def test_diff_of_two_frameworks_as_json_and_html(client: TestClient, repository: Path) -> None:
    request = {"old": {"id": "hmip-probation-2017-draft"}, "new": {"id": ADULT}}
    expected = cli_json("diff", "frameworks/hmip-probation-2017-draft.precepts",
                        "frameworks/hmip-adult-2021.precepts", "--format", "json", cwd=repository)
    answer = client.post("/v1/diff", json=request)
    assert answer.status_code == 200, answer.text
    assert answer.text == expected
    html = client.post("/v1/diff", json=request, headers={"Accept": "text/html"})
    assert html.headers["content-type"] == "text/html; charset=utf-8" and "<html" in html.text


def test_diff_of_a_text_against_a_revision(client: TestClient) -> None:
    text = FRAMEWORK_2021.read_text(encoding="utf-8").replace("title:", "title: Revised", 1)
    files = {"hmip-adult-2021.precepts": text, SHARED_NAME: SHARED_RULES.read_text(encoding="utf-8")}
    answer = client.post("/v1/diff", json={"old": {"id": ADULT, "revision": "v1"},
                                            "new": {"files": files, "name": "hmip-adult-2021.precepts"}})
    assert answer.status_code == 200, answer.text
    assert answer.json()["format"] == "precepts-diff"
    broken = client.post("/v1/diff", json={"old": {"id": ADULT}, "new": {"text": "framework x\nstandrd\n"}})
    assert problem(broken, 422)["errors"]
    problem(client.post("/v1/diff", json={"old": {"id": ADULT}}), 422)
    problem(client.post("/v1/diff", json={"old": {"id": "nope"}, "new": {"id": ADULT}}), 404)
    problem(client.post("/v1/diff", json={"old": {"id": ADULT, "revision": "--output=x"}, "new": {"id": ADULT}}),
            422)


# ---- ids and revisions -------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/v1/frameworks/..", "/v1/frameworks/%2e%2e", "/v1/frameworks/%2e%2e%2fetc%2fpasswd",
    f"/v1/frameworks/{ADULT}/../../../etc/passwd", f"/v1/frameworks/{ADULT}/%2e%2e/%2e%2e/pyproject.toml",
    f"/v1/frameworks/{ADULT}//etc/passwd", f"/v1/frameworks/{ADULT}@--upload-pack=x",
    f"/v1/frameworks/{ADULT}@HEAD..main", f"/v1/frameworks/{ADULT}@nosuchrev",
    "/v1/schemas/..%2f..%2fpyproject.toml",
])
def test_traversal_and_bad_revisions_find_nothing(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 404, (path, answer.status_code)
    assert "[project]" not in answer.text and "root:" not in answer.text


def test_work_past_the_time_limit_is_a_503_problem(repository: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repository)
        app = create_app(Settings(folder="frameworks", watch=False, time_limit=0.001))
        with TestClient(app) as hurried:
            text = FRAMEWORK_2021.read_text(encoding="utf-8")
            answer = hurried.post("/v1/check", content=text, headers={"Content-Type": "text/plain"})
            body = problem(answer, 503)
            assert body["type"] == "urn:precepts:problem:timeout" and "--time-limit" in body["detail"]
