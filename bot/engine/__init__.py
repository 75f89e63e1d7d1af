"""The answer engine: pure Python, fed a KnowledgeBase, knowing nothing of files or Discord."""

from bot.engine.answers import Answer, AnswerKind, ScoredFact
from bot.engine.decision import MatchSettings, Surface
from bot.engine.matcher import Matcher

__all__ = ["Answer", "AnswerKind", "MatchSettings", "Matcher", "ScoredFact", "Surface"]
