"""Which standard, key question and prompt of one framework version is which in another.

Identity is decided in this order, each step only for what the earlier ones left:

1. the mapping file, confirmed by a person: its entries win over everything, so that
   it can split, merge or unpair elements whatever their ids say;
2. equal ids. A standard's id is its heading's slug or a declared `id:`; a key question's
   or prompt's declared `id:` too. These pair whatever their text;
3. equal derived ids. A key question or prompt without `id:` gets one from its place
   (`assessment.1`, `assessment.1a`), which is a position, not an identity: when a prompt
   is inserted, every later letter shifts. So equal derived ids pair only when their
   texts agree (similarity of at least DERIVED_ID_MIN);
4. proposals from text similarity, for a person to review: pairs that score at least
   the threshold, best first; the parts of an element split across levels; and a
   standard for the new standard that most of its key questions went to.

Proposals are never identities until a person writes them into the mapping file.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from precepts.changes.mapping import ELEMENT_KINDS, Entry, Mapping, MappingError
from precepts.changes.similarity import TermSwap, similarity, term_swaps, words
from precepts.compiler import model as m
from precepts.compiler.conditions import all_of
from precepts.core.similarity_join import Measure, similar_pairs

KINDS = ("standard", "question", "prompt")
SECTION = dict(zip(KINDS, ELEMENT_KINDS, strict=True))
KIND_WORDS = {"standard": "standard", "question": "key question", "prompt": "prompt"}

DERIVED_ID_MIN = 0.5  # equal derived ids below this are different elements at one position
PROPOSAL_MIN = 0.6  # the default threshold for proposing a pair
SPLIT_MIN = 0.8  # a second counterpart at another level must be this close to be proposed
# Proposals are ranked by similarity plus small credits for keeping their place: the same
# parent (after pairing), a shared level, the same position. They break near-ties, and
# never lift a pair over the threshold.
PARENT_CREDIT, LEVEL_CREDIT, POSITION_CREDIT = 0.1, 0.05, 0.02

METHODS = ("mapping", "id", "derived-id", "proposed")


@dataclass(frozen=True, slots=True)
class Element:
    """A standard, key question or prompt, as identity matching sees it."""

    kind: str  # "standard" | "question" | "prompt"
    key: str  # its id; "levels/id" where an id is used at several levels
    id: str
    number: str
    text: str  # the heading of a standard; the question or prompt itself otherwise
    texts: tuple[tuple[str, str], ...]  # a standard's (level, standard text)
    levels: tuple[str, ...]
    parent: str  # the key of what holds it: domain id, standard key, question key
    position: str  # its own part of the number: "1" of 2.1.1, "b" of 2.1.1b
    derived: bool  # its id was made from its place, not declared
    applies_to: m.Condition | None  # its own condition and every one it inherits
    domain: m.Domain
    model: m.Standard | m.Question | m.Prompt


@dataclass(frozen=True, slots=True)
class Pair:
    kind: str
    old: str  # element keys
    new: str
    method: str  # one of METHODS
    score: float  # text similarity, 0 to 1
    why: str | None = None  # from the mapping file


@dataclass(frozen=True)
class Identities:
    old: dict[str, dict[str, Element]]  # kind → key → element, in framework order
    new: dict[str, dict[str, Element]]
    pairs: dict[str, tuple[Pair, ...]]  # kind → pairs, in old order then new order
    removed: dict[str, frozenset[str]]  # kind → old keys the mapping says have no counterpart
    level_map: dict[str, tuple[str, ...]]  # old level → the new levels it is read as
    rules: dict[str, Pair]  # old rule id → its pair
    removed_rules: frozenset[str]
    swaps: tuple[TermSwap, ...]
    threshold: float
    mapping: Mapping | None = None

    _by_old: dict[tuple[str, str], tuple[Pair, ...]] = field(default_factory=dict, repr=False, compare=False)
    _by_new: dict[tuple[str, str], tuple[Pair, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_old: dict[tuple[str, str], list[Pair]] = {}
        by_new: dict[tuple[str, str], list[Pair]] = {}
        for kind, pairs in self.pairs.items():
            for pair in pairs:
                by_old.setdefault((kind, pair.old), []).append(pair)
                by_new.setdefault((kind, pair.new), []).append(pair)
        self._by_old.update({k: tuple(v) for k, v in by_old.items()})
        self._by_new.update({k: tuple(v) for k, v in by_new.items()})

    def partners_of_old(self, kind: str, key: str) -> tuple[Pair, ...]:
        return self._by_old.get((kind, key), ())

    def partners_of_new(self, kind: str, key: str) -> tuple[Pair, ...]:
        return self._by_new.get((kind, key), ())

    def read_levels(self, levels: Iterable[str]) -> tuple[str, ...]:
        return read_levels(self.level_map, levels)


def read_levels(level_map: dict[str, tuple[str, ...]], levels: Iterable[str]) -> tuple[str, ...]:
    """Old levels read as new ones through the mapping's `levels:`."""
    out: list[str] = []
    for level in levels:
        out.extend(level_map.get(level, (level,)))
    return tuple(dict.fromkeys(out))


# ---- the elements of a framework ------------------------------------------------------------


def elements(framework: m.Framework) -> dict[str, dict[str, Element]]:
    """Every standard, key question and prompt, keyed for matching."""
    question_keys = _keys([(q.id, q.levels) for q in framework.questions()])
    prompt_keys = _keys([(p.id, p.levels) for p in framework.prompts()])
    found: dict[str, dict[str, Element]] = {kind: {} for kind in KINDS}
    questions_seen = prompts_seen = 0
    for domain in framework.domains:
        for standard in domain.standards:
            standard_applies = all_of(domain.applies_to, standard.applies_to)
            texts = tuple((t.level, t.text) for t in standard.texts)
            found["standard"][standard.id] = Element(
                "standard", standard.id, standard.id, standard.number, standard.heading, texts,
                standard.levels, domain.id, standard.number.rsplit(".", 1)[-1], False,
                standard_applies, domain, standard,
            )
            for question in standard.questions:
                question_key = question_keys[questions_seen]
                questions_seen += 1
                question_applies = all_of(standard_applies, question.applies_to)
                position = question.number.rsplit(".", 1)[-1]
                found["question"][question_key] = Element(
                    "question", question_key, question.id, question.number, question.text, (), question.levels,
                    standard.id, position, _derived_question_id(standard.id, position, question.id), question_applies, domain, question,
                )
                for prompt in question.prompts:
                    prompt_key = prompt_keys[prompts_seen]
                    prompts_seen += 1
                    found["prompt"][prompt_key] = Element(
                        "prompt", prompt_key, prompt.id, prompt.number, prompt.text, (), prompt.levels,
                        question_key, prompt.letter, prompt.id == f"{question.id}{prompt.letter}",
                        all_of(question_applies, prompt.applies_to), domain, prompt,
                    )
    return found


def _derived_question_id(standard_id: str, position: str, question_id: str) -> bool:
    """Whether a question's id is only its place: `<standard>.<position>` or
    `<standard>.<one part>.<position>`. Plain string tests rather than a pattern per standard
    and position, which overflowed the `re` module's cache and recompiled on a big framework."""
    if not question_id.startswith(standard_id + "."):
        return False
    rest = question_id[len(standard_id) + 1:]
    middle, dot, last = rest.rpartition(".")
    return rest == position or (dot == "." and last == position and middle != "" and "." not in middle)


def _keys(ids_and_levels: list[tuple[str, tuple[str, ...]]]) -> list[str]:
    """Ids, except that an id written at several levels is told apart by its levels: `pdu/x`.

    Standards need no such care: one id is one standard, whatever its levels.
    """
    from collections import Counter

    counts = Counter(identifier for identifier, _ in ids_and_levels)
    return [identifier if counts[identifier] == 1 else f"{'+'.join(levels)}/{identifier}"
            for identifier, levels in ids_and_levels]


# ---- similarity -----------------------------------------------------------------------------


class Scorer:
    """Similarity of an old and a new element, remembered: proposals ask many times."""

    def __init__(self, swaps: tuple[TermSwap, ...]) -> None:
        self.swaps = swaps
        self._words: dict[str, tuple[str, ...]] = {}
        self._matchers: dict[str, difflib.SequenceMatcher[str]] = {}

    def _w(self, text: str) -> tuple[str, ...]:
        if text not in self._words:
            self._words[text] = words(text, self.swaps)
        return self._words[text]

    def words_of(self, element: Element) -> tuple[str, ...]:
        """The words `score` compares for an element other than a standard."""
        return self._w(element.text)

    def score(self, old: Element, new: Element) -> float:
        if old.kind != "standard":
            a, b = self._w(old.text), self._w(new.text)
            if a == b:  # difflib's ratio of a sequence with itself, without its search
                return 1.0
            matcher = self._matcher(new.text)
            matcher.set_seq1(a)
            return matcher.ratio()
        # A standard is its heading and its standard text; the text says more.
        heading = similarity(self._w(old.text), self._w(new.text))
        old_texts = {t for _, t in old.texts} or {""}
        new_texts = {t for _, t in new.texts} or {""}
        text = max(similarity(self._w(a), self._w(b)) for a in old_texts for b in new_texts)
        return round(0.3 * heading + 0.7 * text, 6)

    def _matcher(self, text: str) -> difflib.SequenceMatcher[str]:
        """One matcher per new text: difflib indexes its second sequence once."""
        if text not in self._matchers:
            self._matchers[text] = difflib.SequenceMatcher(None, (), self._w(text), autojunk=False)
        return self._matchers[text]


# ---- matching -------------------------------------------------------------------------------


def match(old: m.Framework, new: m.Framework, mapping: Mapping | None = None,
          threshold: float = PROPOSAL_MIN) -> Identities:
    """Pair the elements and rating rules of two versions. Raises MappingError for a bad mapping."""
    old_elements, new_elements = elements(old), elements(new)
    if mapping is not None:
        _check_mapping(mapping, old, new, old_elements, new_elements)
    level_map: dict[str, tuple[str, ...]] = {lv.id: (lv.id,) for lv in old.levels}
    for entry in mapping.section("levels") if mapping else ():
        level_map[entry.old] = entry.new
    swaps = term_swaps(old, new)
    scorer = Scorer(swaps)
    pairs: dict[str, list[Pair]] = {}
    removed: dict[str, frozenset[str]] = {}
    for kind in KINDS:
        entries = mapping.section(SECTION[kind]) if mapping else ()
        removed[kind] = _removed(kind, entries, old_elements, removed)
        pairs[kind] = _pair_kind(kind, entries, old_elements[kind], new_elements[kind], pairs, removed[kind],
                                 scorer, threshold, level_map)
    pairs["standard"].extend(_standards_by_contents(old_elements, new_elements, pairs, removed["standard"], scorer))
    standard_order = {key: i for i, key in enumerate(old_elements["standard"])}
    pairs["standard"].sort(key=lambda p: standard_order[p.old])
    rules, removed_rules = _pair_rules(old, new, mapping)
    return Identities(old_elements, new_elements, {k: tuple(v) for k, v in pairs.items()}, removed,
                      level_map, rules, removed_rules, swaps, threshold, mapping)


def _standards_by_contents(olds: dict[str, dict[str, Element]], news: dict[str, dict[str, Element]],
                           pairs: dict[str, list[Pair]], removed: frozenset[str], scorer: Scorer) -> list[Pair]:
    """Unpaired standards whose key questions went, mostly, to one unpaired new standard.

    A standard renamed and rewritten can fall below the threshold on its own words while
    its key questions plainly went to one place: 2017's "Court reports and case
    allocation" became 2021's "Court work", key question and all.
    """
    paired_old = {p.old for p in pairs["standard"]} | removed
    paired_new = {p.new for p in pairs["standard"]}
    proposals: list[Pair] = []
    for old_key, old_standard in olds["standard"].items():
        if old_key in paired_old:
            continue
        questions = {k for k, q in olds["question"].items() if q.parent == old_key}
        destinations = [news["question"][p.new].parent for p in pairs["question"] if p.old in questions]
        counted = {d: destinations.count(d) for d in destinations if d not in paired_new}
        if not counted:
            continue
        best = max(sorted(counted), key=lambda d: counted[d])
        if 2 * counted[best] >= len(questions):
            score = scorer.score(old_standard, news["standard"][best])
            proposals.append(Pair("standard", old_key, best, "proposed", round(score, 3)))
            paired_new.add(best)
    return proposals


def _removed(kind: str, entries: tuple[Entry, ...], old_elements: dict[str, dict[str, Element]],
             removed: dict[str, frozenset[str]]) -> frozenset[str]:
    """Old keys with no counterpart: said so in the mapping, or held by a removed parent.

    A removed standard takes its key questions with it, and they their prompts, unless an
    entry of their own pairs them elsewhere.
    """
    said = {e.old for e in entries if e.confirmed and not e.new}
    mapped = {e.old for e in entries if e.new}
    parent_kind = {"question": "standard", "prompt": "question"}.get(kind)
    if parent_kind is not None:
        gone_parents = removed.get(parent_kind, frozenset())
        said |= {key for key, e in old_elements[kind].items() if e.parent in gone_parents and key not in mapped}
    return frozenset(said)


def _pair_kind(kind: str, entries: tuple[Entry, ...], olds: dict[str, Element], news: dict[str, Element],
               done: dict[str, list[Pair]], removed: frozenset[str], scorer: Scorer, threshold: float,
               level_map: dict[str, tuple[str, ...]]) -> list[Pair]:
    pairs: list[Pair] = []
    paired_old: set[str] = set(removed)
    paired_new: set[str] = set()

    def add(old_key: str, new_key: str, method: str, why: str | None = None, score: float | None = None) -> None:
        value = scorer.score(olds[old_key], news[new_key]) if score is None else score
        pairs.append(Pair(kind, old_key, new_key, method, round(value, 3), why))
        paired_old.add(old_key)
        paired_new.add(new_key)

    for entry in entries:  # 1. confirmed by a person
        if entry.confirmed:
            for target in entry.new:
                add(entry.old, target, "mapping", entry.why)
    for key, element in olds.items():  # 2. equal declared ids
        if key not in paired_old and key in news and key not in paired_new:
            if not element.derived and not news[key].derived:
                add(key, key, "id")
    for entry in entries:  # proposals written in the mapping file, still to be reviewed
        if not entry.confirmed and entry.old not in paired_old:
            for target in entry.new:
                if target not in paired_new:
                    add(entry.old, target, "proposed", entry.why)
    # 3 and 4 together, best first: a derived id is only a position, so an element that
    # moved is paired with its true counterpart before the one that took its place.
    parents = _parent_partners(kind, done)
    old_order = {key: i for i, key in enumerate(olds)}
    new_order = {key: i for i, key in enumerate(news)}
    for key, element in olds.items():
        # Unchanged in place: no other pair could rank higher, so pair it now and spare
        # the comparisons (a new version of a big framework is mostly unchanged).
        twin = news.get(key)
        if (twin is not None and key not in paired_old and key not in paired_new and element.derived
                and twin.derived and (element.parent, twin.parent) in parents
                and set(read_levels(level_map, element.levels)) & set(twin.levels)
                and scorer.score(element, twin) == 1.0):
            add(key, key, "derived-id", score=1.0)
    candidates = []
    for old_key, new_key, bound in _worth_comparing(kind, olds, news, paired_old, paired_new, scorer, threshold):
        old_element, new_element = olds[old_key], news[new_key]
        same_derived_id = old_key == new_key and old_element.derived and new_element.derived
        floor = DERIVED_ID_MIN if same_derived_id else threshold
        if bound >= floor:
            score = scorer.score(old_element, new_element)
            if score >= floor:
                rank = score + _credit(old_element, new_element, parents, level_map)
                candidates.append((-rank, -score, old_order[old_key], new_order[new_key], old_key, new_key, score,
                                   same_derived_id))
    for *_, old_key, new_key, score, same_derived_id in sorted(candidates):
        if old_key not in paired_old and new_key not in paired_new:
            add(old_key, new_key, "derived-id" if same_derived_id else "proposed", score=score)
    pairs.extend(_split_proposals(kind, olds, news, pairs, paired_new, removed, scorer))
    return sorted(pairs, key=lambda p: (old_order[p.old], new_order[p.new]))


def _worth_comparing(kind: str, olds: dict[str, Element], news: dict[str, Element], paired_old: set[str],
                     paired_new: set[str], scorer: Scorer, threshold: float) -> list[tuple[str, str, float]]:
    """Each unpaired old key and unpaired new key that could reach a floor, with the most
    their score can be.

    Standards are few and scored on several texts: all of them, unbounded. Other elements
    go through the similarity join (core/similarity_join.py) of their words counted with
    their repeats, by the Dice coefficient: difflib's quick_ratio, which bounds the ratio
    `score` computes. The join keeps every pair that reaches the threshold, equal derived
    ids are bounded one to one against their lower floor, and texts without words pair with
    nothing, so `score` then decides exactly as a comparison of every pair would.
    """
    old_keys = [key for key in olds if key not in paired_old]
    new_keys = [key for key in news if key not in paired_new]
    if kind == "standard":
        return [(old_key, new_key, 1.0) for old_key in old_keys for new_key in new_keys]
    keys = [*old_keys, *new_keys]
    texts = [_counted(scorer.words_of(olds[key])) for key in old_keys]
    texts += [_counted(scorer.words_of(news[key])) for key in new_keys]
    sides = [0] * len(old_keys) + [1] * len(new_keys)
    found = [(keys[i], keys[j], bound) for i, j, bound in similar_pairs(texts, threshold, Measure.DICE, sides)]
    if threshold > DERIVED_ID_MIN:
        # Equal derived ids need only the lower floor: compared one to one, not through the
        # join, whose cost grows fast as its floor falls (more of each text's words are read).
        new_place = {key: len(old_keys) + place for place, key in enumerate(new_keys)}
        for place, key in enumerate(old_keys):
            there = new_place.get(key)
            if there is not None and olds[key].derived and news[key].derived:
                old_words, new_words = texts[place], texts[there]
                if old_words and new_words:
                    bound = Measure.DICE.of(len(set(old_words).intersection(new_words)), len(old_words), len(new_words))
                    if DERIVED_ID_MIN <= bound < threshold:  # at or above the threshold, the join found it
                        found.append((key, key, bound))
    return found  # olds come first in the join, so i is the old one of each pair


def _counted(words: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """Words as a set whose members count repeats, ("the", 0) and ("the", 1), so that the
    tokens two texts share are the words they share with their repeats, as quick_ratio
    counts them."""
    seen: dict[str, int] = {}
    counted = []
    for word in words:
        occurrence = seen.get(word, 0)
        counted.append((word, occurrence))
        seen[word] = occurrence + 1
    return tuple(sorted(counted))


def _parent_partners(kind: str, done: dict[str, list[Pair]]) -> set[tuple[str, str]]:
    parent_kind = {"question": "standard", "prompt": "question"}.get(kind)
    if parent_kind is None:
        return set()
    return {(p.old, p.new) for p in done.get(parent_kind, [])}


def _credit(old: Element, new: Element, parents: set[tuple[str, str]], level_map: dict[str, tuple[str, ...]]) -> float:
    credit = 0.0
    same_parent = (old.parent, new.parent) in parents
    if same_parent:
        credit += PARENT_CREDIT
        if old.position == new.position:
            credit += POSITION_CREDIT
    if set(read_levels(level_map, old.levels)) & set(new.levels):
        credit += LEVEL_CREDIT
    return credit


def _split_proposals(kind: str, olds: dict[str, Element], news: dict[str, Element], pairs: list[Pair],
                     paired_new: set[str], removed: frozenset[str], scorer: Scorer) -> list[Pair]:
    """A new element left over that is a close copy, at another level, of one already paired.

    The 2021 framework writes much of 2017's domain one twice, once for the region and
    once for the PDU: one old element, two new ones.
    """
    extra: list[Pair] = []
    for new_key, new_element in news.items():
        if new_key in paired_new:
            continue
        best: tuple[float, str] | None = None
        for old_key, old_element in olds.items():
            if old_key in removed:
                continue
            partners = [news[p.new] for p in (*pairs, *extra) if p.old == old_key]
            if not partners or any(set(p.levels) & set(new_element.levels) for p in partners):
                continue
            score = scorer.score(old_element, new_element)
            if score >= SPLIT_MIN and (best is None or score > best[0]):
                best = (score, old_key)
        if best is not None:
            extra.append(Pair(kind, best[1], new_key, "proposed", round(best[0], 3)))
    return extra


# ---- rating rules ---------------------------------------------------------------------------

RULE_KINDS = ("scale", "banding", "composite", "judgement", "hurdle")


def rules_of(framework: m.Framework) -> dict[str, tuple[str, object]]:
    """Rule id → (kind, rule), for every rating rule."""
    found: dict[str, tuple[str, object]] = {}
    for kind, items in (("scale", framework.scales), ("banding", framework.bandings),
                        ("composite", framework.composites), ("judgement", framework.judgements),
                        ("hurdle", framework.hurdles)):
        for item in items:
            found.setdefault(item.id, (kind, item))
    return found


def _pair_rules(old: m.Framework, new: m.Framework, mapping: Mapping | None) -> tuple[dict[str, Pair], frozenset[str]]:
    old_rules, new_rules = rules_of(old), rules_of(new)
    pairs: dict[str, Pair] = {}
    removed: set[str] = set()
    taken: set[str] = set()
    for entry in mapping.section("rules") if mapping else ():
        if not entry.new:
            removed.add(entry.old)
        else:
            pairs[entry.old] = Pair(old_rules[entry.old][0], entry.old, entry.new[0],
                                    "mapping" if entry.confirmed else "proposed", 1.0, entry.why)
            taken.add(entry.new[0])
    for rule_id, (kind, _) in old_rules.items():
        if rule_id in pairs or rule_id in removed or rule_id in taken:
            continue
        if rule_id in new_rules and new_rules[rule_id][0] == kind:
            pairs[rule_id] = Pair(kind, rule_id, rule_id, "id", 1.0)
    return pairs, frozenset(removed)


# ---- the mapping against the frameworks ---------------------------------------------------


def _check_mapping(mapping: Mapping, old: m.Framework, new: m.Framework,
                   old_elements: dict[str, dict[str, Element]], new_elements: dict[str, dict[str, Element]]) -> None:
    """Every id the mapping names must exist, in the right framework and of the right kind."""
    problems: list[str] = []
    if (mapping.old, mapping.new) != (old.id, new.id):
        problems.append(
            f"{mapping.path}: the mapping is from {mapping.old} to {mapping.new}, "
            f"but the frameworks compared are {old.id} and {new.id}"
        )
        raise MappingError(problems)
    old_levels, new_levels = {lv.id for lv in old.levels}, {lv.id for lv in new.levels}
    old_rules, new_rules = rules_of(old), rules_of(new)
    for entry in mapping.entries:
        where = f"{mapping.path}:{entry.line}" if entry.line else mapping.path
        if entry.section == "levels":
            known_old, known_new, what = old_levels, new_levels, "level"
        elif entry.section == "rules":
            known_old, known_new, what = set(old_rules), set(new_rules), "rating rule"
        else:
            kind = KINDS[ELEMENT_KINDS.index(entry.section)]
            known_old, known_new, what = set(old_elements[kind]), set(new_elements[kind]), KIND_WORDS[kind]
        if entry.old not in known_old:
            problems.append(f"{where}: {old.id} has no {what} '{entry.old}'{_hint(entry.old, known_old)}")
        for target in entry.new:
            if target not in known_new:
                problems.append(f"{where}: {new.id} has no {what} '{target}'{_hint(target, known_new)}")
        if (entry.section == "rules" and entry.new and entry.old in old_rules and entry.new[0] in new_rules
                and old_rules[entry.old][0] != new_rules[entry.new[0]][0]):
            problems.append(
                f"{where}: '{entry.old}' is a {old_rules[entry.old][0]} but '{entry.new[0]}' is a "
                f"{new_rules[entry.new[0]][0]}; a rule maps to a rule of its own kind"
            )
    if problems:
        raise MappingError(problems)


def _hint(word: str, known: set[str]) -> str:
    from precepts.compiler.names import did_you_mean

    hint = did_you_mean(word, sorted(known))
    return f"; {hint}" if hint else ""
