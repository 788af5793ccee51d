"""Reading request bodies within a size limit, and telling their formats apart."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request

from precepts.service.problems import Problem

# A posted file's name: relative, made of plain segments, never reaching out of its folder.
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
FILE_SUFFIXES = (".precepts", ".yaml", ".yml")
MAX_FILES = 200


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> Problem:
    return Problem(413, "too-large", f"the body is over this server's limit of {limit:,} bytes; send less at a "
                   "time, or start the server with a larger limit")


def text_of(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Problem(400, "bad-request", f"the body is not UTF-8 text (byte {error.start}); save it as UTF-8") from None


def json_of(body: bytes) -> Any:
    try:
        return json.loads(text_of(body))
    except json.JSONDecodeError as error:
        raise Problem(400, "bad-request", f"the body is not valid JSON: {error.msg} at line {error.lineno} "
                      f"column {error.colno}") from None


def file_name(name: object) -> str:
    """A posted file's name, checked: relative plain segments, a framework or mapping suffix."""
    if not isinstance(name, str) or not name:
        raise Problem(422, "bad-input", "every file needs a name such as 'framework.precepts'")
    parts = name.split("/")
    if name.startswith("/") or not all(_SEGMENT.match(p) and p not in (".", "..") for p in parts) or len(parts) > 8:
        raise Problem(422, "bad-input", f"'{name[:200]}' cannot name a file: use relative names of letters, "
                      "digits, '.', '-' and '_' such as 'shared/rules.precepts', without '..'")
    if not name.endswith(FILE_SUFFIXES):
        raise Problem(422, "bad-input", f"'{name}' is neither a framework file (.precepts) nor a mapping (.yaml)")
    return name


def posted_files(data: Any) -> dict[str, str]:
    """{"files": {name: text}} or {"text": "...", "name": "..."}, checked."""
    if not isinstance(data, dict):
        raise Problem(422, "bad-input", 'send {"files": {"name.precepts": "text"}} or {"text": "..."}')
    if "files" in data:
        files = data["files"]
        if not isinstance(files, dict) or not files:
            raise Problem(422, "bad-input", '"files" must map file names to their text, with at least one file')
        if len(files) > MAX_FILES:
            raise Problem(422, "bad-input", f"at most {MAX_FILES} files in one request")
        checked = {}
        for name, text in files.items():
            if not isinstance(text, str):
                raise Problem(422, "bad-input", f'the text of "{file_name(name)}" must be a string')
            checked[file_name(name)] = _no_nul(text, name)
        if not any(name.endswith(".precepts") for name in checked):
            raise Problem(422, "bad-input", "no framework file (.precepts) among the files")
        return checked
    text = data.get("text")
    if not isinstance(text, str):
        raise Problem(422, "bad-input", 'send the framework text as {"text": "..."} or files as {"files": {...}}')
    name = file_name(data.get("name", "framework.precepts"))
    return {name: _no_nul(text, name)}


def _no_nul(text: str, name: str) -> str:
    if "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text if ord(c) >= 0xD800):
        raise Problem(422, "bad-input", f"{name} holds a NUL or an unpaired surrogate: it is not framework text")
    return text
