"""The index's readings of facts: dates and reasons in answers, and topic names in phrasings."""

from __future__ import annotations

import dataclasses
import re
from array import array
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.engine import Matcher
from bot.engine.cards import with_card_facts
from bot.engine.index import KnowledgeIndex, fact_key, reading_key
from bot.engine.indexing import FactReader
from bot.engine.kinds import _gives_date
from bot.engine.packed import FactReadings
from bot.engine.text import content_terms
from bot.knowledge import load_knowledge
from bot.knowledge.model import Fact, FactTranslation, KnowledgeBase, Source, Topic
from tests.engine.digest import DIGEST

PLAIN_DATE = re.compile(
    r"\b(1[89]|20)\d\d\b|\b(january|february|march|april|may|june|july|august|september|"
    r"october|november|december)\b|\d{4}-\d\d-\d\d|\d+\s*年|\d+\s*月",
    re.IGNORECASE,
)
"""The plain statement of what counts as a date; `_gives_date` is a faster reading of it."""

PIECES = st.sampled_from(
    [
        *("2026", "1899", "2100", "1999", "20", "may", "March", "dec", "june", "-", "07"),
        *("5年", "3 月", " ", "x", "_", ".", "s", "1", "年", "é"),
    ]
)


@given(st.lists(PIECES, max_size=8).map("".join))
def test_dates_are_found_exactly_where_the_plain_pattern_finds_them(text: str) -> None:
    assert _gives_date(text.lower()) == bool(PLAIN_DATE.search(text))


def test_longest_topic_name_wins_and_the_rest_stays_in_order() -> None:
    index = KnowledgeIndex(load_knowledge())
    longest = index.split_entities(content_terms("is DeepSeek V4 Pro good at coding"))
    assert longest == (("good", "cod"), {"deepseek"})
    shorter = index.split_entities(content_terms("deepseek v4 price vs kimi"))
    assert shorter == (("pric", "vs"), {"deepseek", "kimi"})
    assert index.split_entities(content_terms("deep learning")) == (("deep", "learn"), set())


def state_of(index: KnowledgeIndex) -> dict:
    """An index's exported state with its arrays as lists, to compare two builds."""
    return {
        name: list(value) if isinstance(value, array) else value
        for name, value in index.export_state().items()
    }


def counting_reads(monkeypatch) -> list[str]:
    """The ids of the facts the index reads from their texts, from now on."""
    read: list[str] = []
    original = FactReader.read

    def counted(self: FactReader, fact: Fact, keywords: object) -> object:
        read.append(fact.id)
        return original(self, fact, keywords)

    monkeypatch.setattr(FactReader, "read", counted)
    return read


def test_a_build_from_readings_is_the_build_from_texts_and_reads_only_changed_facts(
    monkeypatch,
) -> None:
    knowledge = with_card_facts(load_knowledge())
    cold = KnowledgeIndex(knowledge)
    gathering = KnowledgeIndex(knowledge, readings=FactReadings.empty())
    assert state_of(gathering) == state_of(cold)
    gathered = gathering.take_readings()
    assert gathered is not None and gathering.take_readings() is None
    assert cold.take_readings() is None
    readings = gathered.readings("serial")
    fact = next(iter(knowledge.facts.values()))
    edited = dataclasses.replace(fact, answer=f"{fact.answer} In 2027 too.", keywords=("kettle",))
    knowledge = dataclasses.replace(knowledge, facts={**knowledge.facts, fact.id: edited})
    read = counting_reads(monkeypatch)
    kept = FactReadings.load(readings.export(), knowledge.topics)
    reused = KnowledgeIndex(knowledge, readings=kept)
    assert read == [fact.id]
    assert state_of(reused) == state_of(KnowledgeIndex(knowledge))


@pytest.mark.parametrize(
    "edit",
    [
        lambda kb: {"glossary": {**kb.glossary, "kettle": ("teapot",)}},
        lambda kb: {
            "topics": {
                **kb.topics,
                "kimi": dataclasses.replace(kb.topics["kimi"], aliases=("moonshot kettle",)),
            }
        },
    ],
    ids=["glossary", "alias"],
)
def test_readings_are_kept_under_every_topic_name_and_the_glossary(edit) -> None:
    """What reads every fact differently must key readings differently; facts' own texts are
    keyed fact by fact instead."""
    knowledge = load_knowledge()
    fact = next(iter(knowledge.facts.values()))
    facts = {**knowledge.facts, fact.id: dataclasses.replace(fact, answer="Edited.")}
    assert reading_key(dataclasses.replace(knowledge, facts=facts)) == reading_key(knowledge)
    assert reading_key(dataclasses.replace(knowledge, **edit(knowledge))) != reading_key(knowledge)


def test_a_translated_question_finds_its_fact_and_a_new_one_is_read_again() -> None:
    source = DIGEST
    zh = FactTranslation("每周一出版。", "这份周刊什么时候出？")
    weekly = Fact("weekly", "How often?", "Every Monday.", "digest", translations=(("zh", zh),))
    other = Fact("price", "How much is it?", "USD 5 an issue.", "digest")
    matcher = Matcher(KnowledgeBase.of([source], [], [weekly, other]))
    assert matcher.ask("这份周刊什么时候出").candidates[0].fact is weekly
    retranslated = dataclasses.replace(
        weekly, translations=(("zh", dataclasses.replace(zh, question="周刊多久一期？")),)
    )
    assert fact_key(retranslated) != fact_key(weekly), "a translation edit reads the fact again"


@pytest.mark.parametrize("translated", [False, True])
def test_a_text_holding_the_key_separator_keeps_fact_keys_apart(translated: bool) -> None:
    """Joined texts alone would read one keyword holding the separator as two keywords."""
    translations = (("zh", FactTranslation("五美元。")),) if translated else ()
    fact = Fact(
        "price", "How much?", "USD 5.", "digest", keywords=("a", "b"), translations=translations
    )
    joined = dataclasses.replace(fact, keywords=("a\x00b",))
    moved = dataclasses.replace(fact, also=("a",), keywords=("b",))
    assert len({fact_key(fact), fact_key(joined), fact_key(moved)}) == 3


def test_the_share_of_phrasings_naming_a_topic_survives_a_cache() -> None:
    source = Source("atlas", "World Atlas", "Atlas Press", date(2026, 1, 2))
    orion = Topic("orion", "Orion", "A model.", "atlas", ("Orion",))
    facts = [
        Fact("context", "How long is Orion's context?", "Two million.", "atlas", "orion"),
        Fact("licence", "What licence is it under?", "MIT.", "atlas", "orion", ("orion licence?",)),
        Fact("share", "What share goes to inference?", "70%.", "atlas"),
    ]
    named = KnowledgeIndex(KnowledgeBase.of([source], [orion], facts))
    assert named.share_asked_by_name == pytest.approx(2 / 4)
    cached = KnowledgeIndex(named.knowledge, state=named.export_state())
    assert cached.share_asked_by_name == named.share_asked_by_name
    unnamed = KnowledgeIndex(KnowledgeBase.of([source], [], facts[2:]))
    assert unnamed.share_asked_by_name == 0.0
