"""Answer-quality and latency figures, and the cutoff choice that is fairest to a baseline."""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.queries import Query


@dataclass(frozen=True)
class Quality:
    """Top-1 accuracy on answerable questions and abstention on off-topic ones."""

    accuracy: float
    abstention: float

    @property
    def balanced(self) -> float:
        """Both rates weighed equally, so neither answering nor abstaining is favoured."""
        return (self.accuracy + self.abstention) / 2


def quality(queries: Sequence[Query], answers: Sequence[str | None]) -> Quality:
    """How many answerable questions got their fact, and how many off-topic ones got nothing."""
    answerable = [q.expected == a for q, a in zip(queries, answers, strict=True) if q.answerable]
    off_topic = [a is None for q, a in zip(queries, answers, strict=True) if not q.answerable]
    return Quality(_share(answerable), _share(off_topic))


def success_by_kind(queries: Sequence[Query], answers: Sequence[str | None]) -> dict[str, float]:
    """Share of questions of each kind that got what they expect (a fact, or no answer)."""
    outcomes: dict[str, list[bool]] = {}
    for query, answer in zip(queries, answers, strict=True):
        outcomes.setdefault(query.kind, []).append(query.expected == answer)
    return {kind: _share(results) for kind, results in outcomes.items()}


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: a value that was actually measured, never an interpolation."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Cutoff:
    """The score below which a baseline abstains, with the quality it reached when tuned."""

    value: float
    tuned: Quality
    never_abstaining: Quality


Hit = tuple[str, float] | None
"""A scored baseline's top fact and its score, before any cutoff."""


def apply_cutoff(hits: Sequence[Hit], cutoff: float) -> list[str | None]:
    """The answers a baseline gives when it abstains below a cutoff."""
    return [hit[0] if hit is not None and hit[1] >= cutoff else None for hit in hits]


def choose_cutoff(queries: Sequence[Query], hits: Sequence[Hit]) -> Cutoff:
    """The cutoff that maximises balanced quality on the tuning split; ties go to the lower one."""
    sweep = _sweep(queries, hits)
    chosen, tuned = max(sweep, key=lambda entry: (entry[1].balanced, -entry[0]))
    return Cutoff(chosen, tuned, quality(queries, apply_cutoff(hits, -math.inf)))


def accuracy_at_abstention(
    queries: Sequence[Query], hits: Sequence[Hit], abstention: float
) -> float:
    """A baseline's best accuracy among the cutoffs that abstain at least as well as asked.

    Compares at equal abstention, so no choice of cutoff can hide a worse trade-off.
    """
    return _at_abstention(queries, hits, abstention)[1].accuracy


def cutoff_at_abstention(queries: Sequence[Query], hits: Sequence[Hit], abstention: float) -> float:
    """The lowest cutoff that abstains at least as well as asked: the most accurate of those."""
    return _at_abstention(queries, hits, abstention)[0]


def _at_abstention(
    queries: Sequence[Query], hits: Sequence[Hit], abstention: float
) -> tuple[float, Quality]:
    """The first cutoff of the sweep that abstains enough: raising a cutoff only turns answers
    into abstentions, so accuracy never rises with it and abstention never falls, and the
    infinite cutoff at the end abstains on everything."""
    return next(entry for entry in _sweep(queries, hits) if entry[1].abstention >= abstention)


def _sweep(queries: Sequence[Query], hits: Sequence[Hit]) -> list[tuple[float, Quality]]:
    """The quality at every cutoff worth trying (each observed score, then infinity), lowest
    first, from sorted scores: tens of thousands of real-chat questions make one pass of
    `quality` per cutoff take minutes."""
    right: list[float] = []
    off_topic: list[float] = []
    answerable = silent = 0
    for query, hit in zip(queries, hits, strict=True):
        if query.answerable:
            answerable += 1
            if hit is not None and hit[0] == query.expected:
                right.append(hit[1])
        elif hit is None:
            silent += 1
        else:
            off_topic.append(hit[1])
    right.sort()
    off_topic.sort()
    candidates = [*sorted({hit[1] for hit in hits if hit is not None}), math.inf]
    unanswerable = silent + len(off_topic)
    return [
        (
            cutoff,
            Quality(
                _ratio(len(right) - bisect.bisect_left(right, cutoff), answerable),
                _ratio(silent + bisect.bisect_left(off_topic, cutoff), unanswerable),
            ),
        )
        for cutoff in candidates
    ]


def _ratio(count: int, total: int) -> float:
    """count/total, an empty set counting as perfect: one rule for every figure."""
    return count / total if total else 1.0


def _share(outcomes: Sequence[bool]) -> float:
    """The share of true outcomes; an empty set counts as perfect, as in bot.engine.evaluation."""
    return _ratio(sum(outcomes), len(outcomes))
