"""A topic's card rows as facts ("Developer: Moonshot AI" answers "who makes kimi?"), so no
curator has to restate a card row as a fact; where a fact already says the same, it wins."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
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


class CardChecks:
    """Which rows of each card a fact already says, by a digest of the card and its topic's
    facts: checking reads those facts' words, a second at 100,000 facts, while a reload mostly
    finds the same cards and facts. Holds the checks kept from before and those made now."""

    def __init__(self, topics: Sequence[str] = (), said: Sequence[Sequence[int]] = ()) -> None:
        if len(topics) != len(said):
            raise ValueError("card checks do not match their topics")
        self._kept = dict(zip(topics, said, strict=True))
        self.found: dict[str, Sequence[int]] = {}
        """Each card's digest with the rows said, for the cards of the knowledge checked."""

    @classmethod
    def load(cls, state: dict[str, Any]) -> CardChecks:
        """The checks `export` wrote; raises ValueError unless they are digests and numbers."""
        topics, said = state["card_topics"], state["card_said"]
        if not all(isinstance(key, str) for key in topics) or not all(
            isinstance(number, int) for rows in said for number in rows
        ):
            raise ValueError("card checks of the wrong type")
        return cls(topics, said)

    def export(self) -> dict[str, Any]:
        """The checks of the cards checked, as lists, for a cache to keep."""
        return {"card_topics": list(self.found), "card_said": list(self.found.values())}

    def said(self, topic: Topic, facts: list[Fact]) -> Sequence[int]:
        """The numbers of a card's rows that the topic's facts say, checked only if new."""
        key = texts_key(
            [text for row in topic.card for text in row],
            *(group for f in facts for group in (f.phrasings, f.keywords, (f.answer,))),
        )
        said = self._kept.get(key)
        if said is None:
            said = _said_rows(topic, facts)
        self.found[key] = said
        return said


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
            *_card_facts(topic, knowledge.facts_about(topic.id), checks),
            _name_fact(topic),
        )
    ]
    if not added:
        return knowledge
    facts = {**knowledge.facts, **{fact.id: fact for fact in added}}
    return dataclasses.replace(knowledge, facts=facts)


def _card_facts(topic: Topic, facts: list[Fact], checks: CardChecks | None) -> list[Fact]:
    """A topic's card rows that none of its facts says, each as a fact."""
    said = checks.said(topic, facts) if checks is not None else _said_rows(topic, facts)
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


def _said_rows(topic: Topic, facts: list[Fact]) -> list[int]:
    """The numbers (from 1) of a card's rows that one of the topic's facts says."""
    asked = [(fact, " ".join((*fact.phrasings, *fact.keywords)).casefold()) for fact in facts]
    said = []
    for number, (name, value) in enumerate(topic.card, 1):
        named = set(content_terms(name))
        if named and any(
            all(term[:SEEN_PREFIX] in text for term in named)
            and named <= asked_terms(fact)
            and _holds(fact, value)
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
