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
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic
from precepts.core.sources import Source
from precepts.dsl.ast import Block, Document

SYNTAX = frozenset({
    Code.SYNTAX_ERROR.code, Code.UNKNOWN_KEYWORD.code, Code.MISPLACED_LINE.code, Code.INPUT_TOO_LARGE.code,
})
# Lines the parser could not read at all (or skipped, as too long), and so dropped.
DROPPED = frozenset({Code.SYNTAX_ERROR.code, Code.UNKNOWN_KEYWORD.code, Code.INPUT_TOO_LARGE.code})
# Findings about what a block holds, which a dropped line of the block can cause.
ABOUT_THE_BLOCK = frozenset({
    Code.MISSING_LEVEL_QUESTIONS.code, Code.UNRATED_AT_LEVEL.code, Code.EMPTY_ELEMENT.code,
    Code.BANDING_INCOMPLETE.code, Code.COMPOSITE_BANDS.code,
})
# Findings about a block's place among its siblings, which a dropped sibling can cause.
ABOUT_THE_PLACE = frozenset({Code.NUMBER_SEQUENCE.code})


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

    def __init__(self, root: Block, text: str, broken: list[int]) -> None:
        self.lines = text.split("\n")
        found: list[tuple[int, int, int | None, str]] = []  # (start, depth, parent, kind)

        def walk(block: Block, depth: int, parent: int | None) -> None:
            here = len(found)
            found.append((block.heading.span.line, depth, parent, block.heading.kind))
            for child in block.children:
                walk(child, depth + 1, here)

        walk(root, 0, None)
        self.blocks = [
            _Placed(start, next((s - 1 for s, d, _, _ in found[i + 1:] if d <= depth), len(self.lines)), parent,
                    self.indent(start), kind)
            for i, (start, depth, parent, kind) in enumerate(found)
        ]
        self.starts = [b.start for b in self.blocks]
        # A broken line belongs to the deepest block open above it that its indentation
        # puts it inside: as the writer laid it out, since the line itself cannot say.
        self.broken = {line: self.owner(line) for line in sorted(broken)}

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

    def under_broken_line(self, line: int, broken: set[int]) -> bool:
        """Whether the nearest line above that `line` is indented under is a broken one."""
        depth = self.indent(line)
        for above in range(line - 1, 0, -1):
            text = self.lines[above - 1]
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            if self.indent(above) < depth:
                return above in broken
        return False

    def block_at(self, line: int) -> int | None:
        index = bisect.bisect_left(self.starts, line)
        return index if index < len(self.blocks) and self.starts[index] == line else None


def held_back(documents: Sequence[Document], sources: Mapping[str, Source],
              diagnostics: Sequence[Diagnostic]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(the findings to show, the findings held back)."""
    shown, numbering_held = _numbering_consequences(diagnostics)
    shown, syntax_held = _syntax_consequences(documents, sources, shown)
    return shown, [*syntax_held, *numbering_held]


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
    broken: dict[str, list[int]] = {}
    for d in diagnostics:
        if d.code in SYNTAX and d.span is not None:
            broken.setdefault(d.span.file, []).append(d.span.line)
    if not broken:
        return list(diagnostics), []
    files = {
        document.path: _File(document.root, sources[document.path].text, broken[document.path])
        for document in documents
        if document.root is not None and document.path in broken and document.path in sources
    }
    # A line dropped as unreadable (not one merely misplaced): what is indented under it
    # was meant to belong to it.
    dropped = {path: {d.span.line for d in diagnostics if d.code in DROPPED and d.span is not None and d.span.file == path}
               for path in files}
    shown: list[Diagnostic] = []
    held: list[Diagnostic] = []
    for d in diagnostics:
        (held if _follows_from_broken_line(d, files, dropped) else shown).append(d)
    return shown, held


def _follows_from_broken_line(d: Diagnostic, files: dict[str, _File], dropped: dict[str, set[int]]) -> bool:
    if d.span is None or d.span.file not in files:
        return False
    file = files[d.span.file]
    if d.code in (Code.MISPLACED_LINE.code, Code.MISSING_FRAMEWORK.code) and file.header_dropped_before(
        d.span.line, dropped[d.span.file]
    ):
        return True  # "before the framework header": the header is there, but could not be read
    if d.code == Code.MISPLACED_LINE.code:
        # Misplaced only because the heading it is indented under could not be read.
        return file.under_broken_line(d.span.line, dropped[d.span.file])
    if d.code not in ABOUT_THE_BLOCK and d.code not in ABOUT_THE_PLACE:
        return False
    index = file.block_at(d.span.line)
    if index is None:
        return False  # not about a block
    block = file.blocks[index]
    if d.code in ABOUT_THE_BLOCK:  # a dropped line of the block itself
        return any(owner == index for line, owner in file.broken.items() if block.start < line <= block.end)
    # a dropped sibling before it: a broken line of the same parent that reads like one
    return block.parent is not None and any(
        owner == block.parent and file.reads_like(line, block.kind) for line, owner in file.broken.items() if line < block.start
    )
