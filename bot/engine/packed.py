"""The packed arrays the index keeps postings and phrasings in: compact, and raw bytes to cache."""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import operator
from array import array
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ID = "I"
"""Positions, offsets and ids are unsigned, so a damaged cache cannot make one negative."""


@dataclass(frozen=True, slots=True)
class Postings:
    """The facts holding a term (or naming a topic) in position order, with its weight in each."""

    positions: Sequence[int]
    weights: Sequence[float]

    def __len__(self) -> int:
        return len(self.positions)

    def weight_at(self, position: int) -> float:
        """The weight in one fact, found by bisection (positions are stored in order)."""
        found = bisect.bisect_left(self.positions, position)
        if found < len(self.positions) and self.positions[found] == position:
            return self.weights[found]
        return 0.0

    def items(self) -> zip[tuple[int, float]]:
        """(position, weight) pairs, in position order."""
        return zip(self.positions, self.weights, strict=True)


NO_POSTINGS = Postings((), ())


class PostingsTable(Mapping[str, Postings]):
    """Every key's postings back to back in two packed arrays, sliced when a question asks.

    One pair of arrays per table rather than per term keeps 100,000 facts' postings in a few
    megabytes, and lets a cache store and load them as raw bytes.
    """

    def __init__(
        self, keys: list[str], starts: array[int], positions: array[int], weights: array[float]
    ) -> None:
        if len(starts) != len(keys) + 1 or not len(positions) == len(weights) == starts[-1]:
            raise ValueError("postings table columns disagree")
        self.keys_in_order = keys
        self.starts = starts
        self.positions = positions
        self.weights = weights
        self._slots = {key: slot for slot, key in enumerate(keys)}
        self._position_view = memoryview(positions)
        self._weight_view = memoryview(weights)

    @classmethod
    def of(cls, keys: list[str], hits: list[tuple[array[int], array[float]]]) -> PostingsTable:
        """Packs per-key (positions, weights) arrays, given in the order of `keys`."""
        starts, positions, weights = array(ID, [0]), array(ID), array("f")
        for key_positions, key_weights in hits:
            positions.extend(key_positions)
            weights.extend(key_weights)
            starts.append(len(positions))
        return cls(keys, starts, positions, weights)

    @classmethod
    def load(cls, state: dict[str, Any], name: str) -> PostingsTable:
        """The table `export(name)` wrote into an index state."""
        return cls(
            state[f"{name}s"],
            state[f"{name}_starts"],
            state[f"{name}_positions"],
            state[f"{name}_weights"],
        )

    def export(self, name: str) -> dict[str, Any]:
        """The table's columns, named for their place in an index state."""
        return {
            f"{name}s": self.keys_in_order,
            f"{name}_starts": self.starts,
            f"{name}_positions": self.positions,
            f"{name}_weights": self.weights,
        }

    def __getitem__(self, key: str) -> Postings:
        slot = self._slots[key]
        start, end = self.starts[slot], self.starts[slot + 1]
        return Postings(self._position_view[start:end], self._weight_view[start:end])

    def find(self, key: str) -> Postings:
        """The key's postings, empty for the many keys a question has that no fact has."""
        return self[key] if key in self._slots else NO_POSTINGS

    def __contains__(self, key: object) -> bool:
        return key in self._slots

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_in_order)

    def __len__(self) -> int:
        return len(self.keys_in_order)

    def check(self, facts: int) -> None:
        """Raises ValueError unless every position names one of this many facts."""
        _check_ids(self.starts, self.positions)
        if self.weights.typecode != "f":
            raise ValueError("postings weights of the wrong type")
        if len(self.positions) and max(self.positions) >= facts:
            raise ValueError("postings name facts that do not exist")

    def counts(self) -> Iterator[tuple[str, int]]:
        """Each key with how many facts it has, without slicing anything."""
        starts = self.starts
        return (
            (key, starts[slot + 1] - starts[slot]) for slot, key in enumerate(self.keys_in_order)
        )


class PostingsBuilder:
    """Collects postings fact by fact, in position order, giving each new key the next slot."""

    def __init__(self) -> None:
        self.slots: dict[str, int] = {}
        self._positions: list[array[int]] = []
        self._weights: list[array[float]] = []

    def add(self, position: int, weights: dict[str, float]) -> None:
        """Records that one fact holds these keys, each with its weight."""
        for key, weight in weights.items():
            slot = self.slots.get(key)
            if slot is None:
                self.slots[key] = len(self._positions)
                self._positions.append(array(ID, (position,)))
                self._weights.append(array("f", (weight,)))
            else:
                self._positions[slot].append(position)
                self._weights[slot].append(weight)

    def table(self) -> PostingsTable:
        return PostingsTable.of(
            list(self.slots), list(zip(self._positions, self._weights, strict=True))
        )


@dataclass(frozen=True, slots=True)
class ProfileColumns:
    """Every fact's phrasings as ids into the term and topic tables, in packed arrays.

    Fact `f` has phrasings `phrasing_starts[f]` up to `phrasing_starts[f + 1]`; phrasing `p` has
    the term ids `terms[term_starts[p]:term_starts[p + 1]]` (each once) and topic ids likewise;
    `kinds[f]` picks the fact's set of answer kinds from a short list. A few bytes a phrasing,
    where objects would cost hundreds.
    """

    phrasing_starts: array[int] = dataclasses.field(default_factory=lambda: array(ID, [0]))
    term_starts: array[int] = dataclasses.field(default_factory=lambda: array(ID, [0]))
    terms: array[int] = dataclasses.field(default_factory=lambda: array(ID))
    topic_starts: array[int] = dataclasses.field(default_factory=lambda: array(ID, [0]))
    topics: array[int] = dataclasses.field(default_factory=lambda: array(ID))
    kinds: array[int] = dataclasses.field(default_factory=lambda: array(ID))

    def phrasings_of(self, fact: int) -> Iterator[tuple[array[int], array[int]]]:
        """Each phrasing of a fact as its term ids and topic ids."""
        for phrasing in range(self.phrasing_starts[fact], self.phrasing_starts[fact + 1]):
            yield (
                self.terms[self.term_starts[phrasing] : self.term_starts[phrasing + 1]],
                self.topics[self.topic_starts[phrasing] : self.topic_starts[phrasing + 1]],
            )

    def check(self, facts: int, terms: int, topics: int, kind_sets: int) -> None:
        """Raises ValueError unless every id points into its table: a damaged cache must fail
        when it is read, not when a question happens to touch the damage."""
        phrasings = len(self.term_starts) - 1
        if len(self.phrasing_starts) != facts + 1 or len(self.kinds) != facts:
            raise ValueError("profile columns do not match the facts")
        if len(self.topic_starts) != phrasings + 1 or self.phrasing_starts[-1] != phrasings:
            raise ValueError("profile columns do not match the phrasings")
        _check_ids(*(getattr(self, f.name) for f in dataclasses.fields(self)))
        for starts, ids, bound in (
            (self.phrasing_starts, range(phrasings), phrasings),
            (self.term_starts, self.terms, terms),
            (self.topic_starts, self.topics, topics),
        ):
            if starts[-1] != len(ids) or not _ascending(starts):
                raise ValueError("profile offsets out of order")
            if len(ids) and max(ids) >= bound:
                raise ValueError("profile ids out of range")
        if facts and max(self.kinds) >= kind_sets:
            raise ValueError("answer kinds out of range")


def _check_ids(*columns: array[int]) -> None:
    """Raises ValueError unless every column holds unsigned ids, as the index writes them."""
    if any(column.typecode != ID for column in columns):
        raise ValueError("index ids of the wrong type")


def _ascending(values: array[int]) -> bool:
    """Whether each value is at least the one before it (at C speed: a million in milliseconds)."""
    return all(map(operator.le, values, itertools.islice(values, 1, None)))


@dataclass(frozen=True, slots=True)
class FactReadings:
    """What reading each fact's texts gave a build, by a digest of those texts, so a later
    build at the same topic names and glossary takes it from here instead of reading again.

    `columns` holds each fact's phrasings and answer kinds as the index packs them; fact `f`'s
    weighed words are `term_ids[term_starts[f]:term_starts[f + 1]]` with `term_weights`, in the
    order reading found them, and the topics it names likewise. Ids index `terms` and `topics`.
    """

    facts: list[str]
    terms: list[str]
    topics: list[str]
    kind_sets: list[list[str]]
    columns: ProfileColumns
    term_starts: array[int]
    term_ids: array[int]
    term_weights: array[float]
    topic_starts: array[int]
    topic_ids: array[int]
    topic_weights: array[float]

    @classmethod
    def empty(cls) -> FactReadings:
        """No readings yet: a build given these reads every fact and gathers its readings."""
        return cls(
            [],
            [],
            [],
            [],
            ProfileColumns(),
            *ForwardBuilder().columns(),
            *ForwardBuilder().columns(),
        )

    @classmethod
    def load(cls, state: dict[str, Any], topics: Collection[str]) -> FactReadings:
        """The readings `export` wrote; raises ValueError unless their columns agree and every
        topic they name is one of these."""
        readings = cls(
            **{f.name: state[f.name] for f in dataclasses.fields(cls) if f.name != "columns"},
            columns=ProfileColumns(
                **{f.name: state[f"profile_{f.name}"] for f in dataclasses.fields(ProfileColumns)}
            ),
        )
        readings.check()
        if not all(topic in topics for topic in readings.topics):
            raise ValueError("readings name topics the knowledge does not have")
        return readings

    def export(self) -> dict[str, Any]:
        """The readings as arrays and lists of strings, for a cache to hold without pickle."""
        state = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        del state["columns"]
        for f in dataclasses.fields(ProfileColumns):
            state[f"profile_{f.name}"] = getattr(self.columns, f.name)
        return state

    def check(self) -> None:
        """Raises ValueError unless every id points into its table, as `ProfileColumns.check`."""
        facts = len(self.facts)
        self.columns.check(facts, len(self.terms), len(self.topics), len(self.kind_sets))
        for starts, ids, weights, bound in (
            (self.term_starts, self.term_ids, self.term_weights, len(self.terms)),
            (self.topic_starts, self.topic_ids, self.topic_weights, len(self.topics)),
        ):
            _check_ids(starts, ids)
            if weights.typecode != "f" or len(weights) != len(ids):
                raise ValueError("readings weights do not match their ids")
            if len(starts) != facts + 1 or starts[-1] != len(ids) or not _ascending(starts):
                raise ValueError("readings offsets out of order")
            if len(ids) and max(ids) >= bound:
                raise ValueError("readings ids out of range")
        names = itertools.chain(self.facts, self.terms, self.topics, *self.kind_sets)
        if not all(isinstance(name, str) for name in names):
            raise ValueError("readings names that are not text")

    def weighed_terms(self, fact: int) -> dict[str, float]:
        """One fact's words with their weights, in the order reading found them."""
        return _weighed(self.terms, self.term_starts, self.term_ids, self.term_weights, fact)

    def weighed_topics(self, fact: int) -> dict[str, float]:
        """The topics one fact names with their strengths, in the order reading found them."""
        return _weighed(self.topics, self.topic_starts, self.topic_ids, self.topic_weights, fact)


def _weighed(
    names: list[str], starts: array[int], ids: array[int], weights: array[float], fact: int
) -> dict[str, float]:
    """One fact's names with their weights, out of per-fact packed columns."""
    start, end = starts[fact], starts[fact + 1]
    return dict(zip(map(names.__getitem__, ids[start:end]), weights[start:end], strict=True))


class ForwardBuilder:
    """Per-fact packed (starts, ids, weights) columns, gathered fact by fact."""

    def __init__(self) -> None:
        self._starts, self._ids, self._weights = array(ID, [0]), array(ID), array("f")

    def add(self, ids: Iterable[int], weights: Iterable[float]) -> None:
        """Records one fact's ids and their weights."""
        self._ids.extend(ids)
        self._weights.extend(weights)
        self._starts.append(len(self._ids))

    def columns(self) -> tuple[array[int], array[int], array[float]]:
        """The (starts, ids, weights) columns gathered so far."""
        return self._starts, self._ids, self._weights
