"""The TextMate grammar (editors/vscode/syntaxes) against the real frameworks, and the VS Code
extension's files.

The grammar's regular expressions keep to what Python's `re` and Oniguruma read alike, so a
small TextMate interpreter here applies them as an editor would: one line at a time, the
first top-level pattern that matches from the start of the line, then its captures.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from support import FRAMEWORKS, REPO_ROOT, TESTS

from precepts.dsl.format import FormatError, format_text
from precepts.dsl.parser import line_keywords

VSCODE = REPO_ROOT / "editors" / "vscode"
GRAMMAR_PATH = VSCODE / "syntaxes" / "precepts.tmLanguage.json"
GRAMMAR: dict[str, Any] = json.loads(GRAMMAR_PATH.read_text(encoding="utf-8"))

Token = tuple[int, int, str]  # start, end, scope


def _rule(pattern: dict[str, Any]) -> dict[str, Any]:
    if "include" in pattern:
        return GRAMMAR["repository"][pattern["include"].lstrip("#")]
    return pattern


def _captured(match: re.Match[str], captures: dict[str, Any]) -> list[Token]:
    tokens = []
    for group, capture in captures.items():
        if match.group(int(group)) is not None and match.start(int(group)) < match.end(int(group)):
            tokens.append((match.start(int(group)), match.end(int(group)), capture["name"]))
    return tokens


def tokenize(line: str) -> tuple[str, list[Token]] | None:
    """The top-level rule that takes the line, and the scoped tokens it gives."""
    for pattern in GRAMMAR["patterns"]:
        name = pattern["include"].lstrip("#")
        rule = _rule(pattern)
        if "match" in rule:
            match = re.match(rule["match"], line)
            if match and match.end() == len(line):
                return name, _captured(match, rule.get("captures", {}))
        else:
            begin = re.match(rule["begin"], line)
            if begin:
                tokens = _captured(begin, rule.get("beginCaptures", {}))
                position = begin.end()
                while position < len(line):
                    for inner in rule["patterns"]:
                        found = re.compile(inner["match"]).match(line, position)
                        if found and found.end() > position:
                            if "name" in inner:
                                tokens.append((found.start(), found.end(), inner["name"]))
                            tokens.extend(_captured(found, inner.get("captures", {})))
                            position = found.end()
                            break
                    else:
                        position += 1
                return name, tokens
    return None


def scope_at(tokens: list[Token], column: int) -> str | None:
    inside = [t for t in tokens if t[0] <= column < t[1]]
    return min(inside, key=lambda t: t[1] - t[0])[2] if inside else None


def _framework_lines() -> list[tuple[str, str]]:
    found = []
    for path in [*FRAMEWORKS.rglob("*.precepts"), *(TESTS / "fixtures").rglob("*.precepts")]:
        try:
            text = path.read_text(encoding="utf-8")
            format_text(text, str(path))  # lines of fixtures with syntax errors are no model for highlighting
        except (UnicodeDecodeError, FormatError):
            continue
        found.extend((f"{path.name}:{n}", line) for n, line in enumerate(text.split("\n"), 1) if line.strip())
    return found


LINES = _framework_lines()

# One real line for every keyword a line may start with (each is checked by the parser below).
SAMPLES = {
    "absent": "absent at pdu: not inspected there", "applies": "applies to: case-type is community",
    "at": "at: pdu", "attribute": "attribute case-type: community, post-custody", "band": "band 80% and above gives outstanding",
    "banding": "banding case-results: Case results", "characteristic": "characteristic good: Staff are skilled",
    "choice": "choice: Which?", "composite": "composite overall: Overall rating", "consultation": "consultation question: Agree?",
    "date": "date: 2021-05", "domain": "domain 1 Domain one", "framework": "framework demo", "free": "free text: Anything else?",
    "grade": 'grade good "Good" scores 3', "hurdle": "hurdle floor: A floor", "id": "id: leadership",
    "include": "include: shared/rules.precepts", "instruction": "instruction: Tick one", "item": "item: I was treated well",
    "judgement": "judgement diversity: Diversity", "level": "level pdu: PDU", "licence": "licence: OGL",
    "note": "note: A note", "open": "open: not stated", "option": "option: Yes", "preferred": 'preferred term: "a" instead of "b"',
    "few": "few cases: below 10", "prompt": "prompt limit: 10", "question": "question 1.1.1 Is it?", "questionnaire": "questionnaire survey: Survey",
    "rated": "rated: from cases using case-results", "rounding": "rounding: half up", "rules": "rules shared",
    "scale": "scale rating: Rating", "score": "score: sum", "scores": "scores: good 3, inadequate 0",
    "section": "section: Regional standards", "see": "see: 1.3.2a", "source": "source: §4.5",
    "standard": "standard 1.1 Leadership", "status": "status: consultation", "tags": "tags: diversity",
    "text": "text: The standard's text.", "then": "then: leadership is at most good", "title": "title: A title",
    "version": "version: May 2021", "waive": "waive D001: as published", "weights": "weights: leadership 2",
    "when": "when: diversity is inadequate", "words": "words: Sometimes",
}


def test_every_line_keyword_has_a_sample() -> None:
    assert set(SAMPLES) == set(line_keywords())


@pytest.mark.parametrize("keyword", sorted(SAMPLES))
def test_every_keyword_is_scoped_as_a_keyword(keyword: str) -> None:
    from precepts.dsl.parser import parse_lines

    line = SAMPLES[keyword]
    assert parse_lines(line + "\n", "sample")[1] == [], f"the sample for {keyword} is not a valid line"
    taken = tokenize("  " + line)
    assert taken is not None, f"no rule takes {line!r}"
    assert (scope_at(taken[1], 2) or "").startswith("keyword."), f"{keyword} is not scoped as a keyword in {line!r}"


@pytest.mark.parametrize(("where", "line"), LINES, ids=[w for w, _ in LINES])
def test_every_framework_line_is_highlighted(where: str, line: str) -> None:
    taken = tokenize(line)
    assert taken is not None, f"{where}: no rule takes {line!r}"
    first = len(line) - len(line.lstrip())
    assert scope_at(taken[1], first) is not None, f"{where}: the start of {line!r} has no scope"


@pytest.mark.parametrize(("line", "column", "scope"), [
    ("# §3.10: regions will not be rated", 0, "comment.line.number-sign.precepts"),
    ("      a) Does the vision and strategy prioritise quality?", 6, "constant.other.prompt-letter.precepts"),
    ("      b) Is it so?", 9, "string.unquoted.prompt.precepts"),
    ("    question 1.1.1 Does the vision work?", 13, "constant.numeric.element-number.precepts"),
    ('  grade good "Good" scores 3', 8, "constant.other.grade.precepts"),
    ("  band 65% to 79% gives good", 25, "constant.other.grade.precepts"),
    ("  band 65% to 79% gives good", 7, "constant.numeric.precepts"),
    ("        waive D001: as published", 8, "keyword.other.waive.precepts"),
    ("        waive D001: as published", 14, "constant.other.diagnostic-code.precepts"),
    ("  when: diversity is inadequate", 18, "keyword.operator.condition.precepts"),
])
def test_the_parts_of_a_line_get_their_scopes(line: str, column: int, scope: str) -> None:
    taken = tokenize(line)
    assert taken is not None
    assert scope_at(taken[1], column) == scope


def test_the_vscode_extension_points_at_its_files() -> None:
    package = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    [language] = package["contributes"]["languages"]
    [grammar] = package["contributes"]["grammars"]
    assert language["extensions"] == [".precepts"] and grammar["language"] == language["id"]
    assert (VSCODE / grammar["path"]).resolve() == GRAMMAR_PATH.resolve()
    assert grammar["scopeName"] == GRAMMAR["scopeName"]
    assert json.loads((VSCODE / language["configuration"]).read_text(encoding="utf-8"))["comments"]["lineComment"] == "#"
    assert (VSCODE / package["main"]).is_file()
    assert package["contributes"]["configuration"]["properties"]["precepts.command"]["default"] == ["precepts", "lsp"]


def test_every_pattern_compiles_in_python_as_in_oniguruma() -> None:
    def regexes(rule: dict[str, Any]) -> list[str]:
        found = [rule[k] for k in ("match", "begin", "end") if k in rule]
        for inner in rule.get("patterns", []):
            found.extend(regexes(inner))
        return found

    for rule in GRAMMAR["repository"].values():
        for pattern in regexes(rule):
            re.compile(pattern)
            assert "(?<" not in pattern.replace("(?<=", "").replace("(?<!", ""), "named groups differ between the engines"


def test_the_grammar_file_is_where_the_documentation_says() -> None:
    from support import documentation

    assert "editors/vscode" in documentation() and "syntaxes/precepts.tmLanguage.json" in documentation()
