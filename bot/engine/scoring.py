"""Scores the facts that hold a question's words: how much of the question each covers, and how
much of its own phrasing the question covers."""

from __future__ import annotations

import heapq
import operator

from bot.engine.answers import ScoredFact
from bot.engine.cards import is_card_fact
from bot.engine.index import FactProfile, KnowledgeIndex
from bot.engine.reading import Unit
from bot.engine.retrieval import Retriever

CANDIDATES_KEPT = 5
"""The best candidates an answer keeps: for the runner-up, suggestions and explanations."""
MAX_FULLY_SCORED = 256
"""Candidates beyond this many, ranked by how much of the question they hold, are not scored
further: with hundreds of facts holding more of the question, they cannot be the one meant."""
QUESTION_COVERAGE_SHARE = 0.6
"""How much of the score is 'the question's words are in the fact' versus the reverse."""
WRONG_KIND_FACTOR = 0.75
"""A fact that cannot give the kind of answer asked for ("when", "who", "why", "where") is
unlikely to be the one meant, however many words it shares with the question."""
CARD_FACTOR = 0.8
"""A card row's fact has two short phrasings, so it covers a question more easily than a
curated fact; a fact that holds the question about as well says it in full, and wins."""
CARD_UNSAID_KINDS = frozenset({"agent", "time", "place", "reason"})
"""Kinds a card row's made-up phrasings cannot say it gives ("Developer of Kimi?" asks no
"who"), so it is not held against a row; a figure, a day or a rank it must still show."""
UNKNOWN_SUBJECT_FACTOR = 0.75
"""When a question names no known topic but seems to name some other thing, facts about a
particular topic are probably about the wrong one."""


class Scorer:
    """Ranks candidate facts for one index."""

    def __init__(self, index: KnowledgeIndex, retriever: Retriever) -> None:
        self.index = index
        self.retriever = retriever

    def rank(
        self,
        units: list[Unit],
        entities: list[str],
        keep: int,
        kinds: frozenset[str] = frozenset(),
        unnamed_subject: bool = False,
    ) -> list[ScoredFact]:
        """The best `keep` candidates, best first; only facts about the named topics, if any.

        The phrasing part is the costly one, so it is computed best-first, for at most
        MAX_FULLY_SCORED candidates, and only while a candidate could still enter the top `keep`.
        """
        index = self.index
        within = self.retriever.facts_of(entities) if entities else None
        found = self.retriever.accumulate(units, within=within)
        total_weight = sum(unit.weight for unit in units)
        partial = heapq.nlargest(MAX_FULLY_SCORED, found.items(), key=lambda item: item[1][0])
        idf = index.idf
        hit_weights = {term: idf[term] for unit in units for term in unit.meanings if term in idf}
        named = set(entities)
        scored: list[ScoredFact] = []
        floor = -1.0
        for position, (covered, matched) in partial:
            question_part = QUESTION_COVERAGE_SHARE * covered / total_weight
            if question_part + (1 - QUESTION_COVERAGE_SHARE) < floor:
                break
            profile = index.profile(position)
            fact_coverage = self._best_coverage(profile, hit_weights, named)
            score = question_part + (1 - QUESTION_COVERAGE_SHARE) * fact_coverage
            card = is_card_fact(profile.fact)
            missing = kinds - profile.answers_kinds
            fits_kind = not missing or (card and missing <= CARD_UNSAID_KINDS)
            by_name = profile.asked_by_name
            if not fits_kind:
                score *= WRONG_KIND_FACTOR
            if unnamed_subject and by_name:
                score *= UNKNOWN_SUBJECT_FACTOR
            if card:
                score *= CARD_FACTOR
            score = round(score, 4)
            if len(scored) >= keep and (-score, profile.fact.id) > (-floor, scored[-1].fact.id):
                continue  # behind the last of a full list: it would be dropped at once
            scored.append(
                ScoredFact(
                    profile.fact,
                    score,
                    tuple(matched),
                    covered,
                    fits_kind,
                    by_name,
                    profile.asked_only_by_name,
                    profile.asked_by_its_topic,
                )
            )
            if len(scored) >= keep:
                scored.sort(key=lambda item: (-item.score, item.fact.id))
                del scored[keep:]
                floor = scored[-1].score
        scored.sort(key=lambda item: (-item.score, item.fact.id))
        return scored

    def _best_coverage(
        self, profile: FactProfile, hit_weights: dict[str, float], named: set[str]
    ) -> float:
        """The largest share of one phrasing's information (its names included) that the
        question touched. The innermost loop of ranking, so it starts from the question's few
        words: each adds its rarity, the same in every phrasing, to the phrasings that use it."""
        touched = [0.0] * len(profile.totals)
        term_spots = profile.term_spots
        for term, weight in hit_weights.items():
            for spot in term_spots.get(term, ()):
                touched[spot] += weight
        if profile.topic_spots:
            entity_weight = self.index.entity_weight
            for topic in named.intersection(profile.topic_spots):
                for spot in profile.topic_spots[topic]:
                    touched[spot] += entity_weight
        return max(map(operator.truediv, touched, profile.totals), default=0.0)
