"""What the test_build_* modules share: the shipped frameworks built once, a hostile
framework whose every text carries markup, and helpers to read a build."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from support import FRAMEWORKS, REPO_ROOT, invoke, no_traceback

# Markup, script, links and ODK's own syntax (${…}, *…*, [..](..)) in every kind of text.
HOSTILE = """\
framework hostile-demo
title: A <b>bold</b> framework & "quotes" <script>alert('title')</script>
version: 1 <i>
status: draft
source: <a href="javascript:alert(1)">source</a>
licence: MIT
words: img, src, onerror
consultation question: Does <script>alert('question')</script> run?

level unit: Unit <em>inspection</em>
attribute case-type: community, post-custody

scale rating: Rating <u>levels</u>
  grade inadequate "Inadequate <script>"
  grade good "Good"

banding results: Results <b>banding</b>
  scale: rating
  rounding: half up to whole percent
  band low "Low <i>": below 60% gives inadequate
  band high "High": 60% and above gives good

domain 1 Domain <script>alert('domain')</script>
  at: unit

  standard 1.1 Work <img src=x onerror=alert(1)>
    text: The standard text <script>alert('standard')</script> & more.
    rated: from cases using results
    consultation question: Is <iframe src="https://example.org"></iframe> fine?

    question 1.1.1 Is the <b>work</b> done ${case-type} *well*?
      a) Does <script>alert('prompt')</script> run?
      b) Post-custody only: is <img src=x onerror=alert('b')> shown as text?
        applies to: case-type is post-custody
      c) Are [links](javascript:alert(1)) and _underscores_ # kept?

questionnaire survey: A <script>survey</script>
  at: unit
  scale: rating
  instruction: Tick <b>one</b> box.
  item: I like <script>alert('item')</script>
    see: 1.1.1a
  free text: What <i>else</i>?
  choice: Pick <one>:
    option: <script>x</script>
    option: A & B
"""
HOSTILE_PROMPT = "Does <script>alert('prompt')</script> run?"
SHIPPED = ("hmip-adult-2021", "hmip-domain-one-characteristics-2018", "hmip-probation-2017-draft")


def build_in(folder: Path, output: Path, *paths: str | Path, check: bool = False) -> Any:
    """Run `precepts build` with `folder` as the working folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = invoke("build", *paths, "-o", output, *(["--check"] if check else []))
    no_traceback(result)
    return result


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def artefacts(output: Path) -> Iterator[dict[str, Any]]:
    """Every entry of the build's index.json: the format schemas and each framework's artefacts."""
    index = read_json(output / "index.json")
    yield from index["schemas"]
    for framework in index["frameworks"]:
        yield from framework["artefacts"]
        for level in framework["levels"]:
            yield from level["artefacts"]


@cache
def _scratch() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="precepts-build-tests-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@cache
def shipped_build() -> Path:
    """The shipped frameworks, built once per test run, from the repository root as the README says."""
    output = _scratch() / "shipped"
    result = build_in(REPO_ROOT, output, FRAMEWORKS.relative_to(REPO_ROOT))
    assert result.exit_code == 0, result.stderr
    return output


@cache
def hostile_build() -> Path:
    """The hostile framework, built once per test run."""
    folder = _scratch() / "hostile"
    folder.mkdir()
    (folder / "hostile.precepts").write_text(HOSTILE, encoding="utf-8")
    result = build_in(folder, folder / "out", "hostile.precepts")
    assert result.exit_code == 0, result.stderr
    return folder / "out"


def test_the_hostile_framework_checks_cleanly_so_every_output_is_made() -> None:
    kinds = {entry["kind"] for entry in artefacts(hostile_build())}
    assert {"consultation-html", "case-assessment-xlsform", "questionnaire-xlsform", "assessment-record-schema"} <= kinds
