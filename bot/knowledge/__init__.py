"""Curated knowledge: its file format, its validation and the immutable model it loads into."""

from bot.knowledge.loader import (
    KnowledgeError,
    KnowledgePathError,
    Problem,
    bundled_knowledge_dir,
    knowledge_files,
    load_knowledge,
)
from bot.knowledge.model import Fact, KnowledgeBase, Source, Topic

__all__ = [
    "Fact",
    "KnowledgeBase",
    "KnowledgeError",
    "KnowledgePathError",
    "Problem",
    "Source",
    "Topic",
    "bundled_knowledge_dir",
    "knowledge_files",
    "load_knowledge",
]
