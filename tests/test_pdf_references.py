"""The cache of pydyf's page references during a render (renderers/consultation/pdf.py,
`_page_references_cached`, issue 15): the PDF is the same bytes with it as without it, the
cached references follow pages added after a read, and pydyf is left as it was."""

from __future__ import annotations

import io
import threading

from test_build_documents import needs_pdf

# Several pages, each with headings, a list, a table and a link: every kind of element
# WeasyPrint's tagging asks a page reference for.
_SECTION = """
<h2 id="s{n}">Section {n}</h2>
<p>Paragraph {n} of the page, long enough to wrap across the line at least once or twice over.</p>
<ul><li>first item {n}</li><li>second item {n}, <a href="#s0">back to the start</a></li></ul>
<table><caption>Table {n}</caption><tr><th>Head</th><th>Other</th></tr><tr><td>{n}</td><td>cell</td></tr></table>
<div style="break-after: page"></div>
"""
PAGE = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Pages</title></head><body>'
    "<h1>Pages</h1>" + "".join(_SECTION.format(n=n) for n in range(6)) + "</body></html>"
)


def test_the_pdf_is_the_same_bytes_with_the_cache_as_without_it() -> None:
    needs_pdf()
    import pypdf
    import weasyprint

    from precepts.renderers.consultation import pdf

    cached = pdf.html_to_pdf.__wrapped__(PAGE)
    assert len(pypdf.PdfReader(io.BytesIO(cached)).pages) >= 6
    with pdf._fixed_font_dates():  # the render without the cache, under the same fixed font dates
        stylesheet = (pdf.resources.files("precepts.core") / "static" / pdf.PRINT_STYLESHEET).read_text("utf-8")
        plain = weasyprint.HTML(string=PAGE, base_url=None, media_type="print").write_pdf(
            stylesheets=[weasyprint.CSS(string=stylesheet)], pdf_variant="pdf/ua-1", pdf_identifier=True
        )
    assert cached == plain


def test_the_cached_references_follow_pages_added_after_a_read_and_pydyf_is_restored() -> None:
    needs_pdf()
    import pydyf

    from precepts.renderers.consultation.pdf import _page_references_cached

    original = pydyf.PDF.__dict__["page_references"]
    document = pydyf.PDF()
    with _page_references_cached():
        assert pydyf.PDF.__dict__["page_references"] is not original
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
        first = document.page_references
        assert document.page_references is first, "read again, the same tuple, not a new one"
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert document.page_references == original.fget(document)
        assert len(document.page_references) == 2
    assert pydyf.PDF.__dict__["page_references"] is original
    assert pydyf.PDF().page_references == ()


def test_renders_in_two_threads_give_the_bytes_of_one() -> None:
    needs_pdf()
    from precepts.renderers.consultation.pdf import html_to_pdf

    alone = html_to_pdf.__wrapped__(PAGE)
    results: list[bytes] = []
    threads = [threading.Thread(target=lambda: results.append(html_to_pdf.__wrapped__(PAGE))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [alone, alone]
