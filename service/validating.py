"""The validation API: POST /v1/check, /v1/frameworks/{id}/rate and /v1/diff."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from precepts.service import core_calls
from precepts.service.bodies import json_of, media_type, posted_files, read_body, text_of
from precepts.service.catalogue import valid_id, valid_revision
from precepts.service.problems import Problem
from precepts.service.reading import entry_for, json_response, snapshot_of

if TYPE_CHECKING:
    from precepts.compiler.model import Framework
    from precepts.service.app import Service

SARIF = "application/sarif+json"
TEXT_TYPES = ("text/plain", "text/x-precepts", "")
CSV = "text/csv"


def _service(request: Request) -> Service:
    service: Service = request.app.state.service  # set by create_app
    return service


def _accepts(request: Request, wanted: str) -> bool:
    return wanted in request.headers.get("accept", "").lower()


async def check(request: Request) -> Response:
    service = _service(request)
    body = await read_body(request, service.settings.check_limit)
    kind = media_type(request)
    if kind == "application/json":
        files = posted_files(json_of(body))
    elif kind in TEXT_TYPES:
        name = request.query_params.get("name", "framework.precepts")
        files = posted_files({"text": text_of(body), "name": name})
    else:
        raise Problem(415, "unsupported-media-type", f"POST /v1/check takes text/plain (one framework file) or "
                      f'application/json ({{"files": {{...}}}}), not {kind}')
    sarif = _accepts(request, SARIF)
    report, _ = await service.work(core_calls.check_texts, files, "sarif" if sarif else "json")
    return Response(report, media_type=SARIF if sarif else "application/json", headers={"Cache-Control": "no-store"})


async def framework_model(request: Request, reference: str) -> tuple[Framework, str]:
    """The compiled model named by `id` or `id@rev`, and how to name it in a report."""
    entry, _ = await entry_for(request, reference)  # 404s and revision checks, as for reading
    if entry.framework is not None:
        return entry.framework, entry.id
    service = _service(request)
    identifier, _, revision = reference.partition("@")
    commit = await service.work(service.catalogue.commit_of, revision)
    model = await service.work(service.catalogue.model_at, commit, identifier)
    if isinstance(model, str):
        raise Problem(422, "framework-errors", model)
    return model, reference


async def rate(request: Request) -> Response:
    service = _service(request)
    reference = request.path_params["reference"]
    kind = media_type(request)
    if kind not in ("application/json", CSV):
        raise Problem(415, "unsupported-media-type", f"rate takes a rating input as application/json, or case "
                      f"records as text/csv, not {kind or 'a body with no Content-Type'}")
    body = await read_body(request, service.settings.rate_limit)
    framework, _ = await framework_model(request, reference)
    what_if = None
    label = ""
    other = request.query_params.get("what_if")
    if other:
        what_if, label = await framework_model(request, other)
    level = request.query_params.get("level") or None
    text = text_of(body)
    try:
        document = await service.work(core_calls.rate, framework, text, kind == CSV, level, what_if, label,
                                      service.settings.record_limit)
    except core_calls.BadInput as error:
        status = 413 if error.kind == "too-many-records" else 422
        raise Problem(status, error.kind, error.detail, problems=error.problems) from None
    return Response(document, media_type="application/json", headers={"Cache-Control": "no-store"})


async def _side(request: Request, data: Any, which: str) -> tuple[Framework, str | None]:
    if not isinstance(data, dict):
        raise Problem(422, "bad-input", f'"{which}" must be {{"id": ..., "revision": ...}} or {{"text": ...}}')
    if "text" in data or "files" in data:
        files = posted_files(data)
        main = data.get("name") if isinstance(data.get("name"), str) else next(
            n for n in files if n.endswith(".precepts"))
        if main not in files:
            raise Problem(422, "bad-input", f'"{which}": "name" must be one of the files')
        service = _service(request)
        framework, errors = await service.work(core_calls.compile_text, files, main)
        if framework is None:
            raise Problem(422, "framework-errors", f'"{which}" has errors; fix them before comparing it',
                          errors=errors[:200])
        return framework, None
    identifier, revision = data.get("id"), data.get("revision")
    if not isinstance(identifier, str) or not valid_id(identifier):
        raise Problem(422, "bad-input", f'"{which}" needs a framework "id" (or a "text")')
    if revision is not None and (not isinstance(revision, str) or not valid_revision(revision)):
        raise Problem(422, "bad-input", f'"{which}": "revision" must be a git revision name')
    framework, _ = await framework_model(request, f"{identifier}@{revision}" if revision else identifier)
    return framework, revision


async def diff(request: Request) -> Response:
    service = _service(request)
    if media_type(request) != "application/json":
        raise Problem(415, "unsupported-media-type", 'POST /v1/diff takes application/json: '
                      '{"old": {"id": ..., "revision": ...} or {"text": ...}, "new": ...}')
    data = json_of(await read_body(request, service.settings.check_limit))
    if not isinstance(data, dict) or "old" not in data or "new" not in data:
        raise Problem(422, "bad-input", 'send {"old": ..., "new": ...}, each {"id": ..., "revision": ...} '
                      'or {"text": ...}')
    old, _ = await _side(request, data["old"], "old")
    new, _ = await _side(request, data["new"], "new")
    html = _accepts(request, "text/html")
    snapshot_of(request)
    try:
        report = await service.work(core_calls.diff, old, new, [service.settings.path], "html" if html else "json")
    except core_calls.BadInput as error:
        raise Problem(422, error.kind, error.detail, problems=error.problems) from None
    if html:
        return Response(report, media_type="text/html; charset=utf-8", headers={
            "Cache-Control": "no-store",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:"})
    return Response(report, media_type="application/json", headers={"Cache-Control": "no-store"})


def routes() -> list[Route]:
    return [
        Route("/v1/check", check, methods=["POST"]),
        Route("/v1/diff", diff, methods=["POST"]),
        Route("/v1/frameworks/{reference}/rate", rate, methods=["POST"]),
    ]


__all__ = ["json_response", "routes"]
