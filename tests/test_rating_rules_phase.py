"""Judgements, composites and hurdles as the compiler reads them: the lines each may hold,
what each waives, declares open or asks the consultation about, the standards a composite
weighs, and the ratings a hurdle may compare (a composite's too).

Each test reads the findings as a user does (code and line) or the compiled model.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import check_text

from precepts.compiler.model import Framework
from precepts.pipeline import Result

FRAMEWORK = """framework demo
level pdu: PDU inspection

scale rating: Rating levels
  grade inadequate "Inadequate"
  grade good "Good"

judgement diversity: Approach to diversity
  scale: rating

composite overall: Overall rating
  score: sum
  scores: inadequate 0, good 1
  weights: leadership 1
  band 0 gives inadequate
  band 1 gives good

hurdle diversity-caps-leadership: Inadequate on diversity caps leadership
  when: diversity is inadequate
  then: leadership is at most inadequate

domain 1 Domain one
  standard 1.1 Leadership
    text: The leadership enables a good service.
    rated: by judgement

    question 1.1.1 Does the vision drive a good service?
      a) Are staff engaged?
"""
RULES = {
    "judgement": "judgement diversity: Approach to diversity\n",
    "composite": "composite overall: Overall rating\n",
    "hurdle": "hurdle diversity-caps-leadership: Inadequate on diversity caps leadership\n",
}
SUBJECT = {"judgement": "diversity", "composite": "overall", "hurdle": "diversity-caps-leadership"}


def found(result: Result) -> list[tuple[str, int]]:
    return sorted((d.code, d.span.line if d.span else 0) for d in result.diagnostics)


def line_of(text: str, line: str) -> int:
    return text.splitlines().index(line) + 1


def model(result: Result) -> Framework:
    assert result.framework is not None
    return result.framework


def test_the_framework_written_here_has_no_findings(tmp_path: Path) -> None:
    assert found(check_text(tmp_path, FRAMEWORK)) == []


@pytest.mark.parametrize("kind", RULES)
def test_a_line_a_rule_cannot_hold_is_reported(tmp_path: Path, kind: str) -> None:
    text = FRAMEWORK.replace(RULES[kind], RULES[kind] + "  tags: x\n")
    assert found(check_text(tmp_path, text)) == [("S004", line_of(text, "  tags: x"))]


@pytest.mark.parametrize("kind", RULES)
def test_a_rule_keeps_its_open_line_consultation_questions_and_waivers(tmp_path: Path, kind: str) -> None:
    text = FRAMEWORK.replace(RULES[kind], RULES[kind] + "  open: under consultation\n"
                             "  consultation question: Is this rule right?\n  waive R001: open as published\n")
    result = check_text(tmp_path, text)
    assert found(result) == []  # the open rule's R001 is waived
    framework = model(result)
    assert [(q.subject, q.text) for q in framework.consultation_questions] == [(SUBJECT[kind], "Is this rule right?")]
    assert [(w.code, w.subject) for w in framework.waivers] == [("R001", SUBJECT[kind])]
    assert [(r.subject, r.reason) for r in framework.open_rules] == [(SUBJECT[kind], "under consultation")]


def test_a_composite_open_by_its_scoring_rule(tmp_path: Path) -> None:
    result = check_text(tmp_path, FRAMEWORK.replace("  score: sum\n", "  score: open\n"))
    framework = model(result)
    assert [(r.subject, r.what, r.reason) for r in framework.open_rules] == [
        ("overall", "composite", "the published document does not give the composite rule")]
    assert framework.composites[0].score is None
    assert [d.code for d in result.diagnostics] == ["R001"]


def test_a_composite_weighing_an_unknown_standard_is_reported(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("  weights: leadership 1\n", "  weights: leadership 1, leadrship 2\n")
    result = check_text(tmp_path, text)
    assert found(result) == [("M001", line_of(text, "  weights: leadership 1, leadrship 2"))]
    assert model(result).composites[0].weights[0][0] == "leadership"


def test_a_composite_scoring_an_unknown_grade_is_reported_and_the_score_dropped(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("  scores: inadequate 0, good 1\n", "  scores: inadequate 0, god 1\n")
    result = check_text(tmp_path, text)
    assert ("M001", line_of(text, "  scores: inadequate 0, god 1")) in found(result)
    assert [grade for grade, _ in model(result).composites[0].scores] == ["inadequate"]


def test_a_hurdle_may_compare_a_composites_rating(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("  when: diversity is inadequate\n", "  when: overall is inadequate\n")
    result = check_text(tmp_path, text)
    assert found(result) == []
    (hurdle,) = model(result).hurdles
    assert hurdle.when is not None and (hurdle.when.subject, hurdle.when.name) == ("rating", "overall")  # type: ignore[union-attr]
    unknown = text.replace("when: overall is", "when: overal is")
    assert found(check_text(tmp_path, unknown)) == [("R002", line_of(unknown, "  when: overal is inadequate"))]


def test_an_unknown_scoring_rule_is_reported_with_the_nearest_or_the_default(tmp_path: Path) -> None:
    near = check_text(tmp_path, FRAMEWORK.replace("  score: sum\n", "  score: summ\n"))
    (diagnostic,) = [d for d in near.diagnostics if d.code == "M002"]
    assert diagnostic.message == "unknown scoring rule 'summ'" and diagnostic.help is not None
    assert diagnostic.help.startswith("did you mean 'sum'")
    far = check_text(tmp_path, FRAMEWORK.replace("  score: sum\n", "  score: by committee\n"))
    assert [d.help for d in far.diagnostics if d.code == "M002"] == ["use: sum"]
