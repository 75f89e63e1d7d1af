"""A small fuzzy finder for short names: the top hit is returned only if it clearly wins."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TypeVar

from rapidfuzz import fuzz, process, utils

from bot.engine.text import clean

T = TypeVar("T", bound=Hashable)

NAME_CUTOFF = 80.0
CLEAR_LEAD = 5.0


def ranked(
    query: str, choices: Iterable[tuple[str, T]], *, limit: int = 5
) -> list[tuple[T, float]]:
    """Choices ordered by whole-string similarity of their labels, one row per distinct value."""
    labelled = list(choices)
    if not labelled or not clean(query).strip():
        return []
    labels = [clean(label) for label, _ in labelled]
    hits = process.extract(
        clean(query), labels, scorer=fuzz.ratio, processor=utils.default_process, limit=None
    )
    best: dict[T, float] = {}
    for _, score, position in hits:
        value = labelled[position][1]
        best[value] = max(best.get(value, 0.0), float(score))
    ordered = sorted(best.items(), key=lambda item: -item[1])
    return ordered[:limit]


def best_match(query: str, choices: Iterable[tuple[str, T]]) -> T | None:
    """The value whose label is close to the query and clearly closer than any other's."""
    hits = ranked(query, choices, limit=2)
    if not hits or hits[0][1] < NAME_CUTOFF:
        return None
    if len(hits) > 1 and hits[0][1] - hits[1][1] < CLEAR_LEAD:
        return None
    return hits[0][0]
