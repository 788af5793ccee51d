"""Property tests: whatever the file holds, `precepts check` exits 0 or 1 with located findings.

Random text and bytes, and random mutations of the real 2021 framework (with its shared
rules beside it, so its include still resolves).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import FRAMEWORK_2021, invoke, no_traceback

FRAMEWORK_TEXT = FRAMEWORK_2021.read_text(encoding="utf-8")
FRAMEWORK_LINES = FRAMEWORK_TEXT.split("\n")
HEADLINE = re.compile(r"^(?P<where>.+?):(?P<line>-?\d+):(?P<column>-?\d+): (error|warning|info) [A-Z]\d{3} ")
FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])



def assert_checks_cleanly(path: Path, output_format: str = "json") -> None:
    """`check` ends with exit 0 or 1, and every finding it prints has a sane place."""
    result = invoke("check", "--format", output_format, path)
    no_traceback(result)
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    data = path.read_bytes() if path.is_file() else b""
    last_line = data.count(b"\n") + data.count(b"\r") + 1
    if output_format == "json":
        document = json.loads(result.stdout)
        assert document["summary"]["errors"] == sum(d["severity"] == "error" for d in document["diagnostics"])
        spans = [d["span"] for d in document["diagnostics"]]
        spans += [r["span"] for d in document["diagnostics"] for r in d["related"]]
        for span in spans:
            if span is None:
                continue
            assert span["line"] >= 1 and span["column"] >= 1, span
            assert (span["end_line"], span["end_column"]) >= (span["line"], span["column"]), span
            if Path(span["file"]).name == path.name:
                assert span["line"] <= last_line, span
    else:
        for line in result.stdout.splitlines():
            match = HEADLINE.match(line)
            if match and not match["where"].startswith("precepts"):
                assert int(match["line"]) >= 1 and int(match["column"]) >= 1, line


# ---- random content ------------------------------------------------------------------------


@MANY
@given(text=st.text(max_size=300), output_format=st.sampled_from(["json", "text"]))
def test_random_text(project: Path, text: str, output_format: str) -> None:
    path = project / "random-text.precepts"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    assert_checks_cleanly(path, output_format)


@MANY
@given(data=st.binary(max_size=300), output_format=st.sampled_from(["json", "text"]))
def test_random_bytes(project: Path, data: bytes, output_format: str) -> None:
    path = project / "random-bytes.precepts"
    path.write_bytes(data)
    assert_checks_cleanly(path, output_format)


KEYWORD_LINES = st.lists(
    st.sampled_from([
        "framework x", "rules r", "level pdu: P", "attribute t: a, b", "scale rating: R", 'grade good "Good" scores 2',
        "banding b: B", 'band lo "L": below 50% gives good', "band 0 to 5 gives good", "composite c: C",
        "hurdle h: H", "judgement j: J", "domain 1 D", "section: S", "standard 1.1 Lead", "question 1.1.1 Q?",
        "a) P?", "b) P?", "questionnaire q: Q", "item: I?", "id: lead", "at: pdu", "applies to: t is a",
        "see: 1.1.1a", "text: T.", "rated: by judgement", "rated: from cases using b", "when: j is good",
        "then: lead is at most good", "open: why", "waive D001: r", "include: shared/hmip-case-ratings.precepts",
        "include: keywords.precepts", "prompt limit: 1", "# c", "",
    ]),
    max_size=25,
)


@MANY
@given(lines=KEYWORD_LINES, output_format=st.sampled_from(["json", "text"]))
def test_random_lines_of_the_language(project: Path, lines: list[str], output_format: str) -> None:
    path = project / "keywords.precepts"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert_checks_cleanly(path, output_format)


# ---- mutations of the 2021 framework ------------------------------------------------------------


def write_mutant(project: Path, lines: list[str]) -> Path:
    path = project / "mutant.precepts"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    return path


line_index = st.integers(min_value=0, max_value=len(FRAMEWORK_LINES) - 1)


@FEW
@given(index=line_index)
def test_delete_a_line(project: Path, index: int) -> None:
    lines = list(FRAMEWORK_LINES)
    del lines[index]
    assert_checks_cleanly(write_mutant(project, lines))


@FEW
@given(index=line_index)
def test_duplicate_a_line(project: Path, index: int) -> None:
    lines = list(FRAMEWORK_LINES)
    lines.insert(index, lines[index])
    assert_checks_cleanly(write_mutant(project, lines))


@FEW
@given(offset=st.integers(min_value=0, max_value=len(FRAMEWORK_TEXT)))
def test_truncate(project: Path, offset: int) -> None:
    assert_checks_cleanly(write_mutant(project, FRAMEWORK_TEXT[:offset].split("\n")))


@FEW
@given(
    offset=st.integers(min_value=0, max_value=len(FRAMEWORK_TEXT)),
    inserted=st.text(alphabet=st.sampled_from(list('abz09):"%#.,- \t\n\r\x0b\x00é“\u2028\ufeff')) | st.characters(),
                     min_size=1, max_size=8),
)
def test_insert_characters(project: Path, offset: int, inserted: str) -> None:
    text = FRAMEWORK_TEXT[:offset] + inserted + FRAMEWORK_TEXT[offset:]
    assert_checks_cleanly(write_mutant(project, text.split("\n")))


@FEW
@given(first=line_index, second=line_index)
def test_swap_two_lines(project: Path, first: int, second: int) -> None:
    lines = list(FRAMEWORK_LINES)
    lines[first], lines[second] = lines[second], lines[first]
    assert_checks_cleanly(write_mutant(project, lines))
