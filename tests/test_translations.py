"""Translations read from PO files beside a framework (issue 16 §3; compiler/translations.py).

The Welsh in these tests and in tests/fixtures/checks/G00*/ is written for the tests (a
fixture), not a published translation; the shipped frameworks have none.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support import CHECK_FIXTURES, FRAMEWORKS

from precepts.compiler.translations import attach, read_translation, source_texts, translation_names
from precepts.pipeline import check_files, check_path
from precepts.validators.translations import marks

CASE = CHECK_FIXTURES / "G001" / "pass"
TRANSLATED = CHECK_FIXTURES.parent / "translations" / "welsh.precepts"


def test_the_fixture_translation_is_read_with_its_language_name_and_lines() -> None:
    result = check_path(CASE / "main.precepts")
    assert result.framework is not None
    (welsh,) = result.framework.translations
    assert (welsh.language, welsh.name) == ("cy", "Welsh")
    by_key = {entry.key: entry for entry in welsh.entries}
    assert by_key["leadership.1a"].text.startswith("A yw staff")
    assert by_key["leadership.1a"].span.line == 24  # the msgid line
    assert by_key["leadership.1a"].text_span.line == 25  # the msgstr line
    # Every text of the framework has its entry, and the PO file is a source diagnostics can show.
    assert {t.key for t in source_texts(result.framework)} == set(by_key)
    assert any(path.endswith("main.cy.po") for path in result.sources)


def test_in_memory_files_are_translated_as_files_on_disk_are() -> None:
    files = {name: (CASE / name).read_text(encoding="utf-8") for name in ("main.precepts", "main.cy.po")}
    broken = dict(files, **{"main.cy.po": files["main.cy.po"].replace('msgstr "Parth un"', 'msgstr ""')})
    assert [d.code for d in check_files(files, "main.precepts").diagnostics] == []
    assert [d.code for d in check_files(broken, "main.precepts").diagnostics] == ["G001"]


def test_a_translation_is_found_by_the_framework_name_and_folder_only() -> None:
    names = ["main.cy.po", "main.gd.po", "other.cy.po", "sub/main.cy.po", "main.cy.po.bak", "main.CY!.po"]
    assert translation_names("main.precepts", names) == [("cy", "main.cy.po"), ("gd", "main.gd.po")]
    assert translation_names("sub/main.precepts", names) == [("cy", "sub/main.cy.po")]


def test_a_file_not_utf8_or_of_an_unknown_language_is_reported_not_raised(tmp_path: Path) -> None:
    framework = (CASE / "main.precepts").read_text(encoding="utf-8")
    (tmp_path / "main.precepts").write_text(framework, encoding="utf-8")
    (tmp_path / "main.cy.po").write_bytes('msgctxt "x"\nmsgid "a"\nmsgstr "\u0175"\n'.encode("latin-1", "replace") + b"\xff\n")
    (tmp_path / "main.qqq.po").write_text('msgctxt "x"\nmsgid "a"\nmsgstr "b"\n', encoding="utf-8")
    result = check_path(tmp_path / "main.precepts")
    found = sorted((d.code, Path(d.span.file).name, d.span.line, d.span.column) for d in result.diagnostics if d.span)
    assert found == [("G004", "main.cy.po", 4, 1), ("G004", "main.qqq.po", 1, 1)]


def test_numbers_and_bracketed_letters_are_what_a_translation_keeps() -> None:
    assert marks("Are at least 2 of 3 (a) met by 1.3.2a, 50% and 2,000?") == marks(
        "A yw 2,000, 50%, 1.3.2a a (a) yn cwrdd ag o leiaf 2 o 3?"
    )
    assert marks("see 1.1.1a") != marks("gweler 1.1.1b")
    assert marks("a) one") == marks("a) un")  # a prompt's own letter is not written in its text


def test_the_shipped_frameworks_have_no_translations() -> None:
    # No invented Welsh: a translation of a shipped framework must come from a published one.
    assert sorted(FRAMEWORKS.rglob("*.po")) == []


def test_the_compiled_json_carries_each_language_and_its_schema_accepts_it() -> None:
    from jsonschema import Draft202012Validator

    from precepts.core.formats import COMPILED_FRAMEWORK
    from precepts.renderers.compiled import framework_document

    validator = Draft202012Validator(COMPILED_FRAMEWORK.schema())
    result = check_path(CHECK_FIXTURES / "G002" / "fail" / "main.precepts")
    assert result.framework is not None
    document = json.loads(json.dumps(framework_document(result.framework)))
    validator.validate(document)
    welsh = document["translations"]["cy"]
    assert (welsh["name"], welsh["file"].rsplit("/", 1)[-1]) == ("Welsh", "main.cy.po")
    texts = welsh["texts"]
    # In the order written; the entry for a text no longer in the framework is left out.
    assert list(texts) == ["domain-one", "leadership", "leadership@pdu", "leadership.1", "leadership.1a", "leadership.1b"]
    assert texts["leadership.1a"]["current"] is False  # its English has changed
    assert texts["leadership.1"]["current"] is False  # marked fuzzy
    assert texts["leadership.1b"] == {"text": "A yw o leiaf 2 o'r 3 blaenoriaeth wedi'u bodloni?", "current": True}
    # A wrong language table is refused by the schema.
    document["translations"]["cy"]["texts"]["leadership"] = {"text": "Arweinyddiaeth"}
    assert not validator.is_valid(document)


def test_an_english_only_framework_compiles_as_before() -> None:
    from precepts.renderers.compiled import framework_document

    result = check_path(CHECK_FIXTURES / "T003" / "pass" / "main.precepts")
    assert result.framework is not None and result.framework.translations == ()
    assert "translations" not in framework_document(result.framework)


def test_the_build_gives_the_form_and_xlsform_in_each_language(tmp_path: Path) -> None:
    """The XLSForm has `label::Welsh (cy)` next to the English, which pyxform turns into an
    XForm with both languages and no warning; the JSON form carries the translations."""
    from jsonschema import Draft202012Validator
    from test_build_fixtures import REPO_ROOT, build_in, read_json
    from test_build_forms import xform

    from precepts.core.formats import FORM

    result = build_in(REPO_ROOT, tmp_path, TRANSLATED.relative_to(REPO_ROOT))
    assert result.exit_code == 0, result.stderr
    form = read_json(tmp_path / "welsh-fixture" / "pdu" / "case-assessment.form.json")
    Draft202012Validator(FORM.schema()).validate(form)
    assert form["translations"]["cy"]["texts"]["leadership.1b"]["text"] == "A yw o leiaf 2 o'r 3 blaenoriaeth wedi'u bodloni?"
    document = xform(tmp_path / "welsh-fixture" / "pdu" / "case-assessment.xlsx")
    languages = re.findall(r'<translation lang="([^"]+)"( default="true\(\)")?>', document)
    assert languages == [("English (en)", ' default="true()"'), ("Welsh (cy)", "")]
    welsh = document[document.index('lang="Welsh (cy)"'):]
    welsh = welsh[: welsh.index("</translation>")]
    assert "<value>1.1 Arweinyddiaeth</value>" in welsh
    assert "<value>b) A yw o leiaf 2 o'r 3 blaenoriaeth wedi'u bodloni?</value>" in welsh
    assert "<value>Mae arweinyddiaeth y sefydliad" in welsh  # the standard's text at the level
    assert "<value>Case reference</value>" in welsh  # precepts' own words have no Welsh: English stands
    english = document[document.index('lang="English (en)"'):]
    assert "<value>b) Are at least 2 of the 3 priorities met?</value>" in english[: english.index("</translation>")]


def test_rating_explanations_stay_english_and_say_so_for_a_translated_framework(tmp_path: Path) -> None:
    """Explanations are precepts' own sentences, which have no Welsh: asked for Welsh, the
    output is the English, whole, with a note saying so, and no Welsh heading inside it."""
    from support import invoke, no_traceback

    source = tmp_path / "input.json"
    source.write_text('{"units": [{"unit": "North", "questions": {"1.1.1": {"sufficient": 6, "inspected": 10}}}]}',
                      encoding="utf-8")
    english = invoke("rate", TRANSLATED, "--input", source)
    welsh = invoke("rate", TRANSLATED, "--input", source, "--language", "cy")
    for result in (english, welsh):
        no_traceback(result)
        assert result.exit_code == 0, result.output
    lines = welsh.stdout.splitlines()
    assert lines[1].startswith("Note: The ratings and their explanations are in English: precepts' own words have "
                               "no Welsh (cy) yet")
    # Apart from the note, exactly the English output: no Welsh put into English sentences.
    assert "\n".join(lines[:1] + lines[2:]) + "\n" == english.stdout
    assert "Arweinyddiaeth" not in welsh.stdout and "1.1 Leadership: Good" in welsh.stdout
    assert invoke("rate", TRANSLATED, "--input", source, "--language", "en").stdout == english.stdout
    # JSON stays the versioned document; the note goes to standard error.
    as_json = invoke("rate", TRANSLATED, "--input", source, "--language", "cy", "--format", "json")
    assert as_json.stdout == invoke("rate", TRANSLATED, "--input", source, "--format", "json").stdout
    assert "explanations are in English" in as_json.stderr
    # A language the framework has no translation into is a usage error.
    unknown = invoke("rate", TRANSLATED, "--input", source, "--language", "fr")
    assert unknown.exit_code == 2
    assert "welsh-fixture has no translation into 'fr' (its languages: en, en-GB, cy)" in unknown.stderr


def test_check_watch_reacts_to_a_translation_file() -> None:
    from precepts.cli.watch import _watched

    assert _watched(None, "/frameworks/hmip-adult-2021.cy.po")
    assert _watched(None, "/frameworks/hmip-adult-2021.precepts")
    assert not _watched(None, "/frameworks/notes.txt")


# ---- reading one PO file: what is reported, and where --------------------------------------------


def test_a_file_named_like_a_translation_but_of_another_kind_is_not_one() -> None:
    names = ["main.cy.txt", "main.cy.po", "mainly.cy.po", "main..po", "xxxxxgd.po"]
    assert translation_names("main.precepts", names) == [("cy", "main.cy.po")]


def test_an_entrys_places_are_its_msgid_and_msgstr_lines_whole() -> None:
    data = b'# a comment\nmsgctxt "leadership"\nmsgid "Leadership"\nmsgstr "Arweinyddiaeth"\n'
    translation, _, problem = read_translation("cy", "f.cy.po", data)
    assert problem is None and translation is not None
    (entry,) = translation.entries
    assert (entry.span.line, entry.span.column, entry.span.end_column) == (3, 1, len('msgid "Leadership"') + 1)
    assert (entry.text_span.line, entry.text_span.end_column) == (4, len('msgstr "Arweinyddiaeth"') + 1)


def test_a_file_not_utf8_names_the_byte_and_its_line() -> None:
    _, _, problem = read_translation("cy", "f.cy.po", b'msgctxt "x"\nmsgid "a"\nmsgstr "\xff"\n')
    assert problem is not None and problem.span is not None
    assert (problem.code, problem.message, problem.span.line, problem.span.column) == (
        "G004", "f.cy.po is not UTF-8 text (byte 31)", 3, 1)


def test_a_line_that_is_not_of_a_po_file_is_shown_and_underlined() -> None:
    wrong = "msgstr Parth un, " + "a" * 70
    _, _, problem = read_translation("cy", "f.cy.po", f'msgctxt "x"\nmsgid "a"\n{wrong}\n'.encode())
    assert problem is not None and problem.span is not None
    assert problem.message == f"f.cy.po:3 is not a line of a gettext PO file: {wrong[:60]!r}"
    assert (problem.span.line, problem.span.column, problem.span.end_column) == (3, 1, len(wrong) + 1)


def test_po_lines_in_an_order_gettext_does_not_accept_are_reported() -> None:
    _, source, problem = read_translation("cy", "f.cy.po", b'msgid "a"\nmsgid "b"\nmsgstr "c"\n')
    assert problem is not None and problem.code == "G004"
    assert problem.message.startswith("f.cy.po is not a gettext PO file: ")
    assert problem.span is not None and (problem.span.line, problem.span.column) == (1, 1)  # Babel does not say where
    assert source is not None  # the file is still shown with the finding


@pytest.mark.parametrize(("readable", "unreadable"), [("cy", "gd"), ("gd", "cy")])
def test_a_translation_file_that_cannot_be_read_is_reported_and_the_others_attached(readable: str, unreadable: str) -> None:
    framework = check_path(CASE / "main.precepts").framework
    assert framework is not None
    po = (CASE / "main.cy.po").read_bytes()
    files = {f"main.{readable}.po": po, f"main.{unreadable}.po": None}
    attached, problems, sources = attach(framework, "main.precepts", list(files), files.get, lambda name: name)
    assert [(d.code, d.message) for d in problems] == [("G004", f"main.{unreadable}.po could not be read")]
    assert problems[0].span is not None and (problems[0].span.line, problems[0].span.column) == (1, 1)
    assert [t.language for t in attached.translations] == [readable] and list(sources) == [f"main.{readable}.po"]
