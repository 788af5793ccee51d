"""Domains, standards, key questions and prompts as the compiler reads them: the lines each
may hold (also inside a section), how a standard is rated at each level, what it waives,
declares open, asks the consultation about or characterises, and the ids its key questions get.

Each test reads the findings as a user does (code and line) or the compiled model that
`precepts build` and `precepts rate` work from.
"""

from __future__ import annotations

from pathlib import Path

from precepts.compiler.model import Framework, Standard
from precepts.pipeline import Result, check_path

HEADER = """framework demo
level region: Regional inspection
level pdu: PDU inspection

scale rating: Rating levels
  grade inadequate "Inadequate"
  grade good "Good"

scale statement-scores: Statement scores
  grade one "One" scores 1
  grade two "Two" scores 2

banding kq-results: Key question results
  scale: rating
  rounding: half up to whole percent
  band low "Low": below 50% gives inadequate
  band high "High": 50% and above gives good

domain 1 Domain one
"""
QUESTIONS = """
    question 1.1.1 Does the vision drive a good service?
      a) Are staff engaged?
"""


def check(tmp_path: Path, body: str) -> Result:
    path = tmp_path / "main.precepts"
    path.write_text(HEADER + body, encoding="utf-8")
    return check_path(path)


def found(result: Result) -> list[tuple[str, int]]:
    """Findings as (code, line), lines counted from the first line after HEADER."""
    offset = len(HEADER.splitlines())
    return sorted((d.code, d.span.line - offset if d.span else 0) for d in result.diagnostics)


def line_of(body: str, line: str) -> int:
    return body.splitlines().index(line) + 1


def standard(framework: Framework | None, number: str = "1.1") -> Standard:
    assert framework is not None
    return next(s for s in framework.standards() if s.number == number)


def standard_lines(*extra: str, rated: str = "by judgement") -> str:
    return ("  standard 1.1 Leadership\n    text: The leadership is good.\n"
            f"    rated: {rated}\n" + "".join(f"    {line}\n" for line in extra) + QUESTIONS)


def test_a_misplaced_line_under_a_standard_inside_a_section_is_reported(tmp_path: Path) -> None:
    body = "section: Regional standards\n  at: region\n\n" + standard_lines("prompt limit: 12")
    assert found(check(tmp_path, body)) == [("S004", line_of(body, "    prompt limit: 12"))]
    assert found(check(tmp_path, body.replace("    prompt limit: 12\n", ""))) == []


def test_a_standard_at_an_unknown_level_still_has_its_rating_rule_checked(tmp_path: Path) -> None:
    body = standard_lines("at: nowhere", rated="from cases using kq-resluts")
    assert found(check(tmp_path, body)) == [("M001", line_of(body, "    rated: from cases using kq-resluts")),
                                            ("M001", line_of(body, "    at: nowhere"))]


def test_a_standard_rated_open_keeps_its_reason(tmp_path: Path) -> None:
    with_reason = check(tmp_path, standard_lines("open: the consultation asks how", rated="open"))
    assert [(d.code, d.message) for d in with_reason.diagnostics if d.code == "R001"] == [
        ("R001", "open rule in 'leadership': how the standard is rated is left open — the consultation asks how")]
    without = check(tmp_path, standard_lines(rated="open"))
    assert [d.message for d in without.diagnostics if d.code == "R001"] == [
        "open rule in 'leadership': how the standard is rated is left open — "
        "the published document does not say how this standard is rated"]


def test_an_open_line_on_a_standard_rated_otherwise_is_an_open_rule_of_the_standard(tmp_path: Path) -> None:
    result = check(tmp_path, standard_lines("open: the text may change"))
    assert [(rule.subject, rule.what, rule.reason) for rule in result.framework.open_rules] == [  # type: ignore[union-attr]
        ("leadership", "standard", "the text may change")]


def test_a_waiver_on_a_standard_waives_that_standards_finding(tmp_path: Path) -> None:
    # Standard 1.2 alone in domain 1 is out of sequence (N002), as published.
    body = standard_lines().replace("standard 1.1", "standard 1.2").replace("question 1.1.1", "question 1.2.1")
    assert [code for code, _ in found(check(tmp_path, body))] == ["N002"]
    waived = body.replace("    rated: by judgement\n", "    rated: by judgement\n    waive N002: numbered as published\n")
    result = check(tmp_path, waived)
    assert found(result) == []
    assert [(w.code, w.subject) for w in result.framework.waivers] == [("N002", "leadership")]  # type: ignore[union-attr]


def test_a_standard_reported_at_another_level(tmp_path: Path) -> None:
    result = check(tmp_path, standard_lines("at: pdu", rated="reported at region"))
    assert found(result) == []
    assert [(r.level, r.method, r.reported_at, r.banding) for r in standard(result.framework).ratings] == [
        ("pdu", "elsewhere", "region", None)]


def test_a_standard_rated_from_cases_names_its_banding_at_each_level(tmp_path: Path) -> None:
    result = check(tmp_path, standard_lines(rated="from cases using kq-results"))
    assert found(result) == []
    assert [(r.level, r.method, r.banding) for r in standard(result.framework).ratings] == [
        ("region", "cases", "kq-results"), ("pdu", "cases", "kq-results")]


def test_a_judged_standard_may_name_its_own_scale(tmp_path: Path) -> None:
    result = check(tmp_path, standard_lines("scale: statement-scores"))
    assert found(result) == []
    assert {r.scale for r in standard(result.framework).ratings} == {"statement-scores"}
    unknown = standard_lines("scale: statement-score")
    assert found(check(tmp_path, unknown)) == [("M001", line_of(unknown, "    scale: statement-score"))]
    from_cases = standard_lines("scale: statement-scores", rated="from cases using kq-results")
    result = check(tmp_path, from_cases)
    assert found(result) == [("M002", line_of(from_cases, "    scale: statement-scores"))]
    assert {r.scale for r in standard(result.framework).ratings} == {None}


def test_characteristics_and_consultation_questions_are_kept(tmp_path: Path) -> None:
    body = standard_lines("characteristic good: Leaders are visible", "consultation question: Is this clear?")
    body = body.replace("      a) Are staff engaged?\n",
                        "      consultation question: Is this key question needed?\n      a) Are staff engaged?\n")
    result = check(tmp_path, body)
    assert found(result) == []
    assert [(c.grade, c.text) for c in standard(result.framework).characteristics] == [("good", "Leaders are visible")]
    assert [(q.subject, q.text) for q in result.framework.consultation_questions] == [  # type: ignore[union-attr]
        ("leadership", "Is this clear?"), ("leadership.1", "Is this key question needed?")]


def test_tags_of_a_standard_and_its_parts_are_kept_once_each(tmp_path: Path) -> None:
    result = check(tmp_path, standard_lines("tags: leadership, vision, leadership"))
    assert found(result) == []
    assert standard(result.framework).tags == ("leadership", "vision")
