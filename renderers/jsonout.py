"""JSON as every build output writes it: two-space indents, UTF-8 kept as is, one final
newline. Key order is that of construction, which each renderer fixes."""

from __future__ import annotations

import json
from typing import Any


def dumps(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def encode(document: Any) -> bytes:
    return dumps(document).encode("utf-8")
