"""The JSON Schemas a build writes: each passes its metaschema, each JSON artefact passes
the schema the index names for it, and assessment records — the conditional prompts
above all — are accepted or refused as the framework's rules say, by python-jsonschema
and by jsonschema-rs alike."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
from support import FRAMEWORK_2021, FRAMEWORKS, REPO_ROOT, compiled, invoke
from test_build_fixtures import SHIPPED, artefacts, hostile_build, read_json, shipped_build

DRAFT = "https://json-schema.org/draft/2020-12/schema"
Validate = Callable[[dict[str, Any], Any], bool]


def _python_jsonschema(schema: dict[str, Any], instance: Any) -> bool:
    return jsonschema.Draft202012Validator(schema).is_valid(instance)


def _jsonschema_rs(schema: dict[str, Any], instance: Any) -> bool:
    return jsonschema_rs.validator_for(schema).is_valid(instance)


VALIDATORS = [pytest.param(_python_jsonschema, id="python-jsonschema"), pytest.param(_jsonschema_rs, id="jsonschema-rs")]


# ---- every schema and every document -----------------------------------------------------


def test_every_emitted_schema_passes_its_metaschema() -> None:
    checked = 0
    for output in (shipped_build(), hostile_build()):
        for entry in artefacts(output):
            if entry["schema"] != DRAFT:
                continue
            schema = read_json(output / entry["path"])
            assert schema["$schema"] == DRAFT
            assert schema["$id"] == entry["id"]
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema_rs.meta.validate(schema)
            checked += 1
    assert checked >= 12


@pytest.mark.parametrize("validate", VALIDATORS)
def test_every_json_artefact_passes_the_schema_the_index_names(validate: Validate) -> None:
    index = read_json(shipped_build() / "index.json")
    assert validate(read_json(shipped_build() / "schemas" / "precepts-build-index-1.schema.json"), index)
    named = [e for e in artefacts(shipped_build()) if e["schema"] and e["schema"].startswith("schemas/")]
    assert {e["kind"] for e in named} >= {"compiled-framework", "case-assessment-form", "questionnaire-form"}
    for entry in named:
        schema = read_json(shipped_build() / entry["schema"])
        assert validate(schema, read_json(shipped_build() / entry["path"])), entry["path"]


def test_the_index_lists_every_file_with_its_sha256() -> None:
    listed = {e["path"]: e["sha256"] for e in artefacts(shipped_build())}
    on_disk = {p.relative_to(shipped_build()).as_posix() for p in shipped_build().rglob("*") if p.is_file()}
    assert on_disk == {*listed, "index.json"}
    for path, sha256 in listed.items():
        assert hashlib.sha256((shipped_build() / path).read_bytes()).hexdigest() == sha256, path
    index = read_json(shipped_build() / "index.json")
    assert [f["id"] for f in index["frameworks"]] == sorted(SHIPPED)
    adult = next(f for f in index["frameworks"] if f["id"] == "hmip-adult-2021")
    assert adult["version"] == "May 2021"
    assert [level["id"] for level in adult["levels"]] == ["region", "pdu", "national"]
    pdu = next(level for level in adult["levels"] if level["id"] == "pdu")
    assert sorted(e["kind"] for e in pdu["artefacts"]) == [
        "assessment-record-schema", "case-assessment-form", "case-assessment-xlsform", "lead-inspector-record-schema",
        "rating-input-schema",
    ]


# ---- the compiled framework ----------------------------------------------------------------


def test_the_compiled_framework_is_the_output_of_precepts_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    compiled = invoke("compile", FRAMEWORK_2021.relative_to(REPO_ROOT))
    assert compiled.exit_code == 0
    written = (shipped_build() / "hmip-adult-2021" / "framework.json").read_text(encoding="utf-8")
    assert written == compiled.stdout
    document = json.loads(written)
    assert document["format_version"] == 1
    assert document["source_file"]["path"] == "frameworks/hmip-adult-2021.precepts"
    assert document["source_file"]["sha256"] == hashlib.sha256(FRAMEWORK_2021.read_bytes()).hexdigest()


RENUMBERED = """\
framework renumbering
level unit: Unit
scale rating: Rating
  grade good "Good"
domain {domain} Domain
  at: unit
{first}  standard {domain}.{n} Planning
    text: Planning is good.
    rated: by judgement
    question {domain}.{n}.1 Is planning good?
      a) Is the plan written?
      b) Is the plan followed?
"""
INSERTED = """\
  standard {domain}.1 Assessment
    text: Assessment is good.
    rated: by judgement
    question {domain}.1.1 Is assessment good?
      a) Is the assessment written?
"""


def _ids(document: dict[str, Any], heading: str) -> list[str]:
    standard = next(s for d in document["domains"] for s in d["standards"] if s["heading"] == heading)
    return [standard["id"]] + [i for q in standard["questions"] for i in (q["id"], *(p["id"] for p in q["prompts"]))]


def test_ids_are_stable_across_renumbering(tmp_path: Path) -> None:
    before = tmp_path / "before.precepts"
    after = tmp_path / "after.precepts"
    before.write_text(RENUMBERED.format(domain=1, n=1, first=""), encoding="utf-8")
    # Planning moves from 1.1 to 1.2: a standard is inserted before it.
    after.write_text(RENUMBERED.format(domain=1, n=2, first=INSERTED.format(domain=1)), encoding="utf-8")
    old, new = (json.loads(invoke("compile", path).stdout) for path in (before, after))
    assert _ids(old, "Planning") == _ids(new, "Planning")
    numbers = [q["number"] for d in new["domains"] for s in d["standards"] for q in s["questions"]]
    assert numbers == ["1.1.1", "1.2.1"]


# ---- assessment records ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def record_schema() -> dict[str, Any]:
    return read_json(shipped_build() / "hmip-adult-2021" / "pdu" / "assessment-record.schema.json")  # type: ignore[no-any-return]


CONDITIONAL = "implementation-and-delivery.1d"  # 2.4.1d, post-custody cases only


def full_record(schema: dict[str, Any], case_type: str) -> dict[str, Any]:
    """A complete record: every key question yes, every prompt that applies no."""
    prompts = {key: "no" for key in schema["properties"]["prompts"]["properties"]}
    if case_type != "post-custody":
        del prompts[CONDITIONAL]
    return {
        "format": "precepts-assessment-record",
        "format_version": 1,
        "framework": "hmip-adult-2021",
        "level": "pdu",
        "case": "C001",
        "attributes": {"case-type": case_type},
        "questions": {key: "yes" for key in schema["properties"]["questions"]["properties"]},
        "prompts": prompts,
    }


def changed(record: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    copied = copy.deepcopy(record)
    change(copied)
    return copied


def test_the_record_schema_names_every_pdu_case_prompt(record_schema: dict[str, Any]) -> None:
    prompts = record_schema["properties"]["prompts"]
    assert prompts["properties"][CONDITIONAL]["title"] == "2.4.1d"
    assert CONDITIONAL not in prompts["required"]
    assert "court-work.1a" in prompts["required"]
    # Domain two at PDU level: 2.1 to 2.7; domain one is judged, not assessed case by case.
    questions = {q["title"] for q in record_schema["properties"]["questions"]["properties"].values()}
    assert {"2.1.1", "2.4.1", "2.7.3"} <= questions and not any(n.startswith("1.") for n in questions)
    [rule] = record_schema["allOf"]
    assert rule["if"]["properties"]["attributes"]["properties"]["case-type"] == {"const": "post-custody"}
    assert rule["then"]["properties"]["prompts"]["required"] == [CONDITIONAL]


def _set(section: str, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(record: dict[str, Any]) -> None:
        record[section][key] = value

    return change


def _drop(section: str, key: str) -> Callable[[dict[str, Any]], None]:
    def change(record: dict[str, Any]) -> None:
        del record[section][key]

    return change


VALID = {
    "post-custody case answers 2.4.1d": ("post-custody", None),
    "community case leaves 2.4.1d out": ("community", None),
    "community case answers 2.4.1d n/a": ("community", _set("prompts", CONDITIONAL, "n/a")),
}
INVALID = {
    "post-custody case leaves 2.4.1d out": ("post-custody", _drop("prompts", CONDITIONAL)),
    "post-custody case answers 2.4.1d n/a": ("post-custody", _set("prompts", CONDITIONAL, "n/a")),
    "community case answers 2.4.1d yes": ("community", _set("prompts", CONDITIONAL, "yes")),
    "community case answers 2.4.1d no": ("community", _set("prompts", CONDITIONAL, "no")),
    "a prompt for every case answered n/a": ("community", _set("prompts", "court-work.1a", "n/a")),
    "a prompt left out": ("community", _drop("prompts", "court-work.1a")),
    "a key question left out": ("post-custody", _drop("questions", "reviewing.3")),
    "a key question answered maybe": ("post-custody", _set("questions", "reviewing.3", "maybe")),
    "a prompt the framework does not have": ("community", _set("prompts", "court-work.1z", "yes")),
    "a domain-one prompt, judged not assessed by case": ("community", _set("prompts", "leadership.pdu.1a", "yes")),
    "an unknown case type": ("custody", None),
    "no case type": ("community", lambda r: r["attributes"].clear()),
    "another framework": ("community", lambda r: r.update(framework="hmip-probation-2017-draft")),
    "no case reference": ("community", lambda r: r.pop("case")),
}


@pytest.mark.parametrize("validate", VALIDATORS)
@pytest.mark.parametrize("name", VALID)
def test_valid_records_are_accepted(record_schema: dict[str, Any], validate: Validate, name: str) -> None:
    case_type, change = VALID[name]
    record = full_record(record_schema, case_type)
    assert validate(record_schema, changed(record, change) if change else record)


@pytest.mark.parametrize("validate", VALIDATORS)
@pytest.mark.parametrize("name", INVALID)
def test_invalid_records_are_refused(record_schema: dict[str, Any], validate: Validate, name: str) -> None:
    case_type, change = INVALID[name]
    record = full_record(record_schema, "community" if case_type == "custody" else case_type)
    if case_type == "custody":
        record["attributes"]["case-type"] = "custody"
    assert not validate(record_schema, changed(record, change) if change else record)


@pytest.mark.parametrize("validate", VALIDATORS)
def test_conditions_are_inherited_from_the_domain(validate: Validate) -> None:
    """2017 draft: domain 3 applies to NPS cases only, domain 4 to CRC cases only."""
    schema = read_json(shipped_build() / "hmip-probation-2017-draft" / "provider" / "assessment-record.schema.json")
    questions = schema["properties"]["questions"]["properties"]
    prompts = schema["properties"]["prompts"]["properties"]

    def record(provider: str, domains: tuple[str, ...]) -> dict[str, Any]:
        keep_q = [k for k, v in questions.items() if v["title"].split(".")[0] in domains]
        keep_p = [k for k, v in prompts.items() if v["title"].split(".")[0] in domains]
        return {
            "format": "precepts-assessment-record", "format_version": 1, "framework": "hmip-probation-2017-draft",
            # A post-custody case, so that the prompts for post-custody cases apply too.
            "level": "provider", "case": "7", "attributes": {"provider": provider, "case-type": "post-custody"},
            "questions": dict.fromkeys(keep_q, "yes"), "prompts": dict.fromkeys(keep_p, "yes"),
        }

    assert validate(schema, record("nps", ("2", "3")))
    assert validate(schema, record("crc", ("2", "4")))
    assert not validate(schema, record("nps", ("2",)))  # NPS cases answer domain 3
    assert not validate(schema, record("nps", ("2", "3", "4")))  # and may not answer domain 4


@pytest.mark.parametrize("validate", VALIDATORS)
def test_a_record_is_a_case_of_precepts_rate_input(record_schema: dict[str, Any], validate: Validate) -> None:
    """The record's case, attributes, questions and prompts are a rating-input case as they stand."""
    rate_schema = read_json(shipped_build() / "hmip-adult-2021" / "pdu" / "rating-input.schema.json")
    record = full_record(record_schema, "post-custody")
    case = {key: record[key] for key in ("case", "attributes", "questions", "prompts")}
    document = {"framework": "hmip-adult-2021", "level": "pdu", "units": [{"unit": "PDU", "cases": [case]}]}
    assert validate(rate_schema, document)
    case["prompts"]["2.4.1d"] = case["prompts"].pop("implementation-and-delivery.1d")  # a prompt's number is its other name
    assert validate(rate_schema, document)
    case["prompts"]["implementation-and-delivery.1d"] = "yes"
    assert not validate(rate_schema, document), "one answer per prompt, under one name"


@pytest.mark.parametrize(("framework", "level"), [
    ("hmip-adult-2021", "pdu"), ("hmip-probation-2017-draft", "provider"), ("hmip-domain-one-characteristics-2018", "all"),
])
def test_the_rating_input_schema_is_what_precepts_rate_takes(framework: str, level: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    printed = invoke("rate", f"frameworks/{framework}.precepts", "--schema", "--level", level)
    assert printed.exit_code == 0, printed.stderr
    assert read_json(shipped_build() / framework / level / "rating-input.schema.json") == json.loads(printed.stdout)


def test_the_rating_input_schema_is_written_only_where_the_framework_rates() -> None:
    index = read_json(shipped_build() / "index.json")
    written = {(f["id"], lv["id"]) for f in index["frameworks"] for lv in f["levels"]
               for a in lv["artefacts"] if a["kind"] == "rating-input-schema"}
    assert written == {("hmip-adult-2021", "pdu"), ("hmip-probation-2017-draft", "provider"),
                       ("hmip-domain-one-characteristics-2018", "all")}


# ---- the lead inspector's record -----------------------------------------------------------


@pytest.fixture(scope="module")
def lead_schema() -> dict[str, Any]:
    return read_json(shipped_build() / "hmip-adult-2021" / "pdu" / "lead-inspector-record.schema.json")  # type: ignore[no-any-return]


def lead_record(leadership: str, diversity: str) -> dict[str, Any]:
    def entry(rating: str, about: str | None = None) -> dict[str, Any]:
        note: dict[str, Any] = {"note": "Staff survey and interviews with the PDU leadership team."}
        if about:
            note["about"] = about
        return {"evidence": [note], "proposed_rating": rating}

    return {
        "format": "precepts-lead-inspector-record", "format_version": 1, "framework": "hmip-adult-2021",
        "level": "pdu", "unit": "Example PDU",
        "standards": {
            "leadership": entry(leadership, "leadership.pdu.1e"),
            "staffing": entry("good"),
            "services": entry("requires-improvement", "services.pdu.2"),
            "information-and-facilities": entry("good"),
        },
        "judgements": {"diversity": entry(diversity)},
    }


@pytest.mark.parametrize("validate", VALIDATORS)
def test_lead_inspector_records(lead_schema: dict[str, Any], validate: Validate) -> None:
    assert validate(lead_schema, lead_record("outstanding", "good"))
    assert validate(lead_schema, lead_record("good", "inadequate"))
    # The hurdle: a PDU judged inadequate on diversity cannot be outstanding on leadership.
    assert not validate(lead_schema, lead_record("outstanding", "inadequate"))
    assert not validate(lead_schema, lead_record("excellent", "good"))
    no_evidence = lead_record("good", "good")
    no_evidence["standards"]["staffing"]["evidence"] = []
    assert not validate(lead_schema, no_evidence)
    wrong_place = lead_record("good", "good")
    wrong_place["standards"]["staffing"]["evidence"][0]["about"] = "leadership.pdu.1a"  # another standard's prompt
    assert not validate(lead_schema, wrong_place)
    missing = lead_record("good", "good")
    del missing["standards"]["services"]
    assert not validate(lead_schema, missing)


def test_rating_characteristics_guide_each_grade() -> None:
    schema = read_json(shipped_build() / "hmip-domain-one-characteristics-2018" / "all"
                       / "lead-inspector-record.schema.json")
    options = schema["properties"]["standards"]["properties"]["leadership"]["properties"]["proposed_rating"]["oneOf"]
    by_grade = {o["const"]: o for o in options}
    assert list(by_grade) == ["inadequate", "requires-improvement", "good", "outstanding"]
    assert by_grade["outstanding"]["title"] == "Outstanding"
    assert by_grade["outstanding"]["description"].startswith(
        "The leadership of the organisation fully supports and promotes the delivery")
    leadership = next(s for s in compiled(FRAMEWORKS / "hmip-domain-one-characteristics-2018.precepts").standards()
                      if s.id == "leadership")
    paragraphs = [c.text for c in leadership.characteristics if c.grade == "inadequate"]
    assert by_grade["inadequate"]["description"].split("\n\n") == paragraphs
