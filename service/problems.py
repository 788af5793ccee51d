"""RFC 9457 problem details: every error the service answers with.

Each kind has a stable `type` (a URN, so clients can switch on it without fetching
anything) and a title; the `detail` says what to do.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

MEDIA_TYPE = "application/problem+json"

TITLES = {
    "bad-request": "The request cannot be read",
    "not-found": "No such resource",
    "method-not-allowed": "The resource does not take this method",
    "not-acceptable": "No representation in the format asked for",
    "conflict": "The file changed since it was read",
    "precondition-required": "Say which version you edited",
    "too-large": "The request body is over this server's limit",
    "unsupported-media-type": "The request body is not in a format this resource takes",
    "bad-input": "The input cannot be used",
    "bad-level": "The level cannot be rated",
    "bad-rating-input": "The rating input has problems",
    "too-many-records": "The rating input has more records than this server's limit",
    "bad-mapping": "The mapping file cannot be used",
    "framework-errors": "The framework has errors",
    "bad-revision": "No such revision",
    "unauthorized": "A bearer token is needed",
    "forbidden-origin": "Cross-site request refused",
    "editing-off": "Editing is not enabled on this server",
    "timeout": "The work took longer than this server's time limit",
    "not-ready": "The frameworks are still loading",
    "internal": "Internal error",
}


def problem(status: int, kind: str, detail: str, **extra: Any) -> Response:
    body = {"type": f"urn:precepts:problem:{kind}", "title": TITLES.get(kind, kind), "status": status,
            "detail": detail, **extra}
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="precepts"'
    return Response(json.dumps(body, ensure_ascii=False, indent=2) + "\n", status_code=status,
                    media_type=MEDIA_TYPE, headers=headers)


class Problem(Exception):
    """Raised anywhere in a handler; answered as problem+json."""

    def __init__(self, status: int, kind: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.kind, self.detail, self.extra = status, kind, detail, extra

    def response(self) -> Response:
        return problem(self.status, self.kind, self.detail, **self.extra)
