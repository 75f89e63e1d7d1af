"""Everything precomputed from the knowledge so answering a question touches only what it names."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.engine.text import spelled_terms, terms
from bot.engine.typos import TypoCorrector
from bot.knowledge.model import Fact, KnowledgeBase, Topic

PHRASING_WEIGHT = 1.0
ANSWER_WEIGHT = 0.6
MENTION_STRENGTH = 0.8
"""How strongly a fact that merely mentions an entity counts as being about it."""


@dataclass(frozen=True, slots=True)
class EntityName:
    """One way of naming a topic, as the sequence of terms a question must contain."""

    topic_id: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FactProfile:
    """A fact's searchable terms: each with the weight of the best field it appears in."""

    fact: Fact
    term_weights: dict[str, float]
    phrasings: tuple[tuple[str, ...], ...]
    entities: dict[str, float]


def content_terms(text: str) -> list[str]:
    """The terms of a text that can tell one fact from another."""
    return [term for _, term in spelled_terms(text)]


class KnowledgeIndex:
    """An inverted index over facts, with entity names and a vocabulary for typo correction."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self.entity_names = _entity_names(knowledge.topics.values())
        self._names_by_first_term: dict[str, list[EntityName]] = defaultdict(list)
        for name in self.entity_names:
            self._names_by_first_term[name.terms[0]].append(name)
        self.profiles = [self._profile(fact) for fact in knowledge.facts.values()]
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.facts_by_entity: dict[str, list[int]] = defaultdict(list)
        for position, profile in enumerate(self.profiles):
            for term in profile.term_weights:
                self.postings[term].append(position)
            for topic_id in profile.entities:
                self.facts_by_entity[topic_id].append(position)
        total = max(len(self.profiles), 1)
        self.idf = {
            term: math.log(1 + (total - len(hits) + 0.5) / (len(hits) + 0.5))
            for term, hits in self.postings.items()
        }
        self.max_idf = math.log(1 + (total + 0.5) / 0.5)
        vocabulary = set(self.postings)
        vocabulary.update(term for name in self.entity_names for term in name.terms)
        self.vocabulary = frozenset(vocabulary)
        self.typos = TypoCorrector(vocabulary)

    def names_starting_with(self, term: str) -> Sequence[EntityName]:
        """Entity names whose first term is the given one, longest first."""
        return self._names_by_first_term.get(term, ())

    def _profile(self, fact: Fact) -> FactProfile:
        """The weighted terms of one fact, and which topics it is about or mentions."""
        weights: dict[str, float] = {}
        topic = self.knowledge.topic_of(fact)
        phrasings = tuple(tuple(content_terms(text)) for text in fact.phrasings)
        asked = [*phrasings, *(content_terms(word) for word in fact.keywords)]
        if topic is not None:
            asked.extend(content_terms(name) for name in topic.names)
        for sequence in asked:
            for term in sequence:
                weights[term] = PHRASING_WEIGHT
        for term in content_terms(fact.answer):
            weights.setdefault(term, ANSWER_WEIGHT)
        entities = {
            topic_id: MENTION_STRENGTH
            for text in (*fact.phrasings, *fact.keywords, fact.answer)
            for topic_id in self.entities_in(terms(text))
        }
        if topic is not None:
            entities[topic.id] = 1.0
        return FactProfile(fact, weights, phrasings, entities)

    def entities_in(self, sequence: Sequence[str]) -> set[str]:
        """Topic ids named exactly in a sequence of terms."""
        found: set[str] = set()
        for start, term in enumerate(sequence):
            for name in self.names_starting_with(term):
                if tuple(sequence[start : start + len(name.terms)]) == name.terms:
                    found.add(name.topic_id)
        return found


def _entity_names(topics: Iterable[Topic]) -> list[EntityName]:
    """Every name and alias of every topic as term sequences, longest first."""
    names = {
        EntityName(topic.id, tuple(name_terms))
        for topic in topics
        for name in topic.names
        if (name_terms := content_terms(name))
    }
    return sorted(names, key=lambda name: (-len(name.terms), name.topic_id, name.terms))
