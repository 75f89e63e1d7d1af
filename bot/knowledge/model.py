"""The validated, immutable shape of curated knowledge that every other layer reads."""

from __future__ import annotations

import collections
import dataclasses
import itertools
import operator
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, TypeVar

from bot.knowledge.format import DEFAULT_LANGUAGE

KEY_PATTERN = r"(?:fact|topic):[a-z0-9-]{1,64}|facts:[a-z0-9-]{1,64}(?:\+[a-z0-9-]{1,64})+"
"""An answer key, `fact:ID`, `topic:ID` or `facts:ID+ID` (facts set side by side): the one
format for naming an answer outside the process, in buttons' custom ids and the feedback log."""
FACTS_KIND = "facts"
"""The kind of key that names facts set side by side."""


def facts_key(facts: Iterable[Fact]) -> str:
    """The key of facts set side by side, in their order."""
    return f"{FACTS_KIND}:{'+'.join(fact.id for fact in facts)}"


@dataclass(frozen=True, slots=True)
class Source:
    """The document a set of facts was curated from, so every answer can cite it."""

    id: str
    title: str
    publisher: str
    published: date
    author: str | None = None
    url: str | None = None
    note: str | None = None
    language: str = DEFAULT_LANGUAGE
    """The language its topics' and facts' own texts are written in."""

    def citation(self, section: str | None = None) -> str:
        """One line naming where an answer comes from: title, publisher, date and section."""
        parts = [self.title, self.publisher, self.published.isoformat()]
        if section:
            parts.append(f"§ {section}")
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class TopicTranslation:
    """A topic's texts in another language; what is not translated stays as written."""

    summary: str
    name: str | None = None
    card: tuple[tuple[str, str], ...] = ()
    """Rows by the original card's row names, so each stands for the row it translates."""


@dataclass(frozen=True, slots=True)
class FactTranslation:
    """A fact's texts in another language, under the fact's one id so votes add up."""

    answer: str
    question: str | None = None
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    """A named subject (a model, a company, a theme) that questions can be about."""

    id: str
    name: str
    summary: str
    source_id: str
    aliases: tuple[str, ...] = ()
    card: tuple[tuple[str, str], ...] = ()
    not_stated: tuple[str, ...] = ()
    """What people ask about it that the source does not say ("valuation"), as its curator
    listed it: asked, the bot says so rather than offer a fact that holds some of the words."""
    translations: tuple[tuple[str, TopicTranslation], ...] = ()
    """By language code; pairs rather than a dict so a topic stays hashable."""

    def translation(self, language: str) -> TopicTranslation | None:
        """Its texts in a language, if a curator translated them."""
        return dict(self.translations).get(language)

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling people may use for this topic, its own name first."""
        return (self.name, *self.aliases)

    @property
    def key(self) -> str:
        """How its summary is named in buttons and the feedback log (see KEY_PATTERN)."""
        return f"topic:{self.id}"


@dataclass(frozen=True, slots=True)
class Fact:
    """One answerable claim, with the phrasings people use to ask for it."""

    id: str
    question: str
    answer: str
    source_id: str
    topic_id: str | None = None
    also: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    section: str | None = None
    translations: tuple[tuple[str, FactTranslation], ...] = ()
    """By language code; pairs rather than a dict so a fact stays hashable (caches key on it)."""

    def translation(self, language: str) -> FactTranslation | None:
        """Its texts in a language, if a curator translated them."""
        return dict(self.translations).get(language)

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The canonical question followed by its alternates."""
        return (self.question, *self.also)

    @property
    def phrasings_in_every_language(self) -> tuple[str, ...]:
        """Its phrasings, then each translation's question and alternates: what finds it."""
        if not self.translations:  # most facts: a build and a reload ask this of every one
            return self.phrasings
        translated = (
            text
            for _, translation in self.translations
            for text in (translation.question, *translation.also)
            if text
        )
        return (*self.phrasings, *translated)

    @property
    def answers_in_every_language(self) -> tuple[str, ...]:
        """Its answer, then each translation's."""
        if not self.translations:  # most facts, as above
            return (self.answer,)
        return (self.answer, *(translation.answer for _, translation in self.translations))

    @property
    def key(self) -> str:
        """How it is named as an answer in buttons and the feedback log (see KEY_PATTERN)."""
        return f"fact:{self.id}"


Glossary = Mapping[str, tuple[str, ...]]
"""Headword to the words and phrases that mean the same, for every fact of every source."""


@dataclass(frozen=True)
class KnowledgeBase:
    """Every source, topic and fact in load order, looked up by id, and the glossary."""

    sources: Mapping[str, Source] = field(default_factory=dict)
    topics: Mapping[str, Topic] = field(default_factory=dict)
    facts: Mapping[str, Fact] = field(default_factory=dict)
    glossary: Glossary = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        sources: Iterable[Source],
        topics: Iterable[Topic],
        facts: Iterable[Fact],
        glossary: Glossary | None = None,
    ) -> KnowledgeBase:
        """Builds a knowledge base from already-validated parts, keyed by their ids."""
        return cls(
            sources={source.id: source for source in sources},
            topics={topic.id: topic for topic in topics},
            facts={fact.id: fact for fact in facts},
            glossary=dict(glossary or {}),
        )

    def source_of(self, item: Fact | Topic) -> Source:
        """The source that a fact or topic cites."""
        return self.sources[item.source_id]

    def by_key(self, key: str) -> Fact | Topic | None:
        """The fact or topic an answer key names, if the knowledge still has it."""
        kind, _, item_id = key.partition(":")
        if kind == "fact":
            return self.facts.get(item_id)
        return self.topics.get(item_id) if kind == "topic" else None

    def facts_by_key(self, key: str) -> list[Fact] | None:
        """The facts a `facts:ID+ID` key sets side by side, if the knowledge still has all."""
        kind, _, ids = key.partition(":")
        facts = [self.facts.get(fact_id) for fact_id in ids.split("+")]
        if kind != FACTS_KIND or not all(facts):
            return None
        return [fact for fact in facts if fact is not None]

    def topic_of(self, fact: Fact) -> Topic | None:
        """The topic a fact belongs to, if it names one."""
        return self.topics.get(fact.topic_id) if fact.topic_id else None

    def to_state(self) -> dict[str, Any]:
        """Everything as plain JSON values, for caches that must not execute code when read.

        Topics and facts are stored a column per field: reading 100,000 facts back then costs
        one list per field rather than one dict per fact.
        """
        return {
            "sources": [source_state(source) for source in self.sources.values()],
            "topics": topics_state(self.topics.values()),
            "facts": facts_state(self.facts.values()),
            "glossary": [[headword, *same] for headword, same in self.glossary.items()],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> KnowledgeBase:
        """The knowledge base `to_state` described; raises ValueError if it is malformed."""
        sources = [source_from_state(item) for item in state["sources"]]
        topics = topics_from_state(state["topics"])
        facts = facts_from_state(state["facts"])
        glossary = {str(entry[0]): tuple(map(str, entry[1:])) for entry in state["glossary"]}
        return cls.of(sources, topics, facts, glossary)

    def facts_about(self, topic_id: str) -> list[Fact]:
        """The facts filed under a topic, in curated order."""
        return list(self._facts_by_topic.get(topic_id, ()))

    @cached_property
    def _facts_by_topic(self) -> dict[str, list[Fact]]:
        """Grouped once: listing every topic's facts would otherwise read every fact per topic,
        10,000 × 100,000 steps for a large community's knowledge."""
        grouped: dict[str, list[Fact]] = {}
        for fact in self.facts.values():
            if fact.topic_id is not None:
                grouped.setdefault(fact.topic_id, []).append(fact)
        return grouped


def source_state(source: Source) -> dict[str, Any]:
    """A source as plain JSON values."""
    return {**dataclasses.asdict(source), "published": source.published.isoformat()}


def source_from_state(item: dict[str, Any]) -> Source:
    """The source `source_state` described."""
    return Source(**{**item, "published": date.fromisoformat(item["published"])})


def topics_state(topics: Iterable[Topic]) -> dict[str, list[Any]]:
    """Topics as plain JSON values, a column per field: one list per field to read back
    rather than one dict per topic."""
    return _columns(Topic, topics, translations=_translations_state)


def topics_from_state(columns: dict[str, list[Any]]) -> list[Topic]:
    """The topics `topics_state` described; raises ValueError if the columns are malformed."""
    return _rows(
        Topic,
        columns,
        card=_pairs,
        translations=lambda rows: tuple(
            (language, TopicTranslation(**{**values, "card": _pairs(values["card"])}))
            for language, values in rows
        ),
    )


def facts_state(facts: Iterable[Fact]) -> dict[str, list[Any]]:
    """Facts as plain JSON values, a column per field, as `topics_state` stores topics."""
    return _columns(Fact, facts, translations=_translations_state)


def facts_from_state(columns: dict[str, list[Any]]) -> list[Fact]:
    """The facts `facts_state` described; raises ValueError if the columns are malformed."""
    # One copy of each topic id, section and keyword, as `shared` gives facts read from YAML,
    # looked up at C speed: a call per fact is felt in a warm start of 100,000 facts.
    copies: dict[str | None, str | None] = {}
    shared_columns = {
        name: list(map(copies.setdefault, columns[name], columns[name])) for name in _SHARED
    }
    return _rows(Fact, {**columns, **shared_columns}, translations=_fact_translations)


_SHARED = ("topic_id", "section", "keywords")
"""The fields of a fact many facts hold the same text in: their topic, their section, and
keywords, which a knowledge's facts share ("price", "license"; 64 texts in 100,000 facts)."""


def _fact_translations(rows: list[list[Any]]) -> tuple[tuple[str, FactTranslation], ...]:
    """A fact's translations as JSON gave them back; most facts have none, returned at once."""
    if not rows:
        return ()
    return tuple(
        (language, FactTranslation(**{**values, "also": tuple(values["also"])}))
        for language, values in rows
    )


_Item = TypeVar("_Item", Topic, Fact)


def shared(text: str | None) -> str | None:
    """One copy of a text many facts hold, such as their topic's id, their section or a
    keyword: a copy per fact costs some 6 MB each at 100,000 facts."""
    return None if text is None else sys.intern(text)


def shared_texts(texts: Iterable[str]) -> tuple[str, ...]:
    """Texts as `shared` gives each, such as a fact's keywords."""
    return tuple(map(sys.intern, texts))


def _pairs(rows: Iterable[Iterable[str]]) -> tuple[tuple[str, str], ...]:
    """A card's rows as JSON gave them back, pairs again."""
    return tuple((key, value) for key, value in rows)


def _translations_state(
    translations: tuple[tuple[str, TopicTranslation | FactTranslation], ...],
) -> list[list[Any]]:
    """Translations as plain JSON values: language and fields, a pair per language."""
    return [[language, dataclasses.asdict(text)] for language, text in translations]


def _columns(
    kind: type[_Item], items: Iterable[_Item], **convert: Callable[[Any], Any]
) -> dict[str, list[Any]]:
    """One list per field, in field order, the fields in `convert` converted to JSON values
    and those of texts made one list of all their texts with each item's count beside it."""
    items = list(items)
    columns: dict[str, list[Any]] = {}
    for spec in dataclasses.fields(kind):
        column = list(map(operator.attrgetter(spec.name), items))
        if spec.name in convert:
            columns[spec.name] = list(map(convert[spec.name], column))
        elif spec.type == _TEXTS:
            columns[spec.name] = list(itertools.chain.from_iterable(column))
            columns[spec.name + _COUNTS] = list(map(len, column))
        else:
            columns[spec.name] = column
    return columns


def _rows(
    kind: type[_Item], columns: dict[str, list[Any]], **convert: Callable[[Any], Any]
) -> list[_Item]:
    """The items `_columns` described: fields of texts are grouped again, others `convert`ed.

    Each field is filled in for every item at once, through its slot, rather than by the
    frozen dataclass's `__init__`, which sets each field with a call of its own: a third of
    the time a warm start at 100,000 facts took to make them again. Every field is given, so
    each item is whole, as `__init__` would make it (which checks nothing more).
    """
    fields = dataclasses.fields(kind)
    counted = {f.name: f.name + _COUNTS if f.type == _TEXTS else f.name for f in fields}
    lengths = {len(columns[name]) for name in counted.values()}
    if len(lengths) > 1:
        raise ValueError(f"{kind.__name__} columns differ in length")
    items = list(map(object.__new__, itertools.repeat(kind, *lengths)))
    for spec in fields:
        column: Iterable[Any] = columns[spec.name]
        if spec.name in convert:
            column = map(convert[spec.name], column)
        elif spec.type == _TEXTS:
            column = _grouped(columns[spec.name], columns[counted[spec.name]])
        collections.deque(map(getattr(kind, spec.name).__set__, items, column), maxlen=0)
    return items


_TEXTS = "tuple[str, ...]"
"""The type of a field of texts (a fact's `also`), stored as one list of every item's texts:
a cache packs and loads one long list of texts at C speed, and a list per item at JSON's."""
_COUNTS = "_counts"
"""Names the column of a field of texts that holds how many texts each item has."""


def _grouped(texts: list[str], counts: list[int]) -> Iterator[tuple[str, ...]]:
    """Each item's texts again, from all of them and how many each has; raises ValueError if
    the counts do not add up."""
    if sum(counts) != len(texts):
        raise ValueError("texts and their counts disagree")
    flowing = iter(texts)
    return map(tuple, map(itertools.islice, itertools.repeat(flowing), counts))
