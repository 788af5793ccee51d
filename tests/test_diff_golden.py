"""The change reports of the shipped frameworks, word for word, in every format.

Golden files: run `PRECEPTS_UPDATE_GOLDEN=1 python3 -m pytest tests/test_diff_golden.py`
to rewrite tests/golden/diff/ after an intended change, then review the diff before committing.
"""

from __future__ import annotations

import itertools
import json
import os
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support import GOLDEN, REPO_ROOT, invoke
from test_diff_support import FRAMEWORK_2017, FRAMEWORK_2021, write_demo

from precepts import __version__
from precepts.changes.json import schema

GOLDEN_DIFF = GOLDEN / "diff"
OLD, NEW = (p.relative_to(REPO_ROOT).as_posix() for p in (FRAMEWORK_2017, FRAMEWORK_2021))

# (golden file, arguments after OLD NEW)
CASES = [
    ("hmip-2017-draft-to-2021.txt", ("--format", "text")),
    ("hmip-2017-draft-to-2021.json", ("--format", "json")),
    ("hmip-2017-draft-to-2021.html", ("--format", "html")),
    ("hmip-2017-draft-to-2021.no-mapping.txt", ("--no-mapping",)),
]


def run_in_repo(monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.chdir(REPO_ROOT)
    result = invoke("diff", *args)
    assert result.exit_code == 0, result.stderr
    # The tool's version is in the JSON and the HTML; a release must not break the golden files.
    return result.stdout.replace(__version__, "VERSION")


def check_golden(name: str, text: str) -> None:
    path = GOLDEN_DIFF / name
    if os.environ.get("PRECEPTS_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}: run with PRECEPTS_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs: rerun with PRECEPTS_UPDATE_GOLDEN=1 and review"


@pytest.mark.parametrize(("name", "args"), CASES, ids=[c[0] for c in CASES])
def test_golden(monkeypatch: pytest.MonkeyPatch, name: str, args: tuple[str, ...]) -> None:
    check_golden(name, run_in_repo(monkeypatch, OLD, NEW, *args))


def test_golden_proposed_mapping(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    proposals = tmp_path / "proposed.yaml"
    run_in_repo(monkeypatch, OLD, NEW, "--no-mapping", "--propose-mapping", str(proposals))
    check_golden("hmip-2017-draft-to-2021.proposed.yaml", proposals.read_text(encoding="utf-8"))


def test_output_is_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_in_repo(monkeypatch, OLD, NEW, "--format", "json") == run_in_repo(monkeypatch, OLD, NEW, "--format", "json")


# ---- JSON -------------------------------------------------------------------------------------


def validate(document: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.Draft202012Validator(schema()).validate(document)


def test_json_follows_its_schema(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for args in ((OLD, NEW), (NEW, OLD), (OLD, NEW, "--no-mapping")):
        document = json.loads(run_in_repo(monkeypatch, *args, "--format", "json"))
        assert (document["format"], document["format_version"]) == ("precepts-diff", 1)
        validate(document)
    one, two = write_demo(tmp_path)
    validate(json.loads(invoke("diff", one, two, "--format", "json").stdout))


def test_schema_rejects_what_it_should(monkeypatch: pytest.MonkeyPatch) -> None:
    document = json.loads(run_in_repo(monkeypatch, OLD, NEW, "--format", "json"))
    document["prompts"][0]["status"] = "renamed"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema()).validate(document)


def test_json_redlines_give_back_the_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    document = json.loads(run_in_repo(monkeypatch, OLD, NEW, "--format", "json"))
    checked = 0
    for kind in ("standards", "questions", "prompts"):
        for element in document[kind]:
            for change in element["changes"]:
                if change["redline"]:
                    ops = change["redline"]
                    assert "".join(o["text"] for o in ops if o["op"] != "delete") == change["new"]
                    assert "".join(o["text"] for o in ops if o["op"] != "insert").split() == change["old"].split()
                    checked += 1
    assert checked > 100


# ---- HTML -------------------------------------------------------------------------------------

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "area", "base", "source", "track", "embed", "param"}


class Structure(HTMLParser):
    """Tags opened and closed in order, every attribute, and the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)
        self.ids.extend(value for name, value in attrs if name == "id" and value)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> Structure:
    structure = Structure()
    structure.feed(html)
    structure.close()
    return structure


def test_the_notice_is_well_formed_accessible_and_self_contained(monkeypatch: pytest.MonkeyPatch) -> None:
    html = run_in_repo(monkeypatch, OLD, NEW, "--format", "html")
    page = parsed(html)
    assert page.problems == [] and page.stack == []
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in html
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    assert not {"script", "link", "img", "iframe", "object"} & set(page.tags)
    for tag, name, value in page.attributes:
        assert name not in ("src", "srcset"), (tag, name)
        if name == "href":
            assert value and value.startswith("#") and value[1:] in page.ids, value
    assert "@import" not in html and "url(" not in html
    # Headings do not skip a level.
    levels = [int(t[1]) for t in page.tags if len(t) == 2 and t[0] == "h" and t[1].isdigit()]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels))
    # Deletions and insertions say so to screen readers.
    assert html.count("<del>") == html.count('<del><span class="govuk-visually-hidden">[deleted: </span>') > 100
    assert html.count("<ins>") == html.count('<ins><span class="govuk-visually-hidden">[inserted: </span>') > 100
    text = "".join(page.text)
    assert "2.5 (was 2.4) Reviewing" in text and "2.1 (was 3.1) Court work" in text


def test_the_notice_escapes_framework_text(tmp_path: Path) -> None:
    one, two = write_demo(tmp_path)
    html = invoke("diff", one, two, "--format", "html").stdout
    assert "<b>" not in html
    assert "&lt;b&gt;&amp;amp; their needs&lt;/b&gt;" in html
    assert parsed(html).problems == []
