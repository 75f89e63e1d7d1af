"""A topic's card rows as facts ("Developer: Moonshot AI" answers "who makes kimi?"), so no
curator has to restate a card row as a fact; where a fact already says the same, it wins."""

from __future__ import annotations

import dataclasses
import operator
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.engine.index import asked_terms, texts_key
from bot.engine.languages import name_in
from bot.engine.text import content_terms, squashed
from bot.knowledge.model import Fact, FactTranslation, KnowledgeBase, Topic

CARD_ID_MARK = "--"
"""Joins a topic's id and a row's in a card fact's id: curated ids are slugs, which never hold
two dashes in a row, so a card fact can never take a curated fact's id (or votes)."""
MAX_ID = 64
"""The longest id an answer key may carry."""
SAID_SHARE = 2 / 3
"""A fact says what a row says when its phrasings hold the row's name and its answer holds
this share of the row's words."""
SEEN_PREFIX = 4
"""A row's name terms are first looked for as text, by their first letters (a stem may end
otherwise than its word), so a topic's facts are read into terms only when they may hold it:
with a card on every topic, reading all of them was a fifth of indexing 100,000 facts."""
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def is_card_fact(fact: Fact) -> bool:
    """Whether a fact is a topic's card row rather than curated."""
    return CARD_ID_MARK in fact.id


def curated(knowledge: KnowledgeBase) -> list[Fact]:
    """The facts curators wrote, without the card rows made into facts: what counts show."""
    return [fact for fact in knowledge.facts.values() if not is_card_fact(fact)]


@dataclass(frozen=True, slots=True)
class CardFacts:
    """A topic's card rows made into facts, with the topic and curated facts they were made
    from and the rows those say (None when not known): a later build given the very same
    objects, all unchanged as they are immutable, takes the facts as they are."""

    topic: Topic
    facts: tuple[Fact, ...]
    made: tuple[Fact, ...]
    said: Sequence[int] | None = None

    def fits(self, topic: Topic, facts: Sequence[Fact]) -> bool:
        """Whether these are the very topic and facts the card facts were made from."""
        return (
            topic is self.topic
            and len(facts) == len(self.facts)
            and all(map(operator.is_, facts, self.facts))
        )


class CardChecks:
    """Which rows of each card a fact already says, by a digest of the card and its topic's
    facts: checking reads those facts' words, a second at 100,000 facts, while a reload mostly
    finds the same cards and facts. Holds the checks kept from before and those made now, and
    the card facts an earlier build made, taken again where a topic and its facts are the
    very same objects (keying every card by its texts took 0.2 s of a reload)."""

    def __init__(
        self,
        topics: Sequence[str] = (),
        said: Sequence[Sequence[int]] = (),
        before: Mapping[str, CardFacts] | None = None,
    ) -> None:
        if len(topics) != len(said):
            raise ValueError("card checks do not match their topics")
        self._kept = dict(zip(topics, said, strict=True))
        self._before = before or {}
        self.found: dict[str, Sequence[int]] = {}
        """Each card's digest with the rows said, for the cards of the knowledge checked."""
        self.made: dict[str, CardFacts] = {}
        """Each carded topic's card facts, by its id, for the next build to take again."""
        self._taken: list[CardFacts] = []
        """The card facts taken as an earlier build made them, their checks not yet keyed."""

    @classmethod
    def load(
        cls, state: dict[str, Any], before: Mapping[str, CardFacts] | None = None
    ) -> CardChecks:
        """The checks `export` wrote, with an earlier build's card facts; raises ValueError
        unless they are digests and numbers."""
        topics, said = state["card_topics"], state["card_said"]
        if not all(isinstance(key, str) for key in topics) or not all(
            isinstance(number, int) for rows in said for number in rows
        ):
            raise ValueError("card checks of the wrong type")
        return cls(topics, said, before)

    def export(self) -> dict[str, Any]:
        """The checks of every card of the knowledge, as lists, for a cache to keep: those of
        card facts taken as they were are keyed now, when the cache is written."""
        taken, self._taken = self._taken, []
        for carded in taken:
            self._said(carded.topic, carded.facts, carded.said)
        return {"card_topics": list(self.found), "card_said": list(self.found.values())}

    def card_facts(self, topic: Topic, facts: Sequence[Fact]) -> tuple[Fact, ...]:
        """A carded topic's card rows that none of its facts says, each as a fact, and its
        names' fact: as an earlier build made them for the same topic and facts, else made."""
        carded = self._before.get(topic.id)
        if carded is not None and carded.fits(topic, facts):
            self._taken.append(carded)
        else:
            said = self._said(topic, facts)
            carded = CardFacts(
                topic, tuple(facts), (*_card_facts(topic, said), _name_fact(topic)), said
            )
        self.made[topic.id] = carded
        return carded.made

    def _said(
        self, topic: Topic, facts: Sequence[Fact], known: Sequence[int] | None = None
    ) -> Sequence[int]:
        """The numbers of a card's rows that the topic's facts say, checked only if new."""
        key = texts_key(
            [text for row in topic.card for text in row],
            *(group for f in facts for group in (f.phrasings, f.keywords, (f.answer,))),
        )
        said = known if known is not None else self._kept.get(key)
        if said is None:
            said = _said_rows(topic, facts)
        self.found[key] = said
        return said


def card_facts_of(knowledge: KnowledgeBase) -> dict[str, CardFacts]:
    """Each carded topic's card facts as `with_card_facts` added them to this knowledge, for
    the next build to take again (the rows they say unknown); in one pass over the facts, as
    a reload after a warm start waits for it."""
    grouped: dict[str | None, tuple[list[Fact], list[Fact]]] = {
        topic.id: ([], []) for topic in knowledge.topics.values() if topic.card
    }
    for fact in knowledge.facts.values():
        if (lists := grouped.get(fact.topic_id)) is not None:
            lists[1 if is_card_fact(fact) else 0].append(fact)
    carded: dict[str, CardFacts] = {}
    for topic in knowledge.topics.values():
        if topic.card:
            curated, made = grouped[topic.id]
            carded[topic.id] = CardFacts(topic, tuple(curated), tuple(made))
    return carded


def with_card_facts(knowledge: KnowledgeBase, checks: CardChecks | None = None) -> KnowledgeBase:
    """The knowledge with every card row no fact already says as a fact of its topic, after
    the curated facts; given knowledge that has them already, the same knowledge. Given
    checks, cards checked before are not checked again."""
    if any(is_card_fact(fact) for fact in knowledge.facts.values()):
        return knowledge
    added = [
        fact
        for topic in knowledge.topics.values()
        if topic.card
        for fact in (
            checks.card_facts(topic, knowledge.facts_about(topic.id))
            if checks is not None
            else (
                *_card_facts(topic, _said_rows(topic, knowledge.facts_about(topic.id))),
                _name_fact(topic),
            )
        )
    ]
    if not added:
        return knowledge
    facts = {**knowledge.facts, **{fact.id: fact for fact in added}}
    return dataclasses.replace(knowledge, facts=facts)


def _card_facts(topic: Topic, said: Sequence[int]) -> list[Fact]:
    """A topic's card rows but those its facts say (their numbers), each as a fact."""
    made: list[Fact] = []
    taken: set[str] = set()
    for number, (name, value) in enumerate(topic.card, 1):
        if number in said:
            continue
        slug = _NOT_SLUG.sub("-", name.casefold()).strip("-") or str(number)
        row_id = f"{topic.id}{CARD_ID_MARK}{slug}"[:MAX_ID].rstrip("-")
        if row_id in taken:
            row_id = f"{row_id[: MAX_ID - len(str(number)) - 1]}-{number}"
        taken.add(row_id)
        made.append(
            Fact(
                id=row_id,
                question=f"{name} of {topic.name}?",
                answer=_row_answer(topic.name, name, value),
                source_id=topic.source_id,
                topic_id=topic.id,
                also=(f"{topic.name} {name}",),
                translations=_row_translations(topic, name),
            )
        )
    return made


def _said_rows(topic: Topic, facts: Sequence[Fact]) -> list[int]:
    """The numbers (from 1) of a card's rows that one of the topic's facts says. A row whose
    value is the topic's own name (MiniMax M2.7's "Developer: MiniMax") is said by no fact
    for naming the topic, as every one of its facts does."""
    asked = [(fact, " ".join((*fact.phrasings, *fact.keywords)).casefold()) for fact in facts]
    own_name = set(content_terms(topic.name))
    said = []
    for number, (name, value) in enumerate(topic.card, 1):
        if set(content_terms(value)) <= own_name:
            continue
        named = set(content_terms(name))
        seen = [term[:SEEN_PREFIX] for term in named]
        if named and any(
            all(map(text.__contains__, seen)) and named <= asked_terms(fact) and _holds(fact, value)
            for fact, text in asked
        ):
            said.append(number)
    return said


NAME_ROW = "Name"
"""The row every carded topic gets, from its names: "what is Moonshot's model called?",
"智谱这次的模型版本是多少" ask for what the topic is called, which no curator writes as a fact."""


NAME_QUESTIONS = {"zh": ("{name}叫什么名字？", ("{name}的模型名字和版本", "{name}的英文名"))}
"""How a translated Name row is asked, by language: in the reader's words, as the English row
is asked in English ("智谱这次的模型版本是多少" holds none of "name" or "version")."""


def _name_fact(topic: Topic) -> Fact:
    """A topic's names as a fact of its own, asked for by what it is called or its version."""
    names = _distinct_names(topic)
    value = ", ".join(names) if names else topic.name
    return Fact(
        id=f"{topic.id}{CARD_ID_MARK}{NAME_ROW.casefold()}"[:MAX_ID],
        question=f"What is {topic.name} called?",
        answer=_row_answer(topic.name, NAME_ROW, value),
        source_id=topic.source_id,
        topic_id=topic.id,
        also=(f"{topic.name} model name and version", f"name of {topic.name}"),
        translations=tuple(
            (language, _name_translation(topic, language, value))
            for language, _ in topic.translations
        ),
    )


def _name_translation(topic: Topic, language: str, value: str) -> FactTranslation:
    """The Name row in a topic's translation, asked in that language's words where known."""
    name = name_in(topic, language)
    answer = _row_answer(name, NAME_ROW, value)
    if language not in NAME_QUESTIONS:
        return FactTranslation(answer)
    question, also = NAME_QUESTIONS[language]
    return FactTranslation(
        answer, question.format(name=name), tuple(text.format(name=name) for text in also)
    )


def _distinct_names(topic: Topic) -> list[str]:
    """A topic's name and the aliases that are more than its spellings or parts of another
    name ("Kimi-K2.6" and "Kimi" are the name; "Moonshot" is part of "Moonshot AI")."""
    keys = [(name, squashed(name)) for name in topic.names]
    first = keys[0][1]
    return [topic.name] + [
        name
        for at, (name, key) in enumerate(keys[1:], 1)
        if key not in first
        and not any(
            (key in other and key != other) or (key == other and earlier < at)
            for earlier, (_, other) in enumerate(keys)
        )
    ]


def _row_answer(topic_name: str, row: str, value: str) -> str:
    """A card row as an answer: "Kimi K2.6 — Developer: Moonshot AI"."""
    return f"{topic_name} — {row}: {value}"


def _row_translations(topic: Topic, name: str) -> tuple[tuple[str, FactTranslation], ...]:
    """A card row's answer in each language its topic's card is translated into."""
    return tuple(
        (language, FactTranslation(_row_answer(name_in(topic, language), name, row)))
        for language, translated in topic.translations
        if (row := dict(translated.card).get(name)) is not None
    )


def _holds(fact: Fact, value: str) -> bool:
    """Whether a fact's answer holds most of a card row's words: with the row's name among
    the words it is asked by, it says what the row says."""
    wanted = set(content_terms(value))
    held = wanted & set(content_terms(fact.answer))
    return bool(wanted) and len(held) >= SAID_SHARE * len(wanted)
