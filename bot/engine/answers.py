"""What the engine says about a question: the answer, how sure it is, and the near misses."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.knowledge.model import Fact, Source, Topic, facts_key


class AnswerKind(StrEnum):
    """What kind of reply a question gets."""

    FACT = "fact"
    SUMMARY = "summary"
    PROBABLE = "probable"
    """The closest fact, likely but not sure: shown as 'probably', never as known."""
    COMPARISON = "comparison"
    """Several topics' facts on one attribute, side by side, each stated as known."""
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
    asked_only_by_name: bool = False
    """Its curator never asks for it without naming a topic: an unnamed question that finds it
    is about something else, unless it asks which one it is."""
    asked_by_its_topic: bool = False
    """Its curator mostly asks for it by naming its own topic: its answer is about that one."""


@dataclass(frozen=True, slots=True)
class ListedWord:
    """One content word of a curator's `not_stated` entry, which a question must ask."""

    spelling: str
    """As written, in lower case."""
    term: str
    entry: str | None
    """The glossary entry of the word or of the phrase it is part of, if any."""
    acronym: bool = False
    """Written in capitals ("AIME", "IPO"): only itself or its plural asks it."""


@dataclass(frozen=True, slots=True)
class NotStated:
    """One thing a topic's source does not say, as its curator wrote it, and as the words a
    question must ask to ask it."""

    topic: Topic
    text: str
    words: tuple[ListedWord, ...]
    """Its content words: a question must ask every one."""


@dataclass(frozen=True, slots=True)
class Margin:
    """How far apart two compared facts' figures of one unit are, worked out from them."""

    more: Topic
    """The topic whose figure is the larger."""
    less: Topic
    difference: str
    """As figures are written: "27", "11.3"."""
    unit: str
    """As the facts write it: "hours", "小时", "USD"."""
    unit_first: bool = False
    """Whether the unit goes before the figure, as a currency does."""
    times: str = ""
    """How many times the smaller figure the larger is, as figures are written ("4.4"); empty
    when the smaller is nought."""

    @property
    def says_times(self) -> bool:
        """Whether the ratio says more than the gap: "1 times as much" says nothing."""
        return self.times not in ("", "1")

    @property
    def figure(self) -> str:
        """The gap with its unit: "27 hours", "USD 15"."""
        parts = (self.unit, self.difference) if self.unit_first else (self.difference, self.unit)
        return " ".join(parts)


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
    compared: tuple[Answer, ...] = ()
    """A comparison's facts, one per topic compared, each a stated answer whose `topic` is
    the topic it stands for."""
    lacking: tuple[str, ...] = ()
    """The names a comparison asked about that the knowledge has nothing on for it."""
    margin: Margin | None = None
    """How far apart the compared figures are, when the question asks by how much."""
    language: str = ""
    """The language its texts were put in (see languages.in_language); empty: as written."""
    not_stated: NotStated | None = None
    """What an abstention asked that its topic's source says it does not give, to say so."""

    @property
    def answered(self) -> bool:
        """Whether there is something to state as known: a 'probably' reply is not."""
        return self.kind in _STATED

    @property
    def key(self) -> str:
        """The answer's key (`fact:ID`, `topic:ID`, or `facts:ID+ID` for a comparison), for
        cooldowns, buttons and feedback."""
        if self.compared:
            return facts_key(item.fact for item in self.compared if item.fact is not None)
        item = self.fact or self.topic
        if item is None:
            raise ValueError("an unanswered question has no answer key")
        return item.key

    @property
    def text(self) -> str:
        """The reply itself: the fact's answer, the topic's summary, or a comparison's
        answers one to a line."""
        if self.compared:
            return "\n".join(item.text for item in self.compared)
        if self.fact is not None:
            return self.fact.answer
        return self.topic.summary if self.topic is not None else ""


_STATED = frozenset({AnswerKind.FACT, AnswerKind.SUMMARY, AnswerKind.COMPARISON})
"""The kinds of reply that state something as known."""
