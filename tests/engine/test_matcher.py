"""The matcher on a small knowledge base that holds the traps naive fuzzy matching falls into."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine import AnswerKind, Matcher, Surface
from bot.knowledge import Fact, KnowledgeBase, Source, Topic
from tests.engine.bundled import bundled_matcher

SOURCE = Source("atlas", "World Atlas", "Atlas Press", date(2026, 1, 2))


def fact(fact_id: str, question: str, answer: str, topic: str | None = None, *also: str) -> Fact:
    return Fact(fact_id, question, answer, "atlas", topic, tuple(also))


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    topics = [
        Topic(
            "kimi",
            "Kimi K2.6",
            "Kimi is Moonshot AI's long-context model.",
            "atlas",
            ("Kimi", "Moonshot AI", "月之暗面"),
        ),
        Topic(
            "deepseek",
            "DeepSeek V4",
            "DeepSeek V4 was trained on domestic chips.",
            "atlas",
            ("DeepSeek", "深度求索"),
        ),
        Topic(
            "glm",
            "GLM-5.1",
            "GLM-5.1 is Zhipu's open coding model.",
            "atlas",
            ("GLM", "Zhipu", "智谱"),
        ),
    ]
    facts = [
        fact("spain-capital", "What is the capital of Spain?", "Madrid.", None, "spain capital"),
        fact(
            "spain-people",
            "How many people live in Spain?",
            "48 million.",
            None,
            "spain population",
        ),
        fact("france-capital", "What is the capital of France?", "Paris.", None, "france capital"),
        fact(
            "kimi-price",
            "How much does Kimi cost?",
            "From RMB 39 a month.",
            "kimi",
            "kimi membership price",
            "kimi monthly fee",
        ),
        fact(
            "kimi-context",
            "How long a context does Kimi handle?",
            "Over 2M tokens.",
            "kimi",
            "kimi context window",
        ),
        fact(
            "deepseek-cost",
            "How much did DeepSeek V4-Pro cost to train?",
            "USD 5.57 million.",
            "deepseek",
            "deepseek training cost",
        ),
        fact(
            "deepseek-cycle",
            "How often does DeepSeek release a new version?",
            "Every five months now.",
            "deepseek",
            "deepseek iteration cycle",
        ),
        fact(
            "glm-swebench",
            "What did GLM-5.1 score on SWE-Bench Pro?",
            "58.4.",
            "glm",
            "glm swe bench score",
        ),
        fact(
            "glm-hours",
            "How long can GLM-5.1 work on its own?",
            "Up to 8 hours.",
            "glm",
            "glm autonomous hours",
        ),
        fact(
            "glm-license", "What licence is GLM-5.1 released under?", "MIT.", "glm", "glm license"
        ),
    ]
    return Matcher(KnowledgeBase.of([SOURCE], topics, facts))


def answered(matcher: Matcher, question: str) -> str | None:
    answer = matcher.ask(question)
    if answer.kind is AnswerKind.FACT:
        return answer.fact.id
    if answer.kind is AnswerKind.SUMMARY:
        return f"topic:{answer.topic.id}"
    return None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("capital of spain", "spain-capital"),
        ("what's the capital of france?", "france-capital"),
        ("how much does kimi cost", "kimi-price"),
        ("how much did deepseek cost to train", "deepseek-cost"),
        ("deepseek training cost?", "deepseek-cost"),
        ("kimi price per month", "kimi-price"),
    ],
)
def test_the_word_that_differs_decides(matcher: Matcher, question: str, expected: str) -> None:
    assert answered(matcher, question) == expected


@pytest.mark.parametrize(
    "question", ["capital of germany", "how much does gemini cost", "what is the capital of peru"]
)
def test_shared_wording_alone_does_not_answer(matcher: Matcher, question: str) -> None:
    assert answered(matcher, question) is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("deepsek training cost", "deepseek-cost"),
        ("kimmi context windwo", "kimi-context"),
        ("glm swe bnech score", "glm-swebench"),
        ("what licnese is glm under", "glm-license"),
        ("kimmy context window", "kimi-context"),  # a name spelt by ear
    ],
)
def test_typos_are_forgiven_per_word(matcher: Matcher, question: str, expected: str) -> None:
    assert answered(matcher, question) == expected


def test_short_words_get_no_typo(matcher: Matcher) -> None:
    assert answered(matcher, "gml license") is None


@pytest.mark.parametrize("spelling", ["GLM5.1", "glm 5.1", "GLM-5.1", "Glm-5.1", "智谱"])
def test_version_spellings_and_chinese_names_find_the_entity(
    matcher: Matcher, spelling: str
) -> None:
    assert answered(matcher, f"what did {spelling} score on swe bench pro") == "glm-swebench"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("tell me about kimi", "kimi"),
        ("Kimi?", "kimi"),
        ("what is deepseek v4", "deepseek"),
        ("月之暗面", "kimi"),
        ("give me an overview of zhipu", "glm"),
    ],
)
def test_naming_only_a_topic_gets_its_summary(matcher: Matcher, question: str, topic: str) -> None:
    answer = matcher.ask(question)
    assert answer.kind is AnswerKind.SUMMARY
    assert answer.topic.id == topic
    assert answer.text == answer.topic.summary
    assert answer.source == SOURCE


@pytest.mark.parametrize("question", ["what's the weather", "hello", "asdf", "", "???", "lol ok"])
def test_off_topic_gets_nothing_and_no_suggestions(matcher: Matcher, question: str) -> None:
    answer = matcher.ask(question)
    assert answer.kind is AnswerKind.NONE
    assert answer.suggestions == ()


def test_the_entity_keeps_candidates_apart(matcher: Matcher) -> None:
    answer = matcher.ask("how much does kimi cost")
    assert {item.fact.topic_id for item in answer.candidates} == {"kimi"}


def test_near_miss_abstains_with_suggestions(matcher: Matcher) -> None:
    answer = matcher.ask("spain?")
    assert answer.kind is AnswerKind.NONE
    assert 1 <= len(answer.suggestions) <= 3
    assert {fact.id for fact in answer.suggestions} == {"spain-capital", "spain-people"}


def test_answer_explains_itself(matcher: Matcher) -> None:
    answer = matcher.ask("deepsek training cost")
    assert answer.kind is AnswerKind.FACT
    assert 0.0 < answer.confidence <= 1.0
    assert "deepsek" in answer.matched and "training" in answer.matched
    assert answer.candidates[0].fact == answer.fact


def test_find_topic_by_id_name_alias_or_typo(matcher: Matcher) -> None:
    assert [
        matcher.find_topic(text).id for text in ["glm", "Kimi K2.6", "深度求索", "deepsek"]
    ] == [
        "glm",
        "kimi",
        "deepseek",
        "deepseek",
    ]
    assert matcher.find_topic("weather") is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_any_text_gets_a_well_formed_answer(matcher: Matcher, text: str) -> None:
    answer = matcher.ask(text)
    assert 0.0 <= answer.confidence <= 1.0
    assert answer.answered == (answer.kind in (AnswerKind.FACT, AnswerKind.SUMMARY))
    assert (answer.fact is not None) == (answer.kind in (AnswerKind.FACT, AnswerKind.PROBABLE))
    assert len(answer.suggestions) <= 3


@pytest.mark.parametrize(
    ("typed", "first"),
    [("deeps", "deepseek-cost"), ("glm sw", "glm-swebench"), ("spain popu", "spain-people")],
)
def test_completion_follows_a_half_typed_word(matcher: Matcher, typed: str, first: str) -> None:
    assert matcher.complete(typed, 5)[0].id == first


def test_completion_of_nothing_lists_facts_in_curated_order(matcher: Matcher) -> None:
    assert [fact.id for fact in matcher.complete("", 3)] == [
        "spain-capital",
        "spain-people",
        "france-capital",
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=1, max_value=25))
def test_completion_never_fails_and_respects_the_limit(matcher, text: str, limit: int) -> None:
    assert len(matcher.complete(text, limit)) <= limit


@pytest.mark.parametrize(
    "frame",
    ["hey bot, {}", "quick q: {}", "sorry if dumb but {}", "{} asking for a friend", "{} thx"],
)
def test_a_question_framed_as_chat_gets_the_answer_it_gets_alone(frame: str) -> None:
    bundled = bundled_matcher()
    for question in (
        "what drove api margins down",
        "how does the article sum up compute, enough or not",
    ):
        alone = bundled.ask(question)
        assert alone.answered
        framed = bundled.ask(frame.format(question))
        assert framed.answered and framed.fact == alone.fact


@pytest.mark.parametrize(
    ("slipped", "question"),
    [
        (
            "glm vs kimi, wich one is under the MIT license",
            "glm vs kimi, which one is under the MIT license",
        ),
        ("wehn was qwen 3.7 max released", "when was qwen 3.7 max released"),
        (
            "whos got the profitability worries kimi or minimax",
            "who's got the profitability worries kimi or minimax",
        ),
        ("whos behidn kimi", "who's behind kimi"),  # a slip in a glossary phrase
    ],
)
def test_a_question_word_with_a_slip_asks_as_it_would_and_shows_as_typed(
    slipped: str, question: str
) -> None:
    bundled = bundled_matcher()
    mended, intended = bundled.ask(slipped), bundled.ask(question)
    assert (mended.kind, mended.fact, mended.reason) == (
        intended.kind,
        intended.fact,
        intended.reason,
    )
    assert mended.question == slipped


@pytest.mark.parametrize("frame", ["{}", "quick q: {}", "hey bot, {}", "wait {}", "ok so {}"])
def test_a_question_the_knowledge_does_not_answer_stays_unanswered_however_framed(
    frame: str,
) -> None:
    bundled = bundled_matcher()
    for question in ("GPT-4 当年训练到底花了多少钱", "Claude 旗舰在 TerminalBench 上多少分"):
        assert not bundled.ask(frame.format(question)).answered


def test_a_question_followed_by_chat_is_answered_by_the_question_when_sure() -> None:
    matcher = bundled_matcher()
    message = "whose context is longest? i wanna dump a whole repo in 😅"
    answer = matcher.ask(message)
    assert answer.kind is AnswerKind.FACT and answer.fact.id == "kimi-context"
    assert answer.question == message
    assert answer.confidence >= matcher.settings.automatic_at
    unasked = "which model has the longest context? i wanna dump a whole repo in 😅"
    assert matcher.ask(unasked, Surface.AUTOMATIC).fact is answer.fact


def test_what_follows_a_question_that_asks_too_keeps_the_message_whole() -> None:
    matcher = bundled_matcher()
    message = "minimax hybrid compute uses nvidia? which intl chips exactly"
    assert not matcher.ask(message).answered


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("tell me about the architectural choices in glm 5.1", "glm-architecture"),
        ("kimi k2.6 architectural details?", "kimi-moe"),
    ],
)
def test_a_word_the_bundled_glossary_lists_finds_its_entrys_fact(
    question: str, fact_id: str
) -> None:
    answer = bundled_matcher().ask(question)
    assert answer.answered and answer.fact is not None and answer.fact.id == fact_id


def test_a_word_only_another_topics_phrasing_holds_does_not_send_the_question_there() -> None:
    topics = [
        Topic("kimi", "Kimi K2.6", "Moonshot AI's model.", "atlas", ("Kimi",)),
        Topic("glm", "GLM-5.1", "Zhipu's model.", "atlas", ("GLM",)),
        Topic("deepseek", "DeepSeek V4", "A model on domestic chips.", "atlas", ("DeepSeek",)),
    ]
    facts = [
        fact("kimi-arch", "What architecture does Kimi use?", "A trillion-parameter MoE.", "kimi"),
        fact(
            "glm-arch",
            "What architecture does GLM-5.1 use?",
            "A new DSA architecture with sparse attention.",
            "glm",
            "What structural design underpins GLM-5.1?",  # a curator's formal verb, as also
        ),
        fact(
            "deepseek-cost",
            "How much did DeepSeek cost to train?",
            "Training it cost USD 5.57m.",
            "deepseek",
        ),
    ]
    matcher = Matcher(KnowledgeBase.of([SOURCE], topics, facts))
    assert answered(matcher, "what architecture underpins kimi") == "kimi-arch"
    said = matcher.ask("how much did glm cost to train")  # DeepSeek's answer says it
    assert said.kind is AnswerKind.NONE
    assert said.reason == "asks of the named topic what only other topics' facts hold"
