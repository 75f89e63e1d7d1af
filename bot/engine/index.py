"""Everything precomputed from the knowledge so answering a question touches only what it names."""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import math
import operator
from array import array
from collections import defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from typing import Any

from bot.engine.glossary import Glossary, is_entry
from bot.engine.indexing import (
    EntityName,
    FactReader,
    Ids,
    ReadAhead,
    Split,
    entity_names,
    read_chunks,
)
from bot.engine.packed import ID, FactReadings, PostingsTable, ProfileColumns, WeighedRows
from bot.engine.pinyin import PinyinReader
from bot.engine.text import content_terms
from bot.engine.typos import SoundAlike, TypoCorrector
from bot.knowledge.model import Fact, KnowledgeBase

ENTITY_WEIGHT_SHARE = 0.6
"""A named topic's weight, as a share of the rarest possible term's: names are how people say
what a question is about, however many facts share them."""


@dataclass(frozen=True, slots=True)
class FactProfile:
    """What scoring needs of a fact beyond the postings: where in its phrasings each word and
    named topic stands, what each phrasing weighs in all, and its answer kinds. Kept by word,
    not by phrasing, so a question's few words find the phrasings they touch directly."""

    fact: Fact
    term_spots: dict[str, tuple[int, ...]]
    """Each word's phrasings, by number: once per time the phrasing uses it."""
    topic_spots: dict[str, tuple[int, ...]]
    """Each named topic's phrasings, by number."""
    totals: tuple[float, ...]
    """Each phrasing's words' rarity and names' weight in all; never zero, so it divides."""
    answers_kinds: frozenset[str]
    asked_by_name: bool
    """Whether people mostly ask for this fact by naming a topic (a model, say)."""
    asked_only_by_name: bool
    """Whether every phrasing of it names a topic."""
    asked_by_its_topic: bool
    """Whether most of its phrasings name its own topic: its answer is about that topic."""


IndexState = dict[str, Any]
"""A built index as arrays and lists of strings only, so a cache can hold it without pickle."""
NOT_KEPT = 2**32 - 1
"""A fact's number in kept readings when they hold no reading of it: it was read anew."""
PATCHED_ROWS = 5_000
"""Facts whose readings may differ from the last build's for a build to patch its postings
rather than gather them all again: an edited file of 1,000 facts with its topics' card facts
is some 1,400; with many more, most terms would be gathered afresh anyway."""
PROFILES_KEPT = 16_384
"""Facts whose weighed profiles stay made: enough for every question's candidates to be warm,
without growing towards one object per fact over a long-running bot's life."""


@dataclass(frozen=True)
class Numbering:
    """Where each fact of a build stands in a set of kept readings (NOT_KEPT where they hold
    none), named by the readings' serial: a later build over the very same fact objects, all
    unchanged as they are immutable, finds their readings there without keying their texts
    again (0.25 s of a reload at 100,000 facts)."""

    facts: Sequence[Fact]
    numbers: Sequence[int]
    serial: str
    tables: tuple[PostingsTable, PostingsTable] | None = None
    """The build's postings of terms and topics, for a build whose facts stand where these
    stood to patch rather than gather every fact's postings again."""

    def numbers_in(self, facts: Sequence[Fact], kept: int) -> list[int | None]:
        """Each fact's number in readings of `kept` facts, None for a fact not numbered."""
        at = {id(fact): n for fact, n in zip(self.facts, self.numbers, strict=True) if n < kept}
        return [at.get(id(fact)) for fact in facts]


@dataclass(frozen=True)
class Gathered:
    """What a build read each fact as, before the facts are keyed by their texts: only
    readings a cache writes need the keys, and most reloads write none."""

    facts: list[Fact]
    keys: list[str] | None
    unkeyed: FactReadings
    """The readings' tables, their `facts` left empty until `readings` keys them."""
    numbers: array[int]
    """Each fact's number in the readings the build was given, NOT_KEPT where read anew."""
    read_anew: int

    def readings(self, serial: str) -> FactReadings:
        """The readings, every fact keyed, under a serial naming them."""
        keys = self.keys if self.keys is not None else list(map(fact_key, self.facts))
        return replace(self.unkeyed, facts=keys, serial=serial)


class KnowledgeIndex:
    """An inverted index over facts, with entity names and a vocabulary for typo correction."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        state: IndexState | None = None,
        readings: FactReadings | None = None,
        numbering: Numbering | None = None,
        executor: Executor | None = None,
        ahead: ReadAhead | None = None,
    ) -> None:
        """Builds from the knowledge, or takes a state `export_state` gave. Given readings (even
        empty ones), a build takes each fact's reading from them where its texts are unchanged
        (found by `numbering` where it numbers these very readings, else by the texts' key),
        and gathers its own for a cache to keep. Given an executor of processes, a build with
        many facts to read reads them there (see `read_chunks`), taking first what `ahead`
        already gave them, with its names and reader (from `read_ahead` of this knowledge
        before its card facts were added)."""
        self.knowledge = knowledge
        self._gathered: Gathered | None = None
        self._facts = list(knowledge.facts.values())
        self._names_by_first_term: dict[str, list[EntityName]] = defaultdict(list)
        if ahead is not None and (state is not None or not ahead.starts(self._facts)):
            ahead = None
        glossary = ahead.reader.glossary if ahead else Glossary.of(knowledge.glossary)
        if state is None:
            names = ahead.names if ahead else entity_names(knowledge.topics.values())
            self._name(names, glossary, ahead.reader if ahead else None)
            built = self._build(readings, numbering, executor, ahead)
            self.postings, self.facts_by_entity, kind_sets, self._columns = built
        else:
            names = [EntityName(name[0], tuple(name[1:])) for name in state["names"]]
            self._name(names, glossary)
            self.postings = PostingsTable.load(state, "term")
            self.facts_by_entity = PostingsTable.load(state, "topic")
            kind_sets = [frozenset(kinds) for kinds in state["kind_sets"]]
            self._columns = ProfileColumns.load(state)
        self._kind_sets: list[frozenset[str]] = list(kind_sets)
        """Each distinct set of answer kinds once, however many facts give it."""
        if state is not None:
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
        self.glossary = glossary.held_by(self.vocabulary)
        """What questions are read with: the entries some fact holds."""
        words = {term for term in vocabulary if not is_entry(term)} | self.glossary.words()
        self._sorted_vocabulary = sorted(words)
        self.typos = TypoCorrector(words)
        self.pinyin = (
            PinyinReader.spelling(self.vocabulary) if state is None else PinyinReader.load(state)
        )
        self._ready: dict[int, FactProfile] = {}

    @functools.cached_property
    def sound_alike(self) -> SoundAlike:
        """Names' words by how they sound, made when a question first needs them: a warm start
        at 10,000 topics would spend some 60 ms on it for the few words no typo explains."""
        return SoundAlike(term for name in self.entity_names for term in name.terms)

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

    def take_readings(self) -> Gathered | None:
        """This build's readings, handed over once: kept, they would cost tens of megabytes
        for the life of the process."""
        gathered, self._gathered = self._gathered, None
        return gathered

    def fact_at(self, position: int) -> Fact:
        """The fact at a posting's position."""
        return self._facts[position]

    def export_state(self) -> IndexState:
        """What a cache needs to rebuild this index without reading a single text again."""
        return {
            "names": [[name.topic_id, *name.terms] for name in self.entity_names],
            **self.postings.export("term"),
            **self.facts_by_entity.export("topic"),
            "kind_sets": [sorted(kinds) for kinds in self._kind_sets],
            **self._columns.export(),
            **self.pinyin.export(),
        }

    def _name(
        self, names: list[EntityName], glossary: Glossary, reader: FactReader | None = None
    ) -> None:
        """Takes the topics' names, looked up by their first term as questions are read, and
        reads facts with them and the glossary (through `reader`, one already made of them)."""
        if any(not name.terms for name in names):
            raise ValueError("an entity name without terms")
        self.entity_names = names
        for name in names:
            self._names_by_first_term[name.terms[0]].append(name)
        self._reader = reader or FactReader.of(names, glossary)

    @staticmethod
    def read_ahead(
        knowledge: KnowledgeBase, readings: FactReadings | None, executor: Executor | None
    ) -> ReadAhead | None:
        """The knowledge's facts given to the executor's workers now, for a build of it with
        more facts after them (its card facts, made meanwhile) to take first; None unless
        the build would read them all there."""
        if executor is None or (readings is not None and readings.facts):
            return None
        return ReadAhead.start(knowledge, executor, fact_key if readings is not None else None)

    def _check(self) -> None:
        """Raises ValueError unless a cached state's tables agree with each other and with the
        knowledge (a freshly built index agrees by construction)."""
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
        readings: FactReadings | None,
        numbering: Numbering | None,
        executor: Executor | None,
        ahead: ReadAhead | None,
    ) -> tuple[PostingsTable, PostingsTable, list[frozenset[str]], ProfileColumns]:
        """Reads every fact's texts once, or copies what they read as from earlier readings
        (whole runs of facts at a time), then turns the readings into postings and columns."""
        kept = readings or FactReadings.empty()
        terms, topics = Ids(kept.terms), Ids(kept.topics)
        kinds = Ids(frozenset(kinds) for kinds in kept.kind_sets)
        weighed_terms, weighed_topics, columns = WeighedRows(), WeighedRows(), ProfileColumns()
        keys: list[str] | None = None
        numbers: list[int | None] = [None] * len(self._facts)
        # Nothing kept, so every fact is read: each key comes with its reading, made where it
        # was read, rather than all of them here first.
        keyed_as_read = readings is not None and not kept.facts
        if keyed_as_read:
            keys = []
        elif readings is not None:
            keys, numbers = self._numbers(kept, numbering)
        runs = list(_runs(numbers))
        fresh = [
            fact for first, end, number in runs if number is None for fact in self._facts[first:end]
        ]
        key = fact_key if keyed_as_read else None
        chunks: Iterator[FactReadings]
        if ahead is not None and len(fresh) == len(self._facts):
            rest = fresh[len(ahead.facts) :]
            chunks = itertools.chain(ahead.chunks, read_chunks(self._reader, rest, executor, key))
        else:
            chunks = read_chunks(self._reader, fresh, executor, key)
        chunk, taken = FactReadings.empty(), 0
        # The build's id for each of the chunk's term, topic and kinds ids: lists, as looking
        # ids up in them is twice as fast as in arrays.
        translated: tuple[list[int], list[int], list[int]] = ([], [], [])
        for first, end, number in runs:
            if number is not None:
                weighed_terms.copy(kept.weighed_terms, number, number + end - first)
                weighed_topics.copy(kept.weighed_topics, number, number + end - first)
                columns.copy(kept.columns, number, number + end - first)
                continue
            while first < end:
                if taken == len(chunk.columns.kinds):
                    chunk, taken = next(chunks), 0
                    if keyed_as_read and keys is not None:
                        keys.extend(chunk.facts)
                    translated = (
                        list(map(terms.__getitem__, chunk.terms)),
                        list(map(topics.__getitem__, chunk.topics)),
                        list(map(kinds.__getitem__, map(frozenset, chunk.kind_sets))),
                    )
                step = min(end - first, len(chunk.columns.kinds) - taken)
                weighed_terms.copy(chunk.weighed_terms, taken, taken + step, translated[0])
                weighed_topics.copy(chunk.weighed_topics, taken, taken + step, translated[1])
                columns.copy(chunk.columns, taken, taken + step, translated)
                first, taken = first + step, taken + step
        term_slots, topic_slots = weighed_terms.first_seen(), weighed_topics.first_seen()
        kind_slots = dict(zip(dict.fromkeys(columns.kinds), itertools.count()))
        term_keys = list(map(terms.names.__getitem__, term_slots))
        topic_keys = list(map(topics.names.__getitem__, topic_slots))
        kind_sets = list(map(kinds.names.__getitem__, kind_slots))
        weighed_terms = weighed_terms.remapped(term_slots)
        weighed_topics = weighed_topics.remapped(topic_slots)
        columns = columns.remapped(term_slots, topic_slots, kind_slots)
        if readings is not None:
            unkeyed = FactReadings(
                [],
                term_keys,
                topic_keys,
                [sorted(kinds) for kinds in kind_sets],
                columns,
                weighed_terms,
                weighed_topics,
            )
            self._gathered = Gathered(
                self._facts,
                keys,
                unkeyed,
                array(ID, (NOT_KEPT if number is None else number for number in numbers)),
                numbers.count(None),
            )
        changed = self._changed(kept, numbering, numbers) if readings is not None else None
        if numbering is None or numbering.tables is None or changed is None:
            postings = weighed_terms.inverted(term_keys)
            named = weighed_topics.inverted(topic_keys)
        else:
            rows, held_terms, held_topics = changed
            postings = weighed_terms.patched(term_keys, numbering.tables[0], rows, held_terms)
            named = weighed_topics.patched(topic_keys, numbering.tables[1], rows, held_topics)
        return postings, named, kind_sets, columns

    def _changed(
        self,
        kept: FactReadings,
        numbering: Numbering | None,
        numbers: list[int | None],
    ) -> tuple[list[int], set[str], set[str]] | None:
        """The positions whose readings differ from those the numbering's build had there,
        with the terms and topics those held; None unless that build's facts stood where
        these stand, numbered in these very readings, and few changed (PATCHED_ROWS)."""
        if (
            numbering is None
            or numbering.serial != kept.serial
            or not kept.serial
            or len(numbering.facts) != len(self._facts)
        ):
            return None
        moved = map(operator.is_not, self._facts, numbering.facts)
        rows = [
            position
            for position in itertools.compress(itertools.count(), moved)
            if numbers[position] is None or numbers[position] != numbering.numbers[position]
        ]
        if len(rows) > PATCHED_ROWS:
            return None
        held_terms: set[str] = set()
        held_topics: set[str] = set()
        keywords = self._reader.keywords()
        for position in rows:
            number = numbering.numbers[position]
            if number < len(kept.facts):
                held_terms.update(kept.terms[term] for term in kept.weighed_terms.row(number))
                held_topics.update(kept.topics[topic] for topic in kept.weighed_topics.row(number))
            else:
                _, term_weights, topic_strengths = self._reader.read(
                    numbering.facts[position], keywords
                )
                held_terms.update(term_weights)
                held_topics.update(topic_strengths)
        return rows, held_terms, held_topics

    def _numbers(
        self, kept: FactReadings, numbering: Numbering | None
    ) -> tuple[list[str] | None, list[int | None]]:
        """Each fact's number in the kept readings (None if they hold none), with every fact's
        key when all had to be keyed: the facts the numbering numbers are found by it, the
        others (an edited file's) by their texts' key."""
        if numbering is None or not kept.serial or numbering.serial != kept.serial:
            keys = list(map(fact_key, self._facts))
            at = dict(zip(kept.facts, itertools.count()))
            return keys, list(map(at.get, keys))
        numbers = numbering.numbers_in(self._facts, len(kept.facts))
        unnumbered = [position for position, number in enumerate(numbers) if number is None]
        if unnumbered:
            at = dict(zip(kept.facts, itertools.count()))
            for position in unnumbered:
                numbers[position] = at.get(fact_key(self._facts[position]))
        return None, numbers

    def _make_profile(self, position: int) -> FactProfile:
        """A fact's phrasings and kinds read back out of the packed columns, with weights."""
        term_of = self.postings.keys_in_order.__getitem__
        topic_of = self.facts_by_entity.keys_in_order.__getitem__
        idf = self.idf
        term_spots: defaultdict[str, list[int]] = defaultdict(list)
        topic_spots: defaultdict[str, list[int]] = defaultdict(list)
        totals: list[float] = []
        for number, (term_ids, topic_ids) in enumerate(self._columns.phrasings_of(position)):
            terms = tuple(map(term_of, term_ids))
            topics = set(map(topic_of, topic_ids))
            for term in terms:
                term_spots[term].append(number)
            for topic in topics:
                topic_spots[topic].append(number)
            total = sum(map(idf.__getitem__, terms)) + self.entity_weight * len(topics)
            totals.append(total or math.inf)
        named = len(set(itertools.chain.from_iterable(topic_spots.values())))
        fact = self._facts[position]
        own = len(topic_spots.get(fact.topic_id or "", ()))  # a topic stands once in a phrasing
        return FactProfile(
            fact,
            {term: tuple(spots) for term, spots in term_spots.items()},
            {topic: tuple(spots) for topic, spots in topic_spots.items()},
            tuple(totals),
            self._kind_sets[self._columns.kinds[position]],
            named * 2 > len(totals),
            named == len(totals),
            own * 2 > len(totals),
        )

    @functools.cached_property
    def share_asked_by_name(self) -> float:
        """The share of the knowledge's phrasings that name a topic: how much its curators
        expect people to name what they ask about."""
        return self._columns.share_naming_a_topic()

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

    def split_entities(self, sequence: Sequence[str]) -> Split:
        """Separates the topic names in a sequence of terms from its other words."""
        return self._reader.split(sequence)


FACT_TERMS_KEPT = 4_096
"""Facts whose own terms stay read: the ones answers and card checks keep coming back to."""


@functools.lru_cache(maxsize=FACT_TERMS_KEPT)
def asked_terms(fact: Fact) -> frozenset[str]:
    """The terms of what a fact is asked by, its phrasings and keywords, without its glossary
    entries: read once per fact however often answers and card checks ask."""
    return frozenset(
        term for text in (*fact.phrasings, *fact.keywords) for term in content_terms(text)
    )


@functools.lru_cache(maxsize=FACT_TERMS_KEPT)
def own_terms(fact: Fact) -> frozenset[str]:
    """The terms of all of a fact's own words, its answer's too, without glossary entries."""
    return asked_terms(fact) | frozenset(content_terms(fact.answer))


def reading_key(knowledge: KnowledgeBase) -> str:
    """A digest of all that reading a fact depends on besides its own texts: every topic's id
    and names, which reading sets apart, and the glossary, whose entries it adds."""
    digest = hashlib.sha256(repr([(t.id, t.names) for t in knowledge.topics.values()]).encode())
    digest.update(repr([(word, tuple(same)) for word, same in knowledge.glossary.items()]).encode())
    return digest.hexdigest()


def fact_key(fact: Fact) -> str:
    """A digest of the texts a fact is read from: the same texts read the same at one
    `reading_key`, whatever the fact's id or file.

    A fact without translations, most of them, has its texts joined at once behind its topic
    and how many `also` it has (a third less time than grouping them for `texts_key`). That
    first text starts with a quote or an N, where `texts_key` starts with a digit or a bracket,
    so the two never give one key.
    """
    if not fact.translations:
        texts = (f"{fact.topic_id!r}/{len(fact.also)}", fact.answer, fact.question)
        joined = _KEY_SEPARATOR.join((*texts, *fact.also, *fact.keywords))
        if joined.count(_KEY_SEPARATOR) < len(texts) + len(fact.also) + len(fact.keywords):
            return _digest(joined)
    return texts_key(
        () if fact.topic_id is None else (fact.topic_id,),
        fact.answers_in_every_language,
        fact.phrasings_in_every_language,
        fact.keywords,
    )


def texts_key(*groups: Sequence[str]) -> str:
    """A digest of groups of texts that no other groups share, for caches to key on.

    The texts are joined after the number of groups and each one's length (a reload keys every
    fact this way, and `repr` took twice as long); a text holding the separator would make that
    ambiguous, so such groups are keyed by their `repr`, which starts otherwise and can't
    collide.
    """
    texts = (str(len(groups)), *(str(len(group)) for group in groups))
    joined = _KEY_SEPARATOR.join(itertools.chain(texts, *groups))
    if joined.count(_KEY_SEPARATOR) >= len(texts) + sum(map(len, groups)):
        joined = repr(groups)
    return _digest(joined)


def _digest(text: str) -> str:
    """The key of a text: 128 bits, as no two of millions of texts will share by chance."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


_KEY_SEPARATOR = "\x00"
"""Joins texts in a key: a character curators hardly ever type."""


def _runs(numbers: Sequence[int | None]) -> Iterator[tuple[int, int, int | None]]:
    """Runs of facts that earlier readings hold one after another (first, end, the first's
    number there), and runs of facts they do not hold (number None)."""
    first = 0
    for end in range(1, len(numbers) + 1):
        if end < len(numbers) and _continues(numbers[end - 1], numbers[end]):
            continue
        yield first, end, numbers[first]
        first = end


def _continues(before: int | None, number: int | None) -> bool:
    """Whether a fact's number follows the one before it: both unread, or one after the other."""
    if before is None or number is None:
        return before is number
    return number == before + 1
