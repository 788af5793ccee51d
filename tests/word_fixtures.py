"""The small Word framework that the import fixtures (tests/fixtures/checks/I0*/…/document.py)
start from, made with python-docx when the fixture test runs: each fixture adds or changes
only what its code is about."""

from __future__ import annotations

import io
from typing import Any

# (text, style) of each paragraph; a style of None is a plain paragraph.
FRAMEWORK: tuple[tuple[str, str | None], ...] = (
    ("Fixture framework", "Title"),
    ("Domain 1: Domain one", "Heading 1"),
    ("Standard 1.1 Court work", "Heading 2"),
    ("The advice to court supports its decisions.", None),
    ("1.1.1 Is the advice to court sufficiently analytical?", None),
    ("a) Does the advice consider the likelihood of reoffending?", None),
)


def framework_document(paragraphs: tuple[tuple[str, str | None], ...] = FRAMEWORK) -> Any:
    """A python-docx Document holding `paragraphs`."""
    import docx

    document = docx.Document()
    for text, style in paragraphs:
        document.add_paragraph(text, style)
    return document


def saved(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
