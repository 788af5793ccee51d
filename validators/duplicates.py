"""Duplicate prompts."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterator

from precepts.compiler.model import Framework, Prompt
from precepts.validators.registry import check

from precepts.codes import Code
from precepts.diagnostics import Diagnostic, Related

# Every ASCII punctuation mark and the typographic quotes become a space.
_FOLD = str.maketrans({ch: " " for ch in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~‘’“”–—…"})


def normalise(text: str) -> str:
    """Text as compared for exact duplicates: case, spacing, quotes and punctuation set aside."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    return " ".join(text.translate(_FOLD).casefold().split())


@check(Code.DUPLICATE_PROMPT)
def exact_duplicates(framework: Framework) -> Iterator[Diagnostic]:
    owners: dict[str, tuple[str, str]] = {}  # prompt id → (question number, standard number)
    groups: dict[tuple[str, str], list[Prompt]] = defaultdict(list)
    for standard in framework.standards():
        for question in standard.questions:
            for prompt in question.prompts:
                owners[prompt.id] = (question.number, standard.number)
                for level in prompt.levels:
                    groups[(level, normalise(prompt.text))].append(prompt)
    reported: set[tuple[str, ...]] = set()
    for (level, _), prompts in groups.items():
        if len(prompts) < 2:
            continue
        key = tuple(p.id for p in prompts)
        if key in reported:
            continue  # the same copies at another level: one finding is enough
        reported.add(key)
        later = prompts[-1]
        questions = {owners[p.id][0] for p in prompts}
        standards = {owners[p.id][1] for p in prompts}
        scope = (
            "within key question " + prompts[0].number[:-1] if len(questions) == 1 else
            "across key questions of standard " + next(iter(standards)) if len(standards) == 1 else
            "across standards"
        )
        numbers = ", ".join(p.number for p in prompts)
        yield Code.DUPLICATE_PROMPT(
            f"prompt {later.number} repeats {', '.join(p.number for p in prompts[:-1])} "
            f"word for word ({scope}, at {level}): \"{later.text}\"",
            later.span,
            help=f"remove or reword one of {numbers}; if the published text has the duplicate, keep it and waive this finding",
            related=tuple(Related(p.span, f"copy {p.number}") for p in prompts[:-1]),
            subjects=key,
        )
