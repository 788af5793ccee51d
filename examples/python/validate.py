"""Validate a case assessment record against the schema `precepts build` publishes, then
read a ratings document (`precepts rate --format json`, format version 2).

    python3 validate.py SCHEMA RECORD RATINGS

SCHEMA is BUILD/FRAMEWORK/LEVEL/assessment-record.schema.json from a build, RECORD an
inspector's record, RATINGS the output of `precepts rate ... --format json`. Needs only
the `jsonschema` package (pip install jsonschema). Exits 1 when the record is invalid.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jsonschema import Draft202012Validator


def validate_record(schema_path: Path, record_path: Path) -> bool:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    record = json.loads(record_path.read_text(encoding="utf-8"))
    errors = sorted(Draft202012Validator(schema).iter_errors(record), key=lambda e: list(e.absolute_path))
    for error in errors:
        where = "/".join(str(part) for part in error.absolute_path) or "(the record)"
        print(f"{record_path.name}: {where}: {error.message}")
    if not errors:
        print(f"{record_path.name}: valid against {schema['$id']}")
    return not errors


def band_words(band: dict) -> str:
    """A band from its numbers, not by parsing its published text."""
    unit = "%" if band["unit"] == "percent" else " points"
    if band["lower"] is None:
        return f"{'up to' if band['upper_inclusive'] else 'below'} {band['upper']:g}{unit}"
    if band["upper"] is None:
        return f"{band['lower']:g}{unit} or more"
    return f"{band['lower']:g} to {band['upper']:g}{unit}"


def rating_words(rating: dict) -> str:
    if rating["status"] == "rated":
        return rating["label"]
    if rating["status"] == "undetermined":
        return "undetermined: " + " or ".join(rating["possible"])
    return rating["status"]


def read_ratings(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    if (document["format"], document["format_version"]) != ("precepts-ratings", 2):
        sys.exit(f"{path}: not precepts-ratings version 2")
    for unit in document["units"]:
        by_status = unit["counts"]["by_status"]
        print(f"{unit['unit']} ({unit['level']}): {by_status['rated']} of {unit['counts']['standards']} standards rated")
        for standard in unit["standards"]:
            print(f"  {standard['number']} {standard['heading']}: {rating_words(standard)}")
            for question in standard["questions"]:
                if question["band"] is not None:
                    print(f"    {question['number']}: {question['percentage']:.2f}% in band {band_words(question['band'])}")
        for composite in unit["composites"]:
            print(f"  overall ({composite['id']}): {rating_words(composite)}")
        for flag in unit["panel_flags"]:
            if flag["kind"] == "near-boundary":
                print(f"  panel: {flag['question']} is {flag['distance']:+.2f} points from {flag['boundary']:.2f}%")


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema, record, ratings = map(Path, argv)
    valid = validate_record(schema, record)
    read_ratings(ratings)
    return 0 if valid else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
