"""`precepts diff` on the command line: options, the mapping file found beside the frameworks,
proposals written out and read back, and exit codes (0 made, 1 a framework has errors,
2 usage) with never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support import SHARED_RULES, invoke, no_traceback
from test_diff_support import DEMO_ONE, FRAMEWORK_2017, FRAMEWORK_2021, MAPPING_2017_2021, write_demo

from precepts.changes.mapping import read_mapping


def copy_shipped(tmp_path: Path, with_mapping: bool = True) -> tuple[Path, Path]:
    """The two shipped frameworks (and their shared rules) in a folder of their own."""
    (tmp_path / "shared").mkdir()
    shutil.copy(SHARED_RULES, tmp_path / "shared")
    old, new = (Path(shutil.copy(f, tmp_path)) for f in (FRAMEWORK_2017, FRAMEWORK_2021))
    if with_mapping:
        (tmp_path / "mappings").mkdir()
        shutil.copy(MAPPING_2017_2021, tmp_path / "mappings")
    return old, new


def test_the_mapping_beside_the_frameworks_is_found(tmp_path: Path) -> None:
    old, new = copy_shipped(tmp_path)
    result = invoke("diff", old, new, "--format", "json")
    no_traceback(result)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["mapping"]["file"].endswith("mappings/hmip-2017-draft-to-2021.yaml")
    assert document["summary"]["standards"]["proposed"] == 0


def test_no_mapping_and_an_explicit_one(tmp_path: Path) -> None:
    old, new = copy_shipped(tmp_path)
    none = json.loads(invoke("diff", old, new, "--no-mapping", "--format", "json").stdout)
    assert none["mapping"] is None and none["summary"]["prompts"]["proposed"] > 50
    given = json.loads(invoke("diff", old, new, "--mapping", MAPPING_2017_2021, "--format", "json").stdout)
    assert given["summary"]["prompts"]["proposed"] == 0


def test_the_other_way_round_reads_the_mapping_backwards(tmp_path: Path) -> None:
    old, new = copy_shipped(tmp_path)
    result = invoke("diff", new, old)
    assert result.exit_code == 0, result.stderr
    assert "it was read backwards" in result.stdout


def test_output_to_a_file(tmp_path: Path) -> None:
    one, two = write_demo(tmp_path)
    target = tmp_path / "notice.html"
    result = invoke("diff", one, two, "--format", "html", "--output", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_proposals_are_written_reviewed_and_confirmed(tmp_path: Path) -> None:
    old, new = copy_shipped(tmp_path, with_mapping=False)
    proposals = tmp_path / "proposed.yaml"
    result = invoke("diff", old, new, "--propose-mapping", proposals)
    assert result.exit_code == 0, result.stderr
    assert "proposed pairs to review" in result.stderr
    drafted = read_mapping(proposals)
    assert drafted.confirmed_by is None or drafted.confirmed_by == ""
    assert any(e.old == "staff" and e.new == ("staffing",) and not e.confirmed for e in drafted.entries)

    # Read back unreviewed, the proposals are still only proposals.
    before = json.loads(invoke("diff", old, new, "--format", "json").stdout)
    unreviewed = json.loads(invoke("diff", old, new, "--mapping", proposals, "--format", "json").stdout)
    assert unreviewed["summary"]["prompts"]["proposed"] == before["summary"]["prompts"]["proposed"] > 0

    # A reviewer confirms them all by deleting `proposed:`.
    text = proposals.read_text(encoding="utf-8")
    confirmed = tmp_path / "confirmed.yaml"
    confirmed.write_text(
        text.replace('confirmed_by: ""', "confirmed_by: a reviewer").replace(", proposed: ", ", score: ")
        .replace("score: ", "why: score "),
        encoding="utf-8",
    )
    after = json.loads(invoke("diff", old, new, "--mapping", confirmed, "--format", "json").stdout)
    assert after["summary"]["prompts"]["proposed"] == 0
    assert after["summary"]["prompts"]["pairs"] == before["summary"]["prompts"]["pairs"]
    assert after["mapping"]["confirmed_by"] == "a reviewer"


# ---- exit codes ---------------------------------------------------------------------------------


def test_a_framework_with_errors_exits_1(tmp_path: Path) -> None:
    one, _ = write_demo(tmp_path)
    broken = tmp_path / "broken.precepts"
    broken.write_text(DEMO_ONE.replace("standard 2.1 Court reports", "standard 2.1"), encoding="utf-8")
    result = invoke("diff", one, broken)
    no_traceback(result)
    assert result.exit_code == 1
    assert "has errors" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(("arguments", "message"), [
    (("missing.precepts", "{two}"), "no framework file missing.precepts"),
    (("{folder}", "{two}"), "it is a folder"),
    (("{one}", "{two}", "--mapping", "{one}", "--no-mapping"), "not both"),
    (("{one}", "{two}", "--mapping", "nowhere.yaml"), "no mapping file nowhere.yaml"),
    (("{one}", "{two}", "--mapping", "{bad_mapping}"), "bad.yaml:4:3: error I006 (invalid-mapping-file) demo has no standard 'nowhere'"),
    (("{one}", "{two}", "--mapping", "{other_mapping}"), "the mapping is from x to y"),
    (("{one}", "{two}", "--format", "pdf"), "Invalid value for '--format'"),
    (("{one}", "{two}", "--threshold", "2"), "Invalid value for '--threshold'"),
    (("{rules}", "{two}"), "is a rules file, not a framework"),
])
def test_usage_errors_exit_2(tmp_path: Path, arguments: tuple[str, ...], message: str) -> None:
    one, two = write_demo(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("old: demo\nnew: demo\nstandards:\n  nowhere: assessment\n", encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text("old: x\nnew: y\n", encoding="utf-8")
    places = {"one": one, "two": two, "folder": tmp_path, "bad_mapping": bad, "other_mapping": other,
              "rules": SHARED_RULES}
    result = invoke("diff", *(a.format(**places) for a in arguments))
    no_traceback(result)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert message in result.stderr, result.stderr


def test_a_mapping_folder_holding_a_broken_file_stops_the_diff(tmp_path: Path) -> None:
    old, new = copy_shipped(tmp_path)
    (tmp_path / "mappings" / "a-draft.yaml").write_text("old: [unclosed\n", encoding="utf-8")
    result = invoke("diff", old, new)
    no_traceback(result)
    assert result.exit_code == 2 and "a-draft.yaml:1:1: error I006 (invalid-mapping-file) cannot read this mapping file" in result.stderr


def test_proposals_may_not_overwrite_the_mapping_in_use(tmp_path: Path) -> None:
    old, new = copy_shipped(tmp_path)
    in_use = tmp_path / "mappings" / MAPPING_2017_2021.name
    before = in_use.read_text(encoding="utf-8")
    result = invoke("diff", old, new, "--propose-mapping", in_use)
    assert result.exit_code == 2 and "would overwrite the mapping in use" in result.stderr
    assert in_use.read_text(encoding="utf-8") == before


def test_help() -> None:
    result = invoke("diff", "--help")
    assert result.exit_code == 0
    assert "--propose-mapping" in result.stdout and "--format [text|json|html]" in result.stdout


def test_markup_in_reworded_text_stays_inert_in_the_notice(tmp_path: Path) -> None:
    one, two = write_demo(tmp_path)
    hostile = "Is the <script>alert(1)</script> person <img src=x onerror=alert(2)> involved?"
    two.write_text(two.read_text(encoding="utf-8").replace("Is the person on probation involved in their assessment?",
                                                           hostile),
                   encoding="utf-8")
    assert hostile in two.read_text(encoding="utf-8")
    result = invoke("diff", one, two, "--format", "html")
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    body = result.stdout.split("</style>", 1)[1]
    assert "<script" not in body and "<img" not in body
    assert "&lt;script&gt;" in body and "&lt;img src=x onerror=alert(2)&gt;" in body
