"""The real 2021 framework: its shape, its fidelity to the published text, and its compiled form.

Golden files: run `PRECEPTS_UPDATE_GOLDEN=1 python3 -m pytest tests/test_framework_2021.py`
to rewrite tests/golden/ after an intended change, then review the diff before committing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import FRAMEWORK_2021, GOLDEN, REPO_ROOT, SEED_2021, invoke, seed_missing

RELATIVE_PATH = FRAMEWORK_2021.relative_to(REPO_ROOT).as_posix()
GOLDEN_2021 = GOLDEN / "hmip-adult-2021.json"


def compile_in_repo(monkeypatch: pytest.MonkeyPatch) -> str:
    """`precepts compile frameworks/hmip-adult-2021.precepts` run from the repository root."""
    monkeypatch.chdir(REPO_ROOT)
    result = invoke("compile", RELATIVE_PATH)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def compiled() -> dict[str, Any]:
    result = invoke("compile", FRAMEWORK_2021)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def prompts(document: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """(domain, question, prompt) for every prompt."""
    for domain in document["domains"]:
        for standard in domain["standards"]:
            for question in standard["questions"]:
                for prompt in question["prompts"]:
                    yield domain, question, prompt


@pytest.fixture(scope="module")
def seed() -> str:
    if not SEED_2021.is_file():
        pytest.skip(seed_missing(SEED_2021))
    return SEED_2021.read_text(encoding="utf-8")


def test_framework_header(compiled: dict[str, Any]) -> None:
    assert compiled["format"] == "precepts-framework"
    framework = compiled["framework"]
    assert (framework["id"], framework["kind"], framework["status"]) == ("hmip-adult-2021", "framework", "consultation")
    assert [level["id"] for level in compiled["levels"]] == ["region", "pdu", "national"]
    assert [domain["number"] for domain in compiled["domains"]] == ["1", "2"]


def test_prompt_counts(compiled: dict[str, Any]) -> None:
    counts = Counter((domain["number"], tuple(prompt["levels"])) for domain, _, prompt in prompts(compiled))
    assert counts == {("1", ("region",)): 43, ("1", ("pdu",)): 60, ("2", ("pdu",)): 76}
    assert sum(counts.values()) == 179


def test_prompt_ids_are_unique(compiled: dict[str, Any]) -> None:
    ids = [prompt["id"] for _, _, prompt in prompts(compiled)]
    assert len(set(ids)) == len(ids) == 179


def test_every_text_is_verbatim_from_the_seed(compiled: dict[str, Any], seed: str) -> None:
    missing: list[str] = []
    checked = 0
    for domain in compiled["domains"]:
        for standard in domain["standards"]:
            wanted = [f"{standard['number']} {standard['heading']}", *standard["text"].values()]
            for question in standard["questions"]:
                wanted.append(f"{question['number']} {question['text']}")
                wanted.extend(f"{prompt['letter']}) {prompt['text']}" for prompt in question["prompts"])
            for text in wanted:
                checked += 1
                if text not in seed:
                    missing.append(text)
    assert checked > 179
    assert missing == []


def test_the_checker_would_notice_a_changed_text(compiled: dict[str, Any], seed: str) -> None:
    _, _, prompt = next(prompts(compiled))
    assert f"{prompt['letter']}) {prompt['text']}" in seed
    assert f"{prompt['letter']}) {prompt['text'].replace('strategy', 'strategies')}" not in seed


def test_compiled_json_matches_the_golden_file(monkeypatch: pytest.MonkeyPatch) -> None:
    output = compile_in_repo(monkeypatch)
    document = json.loads(output)
    assert document["source_file"]["path"] == RELATIVE_PATH
    assert document["source_file"]["includes"] == ["frameworks/shared/hmip-case-ratings.precepts"]
    if os.environ.get("PRECEPTS_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        GOLDEN_2021.write_text(output, encoding="utf-8")
    assert GOLDEN_2021.is_file(), "no golden file: run with PRECEPTS_UPDATE_GOLDEN=1 to create it"
    golden = GOLDEN_2021.read_text(encoding="utf-8")
    if output != golden:  # show the first difference readably, then fail
        assert json.loads(output) == json.loads(golden)
        pytest.fail("same JSON, different bytes: key order or formatting changed")


def test_compile_is_byte_identical_across_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    first = compile_in_repo(monkeypatch)
    second = compile_in_repo(monkeypatch)
    assert first == second
    # Other processes, with other hash seeds and without the parse cache, give the same bytes.
    outputs = []
    for seed_value, no_cache in (("1", True), ("2", False)):
        env = {**os.environ, "PYTHONHASHSEED": seed_value}
        if no_cache:
            env["PRECEPTS_NO_CACHE"] = "1"
        process = subprocess.run(
            [sys.executable, "-m", "precepts.cli", "compile", RELATIVE_PATH],
            cwd=REPO_ROOT, env=env, capture_output=True, check=False,
        )
        assert process.returncode == 0, process.stderr.decode()
        outputs.append(process.stdout)
    assert outputs[0] == outputs[1] == first.encode("utf-8")
