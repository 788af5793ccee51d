"""What changed in each paired standard, key question and prompt, and what was added or removed."""

from __future__ import annotations

from precepts.changes.identity import Element, Identities, Pair
from precepts.changes.redline import redline
from precepts.changes.report import TERMS_ONLY, WITH_PARENT, Change, ElementChange, Side
from precepts.changes.similarity import same_apart_from_terms
from precepts.compiler import describe
from precepts.compiler import model as m


def _side(element: Element, parents: dict[str, Element] | None) -> Side:
    if parents is None:  # a standard: its parent is its domain
        parent_number, parent_text = element.domain.number, element.domain.heading
    else:
        parent = parents.get(element.parent)
        parent_number, parent_text = (parent.number, parent.text) if parent else ("", "")
    return Side(element.key, element.number, element.text, element.levels, element.parent, parent_number,
                parent_text, describe.condition(element.applies_to))


def element_changes(kind: str, identities: Identities) -> tuple[ElementChange, ...]:
    olds, news = identities.old[kind], identities.new[kind]
    parent_kind = {"question": "standard", "prompt": "question"}.get(kind)
    old_parents = identities.old[parent_kind] if parent_kind else None
    new_parents = identities.new[parent_kind] if parent_kind else None
    pairs = identities.pairs[kind]
    new_order = {key: i for i, key in enumerate(news)}
    old_order = {key: i for i, key in enumerate(olds)}
    ordered: list[tuple[tuple[float, int, int], ElementChange]] = []
    for pair in pairs:
        change = _pair_change(kind, pair, identities, old_parents, new_parents)
        ordered.append(((new_order[pair.new], 0, old_order[pair.old]), change))
    paired_new = {p.new for p in pairs}
    for index, (key, element) in enumerate(news.items()):
        if key not in paired_new:
            ordered.append(((index, 0, -1), ElementChange(
                kind, "added", None, None, None, _side(element, new_parents), (), None)))
    paired_old = {p.old for p in pairs}
    for index, (key, element) in enumerate(olds.items()):
        if key in paired_old:
            continue
        confirmed = key in identities.removed[kind]
        why = _removal_reason(kind, key, identities) if confirmed else None
        ordered.append(((_removed_place(kind, key, identities, new_order), 1, index), ElementChange(
            kind, "removed", "mapping" if confirmed else None, None, _side(element, old_parents), None, (), why)))
    return tuple(change for _, change in sorted(ordered, key=lambda item: item[0]))


def _removed_place(kind: str, key: str, identities: Identities, new_order: dict[str, int]) -> float:
    """Where a removed element reads best among the new ones: in its old place.

    That is just after the counterpart of the last element before it with the same parent
    (for a standard, any standard before it), else at the head of its old parent's
    counterpart; one whose parent went too is listed at the end.
    """
    olds = identities.old[kind]
    element = olds[key]
    earlier = list(olds)[: list(olds).index(key)]
    if kind != "standard":
        earlier = [k for k in earlier if olds[k].parent == element.parent]
    places = [new_order[p.new] for k in earlier for p in identities.partners_of_old(kind, k)]
    if places:
        return max(places) + 0.5
    parent_kind = {"question": "standard", "prompt": "question"}.get(kind)
    if parent_kind is not None:
        parent_partners = {p.new for p in identities.partners_of_old(parent_kind, element.parent)}
        children = [i for new_key, i in new_order.items() if identities.new[kind][new_key].parent in parent_partners]
        if children:
            return min(children) - 0.5
    return len(new_order) + 0.5


def _removal_reason(kind: str, key: str, identities: Identities) -> str | None:
    if identities.mapping is None:
        return None
    section = {"standard": "standards", "question": "questions", "prompt": "prompts"}[kind]
    for entry in identities.mapping.section(section):
        if entry.old == key:
            return entry.why
    return None


def _pair_change(kind: str, pair: Pair, identities: Identities, old_parents: dict[str, Element] | None,
                 new_parents: dict[str, Element] | None) -> ElementChange:
    old = identities.old[kind][pair.old]
    new = identities.new[kind][pair.new]
    changes: list[Change] = []
    parents = _paired_parents(kind, old, new, identities, old_parents, new_parents)
    if old.number != new.number:
        note = WITH_PARENT[kind] if parents and old.position == new.position else None
        changes.append(Change("renumbered", old.number, new.number, note=note))
    changes.extend(_moved(kind, old, new, identities, old_parents, new_parents))
    if not (parents and _same_levels_as(old, new, *parents, identities)):
        changes.extend(_levels(old, new, identities))
    if kind == "standard":
        changes.extend(_standard_words(old, new, identities))
        changes.extend(_rating(old, new, identities))
    elif old.text != new.text:
        changes.append(Change("reworded", old.text, new.text, redline=redline(old.text, new.text),
                              note=_terms_note(old.text, new.text, identities)))
    old_applies, new_applies = describe.condition(old.applies_to), describe.condition(new.applies_to)
    inherited = parents and (old_applies, new_applies) == (
        describe.condition(parents[0].applies_to), describe.condition(parents[1].applies_to))
    if old_applies != new_applies and not inherited:
        changes.append(Change("applicability", old_applies, new_applies))
    changes.extend(_split_or_merged(kind, pair, identities))
    meaningful = [c for c in changes if c.what not in ("split", "merged")]
    return ElementChange(
        kind, "changed" if meaningful else "unchanged", pair.method, pair.score,
        _side(old, old_parents), _side(new, new_parents), tuple(changes), pair.why,
    )


def _paired_parents(kind: str, old: Element, new: Element, identities: Identities,
                    old_parents: dict[str, Element] | None,
                    new_parents: dict[str, Element] | None) -> tuple[Element, Element] | None:
    """The parents of a key question or prompt, when it stayed with its parent's counterpart.

    A change it shares with that parent (its levels, its applicability, the parent's part
    of its number) is the parent's change, reported once, on the parent.
    """
    if kind == "standard" or old_parents is None or new_parents is None:
        return None
    parent_kind = "standard" if kind == "question" else "question"
    if new.parent not in {p.new for p in identities.partners_of_old(parent_kind, old.parent)}:
        return None
    if old.parent not in old_parents or new.parent not in new_parents:
        return None
    return old_parents[old.parent], new_parents[new.parent]


def _same_levels_as(old: Element, new: Element, old_parent: Element, new_parent: Element,
                    identities: Identities) -> bool:
    return (set(identities.read_levels(old.levels)) == set(identities.read_levels(old_parent.levels))
            and set(new.levels) == set(new_parent.levels))


def _moved(kind: str, old: Element, new: Element, identities: Identities, old_parents: dict[str, Element] | None,
           new_parents: dict[str, Element] | None) -> list[Change]:
    if kind == "standard":
        if old.domain.id == new.domain.id or old.domain.number == new.domain.number:
            return []
        return [Change("moved", f"{old.domain.number} {old.domain.heading}", f"{new.domain.number} {new.domain.heading}",
                       note="to another domain")]
    parent_kind = "standard" if kind == "question" else "question"
    partners = {p.new for p in identities.partners_of_old(parent_kind, old.parent)}
    if new.parent in partners:
        return []
    assert old_parents is not None and new_parents is not None
    was, now = old_parents.get(old.parent), new_parents.get(new.parent)
    return [Change(
        "moved",
        f"{was.number} {was.text}" if was else old.parent,
        f"{now.number} {now.text}" if now else new.parent,
        note=f"to another {'standard' if kind == 'question' else 'key question'}",
    )]


def _levels(old: Element, new: Element, identities: Identities) -> list[Change]:
    read_as = identities.read_levels(old.levels)
    if set(read_as) == set(new.levels):
        return []
    note = None
    if read_as != old.levels:
        note = f"{describe.levels(old.levels)} read as {describe.levels(read_as)}"
    return [Change("levels", describe.levels(old.levels), describe.levels(new.levels), note=note)]


def _terms_note(old: str, new: str, identities: Identities) -> str | None:
    return TERMS_ONLY if same_apart_from_terms(old, new, identities.swaps) else None


def _standard_words(old: Element, new: Element, identities: Identities) -> list[Change]:
    changes = []
    if old.text != new.text:
        changes.append(Change("heading", old.text, new.text, redline=redline(old.text, new.text),
                              note=_terms_note(old.text, new.text, identities)))
    new_texts: dict[str, list[str]] = {}
    for level, text in new.texts:
        new_texts.setdefault(text, []).append(level)
    several = len(new_texts) > 1
    for text, levels in new_texts.items():
        before = _old_text_for(old, levels, identities)
        if before is None or before == text:
            continue
        changes.append(Change("text", before, text, level=", ".join(levels) if several else None,
                              redline=redline(before, text), note=_terms_note(before, text, identities)))
    return changes


def _old_text_for(old: Element, levels: list[str], identities: Identities) -> str | None:
    """The old standard text that the new text at these levels replaces."""
    for level, text in old.texts:
        if set(identities.read_levels((level,))) & set(levels):
            return text
    return old.texts[0][1] if old.texts else None


def _rating(old: Element, new: Element, identities: Identities) -> list[Change]:
    assert isinstance(old.model, m.Standard) and isinstance(new.model, m.Standard)

    def words(ratings: tuple[m.LevelRating, ...], read: bool) -> str:
        parts: list[str] = []
        for rating in ratings:
            levels = identities.read_levels((rating.level,)) if read else (rating.level,)
            parts.extend(f"{level}: {describe.rating_method(rating)}" for level in levels)
        return "; ".join(dict.fromkeys(parts)) or "not stated"

    if words(old.model.ratings, read=True) == words(new.model.ratings, read=False):
        return []
    return [Change("rating", words(old.model.ratings, read=False), words(new.model.ratings, read=False))]


def _split_or_merged(kind: str, pair: Pair, identities: Identities) -> list[Change]:
    changes = []
    siblings = identities.partners_of_old(kind, pair.old)
    if len(siblings) > 1:
        numbers = [_number_at(identities.new[kind][p.new]) for p in siblings]
        changes.append(Change("split", None, ", ".join(numbers), note=f"one of {len(siblings)} parts"))
    sources = identities.partners_of_new(kind, pair.new)
    if len(sources) > 1:
        numbers = [_number_at(identities.old[kind][p.old]) for p in sources]
        changes.append(Change("merged", ", ".join(numbers), None, note=f"one of {len(sources)} merged"))
    return changes


def _number_at(element: Element) -> str:
    return f"{element.number} at {describe.levels(element.levels)}"
