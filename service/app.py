"""The ASGI application: routes, error handling, limits and the background reloading.

Starlette, not FastAPI: the bodies are framework text, CSV and bytes that must go out
exactly as `build` wrote them, not models to validate, so FastAPI's pydantic layer
would only add import time and per-request cost; the OpenAPI document is written out
in openapi.py and tested against these routes instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from precepts.service import editing, reading, validating
from precepts.service.catalogue import Catalogue
from precepts.service.metrics import Metrics
from precepts.service.problems import Problem, problem
from precepts.service.settings import Settings

STATIC = Path(__file__).parent / "static"


class Service:
    """What every handler shares: the settings, the catalogue, the metrics, the limiter."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalogue = Catalogue(settings.path)
        self.metrics = Metrics()
        self.started = time.time()
        # CPU-bound work runs in worker threads, a few at a time, so the event loop keeps
        # answering (health checks, cached reads) while a large rating runs.
        self.limiter = anyio.CapacityLimiter(4)
        self.load_error: str | None = None

    async def work(self, function: Callable[..., Any], *arguments: Any) -> Any:
        """Run CPU-bound work off the event loop, within the time limit."""
        limit = self.settings.time_limit
        try:
            with anyio.fail_after(limit):
                return await anyio.to_thread.run_sync(function, *arguments, limiter=self.limiter,
                                                      abandon_on_cancel=True)
        except TimeoutError:
            raise Problem(503, "timeout", f"the work took longer than {limit:g} s; send less at a time, "
                          "or start the server with a longer --time-limit") from None


def service_of(request: Request) -> Service:
    service: Service = request.app.state.service  # set by create_app
    return service


class Guard:
    """Outermost layer: the request-size limit, metrics, and no traceback ever reaching a client."""

    def __init__(self, app: ASGIApp, service: Service) -> None:
        self.app, self.service = app, service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        sent_start = False

        async def sending(message: Message) -> None:
            nonlocal status, sent_start
            if message["type"] == "http.response.start":
                status = message["status"]
                sent_start = True
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception:  # a bug: answer with a problem, not a traceback
            import logging

            logging.getLogger("precepts.service").exception("internal error on %s", scope.get("path"))
            if not sent_start:
                response = problem(500, "internal", "an internal error in precepts; the server log has the details")
                status = 500
                await response(scope, receive, send)
        finally:
            endpoint = scope.get("endpoint")
            route = getattr(endpoint, "__name__", None) or ("static" if scope["path"].startswith("/static/")
                                                            else "unmatched")
            self.service.metrics.observe(scope["method"], route, status, time.perf_counter() - started)


async def _problem_handler(request: Request, error: Exception) -> Response:
    assert isinstance(error, Problem)
    return error.response()


async def _http_handler(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    kinds = {404: "not-found", 405: "method-not-allowed", 400: "bad-request", 413: "too-large"}
    detail = {404: f"nothing at {request.url.path}; GET /v1/frameworks lists what this server has",
              405: f"{request.method} is not allowed on {request.url.path}"}.get(error.status_code, str(error.detail))
    response = problem(error.status_code, kinds.get(error.status_code, "bad-request"), detail)
    if error.headers:
        response.headers.update(error.headers)
    return response


async def _watch(service: Service, stop: asyncio.Event) -> None:
    """Recompile when a file under the folder changes; the snapshot is swapped whole."""
    from watchfiles import awatch

    def wanted(change: object, path: str) -> bool:
        # .po: a framework's translations (compiler/translations.py) are part of it.
        return path.endswith((".precepts", ".yaml", ".yml", ".po")) and "/.git/" not in path

    try:
        async for _ in awatch(service.settings.path, watch_filter=wanted, stop_event=stop, debounce=200, step=50,
                              recursive=True, ignore_permission_denied=True):
            await anyio.to_thread.run_sync(service.catalogue.reload)
    except (FileNotFoundError, RuntimeError) as error:
        service.load_error = f"cannot watch {service.settings.folder}: {error}"


def create_app(settings: Settings) -> Starlette:
    from precepts.dsl import incremental

    incremental.activate()  # a long-running process: posted and edited texts re-parse only changed lines
    service = Service(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        tasks = []

        async def first_load() -> None:
            try:
                await anyio.to_thread.run_sync(service.catalogue.reload)
            except Exception as error:  # reported by /readyz, and the server keeps running
                service.load_error = f"{type(error).__name__}: {error}"

        tasks.append(asyncio.create_task(first_load()))
        if settings.watch and settings.path.is_dir():
            tasks.append(asyncio.create_task(_watch(service, stop)))
        try:
            yield
        finally:
            stop.set()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    routes: list[Any] = [
        *(editing.routes() if settings.edit else []),  # before reading's catch-all for artefacts
        *validating.routes(),
        *reading.routes(),
        Mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={Problem: _problem_handler, HTTPException: _http_handler})
    app.state.service = service
    app.add_middleware(Guard, service=service)
    return app


def app_from_environment() -> Starlette:
    """The entry point uvicorn's workers import (`precepts serve` sets the environment)."""
    return create_app(Settings.from_environment())


Handler = Callable[[Request], Awaitable[Response]]
