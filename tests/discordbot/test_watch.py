"""Watching the knowledge files: a saved edit is served without a reload command, and an edit
that breaks the knowledge is logged while the old knowledge is still served."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from bot.discordbot.exts.watch import Watch
from tests.knowledge.test_loader import VALID

NEW_FACT = """\
  - id: kimi-context
    topic: kimi
    question: How long is Kimi's context window?
    answer: Over 2M tokens.
"""


def watcher(bot) -> Watch:
    """The bot's Watch feature (discord.py loads each extension anew: a class of its own)."""
    cog = bot.get_cog("Watch")
    assert cog is not None and type(cog).__name__ == Watch.__name__
    return cog


def saved(path: Path, text: str) -> None:
    """Writes a file as an editor saves it, with a modification time that visibly moves on."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


async def test_a_saved_edit_is_served_and_a_broken_one_keeps_the_old(
    fake_discord, footnote, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "knowledge.yaml"
    path.write_text(VALID, encoding="utf-8")
    caplog.set_level(logging.INFO, logger="bot")
    async with footnote(knowledge_paths=(str(path),), knowledge={"watch": True}) as bot:
        watch = watcher(bot)
        assert watch.watch_loop.is_running()
        assert not await watch.check(), "nothing changed, nothing reloaded"
        saved(path, VALID + NEW_FACT)
        assert await watch.check()
        assert "kimi-context" in bot.library.knowledge.facts
        saved(path, VALID + NEW_FACT + "  - id: [broken\n")
        assert not await watch.check()
        assert "kimi-context" in bot.library.knowledge.facts, "the old knowledge is still served"
        assert not await watch.check(), "a refused change is not tried again until it changes"
        path.unlink()
        assert not await watch.check()
        assert "kimi-context" in bot.library.knowledge.facts
    refused = [r.getMessage() for r in caplog.records if "old knowledge is kept" in r.getMessage()]
    assert len(refused) == 2, refused
    assert "knowledge.yaml:" in refused[0], "the problem is named with its file"


async def test_without_watch_the_files_are_not_looked_at(fake_discord, footnote) -> None:
    async with footnote() as bot:
        assert not watcher(bot).watch_loop.is_running()
