"""Checks on a framework's translations (issue 16 §3): every text translated, none out of
date, and the numbers and letters of each translation those of its English.

The translations are the PO files beside the framework (precepts.compiler.translations).
A framework with none is not checked: English alone is complete.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from precepts.compiler import model as m
from precepts.compiler.translations import SourceText, source_texts
from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic, Related
from precepts.validators.registry import check

# What a translation must keep as written: numbers (1.3.2a, 50%, 2,000, 10) and bracketed
# letters of lists, (a) and (iv). Number words ("two", "dau") are the translator's to choose.
_MARKS = re.compile(r"\d+(?:[.,]\d+)*[a-z]?%?|\((?:[a-z]|[ivx]+)\)")


def marks(text: str) -> Counter[str]:
    return Counter(_MARKS.findall(text))


def _entry(text: m.TranslatedText) -> str:
    return f'msgctxt "{text.key}"'


@check(Code.MISSING_TRANSLATION)
def missing_translations(framework: m.Framework) -> Iterator[Diagnostic]:
    if not framework.translations:
        return
    texts = source_texts(framework)
    for translation in framework.translations:
        given = {entry.key for entry in translation.entries if entry.text.strip()}
        for source in texts:
            if source.key not in given:
                yield Code.MISSING_TRANSLATION(
                    f"{source.number} has no {translation.name} ({translation.language}) translation "
                    f"in {translation.file}",
                    source.span,
                    help=f'add an entry: msgctxt "{source.key}", msgid the English as written, msgstr the {translation.name}',
                    subjects=(source.subject,),
                )


def _indexed(framework: m.Framework) -> tuple[dict[str, SourceText], dict[str, list[SourceText]]]:
    """The framework's texts by key, and by their English (one English may stand at several keys)."""
    texts = source_texts(framework)
    by_text: dict[str, list[SourceText]] = {}
    for s in texts:
        by_text.setdefault(s.text, []).append(s)
    return {s.key: s for s in texts}, by_text


def _written_for(entry: m.TranslatedText, by_text: dict[str, list[SourceText]]) -> SourceText | None:
    """The other text whose English an entry's msgid is, when it is filed under the wrong key."""
    return next((s for s in by_text.get(entry.source, ()) if s.key != entry.key), None)


@check(Code.OUTDATED_TRANSLATION)
def outdated_translations(framework: m.Framework) -> Iterator[Diagnostic]:
    if not framework.translations:
        return
    by_key, by_text = _indexed(framework)
    for translation in framework.translations:
        for entry in translation.entries:
            source = by_key.get(entry.key)
            if source is None:
                if _written_for(entry, by_text) is None:
                    yield Code.OUTDATED_TRANSLATION(
                        f"{_entry(entry)} in {translation.file} names no text of the framework",
                        entry.span,
                        help="remove the entry if its text is gone, or correct the id in msgctxt",
                    )
            elif entry.source != source.text:
                if _written_for(entry, by_text) is None:
                    yield Code.OUTDATED_TRANSLATION(
                        f"the {translation.name} of {source.number} translates English that has since changed",
                        entry.span,
                        help=f"review the translation, then set msgid to the English as it now is: {source.text!r}",
                        related=(Related(source.span, "the English as it now is"),),
                        subjects=(source.subject,),
                    )
            elif entry.fuzzy and entry.text.strip():
                yield Code.OUTDATED_TRANSLATION(
                    f"the {translation.name} of {source.number} is marked fuzzy (to be reviewed)",
                    entry.span,
                    help="review the translation and remove the 'fuzzy' flag",
                    related=(Related(source.span, "the English"),),
                    subjects=(source.subject,),
                )


@check(Code.TRANSLATION_NUMBERING)
def translation_numbering(framework: m.Framework) -> Iterator[Diagnostic]:
    if not framework.translations:
        return
    by_key, by_text = _indexed(framework)
    for translation in framework.translations:
        for entry in translation.entries:
            source = by_key.get(entry.key)
            if source is None or entry.source != source.text:
                other = _written_for(entry, by_text)
                if other is not None and entry.text.strip():
                    filed = source.number if source is not None else entry.key
                    yield Code.TRANSLATION_NUMBERING(
                        f"the {translation.name} filed under {filed} ({entry.key}) was written for "
                        f"{other.number} ({other.key}): its msgid is the English of {other.number}",
                        entry.span,
                        help=f'move it to the entry with msgctxt "{other.key}"',
                        related=(Related(other.span, f"the English of {other.number}"),),
                        subjects=(other.subject,),
                    )
                continue
            if not entry.text.strip():
                continue
            english, translated = marks(source.text), marks(entry.text)
            if english != translated:
                missing = sorted((english - translated).elements())
                extra = sorted((translated - english).elements())
                said = "; ".join(part for part in (
                    f"the English has {', '.join(missing)}" if missing else "",
                    f"the {translation.name} has {', '.join(extra)}" if extra else "",
                ) if part)
                yield Code.TRANSLATION_NUMBERING(
                    f"the {translation.name} of {source.number} does not give the numbers and letters "
                    f"of its English: {said}",
                    entry.text_span,
                    help="write the numbers and bracketed letters as the English has them",
                    related=(Related(source.span, "the English"),),
                    subjects=(source.subject,),
                )
