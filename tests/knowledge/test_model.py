"""The knowledge model: grouping by topic and the cache's column round trip."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from bot.knowledge.model import Fact, KnowledgeBase, Source, Topic
from tests.knowledge.test_loader import TRANSLATED

SOURCE = Source("src", "Title", "Publisher", date(2026, 7, 1))


def fact(fact_id: str, topic_id: str | None) -> Fact:
    return Fact(fact_id, f"What about {fact_id}?", "An answer.", "src", topic_id)


def test_facts_about_a_topic_keep_curated_order_and_are_a_fresh_list() -> None:
    topics = [Topic("a", "A", "About A.", "src"), Topic("b", "B", "About B.", "src")]
    facts = [fact("one", "a"), fact("two", "b"), fact("three", "a"), fact("loose", None)]
    knowledge = KnowledgeBase.of([SOURCE], topics, facts)
    about_a = knowledge.facts_about("a")
    assert [f.id for f in about_a] == ["one", "three"]
    about_a.clear()
    assert [f.id for f in knowledge.facts_about("a")] == ["one", "three"]
    assert knowledge.facts_about("missing") == []


def test_state_round_trip_gives_equal_knowledge(tmp_path: Path) -> None:
    knowledge = load_knowledge()
    assert KnowledgeBase.from_state(knowledge.to_state()) == knowledge
    (tmp_path / "k.yaml").write_text(TRANSLATED, encoding="utf-8")
    translated = load_knowledge([tmp_path])
    state = json.loads(json.dumps(translated.to_state()))
    assert KnowledgeBase.from_state(state) == translated
    assert KnowledgeBase.from_state(state).facts["kimi-price"].translation("zh") is not None


def test_records_read_back_from_state_are_whole_frozen_and_hash_as_made() -> None:
    knowledge = load_knowledge()
    read_back = KnowledgeBase.from_state(knowledge.to_state())
    for made, read in zip(
        [*knowledge.facts.values(), *knowledge.topics.values()],
        [*read_back.facts.values(), *read_back.topics.values()],
        strict=True,
    ):
        assert repr(read) == repr(made) and hash(read) == hash(made)
        with pytest.raises(dataclasses.FrozenInstanceError):
            read.id = "other"  # type: ignore[misc]


def test_state_with_columns_of_different_lengths_is_refused() -> None:
    state = load_knowledge().to_state()
    state["facts"]["answer"].pop()
    with pytest.raises(ValueError, match="columns differ"):
        KnowledgeBase.from_state(state)


def test_texts_many_facts_hold_are_one_copy_whether_loaded_or_read_back() -> None:
    knowledge = load_knowledge()
    read_back = KnowledgeBase.from_state(json.loads(json.dumps(knowledge.to_state())))
    for facts in (knowledge.facts.values(), read_back.facts.values()):
        copies: dict[str, set[int]] = {}
        for item in facts:
            for text in (*item.keywords, item.section or "", item.topic_id or ""):
                copies.setdefault(text, set()).add(id(text))
        assert all(len(ids) == 1 for ids in copies.values())
