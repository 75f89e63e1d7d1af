"""Topics' card rows answer questions by themselves, with the topic's source, and a fact that
says the same thing wins."""

from __future__ import annotations

import dataclasses

import pytest

from bot.engine import AnswerKind, Matcher, cards
from bot.engine.cards import CardChecks, curated, is_card_fact, with_card_facts
from bot.knowledge import Fact, KnowledgeBase, Topic
from bot.knowledge.model import TopicTranslation
from tests.engine.calibrated import SURE
from tests.engine.digest import DIGEST, lumen

LUMEN = lumen(
    card=(
        ("Developer", "Lantern Labs"),
        ("Context", "400,000 tokens"),
        ("Price", "USD 20 a month"),
        ("许可证", "MIT"),
    ),
)
PRICE = Fact(
    "lumen-price",
    "How much does Lumen-4 cost?",
    "Lumen-4 costs USD 20 a month, less than most.",
    "digest",
    "lumen",
    ("lumen price",),
)
KNOWLEDGE = KnowledgeBase.of([DIGEST], [LUMEN], [PRICE])


def test_rows_no_fact_says_become_facts_of_their_topic_with_its_source() -> None:
    knowledge = with_card_facts(KNOWLEDGE)
    made = {fact.id: fact for fact in knowledge.facts.values() if is_card_fact(fact)}
    assert sorted(made) == ["lumen--4", "lumen--context", "lumen--developer", "lumen--name"]
    developer = made["lumen--developer"]
    assert (developer.topic_id, developer.source_id) == ("lumen", "digest")
    assert developer.answer == "Lumen-4 — Developer: Lantern Labs"
    assert curated(knowledge) == [PRICE]


def test_a_carded_topic_s_names_answer_what_it_is_called() -> None:
    lyra = Topic(
        "lyra",
        "Lyra 3.1",
        "Lyra 3.1 is a model from Vega Labs.",
        "digest",
        ("Lyra", "Lyra-3.1", "Lyra3.1", "Vega", "Vega Labs", "织女"),
        card=(("Developer", "Vega Labs"),),
        translations=(("zh", TopicTranslation("织女实验室的模型。", name="织女 3.1")),),
    )
    knowledge = with_card_facts(KnowledgeBase.of([DIGEST], [lyra], []))
    named = knowledge.facts["lyra--name"]
    assert named.answer == "Lyra 3.1 — Name: Lyra 3.1, Vega Labs, 织女", "spellings left out"
    assert named.translation("zh").answer == "织女 3.1 — Name: Lyra 3.1, Vega Labs, 织女"
    answer = Matcher(knowledge, calibration=SURE).ask("what is lyra called?")
    assert answer.fact is named
    assert named.translation("zh").question == "织女 3.1叫什么名字？", "asked in Chinese too"
    asked = Matcher(knowledge, calibration=SURE).ask("织女这次的模型版本是多少")
    assert asked.fact is named


def test_card_facts_are_made_once() -> None:
    once = with_card_facts(KNOWLEDGE)
    assert with_card_facts(once) is once


def test_a_card_fact_can_never_take_a_curated_facts_id() -> None:
    slug_like = Fact("lumen-developer", "Who?", "Someone.", "digest", "lumen")
    knowledge = with_card_facts(KnowledgeBase.of([DIGEST], [LUMEN], [PRICE, slug_like]))
    assert knowledge.facts["lumen-developer"] is slug_like
    assert is_card_fact(knowledge.facts["lumen--developer"])


def test_kept_card_checks_are_used_until_the_card_or_its_facts_change(monkeypatch) -> None:
    gathered = CardChecks()
    made = with_card_facts(KNOWLEDGE, gathered)
    assert made == with_card_facts(KNOWLEDGE)
    checked: list[str] = []
    said_rows = cards._said_rows
    monkeypatch.setattr(
        cards,
        "_said_rows",
        lambda topic, facts: checked.append(topic.id) or said_rows(topic, facts),
    )
    kept = CardChecks.load(gathered.export())
    assert with_card_facts(KNOWLEDGE, kept) == made and checked == []
    assert kept.export() == gathered.export()
    cheaper = dataclasses.replace(PRICE, answer="Lumen-4 is free.")
    knowledge = KnowledgeBase.of([DIGEST], [LUMEN], [cheaper])
    assert with_card_facts(knowledge, kept) == with_card_facts(knowledge)
    assert checked == ["lumen", "lumen"]
    assert "lumen--price" in with_card_facts(knowledge, kept).facts


@pytest.mark.parametrize(
    "state",
    [
        {"card_topics": ["a"], "card_said": []},
        {"card_topics": [1], "card_said": [[1]]},
        {"card_topics": ["a"], "card_said": [["1"]]},
        {"card_topics": ["a"]},
    ],
)
def test_damaged_card_checks_are_refused(state: dict) -> None:
    with pytest.raises((ValueError, KeyError)):
        CardChecks.load(state)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("who is the developer of lumen", "lumen--developer"),
        ("lumen context?", "lumen--context"),
        ("lumen price", "lumen-price"),  # the fact says what the Price row says: it wins
    ],
)
def test_a_card_row_answers_what_no_fact_does(question: str, expected: str) -> None:
    answer = Matcher(KNOWLEDGE, calibration=SURE).ask(question)
    assert answer.kind is AnswerKind.FACT
    assert answer.fact is not None and answer.fact.id == expected
    assert answer.source == DIGEST


def test_a_fact_saying_about_the_same_as_a_row_ranks_first() -> None:
    context = Fact(
        "lumen-context",
        "What context does Lumen-4 have?",
        "Lumen-4 reads whole books at once.",
        "digest",
        "lumen",
    )
    matcher = Matcher(KnowledgeBase.of([DIGEST], [LUMEN], [PRICE, context]), calibration=SURE)
    ranked = [item.fact.id for item in matcher.ask("lumen context").candidates]
    assert ranked.index("lumen-context") < ranked.index("lumen--context")


def test_a_row_giving_the_topic_s_own_name_is_not_said_by_facts_that_only_name_it() -> None:
    """Every fact about MiniMax M2.7 names MiniMax; none says MiniMax makes it."""
    vela = dataclasses.replace(LUMEN, name="Vela 2", card=(("Developer", "Vela"),), aliases=())
    maker = Fact(
        "vela-makers",
        "Which developer ships the cheapest model?",
        "Vela 2 is the cheapest of the lot.",
        "digest",
        "lumen",
    )
    knowledge = with_card_facts(KnowledgeBase.of([DIGEST], [vela], [maker]))
    assert knowledge.facts["lumen--developer"].answer == "Vela 2 — Developer: Vela"
