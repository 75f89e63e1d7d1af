"""How the index reads facts: each one's phrasings with topic names set apart, the weight of
each of its words, the topics it is about or mentions and the kinds of answer it gives. Here,
or side by side in other processes for a large knowledge's first build."""

from __future__ import annotations

import functools
import itertools
import operator
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.engine.glossary import Glossary
from bot.engine.kinds import answers_kinds
from bot.engine.packed import FactReadings, ProfileColumns, WeighedRows
from bot.engine.text import content_terms
from bot.knowledge.model import Fact, KnowledgeBase, Topic

PHRASING_WEIGHT = 1.0
ANSWER_WEIGHT = 0.6
MENTION_STRENGTH = 0.8
"""How strongly a fact that merely mentions an entity counts as being about it."""

Split = tuple[tuple[str, ...], frozenset[str]]
"""A text's terms other than topic names, and the topics it names."""
FactReading = tuple[list[Split], dict[str, float], dict[str, float]]
"""A fact's phrasings split, each of its words with its weight, and its topics' strengths."""
NO_TOPICS: frozenset[str] = frozenset()
NAME_END = ""
"""The key marking where a name ends in the trie: no term is empty."""

PARALLEL_FACTS = 20_000
"""Facts to read from which a build hands them to other processes, when it is given some:
about a second's reading, where a process takes a quarter of one to start and import the
engine."""
CHUNK_FACTS = 4_000
"""Facts read at a time: few enough that the readings waiting for the build to take them stay
a few megabytes, many enough that sending them to a process costs little."""
CHUNKS_AHEAD = 8
"""Chunks given ahead of the one the build is taking: enough to keep two processes busy
while the build makes card facts (0.6 s at 100,000 facts), a few megabytes waiting."""


@dataclass(frozen=True, slots=True)
class EntityName:
    """One way of naming a topic, as the sequence of terms a question must contain."""

    topic_id: str
    terms: tuple[str, ...]


def entity_names(topics: Iterable[Topic]) -> list[EntityName]:
    """Every name and alias of every topic as term sequences, longest first."""
    names = {
        EntityName(topic.id, tuple(name_terms))
        for topic in topics
        for name in topic.names
        if (name_terms := content_terms(name))
    }
    return sorted(names, key=lambda name: (-len(name.terms), name.topic_id, name.terms))


@dataclass(frozen=True)
class FactReader:
    """What reading a fact takes beyond its own texts: the topics' names, as a trie of their
    terms, and the glossary. Plain data, so it can go to another process with the facts."""

    name_trie: dict[str, Any]
    glossary: Glossary

    @classmethod
    def of(cls, names: Iterable[EntityName], glossary: Glossary) -> FactReader:
        """A reader of facts with these names of topics and this glossary."""
        trie: dict[str, Any] = {}
        for name in names:
            node = trie
            for term in name.terms:
                node = node.setdefault(term, {})
            node.setdefault(NAME_END, name.topic_id)
        return cls(trie, glossary)

    def terms(self, text: str) -> list[str]:
        """A text's terms, and the glossary entries it holds."""
        terms = content_terms(text)
        return [*terms, *self.glossary.entries_in(text)] if self.glossary else terms

    def split(self, sequence: Sequence[str]) -> Split:
        """Separates the topic names in a sequence of terms (longest name first) from its other
        words, walking the names' trie from each term that can start one."""
        trie = self.name_trie
        starts = [i for i, term in enumerate(sequence) if term in trie]
        if not starts:
            return tuple(sequence), NO_TOPICS
        rest: list[str] = []
        found: set[str] = set()
        done = 0
        for start in starts:
            if start < done:
                continue
            node: dict[str, Any] | None = trie
            topic_id, end = None, start
            for position in range(start, len(sequence)):
                node = node.get(sequence[position]) if node is not None else None
                if node is None:
                    break
                if NAME_END in node:
                    topic_id, end = node[NAME_END], position + 1
            if topic_id is not None:
                rest.extend(sequence[done:start])
                found.add(topic_id)
                done = end
        rest.extend(sequence[done:])
        return tuple(rest), frozenset(found)

    def keywords(self) -> Mapping[str, Split]:
        """Keywords read once each, for one build: many facts share a keyword."""
        return _Splits(lambda word: self.split(self.terms(word)))

    def read(self, fact: Fact, keywords: Mapping[str, Split]) -> FactReading:
        """A fact's phrasings in every language (topic names set apart), each of its words with
        the weight of the best field it appears in, and the topics it is about (1.0) or
        mentions: a curator's Chinese question finds the fact as its English one does. Its
        keywords are read through `keywords`, which many facts share. Topics come in an order
        of their names, not of a set's hashing, so every process reads a fact alike."""
        split, read = self.split, self.terms
        phrasings = [split(read(text)) for text in fact.phrasings_in_every_language]
        asked = [*phrasings, *map(keywords.__getitem__, fact.keywords)]
        answer = split(read("\n".join(fact.answers_in_every_language)))
        weights = dict.fromkeys(
            itertools.chain.from_iterable(words for words, _ in asked), PHRASING_WEIGHT
        )
        for term in answer[0]:
            weights.setdefault(term, ANSWER_WEIGHT)
        topics = dict.fromkeys(
            itertools.chain.from_iterable(
                sorted(named) if len(named) > 1 else named for _, named in (*asked, answer)
            ),
            MENTION_STRENGTH,
        )
        if fact.topic_id is not None:
            topics[fact.topic_id] = 1.0
        return phrasings, weights, topics

    def read_chunk(
        self, facts: Sequence[Fact], key: Callable[[Fact], str] | None = None
    ) -> FactReadings:
        """Facts read into the packed rows and columns the index keeps, with ids of their own
        (each term, topic and set of kinds numbered as it first comes), keyed by `key` when
        given: what a process is given to do with a chunk of facts, and what a build copies
        from, ids translated."""
        terms: Ids[str] = Ids(())
        topics: Ids[str] = Ids(())
        kinds: Ids[frozenset[str]] = Ids(())
        weighed_terms, weighed_topics, columns = WeighedRows(), WeighedRows(), ProfileColumns()
        keywords = self.keywords()
        given = answers_kinds((fact.phrasings, fact.answer) for fact in facts)
        for fact, kind_set in zip(facts, given, strict=True):
            phrasings, term_weights, topic_strengths = self.read(fact, keywords)
            weighed_terms.add(map(terms.__getitem__, term_weights), term_weights.values())
            weighed_topics.add(map(topics.__getitem__, topic_strengths), topic_strengths.values())
            columns.add(
                (
                    (
                        map(terms.__getitem__, dict.fromkeys(words)),
                        map(topics.__getitem__, sorted(named)),
                    )
                    for words, named in phrasings
                ),
                kinds[kind_set],
            )
        kind_sets = [sorted(kind_set) for kind_set in kinds.names]
        keys = list(map(key, facts)) if key is not None else []
        return FactReadings(
            keys, terms.names, topics.names, kind_sets, columns, weighed_terms, weighed_topics
        )


def read_chunks(
    reader: FactReader,
    facts: Sequence[Fact],
    executor: Executor | None = None,
    key: Callable[[Fact], str] | None = None,
) -> Iterator[FactReadings]:
    """The facts read (and keyed by `key`), CHUNK_FACTS at a time, in order: on the executor's
    processes, a few chunks ahead of the one taken, when given one and many facts; else here,
    as taken."""
    chunks = (facts[at : at + CHUNK_FACTS] for at in range(0, len(facts), CHUNK_FACTS))
    read = functools.partial(reader.read_chunk, key=key)
    if executor is None or len(facts) < PARALLEL_FACTS:
        return map(read, chunks)
    return _in_order(executor, read, chunks)


def _in_order(
    executor: Executor,
    work: Callable[[Sequence[Fact]], FactReadings],
    chunks: Iterable[Sequence[Fact]],
) -> Iterator[FactReadings]:
    """Each chunk's result in order, the first CHUNKS_AHEAD given to the executor at once and
    one more each time one is taken."""
    chunks = iter(chunks)
    pending: deque[Future[FactReadings]] = deque(
        executor.submit(work, chunk) for chunk in itertools.islice(chunks, CHUNKS_AHEAD)
    )
    return _taken(executor, work, chunks, pending)


def _taken(
    executor: Executor,
    work: Callable[[Sequence[Fact]], FactReadings],
    chunks: Iterator[Sequence[Fact]],
    pending: deque[Future[FactReadings]],
) -> Iterator[FactReadings]:
    """The results of the work given, in order, giving the next chunk as each is taken."""
    while pending:
        done = pending.popleft().result()
        if (chunk := next(chunks, None)) is not None:
            pending.append(executor.submit(work, chunk))
        yield done


@dataclass(frozen=True)
class ReadAhead:
    """A build's first facts, already given to an executor's workers while the build makes
    what comes after them (a topic's card facts), and the chunks they come back as."""

    facts: list[Fact]
    names: list[EntityName]
    reader: FactReader
    """The topics' names and the reader the facts were given with, for the build to take."""
    chunks: Iterator[FactReadings]

    @classmethod
    def start(
        cls,
        knowledge: KnowledgeBase,
        executor: Executor,
        key: Callable[[Fact], str] | None,
    ) -> ReadAhead | None:
        """The knowledge's facts' first chunks given to the executor now; None for too few."""
        facts = list(knowledge.facts.values())
        if len(facts) < PARALLEL_FACTS:
            return None
        names = entity_names(knowledge.topics.values())
        reader = FactReader.of(names, Glossary.of(knowledge.glossary))
        return cls(facts, names, reader, read_chunks(reader, facts, executor, key))

    def starts(self, facts: Sequence[Fact]) -> bool:
        """Whether these facts begin with the very facts read ahead."""
        return len(facts) >= len(self.facts) and all(map(operator.is_, self.facts, facts))


Named = TypeVar("Named", bound=Hashable)


class Ids(dict[Named, int]):
    """Ids for names in the order they first come, after those given: looking a name up gives
    it the next id if it had none, so looking up the many known ones runs at C speed."""

    def __init__(self, names: Iterable[Named]) -> None:
        self.names = list(names)
        super().__init__(zip(self.names, itertools.count()))

    def __missing__(self, name: Named) -> int:
        self[name] = number = len(self.names)
        self.names.append(name)
        return number


class _Splits(dict[str, Split]):
    """Texts read and split once each, for one build: many facts share a keyword (100,000
    facts' 100,000 keywords are 64 texts), and reading each again was 0.2 s of a cold start."""

    def __init__(self, split: Callable[[str], Split]) -> None:
        super().__init__()
        self._split = split

    def __missing__(self, text: str) -> Split:
        self[text] = split = self._split(text)
        return split
