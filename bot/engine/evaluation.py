"""Answer-quality figures for a set of questions with known right answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.engine.decision import Surface
from bot.engine.languages import question_language, speaks
from bot.engine.matcher import Answer, AnswerKind, Matcher

RELIABILITY_BANDS = 10
"""Bands a tenth wide: fine enough to show where confidence drifts, coarse enough that a
question set of a few hundred still puts several questions in each."""


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

    def best_is_right(self, answer: Answer) -> bool:
        """Whether the best candidate, given or held back, is the expected one: the claim its
        confidence makes. A question that must get nothing has no right candidate."""
        if self.fact_id is not None:
            best = answer.fact or (answer.candidates[0].fact if answer.candidates else None)
            return best is not None and best.id == self.fact_id
        if self.topic_id is not None:
            return self.is_met_by(answer)
        return False


def predicted(answer: Answer) -> float:
    """The confidence an answer claims for its best candidate; 0 when it had none."""
    has_candidate = answer.kind is not AnswerKind.NONE or bool(answer.candidates)
    return answer.confidence if has_candidate else 0.0


def describe(answer: Answer) -> str:
    """What an answer was, in the terms a Case uses."""
    if answer.kind is AnswerKind.FACT and answer.fact is not None:
        return f"{answer.fact.id} ({answer.confidence:.2f})"
    if answer.kind is AnswerKind.SUMMARY and answer.topic is not None:
        return f"topic {answer.topic.id}"
    if answer.kind is AnswerKind.PROBABLE and answer.fact is not None:
        return f"probably {answer.fact.id} ({answer.confidence:.2f})"
    return f"no answer ({answer.confidence:.2f})"


@dataclass(frozen=True, slots=True)
class Band:
    """One band of a reliability table: how sure the matcher said it was, and how often it was."""

    low: float
    high: float
    count: int = 0
    predicted: float = 0.0
    """The mean confidence of the band's items (0 when it has none)."""
    observed: float = 0.0
    """The share of the band's items that were right (0 when it has none)."""


@dataclass(frozen=True, slots=True)
class Reliability:
    """Whether confidence means what it says: of the answers given 0.7, are seven in ten right?"""

    bands: tuple[Band, ...]

    @property
    def count(self) -> int:
        """How many items the table holds."""
        return sum(band.count for band in self.bands)

    @property
    def expected_calibration_error(self) -> float:
        """The gap between predicted and observed, averaged over bands weighted by their items."""
        if not self.count:
            return 0.0
        gaps = sum(band.count * abs(band.predicted - band.observed) for band in self.bands)
        return gaps / self.count


def reliability(pairs: Iterable[tuple[float, bool]], bands: int = RELIABILITY_BANDS) -> Reliability:
    """The reliability table of (confidence, right) pairs, in equal bands from 0 to 1; a
    confidence of exactly 1 falls in the top band."""
    members: list[list[tuple[float, bool]]] = [[] for _ in range(bands)]
    for confidence, right in pairs:
        members[min(max(int(confidence * bands), 0), bands - 1)].append((confidence, right))
    return Reliability(
        tuple(
            Band(
                number / bands,
                (number + 1) / bands,
                len(items),
                sum(confidence for confidence, _ in items) / len(items),
                sum(1 for _, right in items if right) / len(items),
            )
            if items
            else Band(number / bands, (number + 1) / bands)
            for number, items in enumerate(members)
        )
    )


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

    @property
    def probable(self) -> int:
        """How many questions got a "probably" rather than an answer or nothing."""
        return sum(1 for _, answer in self.results if answer.kind is AnswerKind.PROBABLE)

    @property
    def reliability(self) -> Reliability:
        """How well every question's confidence matched whether its best candidate was right."""
        return reliability(
            (predicted(answer), case.best_is_right(answer)) for case, answer in self.results
        )


def in_language_share(report: Report, language: str | None = None) -> float:
    """Of the answers stated as known, the share that can be given in `language` (by default
    the language each question was asked in) without falling back to the original."""
    stated = [(case, answer) for case, answer in report.results if answer.answered]
    if not stated:
        return 1.0
    fitting = sum(
        speaks(answer, language or question_language(case.question) or _source_language(answer))
        for case, answer in stated
    )
    return fitting / len(stated)


def _source_language(answer: Answer) -> str:
    """The language an answer's source is written in."""
    return answer.source.language if answer.source is not None else ""


def evaluate(matcher: Matcher, cases: Iterable[Case], surface: Surface = Surface.MENTION) -> Report:
    """Asks every question once, as the surface would, and keeps what came back."""
    return Report(tuple((case, matcher.ask(case.question, surface)) for case in cases))
