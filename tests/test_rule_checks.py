"""Checks of rating rules (validators/rules.py) on small frameworks written here: the cases
between the fixture pairs, where what a finding says matters as much as where it is —
a gap of one percentage at the top of a banding, bands written highest first, a composite
rated by average or by percentage of the maximum, two hurdles that cap each other.

Each test reads the findings as a user does: code, line and message, from `check_path`.
"""

from __future__ import annotations

from pathlib import Path

from precepts.pipeline import check_path

HEADER = """framework demo
level region: Regional inspection
level pdu: PDU inspection

scale rating: Rating levels
  grade inadequate "Inadequate"
  grade requires-improvement "Requires improvement"
  grade good "Good"
  grade outstanding "Outstanding"

"""


def findings(tmp_path: Path, body: str, *wanted: str, header: str = HEADER) -> list[tuple[str, int, str]]:
    """The findings of the codes wanted: (code, line counted from the end of the header, message)."""
    path = tmp_path / "main.precepts"
    path.write_text(header + body, encoding="utf-8")
    result = check_path(path)
    lines = len(header.splitlines())
    return sorted(
        (d.code, d.span.line - lines if d.span else 0, d.message)
        for d in result.diagnostics if d.code in wanted
    )


def judged(number: str, at: str | None = None, extra: str = "") -> str:
    """A standard rated by judgement, numbered and named by `number`."""
    where = f"    at: {at}\n" if at else ""
    return (f"  standard {number} Standard {number}\n{where}{extra}    text: The work under {number} is good.\n"
            f"    rated: by judgement\n\n    question {number}.1 Is the work under {number} good?\n"
            f"      a) Is it done well?\n\n")


def domain(*standards: str) -> str:
    return "domain 1 Domain one\n" + "".join(standards)


def judged_as(number: str, heading: str, at: str | None = None, scale: str | None = None) -> str:
    """A standard rated by judgement, with the heading its id is made from."""
    where = f"    at: {at}\n" if at else ""
    own = f"    scale: {scale}\n" if scale else ""
    return (f"  standard {number} {heading}\n{where}    text: The work under {number} is good.\n"
            f"    rated: by judgement\n{own}\n    question {number}.1 Is the work under {number} good?\n"
            f"      a) Is it done well?\n\n")


SUM = "  score: sum\n  scores: inadequate 0, requires-improvement 1, good 2, outstanding 3\n"


# ---- rated standards and bandings (R002, R003) --------------------------------------------------


def test_a_standard_rated_from_cases_with_an_unknown_banding_at_one_level_still_needs_a_scale_at_another(
    tmp_path: Path,
) -> None:
    # One standard written at two levels: from cases at region (its banding is unknown, an M001),
    # by judgement at pdu, in a framework without a scale.
    at_region = ("  standard 1.1 Cases\n    at: region\n    text: The cases are good.\n"
                 "    rated: from cases using missing-banding\n\n"
                 "    question 1.1.1 Are cases good?\n      a) Is it done well?\n\n")
    header = "framework demo\nlevel region: Regional inspection\nlevel pdu: PDU inspection\n\n"
    body = domain(at_region, at_region.replace("region", "pdu").replace("from cases using missing-banding", "by judgement"))
    assert findings(tmp_path, body, "R002", header=header) == [
        ("R002", 13, "standard 1.1 is rated by judgement, but the framework defines no rating scale")]


def test_a_whole_percentage_banding_that_stops_at_99_leaves_100_in_no_band(tmp_path: Path) -> None:
    body = ("banding b: B\n  scale: rating\n  rounding: half up to whole percent\n"
            "  band below 50% gives inadequate\n  band 50% to 99% gives good\n\n") + domain(judged("1.1"))
    assert findings(tmp_path, body, "R003") == [
        ("R003", 1, "banding 'b' does not cover 0–100% exactly once: a result of 100% falls in no band")]


def test_bands_reaching_beyond_100_percent_are_reported_in_one_sentence(tmp_path: Path) -> None:
    body = ("banding b: B\n  scale: rating\n  rounding: half up to whole percent\n  band below 50% gives inadequate\n"
            "  band 50% to 120% gives good\n  band 110% to 130% gives outstanding\n\n") + domain(judged("1.1"))
    assert findings(tmp_path, body, "R003") == [
        ("R003", 1, "banding 'b' does not cover 0–100% exactly once: a band reaches beyond 0–100%")]


def test_a_band_below_0_percent_holds_no_result_and_overlaps_nothing(tmp_path: Path) -> None:
    body = ('banding b: B\n  scale: rating\n  rounding: none\n  band nothing "Nothing": below 0% gives inadequate\n'
            '  band all "All": 0% and above gives good\n\n') + domain(judged("1.1"))
    assert findings(tmp_path, body, "R003", "R005") == []


# ---- scales (R005) ------------------------------------------------------------------------------


def test_two_grades_whose_labels_differ_only_in_case_are_one_label_used_twice(tmp_path: Path) -> None:
    body = 'scale other: Other\n  grade low "Low"\n  grade high "low"\n\n' + domain(judged("1.1"))
    assert findings(tmp_path, body, "R005") == [("R005", 3, "scale 'other' uses the grade label 'low' twice")]


def test_a_scale_scoring_some_grades_names_the_grades_without_a_score(tmp_path: Path) -> None:
    body = ('scale other: Other\n  grade low "Low" scores 1\n  grade mid "Mid"\n  grade high "High" scores 3\n\n'
            + domain(judged("1.1")))
    assert findings(tmp_path, body, "R005") == [
        ("R005", 1, "scale 'other' gives scores to some grades but not to mid")]


def test_a_composite_scoring_some_grades_and_not_rising_is_reported_for_each(tmp_path: Path) -> None:
    body = ("composite overall: Overall\n  at: pdu\n  score: sum\n  scores: inadequate 0, good 2, outstanding 1\n"
            "  band 0 to 2 gives inadequate\n  band 3 to 4 gives outstanding\n\n") + domain(judged("1.1"), judged("1.2"))
    assert findings(tmp_path, body, "R005") == [
        ("R005", 1, "composite 'overall' gives no score to requires-improvement"),
        ("R005", 1, "in 'overall', outstanding scores 1, not more than the lower grade good (2)"),
    ]


def test_composite_bands_giving_a_lower_grade_for_a_higher_total_are_reported(tmp_path: Path) -> None:
    body = ("composite overall: Overall\n  at: pdu\n" + SUM + "  band 0 to 2 gives good\n  band 3 to 6 gives inadequate\n\n"
            + domain(judged("1.1"), judged("1.2")))
    assert findings(tmp_path, body, "R005") == [
        ("R005", 6, "in 'overall', a higher result gives inadequate, a lower grade than good below it")]


def test_bands_written_highest_first_rise_when_read_by_their_results(tmp_path: Path) -> None:
    body = ('banding b: B\n  scale: rating\n  rounding: half up to whole percent\n'
            '  band high "High": 1% and above gives good\n  band low "Low": below 1% gives inadequate\n\n'
            + domain(judged("1.1")))
    assert findings(tmp_path, body, "R003", "R005") == []


def test_neighbouring_bands_giving_the_same_grade_do_not_fall(tmp_path: Path) -> None:
    body = ('banding b: B\n  scale: rating\n  rounding: half up to whole percent\n'
            '  band below 50% gives inadequate\n  band 50% to 64% gives inadequate\n  band 65% and above gives good\n\n'
            + domain(judged("1.1")))
    assert findings(tmp_path, body, "R003", "R005") == []


def test_composite_scores_written_in_another_order_than_the_grades_are_read_in_the_grades_order(
    tmp_path: Path,
) -> None:
    body = ("composite overall: Overall\n  at: pdu\n  score: sum\n"
            "  scores: outstanding 3, inadequate 0, good 2, requires-improvement 1\n"
            "  band 0 to 3 gives inadequate\n  band 4 to 6 gives good\n\n") + domain(judged("1.1"), judged("1.2"))
    assert findings(tmp_path, body, "R005", "R006") == []


# ---- composites (R006) --------------------------------------------------------------------------


def test_composites_by_percentage_average_and_sum_are_each_checked(tmp_path: Path) -> None:
    body = (
        "composite worst: Worst\n  at: pdu\n" + SUM + "\n"
        "composite pct: Percent\n  scale: rating\n  score: percentage of maximum\n  rounding: half up to whole percent\n"
        "  band below 50% gives inadequate\n  band 60% and above gives good\n\n"
        "composite avg: Average\n  at: pdu\n  scale: rating\n  score: average\n"
        "  scores: inadequate 0, requires-improvement 1, good 2, outstanding 3\n"
        "  band 0 to 1 gives inadequate\n  band 2 to 3 gives good\n\n"
        "composite one: One\n  at: region, pdu\n" + SUM + "  band 0 to 1 gives inadequate\n\n"
    ) + domain(judged("1.1"))
    assert findings(tmp_path, body, "R006") == [
        ("R006", 6, "composite 'pct' gives a percentage of the maximum, but results of 50–59% fall in no band"),
        ("R006", 13, "composite 'avg' averages scores up to 3, but results above 1 and below 2 fall in no band"),
        # One standard is rated at each level, so the totals (and the gap) are the same at both: one finding.
        ("R006", 21, "composite 'one' at region: 1 standard is rated, so totals run 0–3, but totals of 2–3 fall in no band"),
    ]


def test_an_averaged_composite_needs_no_band_below_its_lowest_score_but_an_overlap_from_0_is_one(
    tmp_path: Path,
) -> None:
    """An average of scores 1–3 is never below 1, so bands starting at 1 leave no gap; two
    bands that both start at 0 still overlap, and say so (this was dropped with the gap)."""
    body = (
        "composite avg: Average\n  at: pdu\n  scale: rating\n  score: average\n"
        "  scores: inadequate 1, requires-improvement 2, good 2.5, outstanding 3\n"
        "  band 1 to 2 gives inadequate\n  band 2.1 and above gives good\n\n"
        "composite both: Both\n  at: pdu\n  scale: rating\n  score: average\n"
        "  scores: inadequate 1, requires-improvement 2, good 2.5, outstanding 3\n"
        "  band 0 to 2 gives inadequate\n  band below 1 gives inadequate\n  band 2.1 and above gives good\n\n"
    ) + domain(judged("1.1"))
    assert findings(tmp_path, body, "R006") == [
        ("R006", 1, "composite 'avg' averages scores up to 3, but results above 2 and below 2.1 fall in no band"),
        ("R006", 9, "composite 'both' averages scores up to 3, but results from 0 to below 1 fall in two bands; "
                    "results above 2 and below 2.1 fall in no band"),
    ]


def test_a_standard_judged_on_its_own_scored_scale_counts_to_that_scales_top(tmp_path: Path) -> None:
    body = ('scale big: Big\n  grade none "None" scores 0\n  grade lots "Lots" scores 5\n\n'
            "composite overall: Overall\n  at: pdu\n  scale: rating\n" + SUM
            + "  band 0 to 2 gives inadequate\n  band 3 to 5 gives good\n\n"
            + domain(judged_as("1.1", "Leadership", at="pdu", scale="big")))
    assert findings(tmp_path, body, "R006") == []


def test_a_percentage_of_the_maximum_banded_to_100_percent_is_complete(tmp_path: Path) -> None:
    body = ("composite pct: Percent\n  at: pdu\n  scale: rating\n  score: percentage of maximum\n"
            "  rounding: half up to whole percent\n  band below 50% gives inadequate\n  band 50% to 100% gives good\n\n"
            + domain(judged("1.1")))
    assert findings(tmp_path, body, "R006") == []


def test_an_average_without_scores_runs_up_to_the_highest_top_of_the_standards_own_scales(tmp_path: Path) -> None:
    body = ('scale small: Small\n  grade none "None" scores 0\n  grade some "Some" scores 3\n\n'
            'scale big: Big\n  grade none "None" scores 0\n  grade lots "Lots" scores 5\n\n'
            "composite avg: Average\n  at: pdu\n  scale: rating\n  score: average\n"
            "  band 0 to 2 gives inadequate\n  band 2.5 to 3 gives good\n\n"
            + domain(judged_as("1.1", "Leadership", at="pdu", scale="small"),
                     judged_as("1.2", "Staff", at="pdu", scale="big")))
    assert findings(tmp_path, body, "R006") == [
        ("R006", 9, "composite 'avg' averages scores up to 5, but results above 2 and below 2.5 fall in no band; "
                    "results above 3 fall in no band")]


def test_a_sum_with_a_fractional_score_can_total_between_whole_numbers(tmp_path: Path) -> None:
    body = ("composite overall: Overall\n  at: pdu\n  score: sum\n"
            "  scores: inadequate 0, requires-improvement 1, good 1.5, outstanding 3\n"
            "  band 0 to 1 gives inadequate\n  band 2 to 3 gives good\n\n" + domain(judged("1.1")))
    assert findings(tmp_path, body, "R006") == [
        ("R006", 1, "composite 'overall' at pdu: 1 standard is rated, so totals run 0–3, "
                    "but results above 1 and below 2 fall in no band")]


def test_a_composite_is_checked_at_each_level_where_standards_are_rated(tmp_path: Path) -> None:
    # Nothing is rated at region; one standard at national (0–3, covered); two at pdu (0–6).
    header = HEADER.replace("level pdu: PDU inspection\n", "level pdu: PDU inspection\nlevel national: National\n")
    body = ("composite overall: Overall\n  at: region, national, pdu\n" + SUM + "  band 0 to 3 gives inadequate\n\n"
            + domain(judged("1.1", at="national, pdu"), judged("1.2", at="pdu")))
    assert findings(tmp_path, body, "R006", header=header) == [
        ("R006", 1, "composite 'overall' at pdu: 2 standards are rated, so totals run 0–6, but totals of 4–6 fall in no band")]


def test_a_composite_counts_for_each_kind_of_provider_the_standards_that_apply_to_it(tmp_path: Path) -> None:
    # For nps only 2.2 applies (totals 0–3); for crc all three (0–9), which the bands cover.
    header = HEADER + "attribute provider: nps, crc\n\n"
    body = ("composite overall: Overall\n  at: pdu\n" + SUM + "  band 0 to 9 gives inadequate\n\n"
            "domain 1 Domain one\n  applies to: provider is crc\n" + judged("1.1")
            + "domain 2 Domain two\n"
            + judged("2.1", extra="    applies to: provider is crc\n") + judged("2.2"))
    assert findings(tmp_path, body, "R006", header=header) == [
        ("R006", 1, "composite 'overall' at pdu for provider nps: 1 standard is rated, so totals run 0–3, "
                    "but a band reaches beyond 0–3")]


def test_a_kind_of_provider_with_nothing_rated_does_not_hide_the_next(tmp_path: Path) -> None:
    # Nothing applies to nps; for crc one standard counts (0–3), which the bands do not reach.
    header = HEADER + "attribute provider: nps, crc\n\n"
    body = ("composite overall: Overall\n  at: pdu\n" + SUM + "  band 0 to 2 gives inadequate\n\n"
            "domain 1 Domain one\n  applies to: provider is crc\n" + judged("1.1"))
    assert findings(tmp_path, body, "R006", header=header) == [
        ("R006", 1, "composite 'overall' at pdu for provider crc: 1 standard is rated, so totals run 0–3, "
                    "but a total of 3 falls in no band")]


def test_a_kind_of_provider_whose_bands_are_complete_does_not_hide_the_next(tmp_path: Path) -> None:
    # For nps one standard counts (0–3, covered); for crc two (0–6).
    header = HEADER + "attribute provider: nps, crc\n\n"
    body = ("composite overall: Overall\n  at: pdu\n" + SUM + "  band 0 to 3 gives inadequate\n\n"
            "domain 1 Domain one\n  applies to: provider is crc\n" + judged("1.1")
            + "domain 2 Domain two\n" + judged("2.1"))
    assert findings(tmp_path, body, "R006", header=header) == [
        ("R006", 1, "composite 'overall' at pdu for provider crc: 2 standards are rated, so totals run 0–6, "
                    "but totals of 4–6 fall in no band")]


def test_an_undefined_attribute_in_applies_to_does_not_hide_the_defined_ones(tmp_path: Path) -> None:
    # region-type is not defined (M001), so domain 1 may apply to anyone; domain 2 applies only to
    # crc: for nps one standard counts (0–3), which the bands overreach.
    header = HEADER + "attribute provider: nps, crc\n\n"
    body = ("composite overall: Overall\n  at: pdu\n" + SUM + "  band 0 to 6 gives inadequate\n\n"
            "domain 1 Domain one\n  applies to: region-type is x\n" + judged("1.1")
            + "domain 2 Domain two\n  applies to: provider is crc\n" + judged("2.1"))
    assert findings(tmp_path, body, "R006", header=header) == [
        ("R006", 1, "composite 'overall' at pdu for provider nps: 1 standard is rated, so totals run 0–3, "
                    "but a band reaches beyond 0–3")]


def test_a_composite_without_scores_reads_own_scales_only_at_its_levels_and_only_when_fully_scored(
    tmp_path: Path,
) -> None:
    # 1.1 counts to its scale's top, 2 (its rating at region, read first, does not hide the one
    # at pdu). 1.3 is judged on the composite's unscored scale and 1.4 on a partly scored one, so
    # each counts to the highest own top at pdu, 2 as well: totals 0–6. 1.2's scale (top 5) is
    # not read: it is judged on it only at region.
    body = ('scale small: Small\n  grade none "None" scores 0\n  grade some "Some" scores 2\n\n'
            'scale big: Big\n  grade none "None" scores 0\n  grade lots "Lots" scores 5\n\n'
            'scale half: Half\n  grade none "None"\n  grade lots "Lots" scores 9\n\n'
            "composite overall: Overall\n  at: pdu\n  scale: rating\n  score: sum\n  band 0 to 6 gives inadequate\n\n"
            + domain(judged_as("1.1", "Leadership", at="region, pdu", scale="small"),
                     judged_as("1.2", "Staff", at="region", scale="big"),
                     judged_as("1.3", "Services", at="pdu"),
                     judged_as("1.4", "Outcomes", at="pdu", scale="half")))
    assert findings(tmp_path, body, "R006") == []


# ---- hurdles (R002, R007, R008) -----------------------------------------------------------------


def test_two_hurdles_capping_each_other_form_a_cycle_reported_on_the_first_written(tmp_path: Path) -> None:
    body = ("judgement diversity: Diversity\n  scale: rating\n\n"
            "hurdle first: First\n  when: leadership is inadequate\n  then: diversity is at most good\n\n"
            "hurdle second: Second\n  when: diversity is inadequate\n  then: leadership is at most good\n\n"
            + domain(judged_as("1.1", "Leadership")))
    assert findings(tmp_path, body, "R007") == [
        ("R007", 4, "hurdles form a cycle: leadership → diversity → leadership (through first, second)")]


def test_a_standard_judged_without_a_scale_is_rated_on_its_composites_scale(tmp_path: Path) -> None:
    body = ('scale other: Other\n  grade low "Low" scores 0\n  grade high "High" scores 1\n\n'
            "composite overall: Overall\n  at: pdu\n  scale: other\n  score: sum\n  band 0 to 1 gives low\n\n"
            "judgement diversity: Diversity\n  scale: other\n\n"
            "hurdle cap: Cap\n  when: diversity is low\n  then: leadership is at most low\n\n"
            + domain(judged_as("1.1", "Leadership", at="pdu")))
    assert findings(tmp_path, body, "R002", "R008") == []


def test_a_hurdle_reads_a_standards_grades_from_its_own_banding_not_another_rule(tmp_path: Path) -> None:
    # Court work is rated from cases using `court`, on scale `other`; the composite and the first
    # banding are on `rating`, whose grades the hurdle does not use.
    body = ('scale other: Other\n  grade low "Low"\n  grade high "High"\n\n'
            "banding first: First\n  scale: rating\n  rounding: half up to whole percent\n"
            "  band below 50% gives inadequate\n  band 50% and above gives good\n\n"
            "banding court: Court\n  scale: other\n  rounding: half up to whole percent\n"
            "  band below 50% gives low\n  band 50% and above gives high\n\n"
            "composite overall: Overall\n  at: pdu\n  scale: rating\n" + SUM + "  band 0 to 3 gives inadequate\n\n"
            "judgement diversity: Diversity\n  scale: rating\n\n"
            "hurdle cap: Cap\n  when: diversity is inadequate\n  then: court-work is at most low\n\n"
            "domain 1 Domain one\n  standard 1.1 Court work\n    at: pdu\n    text: The advice to court is good.\n"
            "    rated: from cases using court\n\n    question 1.1.1 Is the advice good?\n      a) Is it done well?\n\n")
    assert findings(tmp_path, body, "R002", "R008") == []


def test_a_standard_judged_without_a_scale_at_a_level_without_a_composite_is_on_a_bandings_scale(
    tmp_path: Path,
) -> None:
    body = ('scale other: Other\n  grade low "Low" scores 0\n  grade high "High" scores 1\n\n'
            "composite overall: Overall\n  at: region\n  scale: other\n  score: sum\n  band 0 to 1 gives low\n\n"
            "banding b: B\n  scale: rating\n  rounding: half up to whole percent\n"
            "  band below 50% gives inadequate\n  band 50% and above gives good\n\n"
            "judgement diversity: Diversity\n  scale: rating\n\n"
            "hurdle cap: Cap\n  when: diversity is inadequate\n  then: leadership is at most low\n\n"
            + domain(judged_as("1.1", "Leadership", at="pdu")))
    assert findings(tmp_path, body, "R002") == [
        ("R002", 22, "hurdle 'cap' compares 'leadership' with 'low', which is not a grade of its scale "
                     "(inadequate, requires-improvement, good, outstanding)")]


def test_a_hurdle_comparing_a_standard_with_a_grade_off_its_composites_scale_is_reported(tmp_path: Path) -> None:
    body = ('scale other: Other\n  grade low "Low" scores 0\n  grade high "High" scores 1\n\n'
            "composite overall: Overall\n  at: pdu\n  scale: other\n  score: sum\n  band 0 to 1 gives low\n\n"
            "judgement diversity: Diversity\n  scale: other\n\n"
            "hurdle cap: Cap\n  when: diversity is low\n  then: leadership is at most inadequate\n\n"
            + domain(judged_as("1.1", "Leadership", at="pdu")))
    assert findings(tmp_path, body, "R002") == [
        ("R002", 16, "hurdle 'cap' compares 'leadership' with 'inadequate', which is not a grade of its scale (low, high)")]


def test_a_hurdle_after_one_with_a_grade_off_its_scale_is_still_checked(tmp_path: Path) -> None:
    body = ("judgement diversity: Diversity\n  scale: rating\n\n"
            "hurdle off: Off\n  when: diversity is poor\n  then: leadership is at most good\n\n"
            "hurdle idle: Idle\n  when: diversity is inadequate\n  then: leadership is at most outstanding\n\n"
            + domain(judged_as("1.1", "Leadership")))
    assert findings(tmp_path, body, "R002", "R008") == [
        ("R002", 5, "hurdle 'off' compares 'diversity' with 'poor', which is not a grade of its scale "
                    "(inadequate, requires-improvement, good, outstanding)"),
        ("R008", 8, "hurdle 'idle' can never change a rating: whenever it fires, its cap already holds"),
    ]


def test_a_hurdle_reading_a_standard_without_a_rating_is_not_said_never_to_fire(tmp_path: Path) -> None:
    # Its grades are unknown until the standard says how it is rated (L002 says so): no combination
    # of ratings can be tried, which is not the same as none meeting the condition.
    unrated = judged_as("1.2", "Quiet").replace("    rated: by judgement\n", "")
    body = ("judgement diversity: Diversity\n  scale: rating\n\n"
            "hurdle ghost: Ghost\n  when: diversity is inadequate and quiet is inadequate\n"
            "  then: leadership is at most good\n\n" + domain(judged_as("1.1", "Leadership"), unrated))
    assert findings(tmp_path, body, "L002", "R002", "R008") == [
        ("L002", 16, "standard 1.2 Quiet does not say how it is rated at pdu"),
        ("L002", 16, "standard 1.2 Quiet does not say how it is rated at region"),
    ]


def test_a_hurdle_reading_a_composites_total_score_is_not_said_never_to_fire(tmp_path: Path) -> None:
    # It fires when the total is at most 2, which no combination of the ratings it names shows.
    body = ("judgement diversity: Diversity\n  scale: rating\n\n"
            "composite overall: Overall\n  at: pdu\n" + SUM + "  band 0 to 3 gives inadequate\n  band 4 to 6 gives good\n\n"
            "hurdle low: Low\n  at: pdu\n  when: total score is at most 2\n  then: diversity is at most requires-improvement\n\n"
            + domain(judged("1.1", at="pdu"), judged("1.2", at="pdu")))
    assert findings(tmp_path, body, "R002", "R008") == []


def test_a_hurdle_that_never_bites_is_reported_after_one_reading_a_count(tmp_path: Path) -> None:
    body = ("judgement diversity: Diversity\n  scale: rating\n\n"
            "hurdle counted: Counted\n  when: count of inadequate is at least 2\n  then: leadership is at most good\n\n"
            "hurdle idle: Idle\n  when: diversity is inadequate\n  then: leadership is at most outstanding\n\n"
            + domain(judged_as("1.1", "Leadership"), judged_as("1.2", "Staff")))
    assert findings(tmp_path, body, "R002", "R008") == [
        ("R008", 8, "hurdle 'idle' can never change a rating: whenever it fires, its cap already holds")]


def test_each_banding_is_checked_after_one_without_bands(tmp_path: Path) -> None:
    body = ("banding empty: Empty\n  scale: rating\n  rounding: half up to whole percent\n\n"
            "banding b: B\n  scale: rating\n  rounding: half up to whole percent\n"
            "  band below 50% gives inadequate\n  band 60% and above gives good\n\n") + domain(judged("1.1"))
    assert findings(tmp_path, body, "R003") == [
        ("R003", 5, "banding 'b' does not cover 0–100% exactly once: results of 50–59% fall in no band")]


def test_each_composite_is_checked_for_scores_after_one_without_them(tmp_path: Path) -> None:
    body = ("composite bare: Bare\n  at: pdu\n  score: sum\n  band 0 to 3 gives good\n\n"
            "composite overall: Overall\n  at: pdu\n  score: sum\n  scores: inadequate 0, good 2, outstanding 3\n"
            "  band 0 to 5 gives inadequate\n\n") + domain(judged("1.1"), judged("1.2"))
    assert findings(tmp_path, body, "R005", "R006") == [
        ("R005", 6, "composite 'overall' gives no score to requires-improvement"),
        ("R006", 1, "composite 'bare' sums scores, but its grades have none"),
        ("R006", 6, "composite 'overall' at pdu: 2 standards are rated, so totals run 0–6, but a total of 6 falls in no band"),
    ]


def test_a_composite_without_scores_counts_standards_on_their_own_scored_scale(tmp_path: Path) -> None:
    body = ('scale big: Big\n  grade none "None" scores 0\n  grade lots "Lots" scores 5\n\n'
            "composite overall: Overall\n  at: pdu\n  scale: rating\n  score: sum\n"
            "  band 0 to 2 gives inadequate\n  band 3 to 5 gives good\n\n"
            + domain(judged_as("1.1", "Leadership", at="pdu", scale="big")))
    assert findings(tmp_path, body, "R006") == []
