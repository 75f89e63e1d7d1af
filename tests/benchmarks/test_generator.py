"""The benchmark's data: deterministic for a seed, valid knowledge, and questions that check out."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from benchmarks.attributes import UNCURATED
from benchmarks.datasets import ensure_dataset
from benchmarks.generate import generate, write_knowledge
from benchmarks.queries import MIX, build_queries
from benchmarks.vocabulary import english_words
from bot.engine.text import STOPWORDS
from bot.knowledge import load_knowledge

SIZE = 60


def digests(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.glob("*.yaml"))
    }


@pytest.fixture(scope="module")
def catalogue():
    return generate(3, SIZE)


@pytest.fixture(scope="module")
def knowledge(catalogue, tmp_path_factory):
    folder = tmp_path_factory.mktemp("knowledge")
    write_knowledge(catalogue, folder)
    return load_knowledge([folder])


def test_a_seed_always_gives_the_same_files(tmp_path):
    write_knowledge(generate(3, SIZE), tmp_path / "first")
    write_knowledge(generate(3, SIZE), tmp_path / "second")
    write_knowledge(generate(4, SIZE), tmp_path / "other")
    assert digests(tmp_path / "first") == digests(tmp_path / "second")
    assert digests(tmp_path / "first") != digests(tmp_path / "other")


def test_generated_knowledge_loads_with_every_fact_and_topic(knowledge):
    assert len(knowledge.facts) == SIZE
    assert len(knowledge.topics) == SIZE // 10
    assert all(len(fact.also) >= 3 for fact in knowledge.facts.values())
    assert all(fact.topic_id in knowledge.topics for fact in knowledge.facts.values())


def test_sizes_must_be_multiples_of_ten():
    with pytest.raises(ValueError, match="multiple of 10"):
        generate(3, 55)


def test_queries_are_deterministic_and_expect_facts_that_exist(catalogue, knowledge):
    queries = build_queries(catalogue, 200, "test")
    assert queries == build_queries(catalogue, 200, "test")
    assert queries != build_queries(catalogue, 200, "tuning")
    assert {query.kind for query in queries} == set(MIX)
    for query in queries:
        assert query.expected is None or query.expected in knowledge.facts


def test_off_topic_questions_avoid_the_curated_words(catalogue, knowledge):
    curated = (
        english_words(
            text
            for fact in knowledge.facts.values()
            for text in (*fact.phrasings, *fact.keywords, fact.answer)
        )
        - STOPWORDS
    )
    unrelated = [q for q in build_queries(catalogue, 300, "test") if q.kind == "unrelated"]
    assert unrelated
    for query in unrelated:
        assert not english_words([query.question]) & curated, query.question
    for wordings in UNCURATED:
        for wording in wordings:
            assert english_words([wording.format(e="")]) - curated - STOPWORDS, wording


def test_data_is_reused_until_a_file_changes(tmp_path):
    dataset, generated = ensure_dataset(3, SIZE, 10, 10, root=tmp_path)
    assert generated
    assert not ensure_dataset(3, SIZE, 10, 10, root=tmp_path)[1]
    next(dataset.knowledge.glob("*.yaml")).write_text("tampered", encoding="utf-8")
    assert ensure_dataset(3, SIZE, 10, 10, root=tmp_path)[1]
    assert len(dataset.test_queries(10)) == 10


def test_the_facts_can_be_split_into_more_or_fewer_files(tmp_path):
    catalogue = generate(3, SIZE)
    usual = write_knowledge(catalogue, tmp_path / "usual")
    smaller = write_knowledge(catalogue, tmp_path / "smaller", facts_per_file=SIZE // 3)
    assert len(usual) == 1 and len(smaller) == 3
    facts = {path: load_knowledge([tmp_path / path]).facts.keys() for path in ("usual", "smaller")}
    assert facts["smaller"] == facts["usual"]
    split, _ = ensure_dataset(3, SIZE, 10, 10, root=tmp_path / "data", facts_per_file=SIZE // 3)
    default, _ = ensure_dataset(3, SIZE, 10, 10, root=tmp_path / "data")
    assert split.root != default.root, "each split keeps its own folder"
    assert len(list(split.knowledge.glob("*.yaml"))) == 3
