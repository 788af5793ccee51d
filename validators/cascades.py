"""Findings that may only follow from a syntax error, held back until it is fixed.

The parser drops a line it cannot read and goes on, so that every broken line is
reported in one run. But a dropped line leaves a gap the checks then see: a standard
whose broken `rated:` line was dropped "does not say how it is rated", a banding whose
broken band line was dropped "does not cover 0–100%", the prompt after a broken prompt
"comes first". Such findings are held back (and counted) while the block they are about
holds a broken line, as compilers hold back errors that follow from an earlier one; they
come back, if still true, once the syntax is fixed.

A broken line is taken to belong where its indentation puts it: in the deepest block open
above it whose heading it is indented under.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic
from precepts.core.sources import Source
from precepts.dsl.ast import Block, Document

SYNTAX = frozenset({Code.SYNTAX_ERROR.code, Code.UNKNOWN_KEYWORD.code, Code.MISPLACED_LINE.code})
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
        while index is not None and index >= 0 and self.blocks[index].indent >= depth:
            index = self.blocks[index].parent
        return index if index is not None and index >= 0 else None

    def reads_like(self, line: int, kind: str) -> bool:
        """Whether a broken line starts as a heading of `kind` would: `question …`, `a) …`."""
        text = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        if kind == "prompt":
            return _PROMPT_LIKE.match(text) is not None
        return text.split(" ", 1)[0].lower() == kind

    def block_at(self, line: int) -> int | None:
        index = bisect.bisect_left(self.starts, line)
        return index if index < len(self.blocks) and self.starts[index] == line else None


def held_back(documents: Sequence[Document], sources: Mapping[str, Source],
              diagnostics: Sequence[Diagnostic]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(the findings to show, the findings held back)."""
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
    shown: list[Diagnostic] = []
    held: list[Diagnostic] = []
    for d in diagnostics:
        (held if _follows_from_broken_line(d, files) else shown).append(d)
    return shown, held


def _follows_from_broken_line(d: Diagnostic, files: dict[str, _File]) -> bool:
    if d.span is None or d.span.file not in files or (d.code not in ABOUT_THE_BLOCK and d.code not in ABOUT_THE_PLACE):
        return False
    file = files[d.span.file]
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
