"""Answer-quality figures for a set of questions with known right answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.engine.matcher import Answer, AnswerKind, Matcher


@dataclass(frozen=True, slots=True)
class Case:
    """A question and what it must get: a fact id, a topic id, or nothing (both None)."""

    question: str
    fact_id: str | None = None
    topic_id: str | None = None

    @property
    def answerable(self) -> bool:
        """Whether the knowledge holds an answer to this question."""
        return self.fact_id is not None or self.topic_id is not None

    def expected(self) -> str:
        """What the case expects, as a curator would write it."""
        if self.fact_id:
            return self.fact_id
        return f"topic {self.topic_id}" if self.topic_id else "no answer"

    def is_met_by(self, answer: Answer) -> bool:
        """Whether an answer is the one this case expects."""
        if self.fact_id is not None:
            return (
                answer.kind is AnswerKind.FACT
                and answer.fact is not None
                and (answer.fact.id == self.fact_id)
            )
        if self.topic_id is not None:
            return (
                answer.kind is AnswerKind.SUMMARY
                and answer.topic is not None
                and (answer.topic.id == self.topic_id)
            )
        return not answer.answered


def describe(answer: Answer) -> str:
    """What an answer was, in the terms a Case uses."""
    if answer.kind is AnswerKind.FACT and answer.fact is not None:
        return f"{answer.fact.id} ({answer.confidence:.2f})"
    if answer.kind is AnswerKind.SUMMARY and answer.topic is not None:
        return f"topic {answer.topic.id}"
    return f"no answer ({answer.confidence:.2f})"


@dataclass(frozen=True, slots=True)
class Report:
    """Top-1 accuracy on answerable questions and how well the matcher abstains on the rest."""

    results: tuple[tuple[Case, Answer], ...]

    @property
    def misses(self) -> list[tuple[Case, Answer]]:
        """Every case the matcher got wrong."""
        return [(case, answer) for case, answer in self.results if not case.is_met_by(answer)]

    @property
    def answerable(self) -> int:
        return sum(1 for case, _ in self.results if case.answerable)

    @property
    def accuracy(self) -> float:
        """Share of answerable questions answered with the expected fact or topic."""
        right = sum(1 for case, ans in self.results if case.answerable and case.is_met_by(ans))
        return right / self.answerable if self.answerable else 1.0

    @property
    def abstention_recall(self) -> float:
        """Share of unanswerable questions the matcher kept quiet on."""
        off_topic = [answer for case, answer in self.results if not case.answerable]
        if not off_topic:
            return 1.0
        return sum(1 for answer in off_topic if not answer.answered) / len(off_topic)

    @property
    def abstention_precision(self) -> float:
        """Share of the matcher's abstentions that were right to abstain."""
        abstained = [case for case, answer in self.results if not answer.answered]
        if not abstained:
            return 1.0
        return sum(1 for case in abstained if not case.answerable) / len(abstained)


def evaluate(matcher: Matcher, cases: Iterable[Case]) -> Report:
    """Asks every question once and keeps what came back."""
    return Report(tuple((case, matcher.ask(case.question)) for case in cases))
