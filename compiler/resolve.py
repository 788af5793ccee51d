"""Syntax tree → semantic model, one phase after another.

Each phase is a plain function that reads one part of the tree into the shared
`Compilation` (names are resolved, levels and applicability inherited down the hierarchy,
the per-level parts of one standard merged, stable ids derived, cross-references
resolved). The order is written once, in `PHASES`, as sqlglot's optimizer lists its rules:
a phase may use whatever the phases before it defined. Faults found on the way are
diagnostics, in the order the phases meet them; nothing here raises on bad input.
"""

from __future__ import annotations

from precepts.compiler import model as m
from precepts.compiler.compilation import Compilation, Phase
from precepts.compiler.phases import definitions, framework, hierarchy, questionnaires, rating_rules, references
from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic, Span
from precepts.dsl.loader import Loaded

PHASES: tuple[Phase, ...] = (
    definitions.top_blocks,
    definitions.levels,
    definitions.case_attributes,
    definitions.scales,
    definitions.bandings,
    hierarchy.domains,
    rating_rules.ratable_standards,
    rating_rules.judgements,
    rating_rules.composites,
    rating_rules.weights,
    rating_rules.hurdles,
    framework.header,
    questionnaires.questionnaires,
    framework.assemble,
    references.references,
)


def build_model(loaded: Loaded) -> tuple[m.Framework | None, list[Diagnostic]]:
    main = loaded.main
    if main.root is None:
        return None, _missing_framework(loaded)
    compilation = Compilation(loaded, main.root)
    for phase in PHASES:
        phase(compilation)
    return compilation.framework, compilation.diagnostics


def _missing_framework(loaded: Loaded) -> list[Diagnostic]:
    if loaded.diagnostics:
        return []  # the loader has already said why
    main = loaded.main
    return [Code.MISSING_FRAMEWORK(
        "the file has no framework header" if main.lines else "the file is empty",
        Span.point(main.path, 1, 1),
        help="start the file with 'framework ID', for example 'framework hmip-adult-2021'",
    )]
