"""Checks of structure, duplicates and levels on small frameworks written here: the cases
between the fixture pairs (tests/fixtures/checks), where a check must tell two similar
layouts apart — a number or id repeated at another level, a prompt past z) (aa)), a text
copied at each level, a level defined twice, a reference whose number two levels share.

Each test reads the findings as a user does: code and line, from `check_path`.
"""

from __future__ import annotations

import math
import string
import sys
import threading
from pathlib import Path

import pytest

from precepts.compiler.model import Framework
from precepts.pipeline import check_path
from precepts.validators import duplicates

HEADER = """framework demo
level region: Regional inspection
level pdu: PDU inspection

scale rating: Rating levels
  grade inadequate "Inadequate"
  grade good "Good"

"""


def check(tmp_path: Path, body: str, header: str = HEADER) -> tuple[list[tuple[str, int]], Framework | None]:
    path = tmp_path / "main.precepts"
    path.write_text(header + body, encoding="utf-8")
    result = check_path(path)
    lines = len(header.splitlines())
    found = sorted((d.code, d.span.line - lines if d.span else 0) for d in result.diagnostics)
    return found, result.framework


def codes(found: list[tuple[str, int]], *wanted: str) -> list[tuple[str, int]]:
    return [f for f in found if f[0] in wanted]


def standard(number: str, heading: str, questions: str, at: str | None = None, extra: str = "") -> str:
    where = f"    at: {at}\n" if at else ""
    return (f"  standard {number} {heading}\n{where}{extra}    text: The {heading.lower()} is good.\n"
            f"    rated: by judgement\n\n{questions}\n")


# ---- numbering and sequence --------------------------------------------------------------------


def prompts(count: int, letters: list[str] | None = None) -> str:
    # After z) letters double, as a word processor letters a list: aa), bb), cc)...
    letters = letters or [*string.ascii_lowercase, *(c + c for c in string.ascii_lowercase)][:count]
    return "".join(f"      {letter}) Is item {n} in place?\n" for n, letter in enumerate(letters, start=1))


WIDE = HEADER.replace("framework demo\n", "framework demo\nprompt limit: 30\n")


def test_the_27th_prompt_is_lettered_aa(tmp_path: Path) -> None:
    body = "domain 1 Domain one\n" + standard(
        "1.1", "Leadership", "    question 1.1.1 Does the vision drive the service?\n" + prompts(27))
    found, _ = check(tmp_path, body, WIDE)
    assert [f for f in found if f[0].startswith(("N", "S", "M"))] == []


def test_more_prompts_than_the_limit_are_reported(tmp_path: Path) -> None:
    body = "domain 1 Domain one\n" + standard(
        "1.1", "Leadership", "    question 1.1.1 Does the vision drive the service?\n" + prompts(11))
    found, _ = check(tmp_path, body)
    assert codes(found, "N004") == [("N004", body.splitlines().index("    question 1.1.1 Does the vision drive the service?") + 1)]
    found, _ = check(tmp_path, body.replace("      k) Is item 11 in place?\n", ""))
    assert codes(found, "N004") == []


def test_a_27th_prompt_lettered_otherwise_is_out_of_sequence(tmp_path: Path) -> None:
    letters = [*string.ascii_lowercase, "za"]
    body = "domain 1 Domain one\n" + standard(
        "1.1", "Leadership", "    question 1.1.1 Does the vision drive the service?\n" + prompts(27, letters))
    found, _ = check(tmp_path, body, WIDE)
    assert codes(found, "N002") == [("N002", body.splitlines().index("      za) Is item 27 in place?") + 1)]


def two_level_domain(region_numbers: list[str], pdu_numbers: list[str]) -> str:
    def section(level: str, numbers: list[str]) -> str:
        out = f"section: {level} standards\n  at: {level}\n\n"
        for number in numbers:
            out += standard(number, f"Area {number.replace('.', ' ')}",
                            f"    question {number}.1 Is area {number} in place at {level}?\n"
                            f"      a) Is the {level} plan for area {number} current?\n")
        return out

    return "domain 1 Domain one\n\n" + section("region", region_numbers) + section("pdu", pdu_numbers)


def test_numbering_runs_separately_at_each_level(tmp_path: Path) -> None:
    found, framework = check(tmp_path, two_level_domain(["1.1", "1.2"], ["1.1", "1.2", "1.3"]))
    assert codes(found, "N002", "N005", "N003") == []
    assert framework is not None


def test_a_gap_at_one_level_is_found_at_that_level_only(tmp_path: Path) -> None:
    body = two_level_domain(["1.1", "1.2"], ["1.1", "1.3"])
    found, _ = check(tmp_path, body)
    pdu_line = [i for i, line in enumerate(body.splitlines(), 1) if line.startswith("  standard 1.3")]
    assert codes(found, "N002") == [("N002", pdu_line[0])]


def test_a_number_repeated_at_one_level_is_a_duplicate_number(tmp_path: Path) -> None:
    body = two_level_domain(["1.1", "1.2"], ["1.1", "1.2", "1.2"])
    found, _ = check(tmp_path, body)
    lines = [i for i, line in enumerate(body.splitlines(), 1) if line.startswith("  standard 1.2")]
    assert codes(found, "N005") == [("N005", lines[-1])]


def test_one_id_at_two_levels_that_do_not_overlap_is_allowed(tmp_path: Path) -> None:
    body = ("domain 1 Domain one\n\n"
            "section: Regional standards\n  at: region\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the regional vision clear?\n"
                                            "      a) Are leaders engaged?\n        id: leaders-engaged\n")
            + "section: PDU standards\n  at: pdu\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the PDU vision clear?\n"
                                            "      a) Are managers engaged?\n        id: leaders-engaged\n"))
    found, _ = check(tmp_path, body)
    assert codes(found, "N003") == []


def test_one_id_at_overlapping_levels_is_reported_once(tmp_path: Path) -> None:
    body = "domain 1 Domain one\n" + standard(
        "1.1", "Leadership", "    question 1.1.1 Is the vision clear?\n"
                             "      a) Are leaders engaged?\n        id: engaged\n"
                             "      b) Are managers engaged?\n        id: engaged\n")
    found, _ = check(tmp_path, body)
    line = body.splitlines().index("      b) Are managers engaged?") + 1
    assert codes(found, "N003") == [("N003", line)]


# ---- phrased as questions ------------------------------------------------------------------------


def test_a_closing_quote_after_the_question_mark_still_ends_a_question(tmp_path: Path) -> None:
    body = "domain 1 Domain one\n" + standard(
        "1.1", "Leadership", "    question 1.1.1 Do staff ask \"is this fair?\"\n"
                             "      a) Do people say “was I heard?”\n"
                             "      b) Do leaders ask 'what went wrong?' (in every review)\n"
                             "      c) Staff say \"this is fair\"\n")
    found, _ = check(tmp_path, body)
    line = body.splitlines().index("      c) Staff say \"this is fair\"") + 1
    assert codes(found, "N007") == [("N007", line)]


# ---- duplicates ----------------------------------------------------------------------------------


def test_a_duplicate_at_two_levels_is_reported_once(tmp_path: Path) -> None:
    body = "domain 1 Domain one\n" + standard(
        "1.1", "Leadership", "    question 1.1.1 Is the vision clear?\n"
                             "      a) Are staff engaged in the vision?\n"
                             "      b) Are staff engaged in the vision?\n")
    found, framework = check(tmp_path, body)
    assert framework is not None and framework.standards()[0].levels == ("region", "pdu")
    line = body.splitlines().index("      b) Are staff engaged in the vision?") + 1
    assert codes(found, "D001") == [("D001", line)]


def test_the_same_text_once_at_each_of_two_levels_is_not_a_duplicate(tmp_path: Path) -> None:
    body = ("domain 1 Domain one\n\n"
            "section: Regional standards\n  at: region\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the vision clear?\n"
                                            "      a) Are staff engaged in the vision?\n")
            + "section: PDU standards\n  at: pdu\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the vision clear?\n"
                                            "      a) Are staff engaged in the vision?\n"))
    found, _ = check(tmp_path, body)
    assert codes(found, "D001", "D002") == []


def test_duplicates_are_found_across_typographic_quotes_composed_accents_and_spacing(tmp_path: Path) -> None:
    """a), b) and c) differ only in quotes, dashes, spacing and how é is encoded: one finding
    at the last copy. d) has no accent: a different word, not a copy."""
    body = "domain 1 Domain one\n" + standard(
        "1.1", "Leadership", "    question 1.1.1 Is the vision clear?\n"
                             "      a) Is the service user’s café plan – “agreed”?\n"
                             "      b) Is the service user's café plan - \"agreed\"?\n"
                             "      c) Is the service user's cafe\u0301 plan  agreed?\n"
                             "      d) Is the service user's cafe plan agreed?\n")
    path = tmp_path / "main.precepts"
    path.write_text(HEADER + body, encoding="utf-8")
    duplicates = [d for d in check_path(path).diagnostics if d.code == "D001"]
    c = body.splitlines().index("      c) Is the service user's cafe\u0301 plan  agreed?") + 1
    assert [(d.span.line - len(HEADER.splitlines()) if d.span else 0) for d in duplicates] == [c]
    assert "prompt 1.1.1c repeats 1.1.1a, 1.1.1b word for word" in duplicates[0].message
    # Both earlier copies are shown beside the finding, where they are.
    lines = body.splitlines()
    assert [(r.message, r.span.line - len(HEADER.splitlines())) for r in duplicates[0].related] == [
        ("copy 1.1.1a", lines.index("      a) Is the service user’s café plan – “agreed”?") + 1),
        ("copy 1.1.1b", c - 1)]


# ---- levels --------------------------------------------------------------------------------------


def test_an_element_at_a_level_its_parent_lacks_is_reported(tmp_path: Path) -> None:
    body = "domain 1 Domain one\n  at: pdu\n" + standard(
        "1.1", "Leadership", "    question 1.1.1 Is the vision clear?\n      at: region\n"
                             "      a) Are staff engaged?\n")
    found, _ = check(tmp_path, body)
    line = body.splitlines().index("      at: region") + 1
    assert ("M002", line) in found


def test_a_level_defined_twice_is_reported_and_keeps_its_first_definition(tmp_path: Path) -> None:
    header = HEADER.replace("level pdu: PDU inspection\n", "level pdu: PDU inspection\nlevel pdu: Probation delivery unit\n")
    body = "domain 1 Domain one\n" + standard(
        "1.1", "Leadership", "    question 1.1.1 Is the vision clear?\n      a) Are staff engaged?\n")
    found, framework = check(tmp_path, body, header)
    assert found == [("M005", 4 - len(header.splitlines()))]  # the second definition, in the header
    assert framework is not None
    assert [(level.id, level.name) for level in framework.levels] == [("region", "Regional inspection"),
                                                                       ("pdu", "PDU inspection")]


def test_a_reference_two_levels_share_the_number_of_means_the_one_at_its_own_level(tmp_path: Path) -> None:
    body = ("domain 1 Domain one\n\n"
            "section: Regional standards\n  at: region\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the regional vision clear?\n"
                                            "      a) Are regional leaders engaged?\n"
                                            "      b) Do regional leaders use audits?\n        see: 1.1.1a\n")
            + "section: PDU standards\n  at: pdu\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the PDU vision clear?\n"
                                            "      a) Are PDU managers engaged?\n"
                                            "      b) Do PDU managers use audits?\n        see: 1.1.1a\n"))
    found, framework = check(tmp_path, body)
    assert codes(found, "X001", "X002") == []
    assert framework is not None
    by_text = {p.text: p for s in framework.standards() for q in s.questions for p in q.prompts}
    region_a, pdu_a = by_text["Are regional leaders engaged?"], by_text["Are PDU managers engaged?"]
    assert region_a.id != pdu_a.id
    assert [r.target for r in by_text["Do regional leaders use audits?"].references] == [region_a.id]
    assert [r.target for r in by_text["Do PDU managers use audits?"].references] == [pdu_a.id]


# ---- empty elements ------------------------------------------------------------------------------


def test_a_standard_part_without_text_is_reported_at_its_own_level(tmp_path: Path) -> None:
    body = ("domain 1 Domain one\n\n"
            "section: Regional standards\n  at: region\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the regional vision clear?\n"
                                            "      a) Are regional leaders engaged?\n")
            + "section: PDU standards\n  at: pdu\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the PDU vision clear?\n"
                                            "      a) Are PDU managers engaged?\n").replace("    text: The leadership is good.\n", ""))
    path = tmp_path / "main.precepts"
    path.write_text(HEADER + body, encoding="utf-8")
    empty = [d for d in check_path(path).diagnostics if d.code == "N006"]
    pdu_part = [i for i, line in enumerate(body.splitlines(), 1) if line.startswith("  standard 1.1")][1]
    assert [(d.span.line - len(HEADER.splitlines()) if d.span else 0) for d in empty] == [pdu_part]
    assert empty[0].message == "standard 1.1 Leadership has no standard text at pdu"


def test_a_standard_without_text_key_questions_or_prompts_is_reported_for_each(tmp_path: Path) -> None:
    body = ("domain 1 Domain one\n"
            "  standard 1.1 Leadership\n    rated: by judgement\n\n"
            "    question 1.1.1 Is the vision clear?\n\n"
            "  standard 1.2 Partnership\n    text: Partners work together.\n    rated: by judgement\n")
    path = tmp_path / "main.precepts"
    path.write_text(HEADER + body, encoding="utf-8")
    empty = sorted((d.span.line - len(HEADER.splitlines()) if d.span else 0, d.message)
                   for d in check_path(path).diagnostics if d.code == "N006")
    assert empty == [
        (2, "standard 1.1 Leadership has no standard text"),
        (5, "key question 1.1.1 has no prompts"),
        (7, "standard 1.2 Partnership has no key questions"),
    ]


# ---- numbering -----------------------------------------------------------------------------------


def numbering_findings(tmp_path: Path, body: str) -> list[tuple[int, str, str | None]]:
    path = tmp_path / "main.precepts"
    path.write_text(HEADER + body, encoding="utf-8")
    return sorted((d.span.line - len(HEADER.splitlines()) if d.span else 0, d.message, d.help)
                  for d in check_path(path).diagnostics if d.code == "N001")


def test_a_standard_numbered_out_of_its_domain_is_told_the_number_its_key_questions_agree_on(tmp_path: Path) -> None:
    body = "domain 1 Domain one\n" + standard(
        "2.1", "Leadership", "    question 1.1.1 Is the vision clear?\n      a) Are staff engaged?\n"
                             "    question 1.1.2 Is the plan clear?\n      a) Are plans shared?\n")
    assert numbering_findings(tmp_path, body) == [
        (2, "standard 2.1 Leadership is in domain 1, so its number should be 1.n",
         "number it 1.1, as its key questions are, or move it to domain 2"),
    ]


def test_a_standard_whose_key_questions_agree_on_another_domain_is_told_to_number_it_as_published(tmp_path: Path) -> None:
    body = "domain 1 Domain one\n" + standard(
        "2.1", "Leadership", "    question 3.1.1 Is the vision clear?\n      a) Are staff engaged?\n"
                             "    question 3.1.2 Is the plan clear?\n      a) Are plans shared?\n")
    # 3.1 is not a number of domain 1 either: the advice is the domain's numbering, not 3.1.
    assert numbering_findings(tmp_path, body)[0] == (
        2, "standard 2.1 Leadership is in domain 1, so its number should be 1.n",
        "number it 1.<n> as published, or move it to domain 2",
    )


def test_a_standard_whose_key_questions_disagree_is_told_to_number_it_as_published(tmp_path: Path) -> None:
    body = "domain 1 Domain one\n" + standard(
        "2.1", "Leadership", "    question 2.1.1 Is the vision clear?\n      a) Are staff engaged?\n"
                             "    question 1.1.2 Is the plan clear?\n      a) Are plans shared?\n")
    # 2.1.1 fits the standard as numbered, 1.1.2 fits the domain: the slip is the standard's, reported once.
    assert numbering_findings(tmp_path, body) == [
        (2, "standard 2.1 Leadership is in domain 1, so its number should be 1.n",
         "number it 1.<n> as published, or move it to domain 2"),
    ]


def test_a_key_question_numbered_under_another_standard_is_reported(tmp_path: Path) -> None:
    body = "domain 1 Domain one\n" + standard(
        "1.1", "Leadership", "    question 1.1.1 Is the vision clear?\n      a) Are staff engaged?\n"
                             "    question 1.2.2 Is the plan clear?\n      a) Are plans shared?\n")
    assert numbering_findings(tmp_path, body) == [
        (8, "key question 1.2.2 is under standard 1.1, so its number should be 1.1.n",
         "number it 1.1.<n>, or move it under standard 1.2"),
    ]


def test_a_key_question_fitting_neither_its_standard_nor_its_domain_is_reported_beside_the_standard(tmp_path: Path) -> None:
    body = "domain 1 Domain one\n" + standard(
        "2.1", "Leadership", "    question 1.1.1 Is the vision clear?\n      a) Are staff engaged?\n"
                             "    question 3.1.2 Is the plan clear?\n      a) Are plans shared?\n")
    assert [(line, message) for line, message, _ in numbering_findings(tmp_path, body)] == [
        (2, "standard 2.1 Leadership is in domain 1, so its number should be 1.n"),
        (8, "key question 3.1.2 is under standard 2.1, so its number should be 2.1.n"),
    ]


def sequence_findings(tmp_path: Path, body: str, header: str = HEADER) -> list[tuple[int, str, str | None]]:
    path = tmp_path / "main.precepts"
    path.write_text(header + body, encoding="utf-8")
    return [(d.span.line - len(header.splitlines()) if d.span else 0, d.message, d.help)
            for d in check_path(path).diagnostics if d.code == "N002"]


def test_sequence_findings_say_what_was_expected_and_how_letters_run(tmp_path: Path) -> None:
    za = "domain 1 Domain one\n" + standard(
        "1.1", "Leadership", "    question 1.1.1 Does the vision drive the service?\n"
        + prompts(27, [*string.ascii_lowercase, "za"]))
    assert sequence_findings(tmp_path, za, WIDE) == [(
        za.splitlines().index("      za) Is item 27 in place?") + 1,
        "prompt za) comes after prompt z); expected aa): after z) the letters double, aa), bb), cc)…",
        "after z) the letters double, as in a word processor's lettered list: aa), bb), cc)… (not za) or ab)), "
        "with no gap or repeat")]
    gap = "domain 1 Domain one\n" + standard(
        "1.1", "Leadership", "    question 1.1.2 Is the vision clear?\n      a) Are staff engaged?\n      c) Are plans shared?\n")
    assert sequence_findings(tmp_path, gap) == [
        (6, "key question 1.1.2 comes as the first key question; expected 1.1.1",
         "letters run a), b), c)… and numbers 1, 2, 3… with no gap or repeat"),
        (8, "prompt c) comes after prompt a); expected b)",
         "letters run a), b), c)… and numbers 1, 2, 3… with no gap or repeat"),
    ]


def test_a_domain_out_of_sequence_is_reported(tmp_path: Path) -> None:
    body = ("domain 1 Domain one\n" + standard("1.1", "Leadership", "    question 1.1.1 Is the vision clear?\n      a) Are staff engaged?\n")
            + "domain 3 Domain three\n" + standard("3.1", "Partners", "    question 3.1.1 Are partners engaged?\n      a) Are plans shared?\n"))
    line = body.splitlines().index("domain 3 Domain three") + 1
    assert [(found, message) for found, message, _ in sequence_findings(tmp_path, body)] == [
        (line, "domain 3 comes after domain 1; expected 2")]


def test_a_standard_numbered_without_a_dot_is_a_numbering_finding_not_a_crash(tmp_path: Path) -> None:
    body = "domain 1 Domain one\n" + standard("1", "Leadership", "    question 1.1 Is the vision clear?\n      a) Are staff engaged?\n")
    assert [message for _, message, _ in numbering_findings(tmp_path, body)] == [
        "standard 1 Leadership is in domain 1, so its number should be 1.n",
        "key question 1.1 is under standard 1, so its number should be 1.n"]
    assert [(line, message) for line, message, _ in sequence_findings(tmp_path, body)] == []


def test_an_id_used_at_one_level_then_twice_at_another_is_reported_at_the_third_use(tmp_path: Path) -> None:
    body = ("domain 1 Domain one\n\n"
            "section: Regional standards\n  at: region\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the regional vision clear?\n"
                                            "      a) Are leaders engaged?\n        id: engaged\n")
            + "section: PDU standards\n  at: pdu\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the PDU vision clear?\n"
                                            "      a) Are managers engaged?\n        id: engaged\n"
                                            "      b) Are staff engaged?\n        id: engaged\n"))
    found, _ = check(tmp_path, body)
    assert codes(found, "N003") == [("N003", body.splitlines().index("      b) Are staff engaged?") + 1)]


def duplicate_messages(tmp_path: Path, body: str) -> list[tuple[int, str]]:
    path = tmp_path / "main.precepts"
    path.write_text(HEADER + body, encoding="utf-8")
    return sorted((d.span.line - len(HEADER.splitlines()) if d.span else 0, d.message)
                  for d in check_path(path).diagnostics if d.code == "D001")


def test_a_duplicate_finding_says_how_far_apart_the_copies_are(tmp_path: Path) -> None:
    body = ("domain 1 Domain one\n"
            + standard("1.1", "Leadership",
                       "    question 1.1.1 Is the vision clear?\n      a) Are staff engaged?\n      b) Are staff engaged?\n"
                       "    question 1.1.2 Is the plan clear?\n      a) Are plans shared with staff?\n"
                       "    question 1.1.3 Is the plan used?\n      a) Are plans shared with staff?\n")
            + standard("1.2", "Partners", "    question 1.2.1 Are partners engaged?\n      a) Do partners attend meetings?\n")
            + standard("1.3", "Services", "    question 1.3.1 Are services joined up?\n      a) Do partners attend meetings?\n"))
    lines = body.splitlines()
    assert duplicate_messages(tmp_path, body) == sorted([
        (lines.index("      b) Are staff engaged?") + 1,
         'prompt 1.1.1b repeats 1.1.1a word for word (within key question 1.1.1, at region): "Are staff engaged?"'),
        (lines.index("    question 1.1.3 Is the plan used?") + 2,
         "prompt 1.1.3a repeats 1.1.2a word for word (across key questions of standard 1.1, at region): "
         '"Are plans shared with staff?"'),
        (len(lines) - 1,
         'prompt 1.3.1a repeats 1.2.1a word for word (across standards, at region): "Do partners attend meetings?"'),
    ])


def test_a_duplicate_at_only_one_of_two_levels_is_found_at_that_level(tmp_path: Path) -> None:
    body = ("domain 1 Domain one\n\n"
            "section: Regional standards\n  at: region\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the regional vision clear?\n"
                                            "      a) Are staff engaged?\n")
            + "section: PDU standards\n  at: pdu\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the PDU vision clear?\n"
                                            "      a) Are staff engaged?\n      b) Are staff engaged?\n"))
    assert duplicate_messages(tmp_path, body) == [
        (body.splitlines().index("      b) Are staff engaged?") + 1, 'prompt 1.1.1b repeats 1.1.1a word for word (within key question 1.1.1, at pdu): '
                                 '"Are staff engaged?"')]


# ---- levels ------------------------------------------------------------------------------------


def level_findings(tmp_path: Path, body: str, header: str = HEADER) -> list[tuple[str, str]]:
    path = tmp_path / "main.precepts"
    path.write_text(header + body, encoding="utf-8")
    return [(d.code, d.message) for d in check_path(path).diagnostics if d.code in ("L001", "L002")]


def test_a_standard_missing_key_questions_at_a_level_is_told_which_level(tmp_path: Path) -> None:
    body = "domain 1 Domain one\n" + standard(
        "1.1", "Leadership", "    question 1.1.1 Is the vision clear?\n      at: region\n      a) Are staff engaged?\n")
    assert level_findings(tmp_path, body) == [("L001", "standard 1.1 Leadership has no key questions at pdu")]


def test_without_levels_a_standard_missing_its_rule_is_not_told_of_a_level(tmp_path: Path) -> None:
    # A framework that declares no levels has one implicit level, "all": the message names none.
    header = HEADER.replace("level region: Regional inspection\nlevel pdu: PDU inspection\n", "")
    body = ("domain 1 Domain one\n  standard 1.1 Leadership\n    text: The leadership is good.\n\n"
            "    question 1.1.1 Is the vision clear?\n      a) Are staff engaged?\n")
    assert level_findings(tmp_path, body, header) == [
        ("L002", "standard 1.1 Leadership does not say how it is rated")]


def test_an_empty_standard_does_not_hide_a_later_standard_missing_key_questions(tmp_path: Path) -> None:
    body = ("domain 1 Domain one\n" + standard("1.1", "Leadership", "")
            + standard("1.2", "Staffing", "    question 1.2.1 Are staff trained?\n      at: region\n"
                                          "      a) Is training recorded?\n"))
    assert level_findings(tmp_path, body) == [("L001", "standard 1.2 Staffing has no key questions at pdu")]


def test_a_domain_at_one_level_does_not_hide_a_gap_in_the_next_domain(tmp_path: Path) -> None:
    body = ("domain 1 Domain one\n  at: pdu\n" + standard("1.1", "Leadership", "    question 1.1.1 Is the vision clear?\n"
                                                                        "      a) Are staff engaged?\n")
            + "domain 2 Domain two\n"
            + standard("2.1", "Partnerships", "    question 2.1.1 Are partners engaged?\n      a) Are plans shared?\n")
            + standard("2.2", "Services", "    question 2.2.1 Are services in place?\n      a) Are they used?\n", at="pdu"))
    found, _ = check(tmp_path, body)
    assert codes(found, "L003") == [("L003", body.splitlines().index("  standard 2.2 Services") + 1)]


# ---- references --------------------------------------------------------------------------------


def test_a_reference_to_a_number_two_levels_share_from_both_levels_is_ambiguous_and_one_to_nothing_is_unresolved(
        tmp_path: Path) -> None:
    body = ("domain 1 Domain one\n\n"
            "section: Regional standards\n  at: region\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the regional vision clear?\n"
                                            "      a) Are regional leaders engaged?\n")
            + "section: PDU standards\n  at: pdu\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the PDU vision clear?\n"
                                            "      a) Are PDU managers engaged?\n")
            + "domain 2 Domain two\n"
            + standard("2.1", "Partnerships", "    question 2.1.1 Are partners engaged?\n"
                                              "      a) Are plans shared?\n        see: 1.1.1a\n"
                                              "      b) Are plans kept?\n        see: 1.1.9z\n"))
    path = tmp_path / "main.precepts"
    path.write_text(HEADER + body, encoding="utf-8")
    found = [(d.code, d.message, d.help) for d in check_path(path).diagnostics]
    assert found == [
        ("X001", "reference '1.1.1a' is ambiguous: it could mean region/1.1.1a (id leadership.region.1a), "
                 "pdu/1.1.1a (id leadership.pdu.1a)", "qualify the number with its level, such as pdu/1.1.1a"),
        ("X001", "reference '1.1.9z' matches no standard, key question or prompt",
         "did you mean '1.1.1' or '1.1.1a' or '1.1'?"),
    ]


def test_an_unresolved_reference_does_not_hide_a_later_reference_at_the_wrong_level(tmp_path: Path) -> None:
    body = ("domain 1 Domain one\n  at: region\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the regional vision clear?\n"
                                            "      a) Are regional leaders engaged?\n")
            + "domain 2 Domain two\n  at: pdu\n"
            + standard("2.1", "Partnerships", "    question 2.1.1 Are partners engaged?\n"
                                              "      a) Are plans shared?\n        see: 9.9.9\n"
                                              "      b) Are regional leaders engaged with partners?\n        see: 1.1.1a\n"))
    path = tmp_path / "main.precepts"
    path.write_text(HEADER + body, encoding="utf-8")
    found = [(d.code, d.message, d.help) for d in check_path(path).diagnostics]
    assert found == [
        ("X001", "reference '9.9.9' matches no standard, key question or prompt",
         "write a published number such as 1.3.2a, or an element's id"),
        # No 1.1.1a applies at pdu: qualifying it as pdu/1.1.1a would name nothing (X001).
        ("X002", "reference '1.1.1a' points at 'leadership.1a', which applies at region, not at pdu where it is cited",
         "nothing numbered 1.1.1a applies at pdu: correct the number to one that does, "
         "or cite it from an element at region"),
    ]


def test_a_reference_qualified_with_the_wrong_level_is_told_the_level_where_the_number_exists(tmp_path: Path) -> None:
    """Only where the number exists at the citing element's level does qualifying it with that
    level help: a reference written with the other level, or by the other element's id."""
    body = ("domain 1 Domain one\n\n"
            "section: Regional standards\n  at: region\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the regional vision clear?\n"
                                            "      a) Are regional leaders engaged?\n")
            + "section: PDU standards\n  at: pdu\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Is the PDU vision clear?\n"
                                            "      a) Are PDU managers engaged?\n"
                                            "      b) Are PDU managers engaged with the vision?\n        see: region/1.1.1a\n"
                                            "      c) Are PDU managers engaged with the plan?\n        see: leadership.region.1a\n"))
    path = tmp_path / "main.precepts"
    path.write_text(HEADER + body, encoding="utf-8")
    found = [(d.code, d.span.line - len(HEADER.splitlines()) if d.span else 0, d.help)
             for d in check_path(path).diagnostics if d.code == "X002"]
    assert found == [
        ("X002", 23, "qualify it with the level where it is cited: pdu/1.1.1a"),
        ("X002", 25, "qualify it with the level where it is cited: pdu/1.1.1a"),
    ]


FACILITIES = ("    question 1.1.1 Do the premises support the delivery of a high-quality service?\n"
              "      a) Are policies and guidance communicated to and understood by relevant staff?\n"
              "      b) Can people on probation have conversations in private with their probation officer?\n"
              "      c) Is the environment safe for people accessing probation services?\n"
              "    question 1.1.2 Can people on probation talk in private?\n"
              "      a) Are there private rooms?\n        see: 1.1\n"  # a standard: no text to compare
              "      b) Is it so?\n        see: 1.1.1a\n")  # no words but common ones: nothing to compare


def test_key_questions_and_prompts_citing_plainly_different_text_are_told_what_fits_better(tmp_path: Path) -> None:
    # The citing element itself is never the better fit (it was: "1.2.1 fits far better" than 1.1.1).
    # A standard citing another has no text of its own to compare (a heading is not a question).
    body = ("domain 1 Domain one\n" + standard("1.1", "Facilities", FACILITIES)
            + standard("1.2", "Conversations", "    question 1.2.1 Are people on probation able to talk in private?\n"
                                               "      see: 1.1.1\n"
                                               "      a) When required, are people on probation able to have "
                                               "conversations in private with their probation officer?\n"
                                               "        see: 1.1.1a\n", extra="    see: 1.1.2\n"))
    path = tmp_path / "main.precepts"
    path.write_text(HEADER + body, encoding="utf-8")
    found = [(d.code, d.message.split("; ")[-1], d.help) for d in check_path(path).diagnostics]
    # The shares weigh each word by how rare it is among the framework's texts (1.1.1b and
    # the citing prompt differ in "when", "required", "able" and "can").
    assert found == [
        ("X003", '1.1.2 fits far better: "Can people on probation talk in private?"',
         "check the reference; 1.1.2 shares 100% of the citing text's weight against 0%"),
        ("X003", '1.1.1b fits far better: "Can people on probation have conversations in private with their probation officer?"',
         "check the reference; 1.1.1b shares 77% of the citing text's weight against 0%"),
    ]


def test_a_better_fitting_text_at_another_level_is_not_offered(tmp_path: Path) -> None:
    body = ("domain 1 Domain one\n\nsection: Regional standards\n  at: region\n\n"
            + standard("1.1", "Facilities", FACILITIES)
            + "section: PDU standards\n  at: pdu\n\n"
            + standard("1.1", "Leadership", "    question 1.1.1 Does the vision drive the service?\n"
                                            "      a) Are staff engaged?\n"
                                            "      b) When required, are people on probation able to have conversations "
                                            "in private with their probation officer?\n        see: pdu/1.1.1a\n"))
    found, _ = check(tmp_path, body)
    assert codes(found, "X001", "X002", "X003") == []


def test_a_duplicate_reported_at_one_level_does_not_hide_other_copies_at_a_third(tmp_path: Path) -> None:
    header = HEADER.replace("level pdu: PDU inspection\n", "level pdu: PDU inspection\nlevel court: Court work inspection\n")
    body = "domain 1 Domain one\n" + standard(
        "1.1", "Leadership", "    question 1.1.1 Is the vision clear?\n"
                             "      a) Are staff engaged in the vision?\n"
                             "      b) Are staff engaged in the vision?\n"
                             "      c) Are staff engaged in the vision?\n        at: court\n")
    path = tmp_path / "main.precepts"
    path.write_text(header + body, encoding="utf-8")
    found = [d.message for d in check_path(path).diagnostics if d.code == "D001"]
    # a) and b) at region and at pdu: one finding; a), b) and c) at court: another.
    assert found == [
        'prompt 1.1.1b repeats 1.1.1a word for word (within key question 1.1.1, at region): "Are staff engaged in the vision?"',
        'prompt 1.1.1c repeats 1.1.1a, 1.1.1b word for word (within key question 1.1.1, at court): '
        '"Are staff engaged in the vision?"',
    ]


def test_prompts_of_the_same_words_in_another_order_are_near_duplicates(tmp_path: Path) -> None:
    body = "domain 1 Domain one\n" + standard(
        "1.1", "Leadership", "    question 1.1.1 Is the vision clear?\n"
                             "      a) Are staff trained and engaged in the vision?\n"
                             "      b) Are staff engaged and trained in the vision?\n")
    found, _ = check(tmp_path, body)
    line = body.splitlines().index("      b) Are staff engaged and trained in the vision?") + 1
    assert codes(found, "D001", "D002") == [("D002", line)]


def test_a_prompt_adding_one_word_to_six_is_a_near_duplicate(tmp_path: Path) -> None:
    # Six content words shared of seven: 6/7 = 0.857, at or above the 0.85 threshold.
    body = "domain 1 Domain one\n" + standard(
        "1.1", "Leadership", "    question 1.1.1 Is the vision clear?\n"
                             "      a) Are staff engaged in delivering the vision and strategy of the service?\n"
                             "      b) Are staff and partners engaged in delivering the vision and strategy of the service?\n"
                             "      c) Are partners engaged in delivering the vision and strategy of the service?\n"
                             "      d) Are partners engaged in delivering the vision and strategy of the whole service?\n"
                             "        at: pdu\n")
    found, _ = check(tmp_path, body)
    lines = body.splitlines()
    # c) shares 5 of 7 words with a) (0.71): like a) only through b). The pairs at region are
    # reported once for both levels; d), at pdu only, is like c) there.
    assert codes(found, "D001", "D002") == [
        ("D002", lines.index("      b) Are staff and partners engaged in delivering the vision and strategy of the service?") + 1),
        ("D002", lines.index("      c) Are partners engaged in delivering the vision and strategy of the service?") + 1),
        ("D002", lines.index("      d) Are partners engaged in delivering the vision and strategy of the whole service?") + 1),
    ]


PARALLEL = ("Was the person on probation actively and meaningfully involved, with their family, carers and key "
            "workers, in reviewing and agreeing their sentence {}?")


def test_parallel_prompts_of_two_standards_differing_in_their_subjects_are_not_near_duplicates(tmp_path: Path) -> None:
    # 12 of 14 content words shared (0.86), but the words that differ are the standards' own subjects.
    body = ("domain 1 Domain one\n"
            + standard("1.1", "Planning", f"    question 1.1.1 Is planning good?\n      a) {PARALLEL.format('planning')}\n")
            + standard("1.2", "Assessment", f"    question 1.2.1 Is assessment good?\n      a) {PARALLEL.format('assessment')}\n"
                                            f"      b) {PARALLEL.format('assessment').replace('key ', 'key support ')}\n"))
    found, _ = check(tmp_path, body)
    # 1.2.1b, one word more than 1.2.1a, is a near duplicate of it, after the parallel pair passed over.
    assert codes(found, "D001", "D002") == [("D002", body.splitlines().index(
        f"      b) {PARALLEL.format('assessment').replace('key ', 'key support ')}") + 1)]
    # Within one standard the same pair is a near duplicate.
    body = "domain 1 Domain one\n" + standard(
        "1.1", "Planning", f"    question 1.1.1 Is planning good?\n      a) {PARALLEL.format('planning')}\n"
                           f"      b) {PARALLEL.format('assessment')}\n")
    found, _ = check(tmp_path, body)
    assert codes(found, "D001", "D002") == [("D002", 8)]


def test_the_near_duplicates_found_in_a_forked_join_are_those_found_in_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In this process (tests/test_parallel_join.py does it in a fresh one): the forked
    join runs when no other thread does (forking beside threads can deadlock the child),
    and finds what the check finds by itself."""
    can_fork = threading.active_count() == 1 and sys.platform != "win32"
    body = "domain 1 Domain one\n" + standard(
        "1.1", "Planning", f"    question 1.1.1 Is planning good?\n      a) {PARALLEL.format('planning')}\n"
                           f"      b) {PARALLEL.format('assessment')}\n")
    alone, _ = check(tmp_path, body)
    started: list[bool] = []
    original = duplicates._started_pairs

    def spy(framework: Framework) -> object:
        found = original(framework)
        started.append(found is not None)
        return found

    monkeypatch.setattr(duplicates, "PARALLEL_MIN_PROMPTS", 0)
    monkeypatch.setattr(duplicates, "_started_pairs", spy)
    forked, _ = check(tmp_path, body)
    assert started == [can_fork]
    assert codes(forked, "D002") == codes(alone, "D002") == [("D002", 8)]


WARD = ("    question 1.1.1 Are the wards well kept?\n"
        "      a) Is the news shared with staff?\n"
        "      b) Are new beds and a TV ordered?\n"
        "      c) Is the bed linen clean?\n")
AGREEMENT = 'scale agreement: Agreement\n  grade disagree "Disagree"\n  grade agree "Agree"\n\n'


def test_the_share_of_the_citing_text_weighs_each_word_by_how_rare_it_is(tmp_path: Path) -> None:
    body = (AGREEMENT + "domain 1 Domain one\n" + standard("1.1", "Ward", WARD, at="pdu")
            + "questionnaire visit: Visit\n  at: pdu\n  scale: agreement\n\n"
              "  item: My ward got new beds and a TV, and its linen gets washed weekly\n    see: 1.1.1a\n")
    path = tmp_path / "main.precepts"
    path.write_text(HEADER + body, encoding="utf-8")
    found = [(d.code, d.message.split("; ")[-1], d.help) for d in check_path(path).diagnostics]
    # The words compared, written out: words of one or two letters (TV) and common words do not
    # count; a word keeps its ending unless four letters are left without it (news is not new,
    # beds not bed; wards is ward, washed wash, weekly week). The 4 texts cited could be
    # (1.1.1 and its prompts) each use ward, new, beds and linen once; gets, wash and week none.
    texts = 4
    def weight(used_by: int) -> float:
        return math.log((1 + texts) / (1 + used_by)) + 1

    citing = {"ward": 1, "new": 1, "beds": 1, "linen": 1, "gets": 0, "wash": 0, "week": 0}
    share = (weight(citing["new"]) + weight(citing["beds"])) / sum(weight(n) for n in citing.values())
    assert f"{share:.0%}" == "25%"
    assert found == [
        ("X003", '1.1.1b fits far better: "Are new beds and a TV ordered?"',
         f"check the reference; 1.1.1b shares {share:.0%} of the citing text's weight against 0%"),
    ]


GARDEN = ("    question 1.1.1 Is the compost turned?\n"
          "      a) Is the shed locked?\n"
          "      b) Are roses pruned?\n"
          "      c) Are hedges trimmed?\n"
          "      d) Are lawns mown?\n"
          "      e) Are ponds cleared?\n")


def test_a_text_that_fits_exactly_twice_as_well_as_a_tenth_is_offered(tmp_path: Path) -> None:
    # Five words in the citing item, each used by one of the 6 texts, so all weigh the same:
    # 1.1.1a shares none, and each other prompt one of the five, 20%: twice the 10% a better
    # fit must at least double, so it is offered (the last in number order, of equal fits).
    body = (AGREEMENT + "domain 1 Domain one\n" + standard("1.1", "Garden", GARDEN, at="pdu")
            + "questionnaire visit: Visit\n  at: pdu\n  scale: agreement\n\n"
              "  item: Compost, roses, hedges, lawns and ponds\n    see: 1.1.1a\n")
    path = tmp_path / "main.precepts"
    path.write_text(HEADER + body, encoding="utf-8")
    found = [(d.code, d.message.split("; ")[-1], d.help) for d in check_path(path).diagnostics]
    assert found == [
        ("X003", '1.1.1e fits far better: "Are ponds cleared?"',
         "check the reference; 1.1.1e shares 20% of the citing text's weight against 0%"),
    ]


HOUSE = ("    question 1.1.1 Is the house kept?\n"
         "      a) Oven, grill, toaster?\n"
         "      b) Sink, tap, drain, pipe, valve, hose, pump?\n"
         "      c) Door, window, roof, wall, gutter?\n"
         "      d) Bed, chair, table, lamp, desk?\n"
         "      e) Is the yard swept?\n")


def test_a_citing_text_sharing_exactly_15_percent_is_plainly_different(tmp_path: Path) -> None:
    # Twenty words in the citing item, each used by one of the 6 texts, so all weigh the same:
    # 1.1.1a shares 3 of them, 15%, which is at most 15%: plainly different; 1.1.1b shares 7.
    body = (AGREEMENT + "domain 1 Domain one\n" + standard("1.1", "House", HOUSE, at="pdu")
            + "questionnaire visit: Visit\n  at: pdu\n  scale: agreement\n\n"
              "  item: Oven grill toaster sink tap drain pipe valve hose pump door window roof wall gutter"
              " bed chair table lamp desk\n    see: 1.1.1a\n")
    path = tmp_path / "main.precepts"
    path.write_text(HEADER + body, encoding="utf-8")
    found = [(d.code, d.message.split("; ")[-1], d.help) for d in check_path(path).diagnostics]
    assert found == [
        ("X003", '1.1.1b fits far better: "Sink, tap, drain, pipe, valve, hose, pump?"',
         "check the reference; 1.1.1b shares 35% of the citing text's weight against 15%"),
    ]
