"""The answer engine: pure Python, fed a KnowledgeBase, knowing nothing of files or Discord."""

from bot.engine.answers import Answer, AnswerKind, Margin, ScoredFact
from bot.engine.conversation import Conversations
from bot.engine.decision import MatchSettings, Surface
from bot.engine.matcher import Matcher

__all__ = [
    "Answer",
    "AnswerKind",
    "Conversations",
    "Margin",
    "MatchSettings",
    "Matcher",
    "ScoredFact",
    "Surface",
]
