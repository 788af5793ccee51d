"""Regression tests for the input faults of issue 13 (Diagnostics): each failed before its fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support import CHECK_FIXTURES, invoke, no_traceback

from precepts.core.codes import Code

VALID = (CHECK_FIXTURES / "S002" / "pass" / "main.precepts").read_text(encoding="utf-8")


def findings(path: Path, *options: str) -> list[dict[str, Any]]:
    result = invoke("check", "--format", "json", *options, path)
    no_traceback(result)
    return json.loads(result.stdout)["diagnostics"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(("encoding", "bom"), [("utf-16", True), ("utf-16-le", False), ("utf-16-be", False)])
def test_a_utf16_framework_is_named_as_such(tmp_path: Path, encoding: str, bom: bool) -> None:
    path = tmp_path / "windows.precepts"
    path.write_bytes(VALID.encode(encoding))
    [finding] = findings(path)
    assert finding["code"] == Code.UNREADABLE_FILE.code
    assert "is UTF-16 text" in finding["message"] and "binary" not in finding["message"]
    assert "UTF-8" in finding["help"]
