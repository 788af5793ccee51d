"""`precepts rate`: input formats, validation messages, exit status, the versioned JSON
output, determinism, the input schema and --what-if."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support import FRAMEWORK_2021, TESTS, invoke, no_traceback

FIXTURE_2018 = TESTS / "fixtures" / "ratings" / "hmip-probation-2018.precepts"
FRAMEWORK_2017 = TESTS.parent / "frameworks" / "hmip-probation-2017-draft.precepts"


def write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def provider(**extra: Any) -> dict[str, Any]:
    return {
        "unit": "Example NPS division",
        "attributes": {"provider": "nps"},
        "standards": {"1.1": "good", "1.2": "good", "1.3": "requires-improvement", "1.4": "good"},
        "questions": {
            "2.1.1": {"sufficient": 40, "inspected": 50}, "2.1.2": {"sufficient": 40, "inspected": 50},
            "2.1.3": {"sufficient": 40, "inspected": 50},
            "2.2.1": {"percentage": 70}, "2.2.2": {"percentage": 70}, "2.2.3": {"percentage": 70},
            "2.3.1": {"sufficient": 45, "inspected": 50}, "2.3.2": {"sufficient": 41, "inspected": 50},
            "2.3.3": {"sufficient": 36, "inspected": 50},
            "2.4.1": {"percentage": 55}, "2.4.2": {"percentage": 70}, "2.4.3": {"percentage": 70},
            "3.1.1": {"percentage": 85}, "3.1.2": {"percentage": 85},
            "3.2.1": {"percentage": 85}, "3.2.2": {"percentage": 85}, "3.2.3": {"percentage": 85}, "3.2.4": {"percentage": 85},
        },
        **extra,
    }


def rate_json(*args: str | Path) -> tuple[Any, dict[str, Any]]:
    result = invoke("rate", *args, "--format", "json")
    no_traceback(result)
    return result, json.loads(result.stdout) if result.exit_code == 0 else {}


# ---- good input ---------------------------------------------------------------------------------------


def test_json_aggregates_rate_and_the_output_is_versioned(tmp_path: Path) -> None:
    path = write(tmp_path, "in.json", {"format": "precepts-rating-input", "format_version": 1, "units": [provider()]})
    result, data = rate_json(FIXTURE_2018, "--input", path)
    assert result.exit_code == 0, result.stderr
    assert (data["format"], data["format_version"]) == ("precepts-ratings", 2)
    assert data["framework"]["id"] == "hmip-probation-2018" and data["level"] == "provider"
    (unit,) = data["units"]
    composite = unit["composites"][0]
    # 2 + 2 + 1 + 2, Outstanding 2.1 (80%), Good 2.2, Good 2.3, RI 2.4, Outstanding 3.1 and 3.2.
    assert (composite["total"], composite["grade"]) == (7 + 3 + 2 + 2 + 1 + 3 + 3, "good")
    assert composite["standards_counted"] == 10


def test_every_rating_carries_its_explanation(tmp_path: Path) -> None:
    path = write(tmp_path, "in.json", {"units": [provider()]})
    _, data = rate_json(FIXTURE_2018, "--input", path)
    unit = data["units"][0]
    rated = [*unit["standards"], *unit["judgements"], *unit["composites"], *unit["hurdles"],
             *(q for s in unit["standards"] for q in s["questions"])]
    assert rated
    for item in rated:
        assert item["explanation"]["text"], item
        assert "summary" not in item or item["summary"]


def test_the_issue_example_explanation(tmp_path: Path) -> None:
    path = write(tmp_path, "in.json", {"units": [provider()]})
    result = invoke("rate", FIXTURE_2018, "--input", path)
    assert result.exit_code == 0
    assert ("2.3 Implementation and delivery: Good — lowest key question 2.3.3 (Does the implementation and delivery "
            "of services effectively support the safety of other people?) 72% = 36/50, band 65–79% 'Reasonable majority' "
            "→ Good; 4 more sufficient cases in 2.3.3 would make it Outstanding") in result.stdout
    assert "Explanations" in result.stdout and "└─" in result.stdout


def test_output_is_byte_identical_for_the_same_input(tmp_path: Path) -> None:
    path = write(tmp_path, "in.json", {"units": [provider(), provider(unit="Another", attributes={"provider": "nps"})]})
    for output_format in ("json", "text"):
        first = invoke("rate", FIXTURE_2018, "--input", path, "--format", output_format).stdout
        second = invoke("rate", FIXTURE_2018, "--input", path, "--format", output_format).stdout
        assert first == second


def test_csv_case_records_with_a_json_file_of_judged_ratings(tmp_path: Path) -> None:
    csv = write(tmp_path, "cases.csv",
                "unit,case,case-type,2.4.1,2.4.2,2.4.3,2.4.1d\n"
                "PDU A,A1,community,yes,yes,yes,n/a\n"
                "PDU A,A2,post-custody,yes,no,yes,no\n"
                "PDU A,A3,community,no,yes,yes,\n")
    judged = write(tmp_path, "judged.json", {"units": [{"unit": "PDU A", "standards": {"1.1": "outstanding"},
                                                        "judgements": {"diversity": "inadequate"}}]})
    result, data = rate_json(FRAMEWORK_2021, "--input", csv, "--input", judged)
    assert result.exit_code == 0, result.stderr
    unit = data["units"][0]
    assert unit["cases"] == 3
    standard = next(s for s in unit["standards"] if s["number"] == "2.4")
    question = next(q for q in standard["questions"] if q["number"] == "2.4.1")
    assert (question["sufficient"], question["inspected"]) == (2, 3)
    assert question["prompts"] == [{"id": "implementation-and-delivery.1d", "number": "2.4.1d", "yes": 0, "no": 1, "not_applicable": 1}]
    leadership = next(s for s in unit["standards"] if s["number"] == "1.1")
    assert leadership["grade"] == "good" and leadership["hurdles"] == ["diversity-leadership"]
    assert unit["composites"][0]["status"] == "undetermined"


def test_a_single_unit_document_and_the_level_from_the_input(tmp_path: Path) -> None:
    path = write(tmp_path, "unit.json", {"unit": "PDU", "questions": {"2.2.1": {"percentage": 80}}})
    result, data = rate_json(FRAMEWORK_2021, "--input", path)
    assert result.exit_code == 0 and data["level"] == "pdu"


# ---- bad input: record, field, expected, never a traceback ------------------------------------------


def bad(tmp_path: Path, framework: Path, name: str, content: Any, *extra: str) -> str:
    path = write(tmp_path, name, content)
    result = invoke("rate", framework, "--input", path, *extra)
    no_traceback(result)
    assert result.exit_code == 1, result.stdout
    assert result.stdout == ""
    return result.stderr


def test_an_unknown_key_question(tmp_path: Path) -> None:
    message = bad(tmp_path, FIXTURE_2018, "in.json", {"units": [{"unit": "U", "questions": {"2.3.9": {"percentage": 5}}}]})
    assert "unit 'U' (units[0]), questions › 2.3.9: expected key-question results at level provider" in message
    assert "the unknown name '2.3.9'" in message


def test_a_bad_answer_in_a_case_record(tmp_path: Path) -> None:
    message = bad(tmp_path, FRAMEWORK_2021, "in.json",
                  {"units": [{"unit": "PDU", "cases": [{"case": "C7", "questions": {"2.2.1": "maybe"}}]}]})
    assert "unit 'PDU', case 'C7' (units[0].cases[0]), questions › 2.2.1: expected yes or no" in message
    assert 'found "maybe"' in message


def test_not_applicable_only_where_applicability_allows(tmp_path: Path) -> None:
    message = bad(tmp_path, FRAMEWORK_2021, "cases.csv",
                  "unit,case,case-type,2.4.1,2.4.1d,2.4.1a\n"
                  "PDU,C1,post-custody,yes,n/a,yes\n"
                  "PDU,C2,community,yes,yes,yes\n"
                  "PDU,C3,community,yes,n/a,n/a\n")
    assert "case 'C1' (" in message and "line 2), column '2.4.1d': expected yes or no: 2.4.1d applies to this case" in message
    assert "case 'C2' (" in message and "line 3), column '2.4.1d': expected n/a or no answer: 2.4.1d applies only where case-type is post-custody" in message
    assert "case 'C3' (" in message and "line 4), column '2.4.1a': expected yes or no (2.4.1a applies to every case)" in message


def test_applicability_from_the_unit_when_the_case_does_not_say(tmp_path: Path) -> None:
    message = bad(tmp_path, FRAMEWORK_2021, "in.json",
                  {"units": [{"unit": "PDU", "cases": [{"case": "C1", "prompts": {"2.4.1d": "yes"}}]}]})
    assert "expected the case attribute case-type, to know whether 2.4.1d applies" in message


def test_results_for_a_standard_that_does_not_apply_to_the_unit(tmp_path: Path) -> None:
    message = bad(tmp_path, FIXTURE_2018, "in.json",
                  {"units": [{"unit": "A CRC", "attributes": {"provider": "crc"}, "questions": {"3.1.1": {"percentage": 70}}}]})
    assert "standard 3.1 applies only where provider is nps, and here provider is crc" in message


def test_more_sufficient_than_inspected(tmp_path: Path) -> None:
    message = bad(tmp_path, FIXTURE_2018, "in.json",
                  {"units": [{"unit": "U", "questions": {"2.1.1": {"sufficient": 51, "inspected": 50}}}]})
    assert "questions › 2.1.1: expected sufficient at most inspected (50); found 51" in message


def test_a_rating_for_a_standard_rated_from_cases(tmp_path: Path) -> None:
    message = bad(tmp_path, FIXTURE_2018, "in.json", {"units": [{"unit": "U", "standards": {"2.1": "good"}}]})
    assert "standards › 2.1: expected 2.1 is not rated by judgement; only NR may be given" in message


def test_the_same_unit_twice_and_a_key_question_under_two_names(tmp_path: Path) -> None:
    message = bad(tmp_path, FRAMEWORK_2021, "in.json", {"units": [
        {"unit": "PDU", "questions": {"2.2.1": {"percentage": 70}, "assessment.1": {"percentage": 71}}},
        {"unit": "PDU"},
    ]})
    assert "one answer for 2.2.1, under one name (2.2.1 or assessment.1)" in message


@pytest.mark.parametrize(("section", "number", "element_id"), [
    ("questions", "2.1.1", "court-work.1"),
    ("prompts", "2.4.1d", "implementation-and-delivery.1d"),
])
def test_one_answer_under_two_names_in_a_case_record(tmp_path: Path, section: str, number: str, element_id: str) -> None:
    """Counted twice, one case would weigh as two (a prompt under both names once did)."""
    case = {"case": "C1", "attributes": {"case-type": "post-custody"}, section: {number: "yes", element_id: "no"}}
    message = bad(tmp_path, FRAMEWORK_2021, "in.json", {"units": [{"unit": "PDU", "cases": [case]}]})
    assert (f"unit 'PDU', case 'C1' (units[0].cases[0]), {section}: expected one answer for {number}, "
            f"under one name ({number} or {element_id})") in message


def test_a_case_recorded_twice_in_json(tmp_path: Path) -> None:
    cases = [{"case": "C1", "attributes": {"case-type": "community"}, "questions": {"2.4.1": answer}} for answer in ("yes", "no")]
    cases.insert(1, {"case": 7, "questions": {"2.4.1": "yes"}})
    message = bad(tmp_path, FRAMEWORK_2021, "in.json", {"units": [{"unit": "PDU", "cases": cases}]})
    assert ("unit 'PDU', case 'C1' (units[0].cases[2]), case: expected a case reference no other record of the unit "
            "has: each case is inspected once (the record at units[0].cases[0] has it too); found 'C1'") in message
    assert message.count("expected a case reference") == 1


def test_a_case_recorded_twice_across_csv_files(tmp_path: Path) -> None:
    one = write(tmp_path, "one.csv", "unit,case,case-type,2.4.1\nPDU,C1,community,yes\nOther,C1,community,yes\n")
    two = write(tmp_path, "two.csv", "unit,case,case-type,2.4.1\nPDU,C2,community,no\nPDU,C1,community,no\n")
    result = invoke("rate", FRAMEWORK_2021, "--input", one, "--input", two)
    no_traceback(result)
    assert result.exit_code == 1
    assert (f"unit 'PDU', case 'C1' ({two} line 3), column 'case': expected a case reference no other record of the "
            f"unit has: each case is inspected once (the record at {one} line 2 has it too)") in result.stderr
    assert "unit 'Other'" not in result.stderr, "the same reference in another unit is another case"


def test_a_case_that_contradicts_its_unit_in_json(tmp_path: Path) -> None:
    unit = {"unit": "NPS North", "attributes": {"provider": "nps"}, "cases": [
        {"case": "1", "attributes": {"provider": "nps"}, "questions": {"2.1.1": "yes"}},
        {"case": "2", "attributes": {"provider": "crc"}, "questions": {"2.1.1": "yes"}},
        {"case": "3", "questions": {"2.1.1": "yes"}},
    ]}
    message = bad(tmp_path, FRAMEWORK_2017, "in.json", {"units": [unit]})
    assert ("unit 'NPS North', case '2' (units[0].cases[1]), attributes › provider: expected 'nps', as the unit's "
            "attributes say (or no value: the case takes the unit's); found 'crc'") in message
    assert message.count("as the unit's attributes say") == 1


def test_a_csv_case_that_contradicts_its_unit_given_in_json(tmp_path: Path) -> None:
    cases = write(tmp_path, "cases.csv", "unit,case,provider,2.1.1\nNPS North,1,nps,yes\nNPS North,2,,no\nNPS North,3,crc,yes\n")
    units = write(tmp_path, "units.json", {"units": [{"unit": "NPS North", "attributes": {"provider": "nps"}}]})
    result = invoke("rate", FRAMEWORK_2017, "--input", cases, "--input", units)
    no_traceback(result)
    assert result.exit_code == 1
    assert (f"unit 'NPS North', case '3' ({cases} line 4), column 'provider': expected 'nps', as the unit's attributes "
            "say (or an empty cell: the case takes the unit's); found 'crc'") in result.stderr


def test_a_csv_cell_beyond_the_csv_modules_limit(tmp_path: Path) -> None:
    huge = "x" * 200_000
    message = bad(tmp_path, FRAMEWORK_2021, "cases.csv", f"unit,case,case-type,2.4.1\nPDU,{huge},community,yes\n")
    assert "cases.csv line 2: expected CSV cells of at most 131,072 characters, without NUL bytes" in message


def test_a_control_character_in_a_column_name_shows(tmp_path: Path) -> None:
    message = bad(tmp_path, FRAMEWORK_2021, "cases.csv", "unit,case\x01,2.4.1\nPDU,1,yes\n")
    assert "column 'case\\x01'" in message


def test_a_case_reference_of_the_wrong_type_is_shown_as_written(tmp_path: Path) -> None:
    message = bad(tmp_path, FRAMEWORK_2021, "in.json", {"units": [{"unit": "U", "cases": [{"case": True}]}]})
    assert "unit 'U', case true (units[0].cases[0]), case: expected the case's reference, a string or a number" in message


def test_duplicate_units(tmp_path: Path) -> None:
    message = bad(tmp_path, FRAMEWORK_2021, "in.json", {"units": [{"unit": "PDU"}, {"unit": "PDU"}]})
    assert "unit 'PDU' (units[1]), unit: expected a name no other unit has (units[0] is also 'PDU')" in message


def test_an_unknown_csv_column(tmp_path: Path) -> None:
    message = bad(tmp_path, FRAMEWORK_2021, "cases.csv", "unit,case-typ,2.4.1\nPDU,community,yes\n")
    assert "line 1, column 'case-typ'" in message and "did you mean 'case-type'?" in message


def test_a_csv_row_of_the_wrong_width(tmp_path: Path) -> None:
    message = bad(tmp_path, FRAMEWORK_2021, "cases.csv", "unit,2.4.1\nPDU,yes,no\n")
    assert "line 2: expected 2 cells, as in the header; found 3" in message


def test_json_that_does_not_parse(tmp_path: Path) -> None:
    message = bad(tmp_path, FRAMEWORK_2021, "in.json", '{"units": [')
    assert "line 1 column 12: expected valid JSON" in message


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_numbers_json_does_not_allow_are_refused_where_they_stand(tmp_path: Path, number: str) -> None:
    text = '{"units": [{"unit": "U",\n  "questions": {"2.2.1": {"percentage": ' + number + '}}}]}'
    message = bad(tmp_path, FRAMEWORK_2021, "in.json", text)
    assert "in.json line 2 column " in message and ": expected valid JSON" in message


def test_the_input_names_another_framework(tmp_path: Path) -> None:
    message = bad(tmp_path, FRAMEWORK_2021, "in.json", {"framework": "something-else", "units": []})
    assert "the input document, framework: expected the framework's id, \"hmip-adult-2021\"" in message


# ---- usage and framework errors ----------------------------------------------------------------------


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, "in.json", {"units": []})
    for args in (
        ("rate", FRAMEWORK_2021),  # no --input
        ("rate", FRAMEWORK_2021, "--input", tmp_path / "missing.json"),
        ("rate", FRAMEWORK_2021, "--input", path, "--level", "regio"),
        ("rate", tmp_path / "missing.precepts", "--input", path),
    ):
        result = invoke(*args)
        no_traceback(result)
        assert result.exit_code == 2, (args, result.stderr)
    result = invoke("rate", FRAMEWORK_2021, "--input", path, "--level", "regio")
    assert "the framework has no level 'regio'; its levels are region, pdu, national" in result.stderr


def test_a_framework_with_errors_is_refused(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.precepts", "framework broken\nlevel x: X\ndomain 1 D\n  standard 1.1 S\n    rated: from cases using nothing\n")
    path = write(tmp_path, "in.json", {"units": []})
    result = invoke("rate", broken, "--input", path)
    no_traceback(result)
    assert result.exit_code == 1
    assert "has errors, so it cannot be rated" in result.stderr


# ---- the input schema -------------------------------------------------------------------------------


@pytest.mark.parametrize("framework", [FRAMEWORK_2021, FIXTURE_2018])
def test_the_schema_is_a_valid_json_schema(framework: Path) -> None:
    result = invoke("rate", framework, "--schema")
    assert result.exit_code == 0, result.stderr
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schema_agrees_with_python_jsonschema_on_applicability() -> None:
    schema = json.loads(invoke("rate", FRAMEWORK_2021, "--schema").stdout)
    validator = jsonschema.Draft202012Validator(schema)
    case = lambda kind, answer: {"units": [{"unit": "P", "cases": [{"attributes": {"case-type": kind}, "prompts": {"2.4.1d": answer}}]}]}  # noqa: E731
    assert validator.is_valid(case("post-custody", "yes"))
    assert not validator.is_valid(case("post-custody", "n/a"))
    assert validator.is_valid(case("community", "n/a"))
    assert not validator.is_valid(case("community", "no"))


# ---- what if --------------------------------------------------------------------------------------------


def test_what_if_other_bands(tmp_path: Path) -> None:
    rules = write(tmp_path, "stricter.precepts", (
        "rules stricter\ntitle: Stricter bands\n\n"
        "scale rating: Rating levels\n  grade inadequate \"Inadequate\"\n  grade requires-improvement \"Requires improvement\"\n"
        "  grade good \"Good\"\n  grade outstanding \"Outstanding\"\n\n"
        "banding case-results: Stricter bands\n  scale: rating\n  rounding: half up to whole percent\n"
        "  band below 55% gives inadequate\n  band 55% to 69% gives requires-improvement\n"
        "  band 70% to 84% gives good\n  band 85% and above gives outstanding\n"
    ))
    path = write(tmp_path, "in.json", {"units": [provider()]})
    result, data = rate_json(FIXTURE_2018, "--input", path, "--what-if", rules)
    assert result.exit_code == 0, result.stderr
    changes = {(c["kind"], c["id"]): (c["before"], c["after"]) for c in data["what_if"]["changes"]}
    # 80% falls from 'Large majority' to the new 70–84% band; the rest keep their grades.
    assert changes == {
        ("standard", "assessment"): ("Outstanding", "Good"),
        ("composite", "provider-overall"): ("Good (total 21)", "Good (total 20)"),
    }
    text = invoke("rate", FIXTURE_2018, "--input", path, "--what-if", rules, "--brief").stdout
    assert "What if: hmip-probation-2018 with the rating rules of" in text
    assert "Example NPS division: 2.1 Assessment: Outstanding → Good" in text


def test_what_if_the_same_framework_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "in.json", {"units": [provider()]})
    result = invoke("rate", FIXTURE_2018, "--input", path, "--what-if", FIXTURE_2018, "--brief")
    assert result.exit_code == 0
    assert "no rating changes" in result.stdout


def test_a_bad_csv_cell_names_the_line_the_case_and_the_column(tmp_path: Path) -> None:
    message = bad(tmp_path, FRAMEWORK_2021, "cases.csv",
                  "unit,case,2.4.1,2.4.2\n"
                  "PDU,C1,yes,yes\n"
                  "\n"
                  "PDU,C2,maybe,Yes\n")
    assert "unit 'PDU', case 'C2' (" in message
    assert "cases.csv line 4), column '2.4.1': expected yes or no (2.4.1 applies to every case); found \"maybe\"" in message
    assert "column '2.4.2'" not in message  # "Yes" is yes (issue 13.3)


def test_csv_and_json_case_records_give_the_same_ratings(tmp_path: Path) -> None:
    rows = [("U1", f"C{i}", "community" if i % 3 else "post-custody", "yes" if i % 4 else "no",
             "yes" if i % 5 else "no", "n/a" if i % 3 else ("yes" if i % 2 else "no")) for i in range(1, 61)]
    csv = write(tmp_path, "cases.csv", "unit,case,case-type,2.4.1,2.4.2,2.4.1d\n" + "".join(",".join(r) + "\n" for r in rows))
    records = [{"case": c, "attributes": {"case-type": t}, "questions": {"2.4.1": a, "2.4.2": b}, "prompts": {"2.4.1d": d}}
               for _, c, t, a, b, d in rows]
    json_input = write(tmp_path, "cases.json", {"units": [{"unit": "U1", "cases": records}]})
    _, from_csv = rate_json(FRAMEWORK_2021, "--input", csv)
    _, from_json = rate_json(FRAMEWORK_2021, "--input", json_input)
    assert from_csv["units"] == from_json["units"]


def test_the_benchmark_runs() -> None:
    import subprocess
    import sys

    from support import REPO_ROOT

    completed = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "rate.py"), "--units", "3", "--cases", "20", "--repeat", "1"],
        capture_output=True, text=True, cwd=REPO_ROOT, check=False, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert "records/s" in completed.stdout and "CSV" in completed.stdout
