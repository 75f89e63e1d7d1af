"""Finds the one fact a question asks for, or admits there is none, and says why.

The stages, each in its own module: reading the question (reading.py), finding the facts that
hold its words (retrieval.py), scoring them (scoring.py), and deciding what to say
(decision.py, with the rules about unknown subjects in subjects.py and the calibrated model in
calibration.py), then setting topics side by side when the question compares them
(comparisons.py). This class wires them to one knowledge base.
"""

from __future__ import annotations

import itertools
from concurrent.futures import Executor
from dataclasses import replace

from bot.engine.answers import Answer, AnswerKind, ScoredFact
from bot.engine.asking import question_before_chat
from bot.engine.calibration import Calibration, shipped
from bot.engine.cards import CardChecks, with_card_facts
from bot.engine.comparisons import Comparisons
from bot.engine.decision import RULES_IT_OUT, Decider, MatchSettings, Surface
from bot.engine.features import MatchFeatures
from bot.engine.index import IndexState, KnowledgeIndex, Numbering
from bot.engine.lookup import best_match
from bot.engine.packed import FactReadings
from bot.engine.reading import MAX_QUESTION_TERMS, QuestionReader, Reading, Unit
from bot.engine.retrieval import Retriever
from bot.engine.scoring import CANDIDATES_KEPT, Scorer
from bot.engine.subjects import SubjectCheck
from bot.engine.text import spelled_terms
from bot.knowledge.model import Fact, KnowledgeBase, Topic

MAX_COMPLETION_CHARS = 200
"""Autocomplete reads no further into what is typed: longer input is not a question's start."""
PREFIX_SIMILARITY = 0.85
"""How much a word someone is still typing counts when it is the start of a known term."""


QUESTIONS_CHECKED_KEPT = 16_384
"""Translated questions whose check stays known: every one autocomplete shows in a busy day,
without growing towards one entry per fact and language over a long-running bot's life."""


class Matcher:
    """Answers questions from one knowledge base; build once, ask many times."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        settings: MatchSettings | None = None,
        state: IndexState | None = None,
        calibration: Calibration | None = None,
        readings: FactReadings | None = None,
        checks: CardChecks | None = None,
        numbering: Numbering | None = None,
        executor: Executor | None = None,
    ) -> None:
        """Builds the index, or takes it from a cached state; given readings, a numbering of
        facts in them and card checks, a build reuses them, and given an executor of processes,
        reads many facts there (see KnowledgeIndex and CardChecks)."""
        ahead = KnowledgeIndex.read_ahead(knowledge, readings, executor) if state is None else None
        knowledge = with_card_facts(knowledge, checks)
        self.knowledge = knowledge
        """The knowledge asked, its topics' card rows included as facts."""
        self.settings = settings or MatchSettings()
        self._asks_itself: dict[tuple[str, str], bool] = {}
        self.index = KnowledgeIndex(knowledge, state, readings, numbering, executor, ahead)
        self.reader = QuestionReader(self.index)
        self.retriever = Retriever(self.index)
        self.scorer = Scorer(self.index, self.retriever)
        subjects = SubjectCheck(knowledge, self.index, self.retriever)
        calibration = calibration or shipped()
        self.decider = Decider(knowledge, self.index, subjects, self.settings, calibration)
        self.comparisons = Comparisons(
            knowledge,
            self.reader,
            self.settings,
            lambda reading, surface: self.decider.decide(reading, self.rank(reading), surface),
            lambda units, keep: self.scorer.rank(units, [], keep=keep),
            calibration.when_unsure,
        )

    def ask(self, question: str, surface: Surface = Surface.MENTION) -> Answer:
        """The best answer to a question, a "probably", or an abstention with near misses."""
        return self.answer(self.reader.read(question), surface)

    def answer(self, reading: Reading, surface: Surface = Surface.MENTION) -> Answer:
        """The answer to a question already read, or put together from more than one message.
        A message that asks, then chats on ("whose context is longest? i wanna dump a whole
        repo in"), unanswered whole, is answered by its question alone when that is as sure as
        an automatic channel must be: the chat weighs against every fact, yet asks nothing."""
        answer = self._answer(reading, surface)
        if answer.answered or answer.reason == RULES_IT_OUT:
            return answer  # what follows the question set the answer aside: "? not pro"
        asked = question_before_chat(reading.typed)
        if asked is None:
            return answer
        alone = self._answer(self.reader.read(asked), surface)
        if alone.answered and alone.confidence >= self.settings.automatic_at:
            return replace(alone, question=reading.typed)
        return answer

    def _answer(self, reading: Reading, surface: Surface) -> Answer:
        """The answer to a question read as it is."""
        if not reading.units:
            return Answer(reading.typed, AnswerKind.NONE, 0.0)
        if reading.entities and not reading.residual:
            return self.decider.summary(reading, surface)
        single = self.decider.decide(reading, self.rank(reading), Surface.MENTION)
        return self.comparisons.answer(reading, single, surface)

    def rank(self, reading: Reading, keep: int = CANDIDATES_KEPT) -> list[ScoredFact]:
        """A read question's best candidates, best first."""
        return self.scorer.rank(
            reading.units,
            reading.entities,
            keep=keep,
            kinds=reading.kinds,
            unnamed_subject=reading.unnamed_subject,
        )

    def features(self, question: str) -> tuple[MatchFeatures, list[ScoredFact], str] | None:
        """What the decision weighs for a question, with its candidates and the rule that makes
        it only 'probably', if any; None when there are no candidates or it asks for a summary.
        For fitting and explaining the calibration."""
        reading = self.reader.read(question)
        if not reading.units or (reading.entities and not reading.residual):
            return None
        ranked = self.rank(reading)
        if not ranked:
            return None
        features, _, unsure, _ = self.decider.features(reading, ranked)
        return features, ranked, unsure

    def complete(self, text: str, limit: int = 25) -> list[Fact]:
        """Facts whose questions fit what someone is still typing, best first."""
        spelled = spelled_terms(text[:MAX_COMPLETION_CHARS])[:MAX_QUESTION_TERMS]
        if not spelled:
            return list(itertools.islice(self.knowledge.facts.values(), limit))
        units = self.reader.units(spelled)
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
                units[-1] = Unit(last.typed, self.index.entity_weight, {}, named[0])
            else:
                last.meanings.update(dict.fromkeys(completions, PREFIX_SIMILARITY))
                last.weight = self.reader.weight(spelled[-1][1], last.meanings)
        if not units:
            return list(itertools.islice(self.knowledge.facts.values(), limit))
        entities = [unit.entity for unit in units if unit.entity]
        ranked = self.scorer.rank(units, entities, keep=limit)
        return [item.fact for item in ranked if item.score > 0]

    def question_in(self, fact: Fact, language: str | None) -> str:
        """A fact's question as a reader of a language is offered it to ask: translated when
        asking that gets this very fact, else as written. Worked out once per question."""
        translated = fact.translation(language) if language else None
        if translated is None or translated.question is None:
            return fact.question
        key = (fact.id, translated.question)
        known = self._asks_itself.get(key)
        if known is None:
            if len(self._asks_itself) >= QUESTIONS_CHECKED_KEPT:
                self._asks_itself.clear()
            answer = self.ask(translated.question)
            known = self._asks_itself[key] = answer.answered and answer.fact is fact
        return translated.question if known else fact.question

    def find_topic(self, text: str) -> Topic | None:
        """The topic a short text names: by id, by any name or alias, forgiving typos."""
        topics = self.knowledge.topics
        if text.strip() in topics:
            return topics[text.strip()]
        named = set(self.reader.read(text).entities)
        if len(named) == 1:
            return topics[named.pop()]
        labels = [(name, topic.id) for topic in topics.values() for name in topic.names]
        found = best_match(text, labels)
        return topics[found] if found is not None else None

    def fact_answer(
        self,
        fact: Fact,
        question: str | None = None,
        confidence: float = 1.0,
        matched: tuple[str, ...] = (),
        candidates: tuple[ScoredFact, ...] = (),
    ) -> Answer:
        """A fact as an answer, with its topic and source, e.g. to re-send a shared answer."""
        return self.decider.fact_answer(fact, question, confidence, matched, candidates)

    def comparison_answer(self, facts: list[Fact], question: str | None = None) -> Answer:
        """Facts side by side as a comparison, each with its topic and source, e.g. to re-send
        a shared comparison."""
        compared = tuple(self.fact_answer(fact) for fact in facts)
        asked = " vs ".join(item.topic.name if item.topic else item.question for item in compared)
        return Answer(
            asked if question is None else question,
            AnswerKind.COMPARISON,
            1.0,
            compared=compared,
        )

    def summary_answer(
        self, topic: Topic, question: str | None = None, matched: tuple[str, ...] = ()
    ) -> Answer:
        """A topic's summary as an answer, with its source."""
        return self.decider.summary_answer(topic, question, matched)
