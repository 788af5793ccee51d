"""What changed in the rating rules, levels, case attributes and domains of a framework.

Each rule is compared through its words (describe.py): two rules that read the same in
the framework language are the same rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from precepts.changes.identity import RULE_KINDS, Identities, rules_of
from precepts.changes.redline import redline
from precepts.changes.report import Change, ItemChange
from precepts.compiler import describe
from precepts.compiler import model as m

# ---- levels, case attributes, domains --------------------------------------------------------


def level_changes(old: m.Framework, new: m.Framework, identities: Identities) -> tuple[ItemChange, ...]:
    new_levels = {lv.id: lv for lv in new.levels}
    mapped = {e.old: e for e in identities.mapping.section("levels")} if identities.mapping else {}
    out: list[ItemChange] = []
    reached: set[str] = set()
    for level in old.levels:
        targets = [t for t in identities.level_map.get(level.id, (level.id,)) if t in new_levels]
        entry = mapped.get(level.id)
        if not targets:
            out.append(ItemChange("level", "removed", level.id, None, level.name,
                                  "mapping" if entry is not None else None, (), entry.why if entry else None))
            continue
        for target in targets:
            reached.add(target)
            now = new_levels[target]
            changes = []
            if level.id != now.id:
                changes.append(Change("id", level.id, now.id))
            if level.name != now.name:
                changes.append(Change("name", level.name, now.name))
            out.append(ItemChange("level", "changed" if changes else "unchanged", level.id, now.id, now.name,
                                  "mapping" if entry is not None else "id", tuple(changes),
                                  entry.why if entry else None))
    out.extend(ItemChange("level", "added", None, lv.id, lv.name, None, ()) for lv in new.levels if lv.id not in reached)
    return tuple(out)


def attribute_changes(old: m.Framework, new: m.Framework) -> tuple[ItemChange, ...]:
    new_attributes = {a.id: a for a in new.attributes}
    old_ids = {a.id for a in old.attributes}
    out: list[ItemChange] = []
    for attribute in old.attributes:
        now = new_attributes.get(attribute.id)
        if now is None:
            out.append(ItemChange("attribute", "removed", attribute.id, None, ", ".join(attribute.values), None, ()))
            continue
        changes = _list_change("values", attribute.values, now.values)
        out.append(ItemChange("attribute", "changed" if changes else "unchanged", attribute.id, now.id,
                              ", ".join(now.values), "id", tuple(changes)))
    out.extend(ItemChange("attribute", "added", None, a.id, ", ".join(a.values), None, ())
               for a in new.attributes if a.id not in old_ids)
    return tuple(out)


def domain_changes(old: m.Framework, new: m.Framework, identities: Identities) -> tuple[ItemChange, ...]:
    """Domains pair by id, else by number: 2017's domain 2 "Case supervision" is 2021's "Domain two"."""
    out: list[ItemChange] = []
    taken: set[str] = set()
    for domain in old.domains:
        now = next((d for d in new.domains if d.id == domain.id and d.id not in taken), None)
        now = now or next((d for d in new.domains if d.number == domain.number and d.id not in taken), None)
        if now is None:
            out.append(ItemChange("domain", "removed", domain.id, None, f"{domain.number} {domain.heading}", None, ()))
            continue
        taken.add(now.id)
        changes = []
        if domain.number != now.number:
            changes.append(Change("renumbered", domain.number, now.number))
        if domain.heading != now.heading:
            changes.append(Change("heading", domain.heading, now.heading, redline=redline(domain.heading, now.heading)))
        was, becomes = describe.condition(domain.applies_to), describe.condition(now.applies_to)
        if was != becomes:
            changes.append(Change("applicability", was, becomes))
        out.append(ItemChange("domain", "changed" if changes else "unchanged", domain.id, now.id,
                              f"{now.number} {now.heading}", "id" if domain.id == now.id else "number", tuple(changes)))
    out.extend(
        ItemChange("domain", "added", None, d.id, f"{d.number} {d.heading}", None, ())
        for d in new.domains if d.id not in taken
    )
    return tuple(out)


# ---- rating rules ----------------------------------------------------------------------------


def rule_changes(old: m.Framework, new: m.Framework, identities: Identities) -> tuple[ItemChange, ...]:
    old_rules, new_rules = rules_of(old), rules_of(new)
    reached = {pair.new for pair in identities.rules.values()}
    entries = {e.old: e for e in identities.mapping.section("rules")} if identities.mapping else {}
    out: list[tuple[int, int, ItemChange]] = []
    for index, (rule_id, (kind, rule)) in enumerate(old_rules.items()):
        pair = identities.rules.get(rule_id)
        order = RULE_KINDS.index(kind)
        if pair is None:
            confirmed = rule_id in identities.removed_rules
            why = entries[rule_id].why if confirmed else None
            gone = tuple(Change(what, value, None) for what, value in rule_words(kind, rule))
            out.append((order, index, ItemChange(kind, "removed", rule_id, None, _name(rule),
                                                 "mapping" if confirmed else None, gone, why)))
            continue
        now = new_rules[pair.new][1]
        changes = COMPARE[kind](rule, now, identities)
        changes += _open_change(old, new, rule_id, pair.new)
        out.append((order, index, ItemChange(kind, "changed" if changes else "unchanged", rule_id, pair.new,
                                             _name(now), pair.method, tuple(changes), pair.why)))
    for index, (rule_id, (kind, rule)) in enumerate(new_rules.items()):
        if rule_id not in reached:
            made = tuple(Change(what, None, value) for what, value in rule_words(kind, rule))
            out.append((RULE_KINDS.index(kind), len(old_rules) + index,
                        ItemChange(kind, "added", None, rule_id, _name(rule), None, made)))
    return tuple(item for *_, item in sorted(out, key=lambda t: (t[0], t[1])))


def rule_words(kind: str, rule: Any) -> list[tuple[str, str]]:
    """What an added or removed rule says, field by field, as the reports list it."""
    fields: list[tuple[str, str]] = []
    if kind == "scale":
        fields.append(("grades", ", ".join(_grade(g) for g in rule.grades)))
    if kind in ("banding", "composite", "judgement"):
        fields.append(("scale", rule.scale))
    if kind in ("composite", "judgement", "hurdle") and rule.levels:
        fields.append(("levels", describe.levels(rule.levels)))
    if kind == "banding":
        fields.append(("rounding", rule.rounding or "open"))
    if kind == "composite":
        fields.append(("score", rule.score or "open"))
    if kind in ("banding", "composite"):
        fields.extend(("band", describe.band(b)) for b in rule.bands)
    if kind == "hurdle":
        fields += [("when", describe.condition(rule.when)), ("then", describe.condition(rule.then))]
    return fields


def _name(rule: Any) -> str:
    return str(rule.name)


def _field(what: str, old: str, new: str) -> list[Change]:
    return [] if old == new else [Change(what, old, new)]


def _list_change(what: str, old: Iterable[str], new: Iterable[str]) -> list[Change]:
    was, now = ", ".join(old), ", ".join(new)
    return [] if was == now else [Change(what, was or "none", now or "none")]


def _levels(old: tuple[str, ...], new: tuple[str, ...], identities: Identities) -> list[Change]:
    if set(identities.read_levels(old)) == set(new):
        return []
    return [Change("levels", describe.levels(old), describe.levels(new))]


def _grade(grade: m.Grade) -> str:
    score = f" scores {describe.number(grade.score)}" if grade.score is not None else ""
    return f'{grade.id} "{grade.label}"{score}'


def _bands(old: tuple[m.Band, ...], new: tuple[m.Band, ...]) -> list[Change]:
    """Bands pair by id, else by the grade they give; each changed, removed or added band is one change."""

    def key(band: m.Band) -> str:
        return band.id or band.grade

    new_by_key = {key(b): b for b in new}
    old_keys = {key(b) for b in old}
    changes = []
    for band in old:
        now = new_by_key.get(key(band))
        was_words = describe.band(band)
        if now is None:
            changes.append(Change("band", was_words, None))
        elif describe.band(now) != was_words:
            changes.append(Change("band", was_words, describe.band(now)))
    changes.extend(Change("band", None, describe.band(b)) for b in new if key(b) not in old_keys)
    return changes


def _scale(old: m.Scale, new: m.Scale, identities: Identities) -> list[Change]:
    return _field("name", old.name, new.name) + _list_change(
        "grades", [_grade(g) for g in old.grades], [_grade(g) for g in new.grades])


def _banding(old: m.Banding, new: m.Banding, identities: Identities) -> list[Change]:
    return (_field("name", old.name, new.name) + _field("scale", old.scale, new.scale)
            + _field("rounding", old.rounding or "open", new.rounding or "open") + _bands(old.bands, new.bands))


def _composite(old: m.Composite, new: m.Composite, identities: Identities) -> list[Change]:
    def pairs(values: tuple[tuple[str, Any], ...]) -> list[str]:
        return [f"{name} {describe.number(value)}" for name, value in values]

    return (_field("name", old.name, new.name) + _field("scale", old.scale, new.scale)
            + _levels(old.levels, new.levels, identities)
            + _field("score", old.score or "open", new.score or "open")
            + _list_change("scores", pairs(old.scores), pairs(new.scores))
            + _list_change("weights", pairs(getattr(old, "weights", ())), pairs(getattr(new, "weights", ())))
            + _bands(old.bands, new.bands))


def _judgement(old: m.Judgement, new: m.Judgement, identities: Identities) -> list[Change]:
    return (_field("name", old.name, new.name) + _field("scale", old.scale, new.scale)
            + _levels(old.levels, new.levels, identities))


def _hurdle(old: m.Hurdle, new: m.Hurdle, identities: Identities) -> list[Change]:
    return (_field("name", old.name, new.name) + _levels(old.levels, new.levels, identities)
            + _field("when", describe.condition(old.when), describe.condition(new.when))
            + _field("then", describe.condition(old.then), describe.condition(new.then)))


COMPARE: dict[str, Callable[[Any, Any, Identities], list[Change]]] = {
    "scale": _scale, "banding": _banding, "composite": _composite, "judgement": _judgement, "hurdle": _hurdle,
}


def _open_change(old: m.Framework, new: m.Framework, old_id: str, new_id: str) -> list[Change]:
    """A rule the published document leaves open in one version but not the other, or for another reason."""
    was = "; ".join(r.reason for r in old.open_rules if r.subject == old_id)
    now = "; ".join(r.reason for r in new.open_rules if r.subject == new_id)
    return [] if was == now else [Change("open", was or None, now or None)]
