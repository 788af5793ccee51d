"""mkdocs hook: the table of diagnostic codes in checks.md comes from the code catalogue
(precepts.core.codes). Between <!-- codes:start --> and <!-- codes:end --> the page gets the
generated table when the site is built; tests/test_docs.py keeps the committed copy (which
GitHub shows) equal to it, so the documentation cannot disagree with the checks."""

from __future__ import annotations

import re
from typing import Any

START, END = "<!-- codes:start -->", "<!-- codes:end -->"


def codes_table() -> str:
    from precepts.core.codes import Code

    rows = ["| code | name | severity | what it finds |", "|---|---|---|---|"]
    for code in Code:
        paragraph = code.explanation.split("\n\n", 1)[0].replace("\n", " ")
        first = re.match(r"(.+?[.?!])(?:\s+[A-Z'(]|$)", paragraph)  # its first sentence
        summary = (first.group(1) if first else paragraph).replace("|", "\\|")
        rows.append(f"| {code.code} | {code.readable_name} | {code.severity.value} | {summary} |")
    return "\n".join(rows)


def with_codes_table(markdown: str) -> str:
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    return pattern.sub(lambda _: f"{START}\n{codes_table()}\n{END}", markdown)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    return with_codes_table(markdown)
