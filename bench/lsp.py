"""How long the language server takes to have diagnostics after an edit to the 2021 framework.

    python3 bench/lsp.py [--runs 30]

Measures, in process and warm (as the running server is), the whole analysis that a
`didChange` triggers: the check through the public API, parsing only the edited file (the
unchanged include comes from the parse cache), and the index of names. Prints the median
and worst of the runs, each after a different one-line edit. Goal: at most 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs

    from precepts.dsl import incremental
    from precepts.lsp import features
    from precepts.lsp.analysis import analyse
    from precepts.lsp.positions import Lines

    path = REPO / "frameworks" / "hmip-adult-2021.precepts"
    text = path.read_text(encoding="utf-8")
    incremental.activate()  # as the server does when it starts
    analyse(path, text, {})  # warm: imports, the grammar, the include's parse
    lines = text.split("\n")
    prompt_lines = [i for i, line in enumerate(lines) if line.lstrip().startswith(("a)", "b)", "c)"))]
    timings = []
    for run in range(runs):
        edited = list(lines)
        target = prompt_lines[run % len(prompt_lines)]
        edited[target] = edited[target] + f" edit {run}"
        new_text = "\n".join(edited)
        start = time.perf_counter()
        analysis = analyse(path, new_text, {})
        features.diagnostics(analysis, Lines(new_text))
        timings.append(time.perf_counter() - start)
    print(f"diagnostics after an edit to the 2021 framework ({len(lines)} lines), {runs} runs:")
    print(f"  median {statistics.median(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms "
          f"(goal: at most 100 ms)")


if __name__ == "__main__":
    main()
