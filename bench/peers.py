"""precepts beside its peers, each doing the same job on the same size of input, as whole
processes, and print the figures.

    python3 bench/peers.py [--repeat 5] [--peers-venv DIR]

- `precepts check` of a generated 1,000-prompt framework beside `trestle validate`
  (compliance-trestle) of a 1,000-control OSCAL catalog: both read a standards document
  of that size and check it against its schema and rules;
- `precepts build` of that framework (every output: compiled JSON, schemas, forms,
  XLSForm workbook, consultation page, Word, PDF where WeasyPrint is installed) beside
  pyxform's `xls2xform` converting the one XLSForm workbook that build wrote;
- `precepts rate` (reading, schema validation, tallying, rating, writing the results) of
  100,000 case records beside `check-jsonschema` validating the same JSON file against
  the rating-input schema that build wrote, and doing nothing else.

The peers are not dependencies of precepts: they are installed into a virtual environment
of their own (DIR, default ~/.cache/precepts-bench-peers), from PyPI, the first time. Each
figure is the median of REPEAT runs, in wall seconds and in CPU seconds (user + system of
the process and its children); on a machine that is busy with other work the CPU figure
is the steadier one, so the ratios use it. The goal (issue 15) is `check` at least 10× as
fast as `trestle validate`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import write  # noqa: E402

PEERS = ["compliance-trestle>=3,<6", "pyxform>=2,<5", "check-jsonschema>=0.28,<1"]
DEFAULT_VENV = Path.home() / ".cache" / "precepts-bench-peers"


def peers_venv(folder: Path) -> Path:
    """The peers' bin folder, installing them the first time."""
    bin_folder = folder / "bin"
    if not (bin_folder / "trestle").exists():
        print(f"installing {', '.join(PEERS)} into {folder} …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        subprocess.run([str(bin_folder / "python"), "-m", "pip", "install", "-q", *PEERS], check=True)
    return bin_folder


def run_once(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one process, which must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{stderr[:2000]}")
    return wall, usage.ru_utime + usage.ru_stime


def median_of(args: list[str], cwd: Path, repeat: int) -> tuple[float, float]:
    runs = [run_once(args, cwd) for _ in range(repeat)]
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def oscal_catalog(controls: int, words: list[str]) -> dict[str, object]:
    """A valid OSCAL 1.1 catalog of `controls` controls in groups of 50, each with one
    statement of 14 words, about the length of a prompt. Fixed ids, so runs compare."""
    groups = []
    for g in range(0, controls, 50):
        group_controls = []
        for c in range(g, min(g + 50, controls)):
            prose = " ".join(words[(c * 14 + k) % len(words)] for k in range(14))
            control_id = f"g{g // 50 + 1}-{c - g + 1}"
            group_controls.append({"id": control_id, "title": f"Control {c + 1}",
                                   "parts": [{"id": f"{control_id}_smt", "name": "statement", "prose": prose}]})
        groups.append({"id": f"g{g // 50 + 1}", "title": f"Group {g // 50 + 1}", "controls": group_controls})
    return {"catalog": {
        "uuid": str(uuid.UUID(int=2021, version=4)),
        "metadata": {"title": "Benchmark catalog", "last-modified": "2026-01-01T00:00:00+00:00",
                     "version": "1", "oscal-version": "1.1.2"},
        "groups": groups,
    }}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; the median is reported")
    parser.add_argument("--peers-venv", type=Path, default=DEFAULT_VENV)
    options = parser.parse_args()
    peers = peers_venv(options.peers_venv)
    precepts = [sys.executable, "-m", "precepts.cli"]
    rows: list[tuple[str, str, float, float, float, float]] = []

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        framework = write(folder, 1000)
        words = framework.read_text(encoding="utf-8").split()[:5000]

        # check beside trestle validate
        workspace = folder / "trestle"
        workspace.mkdir()
        subprocess.run([str(peers / "trestle"), "init"], cwd=workspace, check=True, capture_output=True)
        catalog = workspace / "catalogs" / "bench" / "catalog.json"
        catalog.parent.mkdir(parents=True)
        catalog.write_text(json.dumps(oscal_catalog(1000, words), indent=2), encoding="utf-8")
        ours = median_of([*precepts, "check", str(framework)], ROOT, options.repeat)
        theirs = median_of([str(peers / "trestle"), "validate", "-f", str(catalog)], workspace, options.repeat)
        rows.append(("check, 1,000 prompts", "trestle validate, 1,000 controls", *ours, *theirs))

        # build beside pyxform
        output = folder / "build"
        ours = median_of([*precepts, "build", str(framework), "-o", str(output)], ROOT, options.repeat)
        workbook = next(output.rglob("case-assessment.xlsx"))
        theirs = median_of([str(peers / "xls2xform"), str(workbook), str(folder / "form.xml")], ROOT, options.repeat)
        rows.append(("build, 1,000 prompts (every output)", "pyxform xls2xform, the one form", *ours, *theirs))

        # rate beside check-jsonschema
        from rate import FRAMEWORK, generate

        document, _, records = generate(FRAMEWORK, 100, 1000)
        records_file = folder / "cases.json"
        records_file.write_text(json.dumps(document), encoding="utf-8")
        subprocess.run([*precepts, "build", str(FRAMEWORK), "-o", str(folder / "rate-build")], cwd=ROOT, check=True,
                       capture_output=True)
        schema = next((folder / "rate-build").rglob("pdu/rating-input.schema.json"))
        ours = median_of([*precepts, "rate", str(FRAMEWORK), "--input", str(records_file), "--format", "json"], ROOT,
                         options.repeat)
        theirs = median_of([str(peers / "check-jsonschema"), "--schemafile", str(schema), str(records_file)], ROOT,
                           options.repeat)
        rows.append((f"rate, {records:,} records", "check-jsonschema, validation only", *ours, *theirs))

    load = os.getloadavg()[0]
    print(f"precepts beside its peers, whole processes, median of {options.repeat} "
          f"({os.cpu_count()} cores, load {load:.1f} at the end)\n")
    print(f"{'precepts':<38}{'wall s':>8}{'cpu s':>8}   {'peer':<36}{'wall s':>8}{'cpu s':>8}{'× (cpu)':>9}")
    for ours_label, theirs_label, our_wall, our_cpu, their_wall, their_cpu in rows:
        print(f"{ours_label:<38}{our_wall:>8.2f}{our_cpu:>8.2f}   {theirs_label:<36}{their_wall:>8.2f}"
              f"{their_cpu:>8.2f}{their_cpu / our_cpu:>9.1f}")
    print("\nGoal (issue 15): check at least 10× as fast as trestle validate on the same size of input.")


if __name__ == "__main__":
    main()
