"""The consultation page in a real browser: Debian's chromium, driven by playwright.

One page load serves axe-core (no violation of WCAG 2.2 AA), a screenshot (the content
is visible) and printing to PDF (A4 pages that break sanely). The tests are skipped only
when no chromium is installed, and never in CI, whose .ci/run installs it.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import zlib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from test_build_fixtures import HOSTILE_PROMPT, hostile_build, shipped_build

CHROMIUM = os.environ.get("PRECEPTS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package", pytrace=False)
    pytest.skip("chromium is not installed (sudo apt-get install chromium, or set PRECEPTS_CHROMIUM to a chromium binary), so the consultation page cannot be rendered",
                allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORT = {"width": 1024, "height": 1400}
A4_PRINTABLE_WIDTH = 680  # CSS pixels: 210 mm less the page's 15 mm margins, at 96 dpi


def axe_script() -> str:
    """axe-core, as vendored by the axe-playwright-python test extra."""
    return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def page(browser: Any) -> Iterator[Page]:
    # The page's own policy forbids every script; the test lifts it to inject axe-core.
    context = browser.new_context(bypass_csp=True, viewport=VIEWPORT)
    opened = context.new_page()
    opened.goto((shipped_build() / "hmip-adult-2021" / "consultation.html").as_uri())
    yield opened
    context.close()


def test_axe_core_finds_no_wcag_22_aa_violation(page: Page) -> None:
    page.add_script_tag(content=axe_script())
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA,
    )
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]]
    assert violations == []
    assert len(results["passes"]) >= 20, "axe ran its rules"


@pytest.mark.parametrize("page_path", [
    "hmip-probation-2017-draft/consultation.html",
    "hmip-domain-one-characteristics-2018/consultation.html",
    "hmip-adult-2021/changes/from-hmip-probation-2017-draft.html",
])
def test_axe_core_finds_no_violation_on_the_other_published_pages(browser: Any, page_path: str) -> None:
    """The other frameworks' pages and the 2017 → 2021 change notice, which the build also publishes."""
    context = browser.new_context(bypass_csp=True, viewport=VIEWPORT)
    try:
        opened = context.new_page()
        opened.goto((shipped_build() / page_path).as_uri())
        opened.add_script_tag(content=axe_script())
        font = opened.evaluate("getComputedStyle(document.body).fontFamily")
        results = opened.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA,
        )
    finally:
        context.close()
    assert font.lower().startswith("arial"), "the page's own stylesheet applies"
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]]
    assert violations == []
    assert len(results["passes"]) >= 15, "axe ran its rules"


@pytest.mark.parametrize("page_name", ["consultation.html", "consultation.cy.html"])
def test_axe_core_finds_no_violation_on_a_translated_framework_s_pages(browser: Any, page_name: str) -> None:
    """Both language versions of the Welsh fixture's page: axe checks the lang attributes
    (html-has-lang, html-lang-valid, valid-lang) and the language switch's links."""
    from test_build_languages import FOLDER, welsh_build

    context = browser.new_context(bypass_csp=True, viewport=VIEWPORT)
    try:
        opened = context.new_page()
        opened.goto((welsh_build() / FOLDER / page_name).as_uri())
        opened.add_script_tag(content=axe_script())
        results = opened.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA,
        )
    finally:
        context.close()
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]]
    assert violations == []
    passed = {rule["id"] for rule in results["passes"]}
    assert {"html-has-lang", "html-lang-valid", "valid-lang"} <= passed


def png_pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and the raw (filtered) scanlines of a PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, data, width, height = 8, b"", 0, 0
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        chunk = png[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            data += chunk
        position += 12 + length
    return width, height, zlib.decompress(data)


def test_a_screenshot_shows_the_content(page: Page, tmp_path: Path) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    heading = page.locator("h1")
    assert heading.is_visible()
    assert heading.inner_text().startswith("Consultation on the future of adult inspections")
    box = heading.bounding_box()
    assert box is not None and 0 <= box["y"] < VIEWPORT["height"] and box["height"] > 30
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).color") == "rgb(11, 12, 12)"
    prompt = page.locator("#prompt-implementation-and-delivery\\.1d")
    prompt.scroll_into_view_if_needed()
    assert prompt.is_visible() and "Post-custody cases only" in prompt.inner_text()
    screenshot = page.screenshot(path=tmp_path / "consultation.png")
    width, height, pixels = png_pixels(screenshot)
    assert (width, height) == (VIEWPORT["width"], VIEWPORT["height"])
    assert len(set(pixels)) > 50, "the screenshot is not blank"


def test_printing_gives_a4_pages_that_break_sanely(page: Page, tmp_path: Path) -> None:
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    (tmp_path / "consultation.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert 15 <= pages <= 60, pages
    assert re.search(rb"/MediaBox\s*\[\s*0 0 59[45](\.\d+)? 84[12]", pdf), "A4 pages"
    try:
        page.emulate_media(media="print")
        page.set_viewport_size({"width": A4_PRINTABLE_WIDTH, "height": 1000})
        layout = page.evaluate("""() => ({
            overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            sections: [...document.querySelectorAll('.app-section')].map(e => getComputedStyle(e).breakBefore),
            questions: [...new Set([...document.querySelectorAll('.app-key-question, .app-consultation-question')]
                .map(e => getComputedStyle(e).breakInside))],
            headings: [...new Set([...document.querySelectorAll('h2, h3, h4, h5')].map(e => getComputedStyle(e).breakAfter))],
            rows: [...new Set([...document.querySelectorAll('tr')].map(e => getComputedStyle(e).breakInside))],
        })""")
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size(VIEWPORT)
    assert layout["overflow"] <= 0, "nothing is cut off at the right edge of an A4 page"
    assert set(layout["sections"]) == {"page"}, "each domain and annex starts a page"
    assert layout["questions"] == ["avoid"], "no key question or consultation question is split"
    assert layout["headings"] == ["avoid"], "no heading is left at the foot of a page"
    assert layout["rows"] == ["avoid"], "no table row is split"


def test_markup_from_a_framework_does_not_run(browser: Any) -> None:
    context = browser.new_context()
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.goto((hostile_build() / "hostile-demo" / "consultation.html").as_uri())
    try:
        assert dialogs == []
        assert opened.evaluate("document.scripts.length + document.images.length + frames.length") == 0
        assert HOSTILE_PROMPT in opened.inner_text("body")
    finally:
        context.close()
