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

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from precepts.dsl.ast import Attribute, Comment, Heading
from precepts.dsl.parser import parse_lines

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
            blocks.append(_Block(found.kind, key, name, found.text, line))
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


def merge(visible_text: str, source_text: str, path: str,
          characteristics: tuple[tuple[str, str, str], ...] = (), grades: Mapping[str, str] | None = None) -> str:
    """The framework as the document shows it (`visible_text`, the importer's reading),
    with what only the carried source (`source_text`, formatted) says of it.
    `characteristics` are the rating characteristics the document shows, `(standard number,
    grade label, text)`, and `grades` the carried grades' ids by label."""
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
    outline_written = False
    for block in source:
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
            # A definition outside the outline: as the source has it.
            out.append(block.heading)
            out += [line for _, line in block.lines if line.strip()]
    if not outline_written:
        out += loose
        for shown_block in (b for b in visible if b.kind in OUTLINE):
            out += block_lines(shown_block, source_by_key.get(shown_block.key))
    return "\n".join(out) + "\n"
