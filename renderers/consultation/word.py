"""The consultation document as a Word file (.docx), from the same view model as the HTML
page (view.build_page), so the two say the same (issue 16 §2).

Accessible Word, as the GOV.UK guidance on publishing documents asks: real heading styles
(Title, Heading 1–4) so the navigation pane and screen readers find the structure; the
prompts as a real lettered list (Word numbering, restarted for each key question); tables
with a header row that repeats on every page and a caption; the title and language
(en-GB) in the document properties and the default run language; no layout tables.

In each language the framework has (issue 16 §3): the document's language (core property
and default run language) is the translation's, and every run that stays in English, a
text with no translation or precepts' own words, carries the run language en-GB, so
Word's proofing and screen readers switch to English for it.

Byte for byte the same for the same framework: python-docx stamps the core properties with
the time of saving and its zip entries with the time of writing, so both are fixed here.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING, Any

from precepts.compiler import model as m
from precepts.renderers.consultation.rules import RuleView, Table
from precepts.renderers.consultation.source_part import add_source_part, framework_sources
from precepts.renderers.consultation.view import (
    ConsultationQuestionView,
    Page,
    QuestionView,
    StandardView,
    build_page,
)
from precepts.renderers.source_paths import published_path

if TYPE_CHECKING:
    from docx.document import Document

LANGUAGE = "en-GB"
# A part of a paragraph: its text, and whether it is in the document's language (else English).
Part = tuple[str, bool]
# Zip's earliest date: what reproducible-build tools (strip-nondeterminism) stamp entries with.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# When the framework gives no ISO date, the document properties carry this fixed one.
FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)
# The prompts' lettering, "a)", as in the published frameworks (and the HTML page).
_PROMPT_LIST_ID = 9001
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RUN_BREAKS = re.compile(r"([\t\r\n])")
_BATCH = 2000  # paragraphs written as text before they are parsed into the body


def word_language(tag: str) -> str:
    """The language as Word names it: with its country, as Word's own list has it (Welsh is
    cy-GB), taken from CLDR's likely subtags (through Babel) where the tag gives none."""
    if "-" in tag or "_" in tag:
        return tag.replace("_", "-")
    from babel.core import get_global

    likely = str(get_global("likely_subtags").get(tag, tag)).split("_")
    territory = next((part for part in likely[1:] if part.isupper() and len(part) == 2), None)
    return f"{tag}-{territory}" if territory else tag


def _document_date(framework: m.Framework) -> datetime:
    try:
        return datetime.fromisoformat(framework.date or "").replace(tzinfo=UTC)
    except ValueError:
        return FIXED_DATE


def _attribute(value: str) -> str:
    return escape(value, quote=True)


def _run_content(text: str) -> str:
    """A run's text as python-docx's `Run.text = text` writes it (_RunContentAppender): a
    w:t for each stretch of text, w:tab for a tab, w:br for each carriage return or line
    feed, and xml:space="preserve" on a stretch with white space at either end."""
    content = []
    for piece in _RUN_BREAKS.split(text):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            content.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            content.append(f"<w:t{space}>{escape(piece, quote=False)}</w:t>")
    return "".join(content)


def _element(tag: str, **attributes: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


class _Writer:
    def __init__(self, page: Page, source_path: str, sources: Mapping[str, str] | None = None) -> None:
        import docx

        self.page = page
        self.f = page.framework
        self.source_path = source_path
        self.sources = sources
        self.doc: Document = docx.Document()
        self.lists = 0
        self._pending: list[str] = []  # paragraphs (XML) not yet in the body; see parts()
        self.style_ids: dict[str, str] = {}
        self.language = word_language(page.language)
        self.english = page.english  # the run language of English runs; None in the English document
        body = self.doc.element.body
        # The body's closing section properties, before which every paragraph goes (see _new_paragraph).
        self._body_end = body.sectPr
        assert self._body_end is not None, "python-docx's default template ends its body with w:sectPr"
        self._set_language()
        self._add_prompt_numbering()

    # ---- setup -------------------------------------------------------------------------

    def _set_language(self) -> None:
        """The document's language (en-GB, or the translation's) as the default run language
        (w:docDefaults), which is what Word's proofing and screen readers read."""
        from docx.oxml.ns import qn

        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for old in run_properties.findall(qn("w:lang")):
            run_properties.remove(old)
        run_properties.append(_element("w:lang", val=self.language, eastAsia=self.language, bidi="ar-SA"))

    def _add_prompt_numbering(self) -> None:
        """One abstract numbering for prompts: lower-case letters followed by ')'."""
        numbering = self.doc.part.numbering_part.element
        abstract = _element("w:abstractNum", abstractNumId=str(_PROMPT_LIST_ID))
        abstract.append(_element("w:multiLevelType", val="singleLevel"))
        level = _element("w:lvl", ilvl="0")
        for tag, value in (("w:start", "1"), ("w:numFmt", "lowerLetter"), ("w:lvlText", "%1)"), ("w:lvlJc", "left")):
            level.append(_element(tag, val=value))
        paragraph = _element("w:pPr")
        paragraph.append(_element("w:ind", left="720", hanging="360"))
        level.append(paragraph)
        abstract.append(level)
        # Every w:abstractNum must come before the first w:num (the schema's order).
        first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)

    def _new_prompt_list(self) -> str:
        """A w:num for one key question's prompts, so that each list starts again at a)."""
        self.lists += 1
        number = str(_PROMPT_LIST_ID + self.lists)
        num = _element("w:num", numId=number)
        num.append(_element("w:abstractNumId", val=str(_PROMPT_LIST_ID)))
        override = _element("w:lvlOverride", ilvl="0")
        override.append(_element("w:startOverride", val="1"))
        num.append(override)
        self.doc.part.numbering_part.element.append(num)
        return number

    # ---- building blocks ---------------------------------------------------------------

    def heading(self, text: str, level: int, parts: list[Part] | None = None) -> None:
        style = "Title" if level == 0 else f"Heading {min(level, 9)}"
        if parts is None:
            self.para(text, style)
        else:
            self.parts(parts, style)

    def _style_id(self, name: str) -> str:
        """python-docx looks a style up by name by scanning every style each time; once here."""
        if name not in self.style_ids:
            self.style_ids[name] = self.doc.styles[name].style_id
        return self.style_ids[name]

    def para(self, text: str, style: str | None = None, bold_prefix: str | None = None, native: bool = False) -> None:
        """A paragraph of precepts' own words or untranslated text (English), or, `native`,
        a text in the document's language; a bold prefix is always precepts' own words."""
        self.parts([(text, native)], style, bold_prefix)

    def parts(self, parts: list[Part], style: str | None = None, bold_prefix: str | None = None,
              numbering: str | None = None) -> None:
        """A paragraph of texts some of which may be English in a document in another
        language: one run for each stretch in one language (one run in all, in English);
        `numbering`, the w:num of the list it is an item of.

        Written as the XML python-docx's add_paragraph and add_run make, element for element
        (tests/test_build_golden.py holds the bytes), but as text, put into the body a batch
        at a time (`_flush`): python-docx's add_paragraph searched the body from its first
        paragraph on every call, so a document of n paragraphs cost n², and its generic
        element machinery cost more than the rest of a build (issue 15)."""
        properties = ""
        if style:
            properties += f'<w:pStyle w:val="{_attribute(self._style_id(style))}"/>'
        if numbering:
            properties += f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{_attribute(numbering)}"/></w:numPr>'
        xml = [f"<w:p><w:pPr>{properties}</w:pPr>" if properties else "<w:p>"]
        if bold_prefix:
            xml.append(self._run(bold_prefix, native=False, bold=True))
        runs: list[Part] = []
        for text, native in parts:
            native = native or self.english is None
            if runs and runs[-1][1] == native:
                runs[-1] = (runs[-1][0] + text, native)
            elif text:
                runs.append((text, native))
        xml += [self._run(text, native) for text, native in runs or [("", True)]]
        xml.append("</w:p>")
        self._pending.append("".join(xml))
        if len(self._pending) >= _BATCH:
            self._flush()

    def _run(self, text: str, native: bool, bold: bool = False) -> str:
        """One w:r, as Paragraph.add_run(text) makes it, bold as `run.bold = True` makes it,
        and an English run of a translated document with its language (see `_mark`)."""
        properties = "<w:b/>" if bold else ""
        if self.english is not None and not native:
            properties += f'<w:lang w:val="{_attribute(self.english)}"/>'
        return f"<w:r>{f'<w:rPr>{properties}</w:rPr>' if properties else ''}{_run_content(text)}</w:r>"

    def _flush(self) -> None:
        """Put the paragraphs written so far at the end of the body, before its closing
        section properties, where python-docx's add_paragraph puts each."""
        if not self._pending:
            return
        from docx.oxml.parser import oxml_parser
        from lxml import etree  # type: ignore[import-untyped]

        holder = etree.fromstring(f'<w:body xmlns:w="{_W}">{"".join(self._pending)}</w:body>', oxml_parser)
        self._pending.clear()
        for element in list(holder):
            self._body_end.addprevious(element)

    def _mark(self, run: Any, native: bool) -> None:
        """Give an English run of a translated document its language."""
        if self.english is not None and not native:
            run._r.get_or_add_rPr().append(_element("w:lang", val=self.english))

    def bullets(self, items: list[str]) -> None:
        for item in items:
            self.para(item, "List Bullet")

    def numbered(self, items: list[str]) -> None:
        for item in items:
            self.para(item, "List Number")

    def table(self, table: Table) -> None:
        self.para(table.caption, "Caption")
        self._table(table.caption, table.heads, table.rows, table.first_column_heads_rows)

    def _table(self, caption: str, heads: tuple[str, ...], rows: tuple[tuple[str, ...], ...],
               first_column_bold: bool = False) -> None:
        self._flush()  # the table goes after the paragraphs before it
        made = self.doc.add_table(rows=1, cols=len(heads))
        made.style = self.doc.styles["Table Grid"]
        properties = made._tbl.tblPr
        properties.append(_element("w:tblCaption", val=caption))
        header = made.rows[0]
        # The header row is marked as one, so Word repeats it on every page and reads it as headers.
        header._tr.get_or_add_trPr().append(_element("w:tblHeader"))
        for cell, text in zip(header.cells, heads, strict=True):
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
            self._mark(run, False)
        for row in rows:
            cells = made.add_row().cells
            for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
                run = cell.paragraphs[0].add_run(text)
                run.bold = first_column_bold and index == 0
                self._mark(run, False)

    def consultation(self, questions: tuple[ConsultationQuestionView, ...]) -> None:
        for question in questions:
            self.para(question.text, "Intense Quote", bold_prefix=f"Consultation question {question.number}: ")

    # ---- the document ------------------------------------------------------------------

    def write(self) -> bytes:
        page, f = self.page, self.f
        properties = self.doc.core_properties
        properties.title = page.title
        properties.language = self.language
        properties.author = "precepts"
        properties.last_modified_by = "precepts"
        properties.subject = "Inspection standards framework"
        properties.identifier = f.id
        properties.version = f.version or ""
        properties.revision = 1
        properties.comments = f"Generated by precepts from {self.source_path}"
        properties.created = properties.modified = _document_date(f).replace(tzinfo=None)

        self.heading(page.title, 0)
        for key, value in (("Framework", f.id), ("Version", f.version), ("Date", f.date), ("Status", f.status),
                           ("Source", f.source), ("Licence", f.licence)):
            if value:
                self.para(value, bold_prefix=f"{key}: ")

        self.heading("About this framework", 1)
        self.para("The framework is set out in domains. Each domain holds standards; each standard has its standard "
                  "text and key questions, and each key question has lettered prompts. Each standard is marked with "
                  "the levels of inspection it applies to.")
        self.para("Levels of inspection", "Caption")
        self._table("Levels of inspection", ("Level", "Standards", "Key questions", "Prompts"),
                    tuple((r.name, str(r.standards), str(r.questions), str(r.prompts)) for r in page.level_rows), True)
        if page.attributes:
            self.para("Some key questions and prompts apply only to some cases, according to these case attributes:")
            self.bullets([f"{name}: {values}" for name, values in page.attributes])
        self.consultation(page.framework_consultation)

        for domain in page.domains:
            self.heading(f"Domain {domain.number}: {domain.heading}", 1,
                         [("Domain", False), (f" {domain.number}: ", True), (domain.heading, domain.heading_lang is None)])
            self.para(", ".join(domain.levels), bold_prefix="Levels: ")
            if domain.applies:
                self.para(domain.applies)
            self.consultation(domain.consultation)
            for block in domain.blocks:
                if block.heading:
                    self.heading(block.heading, 2)
                for standard in block.standards:
                    self.standard(standard)

        self.rules()
        self.characteristics()
        self.questionnaires()
        if page.consultation_summary:
            self.heading("Summary of consultation questions", 1)
            for q in page.consultation_summary:
                self.para(f"{q.number}. {q.text} (about {q.about})")
        self.para(f"Generated by precepts from {self.source_path} (sha256 {f.sha256}).")
        if f.licence:
            self.para(f.licence)
        return self.save()

    def standard(self, s: StandardView) -> None:
        level = s.heading_level - 1  # the page's h3 is Heading 2: the page's h1 is the Title
        self.heading(f"Standard {s.number}: {s.heading}", level,
                     [("Standard", False), (f" {s.number}: ", True), (s.heading, s.heading_lang is None)])
        self.para(", ".join(s.levels), bold_prefix="Levels: ")
        for text in s.texts:
            self.para(text.text, "Quote", bold_prefix=f"{text.levels}: " if text.levels else None,
                      native=text.lang is None)
        for rating in s.ratings:
            self.para(rating.text, bold_prefix=f"{rating.levels}: " if rating.levels else None)
        for link in s.banding_links:
            self.para(f"See {link.text}.")
        if s.applies:
            self.para(s.applies)
        for question in s.questions:
            self.question(question, level + 1)
        self.consultation(s.consultation)

    def question(self, q: QuestionView, level: int) -> None:
        self.heading(f"{q.number} {q.text}", level, [(f"{q.number} ", True), (q.text, q.text_lang is None)])
        if q.levels:
            self.para(f"{q.levels} only")
        if q.applies:
            self.para(q.applies)
        self.references(q.references)
        letters = [p.letter for p in q.prompts]
        # Word numbering says what the framework says only when its letters run a, b, c…;
        # a framework transcribed with a gap or a repeat keeps its letters as typed.
        numbered = letters == [chr(ord("a") + i) for i in range(len(letters))] and len(letters) <= 26
        list_id = self._new_prompt_list() if numbered and letters else None
        for prompt in q.prompts:
            extra = "".join([
                "".join(f" [{t}]" for t in prompt.tags),
                f" ({prompt.levels} only)" if prompt.levels else "",
                f" {prompt.applies}" if prompt.applies else "",
            ])
            text: list[Part] = [(prompt.text, prompt.text_lang is None), (extra, False)]
            if list_id:
                self.parts(text, "List Paragraph", numbering=list_id)
            else:
                self.parts([(f"{prompt.letter}) ", True), *text], "List Paragraph")
            self.references(prompt.references)
            self.consultation(prompt.consultation)
        self.consultation(q.consultation)

    def references(self, references: tuple[Any, ...]) -> None:
        if references:
            self.para("See " + ", ".join(r.text for r in references))

    def rules(self) -> None:
        page = self.page
        self.heading("How ratings are given", 1)
        self.para("These rules are generated from the rating rules of the framework itself.")
        self.table(page.method_table)
        for rule in page.rules:
            self.rule(rule)
        if page.hurdles:
            self.hurdles()
        for rule in page.scales:
            self.rule(rule)
        if page.open_rules:
            self.heading("What the published document leaves open", 2)
            self.para("Where a rule is left open, no rating that needs it is given.")
            for what, reason in page.open_rules:
                self.para(reason, bold_prefix=f"{what}: ")

    def rule(self, rule: RuleView) -> None:
        self.heading(rule.name, 2)
        for sentence in rule.sentences:
            self.para(sentence)
        for table in rule.tables:
            self.table(table)
        for reason in rule.open_reasons:
            self.para(reason, bold_prefix="Left open: ")
        if rule.source:
            self.para(rule.source, bold_prefix="Source: ")
        self.consultation(self.page.rules_consultation[rule.id])

    def hurdles(self) -> None:
        hurdles = self.page.hurdles
        assert hurdles is not None
        self.heading("Hurdles", 2)
        self.para("A hurdle caps a rating when its condition holds.")
        self.bullets(list(hurdles.sentences))
        self.table(hurdles.table)
        for reason in hurdles.open_reasons:
            self.para(reason, bold_prefix="Left open: ")
        self.consultation(hurdles.consultation)

    def characteristics(self) -> None:
        if not self.page.characteristics:
            return
        self.heading("Rating characteristics", 1)
        self.para("The characteristics guide the lead inspector's judgement of each standard rated by judgement; "
                  "they are not a checklist.")
        for c in self.page.characteristics:
            self.heading(f"{c.number} {c.heading}", 2)
            for grade in c.grades:
                self.heading(grade.label, 3)
                for paragraph in grade.paragraphs:
                    self.para(paragraph)

    def questionnaires(self) -> None:
        for q in self.page.questionnaires:
            self.heading(q.title, 1)
            self.para(", ".join(q.levels), bold_prefix="Levels: ")
            if q.source:
                self.para(q.source, bold_prefix="Source: ")
            for text in q.instructions:
                self.para(text)
            if q.rating_items:
                caption = f"{q.title}: statements"
                self.para(caption, "Caption")
                rows = tuple(
                    (f"{item.number}. {item.text}", *("" for _ in q.scale_labels),
                     ", ".join(r.text for r in item.inspector_use) or "None")
                    for item in q.rating_items
                )
                self._table(caption, ("Statement", *q.scale_labels, "Inspector use"), rows, True)
            for item in q.other_items:
                self.heading(f"{item.number}. {item.text}", 2)
                self.bullets(list(item.options))
            self.consultation(q.consultation)

    # ---- saving ------------------------------------------------------------------------

    def save(self) -> bytes:
        self._flush()
        # The framework's source rides along for `precepts import` (see source_part).
        add_source_part(self.doc, framework_sources(self.f, self.sources))
        return _package_bytes(self.doc)


def _package_bytes(document: Document) -> bytes:
    """The .docx: the entries `Document.save` writes, in its order, each dated ZIP_DATE.

    Made from python-docx's package writer's own steps (pkgwriter.PackageWriter), so that
    every entry is compressed once: saving with python-docx and then rewriting its zip with
    fixed dates (`_saved_with_fixed_dates`, still used where a python-docx release lacks those steps)
    compressed everything twice, a quarter of the Word document's time (issue 15)."""
    from docx.opc.pkgwriter import PackageWriter

    steps = ("_write_content_types_stream", "_write_pkg_rels", "_write_parts")
    if not all(hasattr(PackageWriter, step) for step in steps):
        return _saved_with_fixed_dates(document)
    entries: list[tuple[str, bytes]] = []

    class Collected:
        """The physical writer's interface (phys_pkg.PhysPkgWriter): each entry kept, in order."""

        def write(self, pack_uri: Any, blob: bytes) -> None:
            entries.append((pack_uri.membername, blob))

    package = document.part.package
    parts = package.parts
    for part in parts:  # as OpcPackage.save does before writing
        part.before_marshal()
    writer = Collected()
    PackageWriter._write_content_types_stream(writer, parts)  # type: ignore[no-untyped-call]
    PackageWriter._write_pkg_rels(writer, package.rels)  # type: ignore[no-untyped-call]
    PackageWriter._write_parts(writer, parts)  # type: ignore[arg-type]
    return _zip(entries)


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip of `entries` in their order, every one deflated and dated ZIP_DATE."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            fixed = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, data)
    return out.getvalue()


def _saved_with_fixed_dates(document: Document) -> bytes:
    """The .docx as python-docx saves it, then with every entry dated ZIP_DATE."""
    saved = io.BytesIO()
    document.save(saved)
    return _fixed_zip(saved.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated ZIP_DATE, in the order python-docx wrote them."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return _zip([(info.filename, source.read(info.filename)) for info in source.infolist()])


def render_word(framework: m.Framework, language: str | None = None,
                sources: Mapping[str, str] | None = None) -> bytes:
    """The document in English, or in `language`: the tag of one of the framework's translations.
    `sources`: the framework's files (name as in the model → text) to carry in the document;
    read from disk when not given (source_part.framework_sources). Only the document in the
    framework's own language carries them: a translated document's visible text is not the
    framework's, and importing it must not pair the Welsh texts with the English rules."""
    carried = sources if language is None else {}
    return _Writer(build_page(framework, language), published_path(framework.file), carried).write()
