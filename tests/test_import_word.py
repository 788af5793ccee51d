"""`precepts import`: a framework written in Word, read back as framework text (issue 16 §1).

The round trip: a framework's own Word document (what `build` writes as consultation.docx)
imported again compiles to the same model as the framework — its compiled JSON is the same
but for the fields that name the source file (path, sha256, includes, line numbers) — for
the shipped frameworks and for generated ones. The outline is read from what the document
shows, so an edit made in Word comes in; the rating rules, waivers and ids the document
cannot show come from the framework source it carries in a Custom XML part (see
docs/commands.md, "import"). Without that part (a Word file precepts did not write, or one
whose part was removed) the outline comes back and the rules do not.

The awkward cases are Word files the tests make with python-docx: numbering typed as text,
numbering restarted, a prompt split over two paragraphs, tracked changes and comments, a
table and a picture.
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import FRAMEWORKS

import precepts
from precepts.compiler import model as m
from precepts.core.codes import Code
from precepts.importers.word import import_word
from precepts.renderers.consultation.word import render_word

SHIPPED = sorted(p for p in FRAMEWORKS.glob("*.precepts"))


# ---- the outline two frameworks must share ----------------------------------------------------


def _condition(node: m.Condition | None) -> Any:
    if node is None:
        return None
    if isinstance(node, m.Compare):
        return (node.op, node.subject, node.name, node.values)
    return (type(node).__name__, tuple(_condition(item) for item in node.items))


def outline(framework: m.Framework) -> Any:
    """What a framework's Word document says of it, as data: levels by name (the document
    names levels, it does not give their ids)."""
    names = {level.id: level.name for level in framework.levels}

    def levels(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(names[i] for i in ids)

    def prompt(p: m.Prompt) -> Any:
        return (p.letter, p.text, levels(p.levels), p.tags, _condition(p.applies_to))

    def question(q: m.Question) -> Any:
        return (q.number, q.text, levels(q.levels), _condition(q.applies_to), tuple(prompt(p) for p in q.prompts))

    def standard(s: m.Standard) -> Any:
        ratings = tuple(sorted((names[r.level], r.method) for r in s.ratings if r.method not in {"cases", "elsewhere", "judgement"}))
        return (s.number, s.heading, levels(s.levels), tuple(sorted((names[t.level], t.text) for t in s.texts)),
                ratings, _condition(s.applies_to), tuple(question(q) for q in s.questions))

    outline_ids = {framework.id, *(d.id for d in framework.domains), *(s.id for s in framework.standards()),
                   *(q.id for q in framework.questions()), *(p.id for p in framework.prompts())}
    return {
        "header": (framework.id, framework.title, framework.version, framework.date, framework.status,
                   framework.source, framework.licence),
        "attributes": tuple((a.id, a.values) for a in framework.attributes),
        "domains": tuple(
            (d.number, d.heading, levels(d.levels), _condition(d.applies_to),
             tuple(section.heading for section in d.sections), tuple(standard(s) for s in d.standards))
            for d in framework.domains
        ),
        # Those asked of the framework's outline; those asked of a rating rule stand with the rule.
        "consultation": sorted(q.text for q in framework.consultation_questions if q.subject in outline_ids),
    }


# What names the source file rather than the framework: the file's path and digest, the
# files it includes (their contents are compared, as rules in the model), and line numbers
# (the imported text is laid out by the formatter, and its comments differ).
SOURCE_FIELDS = frozenset({"source_file", "path", "sha256", "includes", "line"})


def model(framework: m.Framework) -> Any:
    """The framework's compiled JSON (`precepts compile`), without the source-file fields."""

    def without(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: without(item) for key, item in value.items() if key not in SOURCE_FIELDS}
        if isinstance(value, list):
            return [without(item) for item in value]
        return value

    return without(json.loads(precepts.compile(framework)))


def round_trip(framework: m.Framework, sources: dict[str, str] | None = None,
               ) -> tuple[m.Framework, str, tuple[Any, ...]]:
    return imported_framework(render_word(framework, sources=sources), framework.id)


def imported_framework(document: bytes, framework_id: str) -> tuple[m.Framework, str, tuple[Any, ...]]:
    imported = import_word(document, "exported.docx")
    name = f"{framework_id}.precepts"
    result = precepts.check({name: imported.text, **imported.includes}, main=name)
    assert result.framework is not None, result.report() + imported.text
    return result.framework, imported.text, imported.findings


# ---- the round trip -------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_a_shipped_frameworks_word_document_imports_to_the_same_model(path: Path) -> None:
    framework = precepts.load(path)
    imported, text, findings = round_trip(framework)
    assert model(imported) == model(framework)
    # The document's account of its rules is what precepts writes from the source it carries:
    # nothing is left over to report.
    assert findings == ()
    # Without the source, nothing is dropped: every paragraph not placed is in a comment.
    _, text, findings = imported_framework(_without_carried_source(render_word(framework)), framework.id)
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    assert findings
    for finding in findings:
        assert finding.code in {"I009", "I011"}, finding.message
        assert f"paragraph {finding.span.line}" in comments if finding.span else False


def test_a_paragraph_added_in_word_to_the_account_of_the_rules_is_kept_and_reported() -> None:
    framework = precepts.load(FRAMEWORKS / "hmip-adult-2021.precepts")
    made = docx.Document(io.BytesIO(render_word(framework)))
    heading = next(p for p in made.paragraphs if p.text == "How ratings are given")
    added = made.add_paragraph("A reviewer's note on the ratings, typed in Word.")
    heading._p.addnext(added._p)
    _, text, findings = imported_framework(_save(made), framework.id)
    assert [f.code for f in findings] == ["I011"]
    assert "A reviewer's note on the ratings, typed in Word." in text


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'’-éŵ", min_size=1, max_size=8)
_SENTENCE = st.lists(_WORD, min_size=1, max_size=7).map(" ".join)
_ENDING = st.sampled_from(["?", ".", "", ":", " (as it applies)", "?)", "? (NPS only)", "? [sic]."])


RULES = """\
scale grading: Grading scale
  grade low "Low"
  grade high "High"
banding bands: Share of cases → grade
  scale: grading
  rounding: open
  open: the bands are whole percentages
  band few "Few": below 50% gives low
  band many "Many": 50% and above gives high
judgement overall: Overall judgement
  at: alpha
  scale: grading
  open: how the judgement is reached is not published
"""


@st.composite
def frameworks(draw: st.DrawFn) -> str:
    """A framework with every part its Word document shows (levels, a case attribute,
    domains and sections, standards with text and rating, key questions, prompts lettered
    a, b… or with a gap, which the document types as text, prompt tags, levels,
    applicability and consultation questions) and parts it cannot show, which it carries:
    a scale, a banding and a judgement, standards rated by judgement or from cases, ids
    given by `id:` and waivers."""
    levels = ["alpha", "beta"][: draw(st.integers(1, 2))]
    lines = ["framework generated", f"title: {draw(_SENTENCE)}", f"version: {draw(_SENTENCE)}"]
    lines += [f"level {level}: {level.title()} {draw(_SENTENCE)}" for level in levels]
    lines.append("attribute case-type: community, custody")
    rules = draw(st.booleans())
    if rules:
        lines += RULES.splitlines()
    methods = ["not rated", "open", "percentages only"] + (["by judgement", "from cases using bands"] if rules else [])
    for d in range(1, draw(st.integers(1, 2)) + 1):
        lines += [f"domain {d} {draw(_SENTENCE)}", f"  at: {', '.join(levels)}"]
        if draw(st.booleans()):
            lines.append(f"section: {draw(_SENTENCE)}")
        for s in range(1, draw(st.integers(1, 2)) + 1):
            lines += [f"  standard {d}.{s} Standard {draw(_SENTENCE)}", f"    text: {draw(_SENTENCE)}.",
                      f"    rated: {draw(st.sampled_from(methods))}"]
            if draw(st.integers(0, 3)) == 0:
                lines.append(f"    id: chosen-{d}-{s}")
            if draw(st.booleans()):
                lines.append(f"    consultation question: {draw(_SENTENCE)}?")
            for q in range(1, draw(st.integers(1, 2)) + 1):
                lines.append(f"    question {d}.{s}.{q} {draw(_SENTENCE)}?")
                if draw(st.integers(0, 3)) == 0:
                    lines.append(f"      consultation question: {draw(_SENTENCE)}?")
                letters = "abcdefg"[: draw(st.integers(1, 5))]
                if draw(st.integers(0, 4)) == 0:
                    letters = letters.replace("b", "")  # a gap: typed letters
                for letter in letters:
                    lines.append(f"      {letter}) {draw(_SENTENCE)}{draw(_ENDING)}")
                    if draw(st.integers(0, 3)) == 0:
                        lines.append(f"        tags: {draw(st.sampled_from(['diversity', 'risk, diversity']))}")
                    if len(levels) > 1 and draw(st.integers(0, 3)) == 0:
                        lines.append(f"        at: {levels[0]}")
                    if draw(st.integers(0, 3)) == 0:
                        lines.append("        applies to: case-type is custody")
                    if draw(st.integers(0, 5)) == 0:
                        lines.append(f"        waive D002: {draw(_SENTENCE)}")
    return "\n".join(lines) + "\n"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frameworks())
def test_any_frameworks_word_document_imports_to_the_same_model(text: str) -> None:
    result = precepts.check({"generated.precepts": text}, main="generated.precepts")
    # Generated texts may repeat (a duplicate prompt is an error of the framework, not of its
    # compiling): the model is what is compared.
    assert result.framework is not None, result.report() + text
    imported, imported_text, _ = round_trip(result.framework, {"generated.precepts": text})
    assert model(imported) == model(result.framework), imported_text


def _without_carried_source(document: bytes) -> bytes:
    """The document as Word would save it had the framework's source part been removed
    (or as a Word file precepts did not write would be): the part and its relationship gone."""
    made = docx.Document(io.BytesIO(document))
    for rel_id, relationship in list(made.part.rels.items()):
        if relationship.reltype.endswith("/customXml") and b"framework-source" in relationship.target_part.blob:
            made.part.drop_rel(rel_id)
    return _save(made)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_without_the_carried_source_the_outline_comes_back_and_the_rules_do_not(path: Path) -> None:
    framework = precepts.load(path)
    imported, _, _ = imported_framework(_without_carried_source(render_word(framework)), framework.id)
    assert outline(imported) == outline(framework)
    assert not imported.scales and not imported.bandings and not imported.judgements and not imported.waivers
    assert not imported.includes


def _edited(document: bytes, old: str, new: str) -> bytes:
    """The document with one paragraph's text changed, as an author editing it in Word would."""
    made = docx.Document(io.BytesIO(document))
    changed = [p for p in made.paragraphs if p.text == old]
    assert len(changed) == 1, old
    runs = changed[0].runs
    runs[0].text = new
    for run in runs[1:]:
        run.text = ""
    return _save(made)


def test_an_edit_made_in_word_comes_in_and_the_rules_stay() -> None:
    framework = precepts.load(FRAMEWORKS / "hmip-adult-2021.precepts")
    prompt = next(p for p in framework.prompts() if p.number == "1.1.1a" or p.letter == "a")
    edited = _edited(render_word(framework), prompt.text, "Is the vision edited in Word?")
    imported, text, _ = imported_framework(edited, framework.id)
    assert "Is the vision edited in Word?" in [p.text for p in imported.prompts()]
    assert prompt.text not in text
    # Everything else is as the framework has it: only that prompt's text differs.
    before, after = model(framework), model(imported)
    assert json.dumps(before).count(prompt.text) >= 1
    assert json.dumps(after).replace("Is the vision edited in Word?", prompt.text) == json.dumps(before)


def annex_lines(text: str) -> list[tuple[str, str | None, str | None]]:
    """A framework's outline as its lines say it, in order: each domain, section, standard,
    standard text, key question and prompt, with its number or letter and its text."""
    from precepts.dsl.ast import Attribute, Heading
    from precepts.dsl.parser import parse_lines

    lines, _ = parse_lines(text, "x.precepts")
    outline: list[tuple[str, str | None, str | None]] = []
    for line in lines:
        if isinstance(line, Heading) and line.kind in {"domain", "section", "standard", "question", "prompt"}:
            number = line.name.text if line.name else None
            outline.append((line.kind, f"{number})" if line.kind == "prompt" else number, line.text))
        elif isinstance(line, Attribute) and line.key == "text" and outline and outline[-1][0] == "standard":
            outline.append(("text", None, str(line.value)))
    return outline


def annex_document(text: str) -> bytes:
    """A framework laid out as the Inspectorate publishes its annexes (seeds 000 and 003):
    an introduction, "1. Domain one" and "1.1 Leadership" as headings with their numbers
    typed, the standard's text, each key question a bold paragraph "1.1.1 …", and the prompts
    a bulleted list whose items start with their letters, "a) …"."""
    document = docx.Document()
    document.add_paragraph("Proposed inspection standards", "Title")
    document.add_paragraph("We are consulting on these standards until the end of the month.")
    document.add_paragraph("Annexe 1 – proposed inspection standards", "Heading 1")
    for kind, number, words in annex_lines(text):
        if kind == "domain":
            document.add_paragraph(f"{number}. {words}", "Heading 1")
        elif kind == "section":
            document.add_paragraph(words, "Heading 2")
        elif kind == "standard":
            document.add_paragraph(f"{number} {words}", "Heading 3")
        elif kind == "text":
            document.add_paragraph(words)
        elif kind == "question":
            document.add_paragraph().add_run(f"{number} {words}").bold = True
        else:
            document.add_paragraph(f"{number} {words}", "List Bullet")
    return _save(document)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_a_framework_laid_out_as_the_published_annexes_imports_to_the_same_lines(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    imported = import_word(annex_document(text), "annex.docx")
    assert annex_lines(imported.text) == annex_lines(text)
    # The introduction and the annex's heading are all that is not placed: the rest is the framework.
    assert [(d.code, d.span.line if d.span else 0) for d in imported.findings] == [("I011", 2), ("I011", 3)]
    assert "# [paragraph 2, not placed] We are consulting on these standards" in imported.text
    assert "# [paragraph 3, not placed] Annexe 1 – proposed inspection standards" in imported.text


def test_importing_is_byte_for_byte_the_same_and_formatted() -> None:
    framework = precepts.load(FRAMEWORKS / "hmip-adult-2021.precepts")
    document = render_word(framework)
    first, second = import_word(document, "a.docx"), import_word(document, "a.docx")
    assert first == second
    from precepts.dsl.format import format_text

    assert format_text(first.text) == first.text


def test_rating_characteristics_are_read_from_what_the_document_shows() -> None:
    framework = precepts.load(FRAMEWORKS / "hmip-domain-one-characteristics-2018.precepts")
    standard = next(s for s in framework.standards() if s.characteristics)
    first = standard.characteristics[0]
    edited = _edited(render_word(framework), first.text, "Leaders were edited in Word.")
    imported, text, _ = imported_framework(edited, framework.id)
    again = next(s for s in imported.standards() if s.number == standard.number)
    assert (first.grade, "Leaders were edited in Word.") in [(c.grade, c.text) for c in again.characteristics]
    assert first.text not in text
    assert len(again.characteristics) == len(standard.characteristics)
    # Read as characteristics, not kept as comments: no finding names a characteristic's paragraph.
    assert not any("Leaders were edited" in line for line in text.splitlines() if line.lstrip().startswith("#"))


def test_a_questionnaires_texts_are_read_from_what_the_document_shows() -> None:
    framework = precepts.load(FRAMEWORKS / "hmip-adult-2021.precepts")
    questionnaire = framework.questionnaires[0]
    instruction, item = questionnaire.instructions[0], questionnaire.items[-1]
    made = docx.Document(io.BytesIO(_edited(render_word(framework), instruction, "An instruction edited in Word.")))
    option = made.paragraphs[[p.text for p in made.paragraphs].index(item.options[0])]
    option.runs[0].text = "An option edited in Word"
    imported, _, findings = imported_framework(_save(made), framework.id)
    again = imported.questionnaires[0]
    assert again.instructions[0] == "An instruction edited in Word."
    assert again.items[-1].options[0] == "An option edited in Word"
    # Read as the questionnaire's texts, so neither kept as a comment nor reported.
    assert findings == ()
    # The rest is as the framework has it: its items' references, levels and scale.
    def references(items: tuple[m.QuestionnaireItem, ...]) -> list[Any]:
        return [[(r.text, r.target) for r in i.references] for i in items]

    assert references(again.items) == references(questionnaire.items)
    assert (again.levels, again.scale) == (questionnaire.levels, questionnaire.scale)


# ---- Word files made by hand, with the awkward cases ----------------------------------------------


def _numbered(paragraph: Any, num_id: int, level: int = 0) -> None:
    properties = paragraph._p.get_or_add_pPr()
    numbering = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", level), ("w:numId", num_id)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), str(value))
        numbering.append(element)
    properties.append(numbering)


def _element(tag: str, **attributes: str) -> Any:
    made = OxmlElement(tag)
    for name, value in attributes.items():
        made.set(qn(f"w:{name}"), value)
    return made


def _list(document: Any, abstract_id: str, levels: tuple[tuple[str, str], ...],
          instances: dict[str, dict[int, int]]) -> None:
    """An abstract list (each level's format and text, such as ("decimal", "1.1.%1")) and its
    instances, numId → the levels whose start it overrides (Word's "restart numbering")."""
    numbering = document.part.numbering_part.element
    abstract = _element("w:abstractNum", abstractNumId=abstract_id)
    for level, (number_format, text) in enumerate(levels):
        definition = _element("w:lvl", ilvl=str(level))
        for tag, value in (("w:start", "1"), ("w:numFmt", number_format), ("w:lvlText", text)):
            definition.append(_element(tag, val=value))
        abstract.append(definition)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    for num_id, overrides in instances.items():
        num = _element("w:num", numId=num_id)
        num.append(_element("w:abstractNumId", val=abstract_id))
        for level, start in overrides.items():
            override = _element("w:lvlOverride", ilvl=str(level))
            override.append(_element("w:startOverride", val=str(start)))
            num.append(override)
        numbering.append(num)


def _save(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _tracked(paragraph: Any, kind: str, text: str) -> None:
    """A tracked insertion (w:ins) or deletion (w:del) at the end of the paragraph."""
    change = OxmlElement(f"w:{kind}")
    change.set(qn("w:id"), str(len(paragraph.text) + (1 if kind == "ins" else 2)))
    change.set(qn("w:author"), "Reviewer")
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:delText" if kind == "del" else "w:t")
    text_element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text_element.text = text
    run.append(text_element)
    change.append(run)
    paragraph._p.append(change)


_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def awkward_document() -> bytes:
    document = docx.Document()
    document.add_paragraph("Probation standards, a draft", "Title")
    document.add_paragraph("This framework is a draft for the tests.")
    document.add_paragraph("Domain 1: Organisational delivery", "Heading 1")
    document.add_paragraph("Standard 1.1 Leadership", "Heading 2")
    document.add_paragraph("The leadership of the organisation supports a high-quality service.")
    # A two-level list: key questions numbered 1.1.1, 1.1.2 by Word, their prompts a), b) below.
    _list(document, "50", (("decimal", "1.1.%1"), ("lowerLetter", "%2)")), {"60": {}, "61": {}})
    _numbered(document.add_paragraph("Does the vision drive delivery?"), 60, 0)
    first_prompt = document.add_paragraph("Are staff engaged in the vision")
    _numbered(first_prompt, 60, 1)
    _numbered(document.add_paragraph("Is the culture open?"), 60, 1)
    # The first prompt goes on in a paragraph of its own: a prompt split over two paragraphs.
    continuation = document.add_paragraph("and the strategy?")
    first_prompt._p.addnext(continuation._p)
    _numbered(document.add_paragraph("Are risks anticipated?"), 61, 0)  # the list goes on: 1.1.2
    _numbered(document.add_paragraph("Are risks understood?"), 61, 1)
    tracked = document.add_paragraph("Are plans in place")
    _numbered(tracked, 61, 1)
    _tracked(tracked, "ins", " for business continuity?")
    _tracked(tracked, "del", " for everything, always?")
    commented = document.add_paragraph("Standard 1.2 Staffing", "Heading 2")
    document.add_comment(commented.runs, text="Check the heading against the annex.", author="Methodology")
    document.add_paragraph("Staff are empowered to deliver a high-quality service.")
    # Key questions typed as headings; prompts in a one-level lettered list, one list instance a
    # key question, the second restarted at a) (w:startOverride) as Word does for a new list.
    _list(document, "51", (("lowerLetter", "%1)"),), {"70": {}, "71": {0: 1}})
    document.add_paragraph("1.2.1 Do staffing levels support delivery?", "Heading 3")
    _numbered(document.add_paragraph("Are staffing levels sufficient?"), 70)
    _numbered(document.add_paragraph("Are workloads manageable?"), 70)
    document.add_paragraph("1.2.2 Is staff development supported?", "Heading 3")
    _numbered(document.add_paragraph("Is training available?"), 71)
    # Numbering typed as text.
    document.add_paragraph("1.2.3 Do managers engage staff?")
    document.add_paragraph("a) Are staff motivated?")
    document.add_paragraph("(b) Is exceptional work recognised?")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Rating", "Score"
    table.cell(1, 0).text, table.cell(1, 1).text = "Good", "2"
    document.add_paragraph().add_run().add_picture(io.BytesIO(_PNG))
    document.add_paragraph("A note between the levels, after the prompts.")
    return _save(document)


@pytest.fixture(scope="module")
def awkward() -> Any:
    return import_word(awkward_document(), "draft.docx")


def test_word_numbering_is_read_as_numbers_and_letters_and_restarts(awkward: Any) -> None:
    assert "question 1.1.1 Does the vision drive delivery?" in awkward.text
    # The second list instance goes on with the list's numbering, its prompts start again below it.
    assert "question 1.1.2 Are risks anticipated?" in awkward.text
    assert "a) Are risks understood?" in awkward.text
    # The second lettered list restarts at a).
    assert "question 1.2.2 Is staff development supported?\n      a) Is training available?" in awkward.text


def test_a_list_instance_without_a_restart_continues_its_letters() -> None:
    from precepts.importers.reading import read_pieces

    document = docx.Document()
    _list(document, "51", (("lowerLetter", "(%1)"),), {"70": {}, "71": {}, "72": {0: 1}})
    for num_id in (70, 70, 71, 72):
        _numbered(document.add_paragraph("Item?"), num_id)
    labels = [piece.label for piece in read_pieces(docx.Document(io.BytesIO(_save(document))))]
    assert labels == ["(a)", "(b)", "(c)", "(a)"]


def test_a_prompt_split_over_two_paragraphs_is_one_prompt(awkward: Any) -> None:
    assert "a) Are staff engaged in the vision and the strategy?" in awkward.text
    assert "b) Is the culture open?" in awkward.text


def test_tracked_changes_read_as_accepted(awkward: Any) -> None:
    assert "b) Are plans in place for business continuity?" in awkward.text
    assert "everything, always" not in awkward.text


def test_typed_numbering_is_read(awkward: Any) -> None:
    assert "question 1.2.3 Do managers engage staff?" in awkward.text
    assert "a) Are staff motivated?" in awkward.text
    assert "b) Is exceptional work recognised?" in awkward.text


def test_what_cannot_be_placed_is_reported_with_where_it_was_and_kept(awkward: Any) -> None:
    found = {(d.code, d.span.line if d.span else 0) for d in awkward.findings}
    pieces = [*docx.Document(io.BytesIO(awkward_document())).element.body.iterchildren()]
    table_number = next(i for i, p in enumerate(pieces, 1) if p.tag == qn("w:tbl"))
    assert found == {
        ("I011", 2),  # the introduction, between the title and the first domain
        ("I009", table_number),
        ("I010", table_number + 1),
        ("I011", table_number + 2),
    }
    messages = " ".join(d.message for d in awkward.findings)
    assert "(paragraph 24, under Domain 1: Organisational delivery › Standard 1.2 Staffing › 1.2.2 Is staff development " \
           "supported?, after prompt b) of key question 1.2.3)" in messages
    for kept in ("This framework is a draft for the tests.", "Rating | Score", "Good | 2", "[picture at paragraph",
                 "A note between the levels, after the prompts.",
                 "Word comment by Methodology: Check the heading against the annex."):
        assert any(kept in line for line in awkward.text.splitlines() if line.lstrip().startswith("#")), kept


def test_the_imported_framework_checks_without_errors(awkward: Any) -> None:
    result = precepts.check({"draft.precepts": awkward.text}, main="draft.precepts")
    assert not result.has_errors, result.report()
    framework = result.framework
    assert framework is not None and framework.title == "Probation standards, a draft"
    assert [s.number for s in framework.standards()] == ["1.1", "1.2"]
    assert [len(q.prompts) for q in framework.questions()] == [2, 2, 2, 1, 2]


def test_headings_numbered_by_their_styles_are_domains_standards_and_key_questions() -> None:
    """A template whose Heading 1–3 styles carry one multi-level list (1, 1.1, 1.1.1), as
    outline-numbered Word templates do: the numbers are in no paragraph, only in the styles."""
    document = docx.Document()
    _list(document, "52", (("decimal", "%1"), ("decimal", "%1.%2"), ("decimal", "%1.%2.%3")), {"80": {}})
    _list(document, "53", (("lowerLetter", "%1)"),), {"81": {}, "82": {0: 1}})
    for level in (1, 2, 3):
        style = document.styles[f"Heading {level}"].element
        properties = style.get_or_add_pPr()
        numbering = _element("w:numPr")
        numbering.append(_element("w:ilvl", val=str(level - 1)))
        numbering.append(_element("w:numId", val="80"))
        properties.append(numbering)
    document.add_paragraph("Organisational delivery", "Heading 1")
    document.add_paragraph("Leadership", "Heading 2")
    document.add_paragraph("The leadership is effective.")
    document.add_paragraph("Is there a clear vision?", "Heading 3")
    _numbered(document.add_paragraph("Is it communicated?"), 81)
    _numbered(document.add_paragraph("Is it reviewed?"), 81)
    document.add_paragraph("Are risks planned for?", "Heading 3")
    _numbered(document.add_paragraph("Are risks understood?"), 82)
    document.add_paragraph("Staffing", "Heading 2")
    document.add_paragraph("Case supervision", "Heading 1")
    document.add_paragraph("Assessment", "Heading 2")
    text = import_word(_save(document), "outline.docx").text
    assert annex_lines(text) == [
        ("domain", "1", "Organisational delivery"),
        ("standard", "1.1", "Leadership"), ("text", None, "The leadership is effective."),
        ("question", "1.1.1", "Is there a clear vision?"),
        ("prompt", "a)", "Is it communicated?"), ("prompt", "b)", "Is it reviewed?"),
        ("question", "1.1.2", "Are risks planned for?"), ("prompt", "a)", "Are risks understood?"),
        ("standard", "1.2", "Staffing"),
        ("domain", "2", "Case supervision"), ("standard", "2.1", "Assessment"),
    ]


def test_footnotes_and_the_text_of_text_boxes_are_kept_as_comments() -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("Domain 1: One", "Heading 1")
    document.add_paragraph("Standard 1.1 Leadership", "Heading 2")
    standard_text = document.add_paragraph("The leadership is effective.")
    reference = parse_xml('<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                          '<w:footnoteReference w:id="2"/></w:r>')
    standard_text._p.append(reference)
    footnotes = (
        b'<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b'<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        b'<w:footnote w:id="2"><w:p><w:r><w:t>As defined in the 2017 consultation.</w:t></w:r></w:p></w:footnote>'
        b'</w:footnotes>'
    )
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml", footnotes,
                document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    box = document.add_paragraph()
    box._p.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        '<w:p><w:r><w:t>Key: each standard is rated.</w:t></w:r></w:p>'
        '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))
    imported = import_word(_save(document), "notes.docx")
    assert "text: The leadership is effective." in imported.text
    assert "# Footnote 1: As defined in the 2017 consultation." in imported.text
    assert "# [text box at paragraph 4] Key: each standard is rated." in imported.text
    assert [(d.code, d.span.line if d.span else 0) for d in imported.findings] == [("I010", 4)]


def test_a_file_that_is_not_a_word_document_is_one_finding() -> None:
    result = precepts.import_word(b"%PDF-1.7 not a docx", name="x.precepts")
    assert not result.readable
    assert [d.code for d in result.findings] == [Code.UNREADABLE_WORD_FILE.code]
    broken = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("hello.txt", "a zip, not a document")
    assert [d.code for d in precepts.import_word(broken.getvalue()).findings] == ["I008"]


def test_without_python_docx_the_finding_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)  # `import docx` now raises ImportError
    result = precepts.import_word(awkward_document())
    assert [d.code for d in result.findings] == ["I008"]
    assert "pip install 'precepts[documents]'" in result.findings[0].message


def test_checking_a_framework_does_not_import_python_docx() -> None:
    code = "import sys, precepts; precepts.check('frameworks'); print('docx' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=FRAMEWORKS.parent, capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


# ---- the command ------------------------------------------------------------------------------


def _run(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "precepts", *arguments], cwd=cwd, capture_output=True, text=True,
                          check=False)


def test_the_command_writes_the_framework_and_reports_the_check(tmp_path: Path) -> None:
    (tmp_path / "draft.docx").write_bytes(awkward_document())
    done = _run("import", "draft.docx", "-o", "draft.precepts", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = (tmp_path / "draft.precepts").read_text(encoding="utf-8")
    assert written == import_word(awkward_document(), "draft.docx").text
    assert "draft.docx:2:1: warning I011 (unplaced-text)" in done.stderr
    assert "Checked 1 file" in done.stderr
    assert "not placed, kept as comments" in done.stderr
    # Without -o the framework goes to standard output.
    printed = _run("import", "draft.docx", cwd=tmp_path)
    assert printed.returncode == 0 and printed.stdout == written


def test_the_command_exits_1_when_the_imported_framework_has_errors(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Domain 1: One", "Heading 1")
    document.add_paragraph("Standard 1.1 Leadership", "Heading 2")
    document.add_paragraph("1.1.1 Is it led?")
    document.add_paragraph("2.4.9 A key question numbered for another standard?")
    (tmp_path / "bad.docx").write_bytes(_save(document))
    done = _run("import", "bad.docx", "-o", "bad.precepts", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "error" in done.stderr and (tmp_path / "bad.precepts").is_file()


def test_the_command_exits_2_for_a_file_it_cannot_read(tmp_path: Path) -> None:
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 an old Word file")
    done = _run("import", "old.doc", "-o", "old.precepts", cwd=tmp_path)
    assert done.returncode == 2
    assert "old.doc:1:1: error I008 (unreadable-word-file)" in done.stderr
    assert not (tmp_path / "old.precepts").exists()
    missing = _run("import", "missing.docx", cwd=tmp_path)
    assert missing.returncode == 2 and "I008" in missing.stderr
    same = _run("import", "old.doc", "-o", "old.doc", cwd=tmp_path)
    assert same.returncode == 2 and "would overwrite the document" in same.stderr
