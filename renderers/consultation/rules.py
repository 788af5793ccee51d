"""The rating rules as words and tables for the consultation page, made from the rules
themselves: the banding table, composite bands and scores, judgements, hurdles, and
what the published document leaves open."""

from __future__ import annotations

from dataclasses import dataclass

from precepts.compiler import model as m
from precepts.compiler.describe import number
from precepts.renderers.prose import (
    band_range,
    condition_words,
    grade_label,
    hurdle_words,
    level_name,
    or_list,
    subject_name,
)
from precepts.renderers.scope import scale

# The column heads of the published table of a lowest-banding rule (2017 consultation §4.8).
BANDING_HEADS = ("Lowest banding (key question level)", "Rating (standard)")
ROUNDING_WORDS = {
    "none": "Results are banded exactly as calculated, without rounding.",
    "half-up": "Results are rounded to the nearest whole percent, halves up, before they are banded.",
    "down": "Results are rounded down to a whole percent before they are banded.",
    "half-even": "Results are rounded to the nearest whole percent, halves to the even percent, before they are banded.",
}
METHOD_CELLS = {
    "cases": "From cases",
    "judgement": "Judgement",
    "not-rated": "Not rated",
    "percentages-only": "Percentages only",
    "open": "Open",
}
SCORE_WORDS = {
    "sum": "the sum of the scores of the standards rated",
    "average": "the average score of the standards rated",
    "percent-of-maximum": "the average score of the standards rated, as a percentage of the highest possible",
}


@dataclass(frozen=True)
class Table:
    caption: str
    heads: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    first_column_heads_rows: bool = True  # the first cell of each row names the row
    caption_hidden: bool = False  # the caption repeats the heading above: for screen readers only


@dataclass(frozen=True)
class RuleView:
    kind: str  # "scale" | "banding" | "composite" | "judgement"
    id: str
    anchor: str
    name: str
    sentences: tuple[str, ...]
    tables: tuple[Table, ...]
    source: str | None
    open_reasons: tuple[str, ...]


def open_reasons(framework: m.Framework, subject: str) -> tuple[str, ...]:
    return tuple(o.reason for o in framework.open_rules if o.subject == subject)


def method_table(framework: m.Framework) -> Table:
    """How every standard is rated at every level it is inspected at."""
    levels = [lv for lv in framework.levels if any(lv.id in s.levels for s in framework.standards())]
    domain_condition = {s.id: d.applies_to for d in framework.domains for s in d.standards}
    rows = []
    for standard in framework.standards():
        cells = [f"{standard.number} {standard.heading}"]
        only = [c for c in (domain_condition.get(standard.id), standard.applies_to) if c is not None]
        if only:  # the 2017 NPS and CRC modules: say so where the rating method is read
            cells[0] += " (only where " + " and ".join(condition_words(framework, c) for c in only) + ")"
        for level in levels:
            rating = next((r for r in standard.ratings if r.level == level.id), None)
            if level.id not in standard.levels:
                cells.append("Not inspected")
            elif rating is None:
                cells.append("Not stated")
            elif rating.method == "elsewhere":
                cells.append(f"Not rated here: reported in {level_name(framework, rating.reported_at or '')}")
            else:
                cells.append(METHOD_CELLS.get(rating.method, rating.method))
        rows.append(tuple(cells))
    return Table("How each standard is rated, by level", ("Standard", *(lv.name for lv in levels)), tuple(rows))


def scale_view(framework: m.Framework, item: m.Scale, anchor: str) -> RuleView:
    scored = any(g.score is not None for g in item.grades)
    heads = ("Grade", "Score") if scored else ("Grade",)
    rows = tuple((g.label, number(g.score)) if scored else (g.label,) for g in item.grades)
    return RuleView("scale", item.id, anchor, item.name, ("Grades from lowest to highest.",),
                    (Table(item.name, heads, rows, first_column_heads_rows=scored, caption_hidden=True),), None,
                    open_reasons(framework, item.id))


def _rated_with(framework: m.Framework, banding: m.Banding) -> str | None:
    users = [
        f"{s.number} {s.heading}"
        for s in framework.standards()
        if any(r.method == "cases" and r.banding == banding.id for r in s.ratings)
    ]
    return f"Standards rated this way: {or_list(users, 'and')}." if users else None


def banding_view(framework: m.Framework, banding: m.Banding, anchor: str) -> RuleView:
    rows = tuple(
        (f"{band.label}: {band_range(band)}" if band.label else band_range(band), grade_label(framework, band.grade))
        for band in banding.bands
    )
    sentences = [
        "Each key question is banded by the percentage of inspected cases in which it was judged sufficient; "
        "a standard rated from cases takes the rating of the lowest banding among its key questions.",
    ]
    if banding.rounding in ROUNDING_WORDS:
        sentences.append(ROUNDING_WORDS[banding.rounding])
    used = _rated_with(framework, banding)
    if used:
        sentences.append(used)
    return RuleView("banding", banding.id, anchor, banding.name, tuple(sentences),
                    (Table(banding.name, BANDING_HEADS, rows, caption_hidden=True),), banding.source,
                    open_reasons(framework, banding.id))


def _composite_scores(framework: m.Framework, composite: m.Composite) -> tuple[tuple[str, str], ...]:
    if composite.scores:
        return tuple((grade_label(framework, g), number(v)) for g, v in composite.scores)
    used = scale(framework, composite.scale)
    return tuple((g.label, number(g.score)) for g in used.grades if g.score is not None) if used else ()


def composite_view(framework: m.Framework, composite: m.Composite, anchor: str) -> RuleView:
    levels = or_list([level_name(framework, lv) for lv in composite.levels], "and")
    sentences: list[str] = []
    tables: list[Table] = []
    if composite.score in SCORE_WORDS:
        sentences.append(f"At {levels}, the overall rating comes from {SCORE_WORDS[composite.score]}.")
        scores = _composite_scores(framework, composite)
        if scores:
            tables.append(Table(f"{composite.name}: score of each rating", ("Rating", "Score"), scores))
        if composite.weights:
            tables.append(Table(f"{composite.name}: weights", ("Standard", "Weight"),
                                tuple((subject_name(framework, s), number(w)) for s, w in composite.weights)))
            sentences.append("A standard not listed among the weights weighs 1.")
        if composite.bands:
            head = "Score as a percentage of the maximum" if composite.score == "percent-of-maximum" else "Total score"
            tables.append(Table(f"{composite.name}: bands", (head, "Rating"),
                                tuple((band_range(b), grade_label(framework, b.grade)) for b in composite.bands)))
        if composite.rounding in ROUNDING_WORDS:
            sentences.append(ROUNDING_WORDS[composite.rounding])
    else:
        sentences.append(f"At {levels}, how the overall rating is reached is not settled.")
    return RuleView("composite", composite.id, anchor, composite.name, tuple(sentences), tuple(tables),
                    composite.source, open_reasons(framework, composite.id))


def judgement_view(framework: m.Framework, judgement: m.Judgement, anchor: str) -> RuleView:
    used = scale(framework, judgement.scale)
    grades = or_list([g.label for g in used.grades]) if used else judgement.scale
    levels = or_list([level_name(framework, lv) for lv in judgement.levels], "and")
    sentence = f"Judged at {levels}, as {grades}."
    return RuleView("judgement", judgement.id, anchor, judgement.name, (sentence,), (), judgement.source,
                    open_reasons(framework, judgement.id))


def hurdles_table(framework: m.Framework) -> Table | None:
    if not framework.hurdles:
        return None
    rows = tuple(
        (h.name, condition_words(framework, h.when) if h.when else "Open",
         condition_words(framework, h.then) if h.then else "Open",
         or_list([level_name(framework, lv) for lv in h.levels], "and"), h.source or "")
        for h in framework.hurdles
    )
    return Table("Hurdles", ("Hurdle", "When", "Then", "Level", "Source"), rows, caption_hidden=True)


def hurdle_sentences(framework: m.Framework) -> tuple[str, ...]:
    return tuple(hurdle_words(framework, h) for h in framework.hurdles)
