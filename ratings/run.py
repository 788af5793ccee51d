"""The one road from a framework and input files to ratings: compile → plan → schema →
validate → read → rate. The command line, the rule cases and the benchmark all take it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from precepts.compiler.model import Framework
from precepts.ratings.documents import Input, Loaded, Sample, is_csv, load_file, load_json_file, merge
from precepts.ratings.engine import rate
from precepts.ratings.inputs import InputError, InputProblem
from precepts.ratings.panel import PANEL_MARGIN
from precepts.ratings.plan import LevelPlan, PlanError, build_plan, choose_level
from precepts.ratings.reading import read_units
from precepts.ratings.results import UnitResult
from precepts.ratings.schema import input_schema
from precepts.ratings.validation import Origins, compile_validator, validate
from precepts.ratings.whatif import WhatIf


class FrameworkError(Exception):
    """The framework does not compile cleanly, so it cannot be rated."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


def load_framework(path: Path) -> Framework:
    from precepts.pipeline import check_path

    result = check_path(path)
    if result.framework is None or result.has_errors:
        from precepts.core.reporting import format_text

        errors = [d for d in result.diagnostics if d.severity.value == "error"]
        raise FrameworkError(
            f"{result.path} has errors, so it cannot be rated; run 'precepts check {result.path}'",
            format_text(errors, result.sources, 1),
        )
    return result.framework


@dataclass(frozen=True)
class Rater:
    """A framework ready to rate at one level: its plan, input schema and validator."""

    plan: LevelPlan
    schema: dict[str, Any]
    validator: Any

    @classmethod
    def for_framework(cls, framework: Framework, level: str | None) -> Rater:
        plan = build_plan(framework, choose_level(framework, level))
        schema = input_schema(plan)
        return cls(plan, schema, compile_validator(schema))

    def check(self, loaded: Loaded) -> None:
        problems = validate(self.validator, self.schema, loaded.document, loaded.origins)
        problems += self._check_samples(loaded.samples, loaded.document)
        if problems:
            raise InputError(problems)

    def _check_samples(self, samples: list[Sample], document: dict[str, Any]) -> list[InputProblem]:
        """CSV records, checked through the distinct records that stand for them."""
        if not samples:
            return []
        cases = {"units": [{"unit": "csv", "cases": [s.record for s in samples]}]}
        if self.validator.is_valid(cases):
            return []
        failing = sorted({e.instance_path[3] for e in self.validator.iter_errors(cases) if len(e.instance_path) > 3})
        names = [u.get("unit") if isinstance(u, dict) else None for u in document.get("units", [])]
        shown_units = []
        places = {}
        rows = {}
        for number, index in enumerate(failing):
            sample = samples[index]
            line, case = sample.records.first(sample.locator)
            record = {"case": case, **sample.record} if case else sample.record
            shown_units.append({"unit": str(names[sample.unit]), "cases": [record]})
            places[(number, 0)] = f"{sample.records.source} line {line}"
            rows[(number, 0)] = (sample.records.source, line, sample.records.header, sample.records.delimiter)
        origins = Origins(cases=places, csv_cases=frozenset(places), csv_rows=rows)
        return validate(self.validator, self.schema, {"units": shown_units}, origins)

    def rate_loaded(self, loaded: Loaded, panel_margin: Fraction = PANEL_MARGIN) -> tuple[UnitResult, ...]:
        self.check(loaded)
        return rate(self.plan, read_units(self.plan, loaded.document, loaded.origins, loaded.tallies), panel_margin)

    def rate_document(self, document: dict[str, Any], origins: Origins | None = None,
                      panel_margin: Fraction = PANEL_MARGIN) -> tuple[UnitResult, ...]:
        return self.rate_loaded(Loaded(document, origins or Origins()), panel_margin)

    def load(self, paths: Sequence[Input], parsed: dict[Input, Loaded] | None = None,
             allow_empty: bool = False) -> Loaded:
        """The inputs as one document; JSON files already parsed (to find the level) are
        reused. A CSV export without case records is refused unless `allow_empty`."""
        parsed = parsed or {}
        return merge([parsed[path] if path in parsed else load_file(path, self.plan, allow_empty) for path in paths])


@dataclass(frozen=True)
class Ratings:
    """Units rated under a framework at one level, with the input they were rated from, and
    (for --what-if) what changes under another framework: everything an output needs."""

    framework: Framework
    rater: Rater
    loaded: Loaded
    units: tuple[UnitResult, ...]
    what_if: WhatIf | None = None

    @property
    def level(self) -> str:
        return self.rater.plan.level

    def document(self, version: int | None = None) -> dict[str, Any]:
        """The versioned JSON document (`precepts rate --format json`): format version
        `version`, by default the newest (output_json.FORMAT_VERSIONS lists those written)."""
        from precepts.ratings import output_json
        from precepts.ratings.gcpause import paused_gc

        what_if = self.what_if.json() if self.what_if is not None else None
        with paused_gc():  # a document of many small dicts and lists, and no cycles (gcpause.py)
            return output_json.document(self.framework, self.level, self.units, self.rater.plan.scales, what_if,
                                        version=version or output_json.OUTPUT_FORMAT_VERSION)

    def json(self, version: int | None = None) -> str:
        from precepts.ratings import output_json

        return output_json.dumps(self.document(version))

    def text(self, explain: bool = True, language: str | None = None) -> str:
        """The ratings for people, with the explanation trees unless `explain` is false. For
        `language` other than English, a note that the explanations are in English
        (output_text.language_note; ValueError for a language the framework lacks)."""
        from precepts.ratings import output_text
        from precepts.ratings.gcpause import paused_gc

        what_if = self.what_if.text() if self.what_if is not None else None
        with paused_gc():
            return output_text.render(self.framework, self.level, self.units, explain, what_if, language)


def rate_files(framework: Framework, paths: Sequence[Input], level: str | None = None,
               panel_margin: Fraction = PANEL_MARGIN, allow_empty: bool = False) -> Ratings:
    """Rate the units in input files (JSON, or CSV case records; '-' is standard input) or texts.
    Raises PlanError for a level that cannot be rated, InputError for bad input (a CSV
    export without case records among it, unless `allow_empty`)."""
    from precepts.ratings.gcpause import paused_gc

    with paused_gc():
        if len(paths) == 1 and isinstance(paths[0], Path) and not is_csv(paths[0]) and str(paths[0]) != "-":
            from precepts.ratings.streaming import rate_json_file

            streamed = rate_json_file(framework, paths[0], level, panel_margin)
            if streamed is not None:
                return Ratings(framework, *streamed)
        parsed = parse_json_inputs(paths)
        rater = Rater.for_framework(framework, level or level_named(parsed))
        loaded = rater.load(paths, parsed, allow_empty)
        return Ratings(framework, rater, loaded, rater.rate_loaded(loaded, panel_margin))


def rate_document(framework: Framework, document: dict[str, Any], level: str | None = None,
                  panel_margin: Fraction = PANEL_MARGIN) -> Ratings:
    """Rate the units of an input document already in memory (as parsed from JSON)."""
    named = document.get("level")
    rater = Rater.for_framework(framework, level or (named if isinstance(named, str) else None))
    loaded = Loaded(document, Origins())
    return Ratings(framework, rater, loaded, rater.rate_loaded(loaded, panel_margin))


def with_what_if(ratings: Ratings, other: Framework, shown: str, panel_margin: Fraction = PANEL_MARGIN) -> Ratings:
    """The ratings, with what changes when the same input is rated under `other`: another
    version of the framework, or a rules file whose rating rules replace the framework's.
    Raises PlanError when `other` cannot rate the level, InputError when the input does not fit it."""
    import dataclasses

    from precepts.ratings.whatif import compare, overlay

    base = ratings.framework
    if other.kind == "rules":
        alternative = overlay(base, other)
        label = f"{base.id} with the rating rules of {shown}"
    else:
        alternative = other
        label = f"{other.id}" + (f" ({other.version})" if other.version else "") + f" from {shown}"
    other_rater = Rater.for_framework(alternative, ratings.level)
    loaded = ratings.loaded
    if loaded.streamed_from is not None:  # rated one unit at a time: its records were not kept
        loaded = load_json_file(loaded.streamed_from)
    document = dict(loaded.document)
    if "framework" in document and other.kind != "rules":
        document["framework"] = alternative.id  # the same records, named for the other framework
    other_units = other_rater.rate_loaded(dataclasses.replace(loaded, document=document), panel_margin)
    changes = compare(ratings.units, other_units, ratings.rater.plan.scales, other_rater.plan.scales)
    return dataclasses.replace(ratings, what_if=WhatIf(label, alternative, tuple(changes)))


def parse_json_inputs(paths: Sequence[Input]) -> dict[Input, Loaded]:
    """JSON inputs, parsed before the plan exists: one of them may name the level."""
    return {path: load_json_file(path) for path in paths if not is_csv(path)}


def level_named(parsed: dict[Input, Loaded]) -> str | None:
    for loaded in parsed.values():
        level = loaded.document.get("level")
        if isinstance(level, str):
            return level
    return None


__all__ = ["FrameworkError", "InputError", "InputProblem", "PlanError", "Rater", "Ratings", "load_framework",
           "rate_document", "rate_files", "with_what_if"]
