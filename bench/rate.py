"""Time `precepts rate` end to end on generated case records, and print the figures.

    python3 bench/rate.py [--units 100] [--cases 1000] [--repeat 5] [--framework FILE]
    python3 bench/rate.py --wide            # the wide export: 17 key questions, 200,000 rows
    python3 bench/rate.py --units 100 --cases 10000 --whole-only   # 1,000,000 records

It writes case records for UNITS inspected units (CASES each) under the 2021 framework —
a yes/no judgement for every key question rated from cases, the case type, and the
prompts whose applicability depends on it — as JSON and as CSV, then measures, for each
format:

- in process: parsing, validation against the generated JSON Schema (jsonschema-rs),
  tallying, rating, and the JSON output, each timed, and their total (the whole file
  read at once, as `Rater.load` does);
- whole process: `precepts rate FILE --input … --format json` as a user runs it (which
  reads the file a block or a unit at a time): elapsed and processor time (user and
  system; what to compare on a shared machine), and peak memory (maximum resident set
  size). The stages in process are timed in a process of their own, so that their pages
  are not counted in the peak of the whole processes started after them.

Each figure is the median of --repeat runs (at least 5 for figures worth quoting; the
machine's load average is printed before and after). The goals (issue 15): a whole
process at least 150,000 CSV and 100,000 JSON records a second, and at most 300 MB at
1,000,000 records in 100 units.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORK = ROOT / "frameworks" / "hmip-adult-2021.precepts"
# The wide export: an NPS division's records under the 2017 draft, 17 key questions of its 18.
WIDE = ROOT / "frameworks" / "hmip-probation-2017-draft.precepts"
GOALS = {"CSV": 150_000, "JSON": 100_000}
MEMORY_GOAL_MB = 300  # at 1,000,000 records in 100 units


def generate(framework: Path, units: int, cases: int, seed: int = 2021, level: str | None = "pdu",
             questions_at_most: int | None = None, attributes: dict[str, str] | None = None,
             ) -> tuple[dict[str, Any], str, int]:
    """The same records as a JSON document and as CSV text; and how many records. The
    unit `attributes` are given to the units in JSON and to every row in CSV."""
    from precepts.compiler.conditions import holds_for
    from precepts.ratings.run import Rater, load_framework

    plan = Rater.for_framework(load_framework(framework), level).plan
    attributes = attributes or {}
    rng = random.Random(seed)
    questions = [q for s in plan.standards if s.method in ("cases", "percentages-only")
                 and holds_for(s.condition, attributes) is not False for q in s.questions][:questions_at_most]
    conditional = [p for q in questions for p in q.prompts if p.condition is not None]
    numbers = [q.question.number for q in questions]
    prompt_numbers = [p.prompt.number for p in conditional]
    document: dict[str, Any] = {"format": "precepts-rating-input", "format_version": 1, "level": plan.level, "units": []}
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(["unit", "case", *attributes, "case-type", *numbers, *prompt_numbers])
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
            writer.writerow([name, f"{name}-{c + 1:05d}", *attributes.values(), case_type, *answers, *prompts])
        unit: dict[str, Any] = {"unit": name, **({"attributes": dict(attributes)} if attributes else {}), "cases": records}
        document["units"].append(unit)
    return document, rows.getvalue(), units * cases


def in_process(framework: Path, path: Path, level: str | None) -> dict[str, float]:
    """Seconds for each stage of one run, in this process."""
    from precepts.ratings import output_json
    from precepts.ratings.engine import rate
    from precepts.ratings.reading import read_units
    from precepts.ratings.run import Rater, load_framework

    times: dict[str, float] = {}
    start = time.perf_counter()
    compiled = load_framework(framework)
    rater = Rater.for_framework(compiled, level)
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


def timed_stages(framework: Path, path: Path, level: str | None, repeat: int) -> list[dict[str, float]]:
    """`in_process`, `repeat` times, in a process of its own. In this one, the whole input
    parsed at once would stay among its pages, and every `precepts rate` started from it
    afterwards would report them as its own peak: Linux counts a child's resident set
    from before it executes the new program (the parent's pages, shared after fork) in
    its maximum resident set size. That is how the wide export once showed 817 MB."""
    command = [sys.executable, __file__, "--stages-of", str(path), "--framework", str(framework),
               "--repeat", str(repeat), *(["--level", level] if level else [])]
    timed = subprocess.run(command, stdout=subprocess.PIPE, check=True, text=True, cwd=ROOT)
    runs: list[dict[str, float]] = json.loads(timed.stdout)
    return runs


def whole_process(framework: Path, path: Path, level: str | None) -> tuple[float, float, float]:
    """Seconds, processor seconds (user and system) and peak memory (MB, maximum resident
    set size) of one `precepts rate`. Processor time is what to compare on a shared
    machine, where waiting for a core inflates the elapsed time."""
    command = [sys.executable, "-m", "precepts.cli", "rate", str(framework), "--input", str(path), "--format", "json"]
    start = time.perf_counter()
    process = subprocess.Popen([*command, *(["--level", level] if level else [])],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    assert process.stderr is not None
    errors = process.stderr.read().decode()
    process.stderr.close()
    if status != 0:
        raise SystemExit(f"precepts rate failed ({status}): {errors[:2000]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # kilobytes on Linux


def write_inputs(options: argparse.Namespace) -> None:
    """Write cases.json and cases.csv into --write-into; print the records and columns."""
    level, attributes, most = ("provider", {"provider": "nps"}, 17) if options.wide else ("pdu", {}, None)
    document, csv_text, records = generate(options.framework, options.units, options.cases, level=level,
                                           questions_at_most=most, attributes=attributes)
    (options.write_into / "cases.json").write_text(json.dumps(document), encoding="utf-8")
    (options.write_into / "cases.csv").write_text(csv_text, encoding="utf-8")
    print(records, len(csv_text[: csv_text.index("\n")].split(",")))


def _load() -> str:
    return ", ".join(f"{figure:.2f}" for figure in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--cases", type=int, default=None, help="case records per unit (default 1000; 2000 with --wide)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; the median is reported")
    parser.add_argument("--framework", type=Path, default=None)
    parser.add_argument("--wide", action="store_true",
                        help="the wide export: 17 key-question columns of an NPS division under the 2017 draft")
    parser.add_argument("--whole-only", action="store_true", help="only whole processes (for a million records)")
    parser.add_argument("--write-into", type=Path, help=argparse.SUPPRESS)  # the generating process
    parser.add_argument("--stages-of", type=Path, help=argparse.SUPPRESS)  # a process timing the stages
    parser.add_argument("--level", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.write_into is not None:
        write_inputs(options)
        return
    if options.stages_of is not None:
        print(json.dumps([in_process(options.framework, options.stages_of, options.level) for _ in range(options.repeat)]))
        return

    framework = options.framework or (WIDE if options.wide else FRAMEWORK)
    level = "provider" if options.wide else "pdu"
    cases = options.cases or (2000 if options.wide else 1000)
    with tempfile.TemporaryDirectory() as folder:
        json_path = Path(folder) / "cases.json"
        csv_path = Path(folder) / "cases.csv"
        # Written by another process: the peak memory of each `precepts rate` counts the
        # pages of the process it is started from, which must stay small.
        written = subprocess.run(
            [sys.executable, __file__, "--write-into", folder, "--units", str(options.units), "--cases", str(cases),
             "--framework", str(framework), *(["--wide"] if options.wide else [])],
            stdout=subprocess.PIPE, check=True, text=True,
        )
        records, columns = map(int, written.stdout.split())
        print(f"precepts rate, {records:,} case records for {options.units} units, {columns} CSV columns "
              f"({os.cpu_count()} cores, load average {_load()})\n")
        print(f"input: JSON {json_path.stat().st_size / 1e6:.1f} MB, CSV {csv_path.stat().st_size / 1e6:.1f} MB\n")
        if not options.whole_only:
            stages = ("parse", "validate", "tally", "rate", "output")
            print(f"{'in process (median of ' + str(options.repeat) + ')':<26}" + "".join(f"{s:>10}" for s in stages)
                  + f"{'total s':>10}{'records/s':>12}")
            for label, path in (("JSON", json_path), ("CSV", csv_path)):
                runs = timed_stages(framework, path, level, options.repeat)
                median = {s: statistics.median(t[s] for t in runs) for s in (*stages, "total", "framework")}
                work = statistics.median(t["total"] - t["framework"] for t in runs)
                print(f"{label:<26}" + "".join(f"{median[s]:>10.3f}" for s in stages) + f"{work:>10.3f}{records / work:>12,.0f}")
            print()
        print(f"{'whole process':<26}{'median s':>10}{'best s':>10}{'records/s':>12}{'cpu s':>10}{'per cpu s':>12}"
              f"{'peak MB':>10}{'goal':>12}")
        for label, path in (("JSON", json_path), ("CSV", csv_path)):
            processes = [whole_process(framework, path, level) for _ in range(options.repeat)]
            seconds = statistics.median(t for t, _, _ in processes)
            cpu = statistics.median(c for _, c, _ in processes)
            peak = max(m for _, _, m in processes)
            print(f"{label:<26}{seconds:>10.3f}{min(t for t, _, _ in processes):>10.3f}{records / seconds:>12,.0f}"
                  f"{cpu:>10.3f}{records / cpu:>12,.0f}{peak:>10.0f}{GOALS[label]:>12,}")
    print(f"\nload average after: {_load()}")
    print(f"Goals: whole process at least {GOALS['CSV']:,} CSV and {GOALS['JSON']:,} JSON records a second; "
          f"at most {MEMORY_GOAL_MB} MB at 1,000,000 records in 100 units.")


if __name__ == "__main__":
    main()
