"""The packed arrays the index keeps postings and phrasings in: compact, and raw bytes to cache."""

from __future__ import annotations

import bisect
import collections
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

    def bounds(self, key: str) -> tuple[int, int]:
        """Where the key's postings start and end in the packed arrays (nowhere if it has none)."""
        slot = self._slots.get(key)
        return (0, 0) if slot is None else (self.starts[slot], self.starts[slot + 1])

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


class WeighedRows:
    """Ids with a weight each, row by row in packed arrays: row `r` is `ids[starts[r]:starts[r +
    1]]`. A fact's words or topics as read, before they are turned into postings."""

    def __init__(
        self,
        starts: array[int] | None = None,
        ids: array[int] | None = None,
        weights: array[float] | None = None,
    ) -> None:
        self.starts = array(ID, [0]) if starts is None else starts
        self.ids = array(ID) if ids is None else ids
        self.weights = array("f") if weights is None else weights

    def add(self, ids: Iterable[int], weights: Iterable[float]) -> None:
        """Appends one row."""
        self.ids.extend(ids)
        self.weights.extend(weights)
        self.starts.append(len(self.ids))

    def copy(
        self, source: WeighedRows, first: int, end: int, ids: Sequence[int] | None = None
    ) -> None:
        """Appends rows `first` up to `end` of another, each id unchanged or, given `ids`,
        replaced by `ids[id]`."""
        _copy_rows(self.starts, self.ids, source.starts, source.ids, first, end, ids)
        self.weights.extend(source.weights[source.starts[first] : source.starts[end]])

    def row(self, row: int) -> array[int]:
        """The ids of one row."""
        return self.ids[self.starts[row] : self.starts[row + 1]]

    def first_seen(self) -> dict[int, int]:
        """Each id's slot, in the order ids first come row by row: the order a build gives."""
        return dict(zip(dict.fromkeys(self.ids), itertools.count()))

    def remapped(self, slots: dict[int, int]) -> WeighedRows:
        """The same rows with each id replaced by its slot."""
        return WeighedRows(self.starts, _remapped(self.ids, slots), self.weights)

    def inverted(self, keys: list[str]) -> PostingsTable:
        """The rows (each id once a row) as postings: for each id, the rows holding it in
        order, with its weight in each; `keys` names the ids."""
        counts = collections.Counter(self.ids)
        starts = array(
            ID, itertools.accumulate(map(counts.__getitem__, range(len(keys))), initial=0)
        )
        positions, weights = array(ID, [0]) * len(self.ids), array("f", [0.0]) * len(self.ids)
        fill = list(starts)
        rows = itertools.chain.from_iterable(
            map(
                itertools.repeat, itertools.count(), map(operator.sub, self.starts[1:], self.starts)
            )
        )
        for row, slot, weight in zip(rows, self.ids, self.weights, strict=True):
            at = fill[slot]
            positions[at] = row
            weights[at] = weight
            fill[slot] = at + 1
        return PostingsTable(keys, starts, positions, weights)

    def patched(
        self, keys: list[str], earlier: PostingsTable, changed: Sequence[int], held: Iterable[str]
    ) -> PostingsTable:
        """The rows as postings, as `inverted` gives them, from the postings of earlier rows at
        the same positions, which differ from these only at rows `changed` (whose earlier rows
        held the keys `held`): those keys and the ones the changed rows hold now are gathered
        afresh, every other key's postings copied as they were."""
        fresh: dict[int, list[tuple[int, float]]] = {}
        for row in changed:
            for at in range(self.starts[row], self.starts[row + 1]):
                fresh.setdefault(self.ids[at], []).append((row, self.weights[at]))
        slots = dict(zip(keys, itertools.count()))
        touched = set(fresh).union(slots[key] for key in held if key in slots)
        gone = set(changed)
        starts, positions, weights = array(ID, [0]), array(ID), array("f")
        for slot, key in enumerate(keys):
            start, end = earlier.bounds(key)
            if slot in touched:
                kept = zip(earlier.positions[start:end], earlier.weights[start:end], strict=True)
                entries = sorted([*(e for e in kept if e[0] not in gone), *fresh.get(slot, ())])
                positions.extend(position for position, _ in entries)
                weights.extend(weight for _, weight in entries)
            else:
                positions.extend(earlier.positions[start:end])
                weights.extend(earlier.weights[start:end])
            starts.append(len(positions))
        return PostingsTable(keys, starts, positions, weights)

    def export(self, name: str) -> dict[str, Any]:
        """The columns, named for their place in a state."""
        return {
            f"{name}_starts": self.starts,
            f"{name}_ids": self.ids,
            f"{name}_weights": self.weights,
        }

    @classmethod
    def load(cls, state: dict[str, Any], name: str) -> WeighedRows:
        """The rows `export(name)` wrote."""
        return cls(state[f"{name}_starts"], state[f"{name}_ids"], state[f"{name}_weights"])

    def check(self, rows: int, bound: int) -> None:
        """Raises ValueError unless there are this many rows, in order, of ids below `bound`."""
        _check_ids(self.starts, self.ids)
        if self.weights.typecode != "f" or len(self.weights) != len(self.ids):
            raise ValueError("weights do not match their ids")
        if len(self.starts) != rows + 1 or self.starts[-1] != len(self.ids):
            raise ValueError("rows do not match")
        if not _ascending(self.starts):
            raise ValueError("row offsets out of order")
        if len(self.ids) and max(self.ids) >= bound:
            raise ValueError("ids out of range")


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

    @classmethod
    def load(cls, state: dict[str, Any]) -> ProfileColumns:
        """The columns `export` wrote into a state."""
        return cls(**{f.name: state[f"profile_{f.name}"] for f in dataclasses.fields(cls)})

    def export(self) -> dict[str, Any]:
        """The columns, named for their place in a state."""
        return {f"profile_{f.name}": getattr(self, f.name) for f in dataclasses.fields(self)}

    def add(self, phrasings: Iterable[tuple[Iterable[int], Iterable[int]]], kind: int) -> None:
        """Appends one fact: each phrasing's term ids and topic ids, and its answer kinds' id."""
        for term_ids, topic_ids in phrasings:
            self.terms.extend(term_ids)
            self.term_starts.append(len(self.terms))
            self.topics.extend(topic_ids)
            self.topic_starts.append(len(self.topics))
        self.phrasing_starts.append(len(self.term_starts) - 1)
        self.kinds.append(kind)

    def copy(
        self,
        source: ProfileColumns,
        first: int,
        end: int,
        ids: tuple[Sequence[int], Sequence[int], Sequence[int]] | None = None,
    ) -> None:
        """Appends facts `first` up to `end` of other columns, each id unchanged or, given
        `ids` (for terms, topics and kinds), replaced by what they hold at it."""
        terms, topics, kinds = ids or (None, None, None)
        start, stop = source.phrasing_starts[first], source.phrasing_starts[end]
        shift = len(self.term_starts) - 1 - start
        self.phrasing_starts.extend(map(shift.__add__, source.phrasing_starts[first + 1 : end + 1]))
        _copy_rows(
            self.term_starts, self.terms, source.term_starts, source.terms, start, stop, terms
        )
        _copy_rows(
            self.topic_starts, self.topics, source.topic_starts, source.topics, start, stop, topics
        )
        copied = source.kinds[first:end]
        self.kinds.extend(copied if kinds is None else map(kinds.__getitem__, copied))

    def remapped(
        self, terms: dict[int, int], topics: dict[int, int], kinds: dict[int, int]
    ) -> ProfileColumns:
        """The same columns with each term, topic and kinds id replaced by its slot."""
        return dataclasses.replace(
            self,
            terms=_remapped(self.terms, terms),
            topics=_remapped(self.topics, topics),
            kinds=_remapped(self.kinds, kinds),
        )

    def share_naming_a_topic(self) -> float:
        """The share of all phrasings that name a topic (0 for none)."""
        starts = self.topic_starts
        named = sum(map(operator.lt, starts, itertools.islice(starts, 1, None)))
        return named / (len(starts) - 1) if len(starts) > 1 else 0.0

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


def _remapped(ids: array[int], slots: dict[int, int]) -> array[int]:
    """The ids replaced by their slots; the same array when every id is its own slot, as in a
    build that read every fact, which then copies nothing."""
    if all(map(operator.eq, slots, slots.values())):
        return ids
    return array(ID, map(slots.__getitem__, ids))


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

    Fact `f` is `facts[f]`; `columns` holds its phrasings and answer kinds as the index packs
    them, `weighed_terms` row `f` its words with their weights and `weighed_topics` the topics
    it names with their strengths, each in the order reading found them. Ids index `terms`,
    `topics` and `kind_sets`. `serial` names these readings (empty for none), new each time
    readings are written, so a numbering of facts in them is never taken for one in others.
    """

    facts: list[str]
    terms: list[str]
    topics: list[str]
    kind_sets: list[list[str]]
    columns: ProfileColumns
    weighed_terms: WeighedRows
    weighed_topics: WeighedRows
    serial: str = ""

    @classmethod
    def empty(cls) -> FactReadings:
        """No readings yet: a build given these reads every fact and gathers its readings."""
        return cls([], [], [], [], ProfileColumns(), WeighedRows(), WeighedRows())

    @classmethod
    def load(cls, state: dict[str, Any], topics: Collection[str]) -> FactReadings:
        """The readings `export` wrote; raises ValueError unless their columns agree and every
        topic they name is one of these."""
        readings = cls(
            state["facts"],
            state["terms"],
            state["topics"],
            state["kind_sets"],
            ProfileColumns.load(state),
            WeighedRows.load(state, "term"),
            WeighedRows.load(state, "topic"),
            state["serial"],
        )
        readings.check()
        if not all(topic in topics for topic in readings.topics):
            raise ValueError("readings name topics the knowledge does not have")
        return readings

    def export(self) -> dict[str, Any]:
        """The readings as arrays and lists of strings, for a cache to hold without pickle."""
        return {
            "facts": self.facts,
            "terms": self.terms,
            "topics": self.topics,
            "kind_sets": self.kind_sets,
            **self.columns.export(),
            **self.weighed_terms.export("term"),
            **self.weighed_topics.export("topic"),
            "serial": self.serial,
        }

    def check(self) -> None:
        """Raises ValueError unless every id points into its table, as `ProfileColumns.check`."""
        facts = len(self.facts)
        self.columns.check(facts, len(self.terms), len(self.topics), len(self.kind_sets))
        self.weighed_terms.check(facts, len(self.terms))
        self.weighed_topics.check(facts, len(self.topics))
        names = itertools.chain(self.facts, self.terms, self.topics, *self.kind_sets, [self.serial])
        if not all(isinstance(name, str) for name in names):
            raise ValueError("readings names that are not text")


def _copy_rows(
    starts: array[int],
    ids: array[int],
    source_starts: array[int],
    source_ids: array[int],
    first: int,
    end: int,
    translation: Sequence[int] | None = None,
) -> None:
    """Appends rows `first` up to `end` of other packed rows, their offsets shifted to fit and,
    given a translation, each id replaced by what it holds at that id."""
    begin = source_starts[first]
    shift = len(ids) - begin
    starts.extend(map(shift.__add__, source_starts[first + 1 : end + 1]))
    copied = source_ids[begin : source_starts[end]]
    ids.extend(copied if translation is None else map(translation.__getitem__, copied))
