"""Administration for server managers and the owner: reloading knowledge without a restart, and
seeing what to curate next."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.client import AnyBot, bot_of
from bot.discordbot.exts.curation import show_gaps
from bot.discordbot.ui.catalogue import localised, words_for
from bot.discordbot.ui.replies import reload_refused
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
        super().__init__()

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
        outcome = await self.bot.library.reload()
        self.bot.metrics.reloaded(outcome.ok)
        words = words_for(interaction.locale)
        if outcome.ok:
            log.info(
                "knowledge reloaded by %s: %d sources, %d topics, %d facts",
                interaction.user.id,
                outcome.sources,
                outcome.topics,
                outcome.facts,
            )
            message = words(
                "replies.reloaded",
                sources=outcome.sources,
                topics=outcome.topics,
                facts=outcome.facts,
            )
            settings = self.bot.config.discord
            if settings.shard_ids is not None and len(settings.shard_ids) < (
                settings.shard_count or 1
            ):
                shards = ", ".join(str(shard) for shard in settings.shard_ids)
                here_only = words(
                    "replies.reloaded_here_only", shards=shards, count=settings.shard_count
                )
                message = f"{message}\n{here_only}"
        else:
            log.warning("reload refused: %d problems in the knowledge", len(outcome.problems))
            message = reload_refused(words, [str(problem) for problem in outcome.problems])
        await interaction.followup.send(clip(message, CONTENT_LIMIT), ephemeral=True)

    @app_commands.command(
        name=localised("commands.gaps.name"), description=localised("commands.gaps.description")
    )
    async def gaps(self, interaction: discord.Interaction) -> None:
        await show_gaps(self.bot, interaction)


async def setup(bot: commands.Bot) -> None:
    """Loads the feature; called by discord.py's extension loader."""
    await bot.add_cog(Admin(bot_of(bot)))
