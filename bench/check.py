"""Time `precepts check` as a whole process, and print the figures.

    python3 bench/check.py [--repeat N] [--sizes 1000,10000,100000]

For the shipped 2021 framework it reports the wall time of a cold process (the best and
the median of N runs) and its peak memory (max RSS), with the parse cache warm (as on any
second run) and with it off, and the parse cache's own cost: reading one entry of the
2021 framework in process (checking its HMAC and decoding it), best of 50. For generated frameworks of 1,000, 10,000 and 100,000
prompts it reports the same with the cache off, plus the cost per prompt, so that linear
growth shows as a flat last column; then a 100,000-prompt framework seeded with 1% exact
and 1% near duplicates. A bare `python3 -c pass` is timed too: the floor no Python
command can go below on this machine.
"""

from __future__ import annotations

import argparse
import os
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


def environment(cache: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as users run it
    if cache is None:
        env["PRECEPTS_NO_CACHE"] = "1"
    else:
        env["PRECEPTS_CACHE_DIR"] = str(cache)
    return env


ENV: dict[str, str] = {}


def run_once(args: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in MB, and exit status of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss // 1024, process.returncode


def measure(args: list[str], repeat: int) -> tuple[float, float, int, int]:
    runs = [run_once(args) for _ in range(repeat)]
    times = [t for t, _, _ in runs]
    return min(times), statistics.median(times), max(m for _, m, _ in runs), runs[-1][2]


def cache_read_ms() -> float:
    """Best time of reading the 2021 framework's parse cache entry, in milliseconds."""
    sys.path.insert(0, str(ROOT))
    from precepts.core.sources import Source
    from precepts.dsl import cache
    from precepts.dsl.loader import read_source
    from precepts.dsl.parser import parse_lines

    with tempfile.TemporaryDirectory() as folder:
        os.environ["PRECEPTS_CACHE_DIR"] = folder
        os.environ.pop("PRECEPTS_NO_CACHE", None)
        shown = "frameworks/hmip-adult-2021.precepts"
        source = read_source(ROOT / shown, shown)
        assert isinstance(source, Source), source
        cache.store(source.text, shown, parse_lines(source.text, shown))
        best = float("inf")
        for _ in range(50):
            start = time.perf_counter()
            assert cache.load(source.text, shown) is not None
            best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="runs per small measurement (default 7)")
    parser.add_argument("--sizes", default="1000,10000,100000", help="generated framework sizes in prompts")
    options = parser.parse_args()

    check = [sys.executable, "-m", "precepts.cli", "check"]
    print(f"precepts check, whole process ({os.cpu_count()} cores)\n")
    print(f"{'input':<38}{'best s':>9}{'median s':>10}{'peak MB':>9}{'exit':>6}{'µs/prompt':>11}")

    def row(label: str, args: list[str], repeat: int, prompts: int) -> None:
        best, median, peak, code = measure(args, repeat)
        per = f"{best / prompts * 1e6:>11.1f}" if prompts else ""
        print(f"{label:<38}{best:>9.3f}{median:>10.3f}{peak:>9}{code:>6}{per}")

    import compileall

    compileall.compile_dir(str(ROOT), quiet=1, workers=0, rx=__import__("re").compile(r"/(tests|\.git)/"))
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder) / "cache"
        ENV.clear()
        ENV.update(environment(cache))
        row("python3 -c pass (the floor)", [sys.executable, "-c", "pass"], options.repeat, 0)
        framework = "frameworks/hmip-adult-2021.precepts"
        run_once([*check, framework])  # fill the cache, as any earlier run has
        row("2021 framework, cache warm", [*check, framework], options.repeat, 179)
        ENV.update(environment(None))
        row("2021 framework, cache off", [*check, framework], options.repeat, 179)
        for size in (int(s) for s in options.sizes.split(",")):
            path = write(Path(folder), size)
            row(f"generated, {size:,} prompts", [*check, str(path)], options.repeat if size <= 10_000 else 2, size)
        seeded = write(Path(folder), 100_000, duplicates=0.01, near_duplicates=0.01)
        row("100,000 prompts, 1% + 1% duplicates", [*check, str(seeded)], 2, 100_000)
    print(f"\nparse cache, one read of the 2021 framework's entry (in process): {cache_read_ms():.2f} ms")
    print(
        "\nGoals: 2021 framework < 0.15 s and < 100 MB; 100,000 prompts < 8 s and < 1.5 GB, "
        "seeded with duplicates < 12 s; µs/prompt flat."
    )


if __name__ == "__main__":
    main()
