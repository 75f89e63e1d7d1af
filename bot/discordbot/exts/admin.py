"""Administration for server managers and the owner: reloading knowledge without a restart, and
seeing what to curate next."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.broadcast import ReloadBroadcast, Tally, answer_of
from bot.discordbot.client import AnyBot, bot_of
from bot.discordbot.exts.curation import show_gaps
from bot.discordbot.services import ReloadOutcome
from bot.discordbot.ui.catalogue import localised, words_for
from bot.discordbot.ui.replies import reload_refused, reload_tally
from bot.discordbot.ui.text import CONTENT_LIMIT, clip

log = logging.getLogger(__name__)


@app_commands.default_permissions(manage_guild=True)
@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
@app_commands.allowed_installs(guilds=True, users=False)
class Admin(
    commands.GroupCog,
    group_name=localised("commands.footnote.name"),
    group_description=localised("commands.footnote.description"),
):
    """Commands for the people who run the bot: hidden from other members and DMs by default
    (servers may change that), and checked again when run."""

    def __init__(self, bot: AnyBot) -> None:
        self.bot = bot
        self.broadcast: ReloadBroadcast | None = None
        """Reloads reaching the other processes, when they share a PostgreSQL server."""
        super().__init__()

    async def cog_load(self) -> None:
        """Listens for the other processes' reloads when the feedback log is shared."""
        config = self.bot.config
        if config.storage.enabled and config.storage.url is not None:
            self.broadcast = ReloadBroadcast(
                config.storage.url, config.storage_password(), self._reload_here
            )
            self.broadcast.start()

    async def cog_unload(self) -> None:
        """Says bye to the other processes, so none waits for this one, and stops listening."""
        if self.broadcast is not None:
            await self.broadcast.close()

    async def _reload_here(self) -> tuple[ReloadOutcome, str]:
        """Reloads this process's knowledge from its own files, counted and logged."""
        outcome = await self.bot.reload_knowledge()
        if outcome.ok:
            log.info(
                "knowledge reloaded: %d sources, %d topics, %d facts",
                outcome.sources,
                outcome.topics,
                outcome.facts,
            )
        else:
            log.warning("reload refused: %d problems in the knowledge", len(outcome.problems))
        return outcome, self.bot.library.digest

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Manage Guild in this server, or the application's owner; checked at run time."""
        permissions = getattr(interaction.user, "guild_permissions", None)
        if permissions is not None and permissions.manage_guild:
            return True
        if await self.bot.is_owner(interaction.user):
            return True
        raise app_commands.CheckFailure("needs Manage Guild")

    @app_commands.command(
        name=localised("commands.reload.name"), description=localised("commands.reload.description")
    )
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        log.info("reload asked for by %s", interaction.user.id)
        outcome, digest = await self._reload_here()
        tally: Tally | None = None
        if self.broadcast is not None:
            tally = await self.broadcast.reload_others(
                answer_of(self.broadcast.name, outcome, digest)
            )
        words = words_for(interaction.locale)
        if outcome.ok:
            message = words(
                "replies.reloaded",
                sources=outcome.sources,
                topics=outcome.topics,
                facts=outcome.facts,
            )
        else:
            message = reload_refused(words, [str(problem) for problem in outcome.problems])
        settings = self.bot.config.discord
        if tally is not None and (len(tally.answers) > 1 or tally.silent):
            message = f"{message}\n{reload_tally(words, tally)}"
        elif (
            outcome.ok
            and settings.shard_ids is not None
            and len(settings.shard_ids) < (settings.shard_count or 1)
        ):
            shards = ", ".join(str(shard) for shard in settings.shard_ids)
            here_only = words(
                "replies.reloaded_here_only", shards=shards, count=settings.shard_count
            )
            message = f"{message}\n{here_only}"
        await interaction.followup.send(clip(message, CONTENT_LIMIT), ephemeral=True)

    @app_commands.command(
        name=localised("commands.gaps.name"), description=localised("commands.gaps.description")
    )
    async def gaps(self, interaction: discord.Interaction) -> None:
        await show_gaps(self.bot, interaction)


async def setup(bot: commands.Bot) -> None:
    """Loads the feature; called by discord.py's extension loader."""
    await bot.add_cog(Admin(bot_of(bot)))
