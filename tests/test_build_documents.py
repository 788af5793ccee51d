"""The consultation document as Word and as PDF (issue 16 §2): read back with python-docx
and pypdf, they have the structure an accessible document needs (headings, Word
numbering, table header rows, language, tags, bookmarks), say what the framework says,
and are the same bytes from another process."""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from support import FRAMEWORK_2021, REPO_ROOT
from test_build_fixtures import SHIPPED, artefacts, hostile_build, shipped_build

from precepts.compiler import model as m
from precepts.pipeline import check_path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ADULT = "hmip-adult-2021"


@cache
def framework(name: str) -> m.Framework:
    result = check_path(Path(FRAMEWORK_2021).parent / f"{name}.precepts")
    assert result.framework is not None
    return result.framework


def words(text: str) -> str:
    """Text with its whitespace (line breaks of a PDF's lines) as single spaces, and none
    after a hyphen: where a line breaks at "high-quality" depends on the fonts installed."""
    return re.sub(r"-\s+", "-", re.sub(r"\s+", " ", text)).strip()


def needs_pdf() -> None:
    from precepts.renderers.consultation.pdf import pdf_unavailable

    why = pdf_unavailable()
    if why:  # a failure under CI=true (tests/ci_skips.py): .ci/run installs WeasyPrint and Pango
        pytest.skip(f"needs WeasyPrint and the system's Pango (the 'documents' extra): {why}")


# ---- Word -------------------------------------------------------------------------------


def word(name: str = ADULT) -> Any:
    import docx

    return docx.Document(str(shipped_build() / name / "consultation.docx"))


def test_the_word_file_has_heading_styles_for_the_title_domains_and_standards() -> None:
    document = word()
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    f = framework(ADULT)
    assert headings[0] == ("Title", f.title)
    for domain in f.domains:
        assert ("Heading 1", f"Domain {domain.number}: {domain.heading}") in headings
    for standard in f.standards():
        assert any(style in ("Heading 2", "Heading 3") and text == f"Standard {standard.number}: {standard.heading}"
                   for style, text in headings), standard.id
    for question in f.questions():
        assert any(text == f"{question.number} {question.text}" for _, text in headings), question.id


def test_the_prompts_are_a_word_lettered_list_restarted_for_each_key_question() -> None:
    document = word()
    numbering = document.part.numbering_part.element
    lettered = {a.get(f"{W}abstractNumId") for a in numbering.iter(f"{W}abstractNum")
                if a.find(f"{W}lvl/{W}numFmt").get(f"{W}val") == "lowerLetter"}
    assert lettered
    lists = {n.get(f"{W}numId"): n for n in numbering.iter(f"{W}num")
             if n.find(f"{W}abstractNumId").get(f"{W}val") in lettered}
    by_list: dict[str, list[str]] = {}
    for paragraph in document.paragraphs:
        num_id = paragraph._p.find(f"{W}pPr/{W}numPr/{W}numId")
        if num_id is not None and num_id.get(f"{W}val") in lists:
            by_list.setdefault(num_id.get(f"{W}val"), []).append(paragraph.text)
    f = framework(ADULT)
    # Each list is one key question's prompts, in order (a prompt's tags and conditions follow
    # its text), and every key question with prompts has its list.
    questions = [q for q in f.questions() if q.prompts]
    found = set()
    for texts in by_list.values():
        question = next(q for q in questions if len(q.prompts) >= len(texts) and texts[0].startswith(q.prompts[0].text))
        kept = [p.text for p in question.prompts]
        assert all(any(text.startswith(prompt) for prompt in kept) for text in texts), question.id
        found.add(question.id)
    assert found == {q.id for q in questions}
    for num_id in by_list:
        assert lists[num_id].find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val") == "1"
    assert not any(re.match(r"^[a-z]\) ", p.text) for p in document.paragraphs), "letters typed as text"


def test_the_word_tables_have_repeating_header_rows_captions_and_no_layout_tables() -> None:
    document = word()
    assert len(document.tables) >= 5
    for table in document.tables:
        first_row = table.rows[0]._tr
        assert first_row.find(f"{W}trPr/{W}tblHeader") is not None
        assert table._tbl.tblPr.find(f"{W}tblCaption").get(f"{W}val")
        assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
        assert not table._tbl.findall(f".//{W}tbl"), "a table inside a table is a layout table"
    method = next(t for t in document.tables if t.rows[0].cells[0].text == "Standard")
    assert [c.text for c in method.rows[0].cells][1:] == [lv.name for lv in framework(ADULT).levels
                                                         if any(lv.id in s.levels for s in framework(ADULT).standards())]


def test_the_word_properties_give_the_title_and_the_language() -> None:
    document = word()
    properties = document.core_properties
    assert properties.title == framework(ADULT).title
    assert properties.language == "en-GB"
    languages = document.styles.element.findall(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert [lang.get(f"{W}val") for lang in languages] == ["en-GB"]


@pytest.mark.parametrize("name", SHIPPED)
def test_the_word_file_says_every_standard_text_and_prompt_verbatim(name: str) -> None:
    text = "\n".join(p.text for p in word(name).paragraphs)
    f = framework(name)
    for standard in f.standards():
        for item in standard.texts:
            assert item.text in text, standard.id
    for prompt in f.prompts():
        assert prompt.text in text, prompt.id


def test_the_hostile_framework_s_markup_is_text_in_the_word_file() -> None:
    import docx

    document = docx.Document(str(hostile_build() / "hostile-demo" / "consultation.docx"))
    assert "Does <script>alert('prompt')</script> run?" in [p.text for p in document.paragraphs]


def test_the_word_file_is_the_same_bytes_from_another_process_and_its_zip_has_fixed_dates() -> None:
    built = (shipped_build() / ADULT / "consultation.docx").read_bytes()
    program = (
        "import hashlib, sys\n"
        "from precepts.pipeline import check_path\n"
        "from precepts.renderers.consultation.word import render_word\n"
        "from pathlib import Path\n"
        f"print(hashlib.sha256(render_word(check_path(Path({FRAMEWORK_2021.relative_to(REPO_ROOT).as_posix()!r}))"
        ".framework)).hexdigest())\n"
    )
    # From the repository root, as shipped_build() builds: the document names its source file.
    again = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=REPO_ROOT)
    assert again.stdout.strip() == hashlib.sha256(built).hexdigest()
    with zipfile.ZipFile(io.BytesIO(built)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert "2000-01-01T00:00:00Z" in core


# ---- PDF --------------------------------------------------------------------------------


def pdf(name: str = ADULT) -> Any:
    import pypdf

    needs_pdf()
    return pypdf.PdfReader(str(shipped_build() / name / "consultation.pdf"))


def test_the_pdf_is_tagged_and_in_english() -> None:
    reader = pdf()
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])  # a pypdf BooleanObject
    tree = root["/StructTreeRoot"].get_object()
    assert tree["/K"], "an empty tag tree"
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == framework(ADULT).title
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


def _outline(items: list[Any]) -> list[str]:
    titles = []
    for item in items:
        titles += _outline(item) if isinstance(item, list) else [item.title]
    return titles


@pytest.mark.parametrize("name", SHIPPED)
def test_the_pdf_bookmarks_the_domains_and_standards_and_not_the_prompts(name: str) -> None:
    titles = _outline(pdf(name).outline)
    f = framework(name)
    for domain in f.domains:
        assert f"Domain {domain.number}: {domain.heading}" in titles
    for standard in f.standards():
        assert f"Standard {standard.number}: {standard.heading}" in titles
    assert not any(t.startswith(f"{q.number} ") for q in f.questions() for t in titles)


@pytest.mark.parametrize("name", SHIPPED)
def test_the_pdf_text_has_every_standard_text_verbatim(name: str) -> None:
    text = words(" ".join(page.extract_text() for page in pdf(name).pages))
    f = framework(name)
    for standard in f.standards():
        for item in standard.texts:
            assert words(item.text) in text, standard.id


def test_the_pdf_is_the_same_bytes_from_another_process() -> None:
    needs_pdf()
    built = (shipped_build() / "hmip-domain-one-characteristics-2018" / "consultation.pdf").read_bytes()
    html = shipped_build() / "hmip-domain-one-characteristics-2018" / "consultation.html"
    program = (
        "import hashlib, pathlib\n"
        "from precepts.renderers.consultation.pdf import html_to_pdf\n"
        f"print(hashlib.sha256(html_to_pdf(pathlib.Path({str(html)!r}).read_text('utf-8'))).hexdigest())\n"
    )
    again = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert again.stdout.strip() == hashlib.sha256(built).hexdigest()
    assert b"/CreationDate" not in built and b"/ModDate" not in built


def test_the_pdf_does_not_depend_on_the_moment_it_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedded font subsets once carried the second of the build (fontTools stamps
    it into their 'head' table), so builds a second apart differed."""
    needs_pdf()
    import time

    from precepts.renderers.consultation.pdf import html_to_pdf

    html = (shipped_build() / ADULT / "consultation.html").read_text(encoding="utf-8")
    before = os.environ.get("SOURCE_DATE_EPOCH")
    now = html_to_pdf.__wrapped__(html)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 400 * 24 * 3600)
    assert html_to_pdf.__wrapped__(html) == now
    assert os.environ.get("SOURCE_DATE_EPOCH") == before, "the environment is left as it was"


def test_index_json_lists_the_word_and_pdf_files() -> None:
    needs_pdf()
    entries = {entry["path"]: entry for entry in artefacts(shipped_build())}
    for name in SHIPPED:
        for suffix, kind, media_type in (
            ("docx", "consultation-docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("pdf", "consultation-pdf", "application/pdf"),
        ):
            entry = entries[f"{name}/consultation.{suffix}"]
            data = (shipped_build() / name / f"consultation.{suffix}").read_bytes()
            assert (entry["kind"], entry["media_type"], entry["schema"]) == (kind, media_type, None)
            assert entry["sha256"] == hashlib.sha256(data).hexdigest()
