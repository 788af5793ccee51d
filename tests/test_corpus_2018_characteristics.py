"""The March 2018 domain one characteristics (seed 004) are transcribed verbatim and completely:
four standards, each with its standard text and every paragraph of the characteristics of the
four ratings, in the published order."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from support import checked, compiled, seed, seed_missing

from precepts.compiler.model import Framework
from precepts.core.diagnostics import Severity
from precepts.pipeline import Result as CheckResult

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK = ROOT / "frameworks" / "hmip-domain-one-characteristics-2018.precepts"
SEED = seed("004_66fa71f08feb96e0.txt")

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason=seed_missing(SEED))

GRADES = {"Outstanding": "outstanding", "Good": "good", "Requires improvement": "requires-improvement", "Inadequate": "inadequate"}
STANDARDS = [("1.1", "Leadership"), ("1.2", "Staff"), ("1.3", "Services"), ("1.4", "Information and facilities")]
# Paragraphs per standard and grade, counted from the seed.
EXPECTED_COUNTS = {
    "1.1": {"outstanding": 4, "good": 4, "requires-improvement": 4, "inadequate": 4},
    "1.2": {"outstanding": 6, "good": 6, "requires-improvement": 6, "inadequate": 6},
    "1.3": {"outstanding": 4, "good": 5, "requires-improvement": 4, "inadequate": 5},
    "1.4": {"outstanding": 5, "good": 5, "requires-improvement": 5, "inadequate": 5},
}


@cache
def seed_structure() -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """{number: (standard text, [(grade, paragraph), ...])} read from the seed.

    Paragraphs are separated by blank lines; a page break in the PDF splits two paragraphs
    ("have been" / "inadequate. ..."), which are rejoined when the first does not end a
    sentence and the second starts in lower case."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == "1.1 Leadership")
    paragraphs: list[str] = []
    for line in lines[start:]:
        line = line.strip()
        if not line:
            continue
        if paragraphs and paragraphs[-1][-1] not in ".:;?!" and line[0].islower():
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
    structure: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    number = grade = None
    want_text = False
    for paragraph in paragraphs:
        if match := re.fullmatch(r"(1\.\d) (.+)", paragraph):
            number, grade, want_text = match.group(1), None, True
        elif want_text:
            structure[number] = (paragraph, [])  # type: ignore[index]
            want_text = False
        elif paragraph in GRADES:
            grade = GRADES[paragraph]
        else:
            assert grade is not None, paragraph
            structure[number][1].append((grade, paragraph))  # type: ignore[index]
    return structure


def result() -> CheckResult:
    return checked(FRAMEWORK)


def framework() -> Framework:
    return compiled(FRAMEWORK)


def test_checks_without_errors() -> None:
    errors = [d for d in result().diagnostics if d.severity is Severity.ERROR]
    assert errors == []


def test_metadata() -> None:
    fw = framework()
    assert fw.id == "hmip-domain-one-characteristics-2018"
    assert fw.licence == "Crown copyright. Re-used under the Open Government Licence v3.0."
    assert fw.source and "March 2018" in fw.source
    header = FRAMEWORK.read_text(encoding="utf-8").split("\n", 12)[:12]
    assert any("Crown copyright. Re-used under the Open Government Licence v3.0." in line for line in header)


def test_four_standards_rated_by_judgement() -> None:
    fw = framework()
    assert len(fw.domains) == 1
    assert [(s.number, s.heading) for s in fw.standards()] == STANDARDS
    for standard in fw.standards():
        assert [r.method for r in standard.ratings] == ["judgement"]
        assert standard.questions == ()
        assert len(standard.texts) == 1
        assert standard.texts[0].text == seed_structure()[standard.number][0]


def test_no_key_questions_is_waived_on_each_standard() -> None:
    standards = {s.id for s in framework().standards()}
    waived = [(w.waiver.subject, w.waiver.code) for w in result().waived if w.waiver.subject in standards]  # type: ignore[attr-defined]
    assert sorted(waived) == sorted((s, "N006") for s in standards)


def test_four_grades_in_order() -> None:
    order = ["outstanding", "good", "requires-improvement", "inadequate"]
    for standard in framework().standards():
        grades = [c.grade for c in standard.characteristics]
        assert list(dict.fromkeys(grades)) == order, standard.number
        assert grades == sorted(grades, key=order.index), standard.number


def test_counts() -> None:
    counts = {
        s.number: {g: sum(1 for c in s.characteristics if c.grade == g) for g in GRADES.values()}
        for s in framework().standards()
    }
    assert counts == EXPECTED_COUNTS
    assert sum(len(s.characteristics) for s in framework().standards()) == 78
    seed_counts = {
        number: {g: sum(1 for grade, _ in paragraphs if grade == g) for g in GRADES.values()}
        for number, (_, paragraphs) in seed_structure().items()
    }
    assert seed_counts == EXPECTED_COUNTS


def test_every_paragraph_verbatim_and_in_order() -> None:
    for standard in framework().standards():
        transcribed = [(c.grade, c.text) for c in standard.characteristics]
        assert transcribed == seed_structure()[standard.number][1], standard.number


def test_page_breaks_are_rejoined() -> None:
    texts = [c.text for s in framework().standards() for c in s.characteristics]
    assert any("leaders have sought to make have been inadequate. Consequently," in t for t in texts)
    assert any("preparing staff to work with a diverse range of service users" in t for t in texts)
