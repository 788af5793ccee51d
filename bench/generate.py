"""Generate large synthetic frameworks for benchmarks.

Prompts are made of real English words drawn by their frequency in English (the word list
of the spelling dictionary), so that word statistics — and with them the cost of the
duplicate and spelling checks — resemble a real framework's. Optionally a share of the
prompts are exact copies or near copies (one word changed) of earlier ones.
"""

from __future__ import annotations

import random
from collections import Counter
from functools import lru_cache
from pathlib import Path

RATING_RULES = [
    "level pdu: PDU",
    "scale rating: Rating",
    '  grade inadequate "Inadequate"',
    '  grade requires-improvement "Requires improvement"',
    '  grade good "Good"',
    '  grade outstanding "Outstanding"',
    "banding case-results: Bandings",
    "  rounding: half up to whole percent",
    '  band minority "Minority": below 50% gives inadequate',
    '  band too-few "Too few": 50% to 64% gives requires-improvement',
    '  band reasonable-majority "Reasonable majority": 65% to 79% gives good',
    '  band large-majority "Large majority": 80% and above gives outstanding',
]


@lru_cache(maxsize=1)
def vocabulary() -> tuple[tuple[str, ...], tuple[float, ...]]:
    from spellchecker import SpellChecker

    # A Counter at run time; typed as a plain dict by the package, hence the (cheap) copy.
    common = Counter(SpellChecker(language="en").word_frequency.dictionary).most_common(20_000)
    words = tuple(w for w, _ in common if w.isalpha() and len(w) > 1)
    weights = tuple(float(c) ** 0.7 for w, c in common if w.isalpha() and len(w) > 1)
    return words, weights


def sentence(rng: random.Random, length: int) -> str:
    words, weights = vocabulary()
    body = rng.choices(words, weights=weights, k=length)
    return "Does the " + " ".join(body) + "?"


def framework_text(
    prompts: int,
    seed: int = 2021,
    prompts_per_question: int = 8,
    questions_per_standard: int = 4,
    duplicates: float = 0.0,
    near_duplicates: float = 0.0,
) -> str:
    rng = random.Random(seed)
    lines = [f"framework generated-{prompts}", f"title: Generated framework with {prompts} prompts", "status: draft"]
    lines += RATING_RULES
    per_standard = prompts_per_question * questions_per_standard
    standards = -(-prompts // per_standard)
    made = 0
    texts: list[str] = []
    for s in range(standards):
        d, n = divmod(s, 9)
        if n == 0:
            lines.append(f"domain {d + 1} Domain {d + 1}")
        lines += [
            f"  standard {d + 1}.{n + 1} Standard {s + 1}",
            f"    text: {sentence(rng, 12)}",
            "    rated: from cases using case-results",
        ]
        for q in range(questions_per_standard):
            if made >= prompts:
                break
            lines.append(f"    question {d + 1}.{n + 1}.{q + 1} {sentence(rng, 12)}")
            for p in range(prompts_per_question):
                if made >= prompts:
                    break
                roll = rng.random()
                if texts and roll < duplicates:
                    text = rng.choice(texts)
                elif texts and roll < duplicates + near_duplicates:
                    words = rng.choice(texts)[:-1].split()
                    words[rng.randrange(2, len(words))] = rng.choice(vocabulary()[0][:2000])
                    text = " ".join(words) + "?"
                else:
                    text = sentence(rng, rng.randint(8, 18))
                    texts.append(text)
                lines.append(f"      {chr(97 + p)}) {text}")
                made += 1
    return "\n".join(lines) + "\n"


def write(folder: Path, prompts: int, **options: float) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    suffix = "-seeded" if options.get("duplicates") or options.get("near_duplicates") else ""
    path = folder / f"generated-{prompts}{suffix}.precepts"
    path.write_text(framework_text(prompts, **options), encoding="utf-8")  # type: ignore[arg-type]
    return path


if __name__ == "__main__":
    import sys

    print(write(Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/precepts-bench"), int(sys.argv[1]),
                duplicates=0.01, near_duplicates=0.01))
