"""Finds the one fact a question asks for, or admits there is none, and says why."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bot.engine.index import IndexState, KnowledgeIndex, Phrasing
from bot.engine.lookup import best_match
from bot.engine.packed import NO_POSTINGS, Postings
from bot.engine.text import (
    OVERVIEW_WORDS,
    asked_kinds,
    is_cjk,
    is_number,
    is_small_number,
    spelled_terms,
)
from bot.engine.typos import is_misspelt_stopword
from bot.knowledge.model import Fact, KnowledgeBase, Source, Topic

MAX_QUESTION_TERMS = 48
"""Past this many terms a message is chatter, not a question; the rest is ignored."""

MAX_COMPLETION_CHARS = 200
NAMED_TOPIC_SHARE = 0.5
ELSEWHERE_LEAD = 0.25
"""When the named topic's facts hold less than half of what else a question asks, and another
topic's facts hold a quarter more of it, the question is about something not curated."""
UNKNOWN_SUBJECT_FACTOR = 0.75
"""When a question names no known topic but seems to name some other thing, facts about a
particular topic are probably about the wrong one."""
LOOKUP_ABOVE = 1_000
"""Postings shorter than this are always read whole; only longer ones switch to look-ups."""
SCAN_PER_LOOKUP = 10
"""Reading a posting in a pass costs about a tenth of looking one fact up, so the facts in
question are looked up one by one only in postings more than this many times longer."""
CANDIDATES_KEPT = 5
MAX_FULLY_SCORED = 256
"""Candidates beyond this many, ranked by how much of the question they hold, are not scored
further: with hundreds of facts holding more of the question, they cannot be the one meant."""
WRONG_KIND_FACTOR = 0.75
"""A fact that cannot give the kind of answer asked for ("when", "who", "why", "where") is
unlikely to be the one meant, however many words it shares with the question."""
"""The best candidates an answer keeps: for the runner-up, suggestions and explanations."""
TYPO_SIMILARITY = {1: 0.9, 2: 0.8}
PREFIX_SIMILARITY = 0.85
"""How much a word someone is still typing counts when it is the start of a known term."""
UNKNOWN_CJK_SHARE = 0.5
"""A run of unknown CJK character pairs counts as one unknown word, discounted: pairs that
straddle two words are unknown even when both words are known."""
UNKNOWN_LATIN_SHARE = 1.0
"""An unknown word weighs as much as the rarest known one: it may be what the question is about."""
SMALL_NUMBER_SHARE = 0.4
"""Single digits are everywhere ("2 months", "GLM-5"); alone they prove little."""
MIN_ABBREVIATION = 4
MAX_ABBREVIATION_READINGS = 3
ABBREVIATION_SIMILARITY = 0.8
MIN_EVIDENCE_SHARE = 0.55
"""An answer needs matched words worth at least this share of the rarest term's weight, so a
lone common word or digit never answers, however well it covers a short question."""
QUESTION_COVERAGE_SHARE = 0.6
"""How much of the score is 'the question's words are in the fact' versus the reverse."""


class AnswerKind(StrEnum):
    """What kind of reply a question gets."""

    FACT = "fact"
    SUMMARY = "summary"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """When the matcher trusts its best candidate enough to answer."""

    threshold: float = 0.5
    margin: float = 0.06
    suggestion_floor: float = 0.3
    max_suggestions: int = 3


@dataclass(frozen=True, slots=True)
class ScoredFact:
    """A candidate fact with its score, for suggestions and for explaining a decision."""

    fact: Fact
    score: float
    matched: tuple[str, ...]
    evidence: float = 0.0


@dataclass(frozen=True, slots=True)
class Answer:
    """The matcher's decision on one question, with what a curator needs to judge it."""

    question: str
    kind: AnswerKind
    confidence: float
    fact: Fact | None = None
    topic: Topic | None = None
    source: Source | None = None
    suggestions: tuple[Fact, ...] = ()
    matched: tuple[str, ...] = ()
    candidates: tuple[ScoredFact, ...] = field(default=(), repr=False)

    @property
    def answered(self) -> bool:
        """Whether there is something to say."""
        return self.kind is not AnswerKind.NONE

    @property
    def text(self) -> str:
        """The reply itself: the fact's answer or the topic's summary."""
        if self.fact is not None:
            return self.fact.answer
        return self.topic.summary if self.topic is not None else ""


def is_version(word: str) -> bool:
    """A number that reads like a model version (5, 3.5), not a year or a figure."""
    return is_number(word) and len(word.split(".")[0]) <= 2


def _names_something_unknown(units: list[_Unit]) -> bool:
    """Whether a question seems to name something the knowledge has no topic for: a long word
    it has never seen ("gemini"), or a word followed by a version number ("gpt 5")."""
    for unit, following in zip(units, [*units[1:], None], strict=True):
        if unit.entity is not None or is_cjk(unit.typed):
            continue
        if not unit.meanings and len(unit.typed) >= MIN_ABBREVIATION:
            return True
        versioned = following is not None and is_version(following.typed)
        if versioned and not is_number(unit.typed) and following.entity is None:
            return True
    return False


def _strength(readings: list[tuple[Postings, float]], position: int) -> float:
    """How strongly one fact holds a word: its best reading's weight there."""
    best = 0.0
    for postings, similarity in readings:
        best = max(best, similarity * postings.weight_at(position))
    return best


def _is_unknown_cjk(unit: _Unit) -> bool:
    return unit.entity is None and not unit.meanings and is_cjk(unit.typed)


@dataclass(slots=True)
class _Unit:
    """One thing the question says: an entity, or a word with the vocabulary terms it may mean."""

    typed: str
    weight: float
    meanings: dict[str, float]
    entity: str | None = None


class Matcher:
    """Answers questions from one knowledge base; build once, ask many times."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        settings: MatchSettings | None = None,
        state: IndexState | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.settings = settings or MatchSettings()
        self.index = KnowledgeIndex(knowledge, state)
        self._entity_weight = self.index.entity_weight
        self._min_evidence = self.index.max_idf * MIN_EVIDENCE_SHARE
        self._heaviest_weights: dict[str, float] = {}

    def ask(self, question: str) -> Answer:
        """The best answer to a question, or an abstention with near misses."""
        units = self._units(spelled_terms(question)[:MAX_QUESTION_TERMS])
        if not units:
            return Answer(question, AnswerKind.NONE, 0.0)
        entities = [unit.entity for unit in units if unit.entity]
        residual = [unit for unit in units if not unit.entity]
        if entities and not residual:
            return self._summary(question, entities, units)
        ranked = self._rank(
            units,
            entities,
            keep=CANDIDATES_KEPT,
            kinds=asked_kinds(question),
            unnamed_subject=not entities and _names_something_unknown(units),
        )
        if entities and (
            self._names_an_unknown_model(units)
            or self._asked_of_someone_else(residual, set(entities))
        ):
            return self._decide(question, ranked, abstain=True)
        return self._decide(question, ranked)

    def _names_an_unknown_model(self, units: list[_Unit]) -> bool:
        """Whether a named topic's name goes on into a model the knowledge lacks: a version after
        a bare family name, perhaps after a letter ("Orion 99", "Kimi K9", where Orion is
        Orion-8), or after a model's name a word the knowledge only uses in other names
        ("Orion-8 Nano", where only Vega has a Nano). What the topic's own names or facts hold
        ("Qwen Max", "Qwen 35 hours") is about the topic, not another model.
        """
        for at, unit in enumerate(units[:-1]):
            following = units[at + 1]
            if unit.entity is None or following.entity is not None:
                continue
            after = units[at + 2] if at + 2 < len(units) else None
            if len(following.typed) == 1 and after is not None and is_version(after.typed):
                following = after
            if self._said_of(unit.entity, following):
                continue
            if is_version(following.typed) and not is_number(unit.typed.split()[-1]):
                return True
            if (
                following.meanings
                and not is_number(following.typed)
                and not any(term in self.index.postings for term in following.meanings)
            ):
                return True
        return False

    def _said_of(self, topic_id: str, unit: _Unit) -> bool:
        """Whether a word is in one of a topic's names or in one of its facts."""
        readings = {unit.typed, *unit.meanings}
        names = self.knowledge.topics[topic_id].names
        if any(term in readings for name in names for _, term in spelled_terms(name)):
            return True
        facts = self.index.facts_by_entity.get(topic_id, NO_POSTINGS).positions
        return any(_strength(self._postings_of(unit), position) for position in facts)

    def _asked_of_someone_else(self, residual: list[_Unit], entities: set[str]) -> bool:
        """Whether the knowledge has what is asked, but about another topic than the one named.

        "How much did GLM cost to train?" shares 'train' and 'cost' with DeepSeek's facts and
        nothing with GLM's: the honest answer is that the knowledge does not say.
        """
        wanted = sum(unit.weight for unit in residual)
        named = {
            p
            for topic_id in entities
            for p in self.index.facts_by_entity.get(topic_id, NO_POSTINGS).positions
        }
        covered = self._accumulate(residual, within=named)
        best_named = max((c for c, _ in covered.values()), default=0.0)
        if best_named >= wanted * NAMED_TOPIC_SHARE:
            return False
        return self._held_elsewhere(residual, best_named + wanted * ELSEWHERE_LEAD, named)

    def _held_elsewhere(self, units: list[_Unit], bar: float, excluded: set[int]) -> bool:
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
                key=self._postings_count,
            )
            for other in needed:
                if self._postings_count(other) > SCAN_PER_LOOKUP * len(candidates):
                    break
                candidates.intersection_update(self._holders(other))
            if self._any_reaches(ordered[turn:], candidates, bar):
                return True
            ruled_out.update(self._holders(unit))
            left -= ceilings[turn]
        return False

    def _any_reaches(self, units: list[_Unit], facts: set[int], bar: float) -> bool:
        """Whether any of these facts holds words worth `bar`: one fact at a time, so the first
        to reach it ends the search, until the look-ups have cost what a single pass over the
        words' postings would; then that pass, for the facts left.
        """
        words = [(unit.weight, self._postings_of(unit), self._ceiling(unit)) for unit in units]
        most = sum(ceiling for _, _, ceiling in words)
        affordable = sum(map(self._postings_count, units)) // SCAN_PER_LOOKUP // len(units)
        queue = list(facts)
        for position in queue[: affordable + 1]:
            reach = most
            for weight, readings, ceiling in words:
                reach -= ceiling - weight * _strength(readings, position)
                if reach < bar:
                    break
            else:
                return True
        rest = set(queue[affordable + 1 :])
        covered = self._accumulate(units, within=rest) if rest else {}
        return any(share >= bar for share, _ in covered.values())

    def _holders(self, unit: _Unit) -> Iterator[int]:
        """The facts holding any reading of a word (a fact holding two is given twice)."""
        return itertools.chain.from_iterable(
            postings.positions for postings, _ in self._postings_of(unit)
        )

    def _ceiling(self, unit: _Unit) -> float:
        """The most a word (never a name) can add to any one fact's share of the question."""
        return unit.weight * max(
            (similarity * self._heaviest(term) for term, similarity in unit.meanings.items()),
            default=0.0,
        )

    def _heaviest(self, term: str) -> float:
        """A term's largest weight in any fact, remembered: finding it reads the whole list."""
        heaviest = self._heaviest_weights.get(term)
        if heaviest is None:
            weights = self.index.postings.get(term, NO_POSTINGS).weights
            heaviest = self._heaviest_weights[term] = max(weights, default=0.0)
        return heaviest

    def _accumulate(
        self, units: list[_Unit], within: set[int] | None = None
    ) -> dict[int, tuple[float, list[str]]]:
        """Term at a time over the postings: each fact's share of the question's weight, and the
        words it holds, touching no fact that holds none of them (or is outside `within`).

        Rarest words go first. A word held by far more facts than are in play is then only looked
        up for those facts: all of `within`, which must each get every word they hold, or else
        the facts found so far, since a fact holding nothing but a very common word ('score',
        'price') cannot beat the facts that hold the question's rarer words.
        """
        found: dict[int, tuple[float, list[str]]] = {}
        for unit in sorted(units, key=self._postings_count):
            best: dict[int, float] = {}
            for postings, similarity in self._postings_of(unit):
                if within is not None and len(postings) > SCAN_PER_LOOKUP * len(within):
                    hits = ((p, w) for p in within if (w := postings.weight_at(p)))
                elif within is not None:
                    hits = ((p, w) for p, w in postings.items() if p in within)
                elif found and len(postings) > max(LOOKUP_ABOVE, 4 * len(found)):
                    hits = ((p, w) for p in found if (w := postings.weight_at(p)))
                else:
                    hits = postings.items()
                for position, weight in hits:
                    if similarity * weight > best.get(position, 0.0):
                        best[position] = similarity * weight
            for position, strength in best.items():
                covered, matched = found.get(position, (0.0, []))
                matched.append(unit.typed)
                found[position] = (covered + unit.weight * strength, matched)
        return found

    def _postings_of(self, unit: _Unit) -> list[tuple[Postings, float]]:
        """The postings a unit reads, each with how sure the reading is."""
        if unit.entity is not None:
            return [(self.index.facts_by_entity.get(unit.entity, NO_POSTINGS), 1.0)]
        return [
            (self.index.postings.get(term, NO_POSTINGS), similarity)
            for term, similarity in unit.meanings.items()
        ]

    def _postings_count(self, unit: _Unit) -> int:
        return sum(len(postings) for postings, _ in self._postings_of(unit))

    def complete(self, text: str, limit: int = 25) -> list[Fact]:
        """Facts whose questions fit what someone is still typing, best first."""
        spelled = spelled_terms(text[:MAX_COMPLETION_CHARS])[:MAX_QUESTION_TERMS]
        if not spelled:
            return list(itertools.islice(self.knowledge.facts.values(), limit))
        units = self._units(spelled)
        last = units[-1] if units else None
        if last is not None and last.entity is None and not text[-1:].isspace():
            completions = self.index.completions(spelled[-1][1])
            named = [
                name.topic_id
                for term in completions
                for name in self.index.names_starting_with(term)
                if len(name.terms) == 1
            ]
            if named:
                units[-1] = _Unit(last.typed, self._entity_weight, {}, named[0])
            else:
                last.meanings.update(dict.fromkeys(completions, PREFIX_SIMILARITY))
                last.weight = self._weight(spelled[-1][1], last.meanings)
        if not units:
            return list(itertools.islice(self.knowledge.facts.values(), limit))
        entities = [unit.entity for unit in units if unit.entity]
        return [item.fact for item in self._rank(units, entities, keep=limit) if item.score > 0]

    def find_topic(self, text: str) -> Topic | None:
        """The topic a short text names: by id, by any name or alias, forgiving typos."""
        topics = self.knowledge.topics
        if text.strip() in topics:
            return topics[text.strip()]
        named = {unit.entity for unit in self._units(spelled_terms(text)) if unit.entity}
        if len(named) == 1:
            return topics[named.pop()]
        labels = [(name, topic.id) for topic in topics.values() for name in topic.names]
        found = best_match(text, labels)
        return topics[found] if found is not None else None

    def _units(self, spelled: Sequence[tuple[str, str]]) -> list[_Unit]:
        """The question as entities and weighted words, minus words asking for an overview."""
        meanings = [self._meanings(term) for _, term in spelled]
        units: list[_Unit] = []
        seen: set[str] = set()
        position = 0
        while position < len(spelled):
            entity = self._entity_at(meanings, position)
            if entity is not None:
                topic_id, length = entity
                typed = " ".join(word for word, _ in spelled[position : position + length])
                unit = _Unit(typed, self._entity_weight, {}, topic_id)
                position += length
            else:
                (word, term), known = spelled[position], meanings[position]
                position += 1
                if not known and (word in OVERVIEW_WORDS or is_misspelt_stopword(word)):
                    continue
                previous = units[-1] if units else None
                if not known and is_cjk(term) and previous and _is_unknown_cjk(previous):
                    previous.typed += term[-1]
                    continue
                unit = _Unit(word, self._weight(term, known), known)
            identity = unit.entity or unit.typed
            if identity not in seen:
                seen.add(identity)
                units.append(unit)
        return units

    def _meanings(self, word: str) -> dict[str, float]:
        """The vocabulary terms a typed word may stand for, with how sure that reading is.

        Exact first; then typos; then, for a word of four letters or more that is the start of
        just a few known terms, those terms, since people abbreviate ("arch", "params").
        """
        if word in self.index.vocabulary:
            return {word: 1.0}
        typos = self.index.typos.candidates(word)
        if typos:
            return {term: TYPO_SIMILARITY[distance] for term, distance in typos}
        if len(word) >= MIN_ABBREVIATION and not is_number(word) and not is_cjk(word):
            expansions = self.index.completions(word, limit=MAX_ABBREVIATION_READINGS + 1)
            if len(expansions) <= MAX_ABBREVIATION_READINGS:
                return dict.fromkeys(expansions, ABBREVIATION_SIMILARITY)
        return {}

    def _weight(self, word: str, meanings: dict[str, float]) -> float:
        """How much a word says: rare terms say more; unknown words count against every fact."""
        if meanings:
            weight = max(self.index.idf.get(term, self.index.max_idf) for term in meanings)
            return weight * SMALL_NUMBER_SHARE if is_small_number(word) else weight
        share = UNKNOWN_CJK_SHARE if is_cjk(word) else UNKNOWN_LATIN_SHARE
        return self.index.max_idf * share

    def _entity_at(self, meanings: list[dict[str, float]], start: int) -> tuple[str, int] | None:
        """The longest topic name that starts at a position, allowing typos in each word."""
        best: tuple[str, int] | None = None
        for first in meanings[start]:
            for name in self.index.names_starting_with(first):
                length = len(name.terms)
                if best is not None and length <= best[1]:
                    continue
                window = meanings[start : start + length]
                if len(window) == length and all(
                    term in options for term, options in zip(name.terms, window, strict=True)
                ):
                    best = (name.topic_id, length)
        return best

    def _rank(
        self,
        units: list[_Unit],
        entities: list[str],
        keep: int,
        kinds: frozenset[str] = frozenset(),
        unnamed_subject: bool = False,
    ) -> list[ScoredFact]:
        """The best `keep` candidates, scored by how much of the question they cover and how
        much of their own phrasing the question covers.

        The second part is the costly one, so it is computed best-first, for at most
        MAX_FULLY_SCORED candidates, and only while a candidate could still enter the top `keep`.
        """
        index = self.index
        allowed = {
            p
            for topic_id in entities
            for p in index.facts_by_entity.get(topic_id, NO_POSTINGS).positions
        }
        found = self._accumulate(units, within=allowed if entities else None)
        total_weight = sum(unit.weight for unit in units)
        partial = heapq.nlargest(MAX_FULLY_SCORED, found.items(), key=lambda item: item[1][0])
        hit_terms = {term for unit in units for term in unit.meanings}
        named = set(entities)
        scored: list[ScoredFact] = []
        floor = -1.0
        for position, (covered, matched) in partial:
            question_part = QUESTION_COVERAGE_SHARE * covered / total_weight
            if question_part + (1 - QUESTION_COVERAGE_SHARE) < floor:
                break
            profile = index.profile(position)
            fact_coverage = self._best_coverage(profile.phrasings, hit_terms, named)
            score = question_part + (1 - QUESTION_COVERAGE_SHARE) * fact_coverage
            if not kinds <= profile.answers_kinds:
                score *= WRONG_KIND_FACTOR
            if unnamed_subject and profile.asked_by_name:
                score *= UNKNOWN_SUBJECT_FACTOR
            score = round(score, 4)
            scored.append(ScoredFact(profile.fact, score, tuple(matched), covered))
            if len(scored) >= keep:
                scored.sort(key=lambda item: (-item.score, item.fact.id))
                del scored[keep:]
                floor = scored[-1].score
        scored.sort(key=lambda item: (-item.score, item.fact.id))
        return scored

    def _best_coverage(
        self, phrasings: Sequence[Phrasing], hit_terms: set[str], named: set[str]
    ) -> float:
        """The largest share of one phrasing's information (its names included) that the
        question touched. The innermost loop of ranking, so written out rather than as calls."""
        entity_weight = self._entity_weight
        best = 0.0
        for phrasing in phrasings:
            touched = 0.0
            for term, weight in zip(phrasing.terms, phrasing.weights, strict=True):
                if term in hit_terms:
                    touched += weight
            if phrasing.entities:
                touched += entity_weight * len(phrasing.entities & named)
            if touched > best * phrasing.total:
                best = touched / phrasing.total
        return best

    def _decide(self, question: str, ranked: list[ScoredFact], abstain: bool = False) -> Answer:
        """Answers only with a confident best candidate that clearly leads the runner-up."""
        settings = self.settings
        if not ranked:
            return Answer(question, AnswerKind.NONE, 0.0)
        best = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        top = tuple(ranked)
        confident = best.score >= settings.threshold and best.evidence >= self._min_evidence
        if confident and best.score - runner_up >= settings.margin and not abstain:
            return self.fact_answer(
                best.fact, question, best.score, matched=best.matched, candidates=top
            )
        suggestions = tuple(
            item.fact
            for item in ranked[: settings.max_suggestions]
            if item.score >= settings.suggestion_floor
        )
        return Answer(
            question,
            AnswerKind.NONE,
            best.score,
            suggestions=suggestions,
            matched=best.matched,
            candidates=top,
        )

    def _summary(self, question: str, entities: list[str], units: list[_Unit]) -> Answer:
        """A topic's summary, when the question names one topic and asks nothing more specific."""
        distinct = list(dict.fromkeys(entities))
        if len(distinct) != 1:
            return Answer(question, AnswerKind.NONE, 0.0, matched=tuple(u.typed for u in units))
        topic = self.knowledge.topics[distinct[0]]
        return self.summary_answer(topic, question, matched=tuple(unit.typed for unit in units))

    def fact_answer(
        self,
        fact: Fact,
        question: str | None = None,
        confidence: float = 1.0,
        matched: tuple[str, ...] = (),
        candidates: tuple[ScoredFact, ...] = (),
    ) -> Answer:
        """A fact as an answer, with its topic and source, e.g. to re-send a shared answer."""
        return Answer(
            fact.question if question is None else question,
            AnswerKind.FACT,
            confidence,
            fact=fact,
            topic=self.knowledge.topic_of(fact),
            source=self.knowledge.source_of(fact),
            matched=matched,
            candidates=candidates,
        )

    def summary_answer(
        self, topic: Topic, question: str | None = None, matched: tuple[str, ...] = ()
    ) -> Answer:
        """A topic's summary as an answer, with its source."""
        return Answer(
            topic.name if question is None else question,
            AnswerKind.SUMMARY,
            1.0,
            topic=topic,
            source=self.knowledge.source_of(topic),
            matched=matched,
        )
