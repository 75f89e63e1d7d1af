"""Any text people can type, asked or half-typed: the matcher always returns, never raises."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.engine import AnswerKind, Conversations, Matcher, Surface
from bot.engine.lookup import ranked
from bot.knowledge import Fact
from bot.library import open_knowledge

ODD = [
    "\u200b",  # zero-width space
    "\u200c",
    "\u200d",  # zero-width joiner
    "\ufeff",  # byte-order mark
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u061c",  # Arabic letter mark
    "\u0301",  # combining acute
    "\u0338",  # combining long solidus
    "\x00",
    "\x1b[31m",
    "\r\n",
    "\t",
    "\u2028",
    "👍🏽",
    "👨‍👩‍👧‍👦",
    "🇨🇳",
    "月之暗面",
    "ｋｉｍｉ",  # full-width
    "Ⅻ",
    "²",
    "٣",  # Arabic-Indic digit
    "ﬁ",  # ligature
    "İ",  # dotted capital I, which lower-cases to two characters
    "ß",
    "<@123>",
    "<@!456>",
    "<@&4>",
    "<#789>",
    "@everyone",
    "@here",
    "```py\nprint('x')\n```",
    "`",
    "**",
    "||spoiler||",
    "https://example.org/?q=kimi",
    "glm 5.1",
    "GLM-5.1",
    "kimi",
    "price",
    "deepseek",
    "train",
    "?",
    "…",
]

pieces = st.one_of(st.sampled_from(ODD), st.text(max_size=12))
questions = st.one_of(
    st.text(max_size=300),
    st.lists(pieces, max_size=40).map("".join),
    st.lists(pieces, max_size=40).map(" ".join),
    st.text(alphabet=string.punctuation + "¿¡…—–·、。！？「」", min_size=1, max_size=200),
    st.lists(st.sampled_from(["<@123>", "<@!5>", "<@&4>", "<#7>", "@everyone"]), min_size=1).map(
        " ".join
    ),
    st.lists(pieces, min_size=1, max_size=8).map(lambda parts: ("".join(parts) * 4_000)[:4_000]),
)
FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return open_knowledge()


@FUZZ
@given(question=questions)
@example(question="1SHORTEST")  # a superlative once compared on mentions, not in channels
@example(question="kimi context vs minimax context")  # one side known: once two probabilities
def test_ask_always_returns_a_coherent_answer(matcher: Matcher, question: str):
    """Every chat message can reach ask(); one exception would drop the message silently."""
    answer = matcher.ask(question)
    assert 0.0 <= answer.confidence <= 1.0
    automatic = matcher.ask(question, Surface.AUTOMATIC)
    assert automatic.kind is not AnswerKind.PROBABLE
    assert automatic.confidence == answer.confidence
    assert len(answer.suggestions) <= matcher.settings.max_suggestions
    if answer.kind in (AnswerKind.FACT, AnswerKind.PROBABLE):
        assert answer.fact is not None and answer.source is not None
        assert answer.answered is (answer.kind is AnswerKind.FACT)
        assert answer.fact not in answer.suggestions
    elif answer.kind is AnswerKind.SUMMARY:
        assert answer.topic is not None
    elif answer.kind is AnswerKind.COMPARISON:
        assert len(answer.compared) >= 2 and all(item.fact for item in answer.compared)
        assert answer.confidence == min(item.confidence for item in answer.compared)
    else:
        assert answer.fact is None and answer.text == ""


@FUZZ
@given(text=questions, limit=st.integers(min_value=1, max_value=25))
def test_complete_always_returns_at_most_limit_facts(matcher: Matcher, text: str, limit: int):
    """Autocomplete runs on every keystroke with half-typed, odd text."""
    completions = matcher.complete(text, limit)
    assert len(completions) <= limit
    assert all(isinstance(fact, Fact) for fact in completions)


@FUZZ
@given(text=questions)
def test_topic_lookups_always_return(matcher: Matcher, text: str):
    """/summary and /compare look up whatever text the user typed."""
    topics = matcher.knowledge.topics
    found = matcher.find_topic(text)
    assert found is None or found.id in topics
    labels = [(name, topic.id) for topic in topics.values() for name in topic.names]
    assert len(ranked(text, labels, limit=25)) <= 25


follow_ups = st.tuples(
    st.sampled_from(["and ", "what about ", "how does that compare with ", "它的", "那", ""]),
    st.one_of(st.sampled_from(ODD), questions),
    st.sampled_from(["?", "呢", " vs kimi", ""]),
).map("".join)


@FUZZ
@given(
    previous=st.one_of(questions, st.sampled_from(["kimi price?", "智谱多少分"])), text=follow_ups
)
def test_a_follow_up_always_returns_a_coherent_answer(matcher: Matcher, previous: str, text: str):
    """Any message may follow any other in a conversation, and is then read with it."""
    for surface in Surface:
        conversation = Conversations(clock=lambda: 0.0)
        conversation.ask(matcher, "alice", previous, surface)
        answer = conversation.ask(matcher, "alice", text, surface)
        assert answer.question == text
        assert 0.0 <= answer.confidence <= 1.0
        assert surface is Surface.MENTION or answer.kind is not AnswerKind.PROBABLE
        if answer.kind is AnswerKind.NONE:
            assert answer.fact is None and answer.text == ""


@pytest.mark.parametrize("question", ["kimi price?" * 400, "\u0301" * 4_000, "<@1> " * 800])
def test_the_longest_questions_still_return(matcher: Matcher, question: str):
    """Questions are cut to 4,000 characters; the longest must still be handled."""
    matcher.ask(question)
    matcher.complete(question)
    matcher.find_topic(question)
