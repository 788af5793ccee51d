"""The text output of `precepts rate`: for each unit, the overall rating, each standard's
rating in one line, the hurdles and panel flags, then every rating's explanation tree."""

from __future__ import annotations

from collections.abc import Sequence

from precepts.compiler.model import Framework
from precepts.ratings.results import CompositeResult, HurdleResult, JudgementResult, StandardResult, UnitResult
from precepts.ratings.verdicts import Explanation


def _tree(explanation: Explanation, indent: str) -> list[str]:
    lines = [f"{indent}{explanation.text}"]
    children = explanation.because
    for index, child in enumerate(children):
        last = index == len(children) - 1
        lines.extend(_branch(child, indent, last))
    return lines


def _branch(node: Explanation, indent: str, last: bool) -> list[str]:
    lines = [f"{indent}{'└─ ' if last else '├─ '}{node.text}"]
    inner = indent + ("   " if last else "│  ")
    for index, child in enumerate(node.because):
        lines.extend(_branch(child, inner, index == len(node.because) - 1))
    return lines


def unit_text(unit: UnitResult, explain: bool = True) -> list[str]:
    attributes = ", ".join(f"{k} {v}" for k, v in unit.attributes)
    head = f"{unit.unit}" + (f" ({attributes})" if attributes else "") + (f" — {unit.cases} case record{'s' if unit.cases != 1 else ''}" if unit.cases else "")
    lines = [head, "=" * min(len(head), 100)]
    for composite in unit.composites:
        lines.append(composite.summary)
    lines.append("")
    lines.append("Standards")
    lines.extend(f"  {s.summary}" for s in unit.standards)
    if unit.judgements:
        lines.append("Judgements")
        lines.extend(f"  {j.summary}" for j in unit.judgements)
    if unit.hurdles:
        lines.append("Hurdles")
        lines.extend(f"  {h.summary}" for h in unit.hurdles)
    lines.append("Panel flags (2018/19 report, Annex A)")
    lines.extend(f"  {f.summary}" for f in unit.panel_flags)
    if not unit.panel_flags:
        lines.append("  none")
    if explain:
        lines.append("")
        lines.append("Explanations")
        explained: tuple[CompositeResult | StandardResult | JudgementResult | HurdleResult, ...] = (
            *unit.composites, *unit.standards, *unit.judgements, *unit.hurdles
        )
        for result in explained:
            lines.extend(_tree(result.explanation, "  "))
    lines.append("")
    return lines


ENGLISH_TAGS = ("en", "en-GB")


def language_note(framework: Framework, language: str | None) -> str | None:
    """What a reader who asked for the ratings in `language` must be told (issue 16 §3):
    the ratings and their explanations are precepts' own sentences, which have no
    translation, so they stay whole in English, framework texts included, rather than
    putting translated headings into English sentences. None for English.
    Raises ValueError for a language the framework has no translation into."""
    if language is None or language in ENGLISH_TAGS:
        return None
    translation = next((t for t in framework.translations if t.language == language), None)
    if translation is None:
        known = ", ".join([*ENGLISH_TAGS, *(t.language for t in framework.translations)])
        raise ValueError(f"{framework.id} has no translation into '{language}' (its languages: {known})")
    return (f"The ratings and their explanations are in English: precepts' own words have no {translation.name} "
            f"({language}) yet, and an explanation is given whole in one language rather than with "
            f"{translation.name} headings in English sentences. The framework's {translation.name} is in its "
            f"consultation document (consultation.{language}.html in the build).")


def render(framework: Framework, level: str, units: Sequence[UnitResult], explain: bool = True,
           what_if: list[str] | None = None, language: str | None = None) -> str:
    version = f" ({framework.version})" if framework.version else ""
    lines = [f"Ratings under {framework.id}{version} at level {level}: {len(units)} unit{'s' if len(units) != 1 else ''}", ""]
    note = language_note(framework, language)
    if note:
        lines[1:1] = [f"Note: {note}"]
    for unit in units:
        lines.extend(unit_text(unit, explain))
    if what_if is not None:
        lines.extend(what_if)
    return "\n".join(lines).rstrip("\n") + "\n"
