"""Everything precomputed from the knowledge so answering a question touches only what it names."""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import math
import operator
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.engine.text import asked_kinds, content_terms, whole_word_matches
from bot.engine.typos import TypoCorrector
from bot.knowledge.model import Fact, KnowledgeBase, Topic

PHRASING_WEIGHT = 1.0
ANSWER_WEIGHT = 0.6
MENTION_STRENGTH = 0.8
"""How strongly a fact that merely mentions an entity counts as being about it."""
ENTITY_WEIGHT_SHARE = 0.6
"""A named topic's weight, as a share of the rarest possible term's: names are how people say
what a question is about, however many facts share them."""


@dataclass(frozen=True, slots=True)
class EntityName:
    """One way of naming a topic, as the sequence of terms a question must contain."""

    topic_id: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Phrasing:
    """A text as the topics it names and the other words it uses, with what each word weighs."""

    terms: tuple[str, ...]
    entities: frozenset[str]
    weights: tuple[float, ...] = ()
    total: float = 0.0


@dataclass(frozen=True, slots=True)
class FactProfile:
    """What scoring needs of a fact beyond the postings: its weighed phrasings and answer kinds."""

    fact: Fact
    phrasings: tuple[Phrasing, ...]
    answers_kinds: frozenset[str]

    @property
    def asked_by_name(self) -> bool:
        """Whether people mostly ask for this fact by naming a topic (a model, say)."""
        named = sum(1 for phrasing in self.phrasings if phrasing.entities)
        return named * 2 > len(self.phrasings)


@dataclass(frozen=True, slots=True)
class Postings:
    """The facts holding a term (or naming a topic) in position order, with its weight in each."""

    positions: Sequence[int]
    weights: Sequence[float]

    def __len__(self) -> int:
        return len(self.positions)

    def weight_at(self, position: int) -> float:
        """The weight in one fact, found by bisection (positions are stored in order)."""
        found = bisect.bisect_left(self.positions, position)
        if found < len(self.positions) and self.positions[found] == position:
            return self.weights[found]
        return 0.0

    def items(self) -> zip[tuple[int, float]]:
        """(position, weight) pairs, in position order."""
        return zip(self.positions, self.weights, strict=True)


NO_POSTINGS = Postings((), ())

Split = tuple[tuple[str, ...], frozenset[str]]
"""A text's terms other than topic names, and the topics it names."""
IndexState = dict[str, Any]
"""A built index as arrays and lists of strings only, so a cache can hold it without pickle."""


class PostingsTable(Mapping[str, Postings]):
    """Every key's postings back to back in two packed arrays, sliced when a question asks.

    One pair of arrays per table rather than per term keeps 100,000 facts' postings in a few
    megabytes, and lets a cache store and load them as raw bytes.
    """

    def __init__(
        self, keys: list[str], starts: array[int], positions: array[int], weights: array[float]
    ) -> None:
        if len(starts) != len(keys) + 1 or not len(positions) == len(weights) == starts[-1]:
            raise ValueError("postings table columns disagree")
        self.keys_in_order = keys
        self.starts = starts
        self.positions = positions
        self.weights = weights
        self._slots = {key: slot for slot, key in enumerate(keys)}
        self._position_view = memoryview(positions)
        self._weight_view = memoryview(weights)

    @classmethod
    def of(cls, keys: list[str], hits: list[tuple[array[int], array[float]]]) -> PostingsTable:
        """Packs per-key (positions, weights) arrays, given in the order of `keys`."""
        starts, positions, weights = array(ID, [0]), array(ID), array("f")
        for key_positions, key_weights in hits:
            positions.extend(key_positions)
            weights.extend(key_weights)
            starts.append(len(positions))
        return cls(keys, starts, positions, weights)

    @classmethod
    def load(cls, state: IndexState, name: str) -> PostingsTable:
        """The table `export(name)` wrote into an index state."""
        return cls(
            state[f"{name}s"],
            state[f"{name}_starts"],
            state[f"{name}_positions"],
            state[f"{name}_weights"],
        )

    def export(self, name: str) -> IndexState:
        """The table's columns, named for their place in an index state."""
        return {
            f"{name}s": self.keys_in_order,
            f"{name}_starts": self.starts,
            f"{name}_positions": self.positions,
            f"{name}_weights": self.weights,
        }

    def __getitem__(self, key: str) -> Postings:
        slot = self._slots[key]
        start, end = self.starts[slot], self.starts[slot + 1]
        return Postings(self._position_view[start:end], self._weight_view[start:end])

    def get(self, key: str, default: Postings | None = None) -> Postings | None:  # type: ignore[override]
        """The key's postings, without raising for the many keys a question has that no fact has."""
        return self[key] if key in self._slots else default

    def __contains__(self, key: object) -> bool:
        return key in self._slots

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_in_order)

    def __len__(self) -> int:
        return len(self.keys_in_order)

    def check(self, facts: int) -> None:
        """Raises ValueError unless every position names one of this many facts."""
        _check_ids(self.starts, self.positions)
        if self.weights.typecode != "f":
            raise ValueError("postings weights of the wrong type")
        if len(self.positions) and max(self.positions) >= facts:
            raise ValueError("postings name facts that do not exist")

    def counts(self) -> Iterator[tuple[str, int]]:
        """Each key with how many facts it has, without slicing anything."""
        starts = self.starts
        return (
            (key, starts[slot + 1] - starts[slot]) for slot, key in enumerate(self.keys_in_order)
        )


class _PostingsBuilder:
    """Collects postings fact by fact, in position order, giving each new key the next slot."""

    def __init__(self) -> None:
        self.slots: dict[str, int] = {}
        self._positions: list[array[int]] = []
        self._weights: list[array[float]] = []

    def add(self, position: int, weights: dict[str, float]) -> None:
        """Records that one fact holds these keys, each with its weight."""
        for key, weight in weights.items():
            slot = self.slots.get(key)
            if slot is None:
                self.slots[key] = len(self._positions)
                self._positions.append(array(ID, (position,)))
                self._weights.append(array("f", (weight,)))
            else:
                self._positions[slot].append(position)
                self._weights[slot].append(weight)

    def table(self) -> PostingsTable:
        return PostingsTable.of(
            list(self.slots), list(zip(self._positions, self._weights, strict=True))
        )


@dataclass(frozen=True, slots=True)
class ProfileColumns:
    """Every fact's phrasings as ids into the term and topic tables, in packed arrays.

    Fact `f` has phrasings `phrasing_starts[f]` up to `phrasing_starts[f + 1]`; phrasing `p` has
    the term ids `terms[term_starts[p]:term_starts[p + 1]]` (each once) and topic ids likewise;
    `kinds[f]` picks the fact's set of answer kinds from a short list. A few bytes a phrasing,
    where objects would cost hundreds.
    """

    phrasing_starts: array[int] = dataclasses.field(default_factory=lambda: array(ID, [0]))
    term_starts: array[int] = dataclasses.field(default_factory=lambda: array(ID, [0]))
    terms: array[int] = dataclasses.field(default_factory=lambda: array(ID))
    topic_starts: array[int] = dataclasses.field(default_factory=lambda: array(ID, [0]))
    topics: array[int] = dataclasses.field(default_factory=lambda: array(ID))
    kinds: array[int] = dataclasses.field(default_factory=lambda: array(ID))

    def phrasings_of(self, fact: int) -> Iterator[tuple[array[int], array[int]]]:
        """Each phrasing of a fact as its term ids and topic ids."""
        for phrasing in range(self.phrasing_starts[fact], self.phrasing_starts[fact + 1]):
            yield (
                self.terms[self.term_starts[phrasing] : self.term_starts[phrasing + 1]],
                self.topics[self.topic_starts[phrasing] : self.topic_starts[phrasing + 1]],
            )

    def check(self, facts: int, terms: int, topics: int, kind_sets: int) -> None:
        """Raises ValueError unless every id points into its table: a damaged cache must fail
        when it is read, not when a question happens to touch the damage."""
        phrasings = len(self.term_starts) - 1
        if len(self.phrasing_starts) != facts + 1 or len(self.kinds) != facts:
            raise ValueError("profile columns do not match the facts")
        if len(self.topic_starts) != phrasings + 1 or self.phrasing_starts[-1] != phrasings:
            raise ValueError("profile columns do not match the phrasings")
        _check_ids(*(getattr(self, f.name) for f in dataclasses.fields(self)))
        for starts, ids, bound in (
            (self.phrasing_starts, range(phrasings), phrasings),
            (self.term_starts, self.terms, terms),
            (self.topic_starts, self.topics, topics),
        ):
            if starts[-1] != len(ids) or not _ascending(starts):
                raise ValueError("profile offsets out of order")
            if len(ids) and max(ids) >= bound:
                raise ValueError("profile ids out of range")
        if facts and max(self.kinds) >= kind_sets:
            raise ValueError("answer kinds out of range")


ID = "I"
"""Positions, offsets and ids are unsigned, so a damaged cache cannot make one negative."""


def _check_ids(*columns: array[int]) -> None:
    """Raises ValueError unless every column holds unsigned ids, as the index writes them."""
    if any(column.typecode != ID for column in columns):
        raise ValueError("index ids of the wrong type")


def _ascending(values: array[int]) -> bool:
    """Whether each value is at least the one before it (at C speed: a million in milliseconds)."""
    return all(map(operator.le, values, itertools.islice(values, 1, None)))


PROFILES_KEPT = 16_384
"""Facts whose weighed profiles stay made: enough for every question's candidates to be warm,
without growing towards one object per fact over a long-running bot's life."""


class KnowledgeIndex:
    """An inverted index over facts, with entity names and a vocabulary for typo correction."""

    def __init__(self, knowledge: KnowledgeBase, state: IndexState | None = None) -> None:
        self.knowledge = knowledge
        self._facts = list(knowledge.facts.values())
        self._sets: dict[frozenset[str], frozenset[str]] = {}
        self._names_by_first_term: dict[str, list[EntityName]] = defaultdict(list)
        self._name_trie: dict[str, Any] = {}
        if state is None:
            self._name(_entity_names(knowledge.topics.values()))
            self.postings, self.facts_by_entity, kind_sets, self._columns = self._build()
        else:
            self._name([EntityName(name[0], tuple(name[1:])) for name in state["names"]])
            self.postings = PostingsTable.load(state, "term")
            self.facts_by_entity = PostingsTable.load(state, "topic")
            kind_sets = [frozenset(kinds) for kinds in state["kind_sets"]]
            self._columns = ProfileColumns(
                **{f.name: state[f"profile_{f.name}"] for f in dataclasses.fields(ProfileColumns)}
            )
        self._kind_sets = [self._shared(kinds) for kinds in kind_sets]
        self._check()
        total = max(len(self._facts), 1)
        self.idf = {
            term: math.log(1 + (total - count + 0.5) / (count + 0.5))
            for term, count in self.postings.counts()
        }
        self.max_idf = math.log(1 + (total + 0.5) / 0.5)
        self.entity_weight = self.max_idf * ENTITY_WEIGHT_SHARE
        vocabulary = set(self.postings)
        vocabulary.update(term for name in self.entity_names for term in name.terms)
        self.vocabulary = frozenset(vocabulary)
        self._sorted_vocabulary = sorted(vocabulary)
        self.typos = TypoCorrector(vocabulary)
        self._ready: dict[int, FactProfile] = {}

    def profile(self, position: int) -> FactProfile:
        """A fact's profile with its phrasings weighed, kept for the next questions that need it;
        the oldest is dropped first once PROFILES_KEPT are made."""
        ready = self._ready.get(position)
        if ready is None:
            ready = self._make_profile(position)
            if len(self._ready) >= PROFILES_KEPT:
                del self._ready[next(iter(self._ready))]
            self._ready[position] = ready
        return ready

    def export_state(self) -> IndexState:
        """What a cache needs to rebuild this index without reading a single text again."""
        return {
            "names": [[name.topic_id, *name.terms] for name in self.entity_names],
            **self.postings.export("term"),
            **self.facts_by_entity.export("topic"),
            "kind_sets": [sorted(kinds) for kinds in self._kind_sets],
            **{
                f"profile_{f.name}": getattr(self._columns, f.name)
                for f in dataclasses.fields(ProfileColumns)
            },
        }

    def _name(self, names: list[EntityName]) -> None:
        """Takes the topics' names, looked up by their first term as questions are read."""
        if any(not name.terms for name in names):
            raise ValueError("an entity name without terms")
        self.entity_names = names
        for name in names:
            self._names_by_first_term[name.terms[0]].append(name)
            node = self._name_trie
            for term in name.terms:
                node = node.setdefault(term, {})
            node.setdefault(_NAME_END, name.topic_id)

    def _check(self) -> None:
        """Raises ValueError unless the tables agree with each other and with the knowledge."""
        facts = len(self._facts)
        self._columns.check(
            facts, len(self.postings), len(self.facts_by_entity), len(self._kind_sets)
        )
        self.postings.check(facts)
        self.facts_by_entity.check(facts)
        named = itertools.chain(self.facts_by_entity, (name.topic_id for name in self.entity_names))
        if any(topic_id not in self.knowledge.topics for topic_id in named):
            raise ValueError("index names topics the knowledge does not have")

    def _build(
        self,
    ) -> tuple[PostingsTable, PostingsTable, list[frozenset[str]], ProfileColumns]:
        """Reads every fact's texts once: its postings, the topics it is about, its phrasings."""
        terms, topics = _PostingsBuilder(), _PostingsBuilder()
        kind_slots: dict[frozenset[str], int] = {}
        columns = ProfileColumns()
        term_slot, topic_slot = terms.slots.__getitem__, topics.slots.__getitem__
        for position, fact in enumerate(self._facts):
            phrasings, term_weights, topic_strengths = self._read_fact(fact)
            terms.add(position, term_weights)
            topics.add(position, topic_strengths)
            for words, named in phrasings:
                columns.terms.extend(map(term_slot, dict.fromkeys(words)))
                columns.term_starts.append(len(columns.terms))
                if named:
                    columns.topics.extend(map(topic_slot, sorted(named)))
                columns.topic_starts.append(len(columns.topics))
            columns.phrasing_starts.append(len(columns.term_starts) - 1)
            columns.kinds.append(kind_slots.setdefault(_answer_kinds(fact), len(kind_slots)))
        return terms.table(), topics.table(), list(kind_slots), columns

    def _make_profile(self, position: int) -> FactProfile:
        """A fact's phrasings and kinds read back out of the packed columns, with weights."""
        term_of = self.postings.keys_in_order.__getitem__
        topic_of = self.facts_by_entity.keys_in_order.__getitem__
        phrasings = tuple(
            self._weigh(
                tuple(map(term_of, term_ids)),
                self._shared(frozenset(map(topic_of, topic_ids))) if topic_ids else NO_TOPICS,
            )
            for term_ids, topic_ids in self._columns.phrasings_of(position)
        )
        kinds = self._kind_sets[self._columns.kinds[position]]
        return FactProfile(self._facts[position], phrasings, kinds)

    def completions(self, prefix: str, limit: int = 20) -> list[str]:
        """Vocabulary terms that start with what someone has typed so far, rarest first."""
        start = bisect.bisect_left(self._sorted_vocabulary, prefix)
        found = list(
            itertools.takewhile(
                lambda term: term.startswith(prefix),
                itertools.islice(self._sorted_vocabulary, start, start + 500),
            )
        )
        found.sort(key=lambda term: -self.idf.get(term, self.max_idf))
        return found[:limit]

    def names_starting_with(self, term: str) -> Sequence[EntityName]:
        """Entity names whose first term is the given one, longest first."""
        return self._names_by_first_term.get(term, ())

    def _read_fact(self, fact: Fact) -> tuple[list[Split], dict[str, float], dict[str, float]]:
        """A fact's phrasings (topic names set apart), each of its words with the weight of the
        best field it appears in, and the topics it is about (1.0) or mentions."""
        split = self.split_entities
        phrasings = [split(content_terms(text)) for text in fact.phrasings]
        asked = [*phrasings, *(split(content_terms(word)) for word in fact.keywords)]
        answer = split(content_terms(fact.answer))
        weights = dict.fromkeys(
            itertools.chain.from_iterable(words for words, _ in asked), PHRASING_WEIGHT
        )
        for term in answer[0]:
            weights.setdefault(term, ANSWER_WEIGHT)
        topics = dict.fromkeys(
            itertools.chain.from_iterable(named for _, named in (*asked, answer)),
            MENTION_STRENGTH,
        )
        if fact.topic_id is not None:
            topics[fact.topic_id] = 1.0
        return phrasings, weights, topics

    def _weigh(self, terms: tuple[str, ...], entities: frozenset[str]) -> Phrasing:
        """A phrasing with each distinct word's rarity and its total, computed once."""
        weights = tuple(map(self.idf.__getitem__, terms))
        total = sum(weights) + self.entity_weight * len(entities)
        return Phrasing(terms, entities, weights, total)

    def _shared(self, items: frozenset[str]) -> frozenset[str]:
        """One copy of each small set of topic ids or answer kinds, however many facts have it:
        at 100,000 facts, separate copies cost about 90 MB."""
        return self._sets.setdefault(items, items)

    def split_entities(self, sequence: Sequence[str]) -> Split:
        """Separates the topic names in a sequence of terms (longest name first) from its other
        words, walking the names' trie from each term that can start one."""
        trie = self._name_trie
        starts = [i for i, term in enumerate(sequence) if term in trie]
        if not starts:
            return tuple(sequence), NO_TOPICS
        rest: list[str] = []
        found: set[str] = set()
        done = 0
        for start in starts:
            if start < done:
                continue
            node, topic_id, end = trie, None, start
            for position in range(start, len(sequence)):
                node = node.get(sequence[position])
                if node is None:
                    break
                if _NAME_END in node:
                    topic_id, end = node[_NAME_END], position + 1
            if topic_id is not None:
                rest.extend(sequence[done:start])
                found.add(topic_id)
                done = end
        rest.extend(sequence[done:])
        return tuple(rest), self._shared(frozenset(found))


NO_TOPICS: frozenset[str] = frozenset()
_NAME_END = ""
"""The key marking where a name ends in the trie: no term is empty."""

_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_YEAR = re.compile(r"(?:1[89]|20)\d\d(?!\w)")
_MONTH = re.compile(f"(?:{'|'.join(_MONTHS)})(?!\\w)")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_CJK_DATE = re.compile(r"\d\s*[年月]")
_REASON = re.compile(r"(?:because|due to|thanks to|owing to|since|so that)(?!\w)")
_CJK_REASONS = ("因为", "由于")


def _gives_date(answer: str) -> bool:
    """Whether a lower-cased answer holds a year, a month or a written-out date.

    Each form is tried only where it can occur (a dash, non-ASCII text, a month's name): one
    pattern for all of them tried every form at nearly every letter.
    """
    return (
        any(whole_word_matches(_YEAR, answer))
        or ("-" in answer and _ISO_DATE.search(answer) is not None)
        or (not answer.isascii() and _CJK_DATE.search(answer) is not None)
        or (any(month in answer for month in _MONTHS) and any(whole_word_matches(_MONTH, answer)))
    )


def _answer_kinds(fact: Fact) -> frozenset[str]:
    """What kinds of answer a fact gives: those its phrasings ask for, and a date or a reason
    if its answer contains one."""
    kinds = set(asked_kinds("\n".join(fact.phrasings)))
    answer = fact.answer.lower()
    if _gives_date(answer):
        kinds.add("time")
    if any(whole_word_matches(_REASON, answer)) or any(w in answer for w in _CJK_REASONS):
        kinds.add("reason")
    return frozenset(kinds)


def _entity_names(topics: Iterable[Topic]) -> list[EntityName]:
    """Every name and alias of every topic as term sequences, longest first."""
    names = {
        EntityName(topic.id, tuple(name_terms))
        for topic in topics
        for name in topic.names
        if (name_terms := content_terms(name))
    }
    return sorted(names, key=lambda name: (-len(name.terms), name.topic_id, name.terms))
