"""The framework read from a Word document that precepts wrote, made whole again from the
source it carries (issue 16 §1: import(export(F)) compiles to the same model as F).

The document shows the outline — domains, sections, standards, key questions and prompts,
their numbers, texts, levels, applicability, tags and consultation questions — and the
importer reads that from what is visible (importers.word), so an edit made in Word is
taken. What the document cannot show as text it carries in a Custom XML part
(renderers.consultation.source_part): the framework's source files. From them comes what
the visible outline does not say, element by element, matched by kind and number:

- every definition outside the outline, verbatim: levels (their ids), case attributes,
  scales, bandings, composites, judgements, hurdles, questionnaires, characteristics,
  the framework's waivers, includes, prompt limit and preferred terms;
- on each domain, section, standard, key question and prompt, the lines the document does
  not show: ids, rating methods that name a rule, references (`see:`), waivers, a
  section's levels, and the source's comments.

An element the author added in Word has no counterpart and comes in as read; one the
author deleted (or renumbered) loses what only the source said of it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from precepts.dsl.ast import Attribute, Comment, Heading
from precepts.dsl.parser import parse_lines
from precepts.importers.reading import Piece

OUTLINE = ("domain", "section", "standard", "question", "prompt")
# The keys the document shows for each kind of element, which are read from what it shows.
VISIBLE: dict[str, frozenset[str]] = {
    "framework": frozenset({"title", "version", "date", "status", "source", "licence"}),
    "domain": frozenset({"at", "applies-to"}),
    "section": frozenset(),
    "standard": frozenset({"text", "at", "applies-to"}),
    "question": frozenset({"at", "applies-to"}),
    "prompt": frozenset({"at", "tags", "applies-to"}),
}
# A consultation question is shown after what it asks about, so one after a key question's last
# prompt may be the prompt's, the key question's or the standard's: the document shows its text
# but not surely its subject. A text the source also asks keeps the source's place; a text
# only the document has (written or edited in Word) stays where the importer put it.
CONSULTATION = "consultation-question"
# The rating methods the document states in words that the importer reads back; any other
# (`by judgement`, `from cases using …`) names a rule and comes from the source.
SHOWN_METHODS = frozenset({"not-rated", "percentages-only", "open"})


@dataclass
class _Block:
    """A heading line and the lines below it up to the next heading: `(key, line)` with key
    None for a comment or a blank line."""

    kind: str
    key: tuple[str, ...]
    name: str | None
    text: str | None
    heading: str
    lines: list[tuple[str | None, str]] = field(default_factory=list)
    label: str | None = None  # an item's kind: "rating", "free-text", "choice"


def _blocks(text: str, path: str) -> tuple[list[str], list[_Block]]:
    """The lines before the framework's first heading, and its blocks."""
    parsed, _ = parse_lines(text, path)
    by_line = {line.span.line: line for line in parsed}
    raw = text.split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    leading: list[str] = []
    blocks: list[_Block] = []
    # An element's key is its kind and the numbers down to it: a framework may number the
    # standards of two sections alike (regional and PDU standards 1.1…).
    ancestors: dict[str, str] = {}
    sections = 0
    for number, line in enumerate(raw, start=1):
        found = by_line.get(number)
        if isinstance(found, Heading):
            name = found.name.text if found.name else None
            key: tuple[str, ...] = (found.kind, name or "")
            if found.kind in OUTLINE:
                if found.kind == "domain":
                    sections = 0
                elif found.kind == "section":
                    sections += 1
                depth = OUTLINE.index(found.kind)
                ancestors = {kind: value for kind, value in ancestors.items() if OUTLINE.index(kind) < depth}
                ancestors[found.kind] = str(sections) if found.kind == "section" else name or ""
                key = (found.kind, *(ancestors.get(kind, "") for kind in OUTLINE[: depth + 1]))
            blocks.append(_Block(found.kind, key, name, found.text, line, label=found.label))
        elif not blocks:
            leading.append(line)
        else:
            attribute = found.key if isinstance(found, Attribute) else None
            if isinstance(found, Attribute) and found.key == "rated" and \
                    getattr(found.value, "kind", None) in SHOWN_METHODS:
                attribute = "rated-shown"
            blocks[-1].lines.append((attribute if not isinstance(found, Comment) else None, line))
    return leading, blocks


def _level_map(visible: list[_Block], source: list[_Block]) -> dict[str, str]:
    """The importer's level ids (made from the names the document shows) → the source's."""
    by_name = {b.text: b.name for b in source if b.kind == "level" and b.name}
    return {b.name: by_name[b.text] for b in visible if b.kind == "level" and b.name and b.text in by_name}


def _attribute_map(visible: list[_Block], source: list[_Block]) -> dict[str, str]:
    """The importer's case attribute ids → the source's, by the values they list."""
    by_values: dict[str, str] = {}
    for block in source:
        if block.kind == "attribute" and block.name:
            by_values.setdefault(block.heading.split(":", 1)[-1].strip(), block.name)
    mapped = {}
    for block in visible:
        values = block.heading.split(":", 1)[-1].strip()
        if block.kind == "attribute" and block.name and values in by_values:
            mapped[block.name] = by_values[values]
    return mapped


def _renamed(line: str, key: str | None, levels: Mapping[str, str], attributes: Mapping[str, str]) -> str:
    """A visible `at:` or `applies to:` line with the source's level and attribute ids."""
    if key == "at":
        head, _, ids = line.partition(":")
        return f"{head}: " + ", ".join(levels.get(i.strip(), i.strip()) for i in ids.split(","))
    if key == "applies-to":
        head, _, condition = line.partition(":")
        words = condition.strip().split(" ", 1)
        if words and words[0] in attributes:
            words[0] = attributes[words[0]]
        return f"{head}: " + " ".join(words)
    return line


def _asked(line: str) -> str:
    return line.split(":", 1)[1].strip()


def _characteristics(partner: _Block, shown: list[tuple[str, str]], grades: Mapping[str, str]) -> list[str]:
    """A standard's characteristic lines from what the document shows, `(grade label, text)`
    in the document's order (highest grade first): the source's own lines when they say the
    same (the source's order of grades is kept), else the document's, each grade's
    paragraphs together, in the order the source gives its grades."""
    indent = next((line[: len(line) - len(line.lstrip())] for key, line in partner.lines if key), "    ")
    written = [(line.split(":", 1)[0].split()[-1], line.split(":", 1)[1].strip())
               for key, line in partner.lines if key == "characteristic"]
    read = [(grades.get(label, label.lower().replace(" ", "-")), text) for label, text in shown]
    if sorted(written) == sorted(read):
        return [line for key, line in partner.lines if key == "characteristic"]
    order = list(dict.fromkeys([grade for grade, _ in written] + [grade for grade, _ in read]))
    return [f"{indent}characteristic {grade}: {text}" for grade in order for g, text in read if g == grade]


_ITEM_NUMBER = re.compile(r"[0-9]+\. ")


@dataclass
class QuestionnaireTexts:
    """What the document shows of a questionnaire, in its order: instructions, the
    statements of its table, and each other question with its options."""

    instructions: list[str] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)
    others: list[tuple[str, list[str]]] = field(default_factory=list)


def questionnaire_texts(pieces: list[Piece]) -> QuestionnaireTexts:
    """A questionnaire's texts from the pieces under its heading in precepts' own document
    (renderers.consultation.word, `questionnaires`): plain paragraphs before the table are
    instructions; the table's rows are statements ("1. text", then a cell for each grade and
    the inspector use); each Heading 2 ("12. text") another question, its bullets its options."""
    shown = QuestionnaireTexts()
    for piece in pieces:
        if piece.kind == "table":
            rows = piece.text.split("\n")
            after = len(rows[0].split(" | ")) - 1  # the grades' cells and the inspector use
            for row in rows[1:]:
                cells = row.split(" | ")
                shown.statements.append(_ITEM_NUMBER.sub("", " | ".join(cells[: len(cells) - after]), count=1))
        elif piece.outline == 2:
            shown.others.append((_ITEM_NUMBER.sub("", piece.text, count=1), []))
        elif piece.style == "List Bullet" and shown.others:
            shown.others[-1][1].append(piece.text)
        elif piece.outline is None and piece.style == "Normal" and not piece.bold_prefix and \
                not shown.statements and not shown.others:
            shown.instructions.append(piece.text)
    return shown


def _retexted(line: str, text: str) -> str:
    """`  item: old` as `  item: text`."""
    head, _, _ = line.partition(": ")
    return f"{head}: {text}"


def _questionnaire_edits(source: list[_Block], shown: Mapping[str, QuestionnaireTexts],
                         ) -> tuple[dict[tuple[int, int], str], set[str]]:
    """The source's questionnaire lines with the texts the document shows, by (block index,
    line index; -1 for the heading), for each questionnaire whose title the document shows
    and whose instructions, statements, questions and options it shows as many of as the
    source has (otherwise the source is kept: which text is which cannot be told); and the
    titles of those questionnaires."""
    edits: dict[tuple[int, int], str] = {}
    taken: set[str] = set()
    for start, block in enumerate(source):
        if block.kind != "questionnaire" or block.text is None or block.text not in shown:
            continue
        texts = shown[block.text]
        items = []
        for index in range(start + 1, len(source)):
            if source[index].kind != "item":
                break
            items.append(index)
        instructions = [i for i, (key, _) in enumerate(block.lines) if key == "instruction"]
        statements = [i for i in items if source[i].label == "rating"]
        others = [i for i in items if source[i].label != "rating"]
        options = {i: [n for n, (key, _) in enumerate(source[i].lines) if key == "option"] for i in others}
        if len(instructions) != len(texts.instructions) or len(statements) != len(texts.statements) or \
                len(others) != len(texts.others) or \
                any(len(options[i]) != len(shown_options) for i, (_, shown_options) in zip(others, texts.others, strict=True)):
            continue
        taken.add(block.text)
        for line, text in zip(instructions, texts.instructions, strict=True):
            edits[(start, line)] = _retexted(block.lines[line][1], text)
        for index, text in zip(statements, texts.statements, strict=True):
            edits[(index, -1)] = _retexted(source[index].heading, text)
        for index, (text, shown_options) in zip(others, texts.others, strict=True):
            edits[(index, -1)] = _retexted(source[index].heading, text)
            for line, option in zip(options[index], shown_options, strict=True):
                edits[(index, line)] = _retexted(source[index].lines[line][1], option)
    return edits, taken


def questionnaires_read(source_text: str, path: str, shown: Mapping[str, QuestionnaireTexts]) -> set[str]:
    """The titles of the questionnaires whose texts are taken from what the document shows."""
    _, source = _blocks(source_text, path)
    return _questionnaire_edits(source, shown)[1]


def merge(visible_text: str, source_text: str, path: str,
          characteristics: tuple[tuple[str, str, str], ...] = (), grades: Mapping[str, str] | None = None,
          questionnaires: Mapping[str, QuestionnaireTexts] | None = None) -> str:
    """The framework as the document shows it (`visible_text`, the importer's reading),
    with what only the carried source (`source_text`, formatted) says of it.
    `characteristics` are the rating characteristics the document shows, `(standard number,
    grade label, text)`, `grades` the carried grades' ids by label, and `questionnaires` what
    the document shows of each questionnaire, by its title."""
    _, visible = _blocks(visible_text, path)
    leading, source = _blocks(source_text, path)
    levels, attributes = _level_map(visible, source), _attribute_map(visible, source)
    source_by_key = {b.key: b for b in source if b.kind in OUTLINE}
    defined = {b.name for b in source if b.kind in {"level", "attribute"}}

    asked_in_source = {_asked(line) for b in source for key, line in b.lines if key == CONSULTATION}
    asked_in_document = {_asked(line) for b in visible for key, line in b.lines if key == CONSULTATION}

    def shown(key: str | None, line: str) -> bool:
        return bool(line.strip()) and not (key == CONSULTATION and _asked(line) in asked_in_source)

    def carried(kind: str, key: str | None, line: str) -> bool:
        if key == CONSULTATION:
            return _asked(line) in asked_in_document
        return key not in VISIBLE[kind] | {"rated-shown"} and bool(line.strip()) and \
            (key is not None or line.lstrip().startswith("#"))

    # A standard's characteristics are read from the document when its number names one standard.
    numbers = Counter(b.name for b in source if b.kind == "standard")
    shown_characteristics: dict[str, list[tuple[str, str]]] = {}
    for number, label, text in characteristics:
        shown_characteristics.setdefault(number, []).append((label, text))

    def block_lines(block: _Block, partner: _Block | None) -> list[str]:
        out = [block.heading]
        out += [_renamed(line, key, levels, attributes) for key, line in block.lines if shown(key, line)]
        if partner is None:
            return out
        read = shown_characteristics.get(block.name or "") if numbers[block.name] == 1 else None
        if block.kind == "standard" and read is not None:
            out += [line for key, line in partner.lines if carried(block.kind, key, line) and key != "characteristic"]
            out += _characteristics(partner, read, grades or {})
        else:
            out += [line for key, line in partner.lines if carried(block.kind, key, line)]
        return out

    out = list(leading)
    framework = next((b for b in visible if b.kind in {"framework", "rules"}), None)
    # What the document shows outside the outline that the source does not define (a level
    # or case attribute named in Word alone, a paragraph kept as a comment) stands before the outline.
    loose: list[str] = []
    for block in visible:
        if block.kind in {"level", "attribute"} and block.name not in levels and block.name not in attributes \
                and block.name not in defined:
            loose.append(block.heading)
            loose += [line for _, line in block.lines if line.strip()]
        elif block.kind in {"framework", "rules", "level", "attribute"}:
            loose += [line for key, line in block.lines if key is None and line.lstrip().startswith("#")]
    edits, _ = _questionnaire_edits(source, questionnaires or {})
    outline_written = False
    for index, block in enumerate(source):
        if block.kind in {"framework", "rules"} and framework is not None:
            out.append(framework.heading)
            out += [line for key, line in framework.lines if key is not None and shown(key, line)]
            out += [line for key, line in block.lines if carried("framework", key, line)]
        elif block.kind in OUTLINE:
            if not outline_written:
                outline_written = True
                out += loose
                for shown_block in (b for b in visible if b.kind in OUTLINE):
                    out += block_lines(shown_block, source_by_key.get(shown_block.key))
        else:
            # A definition outside the outline: as the source has it, with a questionnaire's
            # texts as the document shows them.
            out.append(edits.get((index, -1), block.heading))
            out += [edits.get((index, number), line) for number, (_, line) in enumerate(block.lines) if line.strip()]
    if not outline_written:
        out += loose
        for shown_block in (b for b in visible if b.kind in OUTLINE):
            out += block_lines(shown_block, source_by_key.get(shown_block.key))
    return "\n".join(out) + "\n"
