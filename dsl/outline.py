"""Group a file's flat lines into blocks: a line belongs to the nearest heading above it
that can hold it."""

from __future__ import annotations

from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic
from precepts.dsl.ast import Attribute, Block, Comment, Heading, Line

TOP_LEVEL = ("framework", "rules")

# Which headings can hold each kind of heading.
PARENTS: dict[str, frozenset[str]] = {
    "level": frozenset(TOP_LEVEL),
    "attribute": frozenset(TOP_LEVEL),
    "scale": frozenset(TOP_LEVEL),
    "banding": frozenset(TOP_LEVEL),
    "composite": frozenset(TOP_LEVEL),
    "hurdle": frozenset(TOP_LEVEL),
    "judgement": frozenset(TOP_LEVEL),
    "domain": frozenset({"framework"}),
    "grade": frozenset({"scale"}),
    "band": frozenset({"banding", "composite"}),
    "section": frozenset({"domain"}),
    "standard": frozenset({"section", "domain"}),
    "question": frozenset({"standard"}),
    "prompt": frozenset({"question"}),
    "questionnaire": frozenset({"framework"}),
    "item": frozenset({"questionnaire"}),
}

KIND_WORDS = {
    "framework": "the framework header",
    "rules": "a rules header",
    "level": "a level",
    "attribute": "a case attribute",
    "scale": "a scale",
    "banding": "a banding",
    "composite": "a composite rule",
    "hurdle": "a hurdle",
    "judgement": "a judgement",
    "domain": "a domain",
    "grade": "a grade",
    "band": "a band",
    "section": "a section",
    "standard": "a standard",
    "question": "a key question",
    "prompt": "a prompt",
    "questionnaire": "a questionnaire",
    "item": "a questionnaire item",
}


class _Open:
    """A block still being filled; frozen into a Block once the whole file is read."""

    __slots__ = ("attributes", "children", "comments", "heading")

    def __init__(self, heading: Heading, comments: list[Comment] | None = None) -> None:
        self.heading = heading
        self.attributes: list[Attribute] = []
        self.children: list[_Open] = []
        self.comments = comments if comments is not None else []

    def freeze(self) -> Block:
        if not (self.children or self.attributes or self.comments):  # most prompts
            return Block(self.heading, (), (), ())
        return Block(
            self.heading,
            tuple(self.attributes),
            tuple(child.freeze() for child in self.children),
            tuple(self.comments),
        )


def _parents_phrase(kind: str) -> str:
    names = sorted(KIND_WORDS[p] for p in PARENTS[kind])
    return " or ".join(names)


def outline(lines: list[Line]) -> tuple[Block | None, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    root: _Open | None = None
    stack: list[_Open] = []
    loose_comments: list[Comment] = []
    for line in lines:
        if isinstance(line, Comment):
            (stack[-1].comments if stack else loose_comments).append(line)
        elif isinstance(line, Attribute):
            if not stack:
                diagnostics.append(Code.MISPLACED_LINE(
                    f"'{line.key}:' comes before the framework header",
                    line.span,
                    help="start the file with 'framework ID' (or 'rules ID' for shared rules)",
                ))
                continue
            stack[-1].attributes.append(line)
        elif line.kind in TOP_LEVEL:
            if root is not None and root.heading.name is None:
                # The root stood in for a header not yet read (a line came before it, reported
                # as M003): this is the file's header, not a second one.
                root.heading = line
                del stack[1:]
                continue
            if root is not None:
                diagnostics.append(Code.MISPLACED_LINE(
                    f"a second {line.kind} header: a file holds one framework or one set of rules",
                    line.span,
                    help="split the file in two, or remove this line",
                ))
                continue
            root = _Open(line, comments=loose_comments)
            stack = [root]
        else:
            depth = len(stack)
            while depth and stack[depth - 1].heading.kind not in PARENTS[line.kind]:
                depth -= 1
            if depth == 0:
                if root is None:
                    diagnostics.append(Code.MISSING_FRAMEWORK(
                        f"{KIND_WORDS[line.kind]} comes before the framework header",
                        line.span,
                        help="start the file with 'framework ID' (or 'rules ID' for shared rules)",
                    ))
                    root = _Open(Heading("framework", None, None, line.span), comments=loose_comments)
                    stack = [root]
                    depth = 1
                    if root.heading.kind not in PARENTS[line.kind]:
                        continue
                else:
                    diagnostics.append(Code.MISPLACED_LINE(
                        f"{KIND_WORDS[line.kind]} must come under {_parents_phrase(line.kind)}",
                        line.span,
                        help=f"move it below {_parents_phrase(line.kind)}, or add one above it",
                    ))
                    continue
            del stack[depth:]
            block = _Open(line)
            stack[-1].children.append(block)
            stack.append(block)
    return (root.freeze() if root else None), diagnostics
