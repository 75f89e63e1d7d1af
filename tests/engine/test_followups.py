"""Follow-ups read against the same person's previous question, on the bundled knowledge."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine import AnswerKind, Conversations, Matcher
from bot.engine.decision import NAMES_NOT_ITS_TOPIC
from bot.engine.followups import UNKNOWN_SUBJECT, Cue, cues
from bot.engine.text import spelled_terms
from tests.engine.bundled import bundled_matcher

BUNDLED = bundled_matcher()


def after(matcher: Matcher, previous: str, message: str):
    """The answer to a message asked right after another, by the same person in the same place."""
    conversation = Conversations(clock=lambda: 0.0)
    conversation.ask(matcher, "alice", previous)
    return conversation.ask(matcher, "alice", message)


@pytest.mark.parametrize(
    ("text", "found", "rest"),
    [
        ("and glm?", {Cue.CONTINUES}, "glm"),
        ("What about its licence", {Cue.CONTINUES, Cue.REFERS}, "licence"),
        ("how does that compare with gpt-4", {Cue.COMPARES}, "gpt-4"),
        ("那智谱呢？", {Cue.CONTINUES}, "智谱"),
        ("它的协议呢", {Cue.CONTINUES, Cue.REFERS}, "协议"),
        ("跟GPT-4比呢", {Cue.CONTINUES, Cue.COMPARES}, "gpt-4"),
        ("那篇文章的标题是什么", set(), "那篇文章的标题是什么"),
        ("android apps?", set(), "android apps?"),
        ("do people still use that?!", {Cue.REFERS}, "do people still use"),
        ("is this article new", set(), "is this article new"),
    ],
)
def test_cues_are_found_and_cut_out(text: str, found: set[Cue], rest: str) -> None:
    cued, left = cues(text)
    assert cued == found
    assert spelled_terms(left) == spelled_terms(rest)


@pytest.mark.parametrize(
    ("previous", "message", "expected", "read_as"),
    [
        ("how much does kimi cost?", "and minimax?", "minimax-inference-cost", "minimax cost"),
        ("how long can qwen work on its own?", "and glm?", "glm-8-hours", "glm long work own"),
        ("how long can qwen work on its own?", "那智谱呢？", "glm-8-hours", "智谱 long work own"),
        ("minimax 参数多少", "那kimi呢", "kimi-moe", "kimi 参数"),
    ],
)
def test_the_attribute_carries_over_to_a_new_topic(
    bundled: Matcher, previous: str, message: str, expected: str, read_as: str
) -> None:
    answer = after(bundled, previous, message)
    assert answer.kind is AnswerKind.FACT
    assert answer.fact is not None and answer.fact.id == expected
    assert answer.question == message, "the message is kept as typed"
    assert answer.read_as == read_as


@pytest.mark.parametrize(
    ("previous", "message", "expected"),
    [
        ("what did glm 5.1 score on swe-bench pro", "what about its licence", "glm-mit-license"),
        ("what did glm 5.1 score on swe-bench pro", "它的协议呢", "glm-mit-license"),
        ("kimi context window?", "what about its price", "kimi-price"),
        ("qwen terminalbench score", "and when was it released?", "qwen-release"),
        ("minimax 参数多少", "那它的价格呢", "minimax-inference-cost"),
        (
            "how much did deepseek v4 cost to train",
            "how does that compare with gpt-4",
            "deepseek-training-cost",
        ),
        ("qwen terminalbench score", "how does that compare with claude", "qwen-terminalbench"),
    ],
)
def test_the_topic_carries_over_to_a_new_attribute(
    bundled: Matcher, previous: str, message: str, expected: str
) -> None:
    answer = after(bundled, previous, message)
    assert answer.kind is AnswerKind.FACT
    assert answer.fact is not None and answer.fact.id == expected
    assert answer.read_as


@pytest.mark.parametrize(
    ("previous", "message"),
    [
        ("how much does kimi cost?", "what about qwen"),
        ("kimi context window?", "and minimax?"),
        ("glm license?", "那kimi呢"),  # MiniMax's card gives its licence; Kimi's says none
        ("what did qwen score on terminalbench", "and glm?"),
    ],
)
def test_a_new_topic_without_that_attribute_is_not_answered_with_the_old_one(
    bundled: Matcher, previous: str, message: str
) -> None:
    old = bundled.ask(previous).topic
    answer = after(bundled, previous, message)
    assert answer.read_as
    assert answer.kind is AnswerKind.NONE
    assert answer.fact is None and old is not None and answer.topic is not old


@pytest.mark.parametrize(
    ("previous", "message"),
    [
        ("how much does kimi cost?", "and gpt-4?"),
        ("what did glm 5.1 score on swe-bench pro", "and claude?"),
        ("glm license?", "what about gemini?"),
        ("how long can qwen work on its own?", "what about gemini 3?"),
        ("deepseek chips", "and huawei?"),
        ("kimi context window?", "vs gemini?"),
    ],
)
def test_a_follow_up_about_a_model_the_knowledge_lacks_abstains(
    bundled: Matcher, previous: str, message: str
) -> None:
    answer = after(bundled, previous, message)
    assert answer.kind is AnswerKind.NONE
    assert answer.reason == UNKNOWN_SUBJECT
    assert answer.fact is None and answer.topic is None and not answer.suggestions


def test_comparing_with_a_model_the_answer_does_not_mention_abstains(bundled: Matcher) -> None:
    answer = after(
        bundled, "what did glm 5.1 score on swe-bench pro", "how does that compare with gpt-4"
    )
    assert answer.kind is AnswerKind.NONE
    assert answer.read_as


@pytest.mark.parametrize(
    ("previous", "message"),
    [
        ("how much does kimi cost?", "how long can glm work autonomously?"),
        ("how much does kimi cost?", "and how many parameters does minimax have?"),
        ("how much does kimi cost?", "how does kimi keep its users?"),
        ("how much does kimi cost?", "glm?"),
        ("kimi context window?", "what's the capital of france?"),
        ("kimi context window?", "which model has more than 2m tokens of context?"),
        ("tell me about kimi", "and glm?"),
        ("hello", "what about its licence"),
    ],
)
def test_a_question_of_its_own_is_read_as_typed(
    bundled: Matcher, previous: str, message: str
) -> None:
    answer = after(bundled, previous, message)
    alone = bundled.ask(message)
    assert answer.read_as == ""
    assert (answer.kind, answer.fact, answer.topic) == (alone.kind, alone.fact, alone.topic)


def test_a_full_question_becomes_what_the_next_follow_up_carries(bundled: Matcher) -> None:
    conversation = Conversations(clock=lambda: 0.0)
    for message in ("how much does kimi cost?", "how long can glm work autonomously?"):
        conversation.ask(bundled, "alice", message)
    answer = conversation.ask(bundled, "alice", "what about its licence")
    assert answer.fact is not None and answer.fact.id == "glm-mit-license"


def test_follow_ups_chain_and_small_talk_leaves_the_last_question(bundled: Matcher) -> None:
    conversation = Conversations(clock=lambda: 0.0)
    asked = [
        conversation.ask(bundled, "alice", message)
        for message in ("how long can qwen work on its own?", "and gpt-4?", "thanks!", "and glm?")
    ]
    assert asked[1].reason == UNKNOWN_SUBJECT
    assert asked[3].fact is not None and asked[3].fact.id == "glm-8-hours"


_PHRASINGS = [text for fact in BUNDLED.knowledge.facts.values() for text in fact.phrasings]


@settings(max_examples=200, deadline=None)
@given(
    previous=st.sampled_from(
        ["how much does kimi cost?", "what did glm 5.1 score on swe-bench pro", "智谱多少分"]
    ),
    phrasing=st.sampled_from(_PHRASINGS),
)
def test_the_knowledge_s_own_phrasings_that_name_their_topic_are_read_as_typed(
    previous: str, phrasing: str
) -> None:
    answer = after(BUNDLED, previous, phrasing)
    if BUNDLED.reader.read(phrasing).entities:
        assert answer.read_as == ""
        assert answer.fact == BUNDLED.ask(phrasing).fact


REFERS_TO_NOTHING = "asks about 'it' without saying what it is"


@pytest.mark.parametrize(
    "message",
    [
        "when did it come out?",
        "is it open source?",
        "它的上下文窗口多大",
        "do people still use that?",
    ],
)
def test_it_asked_alone_is_never_stated_and_after_a_question_is_answered(
    bundled: Matcher, message: str
) -> None:
    alone = bundled.ask(message)
    assert (alone.kind, alone.reason) == (AnswerKind.NONE, REFERS_TO_NOTHING)
    followed = after(bundled, "tell me about glm 5.1", message)
    assert followed.reason != REFERS_TO_NOTHING


@pytest.mark.parametrize(
    "question",
    [
        "Which company's model reportedly evolved itself for some 35 hours?",  # asks who "it" is
        "What overarching shifts does the report enumerate in its closing section?",  # long
    ],
)
def test_it_inside_a_question_of_its_own_is_no_reason_to_doubt(
    bundled: Matcher, question: str
) -> None:
    assert bundled.ask(question).reason != REFERS_TO_NOTHING


@pytest.mark.parametrize(
    ("previous", "message", "expected"),
    [
        ("what is kimi k2.6", "how much is the membership?", "kimi-price"),
        ("tell me about kimi", "how big is the context window?", "kimi-context"),
        ("tell me about kimi", "上下文多长", "kimi-context"),
    ],
)
def test_a_short_message_wanting_a_topic_is_read_about_the_last_ones(
    bundled: Matcher, previous: str, message: str, expected: str
) -> None:
    alone = bundled.ask(message)
    assert (alone.kind, alone.reason) == (AnswerKind.NONE, NAMES_NOT_ITS_TOPIC)
    answer = after(bundled, previous, message)
    assert answer.fact is not None and answer.fact.id == expected
    assert answer.read_as and answer.question == message


@pytest.mark.parametrize(
    ("previous", "message"),
    [
        ("what is kimi k2.6", "got charged twice this month for the subscription wtf"),  # long
        ("glm license", "best pizza?"),  # one common word: chat, whatever came before
    ],
)
def test_other_messages_naming_no_topic_are_not_read_about_the_last_one(
    bundled: Matcher, previous: str, message: str
) -> None:
    answer = after(bundled, previous, message)
    assert (answer.kind, answer.read_as) == (AnswerKind.NONE, "")


@pytest.mark.parametrize("chat", ["lol nice", "whats the weather in paris", "thanks!"])
def test_chat_between_two_questions_leaves_the_first_in_place(bundled: Matcher, chat: str) -> None:
    conversation = Conversations(clock=lambda: 0.0)
    for message in ("what is kimi k2.6", chat):
        conversation.ask(bundled, "alice", message)
    answer = conversation.ask(bundled, "alice", "and the context window?")
    assert answer.fact is not None and answer.fact.id == "kimi-context"
