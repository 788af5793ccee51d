"""Property test: whatever a prompt of the 2021 framework says, `precepts build` either
refuses with exit 1 (the framework then has errors) or writes outputs that follow their
schemas, in which the text is carried whole and any markup stays inert."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from support import FRAMEWORK_2021
from test_build_fixtures import artefacts, build_in, read_json

PROMPT = re.compile(r"^(?P<indent>\s+)a\) Does the information and advice draw sufficiently on available sources", re.M)
MARKUP = st.sampled_from(["<script>alert(1)</script>", "</style>", "<!--", "&amp;", "{{ x }}", "{% if %}", "\"'`",
                          "<img src=x onerror=alert(1)>", "]]>", "\u202e", "${case-type}"])
PIECE = st.one_of(MARKUP, st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=12))



@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(PIECE, min_size=1, max_size=4).map(" ".join))
def test_any_prompt_text_builds_to_valid_inert_outputs(project: Path, words: str) -> None:
    original = FRAMEWORK_2021.read_text(encoding="utf-8")
    match = PROMPT.search(original)
    assert match is not None
    line_end = original.index("\n", match.start())
    text = f"Does {words.strip()} hold?"
    (project / "framework.precepts").write_text(
        original[:match.start()] + f"{match['indent']}a) {text}" + original[line_end:], encoding="utf-8",
    )
    output = project / "out"
    shutil.rmtree(output, ignore_errors=True)
    result = build_in(project, output, "framework.precepts")
    event(f"exit {result.exit_code}")
    if result.exit_code == 1:
        assert "nothing was built" in result.stderr and not output.exists()
        return
    assert result.exit_code == 0, result.stderr
    compiled = read_json(output / "hmip-adult-2021" / "framework.json")
    prompts = [p for d in compiled["domains"] for s in d["standards"] for q in s["questions"] for p in q["prompts"]]
    assert any(p["text"] == text for p in prompts), "the text is carried whole, verbatim"
    for entry in artefacts(output):
        path = output / entry["path"]
        if entry["path"].endswith(".json"):
            schema_ref = entry["schema"]
            document = read_json(path)
            if schema_ref and not schema_ref.startswith("http"):
                jsonschema.Draft202012Validator(read_json(output / schema_ref)).validate(document)
            else:
                jsonschema.Draft202012Validator.check_schema(document)
        elif entry["path"].endswith(".html"):
            page = path.read_text(encoding="utf-8")
            body = page.split("</style>", 1)[1]
            assert "<script" not in body.lower() and "onerror=" not in body.replace("onerror=alert(1)&gt;", "")
            if "<script>" in words:
                assert html.escape("<script>", quote=False) in body
    json.dumps(compiled)  # nothing that cannot round-trip
