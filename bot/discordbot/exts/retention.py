"""Retention while running: rows older than `storage.retention_days` go within hours, not only
when a process next starts, so a bot that runs for months keeps no more than it promises."""

from __future__ import annotations

import logging

from discord.ext import commands, tasks

from bot.discordbot.client import AnyBot, bot_of
from bot.feedback import FeedbackUnavailable

log = logging.getLogger(__name__)

RETENTION_HOURS = 6.0
"""How often old rows are deleted: a row outlives its retention by a quarter of a day at most,
and each pass is one indexed DELETE per table."""


class Retention(commands.Cog):
    """Deletes what the feedback log has kept past its retention, for as long as the bot runs."""

    def __init__(self, bot: AnyBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        if self.bot.feedback is not None:
            self.retention_loop.start()

    async def cog_unload(self) -> None:
        self.retention_loop.cancel()

    @tasks.loop(hours=RETENTION_HOURS)
    async def retention_loop(self) -> None:
        """One pass; a failure is logged, and the loop keeps running."""
        try:
            await self.prune()
        except Exception:
            log.exception("deleting old feedback failed")

    async def prune(self) -> int:
        """Deletes the rows past retention; how many went (0 while the store is unavailable,
        which the store has logged already)."""
        feedback = self.bot.feedback
        if feedback is None:
            return 0
        try:
            deleted = await feedback.prune(self.bot.config.storage.retention_days)
        except FeedbackUnavailable:
            return 0
        if deleted:
            log.info("deleted %d feedback rows past retention", deleted)
        return deleted


async def setup(bot: commands.Bot) -> None:
    """Loads the feature; called by discord.py's extension loader."""
    await bot.add_cog(Retention(bot_of(bot)))
