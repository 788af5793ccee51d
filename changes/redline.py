"""Word-level redlines: what was deleted from a text and what was inserted.

Texts are cut into words and punctuation marks, each keeping the spaces before it, and
compared with difflib. Joining the `equal` and `insert` texts gives the new text exactly;
joining `equal` and `delete` gives the old text with the same words and punctuation, its
spacing taken from the new text where the two agree.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# A word (with inner apostrophes, hyphens and slashes: person's, well-informed, victim/s)
# or one other visible character, each with the spaces before it.
_TOKEN = re.compile(r"\s*(?:\w+(?:['’/-]\w+)*|\S)")


@dataclass(frozen=True, slots=True)
class Op:
    op: str  # "equal" | "delete" | "insert"
    text: str  # with the spaces before each of its words, as written


def tokens(text: str) -> list[str]:
    found = _TOKEN.findall(text)
    trailing = text[len("".join(found)):]
    if trailing:  # spaces at the very end
        found.append(trailing)
    return found


def redline(old: str, new: str) -> tuple[Op, ...]:
    """The operations that turn `old` into `new`, words compared without their spacing."""
    old_tokens, new_tokens = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(
        None, [t.strip() for t in old_tokens], [t.strip() for t in new_tokens], autojunk=False
    )
    ops: list[Op] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _keep_old_space(ops, _space(old_tokens[i1]), _space(new_tokens[j1]))
            _append(ops, "equal", "".join(new_tokens[j1:j2]))
        if tag in ("delete", "replace"):
            _append(ops, "delete", "".join(old_tokens[i1:i2]))
        if tag in ("insert", "replace"):
            _append(ops, "insert", "".join(new_tokens[j1:j2]))
    return tuple(ops)


def _space(token: str) -> str:
    return token[: len(token) - len(token.lstrip())]


def _keep_old_space(ops: list[Op], old_space: str, new_space: str) -> None:
    """Unchanged words that the old text spaced from a deleted word, and the new text does not.

    Deleting "the" from "the service" leaves "service" with no space before it; the
    space belongs to the deletion, or the old text would read "theservice".
    """
    if new_space or not old_space:
        return
    for index in range(len(ops) - 1, max(len(ops) - 3, -1), -1):
        if ops[index].op == "delete":
            ops[index] = Op("delete", ops[index].text + old_space)
            return
        if ops[index].op == "equal":
            return


def _append(ops: list[Op], op: str, text: str) -> None:
    if not text:
        return
    if ops and ops[-1].op == op:
        ops[-1] = Op(op, ops[-1].text + text)
    else:
        ops.append(Op(op, text))


def old_text(ops: tuple[Op, ...]) -> str:
    return "".join(o.text for o in ops if o.op != "insert")


def new_text(ops: tuple[Op, ...]) -> str:
    return "".join(o.text for o in ops if o.op != "delete")


def split_space(text: str) -> tuple[str, str, str]:
    """The spaces an operation starts with, its words, and the spaces it ends with.

    Markers go around the words only.
    """
    body = text.strip()
    if not body:
        return text, "", ""
    start = text.index(body)
    return text[:start], body, text[start + len(body):]


def as_text(ops: tuple[Op, ...]) -> str:
    """One line marked up as `git diff --word-diff` does: [-deleted-]{+inserted+}."""
    out = []
    for op in ops:
        before, body, after = split_space(op.text)
        if op.op == "equal" or not body:
            out.append(op.text)
        elif op.op == "delete":
            out.append(f"{before}[-{body}-]{after}")
        else:
            out.append(f"{before}{{+{body}+}}{after}")
    return "".join(out)
