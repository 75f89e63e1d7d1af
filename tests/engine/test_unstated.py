"""A question asking what a topic's source does not say, as its curator listed it, is told so.

On a small made-up catalogue whose curator listed what it lacks, and on the bundled article.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engine import AnswerKind, Matcher
from bot.engine.decision import LEFT_OUT, NOT_STATED
from bot.knowledge import Fact, KnowledgeBase, Topic
from tests.engine.calibrated import SURE
from tests.engine.decided import assert_decided
from tests.engine.digest import DIGEST, lumen

LUMEN = lumen(
    not_stated=(
        "valuation",
        "context window",
        "release date",
        "price",
        "估值",
        "AIME",
        "employees",
    ),
)
TESSA = Topic("tessa", "Tessa 2.5", "Tessa 2.5 is an agent model.", "digest", ("Tessa",))
FACTS = [
    Fact(
        "lumen-context",
        "How long a context does Lumen take?",
        "Lumen-4 reads 400k tokens of context at once.",
        "digest",
        "lumen",
        ("lumen context",),
    ),
    Fact(
        "lumen-price",
        "How much does Lumen cost?",
        "Lumen-4 costs USD 20 a month.",
        "digest",
        "lumen",
        ("lumen price",),
    ),
    Fact(
        "lumen-editing",
        "What content editing does Lumen do?",
        "Lumen-4 edits code and prose in place.",
        "digest",
        "lumen",
        ("lumen content editing",),
    ),
    Fact(
        "lumen-launch",
        "Where was Lumen launched?",
        "Lumen-4 launched at DevDay.",
        "digest",
        "lumen",
        ("lumen release date and venue",),  # asks the date, which the answer does not say
    ),
    Fact(
        "lumen-pricing",
        "What plans does Lumen sell?",
        "Lumen-4 sells a team plan.",
        "digest",
        "lumen",
        keywords=("price",),  # the curator says the fact is about its price
    ),
    Fact(
        "tessa-valuation",
        "What is Tessa's maker valued at?",
        "Its valuation is USD 2 billion.",
        "digest",
        "tessa",
    ),
    Fact(
        "tessa-window",
        "What context window has Tessa?",
        "Tessa 2.5 has a 1M-token context window.",
        "digest",
        "tessa",
        ("tessa context window",),
    ),
]
GLOSSARY = {"valuation": ("worth", "valued at")}


@pytest.fixture(scope="module")
def catalogue() -> Matcher:
    knowledge = KnowledgeBase.of([DIGEST], [LUMEN, TESSA], FACTS, GLOSSARY)
    return Matcher(knowledge, calibration=SURE)


@pytest.mark.parametrize(
    ("question", "listed"),
    [
        ("lumen valuation?", "valuation"),
        ("what is lumen's context window", "context window"),  # "context" alone is held
        ("what is lumen worth", "valuation"),  # through the glossary
        ("lumen 估值多少", "估值"),
        ("lumen release date and venue?", "release date"),  # a phrasing asks, it does not say
        ("lumen AIME score?", "AIME"),
        ("how many employees does lumen have", "employees"),
        ("lumen employee count", "employees"),  # the same word in another ending
    ],
)
def test_what_the_curator_listed_as_not_stated_is_said_so(
    catalogue: Matcher, question: str, listed: str
) -> None:
    answer = catalogue.ask(question)
    assert_decided(answer, AnswerKind.NONE, NOT_STATED, fired=AnswerKind.NONE)
    assert answer.not_stated is not None
    assert (answer.not_stated.topic.id, answer.not_stated.text) == ("lumen", listed)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how much does lumen cost", "lumen-price"),  # a fact holds every word listed
        ("lumen context", "lumen-context"),  # half of an entry is not asking it
        ("what content editing does lumen do", "lumen-editing"),  # a typo's guess is not asked
        ("tessa context window", "tessa-window"),  # listed for another topic
        ("what plans does lumen sell, price?", "lumen-pricing"),  # its keywords say it
    ],
)
def test_what_a_fact_holds_is_answered_though_listed(
    catalogue: Matcher, question: str, expected: str
) -> None:
    answer = catalogue.ask(question)
    assert answer.kind is AnswerKind.FACT
    assert answer.fact is not None and answer.fact.id == expected
    assert answer.not_stated is None


@pytest.mark.parametrize(
    "question",
    [
        "what is lumen aiming at",
        "what is lumen aimed at",  # "AIME" is an acronym: no "-d" of it
        "how does lumen employ its editing",
        "lumen aims for prose",
    ],
)
def test_a_word_that_only_stems_like_an_entry_does_not_ask_it(
    catalogue: Matcher, question: str
) -> None:
    assert catalogue.ask(question).reason != NOT_STATED


def test_choosing_between_topics_is_left_to_comparisons(catalogue: Matcher) -> None:
    answer = catalogue.ask("which has the bigger context window, lumen or tessa?")
    assert answer.reason != NOT_STATED


def test_choosing_between_topics_that_all_lack_it_is_told_so() -> None:
    tessa = replace(TESSA, not_stated=("valuation", "employees"))
    knowledge = KnowledgeBase.of([DIGEST], [LUMEN, tessa], FACTS, GLOSSARY)
    matcher = Matcher(knowledge, calibration=SURE)
    both = matcher.ask("which has more employees, lumen or tessa?")
    assert both.not_stated is not None and both.not_stated.text == "employees"
    one = matcher.ask("which has the higher valuation, lumen or tessa?")  # a fact gives tessa's
    assert one.reason != NOT_STATED


def test_a_question_naming_no_topic_is_read_against_its_best_facts_topic(
    catalogue: Matcher,
) -> None:
    answer = catalogue.ask("what's the valuation of the model that edits content in place")
    assert answer.reason == NOT_STATED


@pytest.mark.parametrize(
    ("question", "listed"),
    [
        ("moonshot ai latest valuation", "valuation"),
        ("what did minimax m2.7 cost to train", "training cost"),
        ("DeepSeek V4 的上下文窗口有多长", "context window"),  # the glossary has 上下文
        ("are the gpus in alibaba's 10k cluster nvidia or domestic?", "Nvidia"),
        ("kimi price per token?", "price per token"),  # "cost" and "tokens" apart say neither
        ("what are the specs of alibaba's panjiu system", "specs"),  # a theme's, not a model's
        ("价格战之后每百万 token 均价多少", "每百万 token"),
        ("who started the price war", "price war started"),
        ("what is xing zhiheng's background", "background"),  # the article's own topic
        ("MiniMax M2.7 权重用什么协议开源的", "licence"),  # the glossary: 协议 is a licence
        ("how many monthly active users does kimi have", "monthly active users"),
        ("deepseek v5?", "V5"),  # not said by "V4" and "5 months"
        ("the deepseek web chat is so slow this week, server issues?", "server issues"),
        ("does qwen give free credits to new accounts", "free credits"),
        ("is BABA stock a buy before earnings", "stock"),  # Alibaba's ticker names Qwen's maker
        ("kimi 的数据更安全吗", "更安全"),
        ("这篇研报给了目标价吗", "目标价"),  # the article's own topic
        ("月之暗面办公室在哪", "办公室"),
        ("Qwen3.7-Max 总参数多少", "总参数"),
        ("someone launched a kimi memecoin, is it a scam", "memecoin"),
    ],
)
def test_the_bundled_article_says_what_it_does_not_give(
    bundled: Matcher, question: str, listed: str
) -> None:
    answer = bundled.ask(question)
    assert answer.kind is AnswerKind.NONE
    assert answer.not_stated is not None and answer.not_stated.text == listed


def test_an_entry_a_fact_says_anyway_is_named_for_the_curator(catalogue: Matcher) -> None:
    never = {(entry.text, fact.id) for entry, fact in catalogue.decider.unstated.never_asked_of()}
    # "price" is a keyword of lumen-pricing; lumen-price's phrasing "lumen price" does not count,
    # and lumen-context says "context" but not "window"
    assert never == {("price", "lumen-pricing")}


@pytest.mark.parametrize(
    ("question", "left_out"),
    [
        ("what context window does AIME have", True),  # a name Lumen's curator listed
        ("lumen AIME context window?", False),  # names Lumen: NOT_STATED's to say
        ("how many employees need a 1M context window", False),  # listed, but no name
    ],
)
def test_a_question_naming_no_topic_but_a_name_listed_as_not_stated_gets_no_answer(
    catalogue: Matcher, question: str, left_out: bool
) -> None:
    answer = catalogue.ask(question)
    assert (answer.reason == LEFT_OUT) is left_out
    if left_out:
        assert answer.kind is AnswerKind.NONE
