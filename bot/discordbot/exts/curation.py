"""The curator's loop inside Discord: the gaps report, the weekly digest, and calling a human."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import discord
from discord.ext import commands, tasks

from bot.discordbot.client import AnyBot, bot_of
from bot.discordbot.services import ChannelCooldown
from bot.discordbot.ui.catalogue import words_for
from bot.discordbot.ui.embeds import DIGEST_ITEMS, digest_embed, gaps_pages
from bot.discordbot.ui.replies import apologise_on_error, calling_helpers, send_private
from bot.discordbot.ui.views import PagesView
from bot.feedback import FeedbackUnavailable
from bot.feedback.report import Report, read_report

log = logging.getLogger(__name__)

GAPS_LIMIT = 50
"""Groups and answers /footnote gaps reads: ten pages, more than a curator works through at once."""
DIGEST_DAYS = 7
DIGEST_CHECK_MINUTES = 30
"""How often the digest is looked for: it goes out within half an hour of its day starting (or
of the bot starting), and each look is one small read of the store."""
HELPER_KEY = "helper"
"""The one thing the helpers' cooldown tracks per channel: that they were called."""


def digest_week(now: float, weekday: int) -> str:
    """The week a digest is for, named by the date (UTC) its configured weekday last fell on, so
    a digest missed while the bot was down still goes out that week, and only once."""
    today = datetime.fromtimestamp(now, UTC).date()
    return (today - timedelta(days=(today.weekday() - weekday) % 7)).isoformat()


def helpers_in(bot: AnyBot, guild: discord.Guild | None) -> bool:
    """Whether "Ask a human" is offered here: a helper role is set, and it is this server's."""
    role_id = bot.config.answering.helper_role
    return role_id is not None and guild is not None and guild.get_role(role_id) is not None


async def guild_report(
    bot: AnyBot, guild_id: int | None, *, since_days: float | None, limit: int
) -> Report | None:
    """One guild's report from the feedback log; None if there is none or it cannot be read."""
    if bot.feedback is None:
        return None
    try:
        return await read_report(
            bot.feedback,
            bot.library.matcher,
            now=bot.clock(),
            since_days=since_days,
            limit=limit,
            guild_id=guild_id,
        )
    except FeedbackUnavailable as error:
        log.warning("could not read the feedback log %s: %s", bot.feedback.where, error)
        return None


async def show_gaps(bot: AnyBot, interaction: discord.Interaction) -> None:
    """/footnote gaps: this server's unanswered questions and worst-rated answers, paged."""
    words = words_for(interaction.locale)
    if bot.feedback is None:
        await send_private(interaction, words("replies.no_feedback"))
        return
    await interaction.response.defer(ephemeral=True, thinking=True)
    report = await guild_report(bot, interaction.guild_id, since_days=None, limit=GAPS_LIMIT)
    if report is None:
        await interaction.followup.send(words("replies.report_unreadable"), ephemeral=True)
        return
    pages = gaps_pages(report, words)
    if len(pages) == 1:
        await interaction.followup.send(embed=pages[0], ephemeral=True)
        return
    view = PagesView(pages, words)
    view.message = await interaction.followup.send(
        embed=pages[0], view=view, ephemeral=True, wait=True
    )


class Curation(commands.Cog):
    """What runs for curators unasked: the digest, and the "Ask a human" button."""

    def __init__(self, bot: AnyBot) -> None:
        self.bot = bot
        self.helpers_called = ChannelCooldown(bot.config.answering.helper_cooldown_seconds)
        self._digest_channel_reported = False

    async def cog_load(self) -> None:
        if self.bot.config.feedback.digest_channel is not None and self.bot.feedback is not None:
            self.digest_loop.start()

    async def cog_unload(self) -> None:
        self.digest_loop.cancel()

    # Weekly digest ------------------------------------------------------------------------

    @tasks.loop(minutes=DIGEST_CHECK_MINUTES)
    async def digest_loop(self) -> None:
        """Looks for a digest to send; a failure is logged, and the loop keeps running."""
        try:
            await self.send_digest()
        except Exception:
            log.exception("the weekly digest failed")

    @digest_loop.before_loop
    async def _digest_after_ready(self) -> None:
        """The channel can be found only once the guilds have arrived."""
        await self.bot.wait_until_ready()

    async def send_digest(self) -> bool:
        """Posts this week's digest to the curators' channel unless it went already; True if
        it was posted now. The week is claimed in the store first, so restarts and other
        processes never post it twice; a post Discord refuses gives the claim back."""
        bot, feedback = self.bot, self.bot.feedback
        channel_id = bot.config.feedback.digest_channel
        if feedback is None or channel_id is None:
            return False
        channel = bot.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            if not self._digest_channel_reported:
                log.info("digest channel %s is not a text channel this bot sees", channel_id)
                self._digest_channel_reported = True
            return False
        guild_id = channel.guild.id
        week = digest_week(bot.clock(), bot.config.feedback.digest_day)
        if not await feedback.claim_digest(guild_id, week):
            return False
        report = await guild_report(bot, guild_id, since_days=DIGEST_DAYS, limit=DIGEST_ITEMS)
        if report is None:
            await feedback.release_digest(guild_id, week)
            return False
        try:
            words = words_for(channel.guild.preferred_locale)
            await channel.send(embed=digest_embed(report, week, words))
        except discord.HTTPException as error:
            log.warning("digest for week %s not posted in %s: %s", week, channel_id, error)
            await feedback.release_digest(guild_id, week)
            return False
        log.info("digest for week %s posted in channel %s", week, channel_id)
        return True

    # Ask a human --------------------------------------------------------------------------

    @commands.Cog.listener()
    @apologise_on_error
    async def on_footnote_helper(self, interaction: discord.Interaction) -> None:
        """Pings the helper role in the channel once per cooldown; later presses hear that
        someone was called. The role is the only mention the message may make."""
        role_id = self.bot.config.answering.helper_role
        words = words_for(interaction.locale)
        if role_id is None or interaction.guild_id is None:
            await send_private(interaction, words("replies.helpers_off"))
            return
        if not self.helpers_called.claim(interaction.channel_id or 0, HELPER_KEY):
            await send_private(interaction, words("replies.helpers_called"))
            return
        reference = interaction.message.reference if interaction.message else None
        link = reference.jump_url if reference is not None and reference.message_id else None
        await interaction.response.send_message(
            calling_helpers(
                words_for(interaction.guild_locale), role_id, interaction.user.id, link
            ),
            allowed_mentions=discord.AllowedMentions(
                everyone=False, users=False, roles=[discord.Object(id=role_id)]
            ),
        )


async def setup(bot: commands.Bot) -> None:
    """Loads the feature; called by discord.py's extension loader."""
    await bot.add_cog(Curation(bot_of(bot)))
