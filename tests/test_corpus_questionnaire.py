"""The 2021 experience-of-probation questionnaire (seed 000, Annexe 2) is appended to the 2021
framework with every item, its "Inspector use" references as published, the free-text and
"about you" questions, and a waiver for each published reference fault the checker finds."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from support import checked, compiled, seed, seed_missing

from precepts.compiler.model import Framework, Questionnaire
from precepts.core.diagnostics import Severity
from precepts.pipeline import Result as CheckResult

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK = ROOT / "frameworks" / "hmip-adult-2021.precepts"
SEED = seed("000_146081cfc030480c.txt")

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason=seed_missing(SEED))

# (item, the published "Inspector use" column), as in Annexe 2.
EXPECTED_ITEMS = [
    ("I have been able to access the services I need to make positive changes to my life", "1.3.2a"),
    ("I have been able to access these services in a reasonable time (I did not have to wait too long)", "1.3.2a"),
    ("I am able to access services appropriate to my personal characteristics (for example, age, gender, ethnicity, sexuality etc.)", "1.3.2c/d"),
    ("I have been able to access these services in my local area", "1.3.2e"),
    ("I travelled a reasonable distance for my probation appointments", "1.4.2a"),
    ("I have been able to contact probation services when required (for example, to change appointments)", "1.4.2a"),
    ("I have been able to see my probation officer at a convenient time (for example, taking into account work or caring responsibilities)", "1.4.2a"),
    ("When required, I have been able to have conversations in private with my probation officer", "1.4.2b"),
    ("I feel safe accessing probation services", "1.4.2c"),
    ("I have been asked for my views on how my probation services should run", "1.4.4d"),
    ("Overall, I am happy with the support I have received from probation", ""),
]


def expand(column: str) -> list[str]:
    """'1.3.2c/d' is the two references 1.3.2c and 1.3.2d, each at PDU level."""
    if not column:
        return []
    match = re.fullmatch(r"(\d+\.\d+\.\d+)([a-z])((?:/[a-z])*)", column)
    assert match, column
    letters = [match.group(2)] + [x for x in match.group(3).split("/") if x]
    return [f"pdu/{match.group(1)}{letter}" for letter in letters]


@cache
def seed_table() -> list[tuple[str, str]]:
    """Read Annexe 2's table from the seed: an item starts on a line whose last column holds
    an Inspector use reference (or is the one-line 'Overall…' item), and runs on over the
    following lines whose only text is in the first column."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Annexe 2"))
    header = next(i for i in range(start, len(lines)) if "Strongly agree" in lines[i])
    rows: list[list[str]] = []
    for line in lines[header + 1:]:
        if not line.strip():
            break
        cells = line.split("\t")
        text = cells[0].strip()
        reference = next((c.strip() for c in reversed(cells[1:]) if c.strip()), "")
        if reference or text.startswith("Overall") or not rows:
            rows.append([text, reference])
        else:
            rows[-1][0] += " " + text
    return [(text, reference) for text, reference in rows]


def result() -> CheckResult:
    return checked(FRAMEWORK)


def framework() -> Framework:
    return compiled(FRAMEWORK)


def questionnaire() -> Questionnaire:
    return next(q for q in framework().questionnaires if q.id == "experience-of-probation")


def test_checks_without_errors() -> None:
    errors = [d for d in result().diagnostics if d.severity is Severity.ERROR]
    assert errors == []


def test_the_seed_table_is_what_the_test_expects() -> None:
    assert seed_table() == EXPECTED_ITEMS


def test_questionnaire_header() -> None:
    q = questionnaire()
    assert q.title == "Experience of probation questionnaire"
    assert q.levels == ("pdu",)
    assert q.scale == "agreement"
    assert q.source and "Annexe 2" in q.source
    assert q.instructions[:2] == (
        "Please think about your recent experience of being on probation.",
        "For each item, please tick the box that best describes what you think or feel.",
    )
    assert q.instructions[-1] == "Thank you for completing the questionnaire."


def test_agreement_scale() -> None:
    scale = next(s for s in framework().scales if s.id == "agreement")
    labels = {g.id: g.label for g in scale.grades}
    assert labels == {
        "strongly-agree": "Strongly agree",
        "agree": "Agree",
        "undecided": "Undecided",
        "disagree": "Disagree",
        "strongly-disagree": "Strongly disagree",
    }
    # Lowest grade first; the published columns run the other way.
    assert [g.id for g in scale.grades] == ["strongly-disagree", "disagree", "undecided", "agree", "strongly-agree"]
    header = next(line for line in SEED.read_text(encoding="utf-8").split("\n") if "Strongly agree" in line)
    assert [c.strip() for c in header.split("\t") if c.strip()][:5] == [g.label for g in reversed(scale.grades)]


def test_every_item_with_its_references() -> None:
    items = [i for i in questionnaire().items if i.kind == "rating"]
    assert [(i.text, [r.text for r in i.references]) for i in items] == [
        (text, expand(column)) for text, column in EXPECTED_ITEMS
    ]


def test_references_resolve_except_the_published_fault() -> None:
    fw = framework()
    prompts = {p.id: p for p in fw.prompts()}
    for item in questionnaire().items:
        for reference in item.references:
            if reference.text == "pdu/1.3.2e":
                assert reference.target is None  # PDU key question 1.3.2 has prompts a–d only
                continue
            assert reference.target in prompts, reference.text
            prompt = prompts[reference.target]
            assert "pdu" in prompt.levels
            assert prompt.number == reference.text.split("/")[-1]


def test_published_reference_faults_are_waived() -> None:
    items = {i.id: i for i in questionnaire().items}
    waived = [(w.waiver.subject, w.waiver.code) for w in result().waived if w.waiver.subject in items]  # type: ignore[attr-defined]
    local_area = next(i.id for i in items.values() if i.text.endswith("in my local area"))
    assert (local_area, "X001") in waived
    for subject, _code in waived:
        assert subject in items
    reasons = [w.waiver.reason for w in result().waived if w.waiver.subject in items]  # type: ignore[attr-defined]
    assert all(r.startswith("as published in the May 2021 consultation") for r in reasons)


def test_free_text_questions() -> None:
    free = [i.text for i in questionnaire().items if i.kind == "free-text"]
    assert free == ["What has been good about your probation experience?", "What could have gone better?"]


def test_about_you_questions() -> None:
    choices = [(i.text, i.options) for i in questionnaire().items if i.kind == "choice"]
    assert choices == [
        ("Gender:", ("Male", "Female", "Other")),
        ("Age:", ("18 - 20", "21 - 24", "25 - 29", "30 - 39", "40 - 49", "50+")),
        ("Ethnicity:", (
            "White",
            "Black / African / Caribbean / Black British",
            "Asian / Asian British",
            "Mixed / Multiple ethnic groups",
            "Other ethnic group",
        )),
        ("Are you currently on probation:", ("After spending time […]", "On a community sentence", "Unsure")),
    ]
    seed = SEED.read_text(encoding="utf-8")
    for option in ("Male", "Female", "Other", "18 - 20", "21 - 24", "25 - 29", "30 - 39", "40 - 49", "50+", "White", "Unsure"):
        assert option in seed


def test_order_of_items() -> None:
    kinds = [i.kind for i in questionnaire().items]
    assert kinds == ["rating"] * 11 + ["free-text"] * 2 + ["choice"] * 4


def test_the_questionnaire_is_appended_at_the_end() -> None:
    text = FRAMEWORK.read_text(encoding="utf-8")
    tail = text[text.index("scale agreement:"):]
    assert "questionnaire experience-of-probation: Experience of probation questionnaire" in tail
    assert "\ndomain " not in tail and "\n  standard " not in tail
