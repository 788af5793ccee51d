"""A unit's JSON case records taken column by column, when they share one layout.

An export gives every case record the same fields, and the same names in each of them.
Then each field is a column (`map(itemgetter(name), records)`, which runs in C), and what
was done record by record in Python is done on columns: counting the answers, finding a
case reference given twice, checking case attributes against the unit's.

The JSON Schema is then applied, with jsonschema-rs, to a few records that stand for all
of them (`samples`), as it is to CSV records (csv_input.py): the first record whole (its
fields and the names in each section, which every record shares); each distinct
combination of the attribute values; and each distinct answer of each key question and
prompt, with the case's attributes where its applicability depends on them. That is the
same check as validating every record, because the schema's case-record rules are each
about one field, given the case's attributes, or about the names a record uses
(schema.py). Measured on 100,000 records, validating the samples and counting take a
tenth of validating every record.

Records of several layouts, values that are not text or true/false (a number where an
answer belongs: Python counts 1 as True), or case references that are neither text nor
whole numbers are checked and read record by record instead (`case_columns` gives None),
so every diagnostic is the same as before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from precepts.ratings.plan import LevelPlan, PromptPlan, QuestionPlan

ANSWER_SECTIONS = ("questions", "prompts")
REFERENCE_TYPES = frozenset({str, int})  # the schema: "string" or "integer"
ANSWER_TYPES = frozenset({str, bool})  # no two values of these are equal across types
ANSWER_WORDS = ("yes", "no", "n/a")


@dataclass(frozen=True)
class CaseColumns:
    """The case records of one unit, all of one layout, as columns."""

    first: dict[str, Any]  # the first record, whole
    references: list[str | int] | None  # each record's "case", when records give one
    attributes: dict[str, tuple[str, ...]] | None  # attribute → each record's value, when records give attributes
    answers: dict[str, dict[str, tuple[Any, ...]]]  # section → key → each record's answer
    counts: dict[str, Counter[tuple[str, Any]]]  # section → (key, answer) → records

    def attribute_values(self, name: str) -> set[str | None]:
        """The values records give an attribute (None for records without it)."""
        if self.attributes is None or name not in self.attributes:
            return {None}
        return set(self.attributes[name])

    def samples(self, plan: LevelPlan) -> list[dict[str, Any]]:
        """Records that the schema accepts exactly when it accepts every record."""
        found = [self.first]
        names = tuple(self.attributes or ())
        combinations = list(zip(*self.attributes.values(), strict=True)) if self.attributes else None
        if combinations is not None:
            found.extend({"attributes": dict(zip(names, values, strict=True))} for values in dict.fromkeys(combinations))
        keys: dict[str, Mapping[str, QuestionPlan | PromptPlan]] = {
            "questions": plan.question_keys, "prompts": plan.prompt_keys,
        }
        for section, columns in self.answers.items():
            by_key: dict[str, list[Any]] = {}
            for key, answer in self.counts[section]:
                by_key.setdefault(key, []).append(answer)
            for key, answers in by_key.items():
                element = keys[section].get(key)
                if element is None:
                    continue  # a name the schema does not know: the first record has it too
                if element.condition is None or combinations is None:
                    found.extend({section: {key: answer}} for answer in answers)
                    continue
                # Whether n/a is allowed depends on the case's attributes: each combination.
                for values, answer in dict.fromkeys(zip(combinations, columns[key], strict=True)):
                    found.append({"attributes": dict(zip(names, values, strict=True)), section: {key: answer}})
        return found


def case_columns(cases: Any) -> CaseColumns | None:
    """The records as columns; None when they are not all of one layout with plain values
    (they are then read record by record)."""
    if type(cases) is not list or not cases or set(map(type, cases)) != {dict}:
        return None
    fields = tuple(cases[0])
    if not set(fields) <= {"case", "attributes", *ANSWER_SECTIONS} or set(map(len, cases)) != {len(fields)}:
        return None
    try:
        references = list(map(itemgetter("case"), cases)) if "case" in fields else None
        if references is not None and not set(map(type, references)) <= REFERENCE_TYPES:
            return None
        attributes = _section(cases, "attributes") if "attributes" in fields else None
        if attributes is not None and any(set(map(type, values)) != {str} for values in attributes.values()):
            return None  # not a value the schema allows: it says which
        answers: dict[str, dict[str, tuple[Any, ...]]] = {}
        counts: dict[str, Counter[tuple[str, Any]]] = {}
        for name in ANSWER_SECTIONS:
            if name in fields:
                columns = _section(cases, name)
                counted = _count(columns) if columns is not None else None
                if columns is None or counted is None:
                    return None
                answers[name], counts[name] = columns, counted
    except KeyError:  # a record without a field or name the first record has: another layout
        return None
    if "attributes" in fields and attributes is None:
        return None
    return CaseColumns(cases[0], references, attributes, answers, counts)


def _section(cases: list[dict[str, Any]], name: str) -> dict[str, tuple[Any, ...]] | None:
    """Each name the first record gives in a section → every record's value; None unless
    each record's section is an object with as many names (that they are the same names
    is seen as each is looked up: KeyError). The values are taken record by record and
    then transposed, faster than a pass over the records for each name."""
    records = list(map(itemgetter(name), cases))
    if set(map(type, records)) != {dict}:
        return None
    keys = tuple(records[0])
    if set(map(len, records)) != {len(keys)}:
        return None
    if len(keys) == 1:
        return {keys[0]: tuple(map(itemgetter(keys[0]), records))}
    return dict(zip(keys, zip(*map(itemgetter(*keys), records), strict=True), strict=True)) if keys else {}


def _count(columns: dict[str, tuple[Any, ...]]) -> Counter[tuple[str, Any]] | None:
    """(key, answer) → records, keys in the first record's order and answers in order of
    first appearance, as reading.py counts records one by one. A column of answer words
    is counted with `tuple.count` (yes and no, usually, and n/a only if they leave some
    over), in a third of the time of a Counter; None for a value that is not text or
    true/false."""
    counted: Counter[tuple[str, Any]] = Counter()
    for key, column in columns.items():
        found: dict[str, int] = {}
        left = len(column)
        for word in ANSWER_WORDS:  # each counted only while the ones before leave answers over
            if left and (n := column.count(word)):
                found[word] = n
                left -= n
        if not left:
            for answer in sorted(found, key=column.index):
                counted[(key, answer)] = found[answer]
            continue
        if not set(map(type, column)) <= ANSWER_TYPES:
            return None  # also an unhashable value
        for answer, n in Counter(column).items():
            counted[(key, answer)] = n
    return counted
