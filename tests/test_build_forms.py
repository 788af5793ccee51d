"""Assessment forms: the JSON form, the XLSForm made from it (which pyxform must convert
without error or warning), and the 2021 experience-of-probation questionnaire."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from support import FRAMEWORK_2021
from test_build_fixtures import artefacts, hostile_build, read_json, shipped_build
from user_environment import run_as_user

CONDITIONAL = "implementation-and-delivery.1d"

# pyxform runs as it would next to precepts in a user's environment (see user_environment.py):
# the test environment also holds interegular, which would make its import take minutes.
_CONVERT = """
import json, sys
from pyxform.xls2xform import convert
warnings = []
result = convert(xlsform=open(sys.argv[1], "rb").read(), file_type=".xlsx", warnings=warnings)
print(json.dumps({"xform": result.xform, "warnings": warnings}))
"""

_IMPORT_TIME = """
import sys, time
import precepts.pipeline, pathlib
precepts.pipeline.check_path(pathlib.Path(sys.argv[1]))
imported = time.process_time()
import pyxform.xls2xform
print(time.process_time() - imported)
"""


def xform(path: Path) -> str:
    """The XForm pyxform makes of an XLSForm; it must raise no error and give no warning."""
    result = json.loads(run_as_user(_CONVERT, str(path)).stdout)
    assert result["warnings"] == [], (path.name, result["warnings"])
    return str(result["xform"])


def test_pyxform_imports_in_under_a_second_next_to_precepts() -> None:
    """Issue 15: precepts once required interegular, with which lark compares every pair of
    terminals of every grammar, and `import pyxform` took minutes. The time is processor time,
    so that a busy machine does not fail the test; a regression costs minutes, not a second."""
    seconds = float(run_as_user(_IMPORT_TIME, str(FRAMEWORK_2021)).stdout)
    assert seconds < 1.0


def fields(form: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for section in form["sections"]:
        for field in section["fields"]:
            found.append(field)
            found.extend(field.get("prompts", []))
    return found


def test_pyxform_converts_every_xlsform() -> None:
    converted = 0
    for output in (shipped_build(), hostile_build()):
        for entry in artefacts(output):
            if entry["kind"].endswith("-xlsform"):
                assert "<h:html" in xform(output / entry["path"])
                converted += 1
    assert converted >= 4


def test_the_case_assessment_xlsform_shows_a_conditional_prompt_only_where_it_applies() -> None:
    document = xform(shipped_build() / "hmip-adult-2021" / "pdu" / "case-assessment.xlsx")
    binds = dict(re.findall(r'<bind nodeset="([^"]+)"([^>]*)/>', document))
    relevant = {node: re.search(r'relevant="([^"]*)"', attrs).group(1)  # type: ignore[union-attr]
                for node, attrs in binds.items() if "relevant=" in attrs}
    assert list(relevant) == [f"/data/implementation-and-delivery/implementation-and-delivery.1.group/{CONDITIONAL}"]
    assert re.sub(r"\s+", " ", relevant[next(iter(relevant))]).strip() == "/data/case-type = 'post-custody'"
    # Every key question and prompt is a required yes/no; the case type is asked first.
    assert 'required="true()"' in binds[f"/data/implementation-and-delivery/implementation-and-delivery.1.group/{CONDITIONAL}"]
    body = document[document.index("<h:body>"):]
    assert body.index('<select1 ref="/data/case-type"') < body.index('<select1 ref="/data/court-work/')
    assert "instance('yes-no')" in document


def test_the_json_form_offers_not_applicable_only_where_the_rules_allow_it() -> None:
    form = read_json(shipped_build() / "hmip-adult-2021" / "pdu" / "case-assessment.form.json")
    assert form["form"]["record"]["schema"] == "urn:precepts:assessment-record:hmip-adult-2021:pdu"
    answered = [f for f in fields(form) if f["kind"] in ("key-question", "prompt")]
    offering = [f["name"] for f in answered if f["choices"] == "yes-no-not-applicable"]
    assert offering == [CONDITIONAL]
    conditional = next(f for f in answered if f["name"] == CONDITIONAL)
    assert conditional["applies_when"] == {"subject": "attribute", "name": "case-type", "op": "is",
                                           "values": ["post-custody"]}
    assert conditional["applies_when_text"] == "case type is post-custody"
    assert conditional["record"] == ["prompts", CONDITIONAL]
    assert [v["value"] for v in form["choice_lists"]["yes-no-not-applicable"]] == ["yes", "no", "n/a"]
    sections = [s["number"] for s in form["sections"] if s["kind"] == "standard"]
    assert sections == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"]
    question = next(f for f in answered if f["name"] == "court-work.1")
    assert question["number"] == "2.1.1" and [p["letter"] for p in question["prompts"]] == list("abcdefghi")
    assert question["guidance"]


def test_the_experience_of_probation_questionnaire_is_a_form_on_its_agreement_scale() -> None:
    base = shipped_build() / "hmip-adult-2021" / "questionnaires" / "experience-of-probation"
    form = read_json(base.with_suffix(".form.json"))
    assert form["form"]["kind"] == "questionnaire"
    assert [o["label"] for o in form["choice_lists"]["agreement"]] == [
        "Strongly agree", "Agree", "Undecided", "Disagree", "Strongly disagree",
    ]
    items = fields(form)
    assert [f["kind"] for f in items].count("rating") == 11
    assert all(f["choices"] == "agreement" for f in items if f["kind"] == "rating")
    assert [f["label"] for f in items if f["kind"] == "free-text"] == [
        "What has been good about your probation experience?", "What could have gone better?",
    ]
    first = items[0]
    assert first["inspector_use"] == [{"text": "pdu/1.3.2a", "target": "services.pdu.2a", "number": "1.3.2a"}]
    ages = [o["value"] for o in form["choice_lists"]["experience-of-probation.15"]]
    assert ages == ["18-20", "21-24", "25-29", "30-39", "40-49", "50"]
    document = xform(base.with_suffix(".xlsx"))
    assert document.count("instance('agreement')") == 11
    assert "Strongly agree" in document


def test_markup_in_the_framework_is_shown_as_text_by_odk() -> None:
    document = xform(hostile_build() / "hostile-demo" / "unit" / "case-assessment.xlsx")
    labels = re.findall(r"<label>(.*?)</label>", document)
    # Written as character references: ODK decodes them for display and interprets nothing.
    assert "Does &amp;#60;script&amp;#62;alert('prompt')&amp;#60;/script&amp;#62; run?" in " ".join(labels)
    assert not any("&lt;script" in label or "<script" in label for label in labels)
    assert "${case-type}" not in document and "&amp;#36;{case-type}" in document
