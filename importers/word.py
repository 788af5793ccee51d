"""`precepts import`: a framework written in Word, as framework text (issue 16 §1).

The document is read as a reader sees it (importers.reading: Word's own numbering as
numbers and letters, tracked changes accepted), then each paragraph is placed by what it
says, the way a person transcribing the document would:

- "Domain 1 …" (or a numbered top heading) opens a domain; a heading inside a domain that
  is not numbered opens a section ("PDU standards").
- "Standard 1.1 …" or a heading numbered N.N opens a standard; the first plain paragraph
  under it is its standard text.
- A paragraph numbered N.N.N (by Word or typed) is a key question.
- A paragraph lettered a), (a) or a. (by Word or typed) under a key question is a prompt; a
  plain paragraph right after a prompt that does not end a sentence continues it.
- Words in bold at the start of a paragraph label it: `Version: …` before the first domain
  is metadata; `Consultation question 3: …` is a consultation question on what it follows.

The text is kept verbatim. Anything that cannot be placed — a table, a picture, a paragraph
between levels, a heading outside the framework's outline — goes into the output as a
comment where it stood, with a finding (I009–I011) that says where it was: its paragraph
number and the headings above it. Reviewers' comments, footnotes and the text of text boxes
go in as comments too.

A document that precepts wrote itself (`precepts build`'s consultation.docx, author
"precepts") also says at which levels each element applies (`Levels: …`, `(PDU only)`)
and lists prompt tags (`[diversity]`); those are read back, so that importing a framework's
own Word document gives the framework's outline again.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic, Span
from precepts.dsl.format import FormatError, format_text
from precepts.importers.carried import merge
from precepts.importers.reading import Piece, read_pieces
from precepts.renderers.consultation.source_part import carried_sources

# Words Word users put between a number and its text.
_SEPARATOR = r"[ \t\u00a0]*[:.\-–—]?[ \t\u00a0]+"
_DOMAIN = re.compile(rf"Domain[ \t\u00a0]+([0-9]+){_SEPARATOR}(\S.*)", re.DOTALL | re.IGNORECASE)
_STANDARD = re.compile(rf"Standard[ \t\u00a0]+([0-9]+(?:\.[0-9]+)+){_SEPARATOR}(\S.*)", re.DOTALL | re.IGNORECASE)
# Numbering typed as text: "1.2 Staffing", "1.2.3. Are…", "a) Are…", "(b) Is…", "c. Does…".
_TYPED_NUMBER = re.compile(r"([0-9]+(?:\.[0-9]+)*)\.?[ \t\u00a0]+(\S.*)", re.DOTALL)
_TYPED_LETTER = re.compile(r"\(?([a-z]{1,2})[).][ \t\u00a0]+(\S.*)", re.DOTALL)
_LETTER_LABEL = re.compile(r"\(?([a-z]{1,2})[).]?")
_NUMBER_LABEL = re.compile(r"([0-9]+(?:\.[0-9]+)*)\.?")
_CONSULTATION = re.compile(r"Consultation question [0-9]+: ")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*")
_TAGS = re.compile(r"((?: \[[A-Za-z][A-Za-z0-9_-]*\])+)$")
_ONLY = re.compile(r" \(([^()]+(?:\([^()]*\)[^()]*)*) only\)$")
_APPLIES = re.compile(r"Applies only where (.+?) is (not )?([A-Za-z0-9_, -]+)\.")
_APPLIES_TAIL = re.compile(r" (Applies only where [^.]+\.)$")
_ENDS_SENTENCE = re.compile(r"[.?!:;)\]\"'’”]\s*$")
# How precepts' own Word document says a standard is rated (renderers.prose.method_words), for
# the methods that need no rating rule: a standard rated from cases names a banding, and one
# rated by judgement needs the level's rating scale, which the document sets out as tables.
RATING_SENTENCES = {
    "Not rated.": "not rated",
    "Inspected in cases; results are reported as percentages, without a rating.": "percentages only",
    "How this standard is rated is left open.": "open",
}
STATUSES = ("draft", "consultation", "final")
METADATA = {"Framework": "id", "Version": "version", "Date": "date", "Status": "status", "Source": "source",
            "Licence": "licence"}


class UnreadableDocument(Exception):
    """The file is not a Word document (.docx) that can be read; `diagnostic` says why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass(frozen=True)
class Imported:
    """The framework text read from a Word document, in the formatter's layout, and what
    could not be placed in it."""

    text: str
    findings: tuple[Diagnostic, ...]
    framework_id: str
    # The files the main file includes, carried in a document precepts wrote (path relative
    # to the framework file → text); empty for any other document.
    includes: dict[str, str] = field(default_factory=dict)


def slug(text: str) -> str:
    """An id from a name: "Probation Delivery Unit (PDU) inspection" → probation-delivery-unit-pdu-inspection."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    made = "-".join(words) or "framework"
    return made if made[0].isalpha() else f"x-{made}"


@dataclass
class _Element:
    kind: str  # "framework" | "domain" | "section" | "standard" | "question" | "prompt"
    outline: int | None = None  # the heading level it was opened by
    lines: list[str] = field(default_factory=list)  # its heading line, then the lines that describe it
    text_given: bool = False
    children: int = 0


@dataclass
class _Placer:
    path: str
    generated: bool  # written by precepts (its own consultation document)
    header: list[str] = field(default_factory=list)
    levels: dict[str, str] = field(default_factory=dict)  # level name → id, in order of first use
    attributes: dict[str, str] = field(default_factory=dict)  # case attribute label, lower case → id
    definitions: list[str] = field(default_factory=list)  # attribute definitions
    # The framework's lines below its header, in order: comments, and each element's heading
    # with its describing lines (which may be found after its children, as a consultation question is).
    body: list[str | _Element] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)
    stack: list[_Element] = field(default_factory=lambda: [_Element("framework")])
    headings: list[tuple[int, str]] = field(default_factory=list)  # the document's headings above
    outside: bool = False  # under a heading that is not part of the framework's outline
    domain_outline: int | None = None
    title: str | None = None
    framework_id: str | None = None
    unplaced: list[Piece] = field(default_factory=list)  # a run of paragraphs waiting to be reported
    unplaced_where: str = ""  # the headings above the first of them
    last_placed: str = ""  # the element read last: "key question 1.2.3", "prompt 1.2.3b"
    question_number: str = ""

    # ---- where we are --------------------------------------------------------------------

    @property
    def current(self) -> _Element:
        return self.stack[-1]

    def _open(self, kind: str, outline: int | None, within: tuple[str, ...], heading: str) -> None:
        while self.current.kind not in within:
            self.stack.pop()
        self.current.children += 1
        element = _Element(kind, outline, [heading])
        self.stack.append(element)
        self.body.append(element)

    def describe(self, line: str) -> None:
        """A line describing the element being read."""
        self.current.lines.append(line)

    def where(self) -> str:
        """The headings above, below the title, each cut to a few words: `Domain 1: Domain one › Standard 1.1: …`."""
        shown = [text if len(text) <= 60 else text[:59].rstrip() + "…" for outline, text in self.headings if outline]
        where = " › ".join(shown) or "the start of the document"
        return f"{where}, after {self.last_placed}" if self.last_placed else where

    def span(self, piece: Piece) -> Span:
        return Span(self.path, piece.number, 1, piece.number, 1 + max(1, len(piece.text.split("\n")[0])))

    # ---- unplaced text -------------------------------------------------------------------

    def comment(self, text: str, prefix: str = "") -> None:
        for line in text.split("\n"):
            self.body.append(f"# {prefix}{line}".rstrip())

    def keep_unplaced(self, piece: Piece) -> None:
        if not self.unplaced:
            self.unplaced_where = self.where()
        self.unplaced.append(piece)
        self.comment(piece.text, f"[paragraph {piece.number}, not placed] ")

    def flush(self) -> None:
        """Report the run of paragraphs that could not be placed, as one finding at its first."""
        if not self.unplaced:
            return
        first, last = self.unplaced[0], self.unplaced[-1]
        which = f"paragraph {first.number}" if first is last else f"paragraphs {first.number}–{last.number}"
        styles = sorted({p.style for p in self.unplaced})
        self.findings.append(Code.UNPLACED_TEXT(
            f"{which} (under {self.unplaced_where}; style {', '.join(styles)}) could not be placed in the framework's "
            "outline; kept as comments",
            self.span(first),
            help="a paragraph belongs under a domain, standard or key question; number or letter it, or move it",
        ))
        self.unplaced = []

    # ---- the pieces ----------------------------------------------------------------------

    def table(self, piece: Piece) -> None:
        self.flush()
        rows = piece.text.count("\n") + 1
        self.findings.append(Code.UNPLACED_TABLE(
            f"a table of {rows} row{'s' if rows != 1 else ''} (paragraph {piece.number}, under {self.where()}) "
            "has no place in a framework's text; its cells are kept as comments",
            self.span(piece),
            help="write what the table says as standards, key questions and prompts, or leave it as a comment",
        ))
        self.comment(piece.text, f"[table at paragraph {piece.number}] ")
        if piece.pictures:
            self.picture(piece)

    def picture(self, piece: Piece) -> None:
        self.findings.append(Code.UNPLACED_PICTURE(
            f"{piece.pictures} picture{'s' if piece.pictures != 1 else ''} (paragraph {piece.number}, under "
            f"{self.where()}) cannot be imported; a framework holds only text",
            self.span(piece),
            help="if the picture shows text (a diagram of the standards), write that text in the framework",
        ))
        self.comment(f"[picture at paragraph {piece.number}]")

    def paragraph(self, piece: Piece) -> None:
        text = piece.text.strip(" \t\u00a0")
        if piece.pictures:
            self.flush()
            self.picture(piece)
        if text:
            self._place(piece, text)
        for remark in piece.comments:
            self.comment(remark, "Word comment by ")
        for note in piece.notes:
            self.comment(note)
        for boxed in piece.boxed:
            self.comment(boxed, f"[text box at paragraph {piece.number}] ")

    def _place(self, piece: Piece, text: str) -> None:
        number, letter, rest = _label(piece, text)
        if piece.outline is not None:
            self.flush()
            self._heading_path(piece.outline, text)
        # Word's own number or letter says what the paragraph is; words are read only without one.
        domain = _DOMAIN.fullmatch(text) if piece.label is None else None
        standard = _STANDARD.fullmatch(text) if piece.label is None else None
        if domain and (piece.outline is not None or number is None):
            self.flush()
            return self.domain(piece, domain.group(1), domain.group(2))
        if standard and not self.outside:
            self.flush()
            return self.standard(piece, standard.group(1), standard.group(2))
        if number is not None and not self.outside:
            parts = number.count(".") + 1
            if parts >= 3 and self.within("standard"):
                self.flush()
                return self.question(number, rest)
            deeper = self.domain_outline is None or piece.outline is None or piece.outline > self.domain_outline
            if parts == 2 and self.within("domain") and deeper and (piece.outline is not None or piece.label is not None):
                self.flush()
                return self.standard(piece, number, rest)
            beside = self.domain_outline is None or (piece.outline or 0) <= self.domain_outline
            if parts == 1 and piece.outline is not None and piece.outline >= 1 and beside:
                self.flush()
                return self.domain(piece, number, rest)
        if letter is not None and self.within("question") and not self.outside:
            self.flush()
            return self.prompt(letter, rest)
        if piece.outline is not None:
            return self.heading(piece, text)
        return self.body_text(piece, text)

    def _heading_path(self, outline: int, text: str) -> None:
        while self.headings and self.headings[-1][0] >= outline:
            self.headings.pop()
        self.headings.append((outline, text))

    def within(self, kind: str) -> bool:
        return any(element.kind == kind for element in self.stack)

    # ---- the outline ---------------------------------------------------------------------

    def domain(self, piece: Piece, number: str, heading: str) -> None:
        self.outside = False
        self.domain_outline = piece.outline
        self._open("domain", piece.outline, ("framework",), f"domain {number} {heading}")
        self.last_placed = f"domain {number}"

    def standard(self, piece: Piece, number: str, heading: str) -> None:
        if not self.within("domain"):
            # A standard before any domain: its number says which domain, but not the domain's heading.
            domain_number = number.split(".")[0]
            self._open("domain", None, ("framework",), f"domain {domain_number} Domain {domain_number}")
        self._open("standard", piece.outline, ("domain", "section"), f"standard {number} {heading}")
        self.last_placed = f"standard {number}"

    def question(self, number: str, text: str) -> None:
        self._open("question", None, ("standard",), f"question {number} {text}")
        self.last_placed = self.question_number = f"key question {number}"

    def prompt(self, letter: str, text: str) -> None:
        attributes: list[str] = []
        if self.generated:
            text, attributes = self._prompt_extras(text)
        self._open("prompt", None, ("question",), f"{letter}) {text}")
        self.last_placed = f"prompt {letter}) of {self.question_number}"
        self.current.lines.extend(attributes)

    def _prompt_extras(self, text: str) -> tuple[str, list[str]]:
        """What precepts' own Word document adds after a prompt's text: `(Level only)`, then `[tag]`s."""
        attributes = []
        applies = _APPLIES_TAIL.search(text)
        if applies and self._applies(applies.group(1)) is not None:
            attributes.append(f"applies to: {self._applies(applies.group(1))}")
            text = text[: applies.start()]
        only = _ONLY.search(text)
        known = self._level_ids(only.group(1), known_only=True) if only else None
        if only and known is not None:
            attributes.append(f"at: {', '.join(known)}")
            text = text[: only.start()]
        tags = _TAGS.search(text)
        if tags:
            names = re.findall(r"\[([^\]]+)\]", tags.group(1))
            if all(_NAME.fullmatch(name) for name in names):
                attributes.append(f"tags: {', '.join(names)}")
                text = text[: tags.start()]
        return text, attributes

    def heading(self, piece: Piece, text: str) -> None:
        outline = piece.outline
        assert outline is not None
        if outline == 0 and self.title is None:
            self.flush()
            self.title = text
            return
        in_domain = self.within("domain") and not self.outside
        if in_domain and self.domain_outline is not None and outline > self.domain_outline and \
                not self.within("standard"):
            self.flush()
            self._open("section", outline, ("domain",), f"section: {text}")
            self.last_placed = ""
            return
        if in_domain and self.domain_outline is not None and outline > self.domain_outline and \
                self.within("standard") and outline <= (self._outline_of("standard") or 0):
            # A heading at the standard's own level or above it, inside a domain: a new section.
            self.flush()
            self._open("section", outline, ("domain",), f"section: {text}")
            self.last_placed = ""
            return
        if self.domain_outline is not None and outline <= self.domain_outline:
            # A heading beside the domains ("How ratings are given"): outside the outline until the next domain.
            self.flush()
            self.outside = True
            self.last_placed = ""
        self.keep_unplaced(piece)

    def _outline_of(self, kind: str) -> int | None:
        for element in reversed(self.stack):
            if element.kind == kind:
                return element.outline
        return None

    def body_text(self, piece: Piece, text: str) -> None:
        prefix = piece.bold_prefix or ""
        key = prefix.rstrip().rstrip(":") if prefix.rstrip().endswith(":") else None
        value = text[len(prefix):].strip() if prefix and text.startswith(prefix) else text
        if self.outside:
            return self.keep_unplaced(piece)
        if key in METADATA and not self.within("domain") and value:
            self.flush()
            if METADATA[key] == "id":
                self.framework_id = value if _NAME.fullmatch(value) else slug(value)
            elif METADATA[key] == "status" and value not in STATUSES:
                self.header.append(f"# {key}: {value} (not a status the language knows: {', '.join(STATUSES)})")
            else:
                self.header.append(f"{METADATA[key]}: {value}")
            return None
        if _CONSULTATION.match(prefix):
            # The language asks a consultation question of the framework, a standard or a key
            # question: of the innermost of those this paragraph follows.
            self.flush()
            line = f"consultation question: {value}"
            if self.within("question") or self.within("standard"):
                self._close_to(("question", "standard"))
                self.describe(line)
            else:
                self.header.append(line)
            return None
        if self.generated and not self.within("domain") and piece.style == "List Bullet" and ": " in text and \
                self._attribute(*text.split(": ", 1)):
            self.flush()
            return None
        if self.generated and value.startswith("Applies only where ") and \
                self.current.kind in {"domain", "standard", "question"} and self._applies(value) is not None:
            self.flush()
            self.describe(f"applies to: {self._applies(value)}")
            return None
        if self.generated and key == "Levels" and self.current.kind in {"domain", "standard"}:
            ids = self._level_ids(value)
            if ids is not None:
                self.flush()
                self.describe(f"at: {', '.join(ids)}")
                return None
        element = self.current
        if self.generated and element.kind == "standard" and text in RATING_SENTENCES and not prefix:
            self.flush()
            self.describe(f"rated: {RATING_SENTENCES[text]}")
            return None
        if element.kind == "standard" and not element.text_given and not element.children and not prefix:
            self.flush()
            element.text_given = True
            self.describe(f"text: {text}")
            return None
        if element.kind == "question" and self.generated and not element.children and text.endswith(" only"):
            ids = self._level_ids(text[: -len(" only")], known_only=True)
            if ids is not None:
                self.flush()
                self.describe(f"at: {', '.join(ids)}")
                return None
        if element.kind == "prompt" and not self.generated and self._continues(piece):
            # A prompt split over two paragraphs: the second carries on the first's sentence.
            self.flush()
            element.lines[0] += " " + text
            return None
        return self.keep_unplaced(piece)

    def _continues(self, piece: Piece) -> bool:
        heading = self.current.lines[0]
        return piece.label is None and piece.style != "Intense Quote" and not _ENDS_SENTENCE.search(heading)

    def _close_to(self, kinds: tuple[str, ...]) -> None:
        while self.current.kind not in kinds:
            self.stack.pop()

    def _attribute(self, label: str, values: str) -> bool:
        """`Case type: community or post-custody`, as the consultation document lists case attributes."""
        names = [v.strip() for v in re.split(r", | or ", values) if v.strip()]
        if not names or not all(_NAME.fullmatch(name) for name in names):
            return False
        self.attributes[label.lower()] = slug(label)
        self.definitions.append(f"attribute {slug(label)}: {', '.join(names)}")
        return True

    def _applies(self, sentence: str) -> str | None:
        """`Applies only where case type is post-custody.` as `case-type is post-custody`, for
        one attribute the document lists; anything else is left as it is."""
        found = _APPLIES.fullmatch(sentence)
        if not found or found.group(1).lower() not in self.attributes:
            return None
        names = [v.strip() for v in re.split(r", | or ", found.group(3)) if v.strip()]
        if not names or not all(_NAME.fullmatch(name) for name in names):
            return None
        subject = self.attributes[found.group(1).lower()]
        if found.group(2):
            return f"{subject} is not {names[0]}" if len(names) == 1 else None
        return f"{subject} is {names[0]}" if len(names) == 1 else f"{subject} is one of {', '.join(names)}"

    def _level_ids(self, names: str, known_only: bool = False) -> list[str] | None:
        """The ids of levels named as the consultation document lists them ("A, B and C"); with
        `known_only`, None unless every one was named before (by a `Levels:` line), so that a
        prompt that ends "(NPS only)" in its own words is not read as one at a level."""
        parts = [p.strip() for p in re.split(r", | and ", names) if p.strip()]
        if not parts or (known_only and not all(name in self.levels for name in parts)):
            return None
        ids = []
        for name in parts:
            if name not in self.levels:
                self.levels[name] = slug(name)
            ids.append(self.levels[name])
        return ids

    # ---- the result ----------------------------------------------------------------------

    def text(self, stem: str) -> str:
        self.flush()
        framework_id = self.framework_id or slug(stem)
        lines = [f"framework {framework_id}"]
        if self.title:
            lines.append(f"title: {self.title}")
        lines.extend(self.header)
        lines.extend(f"level {level_id}: {name}" for name, level_id in self.levels.items())
        lines.extend(self.definitions)
        for item in self.body:
            lines.extend(item.lines if isinstance(item, _Element) else [item])
        return "\n".join(lines) + "\n"


def _label(piece: Piece, text: str) -> tuple[str | None, str | None, str]:
    """The paragraph's number or letter (Word's, else typed at its start) and the text after it."""
    if piece.label is not None:
        number = _NUMBER_LABEL.fullmatch(piece.label)
        if number:
            return number.group(1), None, text
        letter = _LETTER_LABEL.fullmatch(piece.label)
        if letter:
            return None, letter.group(1), text
        return None, None, text
    typed = _TYPED_NUMBER.fullmatch(text)
    if typed:
        return typed.group(1), None, typed.group(2)
    typed_letter = _TYPED_LETTER.fullmatch(text)
    if typed_letter:
        return None, typed_letter.group(1), typed_letter.group(2)
    return None, None, text


def unreadable(path: str, reason: str) -> UnreadableDocument:
    return UnreadableDocument(Code.UNREADABLE_WORD_FILE(
        f"{path} cannot be read as a Word document: {reason}",
        Span(path, 1, 1, 1, 2),
        help="save the document from Word as a Word Document (.docx); older .doc files and PDFs are not read",
    ))


def import_word(data: bytes, path: str) -> Imported:
    """Read a Word document (.docx) given as bytes; `path` names it in findings.
    Raises UnreadableDocument for a file that is not a readable .docx."""
    try:
        import docx
    except ImportError:  # python-docx is a dependency; an installation without it is told how to mend it
        raise unreadable(path, "python-docx is not installed, which reads Word documents; install it with "
                               "precepts' documents extra: pip install 'precepts[documents]'") from None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise unreadable(path, "it is not a .docx (a .docx is a zip archive; this file is not one)")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors… for a broken package
        raise unreadable(path, f"its parts are not those of a Word document ({type(error).__name__})") from None
    generated = (document.core_properties.author or "") == "precepts"
    placer = _Placer(path, generated)
    for piece in read_pieces(document):
        if piece.kind == "table":
            placer.table(piece)
        else:
            placer.paragraph(piece)
    if placer.title is None and document.core_properties.title:
        placer.title = document.core_properties.title
    text = _formatted(placer.text(PurePath(path).stem), path)
    carried = carried_sources(document) if generated else None
    includes: dict[str, str] = {}
    if carried:
        # A document precepts wrote carries its framework's source: what the document cannot
        # show (rating rules, waivers, ids) comes from there (importers.carried).
        main, *included = carried
        text = _formatted(merge(text, _formatted(carried[main], main), path), path)
        includes = {name: carried[name] for name in included}
    return Imported(text, tuple(placer.findings), placer.framework_id or slug(PurePath(path).stem), includes)


def _formatted(text: str, path: str) -> str:
    try:
        return format_text(text, path)
    except FormatError:
        # Text the language cannot read (a heading the parser takes for something else) is left
        # as written, for the check to point at, rather than formatted.
        return text
