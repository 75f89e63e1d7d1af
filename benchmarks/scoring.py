"""Answer-quality and latency figures, and the cutoff choice that is fairest to a baseline."""

from __future__ import annotations

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
    candidates = [*sorted({hit[1] for hit in hits if hit is not None}), math.inf]
    chosen = max(candidates, key=lambda c: (quality(queries, apply_cutoff(hits, c)).balanced, -c))
    return Cutoff(
        chosen,
        quality(queries, apply_cutoff(hits, chosen)),
        quality(queries, apply_cutoff(hits, -math.inf)),
    )


def accuracy_at_abstention(
    queries: Sequence[Query], hits: Sequence[Hit], abstention: float
) -> float:
    """A baseline's best accuracy among the cutoffs that abstain at least as well as asked.

    Compares at equal abstention, so no choice of cutoff can hide a worse trade-off.
    """
    candidates = [*sorted({hit[1] for hit in hits if hit is not None}), math.inf]
    return max(
        result.accuracy
        for cutoff in candidates
        if (result := quality(queries, apply_cutoff(hits, cutoff))).abstention >= abstention
    )


def _share(outcomes: Sequence[bool]) -> float:
    """The share of true outcomes; an empty set counts as perfect, as in bot.engine.evaluation."""
    return sum(outcomes) / len(outcomes) if outcomes else 1.0
