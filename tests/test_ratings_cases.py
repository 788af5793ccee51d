"""Rules tested as data: every YAML rule case under tests/rating_cases/ must give the
ratings it expects, and every tally must match the published total it quotes.

A failing case names itself, the field, what was expected and what came out.
"""

from __future__ import annotations

import pytest
from support import TESTS

from precepts.ratings.cases import (
    RuleCase,
    Tally,
    case_files,
    check_case,
    check_tally,
    failure_message,
    load_case_file,
    match,
)

CASES_FOLDER = TESTS / "rating_cases"
FILES = case_files(CASES_FOLDER)
CASES = [case for f in FILES for case in f.cases]
TALLIES = [tally for f in FILES for tally in f.tallies]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file.stem}::{c.name}" for c in CASES])
def test_rule_case(case: RuleCase) -> None:
    mismatches = check_case(case)
    if mismatches:
        pytest.fail(failure_message(case, mismatches), pytrace=False)


@pytest.mark.parametrize("tally", TALLIES, ids=[f"{t.file.stem}::{t.name}" for t in TALLIES])
def test_published_tally(tally: Tally) -> None:
    mismatches = check_tally(tally)
    if mismatches:
        pytest.fail(f"tally '{tally.name}' failed:\n  " + "\n  ".join(map(str, mismatches)), pytrace=False)


def test_the_seed_examples_are_all_there() -> None:
    names = " | ".join(c.name for c in CASES)
    assert "2017 §4.11" in names
    assert "2017 §4.23 six Good and four Requires improvement make Good" in names
    assert sum(1 for c in CASES if c.name.startswith("Figure 2.3:")) == 28
    assert "2021 §4.5" in names


def test_a_failing_case_names_the_case_the_field_the_expected_and_the_actual(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "wrong.yaml").write_text(
        "framework: " + str(TESTS / "fixtures" / "ratings" / "hmip-probation-2018.precepts") + "\n"
        "name: a deliberately wrong expectation\n"
        "input: {unit: U, attributes: {provider: crc}, composites: {provider-overall: {total: 16}}}\n"
        "expected: {composites: {provider-overall: {grade: outstanding}}}\n",
        encoding="utf-8",
    )
    (case,) = load_case_file(tmp_path / "wrong.yaml").cases
    message = failure_message(case, check_case(case))
    assert "rule case 'a deliberately wrong expectation'" in message
    assert 'composites[provider-overall].grade: expected "outstanding", got "good"' in message


def test_a_wrong_tally_fails() -> None:
    tally = next(t for t in TALLIES if "five of the seven" in t.name)
    wrong = Tally(tally.name, tally.file, tally.cases, tally.where, tally.count_by, tally.sum_of, {"good": 6})
    assert check_tally(wrong)


def test_matching_is_partial_for_mappings_and_exact_for_plain_lists() -> None:
    actual = {"standards": [{"id": "a", "number": "1.1", "grade": "good", "lowest": ["1.1.1", "1.1.2"]}]}
    assert not list(match({"standards": {"1.1": {"grade": "good"}}}, actual, ""))
    assert list(match({"standards": {"1.1": {"lowest": ["1.1.1"]}}}, actual, ""))
    assert list(match({"standards": {"9.9": {}}}, actual, ""))
