"""One compilation of a framework: what the phases share, and the readers they all use.

The phases (`precepts.compiler.phases`, run in order by `precepts.compiler.resolve`) each
read part of the syntax tree into the model; what one phase defines (levels, case
attributes, scales, bandings, the ratable standards) the later phases look names up in.
Faults found on the way are diagnostics; nothing here raises on bad input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from precepts.compiler import model as m
from precepts.compiler.names import did_you_mean
from precepts.core.codes import BY_CODE, Code
from precepts.core.diagnostics import Diagnostic, Related
from precepts.dsl import ast
from precepts.dsl.loader import Loaded
from precepts.dsl.outline import KIND_WORDS

DEFAULT_PROMPT_LIMIT = 10
# Which description lines each kind of heading can hold.
ALLOWED: dict[str, frozenset[str]] = {
    "framework": frozenset({
        "title", "version", "date", "status", "licence", "prompt-limit", "include",
        "preferred-term", "source", "consultation-question", "note", "waive", "open", "words",
    }),
    "rules": frozenset({"title", "version", "date", "status", "licence", "include", "source", "note", "waive"}),
    "level": frozenset({"note", "source"}),
    "attribute": frozenset({"note"}),
    "scale": frozenset({"note", "source", "waive"}),
    "grade": frozenset({"note"}),
    "banding": frozenset({"scale", "rounding", "few-cases", "source", "note", "open", "consultation-question", "waive"}),
    "band": frozenset({"note"}),
    "composite": frozenset({"scale", "at", "score", "scores", "weights", "rounding", "source", "note", "open", "consultation-question", "waive"}),
    "hurdle": frozenset({"at", "when", "then", "source", "note", "open", "consultation-question", "waive"}),
    "judgement": frozenset({"scale", "at", "source", "note", "open", "consultation-question", "waive"}),
    "domain": frozenset({"id", "at", "applies-to", "note", "source", "waive"}),
    "section": frozenset({"at", "note"}),
    "standard": frozenset({
        "id", "text", "at", "rated", "scale", "applies-to", "tags", "see", "source", "note",
        "consultation-question", "characteristic", "open", "waive", "absent-at",
    }),
    "question": frozenset({"id", "at", "applies-to", "tags", "see", "note", "waive", "consultation-question"}),
    "prompt": frozenset({"id", "at", "applies-to", "tags", "see", "note", "waive"}),
    "questionnaire": frozenset({"at", "scale", "instruction", "source", "note", "consultation-question", "waive"}),
    "item": frozenset({"id", "see", "option", "note", "waive"}),
}
REPEATABLE = frozenset({
    "absent-at", "words", "instruction", "option", "include", "preferred-term", "consultation-question", "note", "waive", "characteristic", "see",
})
ATTRIBUTE_WORDS = {
    "prompt-limit": "prompt limit:", "few-cases": "few cases:", "applies-to": "applies to:", "preferred-term": "preferred term:",
    "consultation-question": "consultation question:", "characteristic": "characteristic",
    "waive": "waive",
}


def kind_word(block: ast.Block) -> str:
    heading = block.heading
    name = heading.name.text if heading.name else ""
    if heading.kind == "prompt":
        return f"prompt {name})"
    return f"{heading.kind} {name}".strip()



class Compilation:
    """The state of one compilation: the tree being read, the diagnostics so far, the
    names defined so far, and the parts of the model each phase has made.

    A plain class rather than a dataclass: generating a dataclass execs code at import,
    which every `precepts check` would pay for (see the note in model.py)."""

    def __init__(self, loaded: Loaded, root: ast.Block) -> None:
        self.loaded = loaded
        self.root = root
        self.diagnostics: list[Diagnostic] = []
        # The top blocks (the main file's and each included file's), the definitions under
        # them (everything but domains and questionnaires), and the main file's domains.
        self.roots: list[ast.Block] = []
        self.definitions: list[ast.Block] = []
        self.domain_blocks: list[ast.Block] = []
        # Names defined, for the phases after.
        self.level_ids: list[str] = []
        # A rules file that declares no levels may name, in `at:`, the levels of the framework
        # it is applied to (`precepts rate --what-if`, or an include); they are checked there.
        self.levels_elsewhere: bool = False
        self.attributes: dict[str, m.CaseAttribute] = {}
        self.scales: dict[str, m.Scale] = {}
        self.bandings: dict[str, m.Banding] = {}
        self.ratable: dict[str, str] = {}  # id → "standard" | "judgement" | "composite"
        self.weight_words: list[ast.Word] = []
        # Gathered from every element.
        self.open_rules: list[m.OpenRule] = []
        self.waivers: list[m.Waiver] = []
        self.asked: list[m.ConsultationQuestion] = []
        # The parts of the model.
        self.levels: tuple[m.Level, ...] = ()
        self.domains: tuple[m.Domain, ...] = ()
        self.judgements: tuple[m.Judgement, ...] = ()
        self.composites: tuple[m.Composite, ...] = ()
        self.hurdles: tuple[m.Hurdle, ...] = ()
        self.questionnaires: tuple[m.Questionnaire, ...] = ()
        self.status: str | None = None
        self.prompt_limit: int = DEFAULT_PROMPT_LIMIT
        self.framework: m.Framework | None = None

    @property
    def framework_id(self) -> str:
        return self.root.heading.name.text if self.root.heading.name else "untitled"

    def report(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    # ---- description lines -----------------------------------------------------------

    def check_attributes(self, block: ast.Block) -> None:
        allowed = ALLOWED[block.heading.kind]
        seen: dict[str, ast.Attribute] = {}
        for attribute in block.attributes:
            word = ATTRIBUTE_WORDS.get(attribute.key, attribute.key + ":")
            if attribute.key not in allowed:
                holders = sorted(k for k, keys in ALLOWED.items() if attribute.key in keys)
                where = " or ".join(KIND_WORDS[h] for h in holders) or "nothing"
                self.report(Code.MISPLACED_LINE(
                    f"'{word}' cannot describe {kind_word(block)}; it belongs to {where}",
                    attribute.span,
                    help="move the line directly under the heading it describes",
                ))
            elif attribute.key in seen and attribute.key not in REPEATABLE:
                self.report(Code.INVALID_VALUE(
                    f"'{word}' is given twice for {kind_word(block)}",
                    attribute.span,
                    help="keep one of the two lines",
                    related=(Related(seen[attribute.key].span, "first given here"),),
                ))
            else:
                seen[attribute.key] = attribute

    def first(self, block: ast.Block, key: str) -> ast.Attribute | None:
        if key not in ALLOWED[block.heading.kind]:
            return None
        return block.attribute(key)

    def text_of(self, block: ast.Block, key: str) -> str | None:
        attribute = self.first(block, key)
        return attribute.value if attribute is not None and isinstance(attribute.value, str) else None

    # ---- names ------------------------------------------------------------------------

    def known(self, word: ast.Word, kind: str, names: Iterable[str], owner: str | None = None) -> bool:
        names = list(names)
        if word.text in names:
            return True
        of = f" of {owner}" if owner else ""
        self.report(Code.UNKNOWN_NAME(
            f"unknown {kind}{of} '{word.text}'"
            + (f"; defined {kind}s{of}: {', '.join(names)}" if names else f"; no {kind}{of} is defined"),
            word.span,
            help=did_you_mean(word.text, names) or f"define the {kind} first",
        ))
        return False

    def levels_of(self, block: ast.Block, inherited: tuple[str, ...]) -> tuple[str, ...]:
        attribute = self.first(block, "at")
        if attribute is None:
            return inherited
        chosen: list[str] = []
        for word in attribute.words:
            if self.levels_elsewhere and word.text not in self.level_ids:
                if word.text not in chosen:
                    chosen.append(word.text)
                continue
            if not self.known(word, "level", self.level_ids):
                continue
            if word.text not in inherited:
                self.report(Code.INVALID_VALUE(
                    f"{kind_word(block)} is placed at level '{word.text}', but what holds it applies only at {', '.join(inherited) or 'no level'}",
                    word.span,
                    help="an element can only apply at levels where the element above it applies",
                ))
                continue
            if word.text not in chosen:
                chosen.append(word.text)
        return tuple(level for level in self.level_ids if level in chosen) + tuple(
            level for level in chosen if level not in self.level_ids
        )

    def condition(self, node: ast.Condition, subjects: str, ratable: dict[str, str] | None = None) -> m.Condition | None:
        """Resolve a condition. `subjects` is "attributes" for applicability, "ratings" for hurdles."""
        if isinstance(node, ast.AllOf | ast.AnyOf):
            items = [self.condition(item, subjects, ratable) for item in node.items]
            resolved = tuple(item for item in items if item is not None)
            if len(resolved) < len(items):
                return None
            cls = m.AllOf if isinstance(node, ast.AllOf) else m.AnyOf
            return cls(resolved)
        values = tuple(v.text for v in node.values)
        subject = node.subject
        if subjects == "attributes":
            if subject.kind != "name" or subject.name is None:
                self.report(Code.INVALID_VALUE(
                    "applicability is about case attributes, such as 'case-type is post-custody'",
                    subject.span,
                ))
                return None
            if not self.known(subject.name, "case attribute", self.attributes):
                return None
            allowed = self.attributes[subject.name.text].values
            ok = True
            for word in node.values:
                ok = self.known(word, "value", allowed, owner=subject.name.text) and ok
            if node.op in ("at-least", "at-most"):
                self.report(Code.INVALID_VALUE(
                    "case attributes have no order: use 'is', 'is not' or 'is one of'", node.span))
                ok = False
            return m.Compare(node.op, "attribute", subject.name.text, values, node.span) if ok else None
        ratable = ratable or {}
        if subject.kind == "total":
            return m.Compare(node.op, "total", None, values, node.span)
        assert subject.name is not None
        if subject.kind == "count":
            return m.Compare(node.op, "count", subject.name.text, values, node.span)
        if subject.name.text not in ratable:
            self.report(Code.RATING_RULE(
                f"'{subject.name.text}' is not a standard, judgement or composite rating of this framework",
                subject.name.span,
                help=did_you_mean(subject.name.text, list(ratable)) or "hurdles compare the ratings of standards, judgements and composites",
            ))
            return None
        return m.Compare(node.op, "rating", subject.name.text, values, node.span)

    def applies_to(self, block: ast.Block) -> m.Condition | None:
        attribute = self.first(block, "applies-to")
        if attribute is None:
            return None
        return self.condition(attribute.condition, "attributes")

    def open_rule(self, block: ast.Block, subject: str, what: str) -> None:
        attribute = self.first(block, "open")
        if attribute is not None:
            self.open_rules.append(m.OpenRule(subject, what, str(attribute.value), attribute.span))

    def waivers_of(self, block: ast.Block, subject: str) -> None:
        for attribute in block.all("waive"):
            if attribute.key not in ALLOWED[block.heading.kind]:
                continue
            assert attribute.qualifier is not None
            if attribute.qualifier.text not in BY_CODE:
                self.report(Code.INVALID_VALUE(
                    f"no finding has the code '{attribute.qualifier.text}'",
                    attribute.qualifier.span,
                    help=did_you_mean(attribute.qualifier.text, list(BY_CODE)) or "run 'precepts explain' for the list of codes",
                ))
                continue
            self.waivers.append(m.Waiver(attribute.qualifier.text, subject, str(attribute.value), attribute.span))

    def questions_asked(self, block: ast.Block, subject: str) -> None:
        if "consultation-question" not in ALLOWED[block.heading.kind]:
            return
        self.asked.extend(
            m.ConsultationQuestion(subject, str(a.value), a.span) for a in block.all("consultation-question")
        )

    def tags(self, block: ast.Block) -> tuple[str, ...]:
        attribute = self.first(block, "tags")
        return tuple(dict.fromkeys(w.text for w in attribute.words)) if attribute else ()

    def references(self, block: ast.Block) -> tuple[m.Reference, ...]:
        if "see" not in ALLOWED[block.heading.kind]:
            return ()
        return tuple(
            m.Reference(word.text, None, word.span)
            for attribute in block.all("see")
            for word in attribute.words
        )


Phase = Callable[[Compilation], None]


def of_kind(blocks: list[ast.Block], kind: str) -> list[ast.Block]:
    return [b for b in blocks if b.heading.kind == kind]
