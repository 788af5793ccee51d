"""Test-wide settings."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from support import FRAMEWORKS

# Under CI=true a skipped test fails (tests/ci_skips.py); pytester runs the test of that rule.
pytest_plugins = ["ci_skips", "pytester"]

# The machines running the tests have two cores, often shared: how fast an example is made
# or run says nothing about correctness, so neither deadlines nor the slowness health check
# may fail a test (each test's own @settings still choose how many examples it tries).
settings.register_profile("precepts", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("precepts")


@pytest.fixture(scope="session", autouse=True)
def private_parse_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the parse cache of the run in a temporary folder, not in the user's ~/.cache.

    The cache stays on, so the tests also exercise it; subprocesses inherit the setting.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PRECEPTS_CACHE_DIR", str(tmp_path_factory.mktemp("precepts-cache")))
        patch.delenv("PRECEPTS_NO_CACHE", raising=False)
        patch.delenv("PRECEPTS_DEBUG", raising=False)
        yield


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder holding the shared rules the 2021 framework includes."""
    folder = tmp_path_factory.mktemp("project")
    (folder / "precepts.toml").write_text("", encoding="utf-8")
    shutil.copytree(FRAMEWORKS / "shared", folder / "shared")
    return folder
