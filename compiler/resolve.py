"""Syntax tree → semantic model.

Resolves names (levels, scales, grades, bandings, case attributes), inherits levels and
applicability down the hierarchy, merges the per-level parts of one standard, derives
stable ids, and resolves cross-references. Faults found on the way are diagnostics;
nothing here raises on bad input.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal

from precepts.compiler import model as m
from precepts.compiler.names import did_you_mean, slug
from precepts.compiler.queries import reference_candidates
from precepts.core.codes import BY_CODE, Code
from precepts.core.diagnostics import Diagnostic, Related, Span
from precepts.dsl import ast
from precepts.dsl.loader import Loaded
from precepts.dsl.outline import KIND_WORDS

DEFAULT_PROMPT_LIMIT = 10
STATUSES = ("draft", "consultation", "final")
ROUNDINGS = {
    "open": "open",
    "none": "none",
    "exact": "none",
    "half up to whole percent": "half-up",
    "nearest whole percent, halves up": "half-up",
    "down to whole percent": "down",
    "half even to whole percent": "half-even",
}
SCORE_METHODS = {
    "sum": "sum",
    "sum of scores": "sum",
    "average": "average",
    "average score": "average",
    "percentage of maximum": "percent-of-maximum",
    "average as a percentage of the maximum": "percent-of-maximum",
    "open": "open",
}

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


def _kind_word(block: ast.Block) -> str:
    heading = block.heading
    name = heading.name.text if heading.name else ""
    if heading.kind == "prompt":
        return f"prompt {name})"
    return f"{heading.kind} {name}".strip()


class _Resolver:
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.diagnostics: list[Diagnostic] = []
        self.level_ids: list[str] = []
        # A rules file that declares no levels may name, in `at:`, the levels of the framework
        # it is applied to (`precepts rate --what-if`, or an include); they are checked there.
        self.levels_elsewhere = False
        self.attributes: dict[str, m.CaseAttribute] = {}
        self.scales: dict[str, m.Scale] = {}
        self.bandings: dict[str, m.Banding] = {}
        self.open_rules: list[m.OpenRule] = []
        self.waivers: list[m.Waiver] = []
        self.asked: list[m.ConsultationQuestion] = []
        self.weight_words: list[ast.Word] = []

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
                    f"'{word}' cannot describe {_kind_word(block)}; it belongs to {where}",
                    attribute.span,
                    help="move the line directly under the heading it describes",
                ))
            elif attribute.key in seen and attribute.key not in REPEATABLE:
                self.report(Code.INVALID_VALUE(
                    f"'{word}' is given twice for {_kind_word(block)}",
                    attribute.span,
                    help="keep one of the two lines",
                    related=(_related(seen[attribute.key].span, "first given here"),),
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
                    f"{_kind_word(block)} is placed at level '{word.text}', but what holds it applies only at {', '.join(inherited) or 'no level'}",
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

    # ---- rating rules ---------------------------------------------------------------------

    def scale(self, block: ast.Block) -> m.Scale:
        grades: list[m.Grade] = []
        for child in block.children:
            self.check_attributes(child)
            heading = child.heading
            assert heading.name is not None
            grades.append(m.Grade(heading.name.text, heading.label or heading.name.text, heading.score, heading.span))
        assert block.heading.name is not None
        return m.Scale(block.heading.name.text, block.heading.text or "", tuple(grades), block.heading.span)

    def scale_for(self, block: ast.Block) -> str:
        attribute = self.first(block, "scale")
        if attribute is not None:
            word = attribute.word
            self.known(word, "scale", self.scales)
            return word.text
        return next(iter(self.scales), "")

    def bands(self, block: ast.Block, scale_id: str, percent: bool) -> tuple[m.Band, ...]:
        scale = self.scales.get(scale_id)
        grade_ids = [g.id for g in scale.grades] if scale else []
        bands: list[m.Band] = []
        for child in block.children:
            self.check_attributes(child)
            heading = child.heading
            assert heading.range is not None and heading.grade is not None
            rng = heading.range
            if scale is not None and heading.grade.text not in grade_ids:
                self.report(Code.RATING_RULE(
                    f"band gives '{heading.grade.text}', which is not a grade of scale '{scale_id}' ({', '.join(grade_ids)})",
                    heading.grade.span,
                    help=did_you_mean(heading.grade.text, grade_ids),
                ))
            for bound in (rng.low, rng.high):
                if bound is not None and bound.percent != percent:
                    self.report(Code.RATING_RULE(
                        "a banding of key-question results is written in percentages, such as 50%"
                        if percent else "composite bands are totals of scores, written without '%'",
                        bound.span,
                    ))
            bands.append(m.Band(
                heading.name.text if heading.name else None,
                heading.label,
                rng.low.value if rng.low else None,
                rng.high.value if rng.high else None,
                rng.kind != "below",
                percent,
                heading.grade.text,
                heading.span,
            ))
        return tuple(bands)

    def banding(self, block: ast.Block) -> m.Banding:
        assert block.heading.name is not None
        banding_id = block.heading.name.text
        scale_id = self.scale_for(block)
        rounding = self.rounding(block, banding_id)
        return m.Banding(
            banding_id, block.heading.text or "", scale_id, rounding,
            self.bands(block, scale_id, percent=True), self.text_of(block, "source"), block.heading.span,
            self.few_cases(block),
        )

    def few_cases(self, block: ast.Block) -> int | None:
        """`few cases: below N`: a rating resting on a key question inspected in fewer than
        N cases carries a note (precepts rate); None: the engine's default."""
        attribute = self.first(block, "few-cases")
        if attribute is None:
            return None
        fewest = int(attribute.word.text)
        if fewest < 1:
            self.report(Code.INVALID_VALUE(
                "'few cases: below N' needs N of at least 1", attribute.span,
                help="write, for example, 'few cases: below 10'",
            ))
            return None
        return fewest

    def rounding(self, block: ast.Block, owner: str) -> str | None:
        attribute = self.first(block, "rounding")
        if attribute is None:
            return None
        word = attribute.word
        rounding = ROUNDINGS.get(word.text.lower())
        if rounding is None:
            self.report(Code.INVALID_VALUE(
                f"unknown rounding rule '{word.text}'",
                word.span,
                help=did_you_mean(word.text, list(ROUNDINGS)) or "use one of: " + "; ".join(ROUNDINGS),
            ))
        elif rounding == "open":
            reason = self.text_of(block, "open") or "the published document does not say how a percentage on a band boundary is rounded"
            self.open_rules.append(m.OpenRule(owner, "rounding", reason, attribute.span))
        return rounding

    def composite(self, block: ast.Block) -> m.Composite:
        assert block.heading.name is not None
        composite_id = block.heading.name.text
        scale_id = self.scale_for(block)
        score: str | None = None
        attribute = self.first(block, "score")
        if attribute is not None:
            word = attribute.word
            score = SCORE_METHODS.get(word.text.lower())
            if score is None:
                self.report(Code.INVALID_VALUE(
                    f"unknown scoring rule '{word.text}'", word.span,
                    help=did_you_mean(word.text, list(SCORE_METHODS)) or "use: sum",
                ))
        is_open = self.first(block, "open") is not None or score == "open"
        if is_open:
            reason = self.text_of(block, "open") or "the published document does not give the composite rule"
            self.open_rules.append(m.OpenRule(composite_id, "composite", reason, block.heading.span))
            score = None
        scores: list[tuple[str, Decimal]] = []
        scores_attribute = self.first(block, "scores")
        if scores_attribute is not None:
            grade_ids = [g.id for g in self.scales[scale_id].grades] if scale_id in self.scales else []
            for word, value in scores_attribute.numbers:
                if self.known(word, f"grade of scale '{scale_id}'", grade_ids):
                    scores.append((word.text, value))
        weights: list[tuple[str, Decimal]] = []
        weights_attribute = self.first(block, "weights")
        if weights_attribute is not None:
            weights = [(word.text, value) for word, value in weights_attribute.numbers]
            self.weight_words.extend(word for word, _ in weights_attribute.numbers)
        return m.Composite(
            composite_id, block.heading.text or "", scale_id, self.levels_of(block, tuple(self.level_ids)),
            score, tuple(scores), self.bands(block, scale_id, percent=score == "percent-of-maximum"),
            self.text_of(block, "source"), block.heading.span, tuple(weights), self.rounding(block, composite_id),
        )

    # ---- the whole framework -------------------------------------------------------------------

    def run(self) -> m.Framework | None:
        main = self.loaded.main
        root = main.root
        if root is None:
            span = Span.point(main.path, 1, 1)
            if not self.loaded.diagnostics:
                self.report(Code.MISSING_FRAMEWORK(
                    "the file has no framework header" if main.lines else "the file is empty",
                    span,
                    help="start the file with 'framework ID', for example 'framework hmip-adult-2021'",
                ))
            return None
        roots = [root] + [d.root for d in self.loaded.includes if d.root is not None]
        for block in roots:
            self.check_attributes(block)
        definitions = [
            child for block in roots for child in block.children
            if child.heading.kind not in ("domain", "questionnaire")
        ]
        domains_blocks = [child for child in root.children if child.heading.kind == "domain"]

        levels = self.define_levels(definitions)
        for block in _of(definitions, "attribute"):
            self.check_attributes(block)
            assert block.heading.name is not None
            values = tuple(dict.fromkeys(w.text for w in block.heading.values))
            self.attributes[block.heading.name.text] = m.CaseAttribute(block.heading.name.text, values, block.heading.span)
        for block in _of(definitions, "scale"):
            self.check_attributes(block)
            scale = self.scale(block)
            self.waivers_of(block, scale.id)
            self.scales.setdefault(scale.id, scale)
        for block in _of(definitions, "banding"):
            self.check_attributes(block)
            banding = self.banding(block)
            self.questions_asked(block, banding.id)
            self.waivers_of(block, banding.id)
            self.bandings.setdefault(banding.id, banding)

        domains = self.domains(domains_blocks)
        ratable = {s.id: "standard" for d in domains for s in d.standards}
        judgements = []
        for block in _of(definitions, "judgement"):
            self.check_attributes(block)
            assert block.heading.name is not None
            judgement_id = block.heading.name.text
            self.open_rule(block, judgement_id, "judgement")
            self.questions_asked(block, judgement_id)
            self.waivers_of(block, judgement_id)
            judgements.append(m.Judgement(
                judgement_id, block.heading.text or "", self.scale_for(block),
                self.levels_of(block, tuple(self.level_ids)), self.text_of(block, "source"),
                block.heading.span,
            ))
            ratable[judgement_id] = "judgement"
        composites = []
        for block in _of(definitions, "composite"):
            self.check_attributes(block)
            composites.append(self.composite(block))
            self.waivers_of(block, composites[-1].id)
            self.questions_asked(block, composites[-1].id)
        for composite in composites:  # hurdles may cap or read an overall rating too
            ratable.setdefault(composite.id, "composite")
        standard_ids = {s.id for d in domains for s in d.standards}
        for word in self.weight_words:
            self.known(word, "standard", standard_ids)
        hurdles = []
        for block in _of(definitions, "hurdle"):
            self.check_attributes(block)
            assert block.heading.name is not None
            hurdle_id = block.heading.name.text
            self.open_rule(block, hurdle_id, "hurdle")
            self.questions_asked(block, hurdle_id)
            self.waivers_of(block, hurdle_id)
            when = self.first(block, "when")
            then = self.first(block, "then")
            hurdles.append(m.Hurdle(
                hurdle_id, block.heading.text or "", self.levels_of(block, tuple(self.level_ids)),
                self.condition(when.condition, "ratings", ratable) if when else None,
                self.condition(then.condition, "ratings", ratable) if then else None,
                self.text_of(block, "source"), block.heading.span,
            ))

        framework_id = root.heading.name.text if root.heading.name else "untitled"
        self.questions_asked(root, framework_id)
        self.open_rule(root, framework_id, "framework")
        self.waivers_of(root, framework_id)
        status = self.first(root, "status")
        if status is not None and status.word.text not in STATUSES:
            word = status.word
            self.report(Code.INVALID_VALUE(
                f"unknown status '{word.text}'; a framework is draft, consultation or final",
                word.span, help=did_you_mean(word.text, STATUSES),
            ))
        limit = DEFAULT_PROMPT_LIMIT
        limit_attribute = self.first(root, "prompt-limit")
        if limit_attribute is not None:
            limit = int(limit_attribute.word.text)
            if limit < 1:
                self.report(Code.INVALID_VALUE(
                    f"the prompt limit must be at least 1; the default of {DEFAULT_PROMPT_LIMIT} applies instead",
                    limit_attribute.span,
                ))
                limit = DEFAULT_PROMPT_LIMIT
        source = self.loaded.sources[main.path]
        framework = m.Framework(
            id=framework_id,
            kind=root.heading.kind,
            title=self.text_of(root, "title"),
            version=self.text_of(root, "version"),
            date=self.text_of(root, "date"),
            status=status.word.text if status is not None else None,
            source=self.text_of(root, "source"),
            licence=self.text_of(root, "licence"),
            prompt_limit=limit,
            levels=levels,
            attributes=tuple(self.attributes.values()),
            scales=tuple(self.scales.values()),
            bandings=tuple(self.bandings.values()),
            composites=tuple(composites),
            hurdles=tuple(hurdles),
            judgements=tuple(judgements),
            domains=domains,
            questionnaires=tuple(
                self.questionnaire(child) for child in root.children if child.heading.kind == "questionnaire"
            ),
            preferred_terms=tuple(
                m.PreferredTerm(*a.text_pair, a.span)
                for a in root.all("preferred-term") if "preferred-term" in ALLOWED[root.heading.kind]
            ),
            words=tuple(w for a in root.all("words") for w in str(a.value).replace(",", " ").split()),
            consultation_questions=tuple(sorted(self.asked, key=lambda q: (q.span.file, q.span.line))),
            open_rules=tuple(self.open_rules),
            waivers=tuple(self.waivers),
            file=main.path,
            sha256=source.sha256,
            includes=tuple(d.path for d in self.loaded.includes),
            span=root.heading.span,
        )
        return resolve_references(framework)

    def questionnaire(self, block: ast.Block) -> m.Questionnaire:
        self.check_attributes(block)
        assert block.heading.name is not None
        questionnaire_id = block.heading.name.text
        self.questions_asked(block, questionnaire_id)
        self.waivers_of(block, questionnaire_id)
        scale_attribute = self.first(block, "scale")
        scale = None
        if scale_attribute is not None:
            word = scale_attribute.word
            scale = word.text if self.known(word, "scale", self.scales) else None
        levels = self.levels_of(block, tuple(self.level_ids))
        items = []
        for number, child in enumerate(block.children, start=1):
            self.check_attributes(child)
            explicit = self.first(child, "id")
            item_id = explicit.word.text if explicit else f"{questionnaire_id}.{number}"
            self.waivers_of(child, item_id)
            items.append(m.QuestionnaireItem(
                item_id, child.heading.label or "rating", child.heading.text or "",
                tuple(str(a.value) for a in child.all("option")), self.references(child), child.heading.span,
            ))
        return m.Questionnaire(
            questionnaire_id, block.heading.text or "", levels, scale,
            tuple(str(a.value) for a in block.all("instruction")), tuple(items),
            self.text_of(block, "source"), block.heading.span,
        )

    def define_levels(self, definitions: list[ast.Block]) -> tuple[m.Level, ...]:
        levels: dict[str, m.Level] = {}
        for block in _of(definitions, "level"):
            self.check_attributes(block)
            assert block.heading.name is not None
            levels.setdefault(block.heading.name.text, m.Level(block.heading.name.text, block.heading.text or "", block.heading.span))
        if not levels and self.loaded.main.root is not None and self.loaded.main.root.heading.kind == "rules":
            self.levels_elsewhere = True
        if not levels:
            # A framework that declares no levels is inspected at one level.
            levels["all"] = m.Level("all", "All", Span.point(self.loaded.main.path, 1, 1))
        self.level_ids = list(levels)
        return tuple(levels.values())

    # ---- the hierarchy ----------------------------------------------------------------------

    def domains(self, blocks: list[ast.Block]) -> tuple[m.Domain, ...]:
        all_levels = tuple(self.level_ids)
        # First pass: find every standard block, with its levels, to merge per-level parts.
        placed: list[tuple[ast.Block, ast.Block, ast.Block | None, tuple[str, ...], str]] = []
        domain_levels: dict[int, tuple[str, ...]] = {}
        section_levels: dict[int, tuple[str, ...]] = {}
        for domain in blocks:
            self.check_attributes(domain)
            levels = self.levels_of(domain, all_levels)
            domain_levels[id(domain)] = levels
            for child in domain.children:
                self.check_attributes(child)
                if child.heading.kind == "section":
                    section = child
                    inner = self.levels_of(section, levels)
                    section_levels[id(section)] = inner
                    candidates: list[tuple[ast.Block, ast.Block | None, tuple[str, ...]]]
                    candidates = [(s, section, inner) for s in section.children]
                else:
                    candidates = [(child, None, levels)]
                for block, section_block, inherited in candidates:
                    if block is not child:
                        self.check_attributes(block)
                    explicit = self.first(block, "id")
                    standard_id = explicit.word.text if explicit else slug(block.heading.text or "")
                    placed.append((domain, block, section_block, self.levels_of(block, inherited), standard_id))

        # Group parts into standards: same id, levels that do not overlap.
        groups: list[list[int]] = []
        by_id: dict[str, list[int]] = defaultdict(list)
        for index, (_, _, _, levels, standard_id) in enumerate(placed):
            for group_index in by_id[standard_id]:
                group_levels = {lv for i in groups[group_index] for lv in placed[i][3]}
                if not group_levels & set(levels):
                    groups[group_index].append(index)
                    break
            else:
                by_id[standard_id].append(len(groups))
                groups.append([index])
        group_of = {i: g for g, members in enumerate(groups) for i in members}

        standards = [self.standard([placed[i] for i in members]) for members in groups]
        result: list[m.Domain] = []
        for domain in blocks:
            number = domain.heading.name.text if domain.heading.name else ""
            domain_id = slug(domain.heading.text or number)
            explicit = self.first(domain, "id")
            if explicit is not None:
                domain_id = explicit.word.text
            member_groups = list(dict.fromkeys(group_of[i] for i, p in enumerate(placed) if p[0] is domain))
            sections = []
            for child in domain.children:
                if child.heading.kind == "section":
                    ids = tuple(standards[group_of[i]].id for i, p in enumerate(placed) if p[2] is child)
                    sections.append(m.Section(child.heading.text or "", section_levels[id(child)], ids, child.heading.span))
            result.append(m.Domain(
                domain_id, number, domain.heading.text or "", domain_levels[id(domain)],
                self.applies_to(domain), tuple(sections),
                tuple(dataclasses.replace(standards[g], domain=domain_id) for g in member_groups),
                domain.heading.span,
            ))
        return tuple(result)

    def standard(self, parts: list[tuple[ast.Block, ast.Block, ast.Block | None, tuple[str, ...], str]]) -> m.Standard:
        first_block = parts[0][1]
        standard_id = parts[0][4]
        number = first_block.heading.name.text if first_block.heading.name else ""
        heading = first_block.heading.text or ""
        levels: list[str] = []
        texts: list[m.LevelText] = []
        ratings: list[m.LevelRating] = []
        questions: list[m.Question] = []
        characteristics: list[m.Characteristic] = []
        absent: list[tuple[str, str]] = []
        tags: list[str] = []
        references: list[m.Reference] = []
        applies_to: m.Condition | None = None
        source = None
        for _, block, _, part_levels, _ in parts:
            other_number = block.heading.name.text if block.heading.name else ""
            if block is not first_block and (other_number != number or block.heading.text != heading):
                first_levels = ", ".join(parts[0][3]) or "its first level"
                self.report(Code.INCONSISTENT_PARTS(
                    f"standard '{standard_id}' is {other_number} {block.heading.text} here but "
                    f"{number} {heading} at {first_levels}",
                    block.heading.span,
                    related=(_related(first_block.heading.span, "first written here"),),
                    subjects=(standard_id,),
                ))
            levels.extend(part_levels)
            text = self.first(block, "text")
            if text is not None and isinstance(text.value, str):
                texts.extend(m.LevelText(level, text.value, text.span) for level in part_levels)
            rated = self.first(block, "rated")
            if rated is not None and not part_levels:
                # No valid level (already reported): still check the names the line uses.
                self.rating(rated.rating_method, "", standard_id, block)
            if rated is not None and rated.rating_method.kind == "open":
                reason = self.text_of(block, "open") or "the published document does not say how this standard is rated"
                self.open_rules.append(m.OpenRule(standard_id, "rating", reason, rated.span))
            elif self.first(block, "open") is not None:
                self.open_rule(block, standard_id, "standard")
            if rated is not None:
                ratings.extend(self.rating(rated.rating_method, level, standard_id, block) for level in part_levels)
            self.waivers_of(block, standard_id)
            applies_to = applies_to or self.applies_to(block)
            tags.extend(self.tags(block))
            references.extend(self.references(block))
            self.questions_asked(block, standard_id)
            source = source or self.text_of(block, "source")
            for attribute in block.all("absent-at"):
                assert attribute.qualifier is not None
                if self.known(attribute.qualifier, "level", self.level_ids):
                    absent.append((attribute.qualifier.text, str(attribute.value)))
            for attribute in block.all("characteristic"):
                assert attribute.qualifier is not None
                characteristics.append(m.Characteristic(attribute.qualifier.text, str(attribute.value), attribute.span))
            level_key = "-".join(part_levels) if len(parts) > 1 else None
            for child in block.children:
                questions.append(self.question(child, standard_id, level_key, part_levels))
        return m.Standard(
            id=standard_id, number=number, heading=heading, domain="",
            levels=tuple(lv for lv in self.level_ids if lv in levels),
            texts=tuple(texts), ratings=tuple(ratings), applies_to=applies_to,
            tags=tuple(dict.fromkeys(tags)), references=tuple(references), questions=tuple(questions),
            characteristics=tuple(characteristics), absent=tuple(absent), source=source,
            span=first_block.heading.span, parts=tuple(m.StandardPart(p[3], p[1].heading.span) for p in parts),
        )

    def rating(self, method: ast.RatingMethod, level: str, standard_id: str, block: ast.Block) -> m.LevelRating:
        banding = reported_at = None
        if method.kind == "cases" and method.name is not None:
            if self.known(method.name, "banding", self.bandings):
                banding = method.name.text
        elif method.kind == "elsewhere" and method.name is not None:
            if self.known(method.name, "level", self.level_ids):
                reported_at = method.name.text
        return m.LevelRating(level, method.kind, banding, reported_at, method.span, self.judged_scale(method, block))

    def judged_scale(self, method: ast.RatingMethod, block: ast.Block) -> str | None:
        """A judged standard's own scale (`scale: statement-scores`), such as a scheme that
        scores statements 1 to 4 and bands the overall rating Inadequate to Outstanding."""
        attribute = self.first(block, "scale")
        if attribute is None:
            return None
        word: ast.Word = attribute.value  # type: ignore[assignment]
        if method.kind != "judgement":
            self.report(Code.INVALID_VALUE(
                f"'scale:' names the scale of a standard rated by judgement; this one is rated {method.kind}",
                attribute.span,
                help="a standard rated from cases takes the scale of its banding; remove 'scale:'",
            ))
            return None
        return word.text if self.known(word, "scale", self.scales) else None

    def question(self, block: ast.Block, standard_id: str, level_key: str | None, inherited: tuple[str, ...]) -> m.Question:
        self.check_attributes(block)
        number = block.heading.name.text if block.heading.name else ""
        last = number.rsplit(".", 1)[-1]
        explicit = self.first(block, "id")
        question_id = explicit.word.text if explicit else (
            f"{standard_id}.{level_key}.{last}" if level_key else f"{standard_id}.{last}"
        )
        levels = self.levels_of(block, inherited)
        self.waivers_of(block, question_id)
        self.questions_asked(block, question_id)
        prompts = []
        for child in block.children:
            letter = child.heading.name.text if child.heading.name else ""
            if not child.attributes:  # most prompts: nothing to resolve, so skip the lookups
                prompts.append(m.Prompt(
                    f"{question_id}{letter}", letter, number + letter, child.heading.text or "",
                    levels, None, (), (), child.heading.span,
                ))
                continue
            self.check_attributes(child)
            explicit_prompt = self.first(child, "id")
            prompt_id = explicit_prompt.word.text if explicit_prompt else f"{question_id}{letter}"
            self.waivers_of(child, prompt_id)
            prompts.append(m.Prompt(
                prompt_id, letter, number + letter, child.heading.text or "",
                self.levels_of(child, levels), self.applies_to(child), self.tags(child),
                self.references(child), child.heading.span,
            ))
        return m.Question(
            question_id, number, block.heading.text or "", levels, self.applies_to(block),
            self.tags(block), self.references(block), tuple(prompts), block.heading.span,
        )


def _of(blocks: list[ast.Block], kind: str) -> list[ast.Block]:
    return [b for b in blocks if b.heading.kind == kind]


def _related(span: Span, message: str) -> Related:
    return Related(span, message)


# ---- cross-references ------------------------------------------------------------------------


def _hierarchy(framework: m.Framework) -> Iterator[m.Standard | m.Question | m.Prompt]:
    """Every standard, question and prompt."""
    for standard in framework.standards():
        yield standard
        for question in standard.questions:
            yield question
            yield from question.prompts


def resolve_references(framework: m.Framework) -> m.Framework:
    if not any(element.references for element in _hierarchy(framework)) and not any(item.references for q in framework.questionnaires for item in q.items):
        return framework

    def resolve(references: tuple[m.Reference, ...], levels: tuple[str, ...]) -> tuple[m.Reference, ...]:
        resolved = []
        for reference in references:
            candidates = reference_candidates(framework, reference.text)
            if len(candidates) > 1:
                candidates = [c for c in candidates if set(c[1]) & set(levels)]
            target = candidates[0][0] if len(candidates) == 1 else None
            resolved.append(dataclasses.replace(reference, target=target))
        return tuple(resolved)

    domains = []
    for domain in framework.domains:
        standards = []
        for standard in domain.standards:
            questions = tuple(
                dataclasses.replace(
                    q,
                    references=resolve(q.references, q.levels),
                    prompts=tuple(dataclasses.replace(p, references=resolve(p.references, p.levels)) for p in q.prompts),
                )
                for q in standard.questions
            )
            standards.append(dataclasses.replace(
                standard, references=resolve(standard.references, standard.levels), questions=questions))
        domains.append(dataclasses.replace(domain, standards=tuple(standards)))
    questionnaires = tuple(
        dataclasses.replace(q, items=tuple(
            dataclasses.replace(item, references=resolve(item.references, q.levels)) for item in q.items
        ))
        for q in framework.questionnaires
    )
    return dataclasses.replace(framework, domains=tuple(domains), questionnaires=questionnaires)


def build_model(loaded: Loaded) -> tuple[m.Framework | None, list[Diagnostic]]:
    resolver = _Resolver(loaded)
    framework = resolver.run()
    return framework, resolver.diagnostics

