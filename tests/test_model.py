"""The compiled model's values (compiler/model.py): equal when of one kind with equal fields,
so that two versions of a rule compare as the change reports need; shown by their fields; and
the framework's lists of every standard, key question and prompt in the order written.
"""

from __future__ import annotations

from support import FRAMEWORK_2021, compiled

from precepts.compiler.model import AllOf, AnyOf, Compare, Level
from precepts.core.diagnostics import Span

SPAN = Span("f.precepts", 1, 1, 1, 5)


def test_conditions_of_the_same_parts_joined_differently_are_different() -> None:
    parts = (Compare("is", "attribute", "provider", ("nps",), SPAN), Compare("is", "attribute", "region", ("north",), SPAN))
    assert AllOf(parts) == AllOf(parts) and hash(AllOf(parts)) == hash(AllOf(parts))
    assert AllOf(parts) != AnyOf(parts)
    assert AllOf(parts) != AllOf(parts[:1])
    assert len({AllOf(parts), AnyOf(parts), AllOf(parts)}) == 2


def test_a_value_is_shown_by_its_fields() -> None:
    assert repr(Level("pdu", "PDU inspection", SPAN)) == f"Level(id='pdu', name='PDU inspection', span={SPAN!r})"


def test_the_framework_lists_every_standard_question_and_prompt_in_order() -> None:
    framework = compiled(FRAMEWORK_2021)
    standards = [s for d in framework.domains for s in d.standards]
    assert list(framework.standards()) == standards
    assert list(framework.questions()) == [q for s in standards for q in s.questions]
    assert list(framework.prompts()) == [p for s in standards for q in s.questions for p in q.prompts]
    assert len(framework.prompts()) > len(framework.questions()) > len(framework.standards()) > 1
