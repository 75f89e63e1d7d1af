"""Everything precomputed from the knowledge so answering a question touches only what it names."""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import math
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.engine.text import asked_kinds, spelled_terms
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
    """What scoring needs of a fact beyond the postings: its phrasings, topics and kinds."""

    fact: Fact
    phrasings: tuple[Phrasing, ...]
    entities: dict[str, float]
    answers_kinds: frozenset[str]

    @property
    def asked_by_name(self) -> bool:
        """Whether people mostly ask for this fact by naming a topic (a model, say)."""
        named = sum(1 for phrasing in self.phrasings if phrasing.entities)
        return named * 2 > len(self.phrasings)


def content_terms(text: str) -> list[str]:
    """The terms of a text that can tell one fact from another."""
    return [term for _, term in spelled_terms(text)]


@dataclass(frozen=True, slots=True)
class Postings:
    """The facts holding a term (or naming a topic), with the weight it has in each: two
    packed arrays rather than a dict per term, a tenth of the memory at 100,000 facts."""

    positions: array[int]
    weights: array[float]

    @classmethod
    def of(cls, hits: dict[int, float]) -> Postings:
        return cls(array("i", hits.keys()), array("f", hits.values()))

    @classmethod
    def load(cls, columns: list[list[Any]]) -> Postings:
        """Postings from the two JSON lists `dump` wrote."""
        positions, weights = columns
        return cls(array("i", positions), array("f", weights))

    def dump(self) -> list[list[Any]]:
        return [self.positions.tolist(), self.weights.tolist()]

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


NO_POSTINGS = Postings(array("i"), array("f"))

ProfileState = list[Any]
"""A fact's profile as plain JSON values, so a built index can be cached without pickle."""
IndexState = dict[str, Any]


def profile_state(profile: FactProfile) -> ProfileState:
    """The part of a profile that is costly to compute: everything read out of the texts."""
    return [
        [[list(p.terms), sorted(p.entities)] for p in profile.phrasings],
        profile.entities,
        sorted(profile.answers_kinds),
    ]


def profile_from_state(fact: Fact, state: ProfileState) -> FactProfile:
    """A profile rebuilt from its cached state."""
    phrasings, entities, kinds = state
    return FactProfile(
        fact,
        tuple(Phrasing(tuple(terms), frozenset(named)) for terms, named in phrasings),
        dict(entities),
        frozenset(kinds),
    )


class KnowledgeIndex:
    """An inverted index over facts, with entity names and a vocabulary for typo correction."""

    def __init__(self, knowledge: KnowledgeBase, state: IndexState | None = None) -> None:
        self.knowledge = knowledge
        self.entity_names = _entity_names(knowledge.topics.values())
        self._names_by_first_term: dict[str, list[EntityName]] = defaultdict(list)
        for name in self.entity_names:
            self._names_by_first_term[name.terms[0]].append(name)
        self._facts = list(knowledge.facts.values())
        self._ready: dict[int, FactProfile] = {}
        self._sets: dict[frozenset[str], frozenset[str]] = {}
        if state is None:
            postings: dict[str, dict[int, float]] = defaultdict(dict)
            entities: dict[str, dict[int, float]] = defaultdict(dict)
            self._read: list[FactProfile] | None = []
            for position, fact in enumerate(self._facts):
                profile, term_weights = self._profile(fact)
                self._read.append(profile)
                for term, weight in term_weights.items():
                    postings[term][position] = weight
                for topic_id, strength in profile.entities.items():
                    entities[topic_id][position] = strength
            self._states: list[ProfileState] = []
            self.postings = {term: Postings.of(hits) for term, hits in postings.items()}
            self.facts_by_entity = {key: Postings.of(hits) for key, hits in entities.items()}
        else:
            self._read = None
            self._states = state["profiles"]
            self.postings = {t: Postings.load(cols) for t, cols in state["postings"].items()}
            self.facts_by_entity = {
                k: Postings.load(cols) for k, cols in state["facts_by_entity"].items()
            }
        total = max(len(self._facts), 1)
        self.idf = {
            term: math.log(1 + (total - len(hits) + 0.5) / (len(hits) + 0.5))
            for term, hits in self.postings.items()  # len(hits): facts holding the term
        }
        self.max_idf = math.log(1 + (total + 0.5) / 0.5)
        self.entity_weight = self.max_idf * ENTITY_WEIGHT_SHARE
        vocabulary = set(self.postings)
        vocabulary.update(term for name in self.entity_names for term in name.terms)
        self.vocabulary = frozenset(vocabulary)
        self._sorted_vocabulary = sorted(vocabulary)
        self.typos = TypoCorrector(vocabulary)

    def profile(self, position: int) -> FactProfile:
        """A fact's profile with its phrasings weighed, made the first time a question needs it."""
        ready = self._ready.get(position)
        if ready is None:
            read = self._read_profile(position)
            ready = dataclasses.replace(read, phrasings=tuple(map(self._weigh, read.phrasings)))
            self._ready[position] = ready
        return ready

    def export_state(self) -> IndexState:
        """What a cache needs to rebuild this index without reading a single text again."""
        return {
            "profiles": [profile_state(self._read_profile(p)) for p in range(len(self._facts))],
            "postings": {term: hits.dump() for term, hits in self.postings.items()},
            "facts_by_entity": {key: hits.dump() for key, hits in self.facts_by_entity.items()},
        }

    def _read_profile(self, position: int) -> FactProfile:
        if self._read is not None:
            return self._read[position]
        return profile_from_state(self._facts[position], self._states[position])

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

    def _profile(self, fact: Fact) -> tuple[FactProfile, dict[str, float]]:
        """A fact's phrasings (entity names set apart), the topics it is about or mentions, and
        each of its words with the weight of the best field it appears in."""
        phrasings = tuple(self.split_entities(content_terms(text)) for text in fact.phrasings)
        keywords = [self.split_entities(content_terms(word)) for word in fact.keywords]
        answer = self.split_entities(content_terms(fact.answer))
        weights: dict[str, float] = {}
        entities: dict[str, float] = {}
        for phrasing in (*phrasings, *keywords):
            weights.update(dict.fromkeys(phrasing.terms, PHRASING_WEIGHT))
        for term in answer.terms:
            weights.setdefault(term, ANSWER_WEIGHT)
        for phrasing in (*phrasings, *keywords, answer):
            entities.update(dict.fromkeys(phrasing.entities, MENTION_STRENGTH))
        if fact.topic_id is not None:
            entities[fact.topic_id] = 1.0
        return FactProfile(fact, phrasings, entities, self._shared(_answer_kinds(fact))), weights

    def _weigh(self, phrasing: Phrasing) -> Phrasing:
        """A phrasing with each distinct word's rarity and its total, computed once."""
        distinct = tuple(dict.fromkeys(phrasing.terms))
        weights = tuple(self.idf.get(term, self.max_idf) for term in distinct)
        total = sum(weights) + self.entity_weight * len(phrasing.entities)
        return Phrasing(distinct, phrasing.entities, weights, total)

    def _shared(self, items: frozenset[str]) -> frozenset[str]:
        """One copy of each small set of topic ids or answer kinds, however many facts have it:
        at 100,000 facts, separate copies cost about 90 MB."""
        return self._sets.setdefault(items, items)

    def split_entities(self, sequence: Sequence[str]) -> Phrasing:
        """Separates the topic names in a sequence of terms from its other words."""
        rest: list[str] = []
        found: set[str] = set()
        position = 0
        while position < len(sequence):
            for name in self.names_starting_with(sequence[position]):
                end = position + len(name.terms)
                if tuple(sequence[position:end]) == name.terms:
                    found.add(name.topic_id)
                    position = end
                    break
            else:
                rest.append(sequence[position])
                position += 1
        return Phrasing(tuple(rest), self._shared(frozenset(found)))


_DATE = re.compile(
    r"\b(1[89]|20)\d\d\b|\b(january|february|march|april|may|june|july|august|september|"
    r"october|november|december)\b|\d{4}-\d\d-\d\d|\d+\s*年|\d+\s*月",
    re.IGNORECASE,
)
_REASON = re.compile(
    r"\b(because|due to|thanks to|owing to|since|so that)\b|因为|由于", re.IGNORECASE
)


def _answer_kinds(fact: Fact) -> frozenset[str]:
    """What kinds of answer a fact gives: those its phrasings ask for, and a date or a reason
    if its answer contains one."""
    kinds = set().union(*(asked_kinds(text) for text in fact.phrasings))
    if _DATE.search(fact.answer):
        kinds.add("time")
    if _REASON.search(fact.answer):
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
