"""The consultation document as a tagged, accessible PDF (PDF/UA-1), made by WeasyPrint
from the HTML page itself, so the two say the same (issue 16 §2).

WeasyPrint tags the PDF from the page's own structure (headings, lists, tables with
their header cells), takes the language from <html lang>, and makes the bookmarks from
the headings (consultation-pdf.css says which). Byte for byte the same for the same page:
the page gives no creation date, so WeasyPrint writes none, and the file identifier is
the hash of the document (pdf_identifier=True) rather than a random one, and the fonts
it embeds carry a fixed date rather than the moment of the build (see `_fixed_font_dates`).

WeasyPrint needs the Pango libraries of the operating system (Debian: libpango-1.0-0,
libpangoft2-1.0-0) and fonts; without them, `pdf_unavailable()` says why.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from importlib import resources

from precepts.compiler import model as m

PRINT_STYLESHEET = "consultation-pdf.css"

# 1 January 2000: any fixed moment will do; it only has to be the same in every build.
FONT_DATE_EPOCH = "946684800"
_font_date_lock = threading.Lock()


@contextmanager
def _fixed_font_dates() -> Iterator[None]:
    """fontTools stamps the current second into the 'head' table of every font subset it
    saves, so two builds a second apart gave different PDFs. It reads the moment from
    SOURCE_DATE_EPOCH when that is set (the reproducible-builds convention), so set it,
    under a lock because the environment is shared by the service's threads."""
    with _font_date_lock:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = FONT_DATE_EPOCH
        try:
            yield
        finally:
            if before is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before


_CACHED_REFERENCES = "_precepts_page_references"  # where a PDF object keeps them while cached


@contextmanager
def _page_references_cached() -> Iterator[None]:
    """pydyf's `PDF.page_references` (pydyf 0.13) is a property that makes the reference of
    every page anew on each read, and WeasyPrint's PDF tagging (weasyprint/pdf/tags.py,
    needed for PDF/UA) reads it once per tagged element: a cost of elements × pages, 9% of a
    10,000-prompt build (issue 15). While this is in force each PDF object keeps the tuple
    it computed, and computes it again only when its page list has changed, which pydyf
    does only by appending (`PDF.add_page`); the tuple is equal to the one pydyf makes, so
    the bytes are the same (tests/test_pdf_references.py).

    Scoped to our render call: installed and removed under the lock `_fixed_font_dates`
    holds, so that two renders never overlap, and a PDF that other code makes meanwhile in
    another thread reads the same values as without it."""
    import pydyf  # type: ignore[import-untyped]

    original = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(original, property) or original.fget is None:  # another pydyf: leave it as it is
        yield
        return
    compute = original.fget

    def cached(pdf: object) -> tuple[bytes, ...]:
        kids = pdf.pages["Kids"]  # type: ignore[attr-defined]
        key = (id(kids), len(kids))
        held = pdf.__dict__.get(_CACHED_REFERENCES)
        if held is None or held[0] != key:
            held = (key, compute(pdf))
            pdf.__dict__[_CACHED_REFERENCES] = held
        references: tuple[bytes, ...] = held[1]
        return references

    pydyf.PDF.page_references = property(cached, doc=original.__doc__)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


@cache
def pdf_unavailable() -> str | None:
    """Why no PDF can be made here (WeasyPrint or its system libraries missing), or None."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:  # OSError: WeasyPrint is installed, Pango is not
        return f"{type(error).__name__}: {error}".splitlines()[0]
    return None


# A build makes each page once, but the tests build the same frameworks many times over;
# WeasyPrint takes seconds a page, and the PDF depends on nothing but the page.
@lru_cache(maxsize=8)
def html_to_pdf(html: str) -> bytes:
    import weasyprint

    stylesheet = (resources.files("precepts.core") / "static" / PRINT_STYLESHEET).read_text(encoding="utf-8")
    document = weasyprint.HTML(string=html, base_url=None, media_type="print")
    with _fixed_font_dates(), _page_references_cached():
        data: bytes = document.write_pdf(
            stylesheets=[weasyprint.CSS(string=stylesheet)],
            pdf_variant="pdf/ua-1",  # tagged (pdf_tags), with the PDF/UA identification in its metadata
            pdf_identifier=True,  # the hash of the document, not random bytes
        )
    return data


def render_pdf(framework: m.Framework, html: str | None = None) -> bytes:
    """The PDF of the consultation page (`html`, when the caller has already rendered it)."""
    from precepts.renderers.consultation.page import render_consultation

    return html_to_pdf(html if html is not None else render_consultation(framework))
