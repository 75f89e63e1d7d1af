"""The four ways of finding a fact that the benchmark compares.

Each engine is built from a loaded KnowledgeBase. Footnote and the exact-match floor answer a
question with a fact id, or None when they abstain; the baselines that rank by a score return
their top fact with its score, and abstain below a cutoff tuned on a separate split.
"""

from __future__ import annotations

import gc
import re
from abc import ABC, abstractmethod

from rapidfuzz import fuzz, process, utils

from bot.engine import AnswerKind, Matcher
from bot.knowledge import KnowledgeBase


class Engine(ABC):
    """Something that turns a question into a fact id, or None to stay quiet."""

    @abstractmethod
    def __init__(self, knowledge: KnowledgeBase) -> None:
        """Builds what the engine needs from the knowledge: the timed 'index build'."""

    @abstractmethod
    def ask(self, question: str) -> str | None:
        """The id of the fact that answers the question, or None."""


class Footnote(Engine):
    """Footnote's own matcher, with its shipped settings."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.matcher = Matcher(knowledge)
        gc.freeze()  # as bot.library.open_knowledge does for the CLI and the bot

    def ask(self, question: str) -> str | None:
        """The fact answered; a topic summary counts as an answer, just not a fact."""
        answer = self.matcher.ask(question)
        if answer.kind is AnswerKind.FACT and answer.fact is not None:
            return answer.fact.id
        if answer.kind is AnswerKind.SUMMARY and answer.topic is not None:
            return f"topic:{answer.topic.id}"
        return None


def _phrasings(knowledge: KnowledgeBase) -> tuple[list[str], list[str]]:
    """Every `question` and `also` string, with the id of the fact each belongs to."""
    texts: list[str] = []
    owners: list[str] = []
    for fact in knowledge.facts.values():
        for text in fact.phrasings:
            texts.append(text)
            owners.append(fact.id)
    return texts, owners


class ScoredEngine(ABC):
    """A baseline that ranks phrasings by a score; it abstains below a cutoff tuned elsewhere."""

    @abstractmethod
    def __init__(self, knowledge: KnowledgeBase) -> None:
        """Builds what the engine needs from the knowledge: the timed 'index build'."""

    @abstractmethod
    def best(self, question: str) -> tuple[str, float] | None:
        """The top fact and its score, before any cutoff."""


class NaiveFuzzy(ScoredEngine):
    """What most bots ship: rapidfuzz's extractOne with WRatio over every phrasing."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.texts, self.owners = _phrasings(knowledge)

    def best(self, question: str) -> tuple[str, float] | None:
        hit = process.extractOne(
            question, self.texts, scorer=fuzz.WRatio, processor=utils.default_process
        )
        return (self.owners[hit[2]], float(hit[1])) if hit is not None else None


_NON_WORD = re.compile(r"\W+")


def bm25_tokens(text: str) -> list[str]:
    """Lower-cased runs of word characters: the tokenisation rank_bm25's examples use."""
    return [token for token in _NON_WORD.split(text.lower()) if token]


class Bm25(ScoredEngine):
    """Okapi BM25 over the same phrasings, the textbook retrieval baseline."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        from rank_bm25 import BM25Okapi  # imported here so other engines' RSS excludes numpy

        texts, self.owners = _phrasings(knowledge)
        self.index = BM25Okapi([bm25_tokens(text) for text in texts])

    def best(self, question: str) -> tuple[str, float] | None:
        tokens = bm25_tokens(question)
        if not tokens:
            return None
        scores = self.index.get_scores(tokens)
        top = int(scores.argmax())
        return self.owners[top], float(scores[top])


class ExactLookup(Engine):
    """The floor: a dictionary from normalised phrasing to fact, the fastest any lookup can be."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        texts, owners = _phrasings(knowledge)
        self.table: dict[str, str] = {}
        for text, owner in zip(texts, owners, strict=True):
            self.table.setdefault(utils.default_process(text), owner)

    def ask(self, question: str) -> str | None:
        return self.table.get(utils.default_process(question))


ENGINES: dict[str, type[Engine] | type[ScoredEngine]] = {
    "footnote": Footnote,
    "naive": NaiveFuzzy,
    "bm25": Bm25,
    "exact": ExactLookup,
}
"""Engines by the name the command line and the results use, in the order they are run."""

LABELS = {
    "footnote": "Footnote (Matcher)",
    "naive": "naive extractOne/WRatio",
    "bm25": "BM25 (rank_bm25)",
    "exact": "exact-match dict (floor)",
}
