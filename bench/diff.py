"""Time `precepts diff` between two versions of a generated framework, and print the figures.

    python3 bench/diff.py [--repeat N] [--sizes 1000,10000,100000]

The new version rewords one word in 5% of the prompts and drops 1% (which renumbers the
prompts after them, so their derived ids no longer match): the pairing must then propose
pairs from text similarity, the step that compared every old text with every new one
(issue 15). For each size it reports the whole process's wall time (best and median of N
runs) and its peak memory (max RSS), and the time per prompt, so that linear growth shows
as a flat last column.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import framework_text, vocabulary


def revised(text: str, seed: int = 15) -> str:
    """The next version: some prompts reworded by one word, some dropped."""
    rng = random.Random(seed)
    common = vocabulary()[0][:2000]
    lines = []
    letter = 0
    for line in text.splitlines():
        if line.startswith("    question "):
            letter = 0
        elif line.startswith("      ") and ") " in line:
            roll = rng.random()
            if roll < 0.01:
                continue
            words = line.split(" ")
            if roll < 0.06:
                words[rng.randrange(len(words) - 4, len(words) - 1)] = rng.choice(common)
            words[6] = f"{chr(97 + letter)})"  # the letters after a dropped prompt move up
            letter += 1
            line = " ".join(words)
        lines.append(line)
    return "\n".join(lines) + "\n"


def run(command: list[str]) -> tuple[float, int]:
    """Wall seconds and the peak RSS (KiB) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    seconds = time.perf_counter() - started
    return seconds, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000,100000")
    options = parser.parse_args()
    print(f"{'prompts':>8} {'best s':>8} {'median s':>9} {'peak MiB':>9} {'µs/prompt':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in options.sizes.split(",")):
            old_text = framework_text(size)
            old, new = Path(folder, f"old-{size}.precepts"), Path(folder, f"new-{size}.precepts")
            old.write_text(old_text, encoding="utf-8")
            new.write_text(revised(old_text), encoding="utf-8")
            command = [sys.executable, "-m", "precepts", "diff", "--format", "json", str(old), str(new)]
            runs = [run(command) for _ in range(options.repeat)]
            times = [seconds for seconds, _ in runs]
            peak = max(rss for _, rss in runs) / 1024
            print(f"{size:>8} {min(times):>8.2f} {statistics.median(times):>9.2f} {peak:>9.0f}"
                  f" {min(times) / size * 1e6:>10.1f}", flush=True)


if __name__ == "__main__":
    main()
