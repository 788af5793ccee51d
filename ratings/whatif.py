"""`precepts rate --what-if FILE`: rate the same input under another framework version, or
under the base framework with other rating rules, and show which ratings change.

FILE is either a whole framework (another version), or a `rules` file whose scales,
bandings, composites, judgements and hurdles replace those of the base framework with
the same id (and add any new ones) — "the same framework, with bands 55/70/85".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from precepts.compiler.model import Framework
from precepts.ratings.results import StandardResult, UnitResult
from precepts.ratings.verdicts import RATED, UNDETERMINED, Grades, Verdict

RULE_FIELDS = ("scales", "bandings", "composites", "judgements", "hurdles")


class OverlayError(ValueError):
    """A rules file that cannot apply to the base framework (a level it does not have)."""


def overlay(base: Framework, rules: Framework) -> Framework:
    """The base framework with the rules file's rating rules in place of its own.

    A rules file that declares no levels names the base framework's levels in `at:`
    (`at: pdu`); its rules without `at:` apply where the rule they replace applied, or,
    if new, at every level of the base framework."""
    base_levels = tuple(level.id for level in base.levels)
    own_levels = {level.id for level in rules.levels}
    changes: dict[str, Any] = {}
    for name in RULE_FIELDS:
        before = {item.id: item for item in getattr(base, name)}
        replacing = {item.id: _placed(item, before.get(item.id), base_levels, own_levels) for item in getattr(rules, name)}
        kept = [replacing.pop(item.id, item) for item in getattr(base, name)]
        changes[name] = tuple(kept) + tuple(replacing.values())
    replaced = {r.subject for r in rules.open_rules}
    changes["open_rules"] = tuple(r for r in base.open_rules if r.subject not in replaced) + rules.open_rules
    version = f"{base.version or base.id} with the rules of {rules.id}"
    return dataclasses.replace(base, version=version, **changes)


def _placed(item: Any, replaced: Any, base_levels: tuple[str, ...], own_levels: set[str]) -> Any:
    levels = getattr(item, "levels", None)
    if levels is None:
        return item  # scales and bandings apply wherever they are used
    unknown = [level for level in levels if level not in base_levels and level not in own_levels]
    if unknown:
        from precepts.compiler.names import did_you_mean

        hint = did_you_mean(unknown[0], list(base_levels))
        raise OverlayError(
            f"{item.id} is placed at level{'s' if len(unknown) > 1 else ''} {', '.join(repr(u) for u in unknown)}, "
            f"which {'are' if len(unknown) > 1 else 'is'} not a level of the framework; its levels are {', '.join(base_levels)}"
            + (f" ({hint})" if hint else "")
        )
    if set(levels) <= own_levels - set(base_levels):  # no `at:` in a rules file without levels
        return dataclasses.replace(item, levels=replaced.levels if replaced is not None else base_levels)
    return item


@dataclass(frozen=True, slots=True)
class Change:
    unit: str
    kind: str  # "standard" | "judgement" | "composite" | "hurdle"
    id: str
    name: str
    before: str
    after: str


def _words(verdict: Verdict, grades: Grades | None) -> str:
    if verdict.status == RATED and grades is not None:
        return grades.label(verdict.possible[0])
    if verdict.status == UNDETERMINED and grades is not None and verdict.possible:
        return f"undetermined ({grades.words(verdict.possible)})"
    return verdict.status


def compare(before: Sequence[UnitResult], after: Sequence[UnitResult], scales_before: dict[str, Grades],
            scales_after: dict[str, Grades]) -> list[Change]:
    changes: list[Change] = []
    after_units = {u.unit: u for u in after}
    for unit in before:
        other = after_units.get(unit.unit)
        if other is None:
            continue
        pairs = (
            ("composite", unit.composites, other.composites),
            ("standard", unit.standards, other.standards),
            ("judgement", unit.judgements, other.judgements),
        )
        for kind, old_items, new_items in pairs:
            new_by_id = {item.id: item for item in new_items}
            matched = _match(kind, old_items, new_items)
            for old in old_items:
                new = matched.get(old.id)
                if new is not None:
                    new_by_id.pop(new.id, None)
                name = f"{old.number} {old.heading}" if isinstance(old, StandardResult) else old.name
                old_words = _words(old.verdict, scales_before.get(old.scale or ""))
                if new is None:
                    changes.append(Change(unit.unit, kind, old.id, name, old_words, "not in the other framework"))
                    continue
                new_words = _words(new.verdict, scales_after.get(new.scale or ""))
                if old_words != new_words or _total(old) != _total(new):
                    changes.append(Change(unit.unit, kind, old.id, name, old_words + _total(old), new_words + _total(new)))
            for new in new_by_id.values():
                name = f"{new.number} {new.heading}" if isinstance(new, StandardResult) else new.name
                changes.append(Change(unit.unit, kind, new.id, name, "not in the base framework",
                                      _words(new.verdict, scales_after.get(new.scale or ""))))
        fired_before = {h.id: h.fired for h in unit.hurdles}
        for hurdle in other.hurdles:
            if fired_before.get(hurdle.id, False) != hurdle.fired:
                changes.append(Change(unit.unit, "hurdle", hurdle.id, hurdle.name,
                                      _fired(fired_before.get(hurdle.id)), _fired(hurdle.fired)))
    return changes


def _match(kind: str, old_items: Sequence[Any], new_items: Sequence[Any]) -> dict[str, Any]:
    """Old id → the same element in the other framework: by id; a standard renamed between
    versions by its published number; the one composite of each by being the only one."""
    new_by_id = {item.id: item for item in new_items}
    found = {old.id: new_by_id[old.id] for old in old_items if old.id in new_by_id}
    taken = {item.id for item in found.values()}
    spare_old = [old for old in old_items if old.id not in found]
    spare_new = [new for new in new_items if new.id not in taken]
    if kind == "standard":
        by_number = {new.number: new for new in spare_new}
        for old in spare_old:
            if old.number in by_number:
                found[old.id] = by_number.pop(old.number)
    elif len(spare_old) == 1 and len(spare_new) == 1:
        found[spare_old[0].id] = spare_new[0]
    return found


def _total(result: Any) -> str:
    total = getattr(result, "total", None)
    if not total:
        return ""
    from precepts.ratings.numbers import plain

    low, high = total
    return f" (total {plain(low)})" if low == high else f" (total {plain(low)}–{plain(high)})"


def _fired(fired: bool | None) -> str:
    return {True: "fired", False: "did not fire", None: "undetermined"}[fired]


def changes_text(label: str, changes: Sequence[Change]) -> list[str]:
    lines = [f"What if: {label}"]
    if not changes:
        lines.append("  no rating changes")
    for change in changes:
        lines.append(f"  {change.unit}: {change.name}: {change.before} → {change.after}")
    return lines


def changes_json(label: str, framework: Framework, changes: Sequence[Change]) -> dict[str, Any]:
    return {
        "label": label,
        "framework": {"id": framework.id, "version": framework.version, "file": framework.file, "sha256": framework.sha256},
        "changes": [
            {"unit": c.unit, "kind": c.kind, "id": c.id, "name": c.name, "before": c.before, "after": c.after}
            for c in changes
        ],
    }


@dataclass(frozen=True, slots=True)
class WhatIf:
    """The ratings that change when the same input is rated under another framework (or rules)."""

    label: str
    framework: Framework  # the framework rated instead: another version, or the base with other rules
    changes: tuple[Change, ...]

    def json(self) -> dict[str, Any]:
        return changes_json(self.label, self.framework, self.changes)

    def text(self) -> list[str]:
        return changes_text(self.label, self.changes)
