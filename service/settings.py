"""What a server is started with: `precepts serve`'s options, handed to each worker process
through one environment variable (uvicorn starts workers from an import string)."""

from __future__ import annotations

import ipaddress
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

ENVIRONMENT = "PRECEPTS_SERVE_SETTINGS"
TOKEN_ENVIRONMENT = "PRECEPTS_SERVE_TOKEN"
MB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    folder: str = "frameworks"
    host: str = "127.0.0.1"
    port: int = 8000
    edit: bool = False
    token: str | None = None
    watch: bool = True
    check_limit: int = 16 * MB  # bytes of a check or diff request
    rate_limit: int = 256 * MB  # bytes of a rate request
    record_limit: int = 1_000_000  # case records in one rate request
    time_limit: float = 60.0  # seconds of work for one request
    workers: int = 1

    @property
    def path(self) -> Path:
        return Path(self.folder)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def to_environment(self) -> str:
        values = asdict(self)
        values["token"] = None  # the token travels in its own variable, never in a logged setting
        return json.dumps(values)

    @classmethod
    def from_environment(cls) -> Settings:
        values = json.loads(os.environ.get(ENVIRONMENT, "{}"))
        values["token"] = os.environ.get(TOKEN_ENVIRONMENT) or None
        return cls(**values)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class UnsafeSettings(ValueError):
    """The options would expose editing without protection."""


def refuse_unsafe(settings: Settings) -> None:
    if settings.edit and not settings.loopback and not settings.token:
        raise UnsafeSettings(
            f"--edit on {settings.host} (not a loopback address) lets anyone who can reach the server change "
            f"the framework files: give a bearer token with --token or the {TOKEN_ENVIRONMENT} environment "
            "variable, or bind to 127.0.0.1")
