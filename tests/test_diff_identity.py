"""Identities across versions: ids, the mapping file, derived ids as positions, proposals."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_diff_support import FRAMEWORK_2017, FRAMEWORK_2021, MAPPING_2017_2021, framework, write_demo

from precepts.changes.compare import change_report
from precepts.changes.identity import match
from precepts.changes.mapping import MappingError, read_mapping
from precepts.changes.report import ChangeReport, ElementChange
from precepts.compiler.model import Framework


@pytest.fixture(scope="module")
def old() -> Framework:
    return framework(FRAMEWORK_2017)


@pytest.fixture(scope="module")
def new() -> Framework:
    return framework(FRAMEWORK_2021)


@pytest.fixture(scope="module")
def report(old: Framework, new: Framework) -> ChangeReport:
    return change_report(old, new, read_mapping(MAPPING_2017_2021))


def pair(report: ChangeReport, kind: str, old_number: str, new_id: str | None = None) -> ElementChange:
    found = [c for c in report.elements(kind)
             if c.old is not None and c.old.number == old_number and (new_id is None or (c.new and c.new.id == new_id))]
    assert len(found) == 1, [(c.old, c.new) for c in found]
    return found[0]


def whats(change: ElementChange) -> dict[str, tuple[str | None, str | None]]:
    return {c.what: (c.old, c.new) for c in change.changes}


# ---- the 2017 draft → 2021, with the committed mapping --------------------------------------


@pytest.mark.parametrize(("old_number", "new_number", "heading"), [
    ("2.1", "2.2", "Assessment"),
    ("2.2", "2.3", "Planning"),
    ("2.3", "2.4", "Implementation and delivery"),
    ("2.4", "2.5", "Reviewing"),
])
def test_case_supervision_standards_pair_across_renumbering(report: ChangeReport, old_number: str,
                                                           new_number: str, heading: str) -> None:
    change = pair(report, "standard", old_number)
    assert change.new is not None and change.new.number == new_number and change.new.text == heading
    assert change.matched_by == "id"
    assert whats(change)["renumbered"] == (old_number, new_number)


def test_court_work_moves_from_the_nps_module_to_domain_two(report: ChangeReport) -> None:
    change = pair(report, "standard", "3.1")
    assert change.new is not None and (change.new.id, change.new.number) == ("court-work", "2.1")
    assert change.matched_by == "mapping"
    changes = whats(change)
    assert changes["moved"] == ("3 NPS specific work", "2 Domain two")
    assert changes["applicability"] == ("provider is nps", "every case")
    assert changes["heading"] == ("Court reports and case allocation", "Court work")
    assert "levels" not in changes  # provider is read as pdu, where 2021 puts it
    # Its prompts follow it; the allocation key question is gone.
    assert pair(report, "prompt", "3.1.1h").new.number == "2.1.1h"  # type: ignore[union-attr]
    assert pair(report, "question", "3.1.2").status == "removed"


def test_domain_one_splits_into_regional_and_pdu_parts(report: ChangeReport) -> None:
    parts = [c for c in report.questions if c.old is not None and c.old.id == "leadership.2"]
    assert sorted(c.new.id for c in parts if c.new) == ["leadership.pdu.2", "leadership.region.2"]
    region = next(c for c in parts if c.new and c.new.id == "leadership.region.2")
    assert whats(region)["levels"] == ("provider", "region")
    assert "split" in whats(region)


def test_prompts_that_move_to_another_key_question(report: ChangeReport) -> None:
    change = pair(report, "prompt", "1.2.2e", "staffing.region.3a")
    assert whats(change)["moved"][1].startswith("1.2.3 Are arrangements for learning and development")  # type: ignore[index]


def test_every_2017_element_is_paired_or_confirmed_removed(report: ChangeReport) -> None:
    for kind in ("standard", "question", "prompt"):
        assert report.summary(kind)["proposed"] == 0
        assert all(c.matched_by == "mapping" for c in report.elements(kind) if c.status == "removed")


def test_reworded_prompts_have_redlines(report: ChangeReport) -> None:
    reworded = [c for c in report.prompts if c.has("reworded")]
    assert len(reworded) == report.summary("prompt")["reworded"] >= 100
    change = pair(report, "prompt", "2.1.2a")
    redline = next(ch.redline for ch in change.changes if ch.what == "reworded")
    assert [(op.op, op.text) for op in redline] == [
        ("equal", "Does assessment identify and analyse"), ("delete", " desistance and"),
        ("equal", " offending-related factors?"),
    ]


def test_preferred_terms_only(report: ChangeReport) -> None:
    change = pair(report, "prompt", "2.1.2b")
    reworded = next(ch for ch in change.changes if ch.what == "reworded")
    assert reworded.note == "preferred terms only"


# ---- derived ids are positions --------------------------------------------------------------


def test_without_a_mapping_ids_pair_and_the_rest_is_proposed(old: Framework, new: Framework) -> None:
    report = change_report(old, new, None)
    assert pair(report, "standard", "2.1").matched_by == "id"
    assert pair(report, "standard", "1.2").matched_by == "proposed"  # Staff → Staffing
    assert pair(report, "question", "2.1.1").matched_by == "derived-id"
    assert report.notes and "proposed" in report.notes[-1]


def test_a_derived_id_that_now_names_another_prompt_does_not_pair(old: Framework, new: Framework) -> None:
    """2021 inserts a prompt before 'home visits', so 2.4.3d is no longer 2017's 2.3.3d."""
    report = change_report(old, new, None)
    home_visits = pair(report, "prompt", "2.3.3d")
    assert home_visits.new is not None and home_visits.new.number == "2.4.3e"
    assert home_visits.status == "unchanged" or not home_visits.has("reworded")
    # Nor is 2017's 2.3.1e (missed appointments) the 2021 prompt that took its letter.
    missed = [c for c in report.prompts if c.old and c.old.number == "2.3.1e"]
    assert [c.status for c in missed] == ["removed"]


def test_declared_ids_keep_identity_through_renumbering_and_moves(tmp_path: Path) -> None:
    one, two = (framework(p) for p in write_demo(tmp_path))
    report = change_report(one, two)
    involved = pair(report, "prompt", "1.1.1a")
    assert (involved.matched_by, involved.new.number) == ("id", "1.2.1b")  # type: ignore[union-attr]
    court = pair(report, "standard", "2.1")
    assert court.matched_by == "id" and court.new.text == "Court work"  # type: ignore[union-attr]
    assert whats(court)["applicability"] == ("provider is nps", "every case")
    added = [c.new.number for c in report.prompts if c.status == "added"]  # type: ignore[union-attr]
    assert added == ["1.2.1a"]


def test_rating_rule_changes(tmp_path: Path) -> None:
    one, two = (framework(p) for p in write_demo(tmp_path))
    report = change_report(one, two)
    banding = next(r for r in report.rules if r.kind == "banding")
    assert banding.status == "changed"
    assert [(c.old, c.new) for c in banding.changes] == [
        ('too-few "Too few": 50% to 64% gives requires-improvement', 'too-few "Too few": 50% to 69% gives requires-improvement'),
        ('reasonable "Reasonable majority": 65% to 79% gives good', 'reasonable "Reasonable majority": 70% to 79% gives good'),
    ]
    assert {(r.kind, r.status) for r in report.rules if r.status == "added"} == {("judgement", "added"), ("hurdle", "added")}


def test_the_2017_composite_and_its_2021_successor(report: ChangeReport) -> None:
    composite = next(r for r in report.rules if r.kind == "composite")
    assert (composite.old_id, composite.new_id, composite.matched_by) == ("overall", "pdu-overall", "mapping")
    changes = {c.what for c in composite.changes}
    assert {"score", "band", "open"} <= changes
    hurdle = next(r for r in report.rules if r.kind == "hurdle")
    assert (hurdle.status, hurdle.new_id) == ("added", "diversity-leadership")


# ---- the mapping file --------------------------------------------------------------------------


def mapping_file(tmp_path: Path, body: str, old: str = "demo", new: str = "demo") -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(f"old: {old}\nnew: {new}\n{body}", encoding="utf-8")
    return path


def test_a_mapping_entry_overrides_equal_ids(tmp_path: Path) -> None:
    one, two = (framework(p) for p in write_demo(tmp_path))
    path = mapping_file(tmp_path, "prompts:\n  involved: null\n  sources: [involved, sources]\n")
    report = change_report(one, two, read_mapping(path))
    assert pair(report, "prompt", "1.1.1a").status == "removed"
    merged = [c for c in report.prompts if c.new and c.new.id == "involved"]
    assert [c.old.id for c in merged] == ["sources"]  # type: ignore[union-attr]
    split = [c for c in report.prompts if c.old and c.old.id == "sources"]
    assert len(split) == 2 and all(c.has("split") for c in split)


def test_a_removed_standard_takes_its_contents_unless_they_are_mapped(old: Framework, new: Framework) -> None:
    identities = match(old, new, read_mapping(MAPPING_2017_2021))
    assert "unpaid-work.4c" in identities.removed["prompt"]  # same words as 2021's 2.4.1f, but CRC unpaid work
    assert "statutory-victim-work.2a" not in identities.removed["prompt"]  # its question went; it moved


@pytest.mark.parametrize(("body", "message"), [
    ("prompts:\n  involvd: sources\n", "mapping.yaml:4: demo has no prompt 'involvd'; did you mean 'involved'?"),
    ("prompts:\n  involved: nowhere\n", "mapping.yaml:4: demo has no prompt 'nowhere'"),
    ("standards:\n  assessment: [a, b\n", "not valid YAML"),
    ("prompts:\n  involved: sources\n  involved: proposal\n", "`involved` is mapped twice"),
    ("colour: blue\n", "unknown key `colour:`"),
    ("prompts:\n  involved: {to: sources, because: x}\n", "unknown key `because:`"),
    ("prompts:\n  involved: {why: x}\n", "needs `to:`"),
    ("rules:\n  results: rating\n", "'results' is a banding but 'rating' is a scale"),
    ("format_version: 2\n", "format_version: 1"),
])
def test_mapping_problems_are_reported_with_their_line(tmp_path: Path, body: str, message: str) -> None:
    one, two = (framework(p) for p in write_demo(tmp_path))
    with pytest.raises(MappingError) as caught:
        change_report(one, two, read_mapping(mapping_file(tmp_path, body)))
    assert any(message in problem for problem in caught.value.problems), caught.value.problems


def test_a_mapping_for_other_frameworks_is_refused(tmp_path: Path) -> None:
    one, two = (framework(p) for p in write_demo(tmp_path))
    with pytest.raises(MappingError, match="the mapping is from x to y"):
        change_report(one, two, read_mapping(mapping_file(tmp_path, "", old="x", new="y")))


def test_ids_are_read_as_written_not_as_yaml_values(tmp_path: Path) -> None:
    path = mapping_file(tmp_path, "prompts:\n  no: yes\n  1.10: off\n")
    entries = {(e.old, e.new) for e in read_mapping(path).entries}
    assert entries == {("no", ("yes",)), ("1.10", ("off",))}


def test_a_mapping_read_backwards(old: Framework, new: Framework) -> None:
    backwards = change_report(new, old, read_mapping(MAPPING_2017_2021).inverted())
    change = pair(backwards, "standard", "2.1")
    assert change.new is not None and change.new.id == "court-reports-and-case-allocation"
    merged = [c for c in backwards.questions if c.new and c.new.id == "leadership.2"]
    assert len(merged) == 2 and all(c.has("merged") for c in merged)
