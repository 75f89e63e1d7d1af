"""Reading facts for the index in chunks, here or on other workers: the same index either way."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

import pytest

from bot.engine import indexing
from bot.engine.cards import with_card_facts
from bot.engine.index import KnowledgeIndex
from bot.engine.packed import FactReadings
from bot.knowledge import load_knowledge
from tests.engine.test_index import state_of


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 7 facts, handed to an executor from the first fact: chunk edges then fall
    inside runs of facts and between them."""
    monkeypatch.setattr(indexing, "CHUNK_FACTS", 7)
    monkeypatch.setattr(indexing, "PARALLEL_FACTS", 1)


class CountingExecutor(Executor):
    """Runs work on threads, noting how much was waiting at most."""

    def __init__(self) -> None:
        self._threads = ThreadPoolExecutor(2)
        self.outstanding: list[Future[Any]] = []
        self.most_waiting = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.outstanding = [f for f in self.outstanding if not f.done()]
        future = self._threads.submit(fn, *args, **kwargs)
        self.outstanding.append(future)
        self.most_waiting = max(self.most_waiting, len(self.outstanding))
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._threads.shutdown(wait=wait, cancel_futures=cancel_futures)


def test_facts_read_elsewhere_make_the_index_read_here(small_chunks: None) -> None:
    knowledge = with_card_facts(load_knowledge())
    executor = CountingExecutor()
    try:
        spread = KnowledgeIndex(knowledge, readings=FactReadings.empty(), executor=executor)
    finally:
        executor.shutdown()
    here = KnowledgeIndex(knowledge, readings=FactReadings.empty())
    assert state_of(spread) == state_of(here)
    assert 0 < executor.most_waiting <= indexing.CHUNKS_AHEAD + 1, "a few chunks ahead, no more"
    spread_readings, here_readings = spread.take_readings(), here.take_readings()
    assert spread_readings is not None and here_readings is not None
    assert spread_readings.keys == here_readings.keys, "every fact keyed where it was read"


def test_chunks_that_straddle_kept_runs_give_the_index_of_a_fresh_build(
    small_chunks: None,
) -> None:
    knowledge = with_card_facts(load_knowledge())
    gathered = KnowledgeIndex(knowledge, readings=FactReadings.empty()).take_readings()
    assert gathered is not None
    facts = list(knowledge.facts.values())
    edited = {
        fact.id: dataclasses.replace(fact, answer=f"{fact.answer} Edited.")
        for fact in facts[3:20] + facts[40:43]
    }
    changed = dataclasses.replace(knowledge, facts={**knowledge.facts, **edited})
    kept = FactReadings.load(gathered.readings("serial").export(), changed.topics)
    with ThreadPoolExecutor(2) as executor:
        reused = KnowledgeIndex(changed, readings=kept, executor=executor)
    assert state_of(reused) == state_of(KnowledgeIndex(changed))


def test_few_facts_are_read_here_even_with_an_executor() -> None:
    executor = CountingExecutor()
    try:
        KnowledgeIndex(with_card_facts(load_knowledge()), executor=executor)
    finally:
        executor.shutdown()
    assert executor.most_waiting == 0, "starting processes would cost more than reading"


def test_facts_read_ahead_while_cards_are_made_give_the_same_index(small_chunks: None) -> None:
    knowledge = load_knowledge()
    executor = CountingExecutor()
    try:
        ahead = KnowledgeIndex.read_ahead(knowledge, None, executor)
        assert ahead is not None and ahead.facts == list(knowledge.facts.values())
        assert executor.most_waiting > 0, "given to the workers before the build starts"
        carded = with_card_facts(knowledge)
        spread = KnowledgeIndex(carded, executor=executor, ahead=ahead)
    finally:
        executor.shutdown()
    assert state_of(spread) == state_of(KnowledgeIndex(carded))


def test_nothing_is_read_ahead_without_workers_or_when_readings_are_kept(
    small_chunks: None,
) -> None:
    knowledge = load_knowledge()
    kept = KnowledgeIndex(knowledge, readings=FactReadings.empty()).take_readings()
    assert kept is not None
    with ThreadPoolExecutor(1) as executor:
        assert KnowledgeIndex.read_ahead(knowledge, None, None) is None
        assert KnowledgeIndex.read_ahead(knowledge, kept.readings("s"), executor) is None
        assert KnowledgeIndex.read_ahead(knowledge, FactReadings.empty(), executor) is not None
