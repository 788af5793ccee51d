"""Read framework files from disk, following includes, without ever raising on bad input."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from precepts.core import limits
from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic, Span
from precepts.core.sources import Source
from precepts.dsl import cache
from precepts.dsl.ast import Block, Document, Word
from precepts.dsl.outline import outline

FRAMEWORK_SUFFIX = ".precepts"
PROJECT_MARKERS = (".git", "pyproject.toml", "precepts.toml")
_Location = TypeVar("_Location")  # a Path on disk, a name in memory


@dataclass(frozen=True, slots=True)
class Loaded:
    """A framework file and everything it includes, in include order."""

    main: Document
    includes: tuple[Document, ...]
    sources: dict[str, Source]
    diagnostics: tuple[Diagnostic, ...]


def display_path(path: Path) -> str:
    """The path as the user should see it: relative below the working folder, else absolute."""
    absolute = path.absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def read_source(path: Path, shown: str, cited_at: Span | None = None) -> Source | Diagnostic:
    where = cited_at or Span.point(shown, 1, 1)
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            return Code.UNREADABLE_FILE(
                f"{shown} is not a regular file (a device, pipe or socket)", where,
                help="give the path of a framework file",
            )
        size = path.stat().st_size if path.is_file() else 0
        too_large = _too_large(size, shown, where)
        if too_large is not None:  # not even read: a wrong file can be gigabytes
            return too_large
        data = path.read_bytes()
    except FileNotFoundError:
        return Code.UNREADABLE_FILE(f"no such file: {shown}", where, help="check the path")
    except IsADirectoryError:
        return Code.UNREADABLE_FILE(f"{shown} is a folder, not a file", where)
    except OSError as error:
        return Code.UNREADABLE_FILE(f"cannot read {shown}: {error.strerror}", where)
    return decode_source(data, shown)


def decode_source(data: bytes, shown: str) -> Source | Diagnostic:
    """A file's bytes as text, however it reached us (disk, editor or request): UTF-8, no BOM, \\n lines."""
    import hashlib

    too_large = _too_large(len(data), shown, Span.point(shown, 1, 1))
    if too_large is not None:
        return too_large
    digest = hashlib.sha256(data).hexdigest()
    utf16 = _utf16_kind(data)
    if utf16:
        return Code.UNREADABLE_FILE(
            f"{shown} is UTF-16 text ({utf16}); framework files are UTF-8",
            Span.point(shown, 1, 1),
            help="save it as UTF-8: in Notepad, 'Save as' → Encoding 'UTF-8'; in Word, 'Plain Text' → "
            "'Other encoding' → 'Unicode (UTF-8)'; or run: iconv -f UTF-16 -t UTF-8 FILE > NEW-FILE",
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return Code.UNREADABLE_FILE(
            f"{shown} looks like a binary file (it contains a NUL byte on line {line})",
            Span.point(shown, line, 1),
            help="framework files are plain UTF-8 text",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        return Code.UNREADABLE_FILE(
            f"{shown} is not UTF-8 text: byte 0x{data[error.start]:02x} on line {line} cannot be read",
            Span.point(shown, line, column),
            help="save the file as UTF-8 (in most editors: 'Save as' → encoding UTF-8)",
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Source(shown, text, digest)


def _too_large(size: int, shown: str, where: Span) -> Diagnostic | None:
    limit = limits.current().file_bytes
    if not limit or size <= limit:
        return None
    return Code.INPUT_TOO_LARGE(
        f"{shown} is {limits.megabytes(size)}, more than the {limits.megabytes(limit)} precepts reads",
        where,
        help="check that this is the framework file; if it is, raise the limit with --max-file-size MB "
        "(or PRECEPTS_MAX_FILE_SIZE)",
    )


def _long_lines(source: Source) -> tuple[str, list[Diagnostic]]:
    """The text to parse, with every line over the length limit blanked (so that line
    numbers stay as they are), and a finding for each such line."""
    limit = limits.current().line_chars
    if not limit or len(source.text) <= limit:
        return source.text, []
    lines = source.text.split("\n")
    if max(map(len, lines)) <= limit:
        return source.text, []
    found = []
    for number, line in enumerate(lines, start=1):
        if len(line) > limit:
            found.append(Code.INPUT_TOO_LARGE(
                f"line {number} is {len(line):,} characters long, more than the {limit:,} precepts reads; "
                "it is skipped",
                Span(source.path, number, limit + 1, number, len(line) + 1),
                help="a line is one statement, rarely over a thousand characters: check that the line breaks "
                "were not lost; if the line is right, raise the limit with --max-line-length N "
                "(or PRECEPTS_MAX_LINE_LENGTH)",
            ))
            lines[number - 1] = ""
    return "\n".join(lines), found


def _utf16_kind(data: bytes) -> str | None:
    """'little-endian' or 'big-endian' if the bytes are UTF-16 text, as Windows tools save
    'Unicode' files: a byte-order mark, or ASCII letters each paired with a zero byte."""
    if data.startswith(b"\xff\xfe") and not data.startswith(b"\xff\xfe\x00\x00"):
        return "little-endian"
    if data.startswith(b"\xfe\xff"):
        return "big-endian"
    sample = data[:512]
    if len(sample) >= 4 and len(sample) % 2 == 0:
        evens, odds = sample[0::2], sample[1::2]
        if odds.count(0) == len(odds) and evens.count(0) == 0:
            return "little-endian"
        if evens.count(0) == len(evens) and odds.count(0) == 0:
            return "big-endian"
    return None


def project_root(path: Path) -> Path:
    """The nearest folder above the file that marks a project; includes stay inside it."""
    start = path.resolve().parent
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    return start


def parse_source(source: Source) -> tuple[Document, list[Diagnostic]]:
    from precepts.dsl import incremental

    text, too_long = _long_lines(source)
    if incremental.active():  # a long-running process: only changed lines are parsed again
        lines, diagnostics = incremental.parse_lines_incrementally(text, source.path)
        root, outline_diagnostics = outline(lines)
        return Document(source.path, tuple(lines), root), too_long + diagnostics + outline_diagnostics
    cached = cache.load(text, source.path)
    if cached is not None:
        lines, diagnostics = cached
    else:
        from precepts.dsl.parser import parse_lines  # imports lark: only on a cache miss

        lines, diagnostics = parse_lines(text, source.path)
        cache.store(text, source.path, (lines, diagnostics))
    root, outline_diagnostics = outline(lines)
    return Document(source.path, tuple(lines), root), too_long + diagnostics + outline_diagnostics


def load(path: Path) -> Loaded | list[Diagnostic]:
    """Read and parse a framework file and its includes."""
    return _load(_Disk(path), path.resolve(), display_path(path))


def load_files(files: Mapping[str, str | bytes], main: str) -> Loaded | list[Diagnostic]:
    """Parse the file named `main` from in-memory files (name → text), following its includes
    among the other names as if the files were on disk, without touching the disk: an editor's
    unsaved buffers, or the files of a request to the service. Names are relative POSIX paths."""
    name = memory_name(main)
    return _load(_Memory(files), name, name)


def memory_name(name: str) -> str:
    """An in-memory file's name as shown and as includes reach it: a normalised POSIX path."""
    return posixpath.normpath(name.replace("\\", "/"))


class _Files(Protocol[_Location]):
    """Where framework files come from: the disk, or a mapping of names to texts."""

    root_shown: str

    def locate(self, including: _Location, relative: str) -> _Location | None:
        """The file an include names, or None when it lies outside the project."""

    def shown(self, location: _Location) -> str: ...

    def read(self, location: _Location, shown: str, cited_at: Span | None = None) -> Source | Diagnostic: ...


class _Disk:
    def __init__(self, main: Path) -> None:
        self.root = project_root(main)
        self.root_shown = f"the project folder {display_path(self.root)}"

    def locate(self, including: Path, relative: str) -> Path | None:
        target = (including.parent / relative).resolve()
        return target if target.is_relative_to(self.root) else None

    def shown(self, location: Path) -> str:
        return display_path(location)

    def read(self, location: Path, shown: str, cited_at: Span | None = None) -> Source | Diagnostic:
        return read_source(location, shown, cited_at)


class _Memory:
    def __init__(self, files: Mapping[str, str | bytes]) -> None:
        self.files = {memory_name(name): text for name, text in files.items()}
        self.root_shown = "the files given"

    def locate(self, including: str, relative: str) -> str | None:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(including), relative))
        return None if target.startswith(("../", "/")) or target == ".." else target

    def shown(self, location: str) -> str:
        return location

    def read(self, location: str, shown: str, cited_at: Span | None = None) -> Source | Diagnostic:
        if location not in self.files:
            return Code.UNREADABLE_FILE(f"no such file: {shown}", cited_at or Span.point(shown, 1, 1),
                                        help="check the path")
        text = self.files[location]
        return decode_source(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"), shown)


def _load(files: _Files[_Location], main_location: _Location, shown: str) -> Loaded | list[Diagnostic]:
    source = files.read(main_location, shown)
    if isinstance(source, Diagnostic):
        return [source]
    sources = {shown: source}
    main, diagnostics = parse_source(source)
    includes: list[Document] = []
    _follow_includes(files, main, main_location, [main_location], sources, includes, diagnostics)
    return Loaded(main, tuple(includes), sources, tuple(diagnostics))


def include_words(block: Block | None) -> tuple[Word, ...]:
    if block is None:
        return ()
    return tuple(a.value for a in block.all("include") if isinstance(a.value, Word))


def _follow_includes(
    files: _Files[_Location],
    document: Document,
    location: _Location,
    chain: list[_Location],
    sources: dict[str, Source],
    includes: list[Document],
    diagnostics: list[Diagnostic],
) -> None:
    for word in include_words(document.root):
        target = files.locate(location, word.text)
        if target is None:
            diagnostics.append(Code.BAD_INCLUDE(
                f"include '{word.text}' reaches outside {files.root_shown}",
                word.span,
                help="shared rules must live inside the project; copy them in and include the copy",
            ))
            continue
        if target in chain:
            looped = [*chain[chain.index(target):], target]
            cycle = " → ".join(files.shown(p) for p in looped)
            diagnostics.append(Code.BAD_INCLUDE(
                f"include cycle: {cycle}", word.span,
                help="a file may not include itself, directly or through other files",
            ))
            continue
        shown = files.shown(target)
        if any(shown == d.path for d in includes):
            continue  # already included along another path
        source = files.read(target, shown, cited_at=word.span)
        if isinstance(source, Diagnostic):
            diagnostics.append(Code.BAD_INCLUDE(source.message, word.span, help=source.help))
            continue
        sources[shown] = source
        included, more = parse_source(source)
        diagnostics.extend(more)
        if included.root is not None and included.root.heading.kind != "rules":
            diagnostics.append(Code.BAD_INCLUDE(
                f"'{word.text}' is a framework, not a set of rules: only a file that starts with "
                "'rules ID' can be included",
                word.span,
            ))
            continue
        includes.append(included)
        _follow_includes(files, included, target, [*chain, target], sources, includes, diagnostics)
