"""The authoring page and what it needs (only with `precepts serve --edit`): the source of
a framework with its includes and its text at git HEAD, an atomic save guarded by
If-Match, and a preview of the consultation page.

Protection: with a token (required off loopback), every editing endpoint wants it as a
bearer token; saving refuses cross-site requests by their Origin and Sec-Fetch-Site; on
a loopback address the Host must be a loopback name, so a web page cannot reach the
server through DNS rebinding.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import subprocess
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from precepts.service import core_calls
from precepts.service.bodies import json_of, media_type, posted_files, read_body, text_of
from precepts.service.catalogue import valid_id
from precepts.service.problems import Problem
from precepts.service.reading import json_response, snapshot_of
from precepts.service.settings import is_loopback

if TYPE_CHECKING:
    from precepts.service.app import Service

PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
               "img-src 'self' data:; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
PREVIEW_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
TEMPLATES = Path(__file__).parent / "templates"
_save_lock = threading.Lock()  # a check-then-write of one save at a time in this process


def _service(request: Request) -> Service:
    service: Service = request.app.state.service  # set by create_app
    return service


def _host_allowed(request: Request) -> None:
    """On a loopback address, only loopback names: a rebound DNS name is another site."""
    if not _service(request).settings.loopback:
        return
    host = request.headers.get("host", "")
    name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
    if not is_loopback(name):
        raise Problem(403, "forbidden-origin", f"this server answers editing requests for localhost only, not {host}")


def _authorised(request: Request) -> None:
    token = _service(request).settings.token
    if token is None:
        return
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        raise Problem(401, "unauthorized", "editing on this server needs its bearer token "
                      "(Authorization: Bearer TOKEN); ask whoever started it")


def _same_origin(request: Request) -> None:
    """A cross-site page must not be able to save a file."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        raise Problem(403, "forbidden-origin", f"a {site} request cannot save a file")
    origin = request.headers.get("origin")
    if origin is not None:
        own = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin != own:
            raise Problem(403, "forbidden-origin", f"a request from {origin} cannot save a file on {own}")


def _file_of(request: Request, reference: str) -> tuple[str, Path]:
    if not valid_id(reference):
        raise Problem(404, "not-found", f"'{reference[:100]}' is not a framework id; only the working copy is edited")
    snapshot_of(request)
    path = _service(request).catalogue.source_file(reference)
    if path is None:
        raise Problem(404, "not-found", f"no framework '{reference}' to edit here; GET /v1/frameworks lists them")
    return reference, path


def _relative(path: Path, folder: Path) -> str | None:
    try:
        resolved = path.resolve()
        return resolved.relative_to(folder.resolve()).as_posix() if not path.is_symlink() else None
    except (OSError, ValueError):
        return None


def _head_text(folder: Path, path: Path) -> str | None:
    done = subprocess.run(["git", "show", f"HEAD:./{path.resolve().relative_to(folder.resolve()).as_posix()}"],
                          cwd=folder, capture_output=True, check=False)
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def _source(service: Service, identifier: str, path: Path) -> dict[str, Any]:
    folder = service.settings.path
    data = path.read_bytes()
    entry = service.catalogue.snapshot.frameworks[identifier] if service.catalogue.snapshot else None
    includes: dict[str, str] = {}
    if entry is not None and "framework.json" in entry.artefacts:
        import json

        compiled = json.loads(entry.artefacts["framework.json"].data)
        for shown in compiled.get("source_file", {}).get("includes", []):
            name = _relative(Path(shown), folder)
            if name is not None and name.endswith(".precepts"):
                includes[name] = (folder / name).read_text(encoding="utf-8", errors="replace")
    return {"id": identifier, "path": _relative(path, folder), "text": data.decode("utf-8", "replace"),
            "sha256": hashlib.sha256(data).hexdigest(), "includes": includes,
            "head": _head_text(folder, path)}


async def get_source(request: Request) -> Response:
    _host_allowed(request)
    _authorised(request)
    identifier, path = _file_of(request, request.path_params["reference"])
    service = _service(request)
    source = await service.work(_source, service, identifier, path)
    return json_response(source, headers={"ETag": f'"{source["sha256"]}"'})


async def save_source(request: Request) -> Response:
    _host_allowed(request)
    _authorised(request)
    _same_origin(request)
    _identifier, path = _file_of(request, request.path_params["reference"])
    service = _service(request)
    if media_type(request) not in ("text/plain", "text/x-precepts"):
        raise Problem(415, "unsupported-media-type", "send the framework text as text/plain")
    expected = request.headers.get("if-match")
    if not expected:
        raise Problem(428, "precondition-required", "send If-Match with the sha256 of the version you edited "
                      "(GET …/source gives it as the ETag), so that nobody's change is overwritten")
    text = text_of(await read_body(request, service.settings.check_limit))
    if "\x00" in text:
        raise Problem(422, "bad-input", "the text holds a NUL: it is not framework text")
    saved = await service.work(_write_if_unchanged, path, expected.strip().strip('"'), text.encode("utf-8"))
    if isinstance(saved, tuple):
        current, digest = saved
        raise Problem(409, "conflict", "the file was changed by someone else since you opened it; compare both "
                      "versions, then save yours over it or take theirs", current=current, current_sha256=digest)
    await service.work(service.catalogue.reload)
    return json_response({"saved": _relative(path, service.settings.path), "sha256": saved})


def _write_if_unchanged(path: Path, expected: str, data: bytes) -> str | tuple[str, str]:
    """Write atomically if the file still has the sha256 `expected`; else (its text, its sha256)."""
    from precepts.core.atomic import write_atomically

    with _save_lock:
        current = path.read_bytes()
        digest = hashlib.sha256(current).hexdigest()
        if not hmac.compare_digest(digest, expected):
            return current.decode("utf-8", "replace"), digest
        write_atomically(path, data)
        return hashlib.sha256(data).hexdigest()


async def preview(request: Request) -> Response:
    _host_allowed(request)
    service = _service(request)
    if media_type(request) != "application/json":
        raise Problem(415, "unsupported-media-type", 'send {"files": {...}, "name": "main.precepts"} as JSON')
    data = json_of(await read_body(request, service.settings.check_limit))
    files = posted_files(data)
    main = data.get("name") if isinstance(data.get("name"), str) else next(n for n in files if n.endswith(".precepts"))
    if main not in files:
        raise Problem(422, "bad-input", '"name" must be one of the files')
    framework, errors = await service.work(core_calls.compile_text, files, main)
    if framework is None:
        raise Problem(422, "framework-errors", "the text has errors, so the page cannot be made yet",
                      errors=errors[:200])
    page = await service.work(core_calls.consultation_page, framework)
    return Response(page, media_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": PREVIEW_POLICY, "Cache-Control": "no-store"})


async def edit_page(request: Request) -> Response:
    _host_allowed(request)
    identifier, _ = _file_of(request, request.path_params["reference"])
    service = _service(request)
    entry = snapshot_of(request).frameworks[identifier]
    html = _environment().get_template("edit.html").render(
        id=identifier, title=entry.title, needs_token=service.settings.token is not None,
        nonce=secrets.token_urlsafe(8))
    return Response(html, media_type="text/html; charset=utf-8", headers={
        "Content-Security-Policy": PAGE_POLICY, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"})


_environment_cache: list[Any] = []


def _environment() -> Any:
    if not _environment_cache:
        import jinja2

        _environment_cache.append(jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                                     undefined=jinja2.StrictUndefined))
    return _environment_cache[0]


def routes() -> list[Route]:
    return [
        Route("/edit/{reference}", edit_page),
        Route("/v1/frameworks/{reference}/source", get_source, methods=["GET"]),
        Route("/v1/frameworks/{reference}/source", save_source, methods=["PUT"]),
        Route("/v1/preview", preview, methods=["POST"]),
    ]
