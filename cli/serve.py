"""`precepts serve`: the HTTP API and the authoring page over a folder of frameworks."""

from __future__ import annotations

import os
from pathlib import Path

import click

EXIT_USAGE = 2
DEFAULT_FOLDER = "frameworks"


@click.command("serve")
@click.argument("folder", required=False, type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_FOLDER)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Any address but a loopback one exposes the server to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="The port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes. The API is stateless: more workers (or machines) serve more users.")
@click.option("--edit", is_flag=True, help="Serve the authoring page at /edit/{id}, which can save framework files.")
@click.option("--token", envvar="PRECEPTS_SERVE_TOKEN", metavar="TOKEN",
              help="Bearer token that editing requires (or set PRECEPTS_SERVE_TOKEN, which keeps it out of "
                   "the process list). Needed for --edit on a non-loopback address.")
@click.option("--watch/--no-watch", default=True, show_default=True,
              help="Recompile a framework when its file changes, and keep serving its last good version "
                   "while it has errors.")
@click.option("--reload", is_flag=True, help="Restart the server when precepts' own code changes (for "
                                             "developing precepts).")
@click.option("--max-check-bytes", type=click.IntRange(1), default=16 * 1024 * 1024, show_default=True,
              help="Largest body of a check or diff request.")
@click.option("--max-rate-bytes", type=click.IntRange(1), default=256 * 1024 * 1024, show_default=True,
              help="Largest body of a rate request.")
@click.option("--max-records", type=click.IntRange(1), default=1_000_000, show_default=True,
              help="Most case records in one rate request.")
@click.option("--time-limit", type=click.FloatRange(0.1), default=60.0, show_default=True,
              help="Seconds of work allowed for one request.")
def serve(folder: Path, host: str, port: int, workers: int, edit: bool, token: str | None, watch: bool,
          reload: bool, max_check_bytes: int, max_rate_bytes: int, max_records: int, time_limit: float) -> None:
    """Serve the frameworks in FOLDER (default frameworks/) over HTTP.

    The API is under /v1 (GET /v1/frameworks lists the frameworks; /openapi.json
    describes every endpoint). With --edit, open http://HOST:PORT/edit/ID to edit a
    framework in the browser with live checking and preview.
    """
    from precepts.service.settings import ENVIRONMENT, TOKEN_ENVIRONMENT, Settings, UnsafeSettings, refuse_unsafe

    if not folder.is_dir():
        click.echo(f"precepts: error: no folder {folder}; give the folder of framework files", err=True)
        raise SystemExit(EXIT_USAGE)
    settings = Settings(folder=str(folder), host=host, port=port, edit=edit, token=token, watch=watch,
                        check_limit=max_check_bytes, rate_limit=max_rate_bytes, record_limit=max_records,
                        time_limit=time_limit, workers=workers)
    try:
        refuse_unsafe(settings)
    except UnsafeSettings as error:
        click.echo(f"precepts: error: {error}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    os.environ[ENVIRONMENT] = settings.to_environment()
    if token:
        os.environ[TOKEN_ENVIRONMENT] = token
    import uvicorn

    shown = f"[{host}]" if ":" in host else host
    click.echo(f"precepts: serving {folder} on http://{shown}:{port}/v1/frameworks"
               + (f" (edit at http://{shown}:{port}/edit/ID)" if edit else ""), err=True)
    uvicorn.run("precepts.service.app:app_from_environment", factory=True, host=host, port=port,
                workers=workers if not reload else None, reload=reload, log_level="warning", access_log=False,
                server_header=False, timeout_graceful_shutdown=5)
