"""The JSON output of `precepts rate --format json` against its JSON Schema,
core/schemas/precepts-ratings-2.schema.json (and, with --format-version 1, against
precepts-ratings-1.schema.json, kept for one release).

Real outputs — the 2021 framework from JSON and from CSV case records, the 2017 draft
and the 2018/19 fixture with composites scored and banded, --what-if runs, a key
question no case applies to, and every rule case under tests/rating_cases — pass the
schema under python-jsonschema and jsonschema-rs alike. Copies of them with a field
removed, a value outside a closed vocabulary, or the wrong version are refused, so a
tool that reads the output can rely on what the schema says.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
from support import FRAMEWORK_2021, FRAMEWORKS, TESTS, invoke, no_traceback

from precepts.core.formats import RATINGS, RATINGS_1
from precepts.ratings import output_json
from precepts.ratings.cases import RuleCase, case_files
from precepts.ratings.documents import as_document
from precepts.ratings.run import Rater, load_framework
from precepts.ratings.verdicts import (
    NOT_APPLICABLE,
    NOT_RATED,
    PERCENTAGES_ONLY,
    RATED,
    REPORTED_ELSEWHERE,
    UNDETERMINED,
)

SCHEMA_PATH = Path(__file__).parent.parent / "core" / "schemas" / RATINGS.file
FRAMEWORK_2017 = FRAMEWORKS / "hmip-probation-2017-draft.precepts"
FIXTURE_2018 = TESTS / "fixtures" / "ratings" / "hmip-probation-2018.precepts"
STATUSES = (RATED, UNDETERMINED, NOT_RATED, PERCENTAGES_ONLY, REPORTED_ELSEWHERE, NOT_APPLICABLE)
Document = dict[str, Any]


@cache
def schema() -> Document:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def rs_validator() -> Any:
    return jsonschema_rs.validator_for(schema())


def python_errors(instance: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema())
    return [f"{error.json_path}: {error.message[:300]}" for error in validator.iter_errors(instance)]


def assert_valid(instance: Any) -> None:
    assert python_errors(instance) == []
    assert rs_validator().is_valid(instance), [str(e)[:300] for e in rs_validator().iter_errors(instance)][:5]


def assert_invalid(instance: Any) -> None:
    assert python_errors(instance), "python-jsonschema accepted it"
    assert not rs_validator().is_valid(instance), "jsonschema-rs accepted it"


# ---- the schema itself ---------------------------------------------------------------------------------


def test_the_schema_passes_its_metaschema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema_rs.meta.validate(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema()["$id"] == "urn:precepts:schema:precepts-ratings:2"
    assert "format_version 2" in schema()["description"]
    assert schema()["properties"]["format"]["const"] == output_json.OUTPUT_FORMAT
    assert schema()["properties"]["format_version"]["const"] == output_json.OUTPUT_FORMAT_VERSION


def _properties(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                yield from ((f"{path}/properties/{name}", sub) for name, sub in value.items())
            yield from _properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{path}/{index}")


def test_every_property_of_the_output_is_described() -> None:
    """Outside the if/then conditions (which only narrow properties described above them)."""
    undescribed = [path for path, sub in _properties(schema())
                   if "/then/" not in path and "/if/" not in path and not (isinstance(sub, dict) and sub.get("description"))]
    assert undescribed == []


def test_the_verdict_statuses_are_those_of_the_engine() -> None:
    assert schema()["$defs"]["status"]["enum"] == list(STATUSES)


# ---- real outputs --------------------------------------------------------------------------------------


def _write(folder: Path, name: str, content: Any) -> Path:
    path = folder / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def _rate(*args: str | Path, version: int | None = None) -> Document:
    chosen = ("--format-version", str(version)) if version is not None else ()
    result = invoke("rate", *args, "--format", "json", *chosen)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _provider(unit: str = "Example NPS division", **extra: Any) -> dict[str, Any]:
    """A provider of the 2017/2018 scheme: judged domain-one standards, key-question results as counts and
    published percentages."""
    return {
        "unit": unit,
        "attributes": {"provider": "nps"},
        "standards": {"1.1": "good", "1.2": "good", "1.3": "requires-improvement", "1.4": {"rating": "good", "reason": "estates"}},
        "questions": {
            "2.1.1": {"sufficient": 40, "inspected": 50}, "2.1.2": {"sufficient": 40, "inspected": 50},
            "2.1.3": {"sufficient": 40, "inspected": 50, "not_applicable": 3},
            "2.2.1": {"percentage": 70}, "2.2.2": {"percentage": 70}, "2.2.3": {"percentage": 70},
            "2.3.1": {"sufficient": 45, "inspected": 50}, "2.3.2": {"sufficient": 41, "inspected": 50},
            "2.3.3": {"sufficient": 36, "inspected": 50},
            "2.4.1": {"percentage": 55}, "2.4.2": {"percentage": 70}, "2.4.3": {"percentage": 70},
            "3.1.1": {"percentage": 85}, "3.1.2": {"percentage": 85},
            "3.2.1": {"percentage": 85}, "3.2.2": {"percentage": 85}, "3.2.3": {"percentage": 85}, "3.2.4": {"percentage": 85},
        },
        **extra,
    }


def _crc() -> dict[str, Any]:
    """A CRC with one standard not rated (NR), a borderline percentage and a module left without results."""
    unit = _provider("Example CRC", attributes={"provider": "crc"}, standards={"1.1": "NR", "1.2": "good", "1.3": "good", "1.4": "good"})
    unit["questions"] = {k: v for k, v in unit["questions"].items() if not k.startswith("3.")}
    unit["questions"].update({"4.1.1": {"sufficient": 30, "inspected": 40}, "4.1.2": {"percentage": 79.5}})
    return unit


INPUT_2021 = {
    "format": "precepts-rating-input", "format_version": 1, "framework": "hmip-adult-2021", "level": "pdu",
    "units": [{
        "unit": "Example PDU",
        "standards": {"1.1": "outstanding", "1.2": "good", "1.3": "good", "1.4": {"rating": "requires-improvement", "reason": "ICT"}},
        "judgements": {"diversity": "inadequate"},
        "questions": {"2.4.1": {"sufficient": 45, "inspected": 50}, "2.4.2": {"sufficient": 41, "inspected": 50},
                      "2.4.3": {"sufficient": 36, "inspected": 50}, "2.2.1": {"percentage": 64.5}},
        "cases": [{"case": "C001", "attributes": {"case-type": "post-custody"},
                   "questions": {"2.3.1": "yes", "2.3.2": "no", "2.3.3": "yes"}, "prompts": {"2.4.1d": "yes"}}],
    }],
}

CSV_2021 = ("unit,case,case-type,2.4.1,2.4.2,2.4.3,2.4.1d\n"
            "PDU A,A1,community,yes,yes,yes,n/a\n"
            "PDU A,A2,post-custody,yes,no,yes,no\n"
            "PDU A,A3,community,no,yes,yes,\n"
            "PDU B,B1,post-custody,yes,yes,no,yes\n")

STRICTER_RULES = (
    "rules stricter\ntitle: Stricter bands\n\n"
    "scale rating: Rating levels\n  grade inadequate \"Inadequate\"\n  grade requires-improvement \"Requires improvement\"\n"
    "  grade good \"Good\"\n  grade outstanding \"Outstanding\"\n\n"
    "banding case-results: Stricter bands\n  scale: rating\n  rounding: half up to whole percent\n"
    "  band below 55% gives inadequate\n  band 55% to 69% gives requires-improvement\n"
    "  band 70% to 84% gives good\n  band 85% and above gives outstanding\n"
)

# A key question that applies only to post-custody cases, in a unit with community cases only.
NOT_APPLICABLE_FRAMEWORK = """framework example-not-applicable
title: A key question that applies to some cases only
status: draft
level service: Service inspection
attribute case-type: community, post-custody

scale grade: Grades
  grade poor "Poor"
  grade fine "Fine"

banding results: Share of cases
  scale: grade
  rounding: half up to whole percent
  band below 50% gives poor
  band 50% and above gives fine

composite overall: Overall
  scale: grade
  score: sum
  scores: poor 0, fine 1
  band 0 to 0 gives poor
  band 1 to 1 gives fine

domain 1 Work

  standard 1.1 Release
    text: Release is planned.
    rated: from cases using results

    question 1.1.1 Is release planned?
      applies to: case-type is post-custody
      a) Was the plan shared?

    question 1.1.2 Is the person seen?
      a) Were they seen promptly?
"""

NOT_APPLICABLE_CASES = {"units": [{"unit": "Service", "cases": [
    {"case": "1", "attributes": {"case-type": "community"}, "questions": {"1.1.1": "n/a", "1.1.2": "yes"},
     "prompts": {"1.1.1a": "n/a", "1.1.2a": "yes"}},
    {"case": "2", "attributes": {"case-type": "community"}, "questions": {"1.1.2": "no"}},
]}]}

OUTPUTS = ("2021 JSON case records", "2021 CSV case records", "2017 draft", "2018 fixture",
           "what-if rules", "what-if another framework", "key question not applicable")


def _outputs(folder: Path, version: int | None = None) -> dict[str, Document]:
    providers = _write(folder, "providers.json", {"units": [_provider(), _crc()]})
    judged = _write(folder, "judged.json", {"units": [{"unit": "PDU A", "standards": {"1.1": "outstanding"},
                                                       "judgements": {"diversity": "inadequate"}}]})
    draft_2017 = _write(folder, "providers-2017.json", {"units": [
        _provider(composites={"overall": {"total": 21}}),
        _provider("A division whose published total disagrees", composites={"overall": {"total": 18}}),
        _crc(),
        {"unit": "A provider with no results", "attributes": {"provider": "nps"}},
    ]})
    not_applicable = _write(folder, "not-applicable.precepts", NOT_APPLICABLE_FRAMEWORK)
    stricter = _write(folder, "stricter.precepts", STRICTER_RULES)
    return {
        "2021 JSON case records": _rate(FRAMEWORK_2021, "--input", _write(folder, "pdu.json", INPUT_2021), version=version),
        "2021 CSV case records": _rate(FRAMEWORK_2021, "--input", _write(folder, "cases.csv", CSV_2021), "--input", judged,
                                       version=version),
        "2017 draft": _rate(FRAMEWORK_2017, "--input", draft_2017, version=version),
        "2018 fixture": _rate(FIXTURE_2018, "--input", providers, version=version),
        "what-if rules": _rate(FIXTURE_2018, "--input", providers, "--what-if", stricter, version=version),
        "what-if another framework": _rate(FIXTURE_2018, "--input", providers, "--what-if", FRAMEWORK_2017, version=version),
        "key question not applicable": _rate(not_applicable, "--input", _write(folder, "cases.json", NOT_APPLICABLE_CASES),
                                             version=version),
    }


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    return _outputs(tmp_path_factory.mktemp("ratings-output"))


@pytest.fixture(scope="module")
def outputs_v1(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    return _outputs(tmp_path_factory.mktemp("ratings-output-v1"), version=1)


@pytest.mark.parametrize("name", OUTPUTS)
def test_version_1_is_still_written_on_request_and_passes_its_own_schema(outputs_v1: dict[str, Document], name: str) -> None:
    v1 = RATINGS_1.schema()
    document = outputs_v1[name]
    assert document["format_version"] == 1 and "numbers" not in document
    jsonschema.Draft202012Validator(v1).validate(document)
    assert jsonschema_rs.validator_for(v1).is_valid(document)
    assert not rs_validator().is_valid(document), "a version 1 document does not pass the version 2 schema"


@pytest.mark.parametrize("name", OUTPUTS)
def test_the_output_passes_the_schema(outputs: dict[str, Document], name: str) -> None:
    assert_valid(outputs[name])


def _all(document: Document, kind: str) -> list[dict[str, Any]]:
    return [item for unit in document["units"] for item in unit[kind]]


def _questions(document: Document) -> list[dict[str, Any]]:
    return [q for s in _all(document, "standards") for q in s["questions"]]


def test_the_outputs_cover_what_the_schema_describes(outputs: dict[str, Document]) -> None:
    """The outputs above hold each kind of element and value, so passing the schema means something."""
    everything = list(outputs.values())
    statuses = {s["status"] for d in everything for s in _all(d, "standards")}
    assert statuses == set(STATUSES)
    assert {q["evidence"] for d in everything for q in _questions(d)} == {"cases", "counts", "percentage", "none", "not-applicable"}
    assert {s["method"] for d in everything for s in _all(d, "standards")} >= {"cases", "judgement", "percentages-only", "elsewhere"}
    assert {f["kind"] for d in everything for f in _all(d, "panel_flags")} == {"near-boundary", "one-case"}
    assert any(f["distance"] < 0 for d in everything for f in _all(d, "panel_flags") if f["kind"] == "near-boundary")
    assert any(q["prompts"] for d in everything for q in _questions(d))
    assert any(s["next_grade"] and s["lower_grade"] for d in everything for s in _all(d, "standards"))
    assert any(h["changes"] for d in everything for h in _all(d, "hurdles"))
    assert {j["status"] for d in everything for j in _all(d, "judgements")} >= {RATED}

    draft = _all(outputs["2017 draft"], "composites")
    assert [c["status"] for c in draft] == [RATED, RATED, UNDETERMINED, UNDETERMINED]
    scored = draft[0]
    assert (scored["total"], scored["total_range"], scored["maximum"], scored["given_total"]) == (
        21.0, {"lower": 21.0, "upper": 21.0}, 30.0, 21.0)
    assert scored["band"]["range"] == "16–25" and scored["next_band"] == {"grade": "outstanding", "points": 5}
    assert draft[1]["notes"], "a published total that disagrees is noted"
    assert draft[2]["left_out"] and draft[2]["total"] is None and draft[2]["total_range"]["lower"] < draft[2]["total_range"]["upper"]

    changes = outputs["what-if rules"]["what_if"]["changes"]
    assert {(c["kind"], c["id"]) for c in changes} >= {("standard", "assessment"), ("composite", "provider-overall")}
    assert "what_if" in outputs["what-if another framework"]
    assert all("what_if" not in outputs[name] for name in OUTPUTS if not name.startswith("what-if"))
    assert outputs["2021 CSV case records"]["summary"]["units"] == 2


# ---- every rule case, rendered by output_json ----------------------------------------------------------

RULE_CASES = [case for case_file in case_files(TESTS / "rating_cases") for case in case_file.cases]


@cache
def _rater(framework: Path, level: str | None) -> Rater:
    return Rater.for_framework(load_framework(framework), level)


def rule_case_document(case: RuleCase) -> Document:
    rater = _rater(case.framework, case.level)
    results = rater.rate_document(as_document(copy.deepcopy(case.input), case.name))
    data = output_json.document(rater.plan.framework, rater.plan.level, results, rater.plan.scales)
    return json.loads(output_json.dumps(data))


def test_the_rule_cases_are_found() -> None:
    assert len(RULE_CASES) >= 40
    assert {case.framework.name for case in RULE_CASES} >= {"hmip-adult-2021.precepts", "hmip-probation-2018.precepts"}


@pytest.mark.parametrize("case", RULE_CASES, ids=[f"{c.file.stem}-{i}" for i, c in enumerate(RULE_CASES)])
def test_every_rule_case_output_passes_the_schema(case: RuleCase) -> None:
    document = rule_case_document(case)
    assert document["units"], case.name
    assert_valid(document)


# ---- broken copies are refused -------------------------------------------------------------------------


def _first_standard(document: Document, status: str | None = None) -> dict[str, Any]:
    return next(s for s in _all(document, "standards") if status is None or s["status"] == status)


def _set(getter: Callable[[Document], dict[str, Any]], key: str, value: Any) -> Callable[[Document], None]:
    def breaking(document: Document) -> None:
        getter(document)[key] = value
    return breaking


def _drop(getter: Callable[[Document], dict[str, Any]], key: str) -> Callable[[Document], None]:
    def breaking(document: Document) -> None:
        del getter(document)[key]
    return breaking


BREAKAGES: list[tuple[str, str, Callable[[Document], None]]] = [
    ("document missing units", "2021 JSON case records", _drop(lambda d: d, "units")),
    ("unit missing standards", "2021 JSON case records", _drop(lambda d: d["units"][0], "standards")),
    ("standard status not allowed", "2021 JSON case records", _set(_first_standard, "status", "good")),
    ("standard status misspelt", "2018 fixture", _set(_first_standard, "status", "not_applicable")),
    ("format_version 1", "2018 fixture", _set(lambda d: d, "format_version", 1)),
    ("format_version as a string", "2018 fixture", _set(lambda d: d, "format_version", "2")),
    ("band without its numbers", "2018 fixture", _drop(lambda d: next(q for q in _questions(d) if q["band"])["band"], "lower")),
    ("boundary as text", "2018 fixture",
     _set(lambda d: next(f for f in _all(d, "panel_flags") if f["kind"] == "near-boundary"), "boundary", "65%")),
    ("a status count as text", "2018 fixture", _set(lambda d: d["units"][0]["counts"]["by_status"], "rated", "2")),
    ("a grade counted as a standard's status", "2018 fixture", _set(lambda d: d["units"][0]["counts"]["by_status"], "good", 1)),
    ("a grade counted as a status", "2017 draft",
     _set(lambda d: d["summary"]["composites"]["overall"]["by_status"], "good", 1)),
    ("another format", "2018 fixture", _set(lambda d: d, "format", "precepts-diff")),
    ("standard method unknown", "2018 fixture", _set(_first_standard, "method", "by-panel")),
    ("key question evidence unknown", "2018 fixture", _set(lambda d: _questions(d)[0], "evidence", "survey")),
    ("panel flag kind unknown", "2018 fixture", _set(lambda d: _all(d, "panel_flags")[0], "kind", "close-call")),
    ("composite score method unknown", "2017 draft", _set(lambda d: _all(d, "composites")[0], "score_method", "median")),
    ("what-if change kind unknown", "what-if rules", _set(lambda d: d["what_if"]["changes"][0], "kind", "question")),
    ("what-if missing changes", "what-if rules", _drop(lambda d: d["what_if"], "changes")),
    ("rated standard without a grade", "2018 fixture", _set(lambda d: _first_standard(d, RATED), "grade", None)),
    ("standard not applicable with a grade", "2018 fixture",
     _set(lambda d: _first_standard(d, NOT_APPLICABLE), "possible", ["good"])),
    ("near-boundary flag without its boundary", "2018 fixture",
     _set(lambda d: next(f for f in _all(d, "panel_flags") if f["kind"] == "near-boundary"), "boundary", None)),
    ("key question without a result with counts", "2017 draft",
     _set(lambda d: next(q for q in _questions(d) if q["evidence"] == "none"), "sufficient", 3)),
    ("explanation without text", "2021 JSON case records", _drop(lambda d: _first_standard(d)["explanation"], "text")),
    ("framework sha256 not a digest", "2021 JSON case records", _set(lambda d: d["framework"], "sha256", "da9d")),
    ("hurdle fired as a word", "2021 JSON case records", _set(lambda d: _all(d, "hurdles")[0], "fired", "yes")),
    ("percentage as a string", "2018 fixture", _set(lambda d: _questions(d)[0], "percentage", "80")),
]


@pytest.mark.parametrize(("source", "breaking"), [pytest.param(s, b, id=name) for name, s, b in BREAKAGES])
def test_a_broken_copy_of_a_valid_output_is_refused(outputs: dict[str, Document], source: str,
                                                    breaking: Callable[[Document], None]) -> None:
    document = copy.deepcopy(outputs[source])
    assert_valid(document)
    breaking(document)
    assert_invalid(document)


# Objects whose keys are names (of composites, grades, attributes), and fields that may be absent.
MAPS = {("summary", "composites"), ("summary", "composites", "*", "by_grade"), ("units", "[]", "attributes")}
OPTIONAL = {("what_if",)}


def _fields(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], dict[str, Any], str]]:
    """(path with list indexes as '[]' and map keys as '*', the object, the key) for every field."""
    if isinstance(node, dict):
        for key, value in node.items():
            step = "*" if path in MAPS else key
            yield (*path, step), node, key
            yield from _fields(value, (*path, step))
    elif isinstance(node, list):
        for item in node:
            yield from _fields(item, (*path, "[]"))


@pytest.mark.parametrize("name", ["2021 JSON case records", "2017 draft", "what-if rules", "key question not applicable"])
def test_removing_any_field_is_refused(outputs: dict[str, Document], name: str) -> None:
    """Every field the output writes is required, except entries of maps and the fields listed optional:
    a field removed or renamed fails validation (jsonschema-rs; python-jsonschema checks the fixed cases above)."""
    document = copy.deepcopy(outputs[name])
    removed: set[tuple[str, ...]] = set()
    accepted = []
    for path, holder, key in list(_fields(document)):
        if path in removed or path in OPTIONAL or path[-1] == "*":
            continue
        removed.add(path)
        value = holder.pop(key)
        if rs_validator().is_valid(document):
            accepted.append(".".join(path))
        holder[key] = value
    assert len(removed) > 100
    assert accepted == []
    assert_valid(document)
