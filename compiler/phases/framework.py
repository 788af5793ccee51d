"""Phase: the framework's own lines (status, prompt limit, open rules, waivers and
consultation questions on the header), and the assembly of the model from the parts the
earlier phases made."""

from __future__ import annotations

from precepts.compiler import model as m
from precepts.compiler.compilation import ALLOWED, DEFAULT_PROMPT_LIMIT, Compilation
from precepts.compiler.names import did_you_mean
from precepts.core.codes import Code

STATUSES = ("draft", "consultation", "final")


def header(c: Compilation) -> None:
    root = c.root
    framework_id = c.framework_id
    c.questions_asked(root, framework_id)
    c.open_rule(root, framework_id, "framework")
    c.waivers_of(root, framework_id)
    status = c.first(root, "status")
    if status is not None and status.word.text not in STATUSES:
        word = status.word
        c.report(Code.INVALID_VALUE(
            f"unknown status '{word.text}'; a framework is draft, consultation or final",
            word.span, help=did_you_mean(word.text, STATUSES),
        ))
    c.status = status.word.text if status is not None else None
    limit = DEFAULT_PROMPT_LIMIT
    limit_attribute = c.first(root, "prompt-limit")
    if limit_attribute is not None:
        limit = int(limit_attribute.word.text)
        if limit < 1:
            c.report(Code.INVALID_VALUE(
                f"the prompt limit must be at least 1; the default of {DEFAULT_PROMPT_LIMIT} applies instead",
                limit_attribute.span,
            ))
            limit = DEFAULT_PROMPT_LIMIT
    c.prompt_limit = limit


def assemble(c: Compilation) -> None:
    root = c.root
    main = c.loaded.main
    c.framework = m.Framework(
        id=c.framework_id,
        kind=root.heading.kind,
        title=c.text_of(root, "title"),
        version=c.text_of(root, "version"),
        date=c.text_of(root, "date"),
        status=c.status,
        source=c.text_of(root, "source"),
        licence=c.text_of(root, "licence"),
        prompt_limit=c.prompt_limit,
        levels=c.levels,
        attributes=tuple(c.attributes.values()),
        scales=tuple(c.scales.values()),
        bandings=tuple(c.bandings.values()),
        composites=c.composites,
        hurdles=c.hurdles,
        judgements=c.judgements,
        domains=c.domains,
        questionnaires=c.questionnaires,
        preferred_terms=tuple(
            m.PreferredTerm(*a.text_pair, a.span)
            for a in root.all("preferred-term") if "preferred-term" in ALLOWED[root.heading.kind]
        ),
        words=tuple(w for a in root.all("words") for w in str(a.value).replace(",", " ").split()),
        consultation_questions=tuple(sorted(c.asked, key=lambda q: (q.span.file, q.span.line))),
        open_rules=tuple(c.open_rules),
        waivers=tuple(c.waivers),
        file=main.path,
        sha256=c.loaded.sources[main.path].sha256,
        includes=tuple(d.path for d in c.loaded.includes),
        span=root.heading.span,
    )
