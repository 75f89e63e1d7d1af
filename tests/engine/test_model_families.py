"""The matcher on families of similar model names, as a catalogue of many models has them."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from bot.engine import AnswerKind, Matcher
from bot.engine.text import spelled_terms
from bot.knowledge import Fact, KnowledgeBase, Source, Topic

SOURCE = Source("catalogue", "Model Catalogue", "Catalogue Press", date(2026, 3, 1))
MODELS = {
    "orion-7": ("Orion-7", ("Orion 7",)),
    "orion-8": ("Orion-8", ("Orion 8", "Orion")),
    "orion-8-pro": ("Orion-8 Pro", ("Orion 8 Pro",)),
    "vega-3-5": ("Vega 3.5", ("Vega3.5",)),
    "vega-4": ("Vega 4", ("Vega4", "Vega")),
    "vega-4-nano": ("Vega 4 Nano", ("Vega4 Nano",)),
    "lyra-2": ("Lyra-2", ("Lyra 2", "Lyra")),
}
ATTRIBUTES = {
    "context": ("How long a context does {} handle?", "128K tokens.", "{} context window"),
    "price": ("What does {} cost per million output tokens?", "USD 2.", "{} output price"),
    "release": ("When was {} released?", "In March 2026.", "{} release date"),
    "training": ("How much did training {} cost?", "USD 6 million.", "{} training cost"),
    "licence": ("What licence is {} released under?", "Apache 2.0.", "{} license"),
    "output": ("How many tokens can {} write at most?", "32K tokens.", "{} max output tokens"),
}
LACKING = {("lyra-2", "training"), ("vega-3-5", "licence")}
"""Attributes some models have no fact for, while their neighbours do."""
QUESTION_WORDS = (
    "context window cost price per million output tokens release date training licence max "
    "handle released write most long much contxt trainng tokns banana weather"
).split()


def _knowledge() -> KnowledgeBase:
    topics = [
        Topic(topic_id, name, f"{name} is a model.", SOURCE.id, aliases)
        for topic_id, (name, aliases) in MODELS.items()
    ]
    facts = [
        Fact(
            f"{topic_id}-{slug}",
            question.format(name),
            answer,
            SOURCE.id,
            topic_id,
            (also.format(aliases[0]),),
        )
        for topic_id, (name, aliases) in MODELS.items()
        for slug, (question, answer, also) in ATTRIBUTES.items()
        if (topic_id, slug) not in LACKING
    ]
    return KnowledgeBase.of([SOURCE], topics, facts)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(_knowledge())


@pytest.mark.parametrize("size", [1, 2, 3])
def test_search_for_a_fact_elsewhere_agrees_with_scoring_every_fact(
    matcher: Matcher, size: int
) -> None:
    """At every level a fact's share of the question can take, for every few words asked."""
    models = sorted(MODELS)
    for turn, words in enumerate(itertools.combinations(QUESTION_WORDS, size)):
        units = [u for u in matcher.reader.units(spelled_terms(" ".join(words))) if not u.entity]
        excluded = set(matcher.index.facts_by_entity[models[turn % len(models)]].positions)
        shares = sorted(
            {
                round(share, 6)
                for position, (share, _) in matcher.retriever.accumulate(units).items()
                if position not in excluded
            }
        )
        levels = [0.0, *shares]
        bars = [(low + high) / 2 for low, high in itertools.pairwise([*levels, levels[-1] + 1])]
        for bar in bars:
            expected = any(share >= bar for share in shares)
            assert matcher.retriever.held_elsewhere(units, bar, excluded) == expected, (words, bar)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("orion-7 context window", "orion-7-context"),
        ("Orion 8 Pro output price", "orion-8-pro-price"),
        ("when was vega released", "vega-4-release"),
        ("vega 3.5 training cost?", "vega-3-5-training"),
    ],
)
def test_sibling_models_are_kept_apart(matcher: Matcher, question: str, expected: str) -> None:
    answer = matcher.ask(question)
    assert answer.fact is not None and answer.fact.id == expected


@pytest.mark.parametrize(
    "question",
    ["how much did training lyra 2 cost", "vega 3.5 licence", "lyra-2 training cost?"],
)
def test_an_attribute_only_siblings_have_gets_no_answer(matcher: Matcher, question: str) -> None:
    assert matcher.ask(question).kind is AnswerKind.NONE


@pytest.mark.parametrize(
    "question",
    [
        "orion 99 context window",
        "Orion-12 output price?",
        "vega v9 release date",
        "orion-8 nano context window",
        "when was Orion 7 Nano released",
    ],
)
def test_a_model_name_that_goes_on_into_an_unknown_model_gets_no_answer(
    matcher: Matcher, question: str
) -> None:
    answer = matcher.ask(question)
    assert answer.kind is AnswerKind.NONE
    assert answer.suggestions


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("orion 8 context window", "orion-8-context"),
        ("orion max output tokens", "orion-8-output"),
        ("orion 32k output tokens", "orion-8-output"),
        ("vega4 nano release date", "vega-4-nano-release"),
    ],
)
def test_words_of_the_named_model_itself_still_answer(
    matcher: Matcher, question: str, expected: str
) -> None:
    answer = matcher.ask(question)
    assert answer.fact is not None and answer.fact.id == expected
