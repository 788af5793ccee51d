"""The editor features, as functions of an analysis and a cursor: diagnostics, hover, go to
definition, references, completion, symbols, code actions and formatting.

Each answers in the protocol's types (lsprotocol) and knows nothing of the connection.
"""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types

from precepts.core.diagnostics import Diagnostic, Severity, Span
from precepts.dsl.ast import Attribute, Heading
from precepts.lsp.analysis import DEFINING_HEADINGS, Analysis, Definition, blocks, line_at
from precepts.lsp.positions import Lines

SOURCE = "precepts"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
_SUGGESTION = re.compile(r"""did you mean (.+?)\?""")
_QUOTED = re.compile(r"""'([^']+)'|"([^"]+)\"""")
_CODE = re.compile(r"^[A-Z][0-9]{3}$")
WAIVER_PLACEHOLDER = "TODO say why this finding is accepted"

SYMBOL_KINDS = {
    "framework": types.SymbolKind.File, "rules": types.SymbolKind.File, "domain": types.SymbolKind.Namespace,
    "section": types.SymbolKind.Package, "standard": types.SymbolKind.Class, "question": types.SymbolKind.Method,
    "prompt": types.SymbolKind.Field, "level": types.SymbolKind.EnumMember, "attribute": types.SymbolKind.Enum,
    "scale": types.SymbolKind.Enum, "grade": types.SymbolKind.EnumMember, "banding": types.SymbolKind.Function,
    "band": types.SymbolKind.Constant, "composite": types.SymbolKind.Function, "hurdle": types.SymbolKind.Event,
    "judgement": types.SymbolKind.Function, "questionnaire": types.SymbolKind.Interface,
    "item": types.SymbolKind.Property,
}


def uri_of(analysis: Analysis, name: str) -> str:
    return analysis.path_of(name).as_uri()


def _lines_of(analysis: Analysis, name: str) -> Lines:
    """Another file's lines, as last read from disk (for the positions of related places)."""
    try:
        return Lines(analysis.path_of(name).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return Lines("")


# ---- diagnostics ----------------------------------------------------------------------------


def diagnostics(analysis: Analysis, lines: Lines) -> list[types.Diagnostic]:
    """The document's findings, with waived ones as hints, help in the message."""
    found = [_diagnostic(analysis, d, lines, SEVERITIES[d.severity]) for d in analysis.diagnostics
             if d.span is None or d.span.file == analysis.name]
    for finding, reason in analysis.waived:
        if finding.span is not None and finding.span.file == analysis.name:
            hint = _diagnostic(analysis, finding, lines, types.DiagnosticSeverity.Hint)
            hint.message = f"{hint.message}\nwaived: {reason}"
            hint.tags = [types.DiagnosticTag.Unnecessary]
            found.append(hint)
    return found


def _diagnostic(analysis: Analysis, d: Diagnostic, lines: Lines, severity: types.DiagnosticSeverity) -> types.Diagnostic:
    message = d.message + (f"\nhelp: {d.help}" if d.help else "")
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri_of(analysis, r.span.file), range=_range_in(analysis, r.span, lines)),
            message=r.message,
        )
        for r in d.related
    ]
    return types.Diagnostic(
        range=lines.to_range(d.span), message=message, severity=severity, code=d.code, source=SOURCE,
        related_information=related or None, data={"name": d.name, "help": d.help},
    )


def _range_in(analysis: Analysis, span: Span, lines: Lines) -> types.Range:
    own = lines if span.file == analysis.name else _lines_of(analysis, span.file)
    return own.to_range(span)


# ---- hover ----------------------------------------------------------------------------------


def hover(analysis: Analysis, lines: Lines, position: types.Position) -> types.Hover | None:
    word = lines.word_at(position)[0]
    line_number = position.line + 1
    document = analysis.documents.get(analysis.name)
    line = line_at(document, line_number) if document is not None else None
    text = None
    if _CODE.match(word):
        text = _explain(word)
    elif isinstance(line, Attribute) and line.key == "waive" and line.qualifier is not None:
        text = _explain(line.qualifier.text)
    if text is None and word:
        text = _describe_name(analysis, word)
    if text is None and isinstance(line, Heading):
        text = _describe_element(analysis, line_number)
    if text is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))


def _explain(code: str) -> str | None:
    from precepts.core.codes import lookup

    entry = lookup(code)
    if entry is None:
        return None
    return f"**{entry.code}** ({entry.readable_name}, {entry.severity.value})\n\n{entry.explanation}"


def _describe_name(analysis: Analysis, word: str) -> str | None:
    definitions = analysis.index.definitions.get(word)
    framework = analysis.framework
    if not definitions:
        return None
    kind = definitions[0].kind
    if framework is not None:
        from precepts.compiler import describe

        for banding in getattr(framework, "bandings", ()):
            if banding.id == word:
                bands = "\n".join(f"- {describe.band(b)}" for b in banding.bands)
                rounding = banding.rounding or "open (not stated)"
                return f"**banding {word}**: {banding.name}\n\nrounding: {rounding}\n\n{bands}"
        for hurdle in getattr(framework, "hurdles", ()):
            if hurdle.id == word:
                return (f"**hurdle {word}**: {hurdle.name}\n\nwhen {describe.condition(hurdle.when)}, "
                        f"then {describe.condition(hurdle.then)}")
        for scale in getattr(framework, "scales", ()):
            for grade in scale.grades:
                if grade.id == word:
                    score = f", scores {grade.score}" if grade.score is not None else ""
                    return f"**grade {word}** \"{grade.label}\" on the scale {scale.id}{score}"
        for level in getattr(framework, "levels", ()):
            if level.id == word:
                return f"**level {word}**: {level.name}"
    places = ", ".join(f"{d.span.file}:{d.span.line}" for d in definitions)
    return f"**{kind} {word}**, defined at {places}"


def _describe_element(analysis: Analysis, line_number: int) -> str | None:
    framework = analysis.framework
    if framework is None:
        return None
    from precepts.compiler import describe

    for rule in (*getattr(framework, "bandings", ()), *getattr(framework, "composites", ())):
        for band in rule.bands:
            if band.span.file == analysis.name and band.span.line == line_number:
                return f"**band of {rule.id}**: {describe.band(band)}"

    for standard in framework.standards():
        elements = [(standard, "standard")]
        for question in standard.questions:
            elements.append((question, "key question"))
            elements.extend((p, "prompt") for p in question.prompts)
        for element, kind in elements:
            if element.span.file == analysis.name and element.span.line == line_number:
                lines = [f"**{kind} {element.number}**", f"id: `{element.id}`",
                         f"levels: {describe.levels(element.levels)}"]
                if element.applies_to is not None:
                    lines.append(f"applies to: {describe.condition(element.applies_to)}")
                for rating in getattr(element, "ratings", ()):
                    lines.append(f"rated at {rating.level}: {describe.rating_method(rating)}")
                return "\n\n".join(lines)
    return None


# ---- definitions and references -----------------------------------------------------------


def definition(analysis: Analysis, lines: Lines, position: types.Position) -> list[types.Location]:
    for name, span in analysis.index.includes:
        if span.file == analysis.name and span.line == position.line + 1:
            target = (analysis.path_of(analysis.name).parent / name).resolve()
            return [types.Location(uri=target.as_uri(), range=types.Range(
                start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)))]
    word = lines.word_at(position)[0]
    return [_location(analysis, d.span, lines) for d in _definitions_of(analysis, word)]


def references(analysis: Analysis, lines: Lines, position: types.Position, include_declaration: bool) -> list[types.Location]:
    word = lines.word_at(position)[0]
    spans = list(analysis.index.references.get(word, []))
    if include_declaration:
        spans.extend(d.span for d in _definitions_of(analysis, word))
    return [_location(analysis, span, lines) for span in sorted(set(spans))]


def _definitions_of(analysis: Analysis, word: str) -> list[Definition]:
    found = analysis.index.definitions.get(word, [])
    if not found and "/" in word:  # a reference with its level: pdu/1.3.2a
        found = analysis.index.definitions.get(word.split("/", 1)[1], [])
    return list(found)


def _location(analysis: Analysis, span: Span, lines: Lines) -> types.Location:
    return types.Location(uri=uri_of(analysis, span.file), range=_range_in(analysis, span, lines))


# ---- completion -----------------------------------------------------------------------------

_AFTER = (
    (re.compile(r"^\s*(at|reported at)\s*:?.*$|reported at\s+\S*$|absent at\s+\S*$"), "level"),
    (re.compile(r"\bscale\s*:\s*\S*$"), "scale"),
    (re.compile(r"\busing\s+\S*$"), "banding"),
    (re.compile(r"\bgives\s+\S*$"), "grade"),
)


def completion(analysis: Analysis, lines: Lines, position: types.Position) -> types.CompletionList:
    before = lines.line(position.line)[: lines.to_column(position) - 1]
    items: list[types.CompletionItem] = []
    if not before.strip():
        items.extend(_next_numbers(lines, position.line))
        from precepts.dsl.parser import line_keywords

        items.extend(types.CompletionItem(label=k, kind=types.CompletionItemKind.Keyword) for k in line_keywords())
    else:
        for pattern, kind in _AFTER:
            if pattern.search(before):
                items.extend(types.CompletionItem(label=n, kind=types.CompletionItemKind.Value, detail=kind)
                             for n in analysis.index.names_of(kind))
                break
        else:
            if re.search(r"\bis( not| at least| at most| one of)?\s+\S*$", before):
                for kind in ("attribute value", "grade"):
                    items.extend(types.CompletionItem(label=n, kind=types.CompletionItemKind.Value, detail=kind)
                                 for n in analysis.index.names_of(kind))
    return types.CompletionList(is_incomplete=False, items=items)


def _next_numbers(lines: Lines, line: int) -> list[types.CompletionItem]:
    """After `question 1.2.3`, offer `question 1.2.4`; after `c) …`, `d) `."""
    for number in range(line - 1, -1, -1):
        text = lines.line(number).strip()
        heading = re.match(r"(domain|standard|question)\s+([0-9]+(?:\.[0-9]+)*)\b", text)
        if heading:
            keyword, value = heading.groups()
            parts = value.split(".")
            parts[-1] = str(int(parts[-1]) + 1)
            label = f"{keyword} {'.'.join(parts)} "
            items = [types.CompletionItem(label=label.strip(), insert_text=label, kind=types.CompletionItemKind.Snippet,
                                          detail="the next number", sort_text="0")]
            if keyword == "question":
                items.append(types.CompletionItem(label="a) ", kind=types.CompletionItemKind.Snippet,
                                                  detail="the first prompt", sort_text="0"))
            return items
        prompt = re.match(r"([a-z])\)", text)
        if prompt and prompt.group(1) != "z":
            following = chr(ord(prompt.group(1)) + 1) + ") "
            return [types.CompletionItem(label=following, kind=types.CompletionItemKind.Snippet,
                                         detail="the next prompt", sort_text="0")]
    return []


# ---- document symbols ------------------------------------------------------------------------


def symbols(analysis: Analysis, lines: Lines) -> list[types.DocumentSymbol]:
    document = analysis.documents.get(analysis.name)
    if document is None or document.root is None:
        return []
    stack: list[tuple[int, types.DocumentSymbol]] = []
    top: list[types.DocumentSymbol] = []
    question = ""
    for block, depth in blocks(document):
        heading = block.heading
        if heading.kind == "question" and heading.name is not None:
            question = heading.name.text
        symbol = _symbol(heading, lines, question)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            parent = stack[-1][1]
            parent.children = [*(parent.children or []), symbol]
            parent.range = _union(parent.range, symbol.range)
        else:
            top.append(symbol)
        stack.append((depth, symbol))
    return top


def _symbol(heading: Heading, lines: Lines, question: str) -> types.DocumentSymbol:
    name_word = heading.name
    if heading.kind == "prompt" and name_word is not None:
        name = f"{question}{name_word.text}"
    elif heading.kind in DEFINING_HEADINGS or heading.kind in {"domain", "standard", "question"}:
        name = name_word.text if name_word is not None else heading.kind
    else:
        name = heading.label or heading.kind
    detail = heading.text or heading.label or None
    if heading.kind not in {"prompt"}:
        name = f"{heading.kind} {name}" if heading.kind not in {"section", "item", "band"} else name
    whole = lines.to_range(heading.span)
    chosen = lines.to_range(name_word.span) if name_word is not None else whole
    return types.DocumentSymbol(name=name or heading.kind, kind=SYMBOL_KINDS.get(heading.kind, types.SymbolKind.Object),
                                range=whole, selection_range=chosen, detail=detail, children=[])


def _union(a: types.Range, b: types.Range) -> types.Range:
    start = min((a.start.line, a.start.character), (b.start.line, b.start.character))
    end = max((a.end.line, a.end.character), (b.end.line, b.end.character))
    return types.Range(start=types.Position(line=start[0], character=start[1]),
                       end=types.Position(line=end[0], character=end[1]))


# ---- code actions ---------------------------------------------------------------------------


def code_actions(analysis: Analysis, lines: Lines, uri: str, context: types.CodeActionContext,
                 selected: types.Range) -> list[types.CodeAction]:
    actions: list[types.CodeAction] = []
    for diagnostic in context.diagnostics:
        if diagnostic.source != SOURCE:
            continue
        actions.extend(_quick_fixes(diagnostic, uri))
        if diagnostic.severity != types.DiagnosticSeverity.Hint:
            actions.append(_waive(diagnostic, lines, uri))
    renumber = renumber_following(lines, selected.start.line)
    if renumber is not None:
        title, edits = renumber
        actions.append(types.CodeAction(title=title, kind=types.CodeActionKind.RefactorRewrite,
                                        edit=types.WorkspaceEdit(changes={uri: edits})))
    return actions


def _quick_fixes(diagnostic: types.Diagnostic, uri: str) -> list[types.CodeAction]:
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    help_text = data.get("help") or ""
    match = _SUGGESTION.search(help_text)
    if not match:
        return []
    fixes: list[types.CodeAction] = []
    for quoted in _QUOTED.finditer(match.group(1)):
        replacement = quoted.group(1) or quoted.group(2)
        fixes.append(types.CodeAction(
            title=f"Replace with '{replacement}'", kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
            is_preferred=len(fixes) == 0,
            edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=diagnostic.range, new_text=replacement)]}),
        ))
    return fixes


def _waive(diagnostic: types.Diagnostic, lines: Lines, uri: str) -> types.CodeAction:
    line = diagnostic.range.start.line
    text = lines.line(line)
    indent = len(text) - len(text.lstrip(" "))
    stripped = text.strip()
    is_description = bool(re.match(r"[a-z ]+:", stripped)) and not re.match(r"[a-z]{1,2}\)", stripped)
    depth = indent if is_description else indent + 2
    new_line = f"{' ' * depth}waive {diagnostic.code}: {WAIVER_PLACEHOLDER}\n"
    at = types.Position(line=line + 1, character=0)
    return types.CodeAction(
        title=f"Waive {diagnostic.code} here (give the reason)", kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=types.Range(start=at, end=at), new_text=new_line)]}),
    )


_NUMBERED = re.compile(r"^(\s*)(standard|question)(\s+)([0-9]+(?:\.[0-9]+)*)\b")


def renumber_following(lines: Lines, line: int) -> tuple[str, list[types.TextEdit]] | None:
    """Renumber the standards or key questions after this one in sequence from its number
    (after one was inserted or removed); a standard's key questions follow their standard."""
    match = _NUMBERED.match(lines.line(line))
    if not match:
        return None
    keyword, number = match.group(2), match.group(4)
    prefix, _, last = number.rpartition(".")
    next_value = int(last)
    edits: list[types.TextEdit] = []
    old_prefix = new_prefix = ""
    stop = {"standard": ("domain",), "question": ("domain", "standard", "section")}[keyword]
    for index in range(line + 1, len(lines.lines)):
        text = lines.lines[index]
        head = text.strip().split(" ", 1)[0]
        if head in stop:
            break
        found = _NUMBERED.match(text)
        if found is None:
            continue
        if found.group(2) == keyword:
            next_value += 1
            old = found.group(4)
            new = f"{prefix}.{next_value}" if prefix else str(next_value)
            old_prefix, new_prefix = old, new
        elif keyword == "standard" and found.group(2) == "question" and old_prefix:
            old = found.group(4)
            if not old.startswith(old_prefix + "."):
                continue
            new = new_prefix + old[len(old_prefix):]
        else:
            continue
        if new != old:
            start = len(found.group(1)) + len(found.group(2)) + len(found.group(3))
            edits.append(types.TextEdit(range=types.Range(start=types.Position(line=index, character=start),
                                                          end=types.Position(line=index, character=start + len(old))),
                                        new_text=new))
    if not edits:
        return None
    kind = "standards" if keyword == "standard" else "key questions"
    return f"Renumber the following {kind} from {number}", edits


# ---- formatting -----------------------------------------------------------------------------


def formatting(text: str, name: str) -> list[types.TextEdit] | None:
    from precepts.dsl.format import FormatError, format_text

    try:
        formatted = format_text(text, name)
    except FormatError:
        return None  # the diagnostics already show the syntax errors
    if formatted == text:
        return []
    lines = text.split("\n")
    end = types.Position(line=len(lines), character=0)
    return [types.TextEdit(range=types.Range(start=types.Position(line=0, character=0), end=end), new_text=formatted)]


def path_of_uri(uri: str) -> Path:
    from pygls.uris import to_fs_path

    return Path(to_fs_path(uri) or uri)
