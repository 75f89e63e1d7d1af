"""The conversation store: per key, expiring, bounded, and read only through follow-ups."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.engine import AnswerKind, Conversations, Matcher
from bot.engine.followups import Turn
from bot.knowledge import KnowledgeBase
from tests.engine.bundled import bundled_matcher

BUNDLED = bundled_matcher()
KIMI_PRICE = "how much does kimi cost?"
FOLLOW_UP = "and minimax?"


class Clock:
    """Time that moves only when a test says so."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def turn(name: str) -> Turn:
    """A distinct remembered question, as the store sees it."""
    return Turn((), (), frozenset({name}))


def test_a_follow_up_carries_within_the_window_and_not_after() -> None:
    clock = Clock()
    conversation = Conversations(window=180.0, clock=clock)
    conversation.ask(BUNDLED, "alice", KIMI_PRICE)
    clock.now += 179.0
    assert conversation.ask(BUNDLED, "alice", FOLLOW_UP).read_as == "minimax cost"
    clock.now += 180.0
    late = conversation.ask(BUNDLED, "alice", FOLLOW_UP)
    assert late.read_as == ""
    assert late.kind is AnswerKind.SUMMARY, "read as typed: a topic named alone"


def test_the_window_counts_from_the_last_question_not_the_first() -> None:
    clock = Clock()
    conversation = Conversations(window=60.0, clock=clock)
    conversation.ask(BUNDLED, "alice", KIMI_PRICE)
    for _ in range(3):
        clock.now += 50.0
        assert conversation.ask(BUNDLED, "alice", FOLLOW_UP).read_as == "minimax cost"


def test_another_key_never_sees_someone_else_s_question() -> None:
    conversation = Conversations(clock=Clock())
    conversation.ask(BUNDLED, ("channel", "alice"), KIMI_PRICE)
    for key in [("channel", "bob"), ("thread", "alice"), "alice"]:
        assert conversation.ask(BUNDLED, key, FOLLOW_UP).read_as == ""
    assert conversation.ask(BUNDLED, ("channel", "alice"), FOLLOW_UP).read_as == "minimax cost"


def test_a_window_of_zero_turns_follow_ups_off() -> None:
    conversation = Conversations(window=0.0, clock=Clock())
    conversation.ask(BUNDLED, "alice", KIMI_PRICE)
    assert conversation.ask(BUNDLED, "alice", FOLLOW_UP).read_as == ""
    assert len(conversation) == 0


def test_the_store_keeps_at_most_its_capacity_dropping_the_least_recent() -> None:
    conversation = Conversations(capacity=3, clock=Clock())
    for key in "abcd":
        conversation.remember(key, turn(key))
    assert len(conversation) == 3
    assert conversation.recall("a") is None
    assert conversation.recall("d") == turn("d")


def test_expired_questions_are_dropped_not_just_ignored() -> None:
    clock = Clock()
    conversation = Conversations(window=10.0, clock=clock)
    for key in "abc":
        conversation.remember(key, turn(key))
    clock.now += 10.0
    conversation.remember("d", turn("d"))
    assert len(conversation) == 1


def test_a_question_asked_before_a_reload_that_dropped_its_topic_is_forgotten() -> None:
    conversation = Conversations(clock=Clock())
    conversation.ask(BUNDLED, "alice", KIMI_PRICE)
    knowledge = BUNDLED.knowledge
    reloaded = Matcher(
        KnowledgeBase.of(
            knowledge.sources.values(),
            [topic for topic in knowledge.topics.values() if topic.id != "kimi"],
            [fact for fact in knowledge.facts.values() if fact.topic_id != "kimi"],
        )
    )
    answer = conversation.ask(reloaded, "alice", "what about its context window")
    assert answer.read_as == ""


@given(
    st.lists(
        st.tuples(st.sampled_from("abcdef"), st.floats(min_value=0, max_value=100)),
        max_size=60,
    )
)
def test_recall_is_each_key_s_last_question_within_the_window(
    steps: list[tuple[str, float]],
) -> None:
    clock = Clock()
    conversation = Conversations(window=120.0, capacity=4, clock=clock)
    last: dict[str, tuple[float, Turn]] = {}
    for number, (key, wait) in enumerate(steps):
        clock.now += wait
        remembered = turn(f"{key}{number}")
        conversation.remember(key, remembered)
        last[key] = (clock.now, remembered)
        assert len(conversation) <= 4
        for other, (when, kept) in last.items():
            recalled = conversation.recall(other)
            assert recalled is None or recalled == kept
            if clock.now - when >= 120.0:
                assert recalled is None
