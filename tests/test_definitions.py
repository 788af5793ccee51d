"""The definitions a framework names (levels, case attributes, scales, bandings) as the
compiler reads them: the lines each may hold, the names they refer to, what a framework or a
rules file without levels means, and the values of `few cases:` and `rounding:`.

Each test reads the findings as a user does (code, line, message, help) or the compiled
model that `precepts build` and `precepts rate` work from.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import check_text

from precepts.core.diagnostics import Diagnostic
from precepts.pipeline import Result

SCALE = """scale rating: Rating levels
  grade inadequate "Inadequate"
  grade good "Good"
"""
BANDING = """banding kq-results: Key question results
  scale: rating
  rounding: half up to whole percent
  band low "Low": below 50% gives inadequate
  band high "High": 50% and above gives good
"""
DOMAIN = """
domain 1 Domain one
  standard 1.1 Leadership
    text: The leadership enables a good service.
    rated: from cases using kq-results

    question 1.1.1 Does the vision drive a good service?
      a) Are staff engaged?
"""


def found(result: Result) -> list[tuple[str, int]]:
    return sorted((d.code, d.span.line if d.span else 0) for d in result.diagnostics)


def only(result: Result, code: str) -> Diagnostic:
    matching = [d for d in result.diagnostics if d.code == code]
    assert len(matching) == 1, result.diagnostics
    return matching[0]


def line_of(text: str, line: str) -> int:
    return text.splitlines().index(line) + 1


# A line no definition may hold (`tags:` describes elements of the hierarchy only), under each
# kind of definition in turn, and a line a definition may hold given twice.
MISPLACED = [
    ("framework demo\n", "framework demo\ntags: x\n"),
    ("level pdu: PDU inspection\n", "level pdu: PDU inspection\n  tags: x\n"),
    ("attribute provider: nps, crc\n", "attribute provider: nps, crc\n  tags: x\n"),
    ("scale rating: Rating levels\n", "scale rating: Rating levels\n  tags: x\n"),
    ('  grade good "Good"\n', '  grade good "Good"\n    tags: x\n'),
    ("banding kq-results: Key question results\n", "banding kq-results: Key question results\n  tags: x\n"),
    ('  band high "High": 50% and above gives good\n', '  band high "High": 50% and above gives good\n    tags: x\n'),
]
FRAMEWORK = "framework demo\nlevel pdu: PDU inspection\nattribute provider: nps, crc\n\n" + SCALE + "\n" + BANDING + DOMAIN


@pytest.mark.parametrize(("line", "replacement"), MISPLACED, ids=[m[0].split()[0] for m in MISPLACED])
def test_a_line_a_definition_cannot_hold_is_reported_under_each_kind(tmp_path: Path, line: str, replacement: str) -> None:
    assert found(check_text(tmp_path, FRAMEWORK)) == []
    text = FRAMEWORK.replace(line, replacement, 1)
    result = check_text(tmp_path, text)
    assert found(result) == [("S004", line_of(text, replacement.splitlines()[-1]))]
    assert "'tags:' cannot describe" in result.diagnostics[0].message


@pytest.mark.parametrize(("line", "twice"), [
    ("framework demo\n", "framework demo\nstatus: draft\nstatus: final\n"),
    ("level pdu: PDU inspection\n", "level pdu: PDU inspection\n  note: one\n  source: a\n  source: b\n"),
    ("scale rating: Rating levels\n", "scale rating: Rating levels\n  source: a\n  source: b\n"),
    ("  scale: rating\n", "  scale: rating\n  scale: rating\n"),
], ids=["framework", "level", "scale", "banding"])
def test_a_line_given_twice_under_a_definition_is_reported(tmp_path: Path, line: str, twice: str) -> None:
    text = FRAMEWORK.replace(line, twice, 1)
    result = check_text(tmp_path, text)
    second = len(text[: text.index(twice)].splitlines()) + len(twice.splitlines())
    assert found(result) == [("M002", second)]
    assert "is given twice" in result.diagnostics[0].message


def test_a_banding_on_an_unknown_scale_is_reported_once(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("  scale: rating\n", "  scale: ratings\n")
    result = check_text(tmp_path, text)
    # The bands' grades are not also reported: with no scale there is nothing to hold them to.
    assert found(result) == [("M001", line_of(text, "  scale: ratings"))]
    assert only(result, "M001").help == "did you mean 'rating'?"


def test_a_band_giving_a_grade_its_scale_lacks_is_reported(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("50% and above gives good", "50% and above gives goood")
    result = check_text(tmp_path, text)
    assert found(result) == [("R002", line_of(text, '  band high "High": 50% and above gives goood'))]
    assert only(result, "R002").help == "did you mean 'good'?"


def test_a_banding_without_a_scale_line_uses_the_first_scale(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("  scale: rating\n", "")
    result = check_text(tmp_path, text)
    assert found(result) == []
    assert result.framework is not None and result.framework.bandings[0].scale == "rating"


def test_an_unknown_rounding_rule_lists_the_rules_when_none_is_close(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("rounding: half up to whole percent", "rounding: banker's way")
    result = check_text(tmp_path, text)
    diagnostic = only(result, "M002")
    assert diagnostic.message == "unknown rounding rule 'banker's way'"
    assert diagnostic.help == ("use one of: open; none; exact; half up to whole percent; nearest whole percent, "
                               "halves up; down to whole percent; half even to whole percent")


@pytest.mark.parametrize(("written", "fewest"), [("few cases: below 5", 5), ("few cases: below 1", 1), (None, None)])
def test_few_cases_sets_the_fewest_cases_a_rating_rests_on(tmp_path: Path, written: str | None, fewest: int | None) -> None:
    text = FRAMEWORK.replace("  rounding: half", f"  {written}\n  rounding: half") if written else FRAMEWORK
    result = check_text(tmp_path, text)
    assert found(result) == []
    assert result.framework is not None and result.framework.bandings[0].few_cases == fewest


def test_few_cases_below_nought_is_reported_and_not_applied(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("  rounding: half", "  few cases: below 0\n  rounding: half")
    result = check_text(tmp_path, text)
    assert found(result) == [("M002", line_of(text, "  few cases: below 0"))]
    assert result.framework is not None and result.framework.bandings[0].few_cases is None


def test_a_framework_without_levels_is_inspected_at_one_level(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("level pdu: PDU inspection\n", "")
    result = check_text(tmp_path, text)
    assert found(result) == []
    assert result.framework is not None
    assert [(level.id, level.name) for level in result.framework.levels] == [("all", "All")]
    # A level named in `at:` must then be defined.
    text = text.replace("    rated: from cases", "    at: pdu\n    rated: from cases")
    assert ("M001", line_of(text, "    at: pdu")) in found(check_text(tmp_path, text))


def test_a_rules_file_without_levels_may_name_the_levels_of_the_framework_it_serves(tmp_path: Path) -> None:
    rules = ("rules shared\n\n" + SCALE + "\n"
             "judgement overall: Overall rating\n  scale: rating\n  at: pdu\n")
    assert found(check_text(tmp_path, rules, "shared.precepts")) == []
    framework = rules.replace("rules shared", "framework demo")
    assert ("M001", line_of(framework, "  at: pdu")) in found(check_text(tmp_path, framework))


def test_definitions_in_an_included_file_are_read_and_its_header_checked(tmp_path: Path) -> None:
    (tmp_path / "shared.precepts").write_text("rules shared\ntags: x\n\n" + SCALE + "\n" + BANDING, encoding="utf-8")
    text = ("framework demo\ninclude: shared.precepts\nlevel pdu: PDU inspection\n" + DOMAIN)
    result = check_text(tmp_path, text)
    assert [(d.code, Path(d.span.file).name, d.span.line) for d in result.diagnostics if d.span] == [
        ("S004", "shared.precepts", 2)]
    assert result.framework is not None and [b.id for b in result.framework.bandings] == ["kq-results"]


# ---- the framework header and questionnaires -----------------------------------------------------


def test_the_framework_header_keeps_its_open_line_consultation_question_and_waivers(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("framework demo\n", "framework demo\nopen: the levels may change\n"
                             "consultation question: Are these the right levels?\nwaive R001: open as published\n")
    result = check_text(tmp_path, text)
    assert found(result) == []  # the open rule's R001 is waived
    framework = result.framework
    assert framework is not None
    assert [(r.subject, r.what, r.reason) for r in framework.open_rules] == [("demo", "framework", "the levels may change")]
    assert [(q.subject, q.text) for q in framework.consultation_questions] == [("demo", "Are these the right levels?")]


@pytest.mark.parametrize(("written", "limit", "codes"), [("1", 1, []), ("0", 10, ["M002"]), ("12", 12, [])])
def test_the_prompt_limit_is_at_least_one(tmp_path: Path, written: str, limit: int, codes: list[str]) -> None:
    result = check_text(tmp_path, FRAMEWORK.replace("framework demo\n", f"framework demo\nprompt limit: {written}\n"))
    assert [code for code, _ in found(result)] == codes
    assert result.framework is not None and result.framework.prompt_limit == limit


QUESTIONNAIRE = """
questionnaire experience: Experience of probation
  at: pdu
  scale: rating
  instruction: Tick one box.
  item: My supervisor listens to me.
  free text: What could be better?
"""


def test_a_questionnaire_keeps_its_lines_and_is_checked_like_any_element(tmp_path: Path) -> None:
    result = check_text(tmp_path, FRAMEWORK + QUESTIONNAIRE)
    assert found(result) == []
    assert result.framework is not None
    (questionnaire,) = result.framework.questionnaires
    assert (questionnaire.scale, questionnaire.instructions) == ("rating", ("Tick one box.",))
    assert [(item.id, item.kind) for item in questionnaire.items] == [("experience.1", "rating"), ("experience.2", "free-text")]
    asked = FRAMEWORK + QUESTIONNAIRE.replace("  at: pdu\n", "  at: pdu\n  consultation question: Is this short enough?\n"
                                              "  waive N006: as published\n  tags: x\n")
    result = check_text(tmp_path, asked)
    # The waiver is read, and reported as waiving nothing (W001).
    assert found(result) == [("S004", line_of(asked, "  tags: x")), ("W001", line_of(asked, "  waive N006: as published"))]
    assert result.framework is not None
    assert [(q.subject, q.text) for q in result.framework.consultation_questions] == [("experience", "Is this short enough?")]
    assert [(w.code, w.subject) for w in result.framework.waivers] == [("N006", "experience")]


def test_each_band_is_described_as_its_line_is_written(tmp_path: Path) -> None:
    """Change reports compare bands through these words (compiler/describe.py)."""
    from precepts.compiler import describe

    text = FRAMEWORK.replace('''  band low "Low": below 50% gives inadequate
  band high "High": 50% and above gives good
''', '''  band low "Low": below 50% gives inadequate
  band 50% to 64.5% gives good
  band 65% and above gives good
''')
    result = check_text(tmp_path, text)
    assert result.framework is not None
    assert [describe.band(b) for b in result.framework.bandings[0].bands] == [
        'low "Low": below 50% gives inadequate', "50% to 64.5% gives good", "65% and above gives good"]


@pytest.mark.parametrize(("after", "waiver"), [
    ("scale rating: Rating levels\n", "  waive R005: as published\n"),
    ("banding kq-results: Key question results\n", "  waive R003: as published\n"),
])
def test_a_waiver_on_a_scale_or_banding_is_read(tmp_path: Path, after: str, waiver: str) -> None:
    text = FRAMEWORK.replace(after, after + waiver)
    result = check_text(tmp_path, text)
    # Nothing to waive here: the waiver is read, and reported as waiving nothing.
    assert found(result) == [("W001", line_of(text, waiver.rstrip("\n")))]
    assert result.framework is not None and [w.subject for w in result.framework.waivers] == [after.split()[1].rstrip(":")]


def test_a_waiver_on_a_questionnaire_item_is_read(tmp_path: Path) -> None:
    text = FRAMEWORK + QUESTIONNAIRE.replace("  free text: What could be better?\n",
                                             "  free text: What could be better?\n    waive N006: as published\n")
    result = check_text(tmp_path, text)
    assert found(result) == [("W001", line_of(text, "    waive N006: as published"))]
    assert result.framework is not None and [(w.code, w.subject) for w in result.framework.waivers] == [
        ("N006", "experience.2")]


def test_a_consultation_question_on_a_banding_is_kept(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("  scale: rating\n", "  scale: rating\n  consultation question: Are these bands right?\n")
    result = check_text(tmp_path, text)
    assert found(result) == []
    assert result.framework is not None
    assert [(q.subject, q.text) for q in result.framework.consultation_questions] == [("kq-results", "Are these bands right?")]


def test_a_line_a_questionnaire_item_cannot_hold_is_reported(tmp_path: Path) -> None:
    text = FRAMEWORK + QUESTIONNAIRE.replace("  item: My supervisor listens to me.\n",
                                             "  item: My supervisor listens to me.\n    tags: x\n")
    assert found(check_text(tmp_path, text)) == [("S004", line_of(text, "    tags: x"))]
