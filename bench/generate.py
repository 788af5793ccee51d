"""Generate large synthetic frameworks for benchmarks (not for tests' expectations)."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "assessment planning delivery review risk harm desistance engagement contact staff "
    "services partners courts victims diversity information facilities leadership "
    "strategy workload training supervision quality analysis policy premises systems "
    "compliance enforcement safeguarding accommodation employment substance wellbeing"
).split()


def sentence(rng: random.Random, length: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    return "Does the " + " ".join(words) + " work effectively?"


def framework_text(prompts: int, seed: int = 2021, prompts_per_question: int = 10,
                   questions_per_standard: int = 5, duplicate_every: int = 0) -> str:
    rng = random.Random(seed)
    lines = [
        f"framework generated-{prompts}",
        f"title: Generated framework with {prompts} prompts",
        "status: draft",
        "level pdu: PDU",
        "scale rating: Rating",
        '  grade inadequate "Inadequate" scores 0',
        '  grade requires-improvement "Requires improvement" scores 1',
        '  grade good "Good" scores 2',
        '  grade outstanding "Outstanding" scores 3',
        "banding case-results: Bandings",
        "  rounding: half up to whole percent",
        '  band minority "Minority": below 50% gives inadequate',
        '  band too-few "Too few": 50% to 64% gives requires-improvement',
        '  band reasonable-majority "Reasonable majority": 65% to 79% gives good',
        '  band large-majority "Large majority": 80% and above gives outstanding',
    ]
    per_standard = prompts_per_question * questions_per_standard
    standards = -(-prompts // per_standard)
    standards_per_domain = 9
    made = 0
    texts: list[str] = []
    for s in range(standards):
        d, n = divmod(s, standards_per_domain)
        if n == 0:
            lines.append(f"domain {d + 1} Domain {d + 1}")
        lines.append(f"  standard {d + 1}.{n + 1} Standard {s + 1}")
        lines.append(f"    id: standard-{s + 1}")
        lines.append(f"    text: {sentence(rng)}")
        lines.append("    rated: from cases using case-results")
        for q in range(questions_per_standard):
            if made >= prompts:
                break
            lines.append(f"    question {d + 1}.{n + 1}.{q + 1} {sentence(rng)}")
            for p in range(prompts_per_question):
                if made >= prompts:
                    break
                if duplicate_every and texts and made % duplicate_every == 0:
                    text = rng.choice(texts)
                else:
                    text = sentence(rng)
                    texts.append(text)
                lines.append(f"      {chr(97 + p)}) {text}")
                made += 1
    return "\n".join(lines) + "\n"


def write(folder: Path, prompts: int, **options: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"generated-{prompts}.precepts"
    path.write_text(framework_text(prompts, **options), encoding="utf-8")
    return path


if __name__ == "__main__":
    import sys

    print(write(Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/precepts-bench"), int(sys.argv[1])))
