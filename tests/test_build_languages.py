"""The consultation document in each language a framework has (issue 16 §3): the fixture
framework tests/fixtures/translations/welsh.precepts (its Welsh is written for the tests)
built into HTML, Word and PDF in English and Welsh, checked against golden files in
tests/golden/languages/, for their lang attributes and run languages, the language switch,
determinism, and `build --check` noticing a changed translation file.

Prompt 1.1.1c has no Welsh on purpose: it shows how an English fallback is marked.
After an intended change run `PRECEPTS_UPDATE_GOLDEN=1 python -m pytest tests/test_build_languages.py`
and review the diff.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import GOLDEN, REPO_ROOT
from test_build_documents import needs_pdf, words
from test_build_fixtures import _scratch, artefacts, build_in, read_json

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "translations" / "welsh.precepts"
PO = FIXTURE.with_name("welsh.cy.po")
GOLDEN_LANGUAGES = GOLDEN / "languages" / "welsh-fixture"
FOLDER = "welsh-fixture"
UNTRANSLATED = "Is the delivery plan reviewed each year?"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@cache
def welsh_build() -> Path:
    output = _scratch() / "welsh"
    result = build_in(REPO_ROOT, output, FIXTURE.relative_to(REPO_ROOT))
    assert result.exit_code == 0, result.stderr
    return output


def welsh_texts() -> list[str]:
    """The fixture's Welsh: every msgstr of its PO file."""
    from babel.messages.pofile import read_po

    with PO.open("rb") as handle:
        return [str(message.string) for message in read_po(handle) if message.id and message.string]


def has_words_besides(text: str, allowed: list[str]) -> bool:
    """Whether `text` has a word (two letters or more) outside the `allowed` texts in it:
    what is left once they are taken out is numbers, list letters and punctuation."""
    for known in sorted(allowed, key=len, reverse=True):
        text = text.replace(known, " ")
    return re.search(r"[A-Za-z]{2,}", text) is not None


# ---- reading the outputs ---------------------------------------------------------------------


class _Languages(HTMLParser):
    """Each text of a page with the language it is read in: the nearest lang attribute."""

    VOID: ClassVar[set[str]] = {"meta", "link", "br", "img", "input", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str]] = []  # (lang, text)
        self.links: list[dict[str, str | None]] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" or (tag == "span" and "aria-current" in found):
            self.links.append({"tag": tag, **found})
        if tag not in self.VOID:
            self.stack.append((tag, found.get("lang")))
        self.in_style = tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style or not data.strip():
            return
        lang = next((lang for _, lang in reversed(self.stack) if lang), "")
        self.texts.append((lang, data.strip()))


def page(name: str) -> _Languages:
    parser = _Languages()
    parser.feed((welsh_build() / FOLDER / name).read_text(encoding="utf-8"))
    return parser


def word_text(path: Path) -> str:
    """The Word file as text: its languages, then each paragraph and table cell in order
    with its style, English runs of a translated document shown as ⟨en-GB:…⟩."""
    import docx

    document = docx.Document(str(path))
    defaults = document.styles.element.findall(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    lines = [f"language: {document.core_properties.language}; default run language: "
             f"{', '.join(str(lang.get(f'{W}val')) for lang in defaults)}"]

    def paragraph(element: Any, style: str) -> str:
        runs = []
        for run in element.iter(f"{W}r"):
            text = "".join(t.text or "" for t in run.iter(f"{W}t"))
            lang = run.find(f"{W}rPr/{W}lang")
            runs.append(f"⟨{lang.get(f'{W}val')}:{text}⟩" if lang is not None else text)
        return f"{style}: {''.join(runs)}"

    for block in document.element.body:
        if block.tag == f"{W}p":
            style = block.find(f"{W}pPr/{W}pStyle")
            lines.append(paragraph(block, style.get(f"{W}val") if style is not None else "Normal"))
        elif block.tag == f"{W}tbl":
            for row in block.iter(f"{W}tr"):
                lines.append("row: " + " | ".join(paragraph(p, "cell").removeprefix("cell: ")
                                                  for p in row.iter(f"{W}p")))
    return "\n".join(lines) + "\n"


def pdf_text(path: Path) -> str:
    import pypdf

    reader = pypdf.PdfReader(str(path))
    return "".join(f"page {n}: {words(p.extract_text())}\n" for n, p in enumerate(reader.pages, start=1))


# ---- golden files ----------------------------------------------------------------------------

# name in tests/golden/languages/welsh-fixture → how it is made from the build
GOLDEN_FILES = {
    "consultation.html": lambda built: (built / "consultation.html").read_text(encoding="utf-8"),
    "consultation.cy.html": lambda built: (built / "consultation.cy.html").read_text(encoding="utf-8"),
    "consultation.docx.txt": lambda built: word_text(built / "consultation.docx"),
    "consultation.cy.docx.txt": lambda built: word_text(built / "consultation.cy.docx"),
    "consultation.cy.pdf.txt": lambda built: pdf_text(built / "consultation.cy.pdf"),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_FILES))
def test_the_welsh_fixture_outputs_match_the_golden_files(name: str) -> None:
    if name.endswith(".pdf.txt"):
        needs_pdf()
    made = GOLDEN_FILES[name](welsh_build() / FOLDER)
    golden = GOLDEN_LANGUAGES / name
    if os.environ.get("PRECEPTS_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(made, encoding="utf-8")
    assert golden.is_file(), "no golden file: run with PRECEPTS_UPDATE_GOLDEN=1 to write it"
    assert made == golden.read_text(encoding="utf-8")


def test_each_language_has_its_page_word_file_and_pdf_recorded_with_its_language() -> None:
    needs_pdf()
    entries = {entry["path"]: entry for entry in artefacts(welsh_build())}
    for language, infix in (("en-GB", ""), ("cy", ".cy")):
        for extension, kind in (("html", "consultation-html"), ("docx", "consultation-docx"),
                                ("pdf", "consultation-pdf")):
            entry = entries[f"{FOLDER}/consultation{infix}.{extension}"]
            data = (welsh_build() / FOLDER / f"consultation{infix}.{extension}").read_bytes()
            assert (entry["kind"], entry["language"]) == (kind, language)
            assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    from jsonschema import Draft202012Validator

    from precepts.core.formats import BUILD_INDEX, COMPILED_FRAMEWORK

    index = read_json(welsh_build() / "index.json")
    Draft202012Validator(BUILD_INDEX.schema()).validate(index)
    compiled = read_json(welsh_build() / FOLDER / "framework.json")
    Draft202012Validator(COMPILED_FRAMEWORK.schema()).validate(compiled)
    assert compiled["translations"]["cy"]["sha256"] == hashlib.sha256(PO.read_bytes()).hexdigest()
    (framework,) = index["frameworks"]
    (translation,) = framework["translation_files"]
    assert translation == {"language": "cy", "path": "tests/fixtures/translations/welsh.cy.po",
                           "sha256": hashlib.sha256(PO.read_bytes()).hexdigest()}


# ---- lang attributes ---------------------------------------------------------------------------


def test_the_welsh_page_is_welsh_and_marks_everything_english_as_english() -> None:
    html = (welsh_build() / FOLDER / "consultation.cy.html").read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="cy" ')
    parsed = page("consultation.cy.html")
    welsh = welsh_texts()
    read_in_welsh = [text for lang, text in parsed.texts if lang == "cy"]
    # Every Welsh text of the framework is there, read as Welsh...
    for text in welsh:
        assert any(text in read for read in read_in_welsh), text
    # ...and nothing else is read in a Welsh voice but numbers, letters of lists and punctuation
    # ("1.1:", "a)") and the language switch's own name for Welsh.
    for text in read_in_welsh:
        assert not has_words_besides(text, [*welsh, "Cymraeg"]), text
    # The prompt with no Welsh keeps its English, marked as English.
    assert ("en-GB", UNTRANSLATED) in parsed.texts
    assert ("en-GB", "Standard") in parsed.texts and ("en-GB", "How ratings are given") in parsed.texts


def test_the_english_page_is_english_throughout() -> None:
    parsed = page("consultation.html")
    html = (welsh_build() / FOLDER / "consultation.html").read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="en-GB" ')
    assert {lang for lang, _ in parsed.texts} == {"en-GB", "cy"}
    assert [text for lang, text in parsed.texts if lang == "cy"] == ["Cymraeg"]  # the switch's link only
    assert ("en-GB", UNTRANSLATED) in parsed.texts


@pytest.mark.parametrize(("name", "current", "other"), [
    ("consultation.html", "English", ("Cymraeg", "cy", "consultation.cy.html")),
    ("consultation.cy.html", "Cymraeg", ("English", "en-GB", "consultation.html")),
])
def test_the_language_switch_links_the_other_version_in_the_build(name: str, current: str,
                                                                  other: tuple[str, str, str]) -> None:
    html = (welsh_build() / FOLDER / name).read_text(encoding="utf-8")
    switch = html[html.index('<nav class="app-language-switch"'):]
    switch = switch[: switch.index("</nav>")]
    parser = _Languages()
    parser.feed(switch)
    (here,) = [link for link in parser.links if link["tag"] == "span"]
    (there,) = [link for link in parser.links if link["tag"] == "a"]
    assert here["aria-current"] == "true"
    assert current in switch[switch.index('aria-current="true"'):]
    name_of_other, tag, href = other
    assert (there["href"], there["hreflang"], there["lang"]) == (href, tag, tag)
    assert f">{name_of_other}</a>" in switch
    assert (welsh_build() / FOLDER / str(there["href"])).is_file()
    assert f'<link rel="alternate" hreflang="{tag}" href="{href}">' in html
    # Printed, the switch is hidden: a PDF cannot follow a link to a page beside it.
    assert "@media print { .app-language-switch { display: none; } }" in html


def test_the_shipped_frameworks_pages_have_no_language_switch() -> None:
    from test_build_fixtures import shipped_build

    html = (shipped_build() / "hmip-adult-2021" / "consultation.html").read_text(encoding="utf-8")
    assert "app-language-switch" not in html and ' lang="' not in html.split("\n", 2)[2]
    assert not list(shipped_build().rglob("consultation.*.html"))


def test_the_welsh_word_file_is_in_welsh_with_english_runs_marked() -> None:
    import docx

    document = docx.Document(str(welsh_build() / FOLDER / "consultation.cy.docx"))
    # Word names Welsh with its country, as its own language list does.
    assert document.core_properties.language == "cy-GB"
    defaults = document.styles.element.findall(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert [lang.get(f"{W}val") for lang in defaults] == ["cy-GB"]
    welsh = welsh_texts()
    unmarked: list[str] = []
    for run in document.element.body.iter(f"{W}r"):
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        lang = run.find(f"{W}rPr/{W}lang")
        if lang is None:
            unmarked.append(text)
        elif text == UNTRANSLATED:
            assert lang.get(f"{W}val") == "en-GB"
    # A run in the document's language (Welsh) is a Welsh text of the framework, or has no words.
    for text in unmarked:
        assert not has_words_besides(text, welsh), text
    for text in welsh:
        assert any(text in run for run in unmarked), text
    assert any(UNTRANSLATED in p.text for p in document.paragraphs)


def test_the_welsh_pdf_is_tagged_welsh_and_says_the_welsh() -> None:
    needs_pdf()
    import pypdf

    reader = pypdf.PdfReader(str(welsh_build() / FOLDER / "consultation.cy.pdf"))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "cy"
    assert bool(root["/MarkInfo"]["/Marked"])
    text = words(" ".join(p.extract_text() for p in reader.pages))
    for welsh in welsh_texts():
        assert words(welsh) in text, welsh
    assert UNTRANSLATED in text
    assert "Cymraeg" not in text, "the language switch is not printed"


# ---- determinism and freshness -----------------------------------------------------------------


def test_two_builds_in_two_processes_are_byte_identical(tmp_path: Path) -> None:
    again = tmp_path / "again"
    subprocess.run([sys.executable, "-m", "precepts", "build", str(FIXTURE.relative_to(REPO_ROOT)), "-o", str(again)],
                   cwd=REPO_ROOT, check=True, capture_output=True)
    first = {p.relative_to(welsh_build()).as_posix(): p.read_bytes() for p in welsh_build().rglob("*") if p.is_file()}
    second = {p.relative_to(again).as_posix(): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_build_check_notices_a_changed_translation_file(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "precepts.toml").write_text("", encoding="utf-8")
    shutil.copy(FIXTURE, project / FIXTURE.name)
    shutil.copy(PO, project / PO.name)
    assert build_in(project, project / "build", FIXTURE.name).exit_code == 0
    assert build_in(project, project / "build", FIXTURE.name, check=True).exit_code == 0
    po = project / PO.name
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Parth un"', 'msgstr "Y parth cyntaf"'),
                  encoding="utf-8")
    result = build_in(project, project / "build", FIXTURE.name, check=True)
    assert result.exit_code == 1
    assert "welsh.cy.po has changed since" in result.stdout
    stale = set(re.findall(r"^stale: \S*?welsh-fixture/(\S+)$", result.stdout, re.MULTILINE))
    assert {"framework.json", "consultation.cy.html", "consultation.cy.docx"} <= stale
    assert "consultation.html" not in stale and "consultation.docx" not in stale  # the English is as it was
    # A change that alters no output, a translator's comment, still shows the outputs built from another file.
    assert build_in(project, project / "build", FIXTURE.name).exit_code == 0
    po.write_text("# reviewed\n" + po.read_text(encoding="utf-8"), encoding="utf-8")
    result = build_in(project, project / "build", FIXTURE.name, check=True)
    assert result.exit_code == 1 and "welsh.cy.po has changed since" in result.stdout
    assert "stale: " in result.stdout and "consultation.cy.html" not in result.stdout


def test_build_check_notices_a_translation_file_added_or_removed(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "precepts.toml").write_text("", encoding="utf-8")
    shutil.copy(FIXTURE, project / FIXTURE.name)
    assert build_in(project, project / "build", FIXTURE.name).exit_code == 0
    shutil.copy(PO, project / PO.name)
    added = build_in(project, project / "build", FIXTURE.name, check=True)
    assert added.exit_code == 1 and "welsh.cy.po is new since" in added.stdout
    assert "missing: " in added.stdout and "consultation.cy.html" in added.stdout
    assert build_in(project, project / "build", FIXTURE.name).exit_code == 0
    (project / PO.name).unlink()
    removed = build_in(project, project / "build", FIXTURE.name, check=True)
    assert removed.exit_code == 1 and "welsh.cy.po is gone since" in removed.stdout
    assert "obsolete: " in removed.stdout


# ---- any mix of translated, missing and out-of-date texts ---------------------------------------

_ENTRY = re.compile(r'msgctxt "(?P<key>[^"]+)"\nmsgid "(?P<english>[^"]*)"\nmsgstr "(?P<welsh>[^"]*)"\n')


def _entries() -> list[re.Match[str]]:
    return list(_ENTRY.finditer(PO.read_text(encoding="utf-8")))


_STATES = st.sampled_from(["translated", "missing", "outdated", "fuzzy"])


@given(st.lists(_STATES, min_size=len(_entries()), max_size=len(_entries())))
@settings(max_examples=25, deadline=None)
def test_every_text_is_welsh_where_its_translation_is_current_and_marked_english_elsewhere(states: list[str]) -> None:
    """Whatever the translation gives, the Welsh page shows a text in Welsh exactly where
    the translation is current, and its English, marked lang="en-GB", everywhere else."""
    from precepts.pipeline import check_files
    from precepts.renderers.consultation.page import render_consultation

    entries = _entries()
    assert len(entries) == len(states)
    head = PO.read_text(encoding="utf-8")[: entries[0].start()]
    po = head
    for entry, state in zip(entries, states, strict=True):
        key, english, welsh = entry["key"], entry["english"], entry["welsh"]
        if state == "missing":
            continue
        flags = "#, fuzzy\n" if state == "fuzzy" else ""
        source = english + " (earlier)" if state == "outdated" else english
        po += f'{flags}msgctxt "{key}"\nmsgid "{source}"\nmsgstr "{welsh}"\n\n'
    result = check_files({"welsh.precepts": FIXTURE.read_text(encoding="utf-8"), "welsh.cy.po": po}, "welsh.precepts")
    assert result.framework is not None and not result.has_errors
    parser = _Languages()
    parser.feed(render_consultation(result.framework, "cy"))
    for entry, state in zip(entries, states, strict=True):
        english, welsh = entry["english"], entry["welsh"]
        if state == "translated":
            assert any(lang == "cy" and welsh in text for lang, text in parser.texts), welsh
        else:
            assert ("en-GB", english) in parser.texts, (state, english)
            assert not any(welsh in text for _, text in parser.texts), welsh
    shown_welsh = [e["welsh"] for e, state in zip(entries, states, strict=True) if state == "translated"]
    for lang, text in parser.texts:
        if lang == "cy":
            assert not has_words_besides(text, [*shown_welsh, "Cymraeg"]), text


def test_the_language_switch_names_each_language_in_itself_in_the_order_of_their_tags() -> None:
    from precepts.pipeline import check_files
    from precepts.renderers.consultation.view import language_versions

    po = PO.read_text(encoding="utf-8")
    files = {"welsh.precepts": FIXTURE.read_text(encoding="utf-8"), "welsh.gd.po": "", "welsh.cy-GB.po": po}
    result = check_files(files, "welsh.precepts")
    assert result.framework is not None
    versions = language_versions(result.framework, "gd")
    assert [(v.tag, v.name, v.href, v.current) for v in versions] == [
        ("en-GB", "English", "consultation.html", False),
        ("cy-GB", "Cymraeg", "consultation.cy-GB.html", False),
        ("gd", "Gàidhlig", "consultation.gd.html", True),
    ]
    english_only = check_files({"welsh.precepts": files["welsh.precepts"]}, "welsh.precepts").framework
    assert english_only is not None and language_versions(english_only, None) == ()


@pytest.mark.parametrize("name", ["hmip-adult-2021", "hmip-domain-one-characteristics-2018",
                                  "hmip-probation-2017-draft"])
def test_a_shipped_framework_with_an_empty_translation_reads_nothing_english_in_a_welsh_voice(name: str) -> None:
    """Every part of the page and the Word file (references, consultation questions, tags,
    hurdles, characteristics, questionnaires...), none of which the fixture has: with a Welsh
    translation that gives nothing, every word on the Welsh page and in the Welsh Word file
    is marked English. The translation is made here in memory; none is shipped."""
    import docx

    from precepts.pipeline import check_files
    from precepts.renderers.consultation.page import render_consultation
    from precepts.renderers.consultation.word import render_word

    source = (REPO_ROOT / "frameworks" / f"{name}.precepts").read_text(encoding="utf-8")
    result = check_files({f"{name}.precepts": source, f"{name}.cy.po": ""}, f"{name}.precepts")
    assert result.framework is not None and [t.language for t in result.framework.translations] == ["cy"]
    parser = _Languages()
    parser.feed(render_consultation(result.framework, "cy"))
    assert len(parser.texts) > 100
    assert [text for lang, text in parser.texts if lang == "cy" and has_words_besides(text, ["Cymraeg"])] == []
    document = docx.Document(io.BytesIO(render_word(result.framework, "cy")))
    runs = list(document.element.body.iter(f"{W}r"))
    unmarked = ["".join(t.text or "" for t in run.iter(f"{W}t")) for run in runs if run.find(f"{W}rPr/{W}lang") is None]
    assert len(runs) > 100
    assert [text for text in unmarked if has_words_besides(text, [])] == []


def test_only_the_document_in_the_framework_s_own_language_carries_its_source() -> None:
    """`precepts import` pairs a document's visible texts with the carried source: a Welsh
    document paired with the English source would come back as English rules over Welsh
    texts, so the translated document carries none."""
    import docx

    from precepts.pipeline import check_path
    from precepts.renderers.consultation.source_part import carried_sources
    from precepts.renderers.consultation.word import render_word

    result = check_path(FIXTURE)
    assert result.framework is not None
    english = carried_sources(docx.Document(io.BytesIO(render_word(result.framework))))
    welsh = carried_sources(docx.Document(io.BytesIO(render_word(result.framework, "cy"))))
    assert english and next(iter(english)).endswith("welsh.precepts")
    assert welsh is None
