"""The answer engine: pure Python, fed a KnowledgeBase, knowing nothing of files or Discord."""

from bot.engine.matcher import Answer, AnswerKind, Matcher, MatchSettings, ScoredFact

__all__ = ["Answer", "AnswerKind", "MatchSettings", "Matcher", "ScoredFact"]
