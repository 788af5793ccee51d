"""JSON case records taken column by column (ratings/case_columns.py): the samples the
schema checks stand for every record, the counts are those of counting record by
record, and a unit's end guessed in the stream (ratings/streaming.py) changes nothing."""

from __future__ import annotations

import json
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import FRAMEWORK_2021

from precepts import api
from precepts.ratings import streaming
from precepts.ratings.case_columns import case_columns
from precepts.ratings.documents import InputText
from precepts.ratings.reading import _answer_counts
from precepts.ratings.run import Rater, Ratings, load_framework


@cache
def rater() -> Rater:
    return Rater.for_framework(load_framework(FRAMEWORK_2021), "pdu")


# Values the schema accepts, mostly, and now and then one it refuses, among them values
# Python takes as equal across types (1 == True == 1.0), which must not stand for one another.
PLAIN_ANSWERS = st.sampled_from(["yes", "no", "n/a", True, False])
ANSWERS = st.one_of(PLAIN_ANSWERS, PLAIN_ANSWERS, PLAIN_ANSWERS, st.sampled_from(["maybe", 1, 0, 1.0, None, ["yes"]]))
QUESTION_KEYS = st.sampled_from(["2.1.1", "court-work.1", "2.2.1", "2.1.1a", "bogus"])
PROMPT_KEYS = st.sampled_from(["2.4.1d", "implementation-and-delivery.1d", "2.1.1a", "2.1.1"])
PLAIN_CASE_TYPES = st.sampled_from(["community", "post-custody"])
CASE_TYPES = st.one_of(PLAIN_CASE_TYPES, PLAIN_CASE_TYPES, st.sampled_from(["custody", 1]))
REFERENCES = st.one_of(st.sampled_from(["C1", "C2", "C3"]), st.integers(0, 3), st.sampled_from([True, 1.5, None]))


@st.composite
def unit_cases(draw: st.DrawFn) -> list[Any]:
    """Records mostly of one layout (the fast way), each value drawn from a few for its
    field (so that one record in several may have a value refused), and now and then one
    record of another layout."""
    fields = draw(st.lists(st.sampled_from(["case", "attributes", "questions", "prompts", "prompts", "extra"]),
                           unique=True))
    pools: dict[tuple[str, str], list[Any]] = {("case", ""): draw(st.lists(REFERENCES, min_size=1, max_size=3))}
    for section, keys, values in (("questions", QUESTION_KEYS, ANSWERS), ("prompts", PROMPT_KEYS, ANSWERS),
                                  ("attributes", st.sampled_from(["case-type", "region"]), CASE_TYPES)):
        for key in draw(st.lists(keys, unique=True, max_size=3)):
            pools[(section, key)] = draw(st.lists(values, min_size=1, max_size=3))
    count = draw(st.integers(1, 12))
    records: list[Any] = []
    for _ in range(count):
        record: dict[str, Any] = {}
        for field in fields:
            if field == "case":
                record["case"] = draw(st.sampled_from(pools[("case", "")]))
            elif field == "extra":
                record[field] = "x"
            else:
                record[field] = {key: draw(st.sampled_from(pool)) for (section, key), pool in pools.items()
                                 if section == field}
        records.append(record)
    if draw(st.integers(0, 3)) == 0:
        index = draw(st.integers(0, count - 1))
        records[index] = draw(st.sampled_from([{}, {"questions": {"2.2.1": "yes"}}, {"questions": []}, "a record",
                                               {**records[index], "prompts": {"2.4.1d": "yes"}}]))
    return records


@settings(max_examples=400, deadline=None)
@given(unit_cases())
def test_the_samples_stand_for_every_record(cases: list[Any]) -> None:
    """The schema accepts the samples exactly when it accepts every record; the answers
    are counted as record by record, keys in the same order."""
    validator = rater().validator
    every = validator.is_valid({"units": [{"unit": "A", "cases": cases}]})
    columns = case_columns(cases)
    if columns is None:
        return  # read record by record, as before
    assert validator.is_valid({"units": [{"unit": "A", "cases": columns.samples(rater().plan)}]}) == every
    if every:
        for section in ("questions", "prompts"):
            counted = _answer_counts(cases, section)
            assert columns.counts.get(section, {}) == counted
            assert list(columns.counts.get(section, {})) == list(counted)


def test_the_usual_export_is_taken_by_columns() -> None:
    """The shape of an export (every record the same fields) goes the fast way, with a
    sample per distinct answer and per combination of attributes and conditional answer."""
    cases = [{"case": f"C{i}", "attributes": {"case-type": "post-custody" if i % 2 else "community"},
              "questions": {"2.1.1": "yes" if i % 3 else "no", "2.2.1": True},
              "prompts": {"2.4.1d": ("yes" if i % 4 == 1 else "no") if i % 2 else "n/a"}} for i in range(40)]
    columns = case_columns(cases)
    assert columns is not None
    assert columns.counts["questions"] == {("2.1.1", "no"): 14, ("2.1.1", "yes"): 26, ("2.2.1", True): 40}
    samples = columns.samples(rater().plan)
    assert samples[0] == cases[0]
    assert {"questions": {"2.1.1": "no"}} in samples and {"questions": {"2.2.1": True}} in samples
    assert {"attributes": {"case-type": "post-custody"}, "prompts": {"2.4.1d": "no"}} in samples
    assert {"attributes": {"case-type": "community"}, "prompts": {"2.4.1d": "n/a"}} in samples
    assert len(samples) == 1 + 2 + 3 + 3  # the first, attributes, answers, conditional combinations


def export(**later: Any) -> list[dict[str, Any]]:
    """Five records of an export, the first valid; the fourth with `later`'s fields."""
    cases = [{"case": f"C{i}", "attributes": {"case-type": "post-custody"}, "questions": {"2.1.1": "yes"},
              "prompts": {"2.4.1d": "no"}} for i in range(5)]
    cases[3] = {**cases[3], **later}
    return cases


@pytest.mark.parametrize("cases", [
    export(questions={"2.1.1": "maybe"}),  # an answer that is no answer
    export(questions={"2.1.1": "n/a"}),  # n/a for a key question that applies to every case
    export(attributes={"case-type": "custody"}),  # an attribute value the framework lacks
    export(prompts={"2.4.1d": "n/a"}),  # n/a where the case's attributes say the prompt applies
    export(attributes={"case-type": "community"}),  # the attributes say it does not, and it is answered
    export(questions={"2.1.1": "Yes"}),  # JSON answers are the words as written
])
def test_a_record_refused_after_the_first_is_found_by_the_samples(cases: list[dict[str, Any]]) -> None:
    validator = rater().validator
    assert validator.is_valid({"units": [{"unit": "A", "cases": cases[:3]}]})
    assert not validator.is_valid({"units": [{"unit": "A", "cases": cases}]})
    columns = case_columns(cases)
    assert columns is not None
    assert not validator.is_valid({"units": [{"unit": "A", "cases": columns.samples(rater().plan)}]})


@pytest.mark.parametrize("cases", [
    [{"questions": {"2.1.1": "yes"}}, {"questions": {"2.1.1": 1}}],  # 1 == True: not a sample of True
    [{"questions": {"2.1.1": True}}, {"questions": {"2.1.1": 1}}],
    [{"questions": {"2.1.1": "yes"}}, {"questions": {"2.2.1": "yes"}}],  # another name
    [{"case": "C1"}, {"case": 2.5}],
])
def test_records_the_columns_cannot_stand_for_are_read_one_by_one(cases: list[Any]) -> None:
    assert case_columns(cases) is None


def streamed_and_whole(path: Path) -> tuple[str | None, str]:
    framework = load_framework(FRAMEWORK_2021)
    streamed = streaming.rate_json_file(framework, path, "pdu", Fraction(5))
    whole = api.rate(framework, InputText(path.read_text(encoding="utf-8"), str(path)), level="pdu")
    return (Ratings(framework, *streamed).json() if streamed is not None else None), whole.json()


@pytest.mark.parametrize("trap", [False, True])
@pytest.mark.parametrize("block", [5, 300, 1 << 20])
def test_a_guessed_unit_end_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trap: bool,
                                            block: int) -> None:
    """Units that end with their records are cut where `]}` is followed by `,` or `]` and
    parsed with orjson; a case reference with `]},` in it makes the guess wrong, and the
    unit is decoded as before. The ratings are the same either way, in any blocks."""
    monkeypatch.setattr(streaming, "READ", block)
    units = []
    for u in range(4):
        records = [{"case": "odd]}, one" if trap and c == 3 else f"U{u}-{c}", "attributes": {"case-type": "community"},
                    "questions": {"2.1.1": "yes" if (c + u) % 3 else "no"}, "prompts": {"2.4.1d": "n/a"}}
                   for c in range(12)]
        units.append({"unit": f"PDU {u}", "questions": {"2.4.1": {"sufficient": 3, "inspected": 7}}, "cases": records})
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"level": "pdu", "units": units}, indent=1 if trap else None), encoding="utf-8")
    streamed, whole = streamed_and_whole(path)
    assert streamed == whole
