"""What the language server knows about a document: the check's findings (from the public
API, the same road as `precepts check`) and an index of the names and numbers written in it
and in the files it includes.

Everything here is plain data computed from the text; the server module only converts it to
the protocol's types.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from precepts.core.diagnostics import Diagnostic, Span
from precepts.dsl.ast import Attribute, Block, Document, Heading, Line, RatingMethod, Word

# Headings whose name is defined where they are written, and what they are called in words.
DEFINING_HEADINGS = {
    "level": "level", "scale": "scale", "grade": "grade", "banding": "banding", "composite": "composite",
    "hurdle": "hurdle", "judgement": "judgement", "attribute": "case attribute", "framework": "framework",
    "rules": "rules", "questionnaire": "questionnaire",
}
NUMBERED_HEADINGS = frozenset({"domain", "standard", "question"})
MAX_PROJECT_FILES = 2000  # a workspace larger than this is checked file by file from disk


@dataclass(frozen=True, slots=True)
class Definition:
    name: str
    kind: str  # "level", "grade", "element", "number", "attribute value", ...
    span: Span


@dataclass(slots=True)
class NameIndex:
    """Every name and number defined or used, across a framework and its includes."""

    definitions: dict[str, list[Definition]] = field(default_factory=dict)
    references: dict[str, list[Span]] = field(default_factory=dict)
    includes: list[tuple[str, Span]] = field(default_factory=list)  # (included name, span of the path)

    def define(self, name: str, kind: str, span: Span) -> None:
        self.definitions.setdefault(name, []).append(Definition(name, kind, span))

    def use(self, name: str, span: Span) -> None:
        self.references.setdefault(name, []).append(span)

    def names_of(self, kind: str) -> list[str]:
        return sorted({d.name for ds in self.definitions.values() for d in ds if d.kind == kind})


@dataclass(frozen=True, slots=True)
class Analysis:
    """One check of a document, with what the editor features need."""

    name: str  # the document's name within the project (POSIX, relative to the root)
    root: Path
    diagnostics: tuple[Diagnostic, ...]
    waived: tuple[tuple[Diagnostic, str], ...]  # (finding, the waiver's reason)
    documents: Mapping[str, Document]  # every parsed file, by name
    index: NameIndex
    framework: Any | None  # precepts.compiler.model.Framework, when the file compiled

    def path_of(self, name: str) -> Path:
        return self.root / PurePosixPath(name)


_DISK: dict[Path, tuple[int, str]] = {}  # path → (modification time in ns, text): read again only when changed


def _read(path: Path) -> str:
    modified = path.stat().st_mtime_ns
    known = _DISK.get(path)
    if known is None or known[0] != modified:
        known = (modified, path.read_text(encoding="utf-8"))
        _DISK[path] = known
    return known[1]


_LISTED: dict[Path, tuple[float, list[Path]]] = {}  # project root → (when listed, its framework files)
LISTING_TTL = 2.0  # seconds a listing of the project's files is used before it is read again


def _listed(root: Path) -> list[Path]:
    import time

    now = time.monotonic()
    known = _LISTED.get(root)
    if known is None or now - known[0] > LISTING_TTL:
        known = (now, sorted(root.rglob("*.precepts"))[:MAX_PROJECT_FILES])
        _LISTED[root] = known
    return known[1]


def project_files(root: Path, open_texts: Mapping[Path, str]) -> dict[str, str]:
    """Every framework file of the project as text, the editor's unsaved texts winning."""
    files: dict[str, str] = {}
    for path in _listed(root):
        try:
            files[path.relative_to(root).as_posix()] = _read(path)
        except (OSError, UnicodeDecodeError):
            continue  # the check reports it when the file is opened or included
    for path, text in open_texts.items():
        try:
            files[path.resolve().relative_to(root).as_posix()] = text
        except ValueError:
            continue
    return files


def analyse(path: Path, text: str, open_texts: Mapping[Path, str]) -> Analysis:
    """Check the document at `path` whose current text is `text`, as `precepts check` would."""
    import precepts
    from precepts.core.sources import Source
    from precepts.dsl.loader import parse_source, project_root

    root = project_root(path)
    name = path.resolve().relative_to(root).as_posix()
    files = project_files(root, {**open_texts, path: text})
    result = precepts.check(files, main=name)
    documents: dict[str, Document] = {}
    for shown, source in result.sources.items():
        documents[shown] = parse_source(source)[0]
    if name not in documents:
        documents[name] = parse_source(Source(name, text, ""))[0]
    index = NameIndex()
    for document in documents.values():
        index_document(document, index)
    waived = tuple((w.diagnostic, w.waiver.reason) for w in result.waived)
    model = next((m for m in result.models if m.file == name), result.framework)  # a rules file's model too
    return Analysis(name, root, tuple(result.diagnostics), waived, documents, index, model)


# ---- the name index --------------------------------------------------------------------------


def index_document(document: Document, index: NameIndex) -> None:
    question_number = ""
    for line in document.lines:
        if isinstance(line, Heading):
            _index_heading(line, index)
            if line.kind == "question" and line.name is not None:
                question_number = line.name.text
            elif line.kind == "prompt" and line.name is not None and question_number:
                index.define(question_number + line.name.text, "number", line.name.span)
        elif isinstance(line, Attribute):
            _index_attribute(line, index)


def _index_heading(line: Heading, index: NameIndex) -> None:
    if line.name is not None:
        if line.kind in DEFINING_HEADINGS:
            index.define(line.name.text, DEFINING_HEADINGS[line.kind], line.name.span)
        elif line.kind in NUMBERED_HEADINGS:
            index.define(line.name.text, "number", line.name.span)
    for value in line.values:
        index.define(value.text, "attribute value", value.span)
    if line.grade is not None:
        index.use(line.grade.text, line.grade.span)


def _index_attribute(line: Attribute, index: NameIndex) -> None:
    if line.key == "id" and isinstance(line.value, Word):
        index.define(line.value.text, "element", line.value.span)
        return
    if line.key == "include" and isinstance(line.value, str):
        start = line.span.end_column - len(line.value)
        index.includes.append((line.value, Span(line.span.file, line.span.line, start, line.span.line, line.span.end_column)))
        return
    if line.qualifier is not None:
        index.use(line.qualifier.text, line.qualifier.span)
    for word in words_in(line.value):
        index.use(word.text, word.span)


def words_in(value: object) -> Iterator[Word]:
    """Every name, number or reference written in a line's value (conditions included)."""
    if isinstance(value, Word):
        yield value
    elif isinstance(value, RatingMethod):
        if value.name is not None:
            yield value.name
    elif isinstance(value, (str, int, Decimal, Span)) or value is None:
        return
    elif isinstance(value, tuple):
        for item in value:
            yield from words_in(item)


def blocks(document: Document) -> Iterator[tuple[Block, int]]:
    """Every block of the outline with its depth, in the order written."""
    def walk(block: Block, depth: int) -> Iterator[tuple[Block, int]]:
        yield block, depth
        for child in block.children:
            yield from walk(child, depth + 1)

    if document.root is not None:
        yield from walk(document.root, 0)


def line_at(document: Document, line_number: int) -> Line | None:
    for line in document.lines:
        if line.span.line == line_number:
            return line
    return None
