"""What the engine says about a question: the answer, how sure it is, and the near misses."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.knowledge.model import Fact, Source, Topic


class AnswerKind(StrEnum):
    """What kind of reply a question gets."""

    FACT = "fact"
    SUMMARY = "summary"
    PROBABLE = "probable"
    """The closest fact, likely but not sure: shown as 'probably', never as known."""
    NONE = "none"


@dataclass(frozen=True, slots=True)
class ScoredFact:
    """A candidate fact with its score, for suggestions and for explaining a decision."""

    fact: Fact
    score: float
    matched: tuple[str, ...]
    evidence: float = 0.0
    """The weight of the question's words this fact holds, names included."""
    fits_kind: bool = True
    """It can give the kind of answer asked for (a time, someone, a place, a reason)."""
    asked_by_name: bool = False
    """People mostly ask for it by naming its topic."""


@dataclass(frozen=True, slots=True)
class Answer:
    """The matcher's decision on one question, with what a curator needs to judge it."""

    question: str
    kind: AnswerKind
    confidence: float
    """The calibrated probability that the fact (or summary) given is the one wanted."""
    fact: Fact | None = None
    topic: Topic | None = None
    source: Source | None = None
    suggestions: tuple[Fact, ...] = ()
    matched: tuple[str, ...] = ()
    candidates: tuple[ScoredFact, ...] = field(default=(), repr=False)
    reason: str = ""
    """Why it abstained, or is only 'probably', when a rule rather than the confidence decided:
    for explanations."""
    glossary: tuple[tuple[str, str], ...] = ()
    """The question's words the best candidate matched through the glossary, each with its
    entry's headword: for explanations."""
    read_as: str = ""
    """A follow-up as read with the same person's previous question ("minimax cost" for "and
    minimax?" after "how much does kimi cost?"); empty when read as typed."""

    @property
    def answered(self) -> bool:
        """Whether there is something to state as known: a 'probably' reply is not."""
        return self.kind is AnswerKind.FACT or self.kind is AnswerKind.SUMMARY

    @property
    def key(self) -> str:
        """The answer's key (`fact:ID` or `topic:ID`), for cooldowns, buttons and feedback."""
        item = self.fact or self.topic
        if item is None:
            raise ValueError("an unanswered question has no answer key")
        return item.key

    @property
    def text(self) -> str:
        """The reply itself: the fact's answer or the topic's summary."""
        if self.fact is not None:
            return self.fact.answer
        return self.topic.summary if self.topic is not None else ""
