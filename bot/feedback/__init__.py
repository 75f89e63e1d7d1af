"""The feedback log: what the bot could not answer, and what people thought of its answers."""

from bot.feedback.store import FeedbackStore, FeedbackUnavailable, VoteOutcome

__all__ = ["FeedbackStore", "FeedbackUnavailable", "VoteOutcome"]
