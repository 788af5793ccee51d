"""The 2017 consultation draft (seed 003, Annex F) is transcribed verbatim and completely.

Every standard text, key question and prompt of Annex F must appear word for word in the
seed once the PDF extraction's line breaks are undone; the counts per domain are counted
from the seed and fixed here; the NPS and CRC modules carry their provider applicability;
the ratings proposal of §4 is modelled as published.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from support import checked, compiled, seed, seed_missing

from precepts.compiler.model import Compare, Framework
from precepts.core.diagnostics import Severity
from precepts.pipeline import Result as CheckResult

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK = ROOT / "frameworks" / "hmip-probation-2017-draft.precepts"
SEED = seed("003_710f8994d200d39b.txt")

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason=seed_missing(SEED))

# Counted from Annex F of the seed: (standards, key questions, prompts) per domain.
EXPECTED = {
    "1": (4, 15, 66),
    "2": (4, 12, 47),
    "3": (2, 6, 23),
    "4": (2, 7, 29),
}
EXPECTED_PER_STANDARD = {  # key questions, prompts
    "1.1": (3, 14), "1.2": (5, 22), "1.3": (3, 12), "1.4": (4, 18),
    "2.1": (3, 9), "2.2": (3, 11), "2.3": (3, 16), "2.4": (3, 11),
    "3.1": (2, 12), "3.2": (4, 11),
    "4.1": (4, 15), "4.2": (3, 14),
}


def normalise(lines: list[str]) -> str:
    """Undo the PDF extraction's line breaks: join lines with one space, and a word split
    after a hyphen at a line end without one ("high-\\nquality" → "high-quality")."""
    text = ""
    for line in (raw.strip() for raw in lines):
        if not line:
            continue
        if not text:
            text = line
        elif text.endswith("-"):
            text += line
        else:
            text += " " + line
    return re.sub(r"\s+", " ", text)


@cache
def seed_lines() -> tuple[str, ...]:
    return tuple(SEED.read_text(encoding="utf-8").split("\n"))


def section(first: str, stop: str) -> list[str]:
    lines = seed_lines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(first))
    end = next(i for i, line in enumerate(lines) if i > start and line.strip().startswith(stop))
    return list(lines[start + 1:end])


@cache
def annex_f() -> str:
    return normalise(section("Annex F: Proposed standards framework", "Annex G: Example"))


@cache
def annex_g() -> str:
    return normalise(section("Annex G: Example", "Annex H: About"))


@cache
def whole_seed() -> str:
    return normalise(list(seed_lines()))


def result() -> CheckResult:
    return checked(FRAMEWORK)


def framework() -> Framework:
    return compiled(FRAMEWORK)


def test_checks_without_errors() -> None:
    errors = [d for d in result().diagnostics if d.severity is Severity.ERROR]
    assert errors == []
    assert all(w.waiver.reason for w in result().waived)  # type: ignore[attr-defined]


def test_metadata() -> None:
    fw = framework()
    assert fw.id == "hmip-probation-2017-draft"
    assert fw.status == "consultation"
    assert fw.date == "2017"
    assert fw.licence == "Crown copyright. Re-used under the Open Government Licence v3.0."
    assert fw.source and "Annex F" in fw.source
    assert fw.prompt_limit == 10
    assert [level.id for level in fw.levels] == ["provider"]
    attributes = {a.id: a.values for a in fw.attributes}
    assert attributes["provider"] == ("nps", "crc")
    header = FRAMEWORK.read_text(encoding="utf-8").split("\n", 12)[:12]
    assert any("Crown copyright. Re-used under the Open Government Licence v3.0." in line for line in header)


def test_domains_as_published() -> None:
    fw = framework()
    assert [(d.number, d.heading) for d in fw.domains] == [
        ("1", "Organisational delivery"),
        ("2", "Case supervision"),
        ("3", "NPS specific work"),
        ("4", "CRC specific work"),
    ]
    for domain in fw.domains:
        assert f"{domain.number}. {domain.heading}" in annex_f()


def test_counts_per_domain() -> None:
    fw = framework()
    counts = {
        d.number: (
            len(d.standards),
            sum(len(s.questions) for s in d.standards),
            sum(len(q.prompts) for s in d.standards for q in s.questions),
        )
        for d in fw.domains
    }
    assert counts == EXPECTED
    assert len(fw.standards()) == 12
    assert len(fw.questions()) == 40
    assert len(fw.prompts()) == 165


def test_counts_per_standard() -> None:
    counts = {
        s.number: (len(s.questions), sum(len(q.prompts) for q in s.questions)) for s in framework().standards()
    }
    assert counts == EXPECTED_PER_STANDARD


def test_counts_match_the_seed() -> None:
    """Count the seed's numbered lines independently of the transcription."""
    lines = [line.strip() for line in section("Annex F: Proposed standards framework", "Annex G: Example")]
    domain = None
    seed_counts: dict[str, list[int]] = {}
    for line in lines:
        if match := re.match(r"^(\d)\. \S", line):
            domain = match.group(1)
            seed_counts[domain] = [0, 0, 0]
        elif re.match(r"^\d\.\d\s+[A-Z]", line):
            seed_counts[domain][0] += 1  # type: ignore[index]
        elif re.match(r"^\d\.\d\.\d ", line):
            seed_counts[domain][1] += 1  # type: ignore[index]
        elif re.match(r"^[a-z]\) ", line):
            seed_counts[domain][2] += 1  # type: ignore[index]
    assert {k: tuple(v) for k, v in seed_counts.items()} == EXPECTED


def test_every_text_is_verbatim() -> None:
    published = annex_f()
    for standard in framework().standards():
        assert f"{standard.number} {standard.heading}" in published
        assert len(standard.texts) == 1
        assert standard.texts[0].text in published, standard.texts[0].text
        for question in standard.questions:
            assert f"{question.number} {question.text}" in published, question.number
            for prompt in question.prompts:
                assert f"{prompt.letter}) {prompt.text}" in published, prompt.number


def test_numbering() -> None:
    for domain in framework().domains:
        for standard in domain.standards:
            assert standard.number.startswith(domain.number + ".")
            for question in standard.questions:
                assert question.number.startswith(standard.number + ".")
                assert [p.letter for p in question.prompts] == [chr(ord("a") + i) for i in range(len(question.prompts))]


def test_provider_modules() -> None:
    domains = {d.number: d for d in framework().domains}
    assert domains["1"].applies_to is None
    assert domains["2"].applies_to is None
    for number, provider in (("3", "nps"), ("4", "crc")):
        condition = domains[number].applies_to
        assert isinstance(condition, Compare)
        assert (condition.op, condition.subject, condition.name, condition.values) == ("is", "attribute", "provider", (provider,))


def test_post_custody_prompt() -> None:
    prompt = next(p for p in framework().prompts() if p.number == "2.3.1d")
    assert prompt.text.startswith("Post-custody cases only:")
    assert isinstance(prompt.applies_to, Compare)
    assert (prompt.applies_to.name, prompt.applies_to.values) == ("case-type", ("post-custody",))


def test_ratings() -> None:
    for domain in framework().domains:
        for standard in domain.standards:
            assert len(standard.ratings) == 1
            rating = standard.ratings[0]
            if domain.number == "1":
                assert rating.method == "judgement", standard.number
            else:
                assert (rating.method, rating.banding) == ("cases", "case-results"), standard.number


def test_composite() -> None:
    fw = framework()
    [composite] = fw.composites
    assert composite.score == "sum"
    assert dict(composite.scores) == {
        "inadequate": Decimal(0), "requires-improvement": Decimal(1), "good": Decimal(2), "outstanding": Decimal(3),
    }
    assert [(b.low, b.high, b.grade) for b in composite.bands] == [
        (Decimal(0), Decimal(5), "inadequate"),
        (Decimal(6), Decimal(15), "requires-improvement"),
        (Decimal(16), Decimal(25), "good"),
        (Decimal(26), Decimal(30), "outstanding"),
    ]
    # §4.22: "Each of the ten NPS or CRC standards": 4 + 4 + 2 for each provider.
    for provider in ("nps", "crc"):
        rated = [
            s for d in fw.domains for s in d.standards
            if d.applies_to is None or provider in d.applies_to.values  # type: ignore[union-attr]
        ]
        assert len(rated) == 10
        assert 3 * len(rated) == composite.bands[-1].high


def test_annex_g_characteristics() -> None:
    leadership = next(s for s in framework().standards() if s.number == "1.1")
    grades = [c.grade for c in leadership.characteristics]
    assert grades == ["outstanding"] * 6 + ["inadequate"] * 7
    published = annex_g()
    for characteristic in leadership.characteristics:
        assert f"• {characteristic.text}" in published, characteristic.text
    bullets = [line for line in section("Annex G: Example", "Annex H: About") if line.strip().startswith("•")]
    assert len(bullets) == len(leadership.characteristics)
    for standard in framework().standards():
        if standard.number != "1.1":
            assert standard.characteristics == ()


def test_consultation_questions() -> None:
    fw = framework()
    asked = {q.text: q.subject for q in fw.consultation_questions}
    assert len(asked) == 9
    published = whole_seed()
    for text in asked:
        assert text in published, text
    by_subject: dict[str, int] = {}
    for subject in asked.values():
        by_subject[subject] = by_subject.get(subject, 0) + 1
    assert by_subject == {fw.id: 6, "leadership": 1, "overall": 2}
    assert asked["Please do provide any further comments on the standards and ratings proposed."] == fw.id
    assert any(t.startswith("Does the example of rating characteristics") and s == "leadership" for t, s in asked.items())
    assert any(t.startswith("Should any parts of the standards framework be weighted") and s == "overall" for t, s in asked.items())


def test_published_faults_are_kept_and_waived() -> None:
    fw = framework()
    prompt = next(p for p in fw.prompts() if p.number == "1.3.2a")
    assert "other agenices," in prompt.text
    victim = next(s for s in fw.standards() if s.number == "3.2")
    assert victim.texts[0].text.endswith("at key points in the sentence")
    waived = [(w.waiver.subject, w.waiver.code) for w in result().waived]  # type: ignore[attr-defined]
    assert (prompt.id, "T002") in waived
    duplicated = {p.id for p in fw.prompts() if p.number in ("4.1.1c", "4.1.4c")}
    assert {subject for subject, code in waived if code == "D001"} == duplicated
