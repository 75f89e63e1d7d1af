"""The bundled knowledge: valid, complete enough to trust, and every phrasing finds its own fact."""

from __future__ import annotations

import re

import pytest

from bot.engine import AnswerKind, Matcher
from bot.engine.text import is_cjk, words
from bot.knowledge import load_knowledge

MIN_CHINESE_PHRASINGS = 2
"""Much of the article's audience asks in Chinese: every fact takes at least two such phrasings."""

KNOWLEDGE = load_knowledge()
MATCHER = Matcher(KNOWLEDGE)
PHRASINGS = [
    pytest.param(fact.id, phrasing, id=f"{fact.id}:{n}")
    for fact in KNOWLEDGE.facts.values()
    for n, phrasing in enumerate(fact.phrasings_in_every_language)
]
MODELS = ["qwen", "glm", "kimi", "minimax", "deepseek"]


@pytest.mark.parametrize(("fact_id", "phrasing"), PHRASINGS)
def test_every_phrasing_answers_its_own_fact(fact_id: str, phrasing: str) -> None:
    answer = MATCHER.ask(phrasing)
    assert answer.kind is AnswerKind.FACT, (phrasing, answer.suggestions, answer.candidates[:3])
    assert answer.fact.id == fact_id


def test_every_fact_has_at_least_three_chat_phrasings() -> None:
    assert all(len(fact.also) >= 3 for fact in KNOWLEDGE.facts.values())


def test_every_fact_and_topic_can_be_asked_for_in_chinese() -> None:
    chinese = [
        sum(any(is_cjk(word) for word in words(text)) for text in fact.phrasings)
        for fact in KNOWLEDGE.facts.values()
    ]
    assert min(chinese) >= MIN_CHINESE_PHRASINGS
    assert all(
        any(is_cjk(word) for name in topic.names for word in words(name))
        for topic in KNOWLEDGE.topics.values()
    )


def test_topics_cover_every_model_and_the_themes() -> None:
    assert {*MODELS, "compute", "trends", "article"} <= set(KNOWLEDGE.topics)
    for model in MODELS:
        topic = KNOWLEDGE.topics[model]
        assert topic.card, model
        assert any(not alias.isascii() for alias in topic.aliases), f"{model}: no Chinese name"
        assert len(KNOWLEDGE.facts_about(model)) >= 4, model


@pytest.mark.parametrize(
    "figure",
    ["69.7", "58.4", "35", "8", "2M", "39", "229B", "5%", "5.57", "70%", "10,000", "32B", "44B"],
)
def test_every_headline_figure_is_in_some_answer(figure: str) -> None:
    assert any(figure in fact.answer for fact in KNOWLEDGE.facts.values()), figure


def test_source_is_cited_without_an_invented_url() -> None:
    (source,) = KNOWLEDGE.sources.values()
    assert source.url is None
    assert source.published.isoformat() == "2026-06-01"
    assert "Xing Zhiheng" in (source.note or "")


FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
"""A figure as written: 69.7, 10,000, 2026; a translation must keep every one exactly."""


def _figures(text: str) -> set[str]:
    return set(FIGURE.findall(text))


def test_every_fact_and_topic_is_in_chinese_with_its_figures_exact() -> None:
    facts = {fact.id: fact.translation("zh") for fact in KNOWLEDGE.facts.values()}
    topics = {topic.id: topic.translation("zh") for topic in KNOWLEDGE.topics.values()}
    assert [key for key, text in {**facts, **topics}.items() if text is None] == []
    for fact in KNOWLEDGE.facts.values():
        translated = facts[fact.id]
        assert translated is not None and translated.question is not None
        assert any(is_cjk(word) for word in words(translated.answer)), fact.id
        assert _figures(fact.answer) <= _figures(translated.answer), fact.id
    for topic in KNOWLEDGE.topics.values():
        own = topics[topic.id]
        assert own is not None
        assert _figures(topic.summary) <= _figures(own.summary), topic.id
        assert [name for name, _ in own.card] == [name for name, _ in topic.card], topic.id
        for (_, value), (_, translated_value) in zip(topic.card, own.card, strict=True):
            assert _figures(value) <= _figures(translated_value), (topic.id, value)
