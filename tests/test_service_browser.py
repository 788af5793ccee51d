"""The authoring page in a real browser (Debian's chromium via playwright) against a real
`precepts serve --edit` process: type a fault and see the squiggle and the problem, fix
it, see the preview change, save, keep a draft across a reload, meet a conflict, and
pass axe-core (WCAG 2.2 AA) using the keyboard alone."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from service_support import ADULT, framework_repository, running_server

CHROMIUM = os.environ.get("PRECEPTS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package", pytrace=False)
    pytest.skip("chromium is not installed (apt-get install chromium), so the page cannot be tested",
                allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402
from test_build_browser import CHROMIUM_ARGS, WCAG_22_AA, axe_script  # noqa: E402

FAULT = "standrd 9.9 Broken"


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return framework_repository(tmp_path_factory.mktemp("edited"))


@pytest.fixture(scope="module")
def server(repository: Path) -> Iterator[str]:
    with running_server(repository, "frameworks", "--edit") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: Any, server: str) -> Iterator[Page]:
    # The page's policy forbids inline and evaluated script; the test lifts it to inject
    # axe-core and to wait on the page's state (test_service_edit.py checks the policy).
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, bypass_csp=True)
    opened = context.new_page()
    opened.on("dialog", lambda dialog: dialog.accept())
    opened.goto(f"{server}/edit/{ADULT}")
    expect(opened.locator("#status")).to_contain_text("Loaded", timeout=30_000)
    yield opened
    context.close()


def source_file(repository: Path) -> Path:
    return repository / "frameworks" / f"{ADULT}.precepts"


def editor_text(page: Page) -> str:
    return str(page.evaluate("document.querySelector('.cm-content').cmView.view.state.doc.toString()"))


def go_to_line(page: Page, line: int) -> None:
    page.locator(".cm-content").focus()
    page.keyboard.press("Control+Home")
    for _ in range(line - 1):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("End")


def test_type_a_fault_see_it_fix_it_preview_and_save(page: Page, repository: Path) -> None:
    lines = source_file(repository).read_text(encoding="utf-8").splitlines()
    title_line = next(n for n, line in enumerate(lines, 1) if line.startswith("title:"))
    expect(page.locator("#preview-status")).to_have_text("Up to date.", timeout=30_000)

    go_to_line(page, len(lines))
    page.keyboard.press("Enter")
    page.keyboard.type(FAULT)
    expect(page.locator(".cm-lintRange-error").first).to_be_visible(timeout=15_000)
    problem = page.locator("#problems li", has_text=f"line {len(lines) + 1}").first
    expect(problem).to_be_visible()
    assert "help:" in problem.inner_text() or problem.locator("details").count() == 1
    problem.locator("details summary").click()
    expect(problem.locator("details p")).not_to_be_empty(timeout=10_000)

    problem.locator("button.jump").click()
    cursor_line = page.evaluate("(() => { const v = document.querySelector('.cm-content').cmView.view;"
                                " return v.state.doc.lineAt(v.state.selection.main.head).number; })()")
    assert cursor_line == len(lines) + 1, "clicking a problem moves to its line"

    page.keyboard.press("Home")
    page.keyboard.press("Shift+End")
    page.keyboard.type("# fixed")
    expect(page.locator(f"#problems li:has-text('line {len(lines) + 1}')")).to_have_count(0, timeout=15_000)
    expect(page.locator(".cm-lintRange-error")).to_have_count(0)

    go_to_line(page, title_line)
    page.keyboard.type(" (edited)")
    page.wait_for_function("document.getElementById('preview').srcdoc.includes('(edited)')", timeout=30_000)
    page.wait_for_function("document.getElementById('redline').srcdoc.includes('edited')", timeout=60_000)

    page.keyboard.press("Control+s")
    expect(page.locator("#status")).to_contain_text("Saved", timeout=15_000)
    saved = source_file(repository).read_text(encoding="utf-8")
    assert "(edited)" in saved.splitlines()[title_line - 1] and saved.rstrip().endswith("# fixed")


def test_an_unsaved_draft_survives_a_reload_and_leaving_warns(page: Page) -> None:
    go_to_line(page, 1)
    page.keyboard.type(" # my draft")
    expect(page.locator("#status")).to_contain_text("Draft kept", timeout=10_000)
    page.reload()
    expect(page.locator("#status")).to_contain_text("Restored your unsaved draft", timeout=30_000)
    assert editor_text(page).splitlines()[0].endswith(" # my draft")
    # Browsers ask before leaving only a page the user has interacted with since it loaded
    # (Chromium's "sticky activation"); without a click here the reload left none, and
    # whether the dialog came depended on timing.
    page.locator(".cm-content").click()
    with page.expect_event("dialog") as warning:
        page.close(run_before_unload=True)
    assert warning.value.type == "beforeunload"


def test_a_conflict_shows_both_versions(page: Page, repository: Path) -> None:
    page.locator("#discard").click()
    file = source_file(repository)
    theirs = file.read_text(encoding="utf-8") + "# their change\n"
    file.write_text(theirs, encoding="utf-8")
    go_to_line(page, 1)
    page.keyboard.type(" # mine")
    page.locator("#save").click()
    expect(page.locator("#conflict")).to_be_visible(timeout=15_000)
    assert page.locator("#conflict-theirs").input_value() == theirs
    assert " # mine" in page.locator("#conflict-mine").input_value()
    assert file.read_text(encoding="utf-8") == theirs
    page.locator("#take-theirs").click()
    expect(page.locator("#conflict")).to_be_hidden()
    assert editor_text(page) == theirs


def test_keyboard_alone_and_axe_core(page: Page) -> None:
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "save"
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('cm-content')"):
            break
    assert page.evaluate("document.activeElement.classList.contains('cm-content')"), "the editor is reachable"
    page.keyboard.press("Tab")
    assert not page.evaluate("document.activeElement.classList.contains('cm-content')"), "Tab leaves the editor"
    page.add_script_tag(content=axe_script())
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]]
    assert violations == []
    assert len(results["passes"]) >= 15, "axe ran its rules"
