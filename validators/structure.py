"""Structure: numbering, sequence, unique ids, prompt limits."""

from __future__ import annotations

import re
from collections.abc import Iterator

from precepts.compiler.model import Framework, Standard
from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic, Related, Span
from precepts.validators.registry import check


def _parts(number: str) -> list[str]:
    return number.split(".")


@check(Code.NUMBERING)
def numbering(framework: Framework) -> Iterator[Diagnostic]:
    """A standard's number must fit its domain, a key question's its standard (§3.8).

    A wrong parent number is reported once, on the parent: when a standard's number does
    not fit its domain, its key questions are not each reported for not fitting the
    standard, so long as they fit the domain (then it is the standard that is wrong), and
    the help offers the number they agree on.
    """
    for domain in framework.domains:
        for standard in domain.standards:
            parts = _parts(standard.number)
            standard_fits = len(parts) == 2 and parts[0] == domain.number
            if not standard_fits:
                prefixes = {".".join(_parts(q.number)[:2]) for q in standard.questions}
                agreed = next(iter(prefixes)) if len(prefixes) == 1 else None
                if agreed is not None and _parts(agreed)[0] == domain.number:
                    advice = f"number it {agreed}, as its key questions are, or move it to domain {parts[0]}"
                else:
                    advice = f"number it {domain.number}.<n> as published, or move it to domain {parts[0]}"
                yield Code.NUMBERING(
                    f"standard {standard.number} {standard.heading} is in domain {domain.number}, "
                    f"so its number should be {domain.number}.n",
                    standard.span,
                    help=advice,
                    subjects=(standard.id,),
                )
            for question in standard.questions:
                q_parts = _parts(question.number)
                if len(q_parts) != 3 or q_parts[:2] != parts:
                    if not standard_fits and len(q_parts) == 3 and q_parts[0] == domain.number:
                        continue  # the standard's number is the slip, reported above
                    yield Code.NUMBERING(
                        f"key question {question.number} is under standard {standard.number}, "
                        f"so its number should be {standard.number}.n",
                        question.span,
                        help=f"number it {standard.number}.<n>, or move it under standard {'.'.join(q_parts[:2])}",
                        subjects=(question.id,),
                    )


def prompt_letter(index: int) -> str:
    """The letter of the prompt at `index` (from 0): a) to z), then aa), bb), cc)… to zz).

    Past z, a word processor's lettered list (Word, LibreOffice: the tools the published
    documents were written in) doubles the letter, and so does this; the grammar allows
    two letters, so 52 prompts, far beyond the ten §3.12 of the 2017 consultation allows.
    """
    letter = chr(ord("a") + index % 26)
    return letter * (index // 26 + 1)


LETTERS_HELP = "letters run a), b), c)… and numbers 1, 2, 3… with no gap or repeat"
LETTERS_BEYOND_Z_HELP = (
    "after z) the letters double, as in a word processor's lettered list: aa), bb), cc)… "
    "(not za) or ab)), with no gap or repeat"
)


def _expected_sequence(count: int, letters: bool) -> list[str]:
    if letters:
        return [prompt_letter(i) for i in range(count)]
    return [str(i + 1) for i in range(count)]


def _sequence_findings(
    items: list[tuple[str, Span, str]], letters: bool, what: str, prefix: str = ""
) -> Iterator[Diagnostic]:
    """items: (label as written, span, id). Report the first item out of sequence.

    Labels are the last part of a number (the 3 of 1.1.3) or a prompt letter; `prefix` is
    what goes before a number (1.1.) so that messages show numbers as published. A number
    written twice is a duplicate-number finding, not a gap, so repeats are left out here.
    """
    first_of_label: dict[str, tuple[str, Span, str]] = {}
    for item in items:
        first_of_label.setdefault(item[0], item)
    items = list(first_of_label.values())
    expected = _expected_sequence(len(items), letters)

    def shown(label: str) -> str:
        return f"{label})" if letters else f"{prefix}{label}"

    for index, (label, span, element_id) in enumerate(items):
        if label != expected[index]:
            where = f"after {what} {shown(items[index - 1][0])}" if index else f"as the first {what}"
            beyond_z = letters and (len(label) > 1 or len(expected[index]) > 1)
            yield Code.NUMBER_SEQUENCE(
                f"{what} {shown(label)} comes {where}; expected {shown(expected[index])}"
                + (": after z) the letters double, aa), bb), cc)…" if beyond_z else ""),
                span,
                help=LETTERS_BEYOND_Z_HELP if beyond_z else LETTERS_HELP,
                subjects=(element_id,),
            )
            return


@check(Code.NUMBER_SEQUENCE)
def sequence(framework: Framework) -> Iterator[Diagnostic]:
    yield from _sequence_findings([(d.number, d.span, d.id) for d in framework.domains], False, "domain")
    for domain in framework.domains:
        for level in domain.levels:
            standards = [
                (s.number.rsplit(".", 1)[-1], _span_at_level(s, level), s.id)
                for s in domain.standards if level in s.levels
            ]
            yield from _sequence_findings(standards, False, "standard", f"{domain.number}.")
        for standard in domain.standards:
            for level in standard.levels:
                questions = [q for q in standard.questions if level in q.levels]
                yield from _sequence_findings(
                    [(q.number.rsplit(".", 1)[-1], q.span, q.id) for q in questions], False,
                    "key question", f"{standard.number}.",
                )
            for question in standard.questions:
                yield from _sequence_findings([(p.letter, p.span, p.id) for p in question.prompts], True, "prompt")


def _span_at_level(standard: Standard, level: str) -> Span:
    # A standard written once per level has one heading per part; point at this level's.
    return next((p.span for p in standard.parts if level in p.levels), standard.span)


@check(Code.DUPLICATE_ID)
def unique_ids(framework: Framework) -> Iterator[Diagnostic]:
    first: dict[str, list[tuple[Span, tuple[str, ...]]]] = {}

    def place(element_id: str, span: Span, levels: tuple[str, ...], kind: str) -> Diagnostic | None:
        earlier = first.get(element_id)
        if earlier is None:
            first[element_id] = [(span, levels)]
            return None
        earlier.append((span, levels))
        clash = next(((s, lv) for s, lv in earlier[:-1] if set(lv) & set(levels)), None)
        if clash is None:
            return None
        return Code.DUPLICATE_ID(
            f"{kind} id '{element_id}' is already used at {', '.join(sorted(set(levels) & set(clash[1])))}",
            span,
            help="give this element its own 'id:'",
            related=(Related(clash[0], "first used here"),),
            subjects=(element_id,),
        )

    for standard in framework.standards():
        found = place(standard.id, standard.span, standard.levels, "standard")
        if found:
            yield found
        for question in standard.questions:
            found = place(question.id, question.span, question.levels, "key question")
            if found:
                yield found
            for prompt in question.prompts:
                found = place(prompt.id, prompt.span, prompt.levels, "prompt")
                if found:
                    yield found


@check(Code.TOO_MANY_PROMPTS)
def prompt_limit(framework: Framework) -> Iterator[Diagnostic]:
    limit = framework.prompt_limit
    for question in framework.questions():
        if len(question.prompts) > limit:
            first_extra = question.prompts[limit]
            yield Code.TOO_MANY_PROMPTS(
                f"key question {question.number} has {len(question.prompts)} prompts; the limit is {limit}",
                question.span,
                help="split the key question or merge prompts; the limit is set by 'prompt limit:'",
                related=(Related(first_extra.span, f"prompt {first_extra.letter}) is the first over the limit"),),
                subjects=(question.id,),
            )



def _duplicates(items: list[tuple[str, Span, str]]) -> Iterator[tuple[str, Span, str, Span]]:
    first: dict[str, Span] = {}
    for number, span, element_id in items:
        if number in first:
            yield number, span, element_id, first[number]
        else:
            first[number] = span


@check(Code.DUPLICATE_NUMBER)
def duplicate_numbers(framework: Framework) -> Iterator[Diagnostic]:
    def finding(what: str, number: str, span: Span, element_id: str, first: Span) -> Diagnostic:
        return Code.DUPLICATE_NUMBER(
            f"{what} {number} is numbered twice at the same level",
            span,
            help="renumber one of them, or remove the copy",
            related=(Related(first, f"{what} {number} first numbered here"),),
            subjects=(element_id,),
        )

    for domain in framework.domains:
        for level in domain.levels:
            standards = [(s.number, _span_at_level(s, level), s.id) for s in domain.standards if level in s.levels]
            for number, span, element_id, first in _duplicates(standards):
                yield finding("standard", number, span, element_id, first)
        for standard in domain.standards:
            for level in standard.levels:
                questions = [(q.number, q.span, q.id) for q in standard.questions if level in q.levels]
                for number, span, element_id, first in _duplicates(questions):
                    yield finding("key question", number, span, element_id, first)
            for question in standard.questions:
                prompts = [(p.letter + ")", p.span, p.id) for p in question.prompts]
                for number, span, element_id, first in _duplicates(prompts):
                    yield finding(f"prompt of {question.number}", number, span, element_id, first)


@check(Code.EMPTY_ELEMENT)
def empty_elements(framework: Framework) -> Iterator[Diagnostic]:
    for standard in framework.standards():
        for part in standard.parts:
            text_levels = {t.level for t in standard.texts}
            if not set(part.levels) & text_levels and part.levels:
                yield Code.EMPTY_ELEMENT(
                    f"standard {standard.number} {standard.heading} has no standard text"
                    + (f" at {', '.join(part.levels)}" if len(standard.parts) > 1 else ""),
                    part.span,
                    help="add the standard's sentence with 'text:'",
                    subjects=(standard.id,),
                )
        if not standard.questions:
            yield Code.EMPTY_ELEMENT(
                f"standard {standard.number} {standard.heading} has no key questions",
                standard.span,
                help="add its key questions, or waive this finding if the published document has none",
                subjects=(standard.id,),
            )
        for question in standard.questions:
            if not question.prompts:
                yield Code.EMPTY_ELEMENT(
                    f"key question {question.number} has no prompts",
                    question.span,
                    help="add its lettered prompts",
                    subjects=(question.id,),
                )


_TRAILING_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")


def _is_question(text: str) -> bool:
    if text.endswith("?"):
        return True
    # A qualifier after the question mark, such as "(as it applies to regional staff and
    # Heads of PDUs)" in 2021 regional 1.2.4d, is part of a question, not a statement.
    text = _TRAILING_QUALIFIER.sub("", text.rstrip())
    return text.rstrip("\"'’”").endswith("?")


@check(Code.NOT_A_QUESTION)
def phrased_as_questions(framework: Framework) -> Iterator[Diagnostic]:
    for question in framework.questions():
        if not _is_question(question.text):
            yield Code.NOT_A_QUESTION(
                f"key question {question.number} is not phrased as a question: \"{question.text}\"",
                question.span,
                help="key questions have a yes or no answer; end the question with '?'",
                subjects=(question.id,),
            )
        for prompt in question.prompts:
            if not _is_question(prompt.text):
                yield Code.NOT_A_QUESTION(
                    f"prompt {prompt.number} is not phrased as a question: \"{prompt.text}\"",
                    prompt.span,
                    help="prompts have a yes or no answer; end the prompt with '?'",
                    subjects=(prompt.id,),
                )
