"""A validated input document → one `UnitInput` per unit.

JSON case records are tallied per key question and prompt (yes, no, n/a) with one
`Counter` update per record; CSV records arrive already counted (csv_input.py). The
checks the JSON Schema cannot express are made here, each reported with the record, the
field and what was expected: sufficient ≤ inspected; one name per key question; a key
question given both as case records and as counts; answers for standards that do not
apply to the unit; and n/a where applicability depends on the unit's attributes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from fractions import Fraction
from functools import partial
from itertools import chain, repeat
from operator import contains, itemgetter
from typing import Any

from precepts.compiler.conditions import attributes_used, describe, holds_for
from precepts.ratings.case_columns import CaseColumns, case_columns
from precepts.ratings.csv_input import CaseTallies, CsvRecords
from precepts.ratings.gcpause import paused_gc
from precepts.ratings.inputs import (
    NOT_RATED_WORDS,
    Evidence,
    Given,
    InputError,
    InputProblem,
    Tally,
    UnitInput,
    Where,
    whole,
)
from precepts.ratings.numbers import exact
from precepts.ratings.plan import LevelPlan, PromptPlan, QuestionPlan
from precepts.ratings.validation import Origins, field_words

ANSWERS = {"yes": "yes", True: "yes", "no": "no", False: "no", "n/a": "n/a"}


def read_units(plan: LevelPlan, document: Mapping[str, Any], origins: Origins | None = None,
               counted: Mapping[int, list[CaseTallies]] | None = None) -> list[UnitInput]:
    """The units of a validated document; `counted` holds case records already counted
    (from CSV), by unit index."""
    with paused_gc():
        return _read_units(plan, document, origins or Origins(), counted or {})


def _read_units(plan: LevelPlan, document: Mapping[str, Any], origins: Origins,
                counted: Mapping[int, list[CaseTallies]]) -> list[UnitInput]:
    problems: list[InputProblem] = []
    units: list[UnitInput] = []
    seen: dict[str, int] = {}
    for index, unit in enumerate(document.get("units", [])):
        name = unit["unit"]
        record = f"unit '{name}' ({origins.unit(index)})"
        if name in seen:
            problems.append(InputProblem(record, "unit", f"a name no other unit has (units[{seen[name]}] is also '{name}')", repr(name),
                                         where=origins.where(index, None, ["unit"])))
            continue
        seen[name] = index
        units.append(_read_unit(plan, unit, index, record, origins, counted.get(index, []), problems))
    if problems:
        raise InputError(problems)
    return units


def read_unit(plan: LevelPlan, unit: Mapping[str, Any], index: int, record: str, origins: Origins,
              problems: list[InputProblem], columns: CaseColumns | None = None) -> UnitInput:
    """One unit of a validated JSON document, on its own (ratings/streaming.py), with its
    case records as columns if they were taken so to validate them; what is wrong with it
    is added to `problems`."""
    return _read_unit(plan, unit, index, record, origins, [], problems, columns)


def _read_unit(plan: LevelPlan, unit: Mapping[str, Any], index: int, record: str, origins: Origins,
               counted: list[CaseTallies], problems: list[InputProblem], columns: CaseColumns | None = None) -> UnitInput:
    attributes: dict[str, str] = dict(unit.get("attributes") or {})
    cases: list[dict[str, Any]] = unit.get("cases") or []
    # Records of one layout are read column by column (case_columns.py), others one by one.
    columns = columns or case_columns(cases)
    _attributes_from_cases(plan, attributes, cases, counted, columns)

    question_counts: Counter[tuple[str, Any]] = Counter()
    prompt_counts: Counter[tuple[str, Any]] = Counter()
    for tally in counted:
        question_counts.update(tally.questions)
        prompt_counts.update(tally.prompts)
        _check_unsettled(plan, attributes, tally, str(unit["unit"]), problems)
    if columns is not None:
        question_counts.update(columns.counts.get("questions", ()))
        prompt_counts.update(columns.counts.get("prompts", ()))
    else:
        question_counts.update(_answer_counts(cases, "questions"))
        prompt_counts.update(_answer_counts(cases, "prompts"))

    def case_record(case_index: int) -> tuple[str, bool]:
        reference = cases[case_index].get("case")
        words = f"unit '{unit['unit']}'" + (f", case '{reference}'" if reference is not None else "")
        return f"{words} ({origins.case(index, case_index)})", origins.is_csv(index, case_index)

    def where(case_index: int | None, *rest: str | int) -> Where | None:
        return origins.where(index, case_index, rest)

    _check_case_applicability(plan, attributes, cases, question_counts, prompt_counts, case_record, where, problems,
                              columns)
    place_of = partial(origins.case, index)
    _check_case_references(str(unit["unit"]), cases, counted, place_of, where, problems, columns)
    _check_attributes_agree(str(unit["unit"]), unit.get("attributes") or {}, cases, counted, place_of, where, problems,
                            columns)

    questions: dict[str, Evidence] = {}
    tallies: dict[str, list[int]] = {}
    for (key, answer), count in question_counts.items():
        question_plan = plan.question_keys[key]
        answers = tallies.setdefault(question_plan.question.id, [0, 0, 0])
        answers[("yes", "no", "n/a").index(ANSWERS[answer])] += count
    for question_id, (yes, no, not_applicable) in tallies.items():
        inspected = yes + no
        questions[question_id] = Evidence(
            "cases", yes, inspected, not_applicable, Fraction(yes * 100, inspected) if inspected else Fraction(0),
        )
    prompt_tallies: dict[str, list[int]] = {}
    for (key, answer), count in prompt_counts.items():
        prompt_plan = plan.prompt_keys[key]
        answers = prompt_tallies.setdefault(prompt_plan.prompt.id, [0, 0, 0])
        answers[("yes", "no", "n/a").index(ANSWERS[answer])] += count
    prompts = {pid: Tally(*counts) for pid, counts in prompt_tallies.items()}

    for key, value in (unit.get("questions") or {}).items():
        question_plan = plan.question_keys[key]
        qid = question_plan.question.id
        field = f"questions › {key}"
        if qid in questions:
            why = "in case records" if questions[qid].kind == "cases" else "under another name"
            problems.append(InputProblem(record, field, f"one result for {question_plan.question.number}: it is also given {why}", _short(value),
                                         where=where(None, "questions", key)))
            continue
        if "percentage" in value:
            questions[qid] = Evidence("percentage", None, None, 0, exact(value["percentage"]))
            continue
        sufficient, inspected = whole(value["sufficient"]), whole(value["inspected"])
        if sufficient > inspected:
            problems.append(InputProblem(record, field, f"sufficient at most inspected ({inspected})", str(sufficient),
                                         where=where(None, "questions", key, "sufficient")))
            continue
        questions[qid] = Evidence("counts", sufficient, inspected, whole(value.get("not_applicable", 0)),
                                  Fraction(sufficient * 100, inspected))

    _check_unit_applicability(plan, attributes, questions, record, where(None, "questions"), problems)

    standards = _given(plan, unit.get("standards") or {}, record, "standards", where, problems)
    judgements = _given(plan, unit.get("judgements") or {}, record, "judgements", where, problems)
    totals = {cid: exact(value["total"]) for cid, value in (unit.get("composites") or {}).items()}
    total_cases = len(cases) + sum(t.cases for t in counted)
    return UnitInput(unit["unit"], attributes, total_cases, questions, prompts, standards, judgements, totals)


def _answer_counts(cases: list[dict[str, Any]], section: str) -> Counter[tuple[str, Any]]:
    """How many records give each (key, answer) in a section, keys in the order the first
    record gives them. When every record answers the same keys (an export's usual shape)
    each key's answers are counted in one pass in C (`itemgetter`), about twice as fast
    as counting every record's (key, answer) pairs, which is what is done otherwise."""
    answers = [a for case in cases if (a := case.get(section))]
    if not answers:
        return Counter()
    keys = list(answers[0])
    if sum(map(len, answers)) == len(keys) * len(answers):
        try:
            by_key = [(key, Counter(map(itemgetter(key), answers))) for key in keys]
        except KeyError:
            pass  # records with other keys: counted pair by pair
        else:
            return Counter({(key, answer): n for key, counted in by_key for answer, n in counted.items()})
    return Counter(chain.from_iterable(map(dict.items, answers)))


def _attributes_from_cases(plan: LevelPlan, attributes: dict[str, str], cases: list[dict[str, Any]],
                           counted: list[CaseTallies], columns: CaseColumns | None = None) -> None:
    """A unit attribute a standard's applicability needs, when the unit does not give it,
    is taken from its cases if they all agree (a CSV of one CRC's cases, say)."""
    needed = set().union(*(attributes_used(s.condition) for s in plan.standards)) - attributes.keys()
    for name in sorted(needed):
        values: set[str | None]
        if columns is not None:
            values = columns.attribute_values(name)
        else:
            values = {(case.get("attributes") or {}).get(name) for case in cases}
        for tally in counted:
            values.update(v or None for v in tally.attributes.get(name, {""}))
        if len(values) == 1:
            (only,) = values
            if only is not None:
                attributes[name] = only


def _check_unsettled(plan: LevelPlan, unit_attributes: Mapping[str, str], tally: CaseTallies, unit: str,
                     problems: list[InputProblem]) -> None:
    """CSV answers whose applicability the case's own attributes leave open: decided with
    the unit's attributes, as for JSON records."""
    keys: dict[str, Mapping[str, QuestionPlan | PromptPlan]] = {
        "questions": plan.question_keys, "prompts": plan.prompt_keys,
    }
    for own, section, key, answer, locator in tally.unsettled:
        element = keys[section][key]
        condition = element.condition
        number = element.question.number if isinstance(element, QuestionPlan) else element.prompt.number
        holds = holds_for(condition, {**unit_attributes, **own})
        expected = None
        if holds is None:
            missing = ", ".join(sorted(attributes_used(condition) - {**unit_attributes, **own}.keys()))
            expected = f"the case attribute {missing}, to know whether {number} applies ({describe(condition)})"
        elif holds and answer == "n/a":
            expected = f"yes or no: {number} applies to this case ({describe(condition)})"
        elif not holds and answer != "n/a":
            expected = f"n/a or no answer: {number} applies only where {describe(condition)}"
        if expected is not None and tally.records is not None:
            line, case = tally.records.first(locator)
            record = f"unit '{unit}'" + (f", case '{case}'" if case else "") + f" ({tally.records.source} line {line})"
            problems.append(InputProblem(record, f"column '{key}'", expected, repr(answer),
                                         where=_csv_where(tally.records, line, key)))


def _check_case_applicability(plan: LevelPlan, unit_attributes: Mapping[str, str], cases: list[dict[str, Any]],
                              question_counts: Counter[tuple[str, Any]], prompt_counts: Counter[tuple[str, Any]],
                              case_record: Any, where: Callable[..., Where | None], problems: list[InputProblem],
                              columns: CaseColumns | None = None) -> None:
    """n/a only where applicability allows it, for cases whose own attributes do not say
    (the schema has already checked the cases that do)."""
    conditional: list[tuple[str, str, str, Any, set[str]]] = []  # (section, key, number, condition, needed)
    for section, counts, keys in (("questions", question_counts, plan.question_keys), ("prompts", prompt_counts, plan.prompt_keys)):
        present = {key for key, _ in counts}
        for key in sorted(present):
            element = keys[key]
            if element.condition is not None:
                number = element.question.number if isinstance(element, QuestionPlan) else element.prompt.number
                conditional.append((section, key, number, element.condition, attributes_used(element.condition)))
    if not conditional:
        return
    # Usually every case gives the attributes the conditions need: then each is settled by
    # the schema, and the cases need not be gone through one by one.
    needed_by_all = set().union(*(needed for *_, needed in conditional))
    if columns is not None and columns.attributes is not None and needed_by_all <= columns.attributes.keys():
        return
    owns: list[Any] = list(map(dict.get, cases, repeat("attributes")))
    if None not in owns and all(sum(map(contains, owns, repeat(name))) == len(cases) for name in needed_by_all):
        return
    for case_index, case in enumerate(cases):
        own = case.get("attributes") or {}
        for section, key, number, condition, needed in conditional:
            answers = case.get(section)
            if not answers or key not in answers:
                continue
            if needed <= own.keys():
                continue
            merged = {**unit_attributes, **own}
            holds = holds_for(condition, merged)
            answer = ANSWERS[answers[key]]
            record, csv = case_record(case_index)
            field = field_words([section, key], csv)
            at = where(case_index, section, key)
            if holds is None:
                missing = ", ".join(sorted(needed - merged.keys()))
                problems.append(InputProblem(
                    record, field,
                    f"the case attribute {missing}, to know whether {number} applies ({describe(condition)})", repr(answers[key]),
                    where=at,
                ))
            elif holds and answer == "n/a":
                problems.append(InputProblem(record, field, f"yes or no: {number} applies to this case ({describe(condition)})", '"n/a"',
                                             where=at))
            elif not holds and answer != "n/a":
                problems.append(InputProblem(
                    record, field,
                    f"n/a or no answer: {number} applies only where {describe(condition)}", repr(answers[key]),
                    where=at,
                ))


def _check_case_references(unit: str, cases: list[dict[str, Any]], counted: list[CaseTallies],
                           place_of: Callable[[int], str], where: Callable[..., Where | None],
                           problems: list[InputProblem], columns: CaseColumns | None = None) -> None:
    """Each case is inspected once: a reference given to two records of one unit (a row
    pasted twice, one file given twice) would count the case twice."""
    if columns is not None:  # every record gives one, text or a whole number, or none does
        given = list(map(str, columns.references)) if columns.references is not None else []
    else:
        given = [str(r) for case in cases if (r := case.get("case")) is not None]
    references: list[list[tuple[str, int]]] = [[] for _ in counted]
    if counted:
        hashes = [*map(hash, given), *chain.from_iterable(tally.reference_hashes for tally in counted)]
        if len(set(hashes)) == len(hashes):
            return  # the usual case: CSV references are kept only as hashes, all different
        references = [tally.references() for tally in counted]  # read again, for the message
        for found in references:
            given.extend(reference for reference, _ in found)
    if len(set(given)) == len(given):
        return  # the usual case, settled in one pass
    repeated = {reference for reference, n in Counter(given).items() if n > 1}
    # (where in words, from CSV, where for the span)
    places: dict[str, list[tuple[str, bool, Where | None]]] = {reference: [] for reference in repeated}
    for case_index, case in enumerate(cases):
        reference = case.get("case")
        if reference is not None and str(reference) in repeated:
            places[str(reference)].append((place_of(case_index), False, where(case_index, "case")))
    for tally, found in zip(counted, references, strict=True):
        for reference, row in found:
            if reference in repeated and tally.records is not None:
                line = tally.records.line_of(row)
                places[reference].append((f"{tally.records.source} line {line}", True, _csv_where(tally.records, line, "case")))
    for reference in sorted(repeated, key=given.index):
        (first, _, _), (second, csv, at) = places[reference][:2]
        problems.append(InputProblem(
            f"unit '{unit}', case '{reference}' ({second})", field_words(["case"], csv),
            f"a case reference no other record of the unit has: each case is inspected once "
            f"(the record at {first} has it too)",
            repr(reference), where=at,
        ))


def _check_attributes_agree(unit: str, given: Mapping[str, str], cases: list[dict[str, Any]], counted: list[CaseTallies],
                            place_of: Callable[[int], str], where: Callable[..., Where | None],
                            problems: list[InputProblem], columns: CaseColumns | None = None) -> None:
    """A case cannot contradict its unit: a case of an NPS division that says its provider
    is a CRC is a record filed under the wrong unit, or a wrong attribute."""
    if not given:
        return
    # Column by column, the usual case is settled at once: no record says otherwise.
    agree = columns is not None and all(columns.attribute_values(name) <= {value, None} for name, value in given.items())
    for case_index, case in enumerate([] if agree else cases):
        own = case.get("attributes")
        if not own:
            continue
        for name, value in given.items():
            if name in own and own[name] != value:
                reference = case.get("case")
                words = f"unit '{unit}'" + (f", case '{reference}'" if reference is not None else "")
                problems.append(InputProblem(
                    f"{words} ({place_of(case_index)})", f"attributes › {name}",
                    f"{value!r}, as the unit's attributes say (or no value: the case takes the unit's)", repr(own[name]),
                    where=where(case_index, "attributes", name),
                ))
    for tally in counted:
        records = tally.records
        for name, value in given.items():
            for other in sorted(tally.attributes.get(name, set()) - {"", value}):
                line, reference = (0, None)
                if records is not None and name in records.columns and "unit" in records.columns:
                    line, reference = records.first(((records.columns["unit"], records.columns[name]), (unit, other)))
                place = f"{records.source} line {line}" if records is not None else "CSV"
                words = f"unit '{unit}'" + (f", case '{reference}'" if reference else "")
                problems.append(InputProblem(
                    f"{words} ({place})", f"column '{name}'",
                    f"{value!r}, as the unit's attributes say (or an empty cell: the case takes the unit's)", repr(other),
                    where=_csv_where(records, line, name) if records is not None else None,
                ))


def _check_unit_applicability(plan: LevelPlan, attributes: Mapping[str, str], questions: Mapping[str, Evidence],
                              record: str, where: Where | None, problems: list[InputProblem]) -> None:
    for standard_plan in plan.standards:
        if holds_for(standard_plan.condition, attributes) is not False:
            continue
        for question_plan in standard_plan.questions:
            evidence = questions.get(question_plan.question.id)
            if evidence is not None and (evidence.kind != "cases" or evidence.inspected):
                values = ", ".join(f"{n} is {attributes[n]}" for n in sorted(attributes_used(standard_plan.condition)) if n in attributes)
                problems.append(InputProblem(
                    record, f"questions › {question_plan.question.number}",
                    f"no result: standard {standard_plan.standard.number} applies only where "
                    f"{describe(standard_plan.condition)}, and here {values}",
                    "a result" if evidence.kind != "cases" else f"{evidence.inspected} case judgements",
                    where=where,
                ))


def _given(plan: LevelPlan, section: Mapping[str, Any], record: str, what: str, where: Callable[..., Where | None],
           problems: list[InputProblem]) -> dict[str, Given]:
    given: dict[str, Given] = {}
    for key, value in section.items():
        if what == "standards":
            element_id = plan.standard_keys[key].standard.id
        else:
            element_id = key
        rating, reason = (value, None) if isinstance(value, str) else (value["rating"], value.get("reason"))
        if element_id in given:
            problems.append(InputProblem(record, f"{what} › {key}", "one rating per standard, under one name (number or id)", _short(value),
                                         where=where(None, what, key)))
            continue
        given[element_id] = Given(None if rating in NOT_RATED_WORDS else rating, reason)
    return given


def _csv_where(records: CsvRecords | None, line: int, column: str) -> Where | None:
    """The cell of a named column on a line of a CSV file."""
    if records is None:
        return None
    header = records.header
    return Where(records.source, line=line, cell=header.index(column) if column in header else None,
                 delimiter=records.delimiter)


def _short(value: Any) -> str:
    import json

    text = json.dumps(value, sort_keys=True)
    return text if len(text) < 60 else text[:57] + "…"
