"""The build writes a change report wherever a mapping file in `mappings/` pairs two of the
frameworks it builds: for the shipped frameworks, the 2017 draft → 2021 report, byte for
byte what `precepts diff` gives (whose golden files are in tests/golden/diff)."""

from __future__ import annotations

import shutil
from pathlib import Path

import jsonschema
import pytest
from support import GOLDEN, REPO_ROOT
from test_build_fixtures import build_in, read_json

from precepts import __version__
from precepts.core.formats import DIFF
from precepts.core.styles import stylesheet

FROM_2017 = "hmip-adult-2021/changes/from-hmip-probation-2017-draft"


@pytest.fixture(scope="module")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("shipped") / "build"
    result = build_in(REPO_ROOT, output, "frameworks")
    assert result.exit_code == 0, result.stderr
    return output


@pytest.mark.parametrize("suffix", ["html", "json"])
def test_the_2017_to_2021_report_is_the_golden_diff(shipped_build: Path, suffix: str) -> None:
    golden = GOLDEN / "diff" / f"hmip-2017-draft-to-2021.{suffix}"
    built = (shipped_build / f"{FROM_2017}.{suffix}").read_text(encoding="utf-8")
    # As in test_diff_golden: the golden files name the tool's version VERSION.
    assert built.replace(__version__, "VERSION") == golden.read_text(encoding="utf-8")


def test_the_index_lists_the_reports_with_the_newer_framework(shipped_build: Path) -> None:
    index = read_json(shipped_build / "index.json")
    jsonschema.Draft202012Validator(read_json(shipped_build / "schemas" / "precepts-build-index-1.schema.json")
                                    ).validate(index)
    newer = next(f for f in index["frameworks"] if f["id"] == "hmip-adult-2021")
    reports = [a for a in newer["artefacts"] if a.get("changes_from")]
    assert [(a["path"], a["kind"], a["schema"], a["changes_from"]) for a in reports] == [
        (f"{FROM_2017}.html", "change-report-html", None, "hmip-probation-2017-draft"),
        (f"{FROM_2017}.json", "change-report", f"schemas/{DIFF.file}", "hmip-probation-2017-draft"),
    ]
    older = next(f for f in index["frameworks"] if f["id"] == "hmip-probation-2017-draft")
    assert not [a for a in older["artefacts"] if a.get("changes_from")]


def test_the_json_report_follows_the_schema_written_beside_it(shipped_build: Path) -> None:
    schema = read_json(shipped_build / "schemas" / DIFF.file)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(read_json(shipped_build / f"{FROM_2017}.json"))


def _project(tmp_path: Path, *, with_2017: bool = True) -> Path:
    folder = tmp_path / "frameworks"
    shutil.copytree(REPO_ROOT / "frameworks", folder)
    if not with_2017:
        (folder / "hmip-probation-2017-draft.precepts").unlink()
    return tmp_path


def test_the_build_says_which_reports_it_made(tmp_path: Path) -> None:
    from precepts.renderers.consultation.pdf import pdf_unavailable

    result = build_in(_project(tmp_path), "build")
    files = 12 if pdf_unavailable() else 13  # the PDF needs WeasyPrint (tests/test_build_documents.py)
    assert (f"hmip-adult-2021 (frameworks/hmip-adult-2021.precepts): {files} files, "
            "with the change report from hmip-probation-2017-draft") in result.stdout


def test_no_report_when_the_older_framework_is_not_built(tmp_path: Path) -> None:
    project = _project(tmp_path, with_2017=False)
    result = build_in(project, "build")
    assert result.exit_code == 0, result.stderr
    assert not (project / "build" / "hmip-adult-2021" / "changes").exists()


def test_a_mapping_that_no_longer_fits_stops_the_build_and_says_where(tmp_path: Path) -> None:
    project = _project(tmp_path)
    mapping = project / "frameworks" / "mappings" / "hmip-2017-draft-to-2021.yaml"
    mapping.write_text(mapping.read_text(encoding="utf-8").replace("staff: {to: staffing",
                                                                   "staff: {to: no-such-standard"), encoding="utf-8")
    result = build_in(project, "build")
    assert result.exit_code == 2
    assert "hmip-2017-draft-to-2021.yaml" in result.stderr and "no-such-standard" in result.stderr
    assert not (project / "build").exists(), "nothing is written"


def test_check_notices_a_changed_mapping(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert build_in(project, "build").exit_code == 0
    mapping = project / "frameworks" / "mappings" / "hmip-2017-draft-to-2021.yaml"
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(text.replace("confirmed_by: precepts developers", "confirmed_by: the methodology team"),
                       encoding="utf-8")
    check = build_in(project, "build", check=True)
    assert check.exit_code == 1
    assert f"stale: build/{FROM_2017}.json" in check.stdout


def test_the_notice_carries_its_stylesheet_unescaped(shipped_build: Path) -> None:
    """Escaped, the stylesheet's quotes became entities and browsers dropped the font."""
    page = (shipped_build / f"{FROM_2017}.html").read_text(encoding="utf-8")
    style = page.split("<style>\n", 1)[1].split("</style>", 1)[0]
    assert style.strip() == stylesheet("notice.css").strip()
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_two_mappings_for_the_same_pair_are_refused(tmp_path: Path) -> None:
    project = _project(tmp_path)
    mappings = project / "frameworks" / "mappings"
    shutil.copy(mappings / "hmip-2017-draft-to-2021.yaml", mappings / "zz-copy.yaml")
    result = build_in(project, "build")
    assert result.exit_code == 2
    assert "zz-copy.yaml: a second mapping from hmip-probation-2017-draft to hmip-adult-2021" in result.stderr
