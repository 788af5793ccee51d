"""The read API under /v1: frameworks, their published artefacts (at a revision too), the
diagnostic catalogue, and the health, readiness and metrics endpoints."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from precepts.service import core_calls
from precepts.service.catalogue import Entry, Served, Snapshot, valid_id, valid_revision
from precepts.service.problems import Problem

if TYPE_CHECKING:
    from precepts.service.app import Service

JSON = "application/json"
# The working copy can change at any moment: caches must ask again (and get a 304 when
# it has not). A commit never changes: cache it for a year.
REVALIDATE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"


def _service(request: Request) -> Service:
    service: Service = request.app.state.service  # set by create_app
    return service


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, indent=2) + "\n", status_code=status, media_type=JSON,
                    headers={"Cache-Control": "no-store", **(headers or {})})


def served(request: Request, item: Served, cache_control: str) -> Response:
    """An artefact as `build` wrote it, with a strong ETag (its sha256); 304 when the client has it."""
    tag = f'"{item.sha256}"'
    headers = {"ETag": tag, "Cache-Control": cache_control, "X-Content-Type-Options": "nosniff"}
    if item.media_type.startswith("text/html"):
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    wanted = request.headers.get("if-none-match")
    if wanted is not None and (wanted.strip() == "*" or tag in [t.strip().removeprefix("W/") for t in wanted.split(",")]):
        return Response(status_code=304, headers=headers)
    return Response(item.data, media_type=item.media_type, headers=headers)


def snapshot_of(request: Request) -> Snapshot:
    snapshot = _service(request).catalogue.snapshot
    if snapshot is None:
        raise Problem(503, "not-ready", "the frameworks are still loading; try again in a moment (GET /readyz)")
    return snapshot


async def entry_for(request: Request, reference: str) -> tuple[Entry, str]:
    """The framework named by `id` or `id@rev`, and the Cache-Control its artefacts take."""
    identifier, _, revision = reference.partition("@")
    if not valid_id(identifier):
        raise Problem(404, "not-found", f"'{identifier}' is not a framework id (letters, digits, '.', '-', '_')")
    if not revision:
        snapshot = snapshot_of(request)
        entry = snapshot.frameworks.get(identifier)
        if entry is None:
            raise Problem(404, "not-found", f"no framework '{identifier}' here; GET /v1/frameworks lists them")
        return entry, REVALIDATE
    service = _service(request)
    if not valid_revision(revision):
        raise Problem(404, "bad-revision", f"'{revision}' is not a git revision name (a branch, tag or commit id)")
    commit = await service.work(service.catalogue.commit_of, revision)
    if commit is None:
        raise Problem(404, "bad-revision", f"git knows no commit '{revision}' here (or the folder is not in a "
                      "git repository); GET /v1/frameworks/{id}/versions lists the versions")
    built = await service.work(service.catalogue.at_commit, commit)
    if isinstance(built, str):
        raise Problem(422, "framework-errors", built)
    entry = built.get(identifier)
    if entry is None:
        raise Problem(404, "not-found", f"there was no framework '{identifier}' at {revision}")
    # A branch or tag can move; only a full commit id names one version for ever.
    return entry, IMMUTABLE if revision == commit else REVALIDATE


def _links(identifier: str, entry: Entry) -> dict[str, str]:
    base = f"/v1/frameworks/{identifier}"
    return {"self": base, "versions": f"{base}/versions", "rate": f"{base}/rate",
            **{path: f"{base}/{path}" for path in sorted(entry.artefacts)}}


async def list_frameworks(request: Request) -> Response:
    snapshot = snapshot_of(request)
    items = []
    for identifier, entry in sorted(snapshot.frameworks.items()):
        errors = snapshot.errors.get(entry.file, [])
        items.append({
            "id": identifier, "title": entry.title, "version": entry.version, "status": entry.status,
            "levels": list(entry.levels), "file": entry.file, "sha256": entry.compiled.sha256,
            "stale": identifier in snapshot.stale, "errors": errors, "links": _links(identifier, entry),
        })
    failing = [{"file": file, "errors": lines} for file, lines in sorted(snapshot.errors.items())
               if file in snapshot.missing]
    return json_response({"frameworks": items, "failing": failing, "generation": snapshot.generation})


async def get_framework(request: Request) -> Response:
    entry, cache = await entry_for(request, request.path_params["reference"])
    return served(request, entry.compiled, cache)


async def get_artefact(request: Request) -> Response:
    entry, cache = await entry_for(request, request.path_params["reference"])
    path = request.path_params["artefact"]
    item = entry.artefacts.get(path)  # a lookup in what build made: no path ever reaches the disk
    if item is None:
        raise Problem(404, "not-found", f"framework {entry.id} has no artefact '{path}'; "
                      f"GET /v1/frameworks lists its artefacts under links")
    return served(request, item, cache)


async def get_versions(request: Request) -> Response:
    reference = request.path_params["reference"]
    if "@" in reference or not valid_id(reference):
        raise Problem(404, "not-found", f"'{reference}' is not a framework id")
    snapshot_of(request)
    service = _service(request)
    if reference not in (service.catalogue.snapshot.frameworks if service.catalogue.snapshot else {}):
        raise Problem(404, "not-found", f"no framework '{reference}' here; GET /v1/frameworks lists them")
    versions = await service.work(service.catalogue.versions, reference)
    return json_response({"id": reference, "git": versions is not None, "versions": versions or []})


async def get_schema(request: Request) -> Response:
    name = request.path_params["name"]
    item = snapshot_of(request).schemas.get(name)
    if item is None:
        raise Problem(404, "not-found", f"no format schema '{name}'")
    return served(request, item, REVALIDATE)


async def list_codes(request: Request) -> Response:
    return json_response({"codes": core_calls.codes()}, headers={"Cache-Control": "public, max-age=3600"})


async def get_code(request: Request) -> Response:
    code = request.path_params["code"]
    entry = core_calls.explain(code)
    if entry is None:
        raise Problem(404, "not-found", f"no diagnostic has the code or name '{code[:80]}'; GET /v1/codes lists them")
    return json_response(entry, headers={"Cache-Control": "public, max-age=3600"})


async def healthz(request: Request) -> Response:
    return json_response({"status": "ok"})


async def readyz(request: Request) -> Response:
    service = _service(request)
    snapshot = service.catalogue.snapshot
    if snapshot is None:
        return json_response({"ready": False, "reason": service.load_error or "loading"}, status=503)
    body = {"ready": snapshot.ready, "frameworks": len(snapshot.frameworks), "generation": snapshot.generation,
            "errors": snapshot.errors, "not_loaded": list(snapshot.missing), "stale": sorted(snapshot.stale)}
    return json_response(body, status=200 if snapshot.ready else 503)


async def metrics(request: Request) -> Response:
    from precepts.service.metrics import MEDIA_TYPE, Gauges

    service = _service(request)
    snapshot = service.catalogue.snapshot
    gauges: Gauges = {
        "precepts_frameworks_loaded": ("Frameworks being served.",
                                       [({}, float(len(snapshot.frameworks) if snapshot else 0))]),
        "precepts_frameworks_failing": ("Source files that do not compile now.",
                                        [({}, float(len(snapshot.errors) if snapshot else 0))]),
        "precepts_findings": ("Findings of the last load, by severity.",
                              [({"severity": k}, float(v)) for k, v in sorted((snapshot.findings if snapshot
                                                                                 else {}).items())]),
        "precepts_reloads": ("Loads of the framework folder since the server started.",
                             [({}, float(snapshot.generation if snapshot else 0))]),
    }
    return Response(service.metrics.render(gauges), media_type=MEDIA_TYPE, headers={"Cache-Control": "no-store"})


async def openapi(request: Request) -> Response:
    from precepts.service.openapi import document_bytes

    return Response(document_bytes(), media_type=JSON)


def routes() -> list[Route]:
    return [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics),
        Route("/openapi.json", openapi),
        Route("/v1/frameworks", list_frameworks),
        Route("/v1/frameworks/{reference}", get_framework),
        Route("/v1/frameworks/{reference}/versions", get_versions),
        Route("/v1/schemas/{name}", get_schema),
        Route("/v1/codes", list_codes),
        Route("/v1/codes/{code}", get_code),
        # Last: any other path under a framework is one of its artefacts.
        Route("/v1/frameworks/{reference}/{artefact:path}", get_artefact, methods=["GET", "HEAD"]),
    ]
