"""Finds the facts that hold a question's words, touching only the postings those words have."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from bot.engine.index import KnowledgeIndex
from bot.engine.packed import Postings
from bot.engine.reading import Unit

LOOKUP_ABOVE = 1_000
"""Postings shorter than this are always read whole; only longer ones switch to look-ups."""
SCAN_PER_LOOKUP = 10
"""Reading a posting in a pass costs about a tenth of looking one fact up, so the facts in
question are looked up one by one only in postings more than this many times longer."""

Covered = dict[int, tuple[float, list[str]]]
"""Per fact position: its share of the question's weight, and the words it holds."""


def strength(readings: list[tuple[Postings, float]], position: int) -> float:
    """How strongly one fact holds a word: its best reading's weight there."""
    best = 0.0
    for postings, similarity in readings:
        best = max(best, similarity * postings.weight_at(position))
    return best


class Retriever:
    """Term-at-a-time look-ups over one index's postings, rarest words first."""

    def __init__(self, index: KnowledgeIndex) -> None:
        self.index = index
        self._heaviest_weights: dict[str, float] = {}

    def facts_of(self, topic_ids: list[str] | set[str]) -> set[int]:
        """The positions of every fact about (or mentioning) any of these topics."""
        by_entity = self.index.facts_by_entity
        return {p for topic_id in topic_ids for p in by_entity.find(topic_id).positions}

    def accumulate(self, units: list[Unit], within: set[int] | None = None) -> Covered:
        """Term at a time over the postings: each fact's share of the question's weight, and the
        words it holds, touching no fact that holds none of them (or is outside `within`).

        Rarest words go first. A word held by far more facts than are in play is then only looked
        up for those facts: all of `within`, which must each get every word they hold, or else
        the facts found so far, since a fact holding nothing but a very common word ('score',
        'price') cannot beat the facts that hold the question's rarer words.
        """
        found: Covered = {}
        for unit in sorted(units, key=self.postings_count):
            best: dict[int, float] = {}
            for postings, similarity in self.postings_of(unit):
                if within is not None and len(postings) > SCAN_PER_LOOKUP * len(within):
                    hits: Iterator[tuple[int, float]] = (
                        (p, w) for p in within if (w := postings.weight_at(p))
                    )
                elif within is not None:
                    hits = ((p, w) for p, w in postings.items() if p in within)
                elif found and len(postings) > max(LOOKUP_ABOVE, 4 * len(found)):
                    hits = ((p, w) for p in found if (w := postings.weight_at(p)))
                else:
                    hits = iter(postings.items())
                for position, weight in hits:
                    if similarity * weight > best.get(position, 0.0):
                        best[position] = similarity * weight
            for position, held in best.items():
                covered, matched = found.get(position, (0.0, []))
                matched.append(unit.typed)
                found[position] = (covered + unit.weight * held, matched)
        return found

    def held_elsewhere(self, units: list[Unit], bar: float, excluded: set[int]) -> bool:
        """Whether a fact outside `excluded` holds words worth `bar`, found without scoring every
        fact that holds any of them: common words are in a tenth of the facts at 100,000.

        MaxScore-style: words go from the one that can add the most, and each turn only looks at
        facts holding the word read and no word read before. Once the words left could not reach
        `bar` together, no fact left can, so the search stops. A word the others could not make
        up for must be held, which one pass over a short list settles for all candidates at once.
        """
        ordered = sorted(units, key=self._ceiling, reverse=True)
        ceilings = [self._ceiling(unit) for unit in ordered]
        left = sum(ceilings)
        ruled_out = set(excluded)
        for turn, unit in enumerate(ordered):
            if left < bar:
                return False
            candidates = set(self._holders(unit)) - ruled_out
            needed = sorted(
                (
                    other
                    for other, most in zip(ordered[turn + 1 :], ceilings[turn + 1 :], strict=True)
                    if most > left - bar
                ),
                key=self.postings_count,
            )
            for other in needed:
                if self.postings_count(other) > SCAN_PER_LOOKUP * len(candidates):
                    break
                candidates.intersection_update(self._holders(other))
            if self._any_reaches(ordered[turn:], candidates, bar):
                return True
            ruled_out.update(self._holders(unit))
            left -= ceilings[turn]
        return False

    def _any_reaches(self, units: list[Unit], facts: set[int], bar: float) -> bool:
        """Whether any of these facts holds words worth `bar`: one fact at a time, so the first
        to reach it ends the search, until the look-ups have cost what a single pass over the
        words' postings would; then that pass, for the facts left.
        """
        words = [(unit.weight, self.postings_of(unit), self._ceiling(unit)) for unit in units]
        most = sum(ceiling for _, _, ceiling in words)
        affordable = sum(map(self.postings_count, units)) // SCAN_PER_LOOKUP // len(units)
        queue = list(facts)
        for position in queue[: affordable + 1]:
            reach = most
            for weight, readings, ceiling in words:
                reach -= ceiling - weight * strength(readings, position)
                if reach < bar:
                    break
            else:
                return True
        rest = set(queue[affordable + 1 :])
        covered = self.accumulate(units, within=rest) if rest else {}
        return any(share >= bar for share, _ in covered.values())

    def _holders(self, unit: Unit) -> Iterator[int]:
        """The facts holding any reading of a word (a fact holding two is given twice)."""
        return itertools.chain.from_iterable(
            postings.positions for postings, _ in self.postings_of(unit)
        )

    def _ceiling(self, unit: Unit) -> float:
        """The most a word (never a name) can add to any one fact's share of the question."""
        return unit.weight * max(
            (similarity * self._heaviest(term) for term, similarity in unit.meanings.items()),
            default=0.0,
        )

    def _heaviest(self, term: str) -> float:
        """A term's largest weight in any fact, remembered: finding it reads the whole list."""
        heaviest = self._heaviest_weights.get(term)
        if heaviest is None:
            weights = self.index.postings.find(term).weights
            heaviest = self._heaviest_weights[term] = max(weights, default=0.0)
        return heaviest

    def postings_of(self, unit: Unit) -> list[tuple[Postings, float]]:
        """The postings a unit reads, each with how sure the reading is."""
        if unit.entity is not None:
            return [(self.index.facts_by_entity.find(unit.entity), 1.0)]
        return [
            (self.index.postings.find(term), similarity)
            for term, similarity in unit.meanings.items()
        ]

    def postings_count(self, unit: Unit) -> int:
        """How many postings a unit reads: the order rarest-first goes by."""
        return sum(len(postings) for postings, _ in self.postings_of(unit))
