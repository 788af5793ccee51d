"""The OpenAPI document: the committed file is what openapi.py writes, the server serves
it, it names every route the app has (and no other), and schemathesis, run over it
against a real `precepts serve` process, finds no 500 and no response that does not
conform to it."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from service_support import framework_repository, running_server
from starlette.routing import Mount, Route

from precepts.service import openapi
from precepts.service.app import create_app
from precepts.service.settings import Settings

COMMITTED = Path(openapi.__file__).parent / "openapi.json"


def test_the_committed_file_is_what_openapi_py_writes() -> None:
    assert COMMITTED.read_bytes() == openapi.render(), (
        "service/openapi.json is stale: run python -c 'from precepts.service.openapi import write; write()'")


def documented() -> set[tuple[str, str]]:
    document = json.loads(COMMITTED.read_text(encoding="utf-8"))
    return {(method.upper(), path) for path, item in document["paths"].items() for method in item}


def test_the_document_names_every_route_and_no_other() -> None:
    app = create_app(Settings(edit=True, watch=False))
    routed = set()
    for route in app.routes:
        if isinstance(route, Mount):
            continue
        assert isinstance(route, Route)
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        routed |= {(method, path) for method in route.methods or () if method != "HEAD"}
    assert routed == documented()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    repository = framework_repository(tmp_path_factory.mktemp("openapi"))
    with running_server(repository, "frameworks", "--edit", "--time-limit", "20") as base:
        yield base


def test_the_server_serves_the_committed_document(server: str) -> None:
    with urllib.request.urlopen(f"{server}/openapi.json") as answer:
        assert answer.read() == COMMITTED.read_bytes()


schema = schemathesis.openapi.from_dict(json.loads(COMMITTED.read_text(encoding="utf-8")))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_500_and_every_response_conforms(case: schemathesis.Case, server: str) -> None:
    case.call_and_validate(base_url=server, checks=CHECKS, timeout=60)


def test_schemathesis_reached_the_server(server: str) -> None:
    """Runs after the generated cases: they were really sent, to most operations."""
    with urllib.request.urlopen(f"{server}/metrics") as answer:
        metrics = answer.read().decode()
    counts = re.findall(r'^precepts_http_requests_total\{method="(\w+)",route="(\w+)",status="(\d+)"\} (\d+)$',
                        metrics, re.MULTILINE)
    routes = {route for _, route, _, _ in counts}
    assert sum(int(n) for *_, n in counts) >= 60
    assert {"check", "rate", "diff", "get_artefact", "save_source", "preview"} <= routes, routes
    assert not [c for c in counts if c[2] == "500"]
