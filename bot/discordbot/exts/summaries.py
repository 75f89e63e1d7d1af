"""Summaries and look-ups: /summary, /compare, /topics, /sources and /help."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.client import AnyBot, bot_of, readable_everywhere
from bot.discordbot.ui.embeds import (
    compare_embed,
    help_embed,
    sources_embed,
    summary_embed,
    topics_embed,
)
from bot.discordbot.ui.replies import (
    ONLY_THIS_SERVER,
    needs_manage_messages,
    not_allowed_to_post,
    post_refused,
    posted,
    send_private,
    unknown_topics,
)
from bot.discordbot.ui.text import CHOICE_LIMIT, CHOICE_NAME_LIMIT, clip
from bot.discordbot.ui.views import removal_view
from bot.engine.lookup import ranked
from bot.knowledge import Topic

log = logging.getLogger(__name__)

Postable = discord.TextChannel | discord.Thread | discord.VoiceChannel


class Summaries(commands.Cog):
    """Sharing what the knowledge says about a topic, and showing what it covers."""

    def __init__(self, bot: AnyBot) -> None:
        self.bot = bot

    def _topic(self, text: str) -> Topic | None:
        return self.bot.library.matcher.find_topic(text or "")

    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Topics by name or alias, best match first; all of them before anything is typed."""
        topics = self.bot.library.knowledge.topics
        if not (current or "").strip():
            found = list(topics)[:CHOICE_LIMIT]
        else:
            labels = [(name, topic.id) for topic in topics.values() for name in topic.names]
            found = [topic_id for topic_id, _ in ranked(current, labels, limit=CHOICE_LIMIT)]
        return [
            app_commands.Choice(name=clip(topics[topic_id].name, CHOICE_NAME_LIMIT), value=topic_id)
            for topic_id in found
        ]

    @app_commands.command(name="summary", description="Post a topic's summary and key facts.")
    # Posting to another channel needs the bot in the server: no user installs.
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    @app_commands.allowed_installs(guilds=True, users=False)
    @app_commands.describe(
        topic="A model, company or theme", channel="Post it in another channel (moderators)"
    )
    @app_commands.autocomplete(topic=topic_autocomplete)
    async def summary(
        self, interaction: discord.Interaction, topic: str, channel: Postable | None = None
    ) -> None:
        found = self._topic(topic)
        if found is None:
            await send_private(interaction, unknown_topics(topic))
            return
        embed = summary_embed(self.bot.library.knowledge, found)
        if channel is None or channel.id == interaction.channel_id:
            await interaction.response.send_message(
                embed=embed, view=removal_view(interaction.user.id)
            )
            return
        await self._post_elsewhere(interaction, channel, embed)

    async def _post_elsewhere(
        self, interaction: discord.Interaction, channel: Postable, embed: discord.Embed
    ) -> None:
        """Posts to another channel only for members allowed to manage messages there."""
        member = interaction.user
        target = interaction.guild.get_channel_or_thread(channel.id) if interaction.guild else None
        # Messageable rules out None, and forums and categories, which take no messages.
        if not isinstance(member, discord.Member) or not isinstance(
            target, discord.abc.Messageable
        ):
            await send_private(interaction, ONLY_THIS_SERVER)
            return
        if not target.permissions_for(member).manage_messages:
            await send_private(interaction, needs_manage_messages(target.mention))
            return
        try:
            await target.send(embed=embed, view=removal_view(interaction.user.id))
        except discord.Forbidden:
            await send_private(interaction, not_allowed_to_post(target.mention))
            return
        except discord.HTTPException as error:
            log.warning("posting a summary to %s failed: %s", target.id, error)
            await send_private(interaction, post_refused(target.mention))
            return
        await send_private(interaction, posted(target.mention))

    @app_commands.command(name="compare", description="Two topics' key facts side by side.")
    @readable_everywhere
    @app_commands.describe(a="First topic", b="Second topic")
    @app_commands.autocomplete(a=topic_autocomplete, b=topic_autocomplete)
    async def compare(self, interaction: discord.Interaction, a: str, b: str) -> None:
        first, second = self._topic(a), self._topic(b)
        missing = [text for text, topic in ((a, first), (b, second)) if topic is None]
        if first is None or second is None:
            await send_private(interaction, unknown_topics(*missing))
            return
        embed = compare_embed(self.bot.library.knowledge, first, second)
        await interaction.response.send_message(embed=embed, view=removal_view(interaction.user.id))

    @app_commands.command(name="topics", description="What I can answer questions about.")
    @readable_everywhere
    async def topics(self, interaction: discord.Interaction) -> None:
        embed = topics_embed(self.bot.library.knowledge)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="sources", description="The articles my answers come from.")
    @readable_everywhere
    async def sources(self, interaction: discord.Interaction) -> None:
        embed = sources_embed(self.bot.library.knowledge)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="help", description="How to ask me things.")
    @readable_everywhere
    async def help(self, interaction: discord.Interaction) -> None:
        listed = [
            (f"/{command.qualified_name}", command.description)
            for command in self.bot.tree.walk_commands()
            if isinstance(command, app_commands.Command)
        ]
        listed.append(("Mention me", "Mention me with a question in any channel I can read."))
        listed.append(("Ask Footnote", "Right-click a message → Apps → Ask Footnote."))
        listed.append(
            (
                "Answer this in the channel",
                "Right-click a message → Apps → Answer this in the channel, to reply to it "
                "for everyone to see.",
            )
        )
        await interaction.response.send_message(embed=help_embed(listed), ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    """Loads the feature; called by discord.py's extension loader."""
    await bot.add_cog(Summaries(bot_of(bot)))
