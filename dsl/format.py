"""The canonical layout of a framework file: what `precepts fmt` writes.

The language is one statement per line, so the layout is a matter of each line on its own
(its indentation and the spacing between its words) and of the blank lines between them:

- Indentation shows the outline, two spaces a step, fixed by the kind of line: headers and
  definitions, domains and sections at the margin; grades, bands, questionnaire items and
  standards at 2; key questions at 4; prompts at 6. A line that describes a heading (`text:`,
  `at:`, `waive …:`) sits 2 deeper than its heading, except under the framework or rules
  header, whose lines sit at the margin.
- Words before the verbatim text are separated by one space; no space before `:` or `,`,
  one after; none inside parentheses. A prompt letter is followed by one space.
- Verbatim text (a prompt, a standard's text, a source note, a quoted label) is never
  touched, apart from trailing white space, which the language ignores.
- A comment is indented like the line it stands above; a comment with a blank line or the
  end of the file below it, like the line above it.
- One blank line before every domain, section, standard, key question and questionnaire, and
  before a definition at the margin that follows something other than a definition of its
  own kind (levels, say, stand together). Blank lines the author put elsewhere stay, and runs
  of blank lines become one. No blank lines at the start or end; the file ends with one
  newline; lines end with LF.

The result is checked before it is returned: formatted text must parse to the same lines,
apart from their positions. If it would not, formatting refuses rather than change meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from precepts.core.diagnostics import Diagnostic, Severity, Span
from precepts.dsl.ast import Attribute, Block, Comment, Heading, Line

STEP = "  "

# The indentation of each kind of heading, in steps.
HEADING_DEPTH = {
    "framework": 0, "rules": 0, "level": 0, "attribute": 0, "scale": 0, "banding": 0,
    "composite": 0, "hurdle": 0, "judgement": 0, "domain": 0, "section": 0, "questionnaire": 0,
    "grade": 1, "band": 1, "item": 1, "standard": 1, "question": 2, "prompt": 3,
}
TOP_LEVEL = frozenset({"framework", "rules"})

# Headings that always start a new paragraph of the file.
ALWAYS_BLANK_BEFORE = frozenset({"domain", "section", "standard", "question", "questionnaire"})
# Definitions at the margin, which stand together with others of their kind.
DEFINITIONS = frozenset({"level", "attribute", "scale", "banding", "composite", "hurdle", "judgement"})

_SPACE = "[ \t\f\u00a0]"
_PROMPT = re.compile(rf"([a-z]{{1,2}}\)){_SPACE}+(.*)", re.DOTALL)
_WORDS = re.compile(r'"[^"]*"|[:,()]|[^\s:,()"\u00a0]+')


class FormatError(Exception):
    """The text cannot be formatted; `diagnostics` say why."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


@dataclass(frozen=True, slots=True)
class _Out:
    """One output line: its indentation in steps and its text (empty for a blank line)."""

    depth: int
    text: str
    kind: str  # the heading kind, "attribute", "comment" or "blank"
    key: str = ""  # an attribute's key ("text", "rated", "waive" …), for its place among its element's lines


# The order of the lines that describe an element, where their order carries no meaning: what
# the element is, where it applies, its source, how it is rated, what it cites, then notes,
# consultation questions and waivers (the order the shipped frameworks were written in). Lines of
# one key keep the order they were written in (the order of consultation questions, notes or
# options is the author's).
ATTRIBUTE_ORDER = (
    "id", "title", "version", "date", "status", "text", "at", "applies-to", "scale", "source", "licence",
    "prompt-limit", "preferred-term", "include", "rated", "few-cases", "rounding", "score", "scores", "weights",
    "when", "then", "tags", "see", "instruction", "option", "absent-at", "words", "note", "open",
    "consultation-question", "waive", "characteristic",
)
_RANK = {key: rank for rank, key in enumerate(ATTRIBUTE_ORDER)}


def format_text(text: str, file: str = "<text>") -> str:
    """Return `text` in the canonical layout. Raises FormatError on syntax errors.

    >>> format_text("framework x\\ntitle:   A title  \\ndomain 1 One\\n  standard 1.1   Two\\n")
    'framework x\\ntitle: A title\\n\\ndomain 1 One\\n\\n  standard 1.1 Two\\n'
    """
    from precepts.dsl.parser import parse_lines

    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines, diagnostics = parse_lines(text, file)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise FormatError(errors)
    formatted = _render(_layout(text.split("\n"), lines))
    _verify(lines, formatted, file)
    return formatted


def _layout(raw: list[str], lines: list[Line]) -> list[_Out]:
    by_line = {line.span.line: line for line in lines}
    out: list[_Out] = []
    heading_depth, heading_kind = 0, "framework"
    for number, content in enumerate(raw, start=1):
        stripped = content.strip(" \t\f\u00a0")
        line = by_line.get(number)
        if not stripped or line is None:
            out.append(_Out(0, "", "blank") if not stripped else _Out(0, stripped, "comment"))
            continue
        if isinstance(line, Comment):
            out.append(_Out(0, stripped.rstrip(), "comment"))
        elif isinstance(line, Heading):
            heading_depth, heading_kind = HEADING_DEPTH.get(line.kind, 0), line.kind
            out.append(_Out(heading_depth, _words(stripped, line), line.kind))
        else:
            depth = 0 if heading_kind in TOP_LEVEL else heading_depth + 1
            out.append(_Out(depth, _words(stripped, line), "attribute", line.key))
    return _place_comments(_blank_lines(_in_order(out)))


def _in_order(out: list[_Out]) -> list[_Out]:
    """Each run of an element's describing lines in ATTRIBUTE_ORDER, every comment moving with
    the line below it; a blank line or a heading ends a run."""
    result: list[_Out] = []
    run: list[list[_Out]] = []  # groups: comments, then the attribute they stand above
    pending: list[_Out] = []
    for item in [*out, _Out(0, "", "blank")]:
        if item.kind == "comment":
            pending.append(item)
        elif item.kind == "attribute":
            run.append([*pending, item])
            pending = []
        else:
            ordered = sorted(run, key=lambda group: _RANK.get(group[-1].key, len(_RANK)))
            result.extend(line for group in ordered for line in group)
            result.extend(pending)
            run, pending = [], []
            result.append(item)
    return result[:-1]


def _words(stripped: str, line: Heading | Attribute) -> str:
    """The line with canonical spacing before its verbatim text, which is kept as written."""
    if isinstance(line, Heading) and line.kind == "prompt":
        match = _PROMPT.fullmatch(stripped)
        if match:
            return f"{match.group(1)} {match.group(2).rstrip()}"
    verbatim = line.text if isinstance(line, Heading) else line.value if isinstance(line.value, str) else None
    body = stripped.rstrip(" \t\f\u00a0")
    # Verbatim text ends the line (the grammar reads it to the end), quotes and all.
    if verbatim and body.endswith(verbatim):
        head = body[: len(body) - len(verbatim)]
        return f"{_join(head)} {verbatim}".strip() if head.strip() else verbatim
    return _join(body)


def _join(words_text: str) -> str:
    words = _WORDS.findall(words_text)
    out = ""
    for word in words:
        if not out or word in {":", ",", ")"} or out.endswith("("):
            out += word
        else:
            out += " " + word
    return out


def _blank_lines(out: list[_Out]) -> list[_Out]:
    result: list[_Out] = []
    previous_code: _Out | None = None
    for item in out:
        if item.kind == "blank":
            if result and result[-1].kind != "blank":
                result.append(item)
            continue
        if item.kind not in {"comment", "attribute"} and previous_code is not None and _needs_blank(previous_code, item):
            # The blank line goes above the comments written just above the heading.
            at = len(result)
            while at and result[at - 1].kind == "comment":
                at -= 1
            if at and result[at - 1].kind != "blank":
                result.insert(at, _Out(0, "", "blank"))
        if item.kind != "comment":
            previous_code = item
        result.append(item)
    while result and result[-1].kind == "blank":
        result.pop()
    while result and result[0].kind == "blank":
        result.pop(0)
    return result


def _needs_blank(previous: _Out, item: _Out) -> bool:
    if item.kind in ALWAYS_BLANK_BEFORE or item.kind in TOP_LEVEL:
        return True
    return item.kind in DEFINITIONS and previous.kind != item.kind


def _place_comments(out: list[_Out]) -> list[_Out]:
    """Indent each comment like the line it stands above, or else the line above it."""
    placed = list(out)
    for index, item in enumerate(placed):
        if item.kind != "comment":
            continue
        below = next((o for o in placed[index + 1:] if o.kind != "comment"), None)
        if below is not None and below.kind != "blank":
            depth = below.depth
        else:
            above = next((o for o in reversed(placed[:index]) if o.kind not in {"comment", "blank"}), None)
            depth = above.depth if above is not None else 0
        placed[index] = _Out(depth, item.text, "comment")
    return placed


def _render(out: list[_Out]) -> str:
    return "".join(f"{STEP * o.depth}{o.text}\n" if o.text else "\n" for o in out)


def _verify(before: list[Line], formatted: str, file: str) -> None:
    """The formatted text says what the text said: the same headings in the same outline, each
    with the same describing lines (in the canonical order) and the same comments."""
    from precepts.dsl.outline import outline
    from precepts.dsl.parser import parse_lines

    after, diagnostics = parse_lines(formatted, file)
    if diagnostics or _said(outline(before)[0]) != _said(outline(after)[0]) or _headings(before) != _headings(after):
        # A bug in this module, never a fault of the file: refuse rather than change its meaning.
        raise RuntimeError(f"formatting {file} would change what it says; it was left as it is")


def _said(block: Block | None) -> Any:
    if block is None:
        return None
    attributes = sorted(block.attributes, key=lambda a: _RANK.get(a.key, len(_RANK)))
    return (_without_positions(block.heading), [_without_positions(a) for a in attributes],
            [_said(child) for child in block.children], sorted(c.text.rstrip() for c in block.comments))


def _headings(lines: list[Line]) -> list[Any]:
    return [_without_positions(line) for line in lines if isinstance(line, Heading)]


def _without_positions(value: Any) -> Any:
    """A line as plain data without its spans, so two layouts of one text compare equal."""
    if isinstance(value, Span):
        return None
    if isinstance(value, Comment):
        return ("comment", value.text.rstrip())
    if isinstance(value, tuple):
        return tuple(_without_positions(v) for v in value)
    return value
