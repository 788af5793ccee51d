"""Reading rating input a block or a unit at a time (issue 15): the ratings and every
diagnostic are those of reading the whole file at once, however the blocks fall."""

from __future__ import annotations

import json
from collections import Counter
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import FRAMEWORK_2021, invoke, no_traceback

from precepts import api
from precepts.ratings import csv_input, streaming
from precepts.ratings.csv_input import read_columns
from precepts.ratings.documents import InputText
from precepts.ratings.inputs import InputError
from precepts.ratings.run import Rater, Ratings, load_framework

HEADER = "unit,case,case-type,2.1.1,2.2.1,2.4.1,2.4.1d"


@cache
def rater() -> Rater:
    return Rater.for_framework(load_framework(FRAMEWORK_2021), "pdu")


def csv_rows(count: int, units: int = 3, grouped: bool = False) -> list[str]:
    """Rows of case records; units interleaved unless `grouped`, answers varied, a few
    written 'Yes' or ' no ' (read as the words) and the conditional prompt n/a where the
    case is a community one."""
    rows = []
    for row in range(count):
        unit = row * units // count if grouped else row % units
        post_custody = row % 3 == 0
        answers = ["yes" if (row * (k + 2)) % 5 else "no" for k in range(3)]
        if row % 17 == 5:
            answers[1] = "Yes"
        if row % 23 == 7:
            answers[2] = " no "
        prompt = ("no" if row % 2 else "yes") if post_custody else "n/a"
        rows.append(f"PDU {unit},C{row},{'post-custody' if post_custody else 'community'},{','.join(answers)},{prompt}")
    return rows


def counted(text: str) -> Any:
    records = read_columns(text, "cases.csv", rater().plan)
    return (records.units, [(t.unit, t.cases, t.questions, t.prompts, t.attributes, t.unsettled, list(t.reference_hashes))
                            for t in records.tallies], records.samples, records.normalised)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.integers(1, 200), units=st.integers(1, 5), grouped=st.booleans(), block=st.integers(1, 40))
def test_csv_counts_do_not_depend_on_the_blocks(monkeypatch: pytest.MonkeyPatch, rows: int, units: int,
                                                grouped: bool, block: int) -> None:
    text = "\n".join([HEADER, *csv_rows(rows, units, grouped)]) + "\n"
    whole = counted(text)
    monkeypatch.setattr(csv_input, "BLOCK_CELLS", block)
    monkeypatch.setattr(csv_input, "BLOCK_ROWS_AT_LEAST", 1)
    assert counted(text) == whole


def test_a_quoted_line_break_across_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines are read in batches, but one csv reader reads them all: a quoted cell that
    runs over a line break is one cell, wherever the batch ends."""
    rows = csv_rows(40)
    rows[20] = rows[20].replace(",C20,", ',"C\n20",')
    text = "\n".join([HEADER, *rows]) + "\n"
    whole = counted(text)
    monkeypatch.setattr(csv_input, "LINES_READ", 7)
    monkeypatch.setattr(csv_input, "BLOCK_CELLS", 1)
    monkeypatch.setattr(csv_input, "BLOCK_ROWS_AT_LEAST", 1)
    assert counted(text) == whole
    assert sum(t[1] for t in whole[1]) == 40


def problems(path: Path) -> list[str]:
    """The findings of rating a file, as `precepts rate` reports them."""
    result = invoke("rate", FRAMEWORK_2021, "--input", path, "--error-format", "json")
    no_traceback(result)
    assert result.exit_code == 1, result.stdout
    return [f"{d['span']['file']}:{d['span']['line']}:{d['span']['column']}: {d['code']} {d['message']}"
            for d in json.loads(result.stdout)["diagnostics"]]


@pytest.mark.parametrize(("row", "replacement", "expected"), [
    (150, "PDU 1,C150,community,yes,no", "I004"),  # a row short of cells
    (151, ",C151,community,yes,no,yes,n/a", "I004"),  # a row without its unit
    (152, "PDU 1,C7,community,yes,no,yes,n/a", "I003"),  # a case reference given twice, 145 rows apart
    (153, "PDU 0,C153,community,maybe,no,yes,n/a", "I002"),  # an answer the schema refuses
])
def test_csv_problems_far_into_the_file_keep_their_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          row: int, replacement: str, expected: str) -> None:
    rows = csv_rows(300)
    rows[row] = replacement
    path = tmp_path / "cases.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    found = problems(path)
    assert any(f":{row + 2}:" in p and f" {expected} " in p for p in found), found
    monkeypatch.setattr(csv_input, "BLOCK_CELLS", 1)
    monkeypatch.setattr(csv_input, "BLOCK_ROWS_AT_LEAST", 1)
    assert problems(path) == found


def json_document(units: int = 4, cases: int = 30) -> dict[str, Any]:
    document: dict[str, Any] = {"format": "precepts-rating-input", "format_version": 1, "units": []}
    for u in range(units):
        records = [{"case": f"U{u}-{c}", "attributes": {"case-type": "community"},
                    "questions": {"2.1.1": "yes" if (c + u) % 3 else "no", "2.2.1": "no" if c % 4 else "yes"},
                    "prompts": {"2.4.1d": "n/a"}} for c in range(cases)]
        document["units"].append({"unit": f"PDU {u}", "cases": records,
                                  "questions": {"2.4.1": {"sufficient": 12 + u, "inspected": 40}}})
    document["units"].append({"unit": "Judged", "standards": {"1.1": "good"}, "questions": {"2.5.1": {"percentage": 62.5}}})
    document["level"] = "pdu"  # after the units, as a tool may write it
    return document


def streamed_and_whole(path: Path, level: str | None = None) -> tuple[str | None, str]:
    framework = load_framework(FRAMEWORK_2021)
    streamed = streaming.rate_json_file(framework, path, level, Fraction(5))
    whole = api.rate(framework, InputText(path.read_text(encoding="utf-8"), str(path)), level=level)
    if streamed is None:
        return None, whole.json()
    return Ratings(framework, *streamed).json(), whole.json()


@pytest.mark.parametrize("block", [1, 7, 100, 1 << 20])
def test_json_rated_a_unit_at_a_time_as_when_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        block: int) -> None:
    """Whatever the blocks the file is read in (one character at a time, so that every
    value, number and key is cut somewhere), the ratings are the same."""
    monkeypatch.setattr(streaming, "READ", block)
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(json_document(), indent=1), encoding="utf-8")
    streamed, whole = streamed_and_whole(path, level="pdu")
    assert streamed == whole


@pytest.mark.parametrize(("change", "reason"), [
    (lambda d: d, "the level is named after the units and not given"),
    (lambda d: {**d, "units": [*d["units"], d["units"][0]]}, "two units of one name"),
    (lambda d: {**d, "level": "national"}, "a level the units do not fit"),
    (lambda d: {**d, "units": [{**d["units"][0], "unit": "Caf\ud800"}]}, "a lone surrogate"),
])
def test_json_out_of_the_ordinary_is_read_whole(tmp_path: Path, change: Any, reason: str) -> None:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(change(json_document())), encoding="utf-8")
    framework = load_framework(FRAMEWORK_2021)
    assert streaming.rate_json_file(framework, path, None, Fraction(5)) is None, reason


@pytest.mark.parametrize("text", [
    '{"units": [{"unit": "A", "cases": [{"questions": {"2.1.1": "maybe"}}]}]}',  # refused by the schema
    '{"units": [{"unit": "A", "questions": {"2.4.1": {"sufficient": 9, "inspected": 4}}}]}',  # inconsistent
    '{"units": [{"unit": "A"}, {"unit": "A"}]}',  # one name twice
    '{"units": [{"unit": "A"}], "extra": 1}',  # a field after the units the schema refuses
    '{"units": [{"unit": "A"},]}',  # a syntax error
    '{"units": [{"unit": "A", "questions": {"2.4.1": {"percentage": NaN}}}]}',  # not JSON
    '{"units": [{"unit": "A"}]} trailing',  # text after the document
    '{"units": [{"unit": "A", "questions": {"2.4.1": {"sufficient": 5, "inspected": 500000000000000000000000000000}}}]}',
])
def test_json_problems_are_reported_as_when_read_whole(tmp_path: Path, text: str) -> None:
    path = tmp_path / "in.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as streamed_error:
        api.rate(FRAMEWORK_2021, path)
    with pytest.raises(InputError) as whole_error:
        api.rate(FRAMEWORK_2021, InputText(text, str(path)))
    assert streamed_error.value.problems == whole_error.value.problems
    assert [p.where for p in streamed_error.value.problems] == [p.where for p in whole_error.value.problems]


answer_sets = st.dictionaries(st.sampled_from(["2.1.1", "2.2.1", "2.4.1", "reviewing-1"]),
                              st.sampled_from(["yes", "no", "n/a", True, False]), max_size=4)


@given(st.lists(st.fixed_dictionaries({}, optional={"questions": answer_sets, "prompts": answer_sets}), max_size=30))
def test_answers_counted_key_by_key_as_pair_by_pair(cases: list[dict[str, Any]]) -> None:
    """Records that all answer the same keys are counted a key at a time; any others pair
    by pair. The counts, and the order keys are first met in, are the same."""
    from itertools import chain

    from precepts.ratings.reading import _answer_counts

    for section in ("questions", "prompts"):
        pairs = Counter(chain.from_iterable(a.items() for case in cases if (a := case.get(section))))
        counted = _answer_counts(cases, section)
        assert counted == pairs
        assert list(dict.fromkeys(key for key, _ in counted)) == list(dict.fromkeys(key for key, _ in pairs))
