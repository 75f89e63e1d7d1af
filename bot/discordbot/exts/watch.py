"""Watching the knowledge files (`knowledge.watch`): a curator's saved edit is served within
seconds, without anyone running /footnote reload, and an edit that breaks the knowledge is
logged while the old knowledge goes on being served."""

from __future__ import annotations

import logging

from discord.ext import commands, tasks

from bot.discordbot.client import AnyBot, bot_of

log = logging.getLogger(__name__)

WATCH_SECONDS = 2.0
"""How often the files are looked at: a stat of each, so cheap even for a hundred files, and
soon enough that a curator checking their edit in Discord finds it served."""
PROBLEMS_LOGGED = 5
"""Problems of a refused change that go in the log; `footnote check` lists them all."""


class Watch(commands.Cog):
    """Reloads the knowledge when its files change, once per change."""

    def __init__(self, bot: AnyBot) -> None:
        self.bot = bot
        self.seen = bot.library.files_state()

    async def cog_load(self) -> None:
        if self.bot.config.knowledge.watch:
            self.watch_loop.change_interval(seconds=WATCH_SECONDS)
            self.watch_loop.start()

    async def cog_unload(self) -> None:
        self.watch_loop.cancel()

    @tasks.loop(seconds=WATCH_SECONDS)
    async def watch_loop(self) -> None:
        """One look at the files; a failure is logged, and the loop keeps running."""
        try:
            await self.check()
        except Exception:
            log.exception("watching the knowledge files failed")

    async def check(self) -> bool:
        """Reloads if the files changed since the last look; True if that reload was served.
        A refused change is not tried again until the files change once more."""
        state = self.bot.library.files_state()
        if state == self.seen:
            return False
        self.seen = state
        outcome = await self.bot.reload_knowledge()
        if not outcome.ok:
            shown = "; ".join(str(problem) for problem in outcome.problems[:PROBLEMS_LOGGED])
            log.warning(
                "knowledge files changed but have %d problems, so the old knowledge is kept: %s",
                len(outcome.problems),
                shown,
            )
            return False
        log.info(
            "knowledge files changed; reloaded %d sources, %d topics, %d facts",
            outcome.sources,
            outcome.topics,
            outcome.facts,
        )
        return True


async def setup(bot: commands.Bot) -> None:
    """Loads the feature; called by discord.py's extension loader."""
    await bot.add_cog(Watch(bot_of(bot)))
