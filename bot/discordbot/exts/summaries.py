"""Summaries and look-ups: /summary, /compare, /topics, /sources and /help."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.client import AnyBot, bot_of, readable_everywhere
from bot.discordbot.ui.catalogue import localised, words_for, words_in
from bot.discordbot.ui.embeds import (
    compare_embed,
    help_embed,
    key_facts,
    sources_embed,
    summary_embed,
    topics_embed,
)
from bot.discordbot.ui.replies import send_private, unknown_topics
from bot.discordbot.ui.text import CHOICE_LIMIT, CHOICE_NAME_LIMIT, clip
from bot.discordbot.ui.views import removal_view
from bot.engine.languages import in_language, locale_language, name_in, reply_language
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

    def _in_language(self, topic: Topic, language: str | None) -> Topic:
        """A topic's name, summary and card as a reader of the language reads them."""
        translated = in_language(self.bot.library.matcher.summary_answer(topic), language).topic
        return translated or topic

    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Topics by name or alias, best match first, named as the reader's language names
        them; all of them before anything is typed."""
        topics = self.bot.library.knowledge.topics
        if not (current or "").strip():
            found = list(topics)[:CHOICE_LIMIT]
        else:
            labels = [(name, topic.id) for topic in topics.values() for name in topic.names]
            found = [topic_id for topic_id, _ in ranked(current, labels, limit=CHOICE_LIMIT)]
        language = locale_language(interaction.locale)
        return [
            app_commands.Choice(
                name=clip(name_in(topics[topic_id], language), CHOICE_NAME_LIMIT), value=topic_id
            )
            for topic_id in found
        ]

    @app_commands.command(
        name=localised("commands.summary.name"),
        description=localised("commands.summary.description"),
    )
    # Posting to another channel needs the bot in the server: no user installs.
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    @app_commands.allowed_installs(guilds=True, users=False)
    @app_commands.rename(
        topic=localised("commands.summary.topic.name"),
        channel=localised("commands.summary.channel.name"),
    )
    @app_commands.describe(
        topic=localised("commands.summary.topic.description"),
        channel=localised("commands.summary.channel.description"),
    )
    @app_commands.autocomplete(topic=topic_autocomplete)
    async def summary(
        self, interaction: discord.Interaction, topic: str, channel: Postable | None = None
    ) -> None:
        found = self._topic(topic)
        if found is None:
            await send_private(interaction, unknown_topics(words_for(interaction.locale), topic))
            return
        # Public, so in the language the topic was named in, else the server's.
        language = reply_language(topic, interaction.guild_locale)
        embed = self._summary(found, language)
        if channel is None or channel.id == interaction.channel_id:
            await interaction.response.send_message(
                embed=embed, view=removal_view(interaction.user.id)
            )
            return
        await self._post_elsewhere(interaction, channel, embed)

    def _summary(self, topic: Topic, language: str | None) -> discord.Embed:
        """A topic's summary and key facts in a language, each untranslated one as written."""
        matcher = self.bot.library.matcher
        facts = [
            in_language(matcher.fact_answer(fact), language).fact or fact
            for fact in key_facts(matcher.knowledge, topic)
        ]
        return summary_embed(
            matcher.knowledge, self._in_language(topic, language), facts, words_in(language)
        )

    async def _post_elsewhere(
        self, interaction: discord.Interaction, channel: Postable, embed: discord.Embed
    ) -> None:
        """Posts to another channel only for members allowed to manage messages there."""
        member = interaction.user
        words = words_for(interaction.locale)
        target = interaction.guild.get_channel_or_thread(channel.id) if interaction.guild else None
        # Messageable rules out None, and forums and categories, which take no messages.
        if not isinstance(member, discord.Member) or not isinstance(
            target, discord.abc.Messageable
        ):
            await send_private(interaction, words("replies.only_this_server"))
            return
        mention = target.mention
        if not target.permissions_for(member).manage_messages:
            await send_private(interaction, words("replies.needs_manage_messages", channel=mention))
            return
        try:
            await target.send(embed=embed, view=removal_view(interaction.user.id))
        except discord.Forbidden:
            await send_private(interaction, words("replies.not_allowed_to_post", channel=mention))
            return
        except discord.HTTPException as error:
            log.warning("posting a summary to %s failed: %s", target.id, error)
            await send_private(interaction, words("replies.post_refused", channel=mention))
            return
        await send_private(interaction, words("replies.posted", channel=mention))

    @app_commands.command(
        name=localised("commands.compare.name"),
        description=localised("commands.compare.description"),
    )
    @readable_everywhere
    @app_commands.rename(
        a=localised("commands.compare.a.name"), b=localised("commands.compare.b.name")
    )
    @app_commands.describe(
        a=localised("commands.compare.a.description"),
        b=localised("commands.compare.b.description"),
    )
    @app_commands.autocomplete(a=topic_autocomplete, b=topic_autocomplete)
    async def compare(self, interaction: discord.Interaction, a: str, b: str) -> None:
        first, second = self._topic(a), self._topic(b)
        missing = [text for text, topic in ((a, first), (b, second)) if topic is None]
        if first is None or second is None:
            await send_private(interaction, unknown_topics(words_for(interaction.locale), *missing))
            return
        language = reply_language(f"{a} {b}", interaction.guild_locale)
        embed = compare_embed(
            self.bot.library.knowledge,
            self._in_language(first, language),
            self._in_language(second, language),
            words_in(language),
        )
        await interaction.response.send_message(embed=embed, view=removal_view(interaction.user.id))

    @app_commands.command(
        name=localised("commands.topics.name"),
        description=localised("commands.topics.description"),
    )
    @readable_everywhere
    async def topics(self, interaction: discord.Interaction) -> None:
        embed = topics_embed(self.bot.library.knowledge, words_for(interaction.locale))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(
        name=localised("commands.sources.name"),
        description=localised("commands.sources.description"),
    )
    @readable_everywhere
    async def sources(self, interaction: discord.Interaction) -> None:
        embed = sources_embed(self.bot.library.knowledge, words_for(interaction.locale))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(
        name=localised("commands.help.name"), description=localised("commands.help.description")
    )
    @readable_everywhere
    async def help(self, interaction: discord.Interaction) -> None:
        listed = await self._slash_commands(interaction)
        embed = help_embed(listed, words_for(interaction.locale))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    async def _slash_commands(self, interaction: discord.Interaction) -> list[tuple[str, str]]:
        """Each slash command as the reader's Discord shows it: the names and descriptions
        synced for their locale, through the same translator."""
        tree, locale = self.bot.tree, str(interaction.locale)
        translator = tree.translator
        listed = []
        for command in tree.get_commands(type=discord.AppCommandType.chat_input):
            payload: dict[str, Any] = (
                await command.get_translated_payload(tree, translator)
                if translator is not None
                else command.to_dict(tree)
            )
            subcommands = [
                option
                for option in payload.get("options", [])
                if option["type"] == discord.AppCommandOptionType.subcommand.value
            ]
            prefix = f"/{_localised(payload, 'name', locale)}"
            for entry in subcommands or [payload]:
                name = (
                    prefix if entry is payload else f"{prefix} {_localised(entry, 'name', locale)}"
                )
                listed.append((name, _localised(entry, "description", locale)))
        return listed


def _localised(payload: dict[str, Any], field: str, locale: str) -> str:
    """A command payload's name or description in a locale, else as declared."""
    localisations = payload.get(f"{field}_localizations") or {}
    return str(localisations.get(locale) or payload[field])


async def setup(bot: commands.Bot) -> None:
    """Loads the feature; called by discord.py's extension loader."""
    await bot.add_cog(Summaries(bot_of(bot)))
