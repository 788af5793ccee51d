"""Findings that may only follow from a syntax error, held back until it is fixed.

The parser drops a line it cannot read and goes on, so that every broken line is
reported in one run. But a dropped line leaves a gap the checks then see: a standard
whose broken `rated:` line was dropped "does not say how it is rated", a banding whose
broken band line was dropped "does not cover 0–100%", the prompt after a broken prompt
"comes first". Such findings are held back (and counted) while the block they are about
holds a broken line, as compilers hold back errors that follow from an earlier one; they
come back, if still true, once the syntax is fixed.

A broken line is taken to belong where its indentation puts it: in the deepest block open
above it whose heading it is indented under. An unknown keyword is a broken line like any
other: the prompts indented under a misspelt `questoin 1.1.1` are "misplaced" only because
their key question was dropped, and are held back with the other consequences.

A numbering slip is held back the same way: a prompt lettered c) where b) was meant makes
the next c) a second c) (duplicate-number) with a second id (duplicate-id); only the slip,
the first out-of-sequence letter, is shown. A standard written with another number at
another level is held back while its first part's number does not fit its domain.

A value that could not be read is held back the same way: a banding whose `rounding:` names
no rounding rule (M002) is not also "silent on rounding" (R004), and a framework whose
`include:` could not be followed (S005) does not also lack the scales, bandings and other
names (M001, R002) the file it names was to define.
"""

from __future__ import annotations

import bisect
import difflib
import os.path
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic
from precepts.core.sources import Source
from precepts.dsl.ast import Attribute, Block, Document
from precepts.dsl.loader import include_words

SYNTAX = frozenset({
    Code.SYNTAX_ERROR.code, Code.UNKNOWN_KEYWORD.code, Code.MISPLACED_LINE.code, Code.INPUT_TOO_LARGE.code,
})
# Findings whose line may be left out of the blocks: those above, and a line before the
# framework header that nothing could hold (M003, a stray prompt there).
LEFT_OUT = SYNTAX | {Code.MISSING_FRAMEWORK.code}
# Lines the parser could not read at all (or skipped, as too long), and so dropped.
DROPPED = frozenset({Code.SYNTAX_ERROR.code, Code.UNKNOWN_KEYWORD.code, Code.INPUT_TOO_LARGE.code})
# Findings about what a block holds, which a dropped line of the block can cause.
ABOUT_THE_BLOCK = frozenset({
    Code.MISSING_LEVEL_QUESTIONS.code, Code.UNRATED_AT_LEVEL.code, Code.EMPTY_ELEMENT.code,
    Code.BANDING_INCOMPLETE.code, Code.COMPOSITE_BANDS.code,
})
# Findings that a block holds too much, which lines taken in from a dropped heading can cause.
ABOUT_TOO_MUCH = frozenset({Code.TOO_MANY_PROMPTS.code})
# Findings about a block's place among its siblings, which a dropped sibling can cause.
ABOUT_THE_PLACE = frozenset({Code.NUMBER_SEQUENCE.code})
# Findings about the levels a standard is written at, which a dropped part of it can cause.
ABOUT_THE_LEVELS = frozenset({Code.LEVEL_GAP.code})
ABOUT_A_BLOCK = ABOUT_THE_BLOCK | ABOUT_TOO_MUCH | ABOUT_THE_PLACE | ABOUT_THE_LEVELS
# Findings about cross-references, which a dropped element of the hierarchy (the element cited,
# or the section or standard that sets the levels it is at) can cause.
ABOUT_REFERENCES = frozenset({
    Code.UNRESOLVED_REFERENCE.code, Code.REFERENCE_WRONG_LEVEL.code, Code.CITING_TEXT_MISMATCH.code,
})
HIERARCHY = ("domain", "section", "standard", "question", "prompt")
# Findings that something is not defined, which a file that could not be included can cause.
ABOUT_DEFINITIONS = frozenset({Code.UNKNOWN_NAME.code, Code.RATING_RULE.code})


@dataclass(frozen=True)
class _Placed:
    start: int  # the heading's line
    end: int  # the last line of the block
    parent: int | None  # index of the parent in the file's list
    indent: int  # the heading's indentation
    kind: str  # the heading's kind: standard, question, prompt…


# A prompt however lettered: a) a. (a) a: a -
_PROMPT_LIKE = re.compile(r"^\(?[A-Za-z](?:[.):\]]|\s+[-–])")


class _File:
    """A file's blocks in line order, its broken lines, and which block each belongs to."""

    def __init__(self, root: Block, text: str, syntax: Sequence[Diagnostic]) -> None:
        self.lines = text.split("\n")
        found: list[tuple[int, int, int | None, str]] = []  # (start, depth, parent, kind)
        read: set[int] = set()  # the lines the parser read: headings and description lines

        def walk(block: Block, depth: int, parent: int | None) -> None:
            here = len(found)
            found.append((block.heading.span.line, depth, parent, block.heading.kind))
            read.add(block.heading.span.line)
            read.update(attribute.span.line for attribute in block.attributes)
            for child in block.children:
                walk(child, depth + 1, here)

        walk(root, 0, None)
        self.blocks = [
            _Placed(start, next((s - 1 for s, d, _, _ in found[i + 1:] if d <= depth), len(self.lines)), parent,
                    self.indent(start), kind)
            for i, (start, depth, parent, kind) in enumerate(found)
        ]
        self.starts = [b.start for b in self.blocks]
        # A line left out of the blocks, as unreadable or as a heading with nothing above it to
        # hold it: what is indented under it was meant to belong to it. A line reported but read
        # after all (the parser leaves out a stray ':' and keeps the line) leaves no gap.
        self.dropped = {line for line in _lines(syntax) if line not in read}
        # A misplaced description line is read, but into the wrong block.
        misplaced = _lines(d for d in syntax if d.code == Code.MISPLACED_LINE.code)
        # A broken line belongs to the deepest block open above it that its indentation
        # puts it inside: as the writer laid it out, since the line itself cannot say.
        self.broken = {line: self.owner(line) for line in sorted(self.dropped | misplaced)}
        self._written_under: dict[int, int | None] = {}
        # A heading of the hierarchy dropped: what a reference cites, and at which levels, may be missing.
        self.dropped_hierarchy_heading = any(self.reads_like(line, kind) for line in self.dropped for kind in HIERARCHY)

    def indent(self, line: int) -> int:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return len(text) - len(text.lstrip())

    def owner(self, line: int) -> int | None:
        index: int | None = bisect.bisect_left(self.starts, line) - 1
        depth = self.indent(line)
        # The framework's own block (index 0) owns what no block inside it does: a broken
        # top-level line such as a misspelt `domian 2` is a sibling of the domains.
        while index is not None and index > 0 and self.blocks[index].indent >= depth:
            index = self.blocks[index].parent
        return index if index is not None and index >= 0 else None

    def reads_like(self, line: int, kind: str) -> bool:
        """Whether a broken line starts as a heading of `kind` would: `question …`, `a) …`."""
        text = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        if kind == "prompt":
            return _PROMPT_LIKE.match(text) is not None
        word = text.split(" ", 1)[0].lower().rstrip(":")
        # A misspelt keyword (questoin, standrad) still reads as the heading it was meant to be.
        return word == kind or bool(difflib.get_close_matches(word, [kind], n=1, cutoff=0.75))

    def header_dropped_before(self, line: int, dropped: set[int]) -> bool:
        """Whether `line` comes before any readable header, below an unreadable line that
        reads like the framework or rules header (what comes after a header never follows from it)."""
        header = self.blocks[0].start if self.blocks else line
        return any(
            d < line <= header and (self.reads_like(d, "framework") or self.reads_like(d, "rules"))
            for d in dropped
        )

    def written_under(self, line: int) -> int | None:
        """The nearest line above `line` that it is indented under (blank lines and comments
        aside), or None for a line at the left margin or under nothing."""
        if line not in self._written_under:
            depth = self.indent(line)
            self._written_under[line] = next(
                (above for above in range(line - 1, 0, -1)
                 if self.lines[above - 1].strip() and not self.lines[above - 1].lstrip().startswith("#")
                 and self.indent(above) < depth),
                None,
            )
        return self._written_under[line]

    def under_dropped_line(self, line: int) -> bool:
        """Whether `line` is indented under a dropped line, directly or through the lines
        between: the prompts under a misspelt `questoin` (read as the previous key question's),
        the key questions and prompts under a misspelt `standrad`."""
        above = self.written_under(line)
        while above is not None:
            if above in self.dropped:
                return True
            above = self.written_under(above)
        return False

    def took_in(self, index: int) -> bool:
        """Whether block `index` holds blocks written under a dropped line that it does not
        hold itself: the prompts of a misspelt `questoin 1.1.2`, read as 1.1.1's."""
        block = self.blocks[index]
        return bool(self.dropped) and any(
            self.under_dropped_line(inner.start) for inner in self.blocks[index + 1:] if inner.start <= block.end
        )

    def sibling_holders(self, index: int) -> set[int | None]:
        """The blocks a sibling of block `index` may be written in: its parent; for a standard,
        its domain and the domain's sections (a domain numbers its standards across sections
        and levels, and one standard may have a part in each)."""
        block = self.blocks[index]
        if block.kind != "standard":
            return {block.parent}
        domain = block.parent
        if domain is not None and self.blocks[domain].kind == "section":
            domain = self.blocks[domain].parent
        return {domain, *(i for i, b in enumerate(self.blocks) if b.parent == domain and b.kind == "section")}

    def block_at(self, line: int) -> int | None:
        index = bisect.bisect_left(self.starts, line)
        return index if index < len(self.blocks) and self.starts[index] == line else None


def held_back(documents: Sequence[Document], sources: Mapping[str, Source],
              diagnostics: Sequence[Diagnostic]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(the findings to show, the findings held back)."""
    shown, numbering_held = _numbering_consequences(diagnostics)
    shown, syntax_held = _syntax_consequences(documents, sources, shown)
    shown, unread_held = _unread_value_consequences(documents, sources, shown)
    return shown, [*syntax_held, *numbering_held, *unread_held]


def _lines(diagnostics: Iterable[Diagnostic]) -> set[int]:
    return {d.span.line for d in diagnostics if d.span is not None}


def _at(d: Diagnostic) -> tuple[str, int, int] | None:
    return (d.span.file, d.span.line, d.span.column) if d.span is not None else None


def _numbering_consequences(diagnostics: Sequence[Diagnostic]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Hold back the findings that only follow from a numbering slip reported elsewhere."""
    places: dict[str, set[tuple[str, int, int] | None]] = {}
    for d in diagnostics:
        places.setdefault(d.code, set()).add(_at(d))
    out_of_sequence = places.get(Code.NUMBER_SEQUENCE.code, set())
    misnumbered = places.get(Code.NUMBERING.code, set())
    numbered_twice = places.get(Code.DUPLICATE_NUMBER.code, set())
    # Ids of elements numbered twice: a prompt's id is made from its key question's.
    twice_ids = tuple(s for d in diagnostics if d.code == Code.DUPLICATE_NUMBER.code for s in d.subjects)

    def related_to(d: Diagnostic, faulty: set[tuple[str, int, int] | None]) -> bool:
        return any((r.span.file, r.span.line, r.span.column) in faulty for r in d.related)

    def follows(d: Diagnostic) -> bool:
        if d.code == Code.DUPLICATE_NUMBER.code:  # the first copy is the one out of sequence
            return related_to(d, out_of_sequence)
        if d.code == Code.DUPLICATE_ID.code:  # the id is made from the number numbered twice
            return (_at(d) in numbered_twice or related_to(d, out_of_sequence)
                    or any(_made_from(s, twice) for s in d.subjects for twice in twice_ids))
        if d.code == Code.INCONSISTENT_PARTS.code:  # the first part's number is the slip
            return related_to(d, misnumbered)
        return False

    shown: list[Diagnostic] = []
    held: list[Diagnostic] = []
    for d in diagnostics:
        (held if follows(d) else shown).append(d)
    return shown, held


def _made_from(element_id: str, parent_id: str) -> bool:
    """Whether `element_id` is `parent_id` itself or a prompt id made from it (1.1.2 → 1.1.2a)."""
    return element_id.startswith(parent_id) and (element_id[len(parent_id):].isalpha() or element_id == parent_id)


def _syntax_consequences(documents: Sequence[Document], sources: Mapping[str, Source],
                         diagnostics: Sequence[Diagnostic]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    syntax: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.code in LEFT_OUT and d.span is not None:
            syntax.setdefault(d.span.file, []).append(d)
    if not syntax:
        return list(diagnostics), []
    files = {
        document.path: _File(document.root, sources[document.path].text, syntax[document.path])
        for document in documents
        if document.root is not None and document.path in syntax and document.path in sources
    }
    shown: list[Diagnostic] = []
    held: list[Diagnostic] = []
    for d in diagnostics:
        (held if _follows_from_broken_line(d, files) else shown).append(d)
    return shown, held


def _follows_from_broken_line(d: Diagnostic, files: dict[str, _File]) -> bool:
    if d.span is None or d.span.file not in files:
        return False
    file = files[d.span.file]
    if d.code == Code.UNUSED_WAIVER.code:
        # Whether a waiver matches a finding depends on the findings, which a dropped line changes.
        return bool(file.dropped)
    if d.code in (Code.MISPLACED_LINE.code, Code.MISSING_FRAMEWORK.code) and file.header_dropped_before(
        d.span.line, file.dropped
    ):
        return True  # "before the framework header": the header is there, but could not be read
    if d.code not in DROPPED and file.under_dropped_line(d.span.line):
        # Written under a heading that could not be read: misplaced, or read as part of the
        # block above (numbered twice, out of sequence) only because that heading was dropped.
        return True
    if d.code in ABOUT_REFERENCES:
        return file.dropped_hierarchy_heading
    if d.code not in ABOUT_A_BLOCK:
        return False
    index = file.block_at(d.span.line)
    if index is None:
        return False  # not about a block
    block = file.blocks[index]
    if d.code in ABOUT_THE_BLOCK | ABOUT_TOO_MUCH and file.took_in(index):
        return True  # it holds lines written under a dropped heading after it (a misspelt `questoin 1.1.2`)
    if d.code in ABOUT_THE_BLOCK:  # a dropped line of the block itself
        return any(owner == index for line, owner in file.broken.items() if block.start < line <= block.end)
    if d.code in ABOUT_TOO_MUCH:
        return False
    # a dropped sibling: a broken line among its siblings that reads like one (before it, for its
    # place in the sequence; anywhere, for the levels a standard's parts are written at)
    holders = file.sibling_holders(index)
    return any(
        owner in holders and file.reads_like(line, block.kind)
        for line, owner in file.broken.items() if line < block.start or d.code in ABOUT_THE_LEVELS
    )


def _unread_value_consequences(documents: Sequence[Document], sources: Mapping[str, Source],
                               diagnostics: Sequence[Diagnostic]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Hold back what only follows from a value that could not be read: the rounding rule of a
    banding (R004 after M002 on its `rounding:` line) and an included file (M001 and R002 while
    an `include:` could not be followed: what it was to define is missing only because of it)."""
    invalid = {_at_line(d) for d in diagnostics if d.code == Code.INVALID_VALUE.code}
    unrounded = {
        (document.path, block.heading.span.line)
        for document in documents
        for block in _blocks(document.root)
        if any(_at_line(rounding) in invalid for rounding in block.all("rounding"))
    } if invalid else set()
    unread = _unread_includes(documents, sources, diagnostics)

    def follows(d: Diagnostic) -> bool:
        if d.code == Code.ROUNDING_NOT_STATED.code:
            return _at_line(d) in unrounded
        return unread and d.code in ABOUT_DEFINITIONS

    shown: list[Diagnostic] = []
    held: list[Diagnostic] = []
    for d in diagnostics:
        (held if follows(d) else shown).append(d)
    return shown, held


def _at_line(item: Diagnostic | Attribute) -> tuple[str, int] | None:
    return (item.span.file, item.span.line) if item.span is not None else None


def _blocks(block: Block | None) -> Iterator[Block]:
    if block is not None:
        yield block
        for child in block.children:
            yield from _blocks(child)


def _unread_includes(documents: Sequence[Document], sources: Mapping[str, Source],
                     diagnostics: Sequence[Diagnostic]) -> bool:
    """Whether an `include:` reported as S005 names a file that was not read: missing, outside
    the project, or a framework. An include in a cycle names a file read already."""
    bad = {_at_line(d) for d in diagnostics if d.code == Code.BAD_INCLUDE.code}
    if not bad:
        return False
    read = {os.path.normpath(document.path) for document in documents}
    return any(
        os.path.normpath(os.path.join(os.path.dirname(document.path), word.text)) not in read
        for document in documents
        for word in include_words(document.root)
        if (word.span.file, word.span.line) in bad
    )
