"""A framework's text in other languages: gettext PO files beside the framework (issue 16 §3).

English is the source language. A translation into another language is a PO file beside the
framework named after it and the language tag: `hmip-adult-2021.precepts` is translated into
Welsh by `hmip-adult-2021.cy.po`. PO is the format translators' tools already read and write
(Poedit, Weblate, Lokalise, OmegaT), so no new format is invented; Babel reads it.

Each entry is keyed by the stable id of the text in `msgctxt`, and its `msgid` is the English
text verbatim, as it was when translated:

    msgctxt "leadership.1a"
    msgid "Are staff, partners and other stakeholders sufficiently engaged?"
    msgstr "A yw staff, partneriaid a rhanddeiliaid eraill yn ymgysylltu'n ddigonol?"

so a change to the English leaves the msgid behind, and the translation shows as out of date.
The keys (see `source_texts`): a domain's, standard's, key question's or prompt's id for its
heading or text, and `STANDARD@LEVEL` for a standard's text at a level.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from precepts.compiler import model as m
from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic, Span
from precepts.core.sources import Source

SUFFIX = ".po"
# A BCP 47 language tag as a file name part: "cy", "cy-GB", "gd".
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


@dataclass(frozen=True, slots=True)
class SourceText:
    """One English text of the framework that a translation must give."""

    key: str  # the msgctxt of its translation
    subject: str  # the element's id, for waivers
    number: str  # its published number, for messages: 1.1.1a
    text: str
    span: Span


def source_texts(framework: m.Framework) -> tuple[SourceText, ...]:
    """Every text a translation gives, in the order written."""
    texts: list[SourceText] = []
    for domain in framework.domains:
        texts.append(SourceText(domain.id, domain.id, domain.number, domain.heading, domain.span))
        for standard in domain.standards:
            texts.append(SourceText(standard.id, standard.id, standard.number, standard.heading, standard.span))
            for level_text in standard.texts:
                texts.append(SourceText(
                    f"{standard.id}@{level_text.level}", standard.id,
                    f"{standard.number} ({level_text.level})", level_text.text, level_text.span,
                ))
            for question in standard.questions:
                texts.append(SourceText(question.id, question.id, question.number, question.text, question.span))
                for prompt in question.prompts:
                    texts.append(SourceText(prompt.id, prompt.id, prompt.number, prompt.text, prompt.span))
    return tuple(texts)


def translation_names(framework_name: str, names: Iterable[str]) -> list[tuple[str, str]]:
    """(language, name) of the translation files among `names` for a framework file, by name:
    `x.precepts` → `x.cy.po`. Sorted, so languages come in a stable order."""
    prefix = framework_name.removesuffix(".precepts") + "."
    found = []
    for name in names:
        if name.startswith(prefix) and name.endswith(SUFFIX):
            language = name[len(prefix):-len(SUFFIX)]
            if _LANGUAGE.fullmatch(language):
                found.append((language, name))
    return sorted(found)


def read_translation(language: str, shown: str, data: bytes) -> tuple[m.Translation | None, Source | None, Diagnostic | None]:
    """Read one PO file. A file that cannot be read is reported (G004), never raised."""
    from babel.core import Locale, UnknownLocaleError
    from babel.messages.pofile import PoFileError, read_po

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, None, Code.UNREADABLE_TRANSLATION(
            f"{shown} is not UTF-8 text (byte {error.start + 1})", Span.point(shown, line, 1),
            help="save the translation file as UTF-8, as translation tools do by default",
        )
    source = Source(shown, text, hashlib.sha256(data).hexdigest())
    malformed = _malformed_line(text)
    if malformed is not None:
        line, content = malformed
        return None, source, Code.UNREADABLE_TRANSLATION(
            f"{shown}:{line} is not a line of a gettext PO file: {content[:60]!r}",
            Span(shown, line, 1, line, len(content) + 1),
            help='each line is a comment (#), a keyword and a quoted text (msgid "..."), or a quoted text continuing the one above',
        )
    try:
        catalog = read_po(io.StringIO(text), abort_invalid=True)
    except PoFileError as error:
        line = getattr(error, "lineno", 1) or 1
        return None, source, Code.UNREADABLE_TRANSLATION(
            f"{shown} is not a gettext PO file: {error}", Span.point(shown, line, 1),
            help="open and save it in a translation tool (such as Poedit), or compare it with the README's example",
        )
    try:
        name = Locale.parse(language.replace("-", "_")).english_name or language
    except (UnknownLocaleError, ValueError):
        return None, None, Code.UNREADABLE_TRANSLATION(
            f"'{language}' in {shown} is not a language Babel knows", Span.point(shown, 1, 1),
            help="name the file FRAMEWORK.LANGUAGE.po with a language tag, such as cy for Welsh",
        )
    lines = text.splitlines()
    entries = []
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or message.context is None:
            continue  # the header; plural entries are not used by frameworks
        msgid_line = message.lineno or 1
        msgstr_line = next(
            (n for n in range(msgid_line, len(lines) + 1) if lines[n - 1].startswith("msgstr")), msgid_line,
        )
        entries.append(m.TranslatedText(
            key=message.context,
            source=message.id,
            text=message.string if isinstance(message.string, str) else "",
            fuzzy=message.fuzzy,
            span=_line_span(shown, lines, msgid_line),
            text_span=_line_span(shown, lines, msgstr_line),
        ))
    return m.Translation(language, name, shown, tuple(entries), source.sha256), source, None


# A PO file's lines: Babel reads `msgstr Parth un` as "arth u" without complaint, so each line
# is first checked to be one of these (the PO format, gettext manual §3.1).
_PO_LINE = re.compile(r'\s*(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+".*"|".*")?\s*')


def _malformed_line(text: str) -> tuple[int, str] | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if not _PO_LINE.fullmatch(line):
            return number, line
    return None


def _line_span(shown: str, lines: list[str], line: int) -> Span:
    width = len(lines[line - 1]) if 0 < line <= len(lines) else 1
    return Span(shown, line, 1, line, max(width, 1) + 1)


def attach(
    framework: m.Framework,
    framework_name: str,
    names: Iterable[str],
    read: Callable[[str], bytes | None],
    shown: Callable[[str], str],
) -> tuple[m.Framework, list[Diagnostic], dict[str, Source]]:
    """The framework with the translations found beside it, and what could not be read."""
    translations: list[m.Translation] = []
    problems: list[Diagnostic] = []
    sources: dict[str, Source] = {}
    for language, name in translation_names(framework_name, names):
        data = read(name)
        where = shown(name)
        if data is None:
            problems.append(Code.UNREADABLE_TRANSLATION(
                f"{where} could not be read", Span.point(where, 1, 1), help="check the file's permissions",
            ))
            continue
        translation, source, problem = read_translation(language, where, data)
        if problem is not None:
            problems.append(problem)
        if translation is not None:
            translations.append(translation)
        if source is not None:
            sources[where] = source
    if not translations:
        return framework, problems, sources
    return replace(framework, translations=tuple(translations)), problems, sources


def attach_beside(framework: m.Framework, path: Path, shown: Callable[[Path], str]) -> tuple[m.Framework, list[Diagnostic], dict[str, Source]]:
    """`attach` for a framework file on disk: the PO files in its folder."""
    folder = path.parent
    stem = path.name.removesuffix(".precepts")
    try:
        names = [p.name for p in folder.glob(f"{_glob_escape(stem)}.*{SUFFIX}") if p.is_file()]
    except OSError:
        names = []

    def read(name: str) -> bytes | None:
        try:
            return (folder / name).read_bytes()
        except OSError:
            return None

    return attach(framework, path.name, names, read, lambda name: shown(folder / name))


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)
