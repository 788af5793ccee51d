"""What the compiler says about a line in the wrong place, a name it does not know, an element
placed at a level its parent lacks, a condition it cannot read and a waiver of no finding:
the finding's code, line, message and help, as a user reads them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import check_text

from precepts.compiler.conditions import describe
from precepts.core.diagnostics import Diagnostic
from precepts.pipeline import Result, check_path

HEADER = """framework demo
level region: Regional inspection
level pdu: PDU inspection
attribute provider: nps, crc

scale rating: Rating levels
  grade inadequate "Inadequate"
  grade good "Good"

domain 1 Domain one
  standard 1.1 Leadership
    text: The leadership is good.
    rated: by judgement

    question 1.1.1 Does the vision drive a good service?
      a) Are staff engaged?
"""


def only(result: Result) -> Diagnostic:
    assert len(result.diagnostics) == 1, result.diagnostics
    return result.diagnostics[0]


def with_line(after: str, line: str) -> str:
    assert after in HEADER
    return HEADER.replace(after, after + line, 1)


def test_the_framework_written_here_has_no_findings(tmp_path: Path) -> None:
    assert check_text(tmp_path, HEADER).diagnostics == ()


@pytest.mark.parametrize(("after", "line", "message"), [
    ("      a) Are staff engaged?\n", "        text: A prompt's own text\n",
     "'text:' cannot describe prompt a); it belongs to a standard"),
    ("    question 1.1.1 Does the vision drive a good service?\n", "      rated: by judgement\n",
     "'rated:' cannot describe question 1.1.1; it belongs to a standard"),
    ("level pdu: PDU inspection\n", "  prompt limit: 12\n",
     "'prompt limit:' cannot describe level pdu; it belongs to the framework header"),
    ("    rated: by judgement\n", "    rounding: half up to whole percent\n",
     "'rounding:' cannot describe standard 1.1; it belongs to a banding or a composite rule"),
    ("domain 1 Domain one\n", "  rated: by judgement\n", "'rated:' cannot describe domain 1; it belongs to a standard"),
])
def test_a_misplaced_line_says_which_headings_can_hold_it(tmp_path: Path, after: str, line: str, message: str) -> None:
    diagnostic = only(check_text(tmp_path, with_line(after, line)))
    assert (diagnostic.code, diagnostic.message) == ("S004", message)
    assert diagnostic.help == "move the line directly under the heading it describes"


def test_an_unknown_name_lists_the_names_defined_and_the_nearest(tmp_path: Path) -> None:
    near = only(check_text(tmp_path, with_line("    rated: by judgement\n", "    at: pdy\n")))
    assert (near.code, near.message, near.help) == (
        "M001", "unknown level 'pdy'; defined levels: region, pdu", "did you mean 'pdu'?")
    far = only(check_text(tmp_path, with_line("    rated: by judgement\n", "    at: national\n")))
    assert (far.message, far.help) == ("unknown level 'national'; defined levels: region, pdu", "define the level first")


def test_an_unknown_name_of_a_kind_with_none_defined_says_so(tmp_path: Path) -> None:
    text = with_line("    rated: by judgement\n", "    applies to: case-type is community\n").replace(
        "attribute provider: nps, crc\n", "")
    diagnostic = only(check_text(tmp_path, text))
    assert (diagnostic.code, diagnostic.message, diagnostic.help) == (
        "M001", "unknown case attribute 'case-type'; no case attribute is defined", "define the case attribute first")


def test_an_element_at_a_level_its_parent_lacks_says_where_the_parent_applies(tmp_path: Path) -> None:
    text = with_line("    rated: by judgement\n", "    at: pdu\n").replace(
        "    question 1.1.1 Does the vision drive a good service?\n",
        "    question 1.1.1 Does the vision drive a good service?\n      at: region, pdu\n")
    diagnostic = only(check_text(tmp_path, text))
    assert (diagnostic.code, diagnostic.span.line if diagnostic.span else 0) == ("M002", text.splitlines().index("      at: region, pdu") + 1)
    assert diagnostic.message == "question 1.1.1 is placed at level 'region', but what holds it applies only at pdu"
    assert diagnostic.help == "an element can only apply at levels where the element above it applies"


def test_a_level_named_twice_in_at_is_kept_once_in_the_order_of_the_definitions(tmp_path: Path) -> None:
    result = check_text(tmp_path, with_line("    rated: by judgement\n", "    at: pdu, region, pdu\n"))
    assert result.diagnostics == ()
    assert result.framework is not None
    assert [s.levels for s in result.framework.standards()] == [("region", "pdu")]


def test_a_rules_file_keeps_the_levels_it_names_for_the_framework_it_serves(tmp_path: Path) -> None:
    rules = ("rules shared\n\nscale rating: Rating levels\n  grade inadequate \"Inadequate\"\n  grade good \"Good\"\n\n"
             "judgement overall: Overall rating\n  scale: rating\n  at: pdu, region, pdu\n")
    result = check_text(tmp_path, rules, "shared.precepts")
    assert result.diagnostics == ()
    assert result.framework is not None
    assert [j.levels for j in result.framework.judgements] == [("pdu", "region")]


@pytest.mark.parametrize(("condition", "message"), [
    ("count of good is 2", "applicability is about case attributes, such as 'case-type is post-custody'"),
    ("provider is at least nps", "case attributes have no order: use 'is', 'is not' or 'is one of'"),
])
def test_an_applicability_condition_the_compiler_cannot_read(tmp_path: Path, condition: str, message: str) -> None:
    text = with_line("    rated: by judgement\n", f"    applies to: {condition}\n")
    diagnostic = only(check_text(tmp_path, text))
    assert (diagnostic.code, diagnostic.message) == ("M002", message)
    assert check_path(tmp_path / "main.precepts").framework is not None
    standard = next(iter(check_text(tmp_path, text).framework.standards()))  # type: ignore[union-attr]
    assert standard.applies_to is None


def test_every_unknown_value_in_a_condition_is_reported(tmp_path: Path) -> None:
    text = with_line("    rated: by judgement\n", "    applies to: provider is one of nsp, cr, crc\n")
    result = check_text(tmp_path, text)
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("M001", "unknown value of provider 'nsp'; defined values of provider: nps, crc"),
        ("M001", "unknown value of provider 'cr'; defined values of provider: nps, crc")]


def test_a_condition_with_one_unreadable_part_is_not_applied(tmp_path: Path) -> None:
    text = with_line("    rated: by judgement\n", "    applies to: provider is crc and region is north\n")
    result = check_text(tmp_path, text)
    assert [d.code for d in result.diagnostics] == ["M001"]
    assert result.framework is not None and next(iter(result.framework.standards())).applies_to is None


def test_a_waiver_of_no_finding_names_the_nearest_code_or_the_list(tmp_path: Path) -> None:
    near = only(check_text(tmp_path, with_line("    rated: by judgement\n", "    waive N010: a typo\n")))
    assert (near.code, near.message) == ("M002", "no finding has the code 'N010'")
    assert near.help is not None and near.help.startswith("did you mean 'N0")
    far = only(check_text(tmp_path, with_line("    rated: by judgement\n", "    waive QQ999: not a code\n")))
    assert (far.message, far.help) == ("no finding has the code 'QQ999'", "run 'precepts explain' for the list of codes")


def test_references_on_standards_and_key_questions_are_resolved(tmp_path: Path) -> None:
    text = with_line("    rated: by judgement\n", "    see: 1.1.1a\n").replace(
        "    question 1.1.1 Does the vision drive a good service?\n",
        "    question 1.1.1 Does the vision drive a good service?\n      see: 1.1\n")
    result = check_text(tmp_path, text)
    assert result.diagnostics == ()
    assert result.framework is not None
    standard = next(iter(result.framework.standards()))
    assert [r.target for r in standard.references] == [standard.questions[0].prompts[0].id]
    assert [r.target for r in standard.questions[0].references] == [standard.id]
    unresolved = text.replace("      see: 1.1\n", "      see: 1.9\n").replace("    see: 1.1.1a\n", "    see: 1.1.9z\n")
    assert sorted(d.code for d in check_text(tmp_path, unresolved).diagnostics) == ["X001", "X001"]


def test_a_reference_to_a_key_question_by_its_number_and_a_malformed_one(tmp_path: Path) -> None:
    text = with_line("      a) Are staff engaged?\n", "        see: 1.1.1\n")
    result = check_text(tmp_path, text)
    assert result.diagnostics == ()
    assert result.framework is not None
    standard = next(iter(result.framework.standards()))
    assert [r.target for r in standard.questions[0].prompts[0].references] == [standard.questions[0].id]
    # A reference with two slashes is not a level and a number: unresolved, not a crash.
    twice = check_text(tmp_path, text.replace("see: 1.1.1\n", "see: pdu/1.1.1/a\n"))
    assert [d.code for d in twice.diagnostics] == ["X001"]


def test_a_preferred_term_says_which_words_to_use_instead(tmp_path: Path) -> None:
    text = HEADER.replace("framework demo\n", 'framework demo\npreferred term: "person on probation" instead of "offender"\n')
    text = text.replace("The leadership is good.", "The leadership serves each offender.")
    diagnostic = only(check_text(tmp_path, text))
    assert (diagnostic.code, diagnostic.message) == (
        "T001", 'standard 1.1 text says "offender"; this framework says "person on probation" instead')


def test_a_name_written_in_capitals_is_matched_to_the_defined_one(tmp_path: Path) -> None:
    diagnostic = only(check_text(tmp_path, with_line("    rated: by judgement\n", "    at: PDU\n")))
    assert (diagnostic.code, diagnostic.help) == ("M001", "did you mean 'pdu'?")


def test_a_standard_applies_where_its_applies_to_says(tmp_path: Path) -> None:
    result = check_text(tmp_path, with_line("    rated: by judgement\n", "    applies to: provider is crc\n"))
    assert result.diagnostics == () and result.framework is not None
    standard = next(iter(result.framework.standards()))
    assert standard.applies_to is not None and describe(standard.applies_to) == "provider is crc"


def test_an_unknown_banding_is_reported_once_per_line(tmp_path: Path) -> None:
    text = HEADER.replace("    rated: by judgement\n", "    at: region, pdu\n    rated: from cases using kq-resluts\n")
    assert [d.code for d in check_text(tmp_path, text).diagnostics] == ["M001"]
    # With no `rated:` line and a level it cannot be placed at, only the level is reported.
    no_rule = HEADER.replace("    rated: by judgement\n", "    at: nowhere\n")
    assert [d.code for d in check_text(tmp_path, no_rule).diagnostics] == ["M001"]


def test_a_condition_of_several_parts_is_kept_whole_and_one_with_an_unknown_value_is_dropped(tmp_path: Path) -> None:
    text = with_line("    rated: by judgement\n", "    applies to: provider is crc and (provider is not nps or provider is crc)\n")
    result = check_text(tmp_path, text)
    assert result.diagnostics == () and result.framework is not None
    standard = next(iter(result.framework.standards()))
    assert describe(standard.applies_to) == "provider is crc and (provider is not nps or provider is crc)"
    unknown = check_text(tmp_path, text.replace("provider is not nps", "provider is not nsp"))
    assert [d.code for d in unknown.diagnostics] == ["M001"]
    assert unknown.framework is not None and next(iter(unknown.framework.standards())).applies_to is None
    one = check_text(tmp_path, with_line("    rated: by judgement\n", "    applies to: provider is one of nps, crx\n"))
    assert one.framework is not None and next(iter(one.framework.standards())).applies_to is None


def test_an_unknown_level_in_at_does_not_drop_the_levels_after_it(tmp_path: Path) -> None:
    text = with_line("    rated: by judgement\n", "    at: nowhere, pdu\n")
    result = check_text(tmp_path, text)
    assert [d.code for d in result.diagnostics] == ["M001"]
    assert result.framework is not None and [s.levels for s in result.framework.standards()] == [("pdu",)]


def test_a_framework_whose_only_reference_is_on_a_standard_or_a_key_question_has_it_resolved(tmp_path: Path) -> None:
    on_standard = check_text(tmp_path, with_line("    rated: by judgement\n", "    see: 1.1.1a\n"))
    standard = next(iter(on_standard.framework.standards()))  # type: ignore[union-attr]
    assert [r.target for r in standard.references] == [standard.questions[0].prompts[0].id]
    on_question = check_text(tmp_path, with_line("    question 1.1.1 Does the vision drive a good service?\n", "      see: 1.1\n"))
    standard = next(iter(on_question.framework.standards()))  # type: ignore[union-attr]
    assert [r.target for r in standard.questions[0].references] == [standard.id]


@pytest.mark.parametrize(("text", "message"), [
    ("", "the file is empty"), ("\n\n", "the file is empty"),
    ("# only a comment\n", "the file has no framework header"),
])
def test_a_file_without_a_framework_says_whether_it_is_empty(tmp_path: Path, text: str, message: str) -> None:
    result = check_text(tmp_path, text)
    diagnostic = only(result)
    assert (diagnostic.code, diagnostic.message) == ("M003", message)
    assert diagnostic.span is not None and (diagnostic.span.line, diagnostic.span.column) == (1, 1)
    assert diagnostic.help == "start the file with 'framework ID', for example 'framework hmip-adult-2021'"
    assert result.framework is None


def test_a_file_whose_only_line_is_broken_is_not_also_said_to_lack_a_framework(tmp_path: Path) -> None:
    assert [d.code for d in check_text(tmp_path, "title A\n").diagnostics] == ["S002"]


def test_a_waiver_after_one_of_no_finding_still_waives(tmp_path: Path) -> None:
    text = with_line("    rated: by judgement\n", "    waive QQ999: not a code\n    waive N002: numbered as published\n")
    result = check_text(tmp_path, text)
    # W001: nothing here is N002, so the second waiver, which is kept, is unused.
    assert [d.code for d in result.diagnostics] == ["M002", "W001"]
    assert result.framework is not None
    assert [(w.code, w.subject, w.reason) for w in result.framework.waivers] == [
        ("N002", "leadership", "numbered as published")]


HURDLE = ("composite overall: Overall\n  at: pdu\n  score: sum\n  scores: inadequate 0, good 1\n"
          "  band 0 to 1 gives inadequate\n\nhurdle low: Low\n  at: pdu\n")


def test_a_hurdle_may_read_a_composites_total_score(tmp_path: Path) -> None:
    text = HEADER.replace("domain 1", HURDLE + "  when: total score is at most 0\n  then: leadership is at most inadequate\n\n"
                          "domain 1")
    result = check_text(tmp_path, text)
    assert result.framework is not None
    [hurdle] = result.framework.hurdles
    assert hurdle.when is not None and describe(hurdle.when) == "total score is at most 0"


@pytest.mark.parametrize(("name", "help_text"), [
    ("leadershp", "did you mean 'leadership'?"),
    ("zzz", "hurdles compare the ratings of standards, judgements and composites"),
])
def test_a_hurdle_naming_no_rating_suggests_the_nearest_or_says_what_it_may_name(
    tmp_path: Path, name: str, help_text: str,
) -> None:
    text = HEADER.replace("domain 1", HURDLE + f"  when: {name} is inadequate\n  then: leadership is at most inadequate\n\n"
                          "domain 1")
    diagnostic = next(d for d in check_text(tmp_path, text).diagnostics if d.code == "R002")
    assert (diagnostic.message, diagnostic.help) == (
        f"'{name}' is not a standard, judgement or composite rating of this framework", help_text)


def test_a_standards_source_is_compiled(tmp_path: Path) -> None:
    result = check_text(tmp_path, with_line("    rated: by judgement\n", "    source: Standards framework, p. 12\n"))
    assert result.diagnostics == () and result.framework is not None
    assert next(iter(result.framework.standards())).source == "Standards framework, p. 12"


def test_a_key_question_numbered_without_its_standards_number_is_reported_and_still_compiled(tmp_path: Path) -> None:
    result = check_text(tmp_path, HEADER.replace("question 1.1.1 Does", "question 7 Does"))
    assert [d.code for d in result.diagnostics] == ["N001", "N002"]
    assert result.framework is not None
    assert [q.id for standard in result.framework.standards() for q in standard.questions] == ["leadership.7"]


def test_a_waiver_on_a_key_question_is_kept_with_the_key_question(tmp_path: Path) -> None:
    text = with_line("    question 1.1.1 Does the vision drive a good service?\n", "      waive N002: numbered as published\n")
    result = check_text(tmp_path, text)
    assert [d.code for d in result.diagnostics] == ["W001"]  # nothing here is N002: the waiver is kept, unused
    assert result.framework is not None
    assert [(w.code, w.subject) for w in result.framework.waivers] == [("N002", "leadership.1")]
