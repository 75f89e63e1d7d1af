"""Asking: answers in chat, /ask with autocomplete, the "Ask Footnote" menu, and answer buttons."""

from __future__ import annotations

import logging
import re
from collections.abc import Hashable
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.client import AnyBot, apologise_on_error, bot_of, send_private
from bot.discordbot.ui.embeds import (
    answer_embed,
    fact_embed,
    quoted_question,
    unanswered_text,
)
from bot.discordbot.ui.text import CHOICE_LIMIT, CHOICE_NAME_LIMIT, clip
from bot.discordbot.ui.views import answer_key, answer_view, suggestions_view
from bot.engine import Answer, AnswerKind, Surface

log = logging.getLogger(__name__)

LOW_CONFIDENCE_BAND = 0.15
"""Answers this close to the threshold are logged for curators as well as unanswered ones."""
MAX_QUESTION_CHARS = 4_000
REPLY_ALLOWED_MENTIONS = discord.AllowedMentions(
    everyone=False, users=False, roles=False, replied_user=True
)
"""A reply may ping the person who asked, and nobody else, whatever the text says."""
NOTE_LIFETIME_SECONDS = 15.0


def key_of(answer: Answer) -> str:
    """The answer's key for cooldowns, buttons and feedback."""
    if answer.compared:
        return answer_key("facts", "+".join(item.fact.id for item in answer.compared if item.fact))
    if answer.fact is not None:
        return answer_key("fact", answer.fact.id)
    assert answer.topic is not None
    return answer_key("topic", answer.topic.id)


def conversation_key(channel_id: int | None, user_id: int) -> tuple[int | None, int]:
    """One person in one channel or thread: follow-ups never carry between people or places."""
    return channel_id, user_id


def strip_mentions_of(content: str, user_id: int) -> str:
    """A message's text without the mentions that addressed the bot."""
    return re.sub(rf"<@!?{user_id}>", " ", content).strip()


class Ask(commands.Cog):
    """Everything that turns a question into an answer on Discord."""

    def __init__(self, bot: AnyBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(name="Ask Footnote", callback=self.ask_from_message)
        self.menu.error(self.bot.tree.on_error)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    # Chat -----------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answers mentions, and questions in automatic channels; never bots, itself or edits."""
        bot = self.bot
        if message.author.bot or bot.user is None or message.webhook_id is not None:
            return
        answering = bot.config.answering
        if message.guild is None and not answering.answer_dms:
            return
        mentioned = answering.on_mention and bot.user in message.mentions
        channel_id = getattr(message.channel, "parent_id", None) or message.channel.id
        automatic = (
            channel_id in answering.channels or message.channel.id in answering.channels
        ) and message.content.rstrip().endswith(answering.question_suffix)
        if not (mentioned or automatic or message.guild is None):
            return
        question = strip_mentions_of(message.content, bot.user.id)[:MAX_QUESTION_CHARS]
        if not question:
            if mentioned:
                await self._reply(
                    message, "Ask me a question about the articles I know, or try `/help`."
                )
            return
        wait = bot.user_rate.retry_after(message.author.id)
        if wait:
            await self._reply(
                message,
                f"You're asking quickly; try again in {wait:.0f} s.",
                delete_after=NOTE_LIFETIME_SECONDS,
            )
            return
        # Unasked, a wrong post costs most: the engine then answers only when surer, and never
        # with a "probably", so an automatic channel hears nothing it did not ask for.
        asked = mentioned or message.guild is None
        answer = bot.conversations.ask(
            bot.library.matcher,
            conversation_key(message.channel.id, message.author.id),
            question,
            Surface.MENTION if asked else Surface.AUTOMATIC,
        )
        await self._log_if_unsure(answer, message.guild, message.channel)
        if answer.kind is AnswerKind.NONE:
            if asked:
                await self._reply(
                    message,
                    unanswered_text("I don't know that one.", answer),
                    view=suggestions_view(answer.suggestions),
                )
            return
        if not bot.channel_cooldown.claim(message.channel.id, key_of(answer)):
            if mentioned:
                await self._reply(
                    message,
                    "I answered that here a moment ago; see just above.",
                    delete_after=NOTE_LIFETIME_SECONDS,
                )
            return
        await self._reply(
            message,
            embed=answer_embed(answer),
            view=answer_view(
                key_of(answer),
                shareable=False,
                feedback=self._feedback_on,
                suggestions=answer.suggestions,
            ),
        )

    async def _reply(
        self, message: discord.Message, content: str | None = None, **kwargs: Any
    ) -> None:
        """Replies, logging (not raising) when Discord refuses, e.g. for missing permissions."""
        try:
            await message.reply(
                content, allowed_mentions=REPLY_ALLOWED_MENTIONS, mention_author=False, **kwargs
            )
        except discord.Forbidden:
            log.warning("no permission to reply in channel %s", message.channel.id)
        except discord.HTTPException as error:
            log.warning("reply in channel %s failed: %s", message.channel.id, error)

    # Slash command and context menu --------------------------------------------------------

    @app_commands.command(name="ask", description="Ask a question about the curated articles.")
    @app_commands.describe(
        question="What do you want to know?",
        private="Only you see the answer (you can share it after).",
    )
    async def ask(
        self, interaction: discord.Interaction, question: str, private: bool | None = None
    ) -> None:
        key = conversation_key(interaction.channel_id, interaction.user.id)
        await self._answer_interaction(interaction, question, private, key)

    @ask.autocomplete("question")
    async def ask_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The questions the knowledge answers that best fit what is typed so far."""
        facts = self.bot.library.matcher.complete(current or "", CHOICE_LIMIT)
        return [
            app_commands.Choice(
                name=clip(fact.question, CHOICE_NAME_LIMIT),
                value=clip(fact.question, CHOICE_NAME_LIMIT),
            )
            for fact in facts
        ]

    async def ask_from_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """The "Ask Footnote" message menu: answers the question in someone's message, as
        typed: someone else's words follow up on nothing the clicker asked."""
        await self._answer_interaction(interaction, message.content, None, None)

    async def _answer_interaction(
        self,
        interaction: discord.Interaction,
        question: str,
        private: bool | None,
        conversation: Hashable | None,
    ) -> None:
        bot = self.bot
        question = (question or "")[:MAX_QUESTION_CHARS]
        private = bot.config.answering.ask_private if private is None else private
        wait = bot.user_rate.retry_after(interaction.user.id)
        if wait:
            await send_private(interaction, f"You're asking quickly; try again in {wait:.0f} s.")
            return
        answer = bot.conversations.ask(bot.library.matcher, conversation, question)
        if answer.kind is AnswerKind.NONE:
            await interaction.response.send_message(
                unanswered_text(
                    f"I don't know the answer to “{quoted_question(question)}”.", answer
                ),
                ephemeral=True,
                view=suggestions_view(answer.suggestions) or discord.utils.MISSING,
            )
        else:
            # Share only what is stated: a shared "probably" would post, under someone's name, an
            # answer to a question they may not have asked, and re-sent from its key it would
            # lose its "probably". Its "did you mean" picks each come with their own Share.
            view = answer_view(
                key_of(answer),
                shareable=private and answer.answered,
                feedback=self._feedback_on,
                suggestions=answer.suggestions,
            )
            await interaction.response.send_message(
                embed=answer_embed(answer), ephemeral=private, view=view or discord.utils.MISSING
            )
        await self._log_if_unsure(answer, interaction.guild, interaction.channel)

    # Buttons ------------------------------------------------------------------------------

    @commands.Cog.listener()
    @apologise_on_error
    async def on_footnote_vote(self, interaction: discord.Interaction, key: str, up: bool) -> None:
        """Counts a vote once per person per answer, and says so privately."""
        feedback = self.bot.feedback
        if feedback is None or interaction.message is None:
            await send_private(interaction, "Feedback isn't being collected here.")
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await feedback.vote(
            key,
            interaction.message.id,
            interaction.user.id,
            1 if up else -1,
            interaction.guild_id,
            interaction.channel_id,
        )
        replies = {
            "recorded": "Thanks, your feedback was recorded.",
            "duplicate": "You already gave feedback on this answer.",
            "unavailable": "Sorry, feedback is unavailable right now.",
        }
        await interaction.followup.send(replies[outcome.value], ephemeral=True)

    @commands.Cog.listener()
    @apologise_on_error
    async def on_footnote_share(self, interaction: discord.Interaction, key: str) -> None:
        """Posts the answer publicly, crediting the sharer, unless it was just posted here."""
        answer = self._answer_for_key(key)
        if answer is None:
            await send_private(interaction, "That answer is no longer available.")
            return
        channel_id = interaction.channel_id or 0
        if not self.bot.channel_cooldown.claim(channel_id, key):
            await send_private(interaction, "That answer was posted here a moment ago.")
            return
        await interaction.response.send_message(
            embed=answer_embed(answer, shared_by=interaction.user.display_name),
            view=answer_view(key, shareable=False, feedback=self._feedback_on)
            or discord.utils.MISSING,
        )
        if self.bot.feedback is not None:
            await self.bot.feedback.log_share(
                key, interaction.user.id, interaction.guild_id, interaction.channel_id
            )

    @commands.Cog.listener()
    @apologise_on_error
    async def on_footnote_pick(self, interaction: discord.Interaction, fact_id: str) -> None:
        """A 'did you mean' choice, answered privately with a Share button."""
        knowledge = self.bot.library.knowledge
        fact = knowledge.facts.get(fact_id)
        if fact is None:
            await send_private(interaction, "That suggestion is no longer available.")
            return
        view = answer_view(answer_key("fact", fact.id), shareable=True, feedback=self._feedback_on)
        await interaction.response.send_message(
            embed=fact_embed(knowledge, fact), ephemeral=True, view=view or discord.utils.MISSING
        )

    # Helpers ------------------------------------------------------------------------------

    @property
    def _feedback_on(self) -> bool:
        return self.bot.feedback is not None

    def _answer_for_key(self, key: str) -> Answer | None:
        """Rebuilds an answer from its key, if the knowledge still has it."""
        matcher = self.bot.library.matcher
        kind, _, item_id = key.partition(":")
        if kind == "fact" and item_id in matcher.knowledge.facts:
            return matcher.fact_answer(matcher.knowledge.facts[item_id])
        if kind == "topic" and item_id in matcher.knowledge.topics:
            return matcher.summary_answer(matcher.knowledge.topics[item_id])
        facts = [matcher.knowledge.facts.get(fact_id) for fact_id in item_id.split("+")]
        if kind == "facts" and all(facts):
            return matcher.comparison_answer([fact for fact in facts if fact is not None])
        return None

    async def _log_if_unsure(
        self, answer: Answer, guild: discord.Guild | None, channel: object
    ) -> None:
        """Unanswered and barely answered questions go to the curators' log."""
        feedback = self.bot.feedback
        threshold = self.bot.config.answering.answer_at
        unsure = answer.kind is AnswerKind.PROBABLE or (
            answer.kind is AnswerKind.FACT and answer.confidence < threshold + LOW_CONFIDENCE_BAND
        )
        if feedback is None or not (unsure or not answer.answered) or not answer.question.strip():
            return
        await feedback.log_unanswered(
            answer.question,
            answer.confidence,
            [(item.fact.id, item.score) for item in answer.candidates[:3]],
            guild.id if guild else None,
            getattr(channel, "id", None),
            answered_with=key_of(answer) if answer.answered else None,
        )


async def setup(bot: commands.Bot) -> None:
    """Loads the feature; called by discord.py's extension loader."""
    await bot.add_cog(Ask(bot_of(bot)))
