"""The checks, in the order they run.

Structure first, since later checks read more sensibly once numbering and ids are known
to be sound; then duplicates, levels, references, rating rules, wording, and the translations. Findings are
reported in this order (the golden files in tests/golden hold it), so a new check goes
into `ORDER` where its findings should appear.
"""

from __future__ import annotations

from precepts.validators import duplicates, levels, references, rules, structure, translations, wording
from precepts.validators.registry import Check, CheckFunction, declared

ORDER: tuple[CheckFunction, ...] = (
    structure.numbering,
    structure.sequence,
    structure.unique_ids,
    structure.prompt_limit,
    structure.duplicate_numbers,
    structure.empty_elements,
    structure.phrased_as_questions,
    duplicates.exact_duplicates,
    duplicates.near_duplicates,
    levels.questions_at_every_level,
    levels.rating_rule_at_every_level,
    levels.levels_without_gaps,
    references.unresolved_references,
    references.references_at_the_right_level,
    references.citing_text_matches,
    rules.open_rules,
    rules.rated_standards_have_rules,
    rules.bandings_complete,
    rules.rounding_stated,
    rules.scales_consistent,
    rules.composite_bands,
    rules.hurdles_set_limits,
    rules.hurdle_grades_on_scale,
    rules.hurdles_acyclic,
    rules.hurdles_can_fire,
    wording.preferred_terms,
    wording.doubled_words,
    wording.balanced_brackets,
    wording.spelling,
    translations.missing_translations,
    translations.outdated_translations,
    translations.translation_numbering,
)


def all_checks() -> tuple[Check, ...]:
    return tuple(declared(function) for function in ORDER)
