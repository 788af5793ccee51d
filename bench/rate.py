"""Time `precepts rate` end to end on generated case records, and print the figures.

    python3 bench/rate.py [--units 100] [--cases 1000] [--repeat 3] [--framework FILE]

It writes case records for UNITS inspected units (CASES each) under the 2021 framework —
a yes/no judgement for every domain-two key question, the case type, and the one prompt
whose applicability depends on it — as JSON and as CSV, then measures, for each format:

- in process: parsing, validation against the generated JSON Schema (jsonschema-rs),
  tallying, rating, and the JSON output, each timed, and their total;
- whole process: `precepts rate FILE --input … --format json` as a user runs it.

and reports records per second. The goal (issue 4) is at least 100,000 records a second.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORK = ROOT / "frameworks" / "hmip-adult-2021.precepts"
GOAL = 100_000


def generate(framework: Path, units: int, cases: int, seed: int = 2021) -> tuple[dict[str, Any], str, int]:
    """The same records as a JSON document and as CSV text; and how many records."""
    from precepts.ratings.run import Rater, load_framework

    plan = Rater.for_framework(load_framework(framework), "pdu").plan
    rng = random.Random(seed)
    questions = [q for s in plan.standards if s.method in ("cases", "percentages-only") for q in s.questions]
    conditional = [p for q in questions for p in q.prompts if p.condition is not None]
    numbers = [q.question.number for q in questions]
    prompt_numbers = [p.prompt.number for p in conditional]
    document: dict[str, Any] = {"format": "precepts-rating-input", "format_version": 1, "level": "pdu", "units": []}
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(["unit", "case", "case-type", *numbers, *prompt_numbers])
    for u in range(units):
        name = f"PDU {u + 1:03d}"
        # Each unit has its own quality, so units fall in different bands.
        quality = [rng.uniform(0.45, 0.95) for _ in numbers]
        records = []
        for c in range(cases):
            case_type = "post-custody" if rng.random() < 0.4 else "community"
            answers = ["yes" if rng.random() < q else "no" for q in quality]
            prompts = [("yes" if rng.random() < 0.7 else "no") if case_type == "post-custody" else "n/a" for _ in conditional]
            records.append({
                "case": f"{name}-{c + 1:05d}",
                "attributes": {"case-type": case_type},
                "questions": dict(zip(numbers, answers, strict=True)),
                "prompts": dict(zip(prompt_numbers, prompts, strict=True)),
            })
            writer.writerow([name, f"{name}-{c + 1:05d}", case_type, *answers, *prompts])
        document["units"].append({"unit": name, "cases": records})
    return document, rows.getvalue(), units * cases


def in_process(framework: Path, path: Path, records: int) -> dict[str, float]:
    """Seconds for each stage of one run, in this process."""
    from precepts.ratings import output_json
    from precepts.ratings.engine import rate
    from precepts.ratings.reading import read_units
    from precepts.ratings.run import Rater, load_framework

    times: dict[str, float] = {}
    start = time.perf_counter()
    compiled = load_framework(framework)
    rater = Rater.for_framework(compiled, "pdu")
    times["framework"] = time.perf_counter() - start

    start = time.perf_counter()
    loaded = rater.load([path])
    times["parse"] = time.perf_counter() - start

    start = time.perf_counter()
    rater.check(loaded)
    times["validate"] = time.perf_counter() - start

    start = time.perf_counter()
    units = read_units(rater.plan, loaded.document, loaded.origins, loaded.tallies)
    times["tally"] = time.perf_counter() - start

    start = time.perf_counter()
    results = rate(rater.plan, units)
    times["rate"] = time.perf_counter() - start

    start = time.perf_counter()
    text = output_json.dumps(output_json.document(compiled, rater.plan.level, results, rater.plan.scales))
    times["output"] = time.perf_counter() - start
    assert len(results) and text
    times["total"] = sum(times.values())
    return times


def whole_process(framework: Path, path: Path) -> float:
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "precepts.cli", "rate", str(framework), "--input", str(path), "--format", "json"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, check=False,
    )
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"precepts rate failed ({completed.returncode}): {completed.stderr.decode()[:2000]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--cases", type=int, default=1000, help="case records per unit (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is reported")
    parser.add_argument("--framework", type=Path, default=FRAMEWORK)
    options = parser.parse_args()

    document, csv_text, records = generate(options.framework, options.units, options.cases)
    print(f"precepts rate, {records:,} case records for {options.units} units ({os.cpu_count()} cores)\n")
    with tempfile.TemporaryDirectory() as folder:
        json_path = Path(folder) / "cases.json"
        csv_path = Path(folder) / "cases.csv"
        json_path.write_text(json.dumps(document), encoding="utf-8")
        csv_path.write_text(csv_text, encoding="utf-8")
        print(f"input: JSON {json_path.stat().st_size / 1e6:.1f} MB, CSV {csv_path.stat().st_size / 1e6:.1f} MB\n")
        stages = ("parse", "validate", "tally", "rate", "output")
        print(f"{'in process (best of ' + str(options.repeat) + ')':<26}" + "".join(f"{s:>10}" for s in stages)
              + f"{'total s':>10}{'records/s':>12}")
        for label, path in (("JSON", json_path), ("CSV", csv_path)):
            runs = [in_process(options.framework, path, records) for _ in range(options.repeat)]
            best = min(runs, key=lambda t: t["total"] - t["framework"])
            work = best["total"] - best["framework"]
            print(f"{label:<26}" + "".join(f"{best[s]:>10.3f}" for s in stages) + f"{work:>10.3f}{records / work:>12,.0f}")
        print(f"\n{'whole process':<26}{'best s':>10}{'records/s':>12}")
        for label, path in (("JSON", json_path), ("CSV", csv_path)):
            fastest = min(whole_process(options.framework, path) for _ in range(options.repeat))
            print(f"{label:<26}{fastest:>10.3f}{records / fastest:>12,.0f}")
    print(f"\nGoal: at least {GOAL:,} records a second, end to end (parsing, validation, rating and output).")


if __name__ == "__main__":
    main()
