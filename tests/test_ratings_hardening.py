"""Ratings faults found by trying the tool as a careful user and as an attacker would
(issue 13, Ratings 1–4): each test failed before its fix."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import FRAMEWORK_2021, TESTS, invoke, no_traceback

from precepts.ratings.documents import Loaded, as_document, parse_json
from precepts.ratings.inputs import InputError
from precepts.ratings.results import StandardResult, UnitResult
from precepts.ratings.run import Rater, load_framework
from precepts.ratings.sensitivity import outcome_words
from precepts.ratings.validation import Origins

FIXTURES = TESTS / "fixtures" / "ratings"


def write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


@cache
def rater_2021() -> Rater:
    return Rater.for_framework(load_framework(FRAMEWORK_2021), "pdu")


# ---- 13.1 counts written as 5.0, 50.0 or 30 digits ------------------------------------------------


@pytest.mark.parametrize("aggregate", [
    '{"sufficient": 5.0, "inspected": 50}',
    '{"sufficient": 5, "inspected": 50.0}',
    '{"sufficient": 5, "inspected": 50, "not_applicable": 2.0}',
])
def test_a_count_written_as_an_integral_float_is_a_count(tmp_path: Path, aggregate: str) -> None:
    path = write(tmp_path, "in.json", '{"unit": "U", "questions": {"2.4.1": ' + aggregate + '}}')
    result = invoke("rate", FRAMEWORK_2021, "--input", path, "--format", "json")
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    standard = next(s for s in json.loads(result.stdout)["units"][0]["standards"] if s["number"] == "2.4")
    question = standard["questions"][0]
    assert (question["sufficient"], question["inspected"], question["percentage"]) == (5, 50, 10)
    assert all(isinstance(question[k], int) for k in ("sufficient", "inspected", "not_applicable"))


@pytest.mark.parametrize(("aggregate", "words"), [
    ('{"sufficient": 5, "inspected": 500000000000000000000000000000}', "a whole number of cases, 1 to 1,000,000; found 5e+29"),
    ('{"sufficient": 5.5, "inspected": 50}', "a whole number of cases, 0 to 1,000,000; found 5.5"),
    ('{"sufficient": 2000000, "inspected": 2000000}', "a whole number of cases, 0 to 1,000,000; found 2000000"),
])
def test_a_count_that_is_not_whole_or_not_plausible_is_refused(tmp_path: Path, aggregate: str, words: str) -> None:
    path = write(tmp_path, "in.json", '{"unit": "U", "questions": {"2.4.1": ' + aggregate + '}}')
    result = invoke("rate", FRAMEWORK_2021, "--input", path)
    no_traceback(result)
    assert result.exit_code == 1
    assert words in result.stderr


# Numbers as JSON writers write them: ints, integral floats, fractions, huge and negative.
NUMBERS = st.one_of(
    st.integers(-5, 120), st.integers(-5, 120).map(float), st.integers(10**6 - 2, 10**31),
    st.floats(-1e40, 1e40, allow_nan=False), st.sampled_from([0.0, -0.0, 1e-9, 99.99999, 100.0, 100.5]),
)


def _aggregate() -> st.SearchStrategy[dict[str, Any]]:
    counts = st.fixed_dictionaries({"sufficient": NUMBERS, "inspected": NUMBERS},
                                   optional={"not_applicable": NUMBERS})
    return st.one_of(counts, st.fixed_dictionaries({"percentage": NUMBERS}))


DOCUMENTS = st.fixed_dictionaries(
    {"unit": st.just("U")},
    optional={
        "questions": st.dictionaries(st.sampled_from(["2.4.1", "2.4.2", "2.4.3", "2.2.1", "1.2.1"]), _aggregate(), max_size=4),
        "composites": st.fixed_dictionaries({"pdu-overall": st.fixed_dictionaries({"total": NUMBERS})}),
        "cases": st.lists(st.fixed_dictionaries(
            {"case": st.one_of(NUMBERS, st.text(max_size=3))},
            optional={"questions": st.dictionaries(st.sampled_from(["2.3.1", "2.3.2"]), st.sampled_from(["yes", "no", True]))},
        ), max_size=3),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_every_input_the_schema_accepts_is_rated_or_refused_with_a_message(unit: dict[str, Any]) -> None:
    # Through the JSON text, as a file is read: big integers become floats there.
    text = json.dumps(unit)
    rater = rater_2021()
    try:
        document = as_document(parse_json(text, "in.json"), "in.json")
        results = rater.rate_loaded(Loaded(document, Origins()))
    except InputError as error:
        assert error.problems and all(str(p) for p in error.problems)
        return
    assert rater.validator.is_valid(document)
    assert [r.unit for r in results] == ["U"]


# ---- 13.2 one computation of "what it would take to change this rating" ---------------------------

ONE_CASE = re.compile(
    r"judging (?P<how>one more case sufficient|one sufficient case insufficient) in (?P<question>\S+) "
    r"\((?P<sufficient>\d+)/(?P<inspected>\d+) = [^)]*\) would make the standard (?P<outcome>.+)$"
)
STEP = re.compile(r"^(?P<cases>\d+) (?P<way>more|fewer) sufficient cases? in (?P<question>\S+) would make it (?P<outcome>.+)$")
QUESTIONS = ("2.4.1", "2.4.2", "2.4.3")


def rate_counts(counts: dict[str, tuple[int, int]]) -> UnitResult:
    unit = {"unit": "U", "questions": {q: {"sufficient": s, "inspected": i} for q, (s, i) in counts.items()}}
    (result,) = rater_2021().rate_document({"units": [unit]})
    return result


def standard_words(result: UnitResult) -> tuple[StandardResult, str]:
    standard = next(s for s in result.standards if s.number == "2.4")
    grades = rater_2021().plan.scales[standard.scale or ""]
    low, high = (grades.rank(standard.verdict.possible[0]), grades.rank(standard.verdict.possible[-1]))
    return standard, outcome_words(grades, (low, high))


def claims(result: UnitResult) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The explanation's steps and the panel's one-case flags for standard 2.4, parsed."""
    standard, _ = standard_words(result)
    steps = [m.groupdict() for e in standard.explanation.because if (m := STEP.match(e.text))]
    flags = [m.groupdict() for f in result.panel_flags if f.kind == "one-case" and f.standard == "2.4"
             and (m := ONE_CASE.search(f.summary))]
    return steps, flags


COUNTS = st.tuples(st.integers(1, 12), st.integers(0, 12)).map(lambda p: (min(p[1], p[0]), p[0]))


@settings(max_examples=200, deadline=None)
@given(st.tuples(COUNTS, COUNTS, COUNTS))
def test_the_explanation_and_the_panel_flag_agree_and_are_true(counts: tuple[tuple[int, int], ...]) -> None:
    given_counts = dict(zip(QUESTIONS, counts, strict=True))
    result = rate_counts(given_counts)
    steps, flags = claims(result)
    # Every claim is true: make the change, rate again, and the standard is what was claimed.
    for claim in [*steps, *flags]:
        sufficient, inspected = given_counts[claim["question"]]
        if "how" in claim:
            changed = int(claim["sufficient"])
        else:
            changed = sufficient + int(claim["cases"]) * (1 if claim["way"] == "more" else -1)
        _, after = standard_words(rate_counts({**given_counts, claim["question"]: (changed, inspected)}))
        assert after == claim["outcome"], (given_counts, claim)
    # A one-case step in the explanation is the panel's one-case flag, with the same outcome.
    for step in steps:
        if step["cases"] == "1":
            how = "one more case sufficient" if step["way"] == "more" else "one sufficient case insufficient"
            assert any(f["how"] == how and f["question"] == step["question"] and f["outcome"] == step["outcome"]
                       for f in flags), (given_counts, step, flags)


def test_the_readme_example_no_longer_contradicts_itself() -> None:
    # 2.3.2 answered "no" in the README's one case record: 0% = 0/1.
    unit = {"unit": "U", "cases": [{"case": "C001", "questions": {"2.3.1": "yes", "2.3.2": "no", "2.3.3": "yes"}}]}
    (result,) = rater_2021().rate_document({"units": [unit]})
    planning = next(s for s in result.standards if s.number == "2.3")
    assert "1 more sufficient case in 2.3.2 would make it Outstanding" in planning.summary
    assert any("(1/1 = 100%) would make the standard Outstanding" in f.summary for f in result.panel_flags)
    assert planning.up is not None and planning.up.grade == "outstanding"


def test_a_rating_on_few_cases_carries_a_note() -> None:
    result = rate_counts({"2.4.1": (4, 4), "2.4.2": (3, 4), "2.4.3": (40, 50)})
    standard, _ = standard_words(result)
    note = "rests on few cases: 2.4.1 on 4 cases, 2.4.2 on 4 cases (fewer than 5; one case judged differently moves a key question by 25 points)"
    assert note in standard.summary
    assert standard.explanation.because[-1].text == note
    standard, _ = standard_words(rate_counts({"2.4.1": (5, 5), "2.4.2": (4, 5), "2.4.3": (40, 50)}))
    assert "few cases" not in standard.summary


# ---- 13.3 spreadsheet exports -------------------------------------------------------------------------


def rate_csv(tmp_path: Path, content: str | bytes, *extra: str) -> Any:
    path = tmp_path / "cases.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = invoke("rate", FRAMEWORK_2021, "--input", path, "--format", "json", *extra)
    no_traceback(result)
    return result


@pytest.mark.parametrize("content", ["unit,case,2.4.1\n", "unit,case,2.4.1\n\n,,\n", "unit,case\nPDU A,A1\n"])
def test_an_empty_export_fails_unless_expected(tmp_path: Path, content: str) -> None:
    result = rate_csv(tmp_path, content)
    assert result.exit_code == 1
    assert "--allow-empty" in result.stderr
    result = rate_csv(tmp_path, content, "--allow-empty")
    assert result.exit_code == 0, result.stderr


def test_answers_in_any_case_and_with_spaces(tmp_path: Path) -> None:
    result = rate_csv(tmp_path, "unit,case,case-type,2.4.1,2.4.2,2.4.3,2.4.1d\n"
                                "PDU,1,community,Yes, YES ,no,N/A\nPDU,2,post-custody, yes,no,Yes,No \n")
    assert result.exit_code == 0, result.stderr
    standard = next(s for s in json.loads(result.stdout)["units"][0]["standards"] if s["number"] == "2.4")
    assert [(q["sufficient"], q["inspected"]) for q in standard["questions"]] == [(2, 2), (1, 2), (1, 2)]
    assert standard["questions"][0]["prompts"] == [{"id": "implementation-and-delivery.1d", "number": "2.4.1d", "yes": 0, "no": 1, "not_applicable": 1}]


def test_a_bad_answer_is_still_shown_as_written(tmp_path: Path) -> None:
    result = rate_csv(tmp_path, "unit,case,2.4.1\nPDU,1,Yes\nPDU,2, Maybe\n")
    assert result.exit_code == 1
    assert "cases.csv line 3), column '2.4.1': expected yes or no" in result.stderr
    assert "found \" Maybe\"" in result.stderr


def test_semicolons_as_the_separator(tmp_path: Path) -> None:
    comma = rate_csv(tmp_path, "unit,case,2.4.1,2.4.2\nPDU,1,yes,no\nPDU,2,no,no\n")
    semicolon = rate_csv(tmp_path, "unit;case;2.4.1;2.4.2\nPDU;1;yes;no\nPDU;2;no;no\n")
    assert semicolon.exit_code == 0, semicolon.stderr
    assert semicolon.stdout == comma.stdout
    result = rate_csv(tmp_path, "unit;case;2.4.1\nPDU;1;yes\nPDU;2;maybe\n")
    assert "cases.csv line 3), column '2.4.1'" in result.stderr


@pytest.mark.parametrize(("encoding", "words", "line"), [
    ("utf-16", "this file looks UTF-16 encoded; save it as CSV UTF-8", 1),
    ("utf-16-le", "this file looks UTF-16 encoded; save it as CSV UTF-8", 1),
    ("cp1252", "this file looks Latin-1 (Windows-1252) encoded; save it as CSV UTF-8", 3),
])
def test_an_encoding_other_than_utf8_is_named_with_its_line(tmp_path: Path, encoding: str, words: str, line: int) -> None:
    result = rate_csv(tmp_path, "unit,case,2.4.1\nPDU A,1,yes\nPDU é,2,no\n".encode(encoding))
    assert result.exit_code == 1
    assert f"cases.csv line {line} column " in result.stderr
    assert words in result.stderr


# ---- 13.4 a rules file at the base framework's levels; a judged standard's own scale ------------------

CANDIDATE = FIXTURES / "candidate-overall-2021.precepts"


def pdu_unit() -> dict[str, Any]:
    good = {"sufficient": 36, "inspected": 50}
    return {"unit": "PDU", "standards": {"1.1": "outstanding", "1.2": "good", "1.3": "good", "1.4": "requires-improvement"},
            "judgements": {"diversity": "good"},
            "questions": {q: good for q in ("2.1.1", "2.2.1", "2.2.2", "2.2.3", "2.3.1", "2.3.2", "2.3.3",
                                            "2.4.1", "2.4.2", "2.4.3", "2.5.1", "2.5.2", "2.5.3")}}


def test_a_rules_file_names_the_base_frameworks_levels(tmp_path: Path) -> None:
    result = invoke("check", CANDIDATE)
    assert result.exit_code == 0, result.stdout
    path = write(tmp_path, "in.json", {"units": [pdu_unit()]})
    result = invoke("rate", FRAMEWORK_2021, "--input", path, "--what-if", CANDIDATE, "--format", "json")
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    (change,) = json.loads(result.stdout)["what_if"]["changes"]
    # 3 + 2 + 2 + 1 for domain one, 2 × 5 for domain two: 18, Good under the candidate bands.
    assert (change["id"], change["before"], change["after"]) == ("pdu-overall", "undetermined (Inadequate to Outstanding)", "Good (total 18)")


def test_a_rules_file_at_a_level_the_framework_lacks(tmp_path: Path) -> None:
    rules = write(tmp_path, "typo.precepts", CANDIDATE.read_text(encoding="utf-8").replace("at: pdu", "at: pud"))
    path = write(tmp_path, "in.json", {"units": [pdu_unit()]})
    result = invoke("rate", FRAMEWORK_2021, "--input", path, "--what-if", rules)
    no_traceback(result)
    assert result.exit_code == 1
    assert ("pdu-overall is placed at level 'pud', which is not a level of the framework; its levels are "
            "region, pdu, national (did you mean 'pdu'?)") in result.stderr


STATEMENTS = FIXTURES / "example-statement-scores.precepts"


def test_a_judged_standard_names_its_own_scale(tmp_path: Path) -> None:
    framework = load_framework(STATEMENTS)
    rater = Rater.for_framework(framework, None)
    (unit,) = rater.rate_document({"units": [{"unit": "S", "standards": {"1.1": "strong", "1.2": "exceptional", "1.3": "shortfalls"}}]})
    safe = unit.standards[0]
    assert (safe.scale, safe.verdict.grade) == ("statement", "strong")
    assert safe.explanation.because[0].text == ("rule: rated by judgement, on its own scale 'Statement scores' "
                                                "(Significant shortfalls to Exceptional)")
    (overall,) = unit.composites
    # (3 + 4 + 2) / 12 = 75%: Good on the overall scale.
    assert (overall.scale, overall.verdict.grade, overall.total) == ("rating", "good", (75, 75))
    assert [e.text for e in overall.explanation.because[1:4]] == [
        "1.1 Safe: Strong → 3", "1.2 Effective: Exceptional → 4", "1.3 Well-led: Shortfalls → 2"]
    # The input schema takes the standard's own grades, not the overall scale's.
    path = write(tmp_path, "in.json", {"unit": "S", "standards": {"1.1": "good"}})
    result = invoke("rate", STATEMENTS, "--input", path)
    assert result.exit_code == 1
    assert "expected 1.1 is rated by judgement: one of significant-shortfalls, shortfalls, strong, exceptional" in result.stderr


def test_scale_on_a_standard_rated_from_cases_is_refused(tmp_path: Path) -> None:
    text = STATEMENTS.read_text(encoding="utf-8").replace(
        "    rated: by judgement\n    scale: statement\n    question 1.1.1", "    rated: percentages only\n    scale: statement\n    question 1.1.1")
    result = invoke("check", write(tmp_path, "f.precepts", text))
    assert result.exit_code == 1
    assert "error M002 (invalid-value) 'scale:' names the scale of a standard rated by judgement" in result.stdout


# ---- 14.6 one diagnostic shape for every input --------------------------------------------------------

BAD_JSON = ('{"units": [\n  {"unit": "U",\n   "questions": {"2.4.1": {"sufficient": 51, "inspected": 50}},\n'
            '   "cases": [{"case": "C1", "questions": {"2.3.1": "maybe"}}]}\n]}\n')


def test_bad_input_is_reported_with_codes_lines_and_carets(tmp_path: Path) -> None:
    path = write(tmp_path, "in.json", BAD_JSON)
    result = invoke("rate", FRAMEWORK_2021, "--input", path)
    no_traceback(result)
    assert result.exit_code == 1
    assert f"{path}:4:52: error I002 (invalid-rating-input) unit 'U', case 'C1' (units[0].cases[0]), questions › 2.3.1" in result.stderr
    assert ' 4 |    "cases": [{"case": "C1", "questions": {"2.3.1": "maybe"}}]}\n' in result.stderr
    assert "   |" + " " * 52 + "^^^^^^^\n" in result.stderr
    # Once the schema is satisfied, the checks beyond it are findings too (I003), with their place.
    path = write(tmp_path, "in.json", BAD_JSON.replace('"maybe"', '"yes"'))
    result = invoke("rate", FRAMEWORK_2021, "--input", path)
    assert f"{path}:3:42: error I003 (inconsistent-rating-input) unit 'U' (units[0]), questions › 2.4.1: expected sufficient at most inspected (50); found 51" in result.stderr


def test_bad_csv_input_points_at_the_cell(tmp_path: Path) -> None:
    path = write(tmp_path, "cases.csv", "unit,case,2.4.1,2.4.2\nPDU,1,yes,yes\nPDU,2,yes,maybe\n")
    result = invoke("rate", FRAMEWORK_2021, "--input", path)
    assert f"{path}:3:11: error I002 (invalid-rating-input)" in result.stderr
    assert " 3 | PDU,2,yes,maybe\n   |           ^^^^^\n" in result.stderr


@pytest.mark.parametrize("output_format", ["json", "github", "sarif"])
def test_bad_input_in_every_report_format(tmp_path: Path, output_format: str) -> None:
    path = write(tmp_path, "in.json", BAD_JSON)
    result = invoke("rate", FRAMEWORK_2021, "--input", path, "--error-format", output_format)
    no_traceback(result)
    assert result.exit_code == 1
    if output_format == "json":
        document = json.loads(result.stdout)
        assert document["format"] == "precepts-diagnostics" and document["summary"]["errors"] == 1
        assert [(d["code"], d["name"], d["span"]["line"], d["span"]["column"]) for d in document["diagnostics"]] == [
            ("I002", "invalid-rating-input", 4, 52)]
    elif output_format == "github":
        assert f"::error file={path},line=4,col=52,endLine=4,endColumn=59,title=I002 (invalid-rating-input)::" in result.stdout
    else:
        run = json.loads(result.stdout)["runs"][0]
        assert [r["ruleId"] for r in run["results"]] == ["I002"]
        region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (4, 52)


def test_every_input_problem_has_an_input_code() -> None:
    from precepts.core.codes import BY_CODE

    for code in ("I001", "I002", "I003"):
        case = FIXTURES.parent / "checks" / code / "fail"
        rater = Rater.for_framework(load_framework(case / "main.precepts"), None)
        with pytest.raises(InputError) as caught:
            rater.rate_loaded(as_loaded(case / "input.json"))
        assert [p.code for p in caught.value.problems] == [code]
        assert all(BY_CODE[p.code].code.startswith("I") and p.where is not None for p in caught.value.problems)


def as_loaded(path: Path) -> Loaded:
    from precepts.ratings.documents import load_json_file

    return load_json_file(path)


def test_a_rule_case_file_error_is_a_finding(tmp_path: Path) -> None:
    from precepts.ratings.cases import CaseFileError, load_case_file

    path = write(tmp_path, "c.yaml", "framework: x.precepts\ncases:\n  - name: a\n    input: {unit: U}\n  - nme: b\n")
    with pytest.raises(CaseFileError) as caught:
        load_case_file(path)
    found = caught.value.diagnostic()
    assert (found.code, found.name, found.span.line if found.span else None) == ("I007", "invalid-rule-case-file", 3)


def test_the_framework_sets_how_few_cases_are_few(tmp_path: Path) -> None:
    few = FIXTURES / "example-few-cases.precepts"
    framework = load_framework(few)
    assert framework.bandings[0].few_cases == 10
    rater = Rater.for_framework(framework, None)
    (unit,) = rater.rate_document({"units": [{"unit": "U", "questions": {"1.1.1": {"sufficient": 6, "inspected": 8}}}]})
    assert unit.standards[0].summary.endswith(
        "rests on few cases: 1.1.1 on 8 cases (fewer than 10; one case judged differently moves it by 12.5 points)")
    (unit,) = rater.rate_document({"units": [{"unit": "U", "questions": {"1.1.1": {"sufficient": 8, "inspected": 10}}}]})
    assert "few cases" not in unit.standards[0].summary
    compiled = json.loads(invoke("compile", few).stdout)
    assert compiled["rating_rules"]["bandings"][0]["few_cases"] == 10
    result = invoke("check", write(tmp_path, "f.precepts", few.read_text(encoding="utf-8").replace("below 10", "below 0")))
    assert "error M002 (invalid-value) 'few cases: below N' needs N of at least 1" in result.stdout


def test_bad_input_in_a_rule_case_is_a_finding_in_its_yaml(tmp_path: Path) -> None:
    from precepts.ratings.cases import check_case, load_case_file

    framework = FIXTURES / "hmip-probation-2018.precepts"
    path = write(tmp_path, "c.yaml", f"framework: {framework}\nlevel: provider\ncases:\n  - name: bad\n    input:\n"
                                     "      unit: U\n      questions:\n        \"2.1.1\": {sufficient: 51, inspected: 50}\n"
                                     "    expected: {}\n")
    (case,) = load_case_file(path).cases
    (mismatch,) = check_case(case)
    assert mismatch.field == "input"
    assert mismatch.actual.startswith(f"{path}:8:31: I003 unit 'U' (units[0]), questions › 2.1.1: expected sufficient at most")
