"""Time `precepts build` as a whole process, and print the figures.

    python3 bench/build.py [--repeat N] [--sizes 1000,10000,100000] [--pdf-sizes 1000]
                           [--skip pdf,docx,html,xlsx] [--timeout SECONDS]

For generated frameworks (bench/generate.py) of each size it builds into a new, empty
folder (as a first build does; the folder is removed between runs, untimed) and reports
the wall time (best and median of N runs), the processor time (user + system, median), the
peak memory (max RSS) and the wall time per prompt, so that linear growth shows as a flat
last column. Beside each it times `precepts check` of the same file, the floor a build
cannot go below: the issue's aim (issue 15) is a build that costs little more than the
check plus writing the files.

Every size is built without the consultation PDF (`--skip pdf`, plus whatever `--skip`
adds); the sizes in --pdf-sizes are also built with it, since WeasyPrint's layout takes
minutes from 10,000 prompts up. A run longer than --timeout is stopped and reported as
such. The load average is printed before and after: on a shared machine the wall time
follows it, the processor time much less.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import write  # noqa: E402

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PRECEPTS_NO_CACHE": "1"}


def run_once(args: list[str], output: Path | None, timeout: float) -> tuple[float, float, int, int]:
    """Wall seconds, processor seconds, peak RSS in MB and exit status of one process
    (exit status -1 when it was stopped after `timeout` seconds)."""
    if output is not None:
        shutil.rmtree(output, ignore_errors=True)
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV)
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - start > timeout:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
            return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, -1
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


def load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement up to 10,000 prompts (default 5)")
    parser.add_argument("--sizes", default="1000,10000,100000", help="generated framework sizes in prompts")
    parser.add_argument("--pdf-sizes", default="1000", help="sizes also built with the PDF ('' for none)")
    parser.add_argument("--skip", default="", help="outputs left out besides the PDF, as `precepts build --skip`")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a run is stopped (default 1800)")
    options = parser.parse_args()

    precepts = [sys.executable, "-m", "precepts.cli"]
    skipped = ["pdf", *(s for s in options.skip.split(",") if s and s != "pdf")]
    pdf_sizes = {int(s) for s in options.pdf_sizes.split(",") if s}
    print(f"precepts build, whole process, into an empty folder ({os.cpu_count()} cores, load {load()})\n")
    print(f"{'input':<44}{'best s':>9}{'median s':>10}{'cpu s':>8}{'peak MB':>9}{'exit':>6}{'µs/prompt':>11}")

    def row(label: str, args: list[str], output: Path | None, prompts: int) -> None:
        repeat = options.repeat if prompts <= 10_000 else 2
        runs = [run_once(args, output, options.timeout) for _ in range(repeat)]
        walls = [wall for wall, _, _, _ in runs]
        code = runs[-1][3]
        shown = "timeout" if code == -1 else str(code)
        print(f"{label:<44}{min(walls):>9.2f}{statistics.median(walls):>10.2f}"
              f"{statistics.median(cpu for _, cpu, _, _ in runs):>8.2f}{max(m for _, _, m, _ in runs):>9}"
              f"{shown:>6}{min(walls) / prompts * 1e6:>11.1f}", flush=True)

    import compileall

    compileall.compile_dir(str(ROOT), quiet=1, workers=0, rx=__import__("re").compile(r"/(tests|\.git)/"))
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "build"
        for size in (int(s) for s in options.sizes.split(",")):
            path = str(write(Path(folder), size))
            row(f"check, {size:,} prompts", [*precepts, "check", path], None, size)
            row(f"build --skip {','.join(skipped)}, {size:,} prompts",
                [*precepts, "build", path, "-o", str(output), "--skip", ",".join(skipped)], output, size)
            if size in pdf_sizes:
                row(f"build, every output, {size:,} prompts", [*precepts, "build", path, "-o", str(output)],
                    output, size)
    print(f"\nload average after: {load()}")
    print("Goal (issue 15): 100,000 prompts built in ≤ 10 s and ≤ 400 MB; µs/prompt flat.")


if __name__ == "__main__":
    main()
