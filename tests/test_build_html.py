"""The consultation page: its content comes from the framework in the manner of the
published annexes, its rating rules are tables made from the rules, everything taken
from a framework is escaped, and the page needs nothing outside itself."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from support import FRAMEWORK_2021, compiled
from test_build_fixtures import HOSTILE_PROMPT, hostile_build, shipped_build

from precepts.core.styles import stylesheet
from precepts.renderers.consultation.page import STYLESHEET
from precepts.renderers.prose import band_range, grade_label


class Page(HTMLParser):
    """Elements, attributes, text, and the rows of every table, from a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_caption = False
        self._in_style = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "style":
            self._in_style = True
        elif tag == "caption":
            self._in_caption, self._caption = True, ""
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        elif tag == "caption":
            self._in_caption = False
            self.tables[self._caption or ""] = []
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._caption or ""].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_style:
            return
        self.text.append(data)
        if self._in_caption:
            self._caption = (self._caption or "") + data.strip()
        if self._cell is not None:
            self._cell.append(data)

    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def page_2021() -> Page:
    return Page((shipped_build() / "hmip-adult-2021" / "consultation.html").read_text(encoding="utf-8"))


def test_domains_standards_key_questions_and_prompts_in_the_published_manner(page_2021: Page) -> None:
    text = page_2021.plain()
    framework = compiled(FRAMEWORK_2021)
    for domain in framework.domains:
        assert f"Domain {domain.number}: {domain.heading}" in text
    for standard in framework.standards():
        assert f"Standard {standard.number}: {standard.heading}" in text
        for level_text in standard.texts:
            assert level_text.text in text
    for question in framework.questions():
        assert f"{question.number} {question.text}" in text
        for prompt in question.prompts:
            assert f"{prompt.letter}) {prompt.text}" in text
    # Published order: 2.4.1 comes after 2.3.3, its prompt d) after c).
    assert text.index("2.3.3 Does planning") < text.index("2.4.1 Is the sentence") < text.index("d) Post-custody")
    assert "Applies only where case type is post-custody." in text


def test_levels_are_shown_for_every_standard(page_2021: Page) -> None:
    text = page_2021.plain()
    assert "Regional standards to inform the regional contextual briefing" in text
    headings = [i for i, (tag, attrs) in enumerate(page_2021.tags) if tag == "h4" and (attrs.get("id") or "").startswith("standard-")]
    assert len(headings) == 8  # domain one's four standards, once per level
    level_rows = page_2021.tables["Levels of inspection"]
    assert [row[0] for row in level_rows[1:]] == [
        "Regional contextual briefing", "Probation Delivery Unit (PDU) inspection", "National reporting",
    ]
    framework = compiled(FRAMEWORK_2021)
    for row, level in zip(level_rows[1:], framework.levels, strict=True):
        questions = [q for s in framework.standards() if level.id in s.levels for q in s.questions if level.id in q.levels]
        prompts = [p for q in questions for p in q.prompts if level.id in p.levels]
        standards = [s for s in framework.standards() if level.id in s.levels]
        assert row[1:] == [str(len(standards)), str(len(questions)), str(len(prompts))]


def test_consultation_questions_are_placed_where_they_belong() -> None:
    html = (shipped_build() / "hmip-adult-2021" / "consultation.html").read_text(encoding="utf-8")
    framework = compiled(FRAMEWORK_2021)
    summary = html.index('id="consultation-questions"')
    outcomes = html.index('id="standard-person-on-probation-outcomes"')
    victims = html.index('id="standard-statutory-victim-work"')
    diversity = html.index('id="judgement-diversity"')
    for question in framework.consultation_questions:
        escaped = question.text.replace("'", "&#39;")
        placed = html.index(escaped)
        assert html.count(escaped) == 2, question.text  # where it belongs, and in the summary
        assert placed < summary
        if question.subject == "person-on-probation-outcomes":
            assert outcomes < placed < victims
        elif question.subject == "diversity":
            assert diversity < placed
        else:  # about the framework as a whole: under "About this framework"
            assert placed < html.index('id="domain-domain-one"')
    numbers = re.findall(r"Consultation question (\d+)</p>", html)
    assert numbers == [str(n) for n in range(1, len(framework.consultation_questions) + 1)]


def test_the_rating_rules_are_tables_made_from_the_rules(page_2021: Page) -> None:
    framework = compiled(FRAMEWORK_2021)
    [banding] = framework.bandings
    rows = page_2021.tables[banding.name]
    assert rows[0] == ["Lowest banding (key question level)", "Rating (standard)"]
    assert rows[1:] == [[f"{b.label}: {band_range(b)}", grade_label(framework, b.grade)] for b in banding.bands]
    assert rows[1:] == [  # as published in 2017 §4.8 and 2021 §4.13
        ["Minority: below 50%", "Inadequate"],
        ["Too few: 50% to 64%", "Requires improvement"],
        ["Reasonable majority: 65% to 79%", "Good"],
        ["Large majority: 80% and above", "Outstanding"],
    ]
    hurdles = page_2021.tables["Hurdles"]
    assert hurdles[1][:3] == [framework.hurdles[0].name, "Approach to diversity is Inadequate",
                              "Leadership (1.1) is at most Good"]
    methods = page_2021.tables["How each standard is rated, by level"]
    assert ["1.1 Leadership", "Not rated", "Judgement"] in methods
    assert ["2.7 Statutory victim work", "Not inspected", "Not rated here: reported in National reporting"] in methods
    text = page_2021.plain()
    assert "Left open: §3.8 says every PDU is rated" in text  # the open overall rating, as open


def test_composite_bands_and_rating_characteristics() -> None:
    draft = Page((shipped_build() / "hmip-probation-2017-draft" / "consultation.html").read_text(encoding="utf-8"))
    bands = draft.tables["Overall provider rating: bands"]
    assert bands[0] == ["Total score", "Rating"]
    assert bands[1:] == [["0 to 5", "Inadequate"], ["6 to 15", "Requires improvement"], ["16 to 25", "Good"],
                         ["26 to 30", "Outstanding"]]
    characteristics = Page((shipped_build() / "hmip-domain-one-characteristics-2018" / "consultation.html")
                           .read_text(encoding="utf-8"))
    text = characteristics.plain()
    assert "Rating characteristics" in text
    assert text.index("Outstanding The leadership of the organisation fully supports") < text.index(
        "Inadequate The leadership of the organisation does not support")


def test_the_rules_and_the_page_cannot_disagree() -> None:
    """The hostile framework bands at 60%, not the published 50%: its table says so."""
    page = Page((hostile_build() / "hostile-demo" / "consultation.html").read_text(encoding="utf-8"))
    assert page.tables["Results <b>banding</b>"][1:] == [["Low <i>: below 60%", "Inadequate <script>"],
                                                         ["High: 60% and above", "Good"]]
    assert "Results are rounded to the nearest whole percent, halves up, before they are banded." in page.plain()


def test_markup_in_a_framework_renders_inert() -> None:
    html = (hostile_build() / "hostile-demo" / "consultation.html").read_text(encoding="utf-8")
    page = Page(html)
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "iframe", "img", "b", "i", "u", "em", "one", "object", "embed"}
    for _, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), attrs
        assert not (attrs.get("href") or "").startswith("javascript:"), attrs
    text = page.plain()
    assert HOSTILE_PROMPT in text
    assert "Is the <b>work</b> done ${case-type} *well*?" in text
    assert 'A <b>bold</b> framework & "quotes" <script>alert(\'title\')</script>' in text
    assert "<script" not in html and "&lt;script&gt;alert(&#39;prompt&#39;)&lt;/script&gt;" in html


def test_the_page_is_self_contained() -> None:
    for name in ("hmip-adult-2021", "hmip-domain-one-characteristics-2018", "hmip-probation-2017-draft"):
        page = Page((shipped_build() / name / "consultation.html").read_text(encoding="utf-8"))
        for tag, attrs in page.tags:
            assert tag not in ("script", "link", "img", "iframe")
            assert "src" not in attrs
            assert (attrs.get("href") or "#").startswith("#"), attrs
        csp = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert csp == ["default-src 'none'; style-src 'unsafe-inline'; img-src data:"]
        ids = [a["id"] for _, a in page.tags if a.get("id")]
        assert len(ids) == len(set(ids)), "every id is unique"
        targets = {(a.get("href") or "")[1:] for _, a in page.tags if (a.get("href") or "").startswith("#")}
        assert targets <= set(ids), targets - set(ids)
    css = stylesheet(STYLESHEET)
    assert "</" not in css and "url(" not in css and "@import" not in css


def test_the_rating_method_table_says_where_a_module_applies() -> None:
    page = Page((shipped_build() / "hmip-probation-2017-draft" / "consultation.html").read_text(encoding="utf-8"))
    methods = page.tables["How each standard is rated, by level"]
    assert ["2.1 Assessment", "From cases"] in methods
    assert ["3.1 Court reports and case allocation (only where provider is nps)", "From cases"] in methods
    assert ["4.2 Through the Gate (only where provider is crc)", "From cases"] in methods
