"""A Word document's body as a flat list of pieces: paragraphs with their style, outline level
and the number or letter Word shows before them, tables and pictures (issue 16 §1).

What a reader of the document sees is what is read:

- Word's automatic numbering (w:numPr, in the paragraph or its style, resolved through
  numbering.xml: each list level's start, format and text such as `%1.%2`, restarts by
  `w:startOverride` and by a higher level moving on) becomes the label Word draws, "1.1.1"
  or "a)", since the framework's numbers are often nowhere else.
- Tracked changes read as accepted: inserted text (w:ins, w:moveTo) is read, deleted text
  (w:del, w:moveFrom) is not.
- Comments (the reviewers' notes in comments.xml), footnotes and endnotes, and the text
  in text boxes are not the framework's running text; each is kept
  with the paragraph it is anchored to, so the importer can carry it into the output.

python-docx is imported by the caller (importers.word); this module walks its XML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.document import Document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIPPED = {f"{W}del", f"{W}moveFrom"}  # tracked deletions: not the accepted text
_PICTURES = {f"{W}drawing", f"{W}pict", f"{W}object"}


@dataclass(frozen=True)
class Piece:
    """One paragraph, table or picture of the body, in document order."""

    number: int  # 1-based position among the body's paragraphs and tables, as a reader counts them
    kind: str  # "paragraph" | "table"
    text: str  # the accepted text; for a table, its cells' text, a row a line, cells joined by " | "
    style: str = ""
    outline: int | None = None  # 0 for the Title, 1–9 for Heading 1–9, None for body text
    label: str | None = None  # the number or letter Word draws before the paragraph: "1.1.1", "a)"
    bold_prefix: str | None = None  # the bold words the paragraph starts with: "Levels: "
    pictures: int = 0  # pictures (drawings, VML, embedded objects) in the paragraph
    comments: tuple[str, ...] = field(default=())  # reviewers' comments anchored here
    notes: tuple[str, ...] = field(default=())  # footnotes and endnotes referenced here, "Footnote 3: …"
    boxed: tuple[str, ...] = field(default=())  # the text of text boxes in its pictures


@dataclass
class _Level:
    start: int
    format: str  # decimal, lowerLetter, upperLetter, lowerRoman, upperRoman, bullet, none…
    text: str  # "%1.%2."


@dataclass
class _Numbering:
    """numbering.xml: each list instance's levels and where its counting restarts."""

    levels: dict[str, dict[int, _Level]]  # abstractNumId → level → definition
    instances: dict[str, str]  # numId → abstractNumId
    overrides: dict[str, dict[int, int]]  # numId → level → start
    counters: dict[str, list[int]] = field(default_factory=dict)  # abstractNumId → count per level
    started: set[str] = field(default_factory=set)  # numIds whose restart has been applied

    def label(self, num_id: str, level: int) -> str | None:
        abstract = self.instances.get(num_id)
        if abstract is None or num_id == "0":
            return None
        definitions = self.levels.get(abstract, {})
        if level not in definitions:
            return None
        counts = self.counters.setdefault(abstract, [0] * 10)
        if num_id not in self.started:
            # A list instance (w:num) continues its abstract list's count, except at the levels it
            # overrides the start of (Word's "restart numbering"), which begin again.
            self.started.add(num_id)
            for overridden in self.overrides.get(num_id, {}):
                counts[overridden] = 0
        if counts[level] == 0:
            start = self.overrides.get(num_id, {}).get(level, definitions[level].start)
            counts[level] = start
        else:
            counts[level] += 1
        for deeper in range(level + 1, 10):
            counts[deeper] = 0
        definition = definitions[level]
        if definition.format in {"bullet", "none"}:
            return None
        text = definition.text
        for shown in range(9, -1, -1):
            placeholder = f"%{shown + 1}"
            if placeholder in text:
                own = definitions.get(shown, definition)
                count = counts[shown] or own.start
                text = text.replace(placeholder, _formatted(count, own.format))
        return text.strip() or None


def _formatted(count: int, number_format: str) -> str:
    if number_format in {"lowerLetter", "upperLetter"}:
        letters = ""
        # Word's letters go a…z, then aa…zz, bbb…: the letter repeated.
        letter = chr(ord("a") + (count - 1) % 26)
        letters = letter * ((count - 1) // 26 + 1)
        return letters.upper() if number_format == "upperLetter" else letters
    if number_format in {"lowerRoman", "upperRoman"}:
        roman = _roman(count)
        return roman if number_format == "upperRoman" else roman.lower()
    return str(count)


def _roman(count: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, numeral in numerals:
        while count >= value:
            out += numeral
            count -= value
    return out


def _value(element: Any, tag: str) -> str | None:
    found = element.find(f"{W}{tag}")
    return None if found is None else found.get(f"{W}val")


def _read_numbering(document: Document) -> _Numbering:
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return _Numbering({}, {}, {})
    levels: dict[str, dict[int, _Level]] = {}
    for abstract in root.findall(f"{W}abstractNum"):
        definitions: dict[int, _Level] = {}
        for level in abstract.findall(f"{W}lvl"):
            number = int(level.get(f"{W}ilvl", "0"))
            definitions[number] = _Level(int(_value(level, "start") or "1"), _value(level, "numFmt") or "decimal",
                                         _value(level, "lvlText") or "")
        levels[abstract.get(f"{W}abstractNumId", "")] = definitions
    instances: dict[str, str] = {}
    overrides: dict[str, dict[int, int]] = {}
    for num in root.findall(f"{W}num"):
        num_id = num.get(f"{W}numId", "")
        instances[num_id] = _value(num, "abstractNumId") or ""
        for override in num.findall(f"{W}lvlOverride"):
            start = _value(override, "startOverride")
            if start is not None:
                overrides.setdefault(num_id, {})[int(override.get(f"{W}ilvl", "0"))] = int(start)
    return _Numbering(levels, instances, overrides)


class _Styles:
    """Style names, outline levels and list numbering by style id, following w:basedOn."""

    def __init__(self, document: Document) -> None:
        self.by_id: dict[str, Any] = {}
        for style in document.styles.element.findall(f"{W}style"):
            self.by_id[style.get(f"{W}styleId", "")] = style

    def name(self, style_id: str) -> str:
        """The name Word shows ("Heading 1"; the file says "heading 1")."""
        from docx.styles import BabelFish

        style = self.by_id.get(style_id)
        return BabelFish.internal2ui((_value(style, "name") or style_id) if style is not None else style_id)

    def _chain(self, style_id: str) -> list[Any]:
        chain, seen = [], set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            chain.append(style)
            style_id = _value(style, "basedOn") or ""
        return chain

    def outline(self, style_id: str) -> int | None:
        name = self.name(style_id).lower()
        if name == "title":
            return 0
        if name.startswith("heading ") and name[8:].isdigit():
            return int(name[8:])
        for style in self._chain(style_id):
            properties = style.find(f"{W}pPr")
            level = None if properties is None else _value(properties, "outlineLvl")
            if level is not None and level.isdigit() and int(level) < 9:
                return int(level) + 1
        return None

    def numbering(self, style_id: str) -> tuple[str, int] | None:
        for style in self._chain(style_id):
            properties = style.find(f"{W}pPr")
            numbering = None if properties is None else properties.find(f"{W}numPr")
            if numbering is not None and _value(numbering, "numId"):
                return _value(numbering, "numId") or "", int(_value(numbering, "ilvl") or "0")
        return None


def _accepted(element: Any) -> list[Any]:
    """The runs' text elements of `element` that a reader sees with every change accepted."""
    found: list[Any] = []
    for child in element:
        if child.tag in _SKIPPED:
            continue
        if child.tag in {f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen"} or child.tag in _PICTURES:
            found.append(child)
        elif child.tag != f"{W}pPr":
            found.extend(_accepted(child))
    return found


def _text_of(parts: list[Any]) -> str:
    out = []
    for part in parts:
        if part.tag == f"{W}t":
            out.append(part.text or "")
        elif part.tag == f"{W}tab":
            out.append("\t")
        elif part.tag == f"{W}noBreakHyphen":
            out.append("\u2011")
        elif part.tag in {f"{W}br", f"{W}cr"}:
            # One framework statement is one line, so a line break within a paragraph reads as a space.
            out.append(" ")
    return "".join(out)


def _bold_prefix(paragraph: Any) -> str | None:
    """The text of the bold runs the paragraph starts with, if it starts bold and goes on plain."""
    prefix = []
    for run in paragraph.iter(f"{W}r"):
        if any(ancestor.tag in _SKIPPED for ancestor in run.iterancestors()):
            continue
        properties = run.find(f"{W}rPr")
        bold = properties is not None and properties.find(f"{W}b") is not None and \
            _value(properties, "b") not in {"0", "false"}
        text = _text_of(_accepted(run))
        if not text:
            continue
        if not bold:
            break
        prefix.append(text)
    return "".join(prefix) or None


def _part_root(document: Document, kind: str) -> Any | None:
    """The XML of the document's part of a kind ("comments", "footnotes", "endnotes"), if any."""
    for relationship in document.part.rels.values():
        if relationship.reltype.endswith(f"/{kind}") and not relationship.is_external:
            from docx.oxml.parser import parse_xml

            return parse_xml(relationship.target_part.blob)
    return None


def _joined(element: Any) -> str:
    paragraphs = [_text_of(_accepted(p)).strip() for p in element.iter(f"{W}p")]
    return " / ".join(p for p in paragraphs if p)


def _comments(document: Document) -> dict[str, str]:
    """Reviewers' comments by id: "Author: text"."""
    root = _part_root(document, "comments")
    comments: dict[str, str] = {}
    for comment in [] if root is None else root.findall(f"{W}comment"):
        comments[comment.get(f"{W}id", "")] = f"{comment.get(f'{W}author') or 'a reviewer'}: {_joined(comment)}"
    return comments


def _notes(document: Document, kind: str) -> dict[str, str]:
    """Footnotes or endnotes by id (Word's separators, ids -1 and 0 and typed, left out)."""
    root = _part_root(document, f"{kind}s")
    notes: dict[str, str] = {}
    for note in [] if root is None else root.findall(f"{W}{kind}"):
        if note.get(f"{W}type") in (None, "normal"):
            notes[note.get(f"{W}id", "")] = _joined(note)
    return notes


def _body_blocks(body: Any) -> list[Any]:
    """The body's paragraphs and tables in order, looking inside content controls (w:sdt)."""
    blocks: list[Any] = []
    for child in body:
        if child.tag in {f"{W}p", f"{W}tbl"}:
            blocks.append(child)
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                blocks.extend(_body_blocks(content))
        elif child.tag in {f"{W}ins", f"{W}customXml", f"{W}moveTo"}:
            blocks.extend(_body_blocks(child))
    return blocks


def read_pieces(document: Document) -> list[Piece]:
    """Every paragraph and table of the body, in order, as a reader sees it."""
    numbering = _read_numbering(document)
    styles = _Styles(document)
    comments = _comments(document)
    footnotes, endnotes = _notes(document, "footnote"), _notes(document, "endnote")
    counted = {"Footnote": 0, "Endnote": 0}
    pieces: list[Piece] = []
    for number, block in enumerate(_body_blocks(document.element.body), start=1):
        if block.tag == f"{W}tbl":
            rows = []
            for row in block.iter(f"{W}tr"):
                cells = [" ".join(_text_of(_accepted(p)).strip() for p in cell.iter(f"{W}p")).strip()
                         for cell in row.findall(f"{W}tc")]
                rows.append(" | ".join(cells))
            pictures = sum(1 for _ in block.iter(*_PICTURES))
            pieces.append(Piece(number, "table", "\n".join(rows), pictures=pictures))
            continue
        properties = block.find(f"{W}pPr")
        style_id = (_value(properties, "pStyle") if properties is not None else None) or ""
        parts = _accepted(block)
        own = None if properties is None else properties.find(f"{W}numPr")
        if own is not None and _value(own, "numId") is not None:
            list_item: tuple[str, int] | None = (_value(own, "numId") or "", int(_value(own, "ilvl") or "0"))
        else:
            list_item = styles.numbering(style_id)
        label = numbering.label(*list_item) if list_item else None
        anchored = tuple(comments[c.get(f"{W}id", "")] for c in block.iter(f"{W}commentReference")
                         if c.get(f"{W}id", "") in comments)
        notes = []
        for reference in block.iter(f"{W}footnoteReference", f"{W}endnoteReference"):
            # Numbered as Word shows them: footnotes and endnotes each counted through the document.
            name = "Footnote" if reference.tag == f"{W}footnoteReference" else "Endnote"
            found = footnotes if name == "Footnote" else endnotes
            if reference.get(f"{W}id", "") in found:
                counted[name] += 1
                notes.append(f"{name} {counted[name]}: {found[reference.get(f'{W}id', '')]}")
        boxed = tuple(text for box in block.iter(f"{W}txbxContent") if (text := _joined(box)))
        pieces.append(Piece(
            number=number,
            kind="paragraph",
            text=_text_of(parts),
            style=styles.name(style_id) if style_id else "Normal",
            outline=styles.outline(style_id) if style_id else None,
            label=label,
            bold_prefix=_bold_prefix(block),
            pictures=sum(1 for part in parts if part.tag in _PICTURES),
            comments=anchored,
            notes=tuple(notes),
            boxed=boxed,
        ))
    return pieces
