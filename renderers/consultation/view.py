"""The consultation page's content, in page order: what the template shows, made from
the checked model. Every text here is plain text; the template escapes it.

The page is made in English and in each language the framework has a translation for
(issue 16 §3): the same view, with the texts a translation gives (domain and standard
headings, standard texts, key questions, prompts) in that language. A text with no
current translation keeps its English, and its `..._lang` field says so (ENGLISH), so
that the HTML and the Word file mark it for screen readers; on the English page every
such field is None. precepts' own words have no translations: the page's `english`
says which language tag to mark them with (None on the English page).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from precepts.compiler import model as m
from precepts.renderers.consultation.anchors import Anchors, element_anchor
from precepts.renderers.consultation.rules import (
    RuleView,
    Table,
    banding_view,
    composite_view,
    hurdle_sentences,
    hurdles_table,
    judgement_view,
    method_table,
    open_reasons,
    scale_view,
)
from precepts.renderers.prose import applies_words, grade_label, label_of, level_name, method_words, or_list
from precepts.renderers.scope import scale, standards_at

# The language of the framework's source text and of precepts' own words.
ENGLISH = "en-GB"
DOCUMENT = "consultation"


def document_name(language: str | None, extension: str) -> str:
    """The file of the consultation document in a language (None: English), beside the
    others in the framework's folder: consultation.html, consultation.cy.html."""
    return f"{DOCUMENT}.{extension}" if language is None else f"{DOCUMENT}.{language}.{extension}"


@dataclass(frozen=True)
class LanguageVersion:
    """One language version of the page, for the language switch."""

    tag: str  # the lang attribute: en-GB, cy
    name: str  # the language's name in itself (CLDR, through Babel): English, Cymraeg
    href: str  # its file, beside this one
    current: bool  # the page being shown


@dataclass(frozen=True)
class ConsultationQuestionView:
    number: int
    text: str
    anchor: str
    about: str  # what it asks about, for the summary
    about_anchor: str


@dataclass(frozen=True)
class ReferenceView:
    text: str
    href: str | None


@dataclass(frozen=True)
class PromptView:
    anchor: str
    letter: str
    text: str
    applies: str | None
    tags: tuple[str, ...]
    levels: str | None  # shown only where it differs from its block's levels
    references: tuple[ReferenceView, ...]
    consultation: tuple[ConsultationQuestionView, ...]
    text_lang: str | None = None  # ENGLISH where the text has no translation on a translated page


@dataclass(frozen=True)
class QuestionView:
    anchor: str
    number: str
    text: str
    applies: str | None
    tags: tuple[str, ...]
    levels: str | None
    references: tuple[ReferenceView, ...]
    prompts: tuple[PromptView, ...]
    consultation: tuple[ConsultationQuestionView, ...]
    text_lang: str | None = None


@dataclass(frozen=True)
class LevelledText:
    levels: str | None  # None when the text is the same at every level shown
    text: str
    lang: str | None = None  # ENGLISH where the text has no translation on a translated page


@dataclass(frozen=True)
class StandardView:
    anchor: str
    number: str
    heading: str
    heading_level: int
    levels: tuple[str, ...]
    texts: tuple[LevelledText, ...]
    ratings: tuple[LevelledText, ...]
    banding_links: tuple[ReferenceView, ...]  # the tables of the bandings it is rated with
    applies: str | None
    questions: tuple[QuestionView, ...]
    consultation: tuple[ConsultationQuestionView, ...]
    characteristics_anchor: str | None
    heading_lang: str | None = None


@dataclass(frozen=True)
class BlockView:
    anchor: str | None
    heading: str | None
    levels: tuple[str, ...]
    standards: tuple[StandardView, ...]


@dataclass(frozen=True)
class DomainView:
    anchor: str
    number: str
    heading: str
    levels: tuple[str, ...]
    applies: str | None
    consultation: tuple[ConsultationQuestionView, ...]
    blocks: tuple[BlockView, ...]
    heading_lang: str | None = None


@dataclass(frozen=True)
class GradeCharacteristics:
    label: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class CharacteristicsView:
    anchor: str
    number: str
    heading: str
    standard_anchor: str
    grades: tuple[GradeCharacteristics, ...]


@dataclass(frozen=True)
class QuestionnaireItemView:
    anchor: str
    number: int
    kind: str
    text: str
    options: tuple[str, ...]
    inspector_use: tuple[ReferenceView, ...]


@dataclass(frozen=True)
class QuestionnaireView:
    anchor: str
    title: str
    levels: tuple[str, ...]
    source: str | None
    instructions: tuple[str, ...]
    scale_labels: tuple[str, ...]  # highest first, as a questionnaire sets them out
    rating_items: tuple[QuestionnaireItemView, ...]
    other_items: tuple[QuestionnaireItemView, ...]
    consultation: tuple[ConsultationQuestionView, ...]


@dataclass(frozen=True)
class HurdlesView:
    sentences: tuple[str, ...]
    table: Table
    open_reasons: tuple[str, ...]
    consultation: tuple[ConsultationQuestionView, ...]


@dataclass(frozen=True)
class LevelRow:
    name: str
    standards: int
    questions: int
    prompts: int


@dataclass(frozen=True)
class Page:
    framework: m.Framework
    title: str
    level_rows: tuple[LevelRow, ...]
    attributes: tuple[tuple[str, str], ...]
    framework_consultation: tuple[ConsultationQuestionView, ...]
    domains: tuple[DomainView, ...]
    method_table: Table
    rules: tuple[RuleView, ...]  # bandings, composites and judgements
    hurdles: HurdlesView | None
    scales: tuple[RuleView, ...]
    rules_consultation: dict[str, tuple[ConsultationQuestionView, ...]]
    open_rules: tuple[tuple[str, str], ...]
    characteristics: tuple[CharacteristicsView, ...]
    questionnaires: tuple[QuestionnaireView, ...]
    consultation_summary: tuple[ConsultationQuestionView, ...]
    language: str = ENGLISH  # the page's lang
    english: str | None = None  # the lang to mark precepts' own (English) words with: None on the English page
    versions: tuple[LanguageVersion, ...] = field(default=())  # empty for an English-only framework


class _Consultation:
    """Hands out the consultation questions where they belong, numbered in page order."""

    def __init__(self, framework: m.Framework, known: set[str]) -> None:
        self.waiting: dict[str, list[m.ConsultationQuestion]] = defaultdict(list)
        for question in framework.consultation_questions:
            # A question about something the page does not show is asked about the framework.
            subject = question.subject if question.subject in known else framework.id
            self.waiting[subject].append(question)
        self.placed: list[ConsultationQuestionView] = []

    def take(self, subject: str, about: str, about_anchor: str, anchors: Anchors) -> tuple[ConsultationQuestionView, ...]:
        views = []
        for question in self.waiting.pop(subject, []):
            number = len(self.placed) + 1
            view = ConsultationQuestionView(number, question.text, anchors.take(f"consultation-question-{number}"),
                                            about, about_anchor)
            self.placed.append(view)
            views.append(view)
        return tuple(views)


def _level_names(framework: m.Framework, levels: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(level_name(framework, lv) for lv in levels)


def _grouped(framework: m.Framework, pairs: list[tuple[str, tuple[str, str | None]]],
             shown: tuple[str, ...]) -> tuple[LevelledText, ...]:
    """Texts (and their language) by level, merged where levels share a text; the levels
    named only when they differ."""
    by_text: dict[tuple[str, str | None], list[str]] = {}
    for level, text in pairs:
        by_text.setdefault(text, []).append(level)
    if len(by_text) == 1 and len(next(iter(by_text.values()))) == len(shown):
        only, only_lang = next(iter(by_text))
        return (LevelledText(None, only, only_lang),)
    return tuple(
        LevelledText(or_list(_level_names(framework, levels), "and"), text, lang)
        for (text, lang), levels in by_text.items()
    )


class _Texts:
    """The framework's texts in the page's language: a translation's where it is current
    (its English is the framework's as it now is, and it is not marked fuzzy, so checks
    G001 and G002 find nothing to say of it), else the English, marked as English."""

    def __init__(self, framework: m.Framework, language: str | None) -> None:
        self.translation = next((t for t in framework.translations if t.language == language), None)
        if language is not None and self.translation is None:
            raise ValueError(f"{framework.id} has no translation into {language!r}")
        self.given = {e.key: e for e in self.translation.entries} if self.translation else {}

    def text(self, key: str, english: str) -> tuple[str, str | None]:
        """(the text, None) in the page's language, or (the English, ENGLISH) where it has none."""
        if self.translation is None:
            return english, None
        entry = self.given.get(key)
        if entry is None or not entry.text.strip() or entry.fuzzy or entry.source != english:
            return english, ENGLISH
        return entry.text, None


class _Builder:
    def __init__(self, framework: m.Framework, language: str | None = None) -> None:
        self.f = framework
        self.texts = _Texts(framework, language)
        self.anchors = Anchors()
        self.kinds: dict[str, str] = {}
        for standard in framework.standards():
            self.kinds[standard.id] = "standard"
            for question in standard.questions:
                self.kinds[question.id] = "question"
                for prompt in question.prompts:
                    self.kinds[prompt.id] = "prompt"
        for domain in framework.domains:
            self.kinds[domain.id] = "domain"
        for rules, kind in ((framework.scales, "scale"), (framework.bandings, "banding"),
                            (framework.composites, "composite"), (framework.judgements, "judgement"),
                            (framework.hurdles, "hurdle"), (framework.questionnaires, "questionnaire")):
            for rule in rules:
                self.kinds.setdefault(rule.id, kind)
        self.consultation = _Consultation(framework, {framework.id, *self.kinds})
        self.numbers = {p.id: p.number for p in framework.prompts()} | {q.id: q.number for q in framework.questions()}
        self.numbers |= {s.id: f"{s.number} {s.heading}" for s in framework.standards()}

    def reference(self, reference: m.Reference) -> ReferenceView:
        target = reference.target
        if target is None or target not in self.kinds:
            return ReferenceView(reference.text, None)
        return ReferenceView(self.numbers.get(target, reference.text), "#" + element_anchor(self.kinds[target], target))

    def about(self, subject: str, words: str, anchor: str) -> tuple[ConsultationQuestionView, ...]:
        return self.consultation.take(subject, words, anchor, self.anchors)

    # ---- domains ----------------------------------------------------------------------

    def prompt(self, prompt: m.Prompt, question: m.Question, shown: tuple[str, ...]) -> PromptView:
        anchor = self.anchors.element("prompt", prompt.id)
        own = tuple(lv for lv in prompt.levels if lv in shown)
        text, text_lang = self.texts.text(prompt.id, prompt.text)
        return PromptView(
            anchor=anchor,
            letter=prompt.letter,
            text=text,
            text_lang=text_lang,
            applies=applies_words(self.f, prompt.applies_to),
            tags=prompt.tags,
            levels=or_list(_level_names(self.f, own), "and") if own != shown and len(shown) > 1 else None,
            references=tuple(self.reference(r) for r in prompt.references),
            consultation=self.about(prompt.id, f"prompt {prompt.number}", anchor),
        )

    def question(self, question: m.Question, shown: tuple[str, ...]) -> QuestionView:
        anchor = self.anchors.element("question", question.id)
        own = tuple(lv for lv in question.levels if lv in shown)
        prompts = tuple(self.prompt(p, question, shown) for p in question.prompts if set(p.levels) & set(shown))
        text, text_lang = self.texts.text(question.id, question.text)
        return QuestionView(
            anchor=anchor,
            number=question.number,
            text=text,
            text_lang=text_lang,
            applies=applies_words(self.f, question.applies_to),
            tags=question.tags,
            levels=or_list(_level_names(self.f, own), "and") if own != shown and len(shown) > 1 else None,
            references=tuple(self.reference(r) for r in question.references),
            prompts=prompts,
            consultation=self.about(question.id, f"key question {question.number}", anchor),
        )

    def standard(self, standard: m.Standard, shown: tuple[str, ...], heading_level: int) -> StandardView:
        anchor = self.anchors.element("standard", standard.id)
        levels = tuple(lv for lv in standard.levels if lv in shown)
        texts = _grouped(self.f, [(t.level, self.texts.text(f"{standard.id}@{t.level}", t.text))
                                  for t in standard.texts if t.level in levels], levels)
        # How a standard is rated is precepts' own words: English, marked so on a translated page.
        ratings = _grouped(self.f, [(r.level, (method_words(self.f, r), None))
                                    for r in standard.ratings if r.level in levels], levels)
        heading, heading_lang = self.texts.text(standard.id, standard.heading)
        questions = tuple(self.question(q, levels) for q in standard.questions if set(q.levels) & set(levels))
        bandings = dict.fromkeys(r.banding for r in standard.ratings if r.level in levels and r.banding)
        banding_links = tuple(
            ReferenceView(b.name, "#" + element_anchor("banding", b.id)) for b in self.f.bandings if b.id in bandings
        )
        return StandardView(
            anchor=anchor,
            number=standard.number,
            heading=heading,
            heading_lang=heading_lang,
            heading_level=heading_level,
            levels=_level_names(self.f, levels),
            texts=texts,
            ratings=ratings,
            banding_links=banding_links,
            applies=applies_words(self.f, standard.applies_to),
            questions=questions,
            consultation=self.about(standard.id, f"standard {standard.number} {standard.heading}", anchor),
            characteristics_anchor=element_anchor("characteristics", standard.id) if standard.characteristics else None,
        )

    def domain(self, domain: m.Domain) -> DomainView:
        anchor = self.anchors.element("domain", domain.id)
        by_id = {s.id: s for s in domain.standards}
        blocks: list[tuple[str | None, tuple[str, ...], list[m.Standard]]] = [
            (section.heading, section.levels, [by_id[i] for i in section.standards if i in by_id])
            for section in domain.sections
        ]
        placed = {i for section in domain.sections for i in section.standards}
        rest = [s for s in domain.standards if s.id not in placed]
        if rest:
            blocks.append((None, domain.levels, rest))
        consultation = self.about(domain.id, f"domain {domain.number} {domain.heading}", anchor)
        views = []
        for heading, levels, standards in blocks:
            block_anchor = self.anchors.take(f"{anchor}-{heading}") if heading else None
            shown = tuple(lv for lv in levels if lv in domain.levels) or levels
            views.append(BlockView(
                anchor=block_anchor,
                heading=heading,
                levels=_level_names(self.f, shown),
                standards=tuple(self.standard(s, shown, 4 if heading else 3) for s in standards
                                if set(s.levels) & set(shown)),
            ))
        heading, heading_lang = self.texts.text(domain.id, domain.heading)
        return DomainView(anchor, domain.number, heading, _level_names(self.f, domain.levels),
                          applies_words(self.f, domain.applies_to), consultation, tuple(views), heading_lang)

    # ---- the rest of the page ------------------------------------------------------------

    def rules(self) -> tuple[RuleView, ...]:
        views: list[RuleView] = []
        for banding in self.f.bandings:
            views.append(banding_view(self.f, banding, self.anchors.element("banding", banding.id)))
        for composite in self.f.composites:
            views.append(composite_view(self.f, composite, self.anchors.element("composite", composite.id)))
        for judgement in self.f.judgements:
            views.append(judgement_view(self.f, judgement, self.anchors.element("judgement", judgement.id)))
        return tuple(views)

    def hurdles(self) -> HurdlesView | None:
        table = hurdles_table(self.f)
        if table is None:
            return None
        anchor = self.anchors.take("hurdles")
        consultation: tuple[ConsultationQuestionView, ...] = ()
        for hurdle in self.f.hurdles:
            consultation += self.about(hurdle.id, hurdle.name, anchor)
        reasons = tuple(reason for h in self.f.hurdles for reason in open_reasons(self.f, h.id))
        return HurdlesView(hurdle_sentences(self.f), table, reasons, consultation)

    def scales(self) -> tuple[RuleView, ...]:
        return tuple(scale_view(self.f, item, self.anchors.element("scale", item.id)) for item in self.f.scales)

    def open_rules(self) -> tuple[tuple[str, str], ...]:
        names = {s.id: f"{s.number} {s.heading}" for s in self.f.standards()}
        for rules in (self.f.scales, self.f.bandings, self.f.composites, self.f.judgements, self.f.hurdles):
            for rule in rules:
                names.setdefault(rule.id, rule.name)
        return tuple(
            (f"{label_of(o.what)}: {names.get(o.subject, o.subject)}", o.reason) for o in self.f.open_rules
        )

    def characteristics(self) -> tuple[CharacteristicsView, ...]:
        views = []
        for standard in self.f.standards():
            if not standard.characteristics:
                continue
            order: list[str] = []
            for item in standard.characteristics:
                if item.grade not in order:
                    order.append(item.grade)
            ranks = {g.id: i for s in self.f.scales for i, g in enumerate(s.grades)}
            order.sort(key=lambda grade: -ranks.get(grade, -1))  # highest first, as published
            views.append(CharacteristicsView(
                anchor=self.anchors.element("characteristics", standard.id),
                number=standard.number,
                heading=standard.heading,
                standard_anchor=element_anchor("standard", standard.id),
                grades=tuple(
                    GradeCharacteristics(grade_label(self.f, grade),
                                         tuple(c.text for c in standard.characteristics if c.grade == grade))
                    for grade in order
                ),
            ))
        return tuple(views)

    def questionnaire(self, questionnaire: m.Questionnaire) -> QuestionnaireView:
        anchor = self.anchors.element("questionnaire", questionnaire.id)
        used = scale(self.f, questionnaire.scale)
        items = [
            QuestionnaireItemView(
                anchor=self.anchors.element("item", item.id),
                number=number,
                kind=item.kind,
                text=item.text,
                options=item.options,
                inspector_use=tuple(self.reference(r) for r in item.references),
            )
            for number, item in enumerate(questionnaire.items, start=1)
        ]
        return QuestionnaireView(
            anchor=anchor,
            title=questionnaire.title,
            levels=_level_names(self.f, questionnaire.levels),
            source=questionnaire.source,
            instructions=questionnaire.instructions,
            scale_labels=tuple(g.label for g in reversed(used.grades)) if used else (),
            rating_items=tuple(i for i in items if i.kind == "rating"),
            other_items=tuple(i for i in items if i.kind != "rating"),
            consultation=self.about(questionnaire.id, questionnaire.title, anchor),
        )


def language_versions(framework: m.Framework, language: str | None) -> tuple[LanguageVersion, ...]:
    """The page's versions for its language switch: English, then each translation in the
    order of their tags; none for an English-only framework. Each is named in itself, as
    GOV.UK's language switch names them ("English | Cymraeg"), by Babel from CLDR."""
    if not framework.translations:
        return ()
    from babel.core import Locale, UnknownLocaleError

    versions = [LanguageVersion(ENGLISH, "English", document_name(None, "html"), language is None)]
    for translation in framework.translations:
        try:
            # The language alone ("Cymraeg" for cy-GB too), as a language switch names it.
            name = Locale.parse(translation.language.replace("-", "_")).get_language_name() or translation.name
        except (UnknownLocaleError, ValueError):  # read_translation refuses such a file: not reached
            name = translation.name
        versions.append(LanguageVersion(translation.language, name[:1].upper() + name[1:],
                                        document_name(translation.language, "html"),
                                        translation.language == language))
    return tuple(versions)


def build_page(framework: m.Framework, language: str | None = None) -> Page:
    """The page in English, or in `language`: the tag of one of the framework's translations."""
    b = _Builder(framework, language)
    intro_anchor = b.anchors.take("about-this-framework")
    framework_consultation = b.about(framework.id, "the framework as a whole", intro_anchor)
    level_rows = []
    for level in framework.levels:
        standards = standards_at(framework, level.id)
        questions = [q for s in standards for q in s.questions]
        level_rows.append(LevelRow(level.name, len(standards), len(questions), sum(len(q.prompts) for q in questions)))
    domains = tuple(b.domain(d) for d in framework.domains)
    rules = b.rules()
    rules_consultation = {view.id: b.about(view.id, view.name, view.anchor) for view in rules}
    hurdles = b.hurdles()
    scales = b.scales()
    rules_consultation |= {view.id: b.about(view.id, view.name, view.anchor) for view in scales}
    characteristics = b.characteristics()
    questionnaires = tuple(b.questionnaire(q) for q in framework.questionnaires)
    # Anything still waiting asks about something shown nowhere above: ask it of the framework.
    for subject in list(b.consultation.waiting):
        framework_consultation += b.about(subject, "the framework as a whole", intro_anchor)
    return Page(
        framework=framework,
        title=framework.title or framework.id,
        level_rows=tuple(level_rows),
        attributes=tuple((label_of(a.id), or_list(a.values)) for a in framework.attributes),
        framework_consultation=framework_consultation,
        domains=domains,
        method_table=method_table(framework),
        rules=rules,
        hurdles=hurdles,
        scales=scales,
        rules_consultation=rules_consultation,
        open_rules=b.open_rules(),
        characteristics=characteristics,
        questionnaires=questionnaires,
        consultation_summary=tuple(b.consultation.placed),
        language=ENGLISH if language is None else language,
        english=None if language is None else ENGLISH,
        versions=language_versions(framework, language),
    )
