"""Asking: answers in chat, /ask with autocomplete, the message menus, and answer buttons."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Hashable, Sequence
from typing import Any, NamedTuple

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import AnsweringSettings, PolicyTexts
from bot.discordbot.client import AnyBot, bot_of, readable_everywhere
from bot.discordbot.exts.curation import helpers_in
from bot.discordbot.metrics import Asked
from bot.discordbot.ui.catalogue import Words, localised, words_for, words_in
from bot.discordbot.ui.embeds import answer_embed, fact_embed
from bot.discordbot.ui.replies import (
    VOTE_OUTCOMES,
    apologise_on_error,
    dont_know,
    dont_know_question,
    just_answered,
    policy_texts,
    send_private,
    slow_down,
)
from bot.discordbot.ui.text import CHOICE_LIMIT, CHOICE_NAME_LIMIT, clip
from bot.discordbot.ui.views import answer_view, unanswered_view
from bot.engine import Answer, AnswerKind, Surface
from bot.engine.languages import in_language, locale_language, reply_language
from bot.knowledge import Fact

log = logging.getLogger(__name__)

LOW_CONFIDENCE_BAND = 0.15
"""Answers this close to the threshold are logged for curators as well as unanswered ones."""
MAX_QUESTION_CHARS = 4_000
REPLY_ALLOWED_MENTIONS = discord.AllowedMentions(
    everyone=False, users=False, roles=False, replied_user=True
)
"""A reply may ping the person who asked, and nobody else, whatever the text says."""
NOTE_LIFETIME_SECONDS = 15.0
REPLY_NEEDS = ("read_message_history", "embed_links")
"""Besides sending: a reply quotes the message asked in, and an answer is an embed."""


def conversation_key(channel_id: int | None, user_id: int) -> tuple[int | None, int]:
    """One person in one channel or thread: follow-ups never carry between people or places."""
    return channel_id, user_id


def strip_mentions_of(content: str, user_id: int) -> str:
    """A message's text without the mentions that addressed the bot."""
    return re.sub(rf"<@!?{user_id}>", " ", content).strip()


def missing_to_reply(channel: object, me: discord.Member) -> list[str]:
    """The permissions the bot lacks to answer in a channel, so it asks Discord nothing that
    would be refused: refusals count against Discord's limit of invalid requests."""
    if not isinstance(channel, discord.abc.GuildChannel | discord.Thread):
        return []  # a DM, or a channel not cached: Discord decides
    return lacking_to_reply(channel.permissions_for(me), isinstance(channel, discord.Thread))


def lacking_to_reply(allowed: discord.Permissions, in_thread: bool) -> list[str]:
    """Of the bot's permissions in a channel, the ones a reply there needs and it lacks."""
    sending = "send_messages_in_threads" if in_thread else "send_messages"
    return [name for name in (sending, *REPLY_NEEDS) if not getattr(allowed, name)]


def in_automatic_place(channel: object, answering: AnsweringSettings) -> bool:
    """Whether questions are answered unasked here: in an automatic channel, a thread of one,
    or a post in an automatic forum; other threads are as quiet as their channels."""
    parent_id = channel.parent_id if isinstance(channel, discord.Thread) else None
    return getattr(channel, "id", None) in answering.channels or (
        parent_id is not None and parent_id in (*answering.channels, *answering.forums)
    )


def opens_a_post(message: discord.Message, answering: AnsweringSettings) -> bool:
    """Whether this is the first message of a post in an automatic forum, answered with the
    post's title when the post is created: only a post's first message has its thread's id."""
    channel = message.channel
    return (
        isinstance(channel, discord.Thread)
        and message.id == channel.id
        and channel.parent_id in answering.forums
    )


def only_pinging(user: discord.abc.Snowflake, *, replied: bool = False) -> discord.AllowedMentions:
    """Mentions that may ping this one person, whatever the text or the reply says."""
    return discord.AllowedMentions(everyone=False, users=[user], roles=False, replied_user=replied)


class Addressed(NamedTuple):
    """A message the bot should answer: its question, and how it was asked."""

    question: str
    mentioned: bool
    direct: bool
    """Asked of the bot (a mention or a DM), not merely posted in an automatic channel."""


class Ask(commands.Cog):
    """Everything that turns a question into an answer on Discord."""

    def __init__(self, bot: AnyBot) -> None:
        self.bot = bot
        self.menus = (
            app_commands.ContextMenu(name=localised("menus.ask"), callback=self.ask_from_message),
            app_commands.ContextMenu(
                name=localised("menus.answer_in_channel"), callback=self.answer_in_channel
            ),
        )

    async def cog_load(self) -> None:
        for menu in self.menus:
            self.bot.tree.add_command(menu)

    async def cog_unload(self) -> None:
        for menu in self.menus:
            self.bot.tree.remove_command(menu.name, type=menu.type)

    # Chat -----------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answers mentions, and questions in automatic channels; never bots, itself or edits."""
        addressed = self._addressed(message)
        if addressed is not None:
            await self._answer_message(message, addressed)

    @commands.Cog.listener()
    async def on_thread_create(self, thread: discord.Thread) -> None:
        """Answers a new post in an automatic forum from its title and first message together:
        a post is a question as it stands, with or without a question mark."""
        if thread.parent_id not in self.bot.config.answering.forums or not isinstance(
            thread.parent, discord.ForumChannel
        ):
            return
        if not self._may_reply(thread, thread.guild):
            return
        # The post's first message usually arrives just after the post: ask for it.
        first = thread.starter_message
        if first is None:
            try:
                first = await thread.fetch_message(thread.id)
            except discord.HTTPException as error:
                log.warning("post %s has no first message to answer: %s", thread.id, error)
                return
        addressed = self._addressed(first, post_title=thread.name)
        if addressed is not None:
            await self._answer_message(first, addressed)

    def _addressed(
        self, message: discord.Message, post_title: str | None = None
    ) -> Addressed | None:
        """Whether to answer a message at all, and its question if so: only what was asked of
        the bot or in an automatic place, or a new post there (given its title), by a person,
        where the bot may reply."""
        bot = self.bot
        if message.author.bot or bot.user is None or message.webhook_id is not None:
            return None
        answering = bot.config.answering
        if message.guild is None and not answering.answer_dms:
            return None
        if post_title is None and opens_a_post(message, answering):
            return None
        mentioned = answering.on_mention and bot.user in message.mentions
        automatic = post_title is not None or (
            in_automatic_place(message.channel, answering)
            and message.content.rstrip().endswith(answering.question_suffix)
        )
        if not (mentioned or automatic or message.guild is None):
            return None
        if message.guild is not None and not self._may_reply(message.channel, message.guild):
            return None
        question = strip_mentions_of(message.content, bot.user.id)
        if post_title is not None:
            question = f"{post_title}\n{question}".strip()
        return Addressed(
            question[:MAX_QUESTION_CHARS], mentioned, mentioned or message.guild is None
        )

    @staticmethod
    def _may_reply(channel: object, guild: discord.Guild) -> bool:
        """Whether the bot holds what it needs to reply here; what it lacks is logged."""
        missing = missing_to_reply(channel, guild.me)
        if missing:
            log.warning(
                "no permission to reply in channel %s: needs %s",
                getattr(channel, "id", None),
                ", ".join(missing),
            )
        return not missing

    async def _answer_message(self, message: discord.Message, addressed: Addressed) -> None:
        """Replies to a message the bot should answer: the answer, a note, or nothing."""
        started = time.perf_counter()
        bot = self.bot
        # Public, so in the language it was asked in, else the server's.
        language = reply_language(
            addressed.question, message.guild and message.guild.preferred_locale
        )
        words = words_in(language)
        if not addressed.question:
            if addressed.mentioned:
                await self._reply(message, words("replies.ask_me"))
            return
        guild_id = message.guild.id if message.guild else None
        texts = policy_texts(bot.config.texts, language)
        if message.guild is None:
            surface = Asked.DM
        else:
            surface = Asked.MENTION if addressed.direct else Asked.AUTOMATIC
        wait = self._wait(guild_id, message.author.id, surface)
        if wait:
            await self._reply(message, slow_down(wait, texts), delete_after=NOTE_LIFETIME_SECONDS)
            return
        # Unasked, a wrong post costs most: the engine then answers only when surer, and never
        # with a "probably", so an automatic channel hears nothing it did not ask for.
        answer = bot.conversations.ask(
            bot.library.matcher,
            conversation_key(message.channel.id, message.author.id),
            addressed.question,
            Surface.MENTION if addressed.direct else Surface.AUTOMATIC,
        )
        await self._log_for_curators(answer, message.guild, message.channel)
        public = in_language(answer, language)
        replied = await self._reply_with(message, addressed, public, texts, words)
        bot.metrics.question(surface, answer, started, replied=replied)

    async def _reply_with(
        self,
        message: discord.Message,
        addressed: Addressed,
        answer: Answer,
        texts: PolicyTexts,
        words: Words,
    ) -> bool:
        """Replies with the answer, a note, or nothing, as how it was asked calls for; whether
        anything was sent."""
        bot = self.bot
        if answer.kind is AnswerKind.NONE:
            if not addressed.direct:
                return False
            helper = helpers_in(bot, message.guild)
            await self._reply(
                message,
                dont_know(answer, texts, words),
                view=unanswered_view(answer.suggestions, words, helper=helper),
            )
            return True
        if not bot.channel_cooldown.claim(message.channel.id, answer.key):
            if not addressed.mentioned:
                return False
            await self._reply(message, just_answered(texts), delete_after=NOTE_LIFETIME_SECONDS)
            return True
        await self._reply(
            message,
            embed=answer_embed(answer, words),
            view=self._public_view(answer, words, message.author.id, answer.suggestions),
        )
        return True

    async def _reply(
        self, message: discord.Message, content: str | None = None, **kwargs: Any
    ) -> None:
        """Replies, logging (not raising) when Discord refuses, e.g. for missing permissions."""
        try:
            await message.reply(
                content, allowed_mentions=REPLY_ALLOWED_MENTIONS, mention_author=False, **kwargs
            )
        except discord.HTTPException as error:
            log.warning("reply in channel %s failed: %s", message.channel.id, error)

    # Slash command and context menu --------------------------------------------------------

    @app_commands.command(
        name=localised("commands.ask.name"), description=localised("commands.ask.description")
    )
    @readable_everywhere
    @app_commands.rename(
        question=localised("commands.ask.question.name"),
        private=localised("commands.ask.private.name"),
        for_=localised("commands.ask.for.name"),
    )
    @app_commands.describe(
        question=localised("commands.ask.question.description"),
        private=localised("commands.ask.private.description"),
        for_=localised("commands.ask.for.description"),
    )
    async def ask(
        self,
        interaction: discord.Interaction,
        question: str,
        private: bool | None = None,
        for_: discord.Member | discord.User | None = None,
    ) -> None:
        if for_ is not None and private:
            await send_private(interaction, words_for(interaction.locale)("replies.for_is_public"))
            return
        key = conversation_key(interaction.channel_id, interaction.user.id)
        await self._answer_interaction(interaction, Asked.ASK, question, private, key, for_)

    @ask.autocomplete("question")
    async def ask_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The questions the knowledge answers that best fit what is typed so far, in the
        reader's language where a translated question asks for the same fact."""
        matcher = self.bot.library.matcher
        language = locale_language(interaction.locale)
        questions = (
            clip(matcher.question_in(fact, language), CHOICE_NAME_LIMIT)
            for fact in matcher.complete(current or "", CHOICE_LIMIT)
        )
        return [app_commands.Choice(name=question, value=question) for question in questions]

    @readable_everywhere
    async def ask_from_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """The "Ask Footnote" message menu: answers the question in someone's message, as
        typed: someone else's words follow up on nothing the clicker asked."""
        await self._answer_interaction(interaction, Asked.ASK_MENU, message.content, None, None)

    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    @app_commands.allowed_installs(guilds=True, users=False)
    async def answer_in_channel(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """The "Answer this in the channel" menu: replies to the message for all to see, so its
        author gets the answer where they asked; servers only, as the bot itself posts it."""
        started = time.perf_counter()
        question = (message.content or "")[:MAX_QUESTION_CHARS]
        texts = policy_texts(self.bot.config.texts, interaction.locale)
        answer = await self._ask_for(interaction, Asked.ANSWER_MENU, question, None, texts)
        if answer is None:
            return
        await self._reply_for_everyone(interaction, message, question, answer, texts)
        self.bot.metrics.question(Asked.ANSWER_MENU, answer, started)
        await self._log_for_curators(answer, interaction.guild, interaction.channel)

    async def _reply_for_everyone(
        self,
        interaction: discord.Interaction,
        message: discord.Message,
        question: str,
        answer: Answer,
        texts: PolicyTexts,
    ) -> None:
        """Replies to the message with a stated answer; anything else only the clicker sees."""
        private = words_for(interaction.locale)
        if not answer.answered:
            unsure = answer.kind is AnswerKind.PROBABLE
            note = private("replies.not_sure_enough_to_post") if unsure else None
            await self._answer_privately(interaction, question, answer, texts, note)
            return
        channel = f"<#{message.channel.id}>"
        in_thread = isinstance(interaction.channel, discord.Thread)
        if lacking_to_reply(interaction.app_permissions, in_thread):
            note = private("replies.not_allowed_to_post", channel=channel)
            await self._answer_privately(interaction, question, answer, texts, note)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        language = reply_language(question, interaction.guild_locale)
        answer, words = in_language(answer, language), words_in(language)
        try:
            await message.reply(
                embed=answer_embed(answer, words, shared_by=interaction.user.display_name),
                view=self._public_view(answer, words, interaction.user.id),
                allowed_mentions=only_pinging(message.author, replied=True),
                mention_author=True,
            )
        except discord.HTTPException as error:
            log.warning("answer in channel %s refused: %s", message.channel.id, error)
            await send_private(interaction, private("replies.post_refused", channel=channel))
            return
        await send_private(interaction, private("replies.answered_in_channel"))

    async def _answer_interaction(
        self,
        interaction: discord.Interaction,
        surface: Asked,
        question: str,
        private: bool | None,
        conversation: Hashable | None,
        for_member: discord.abc.User | None = None,
    ) -> None:
        """Answers /ask or the private menu: privately, publicly, or publicly for a member."""
        started = time.perf_counter()
        question = (question or "")[:MAX_QUESTION_CHARS]
        private = self.bot.config.answering.ask_private if private is None else private
        texts = policy_texts(self.bot.config.texts, interaction.locale)
        answer = await self._ask_for(interaction, surface, question, conversation, texts)
        if answer is None:
            return
        language = reply_language(question, interaction.guild_locale)
        public, words = in_language(answer, language), words_in(language)
        if for_member is not None and answer.answered:
            await interaction.response.send_message(
                words("replies.addressed_to", mention=for_member.mention),
                embed=answer_embed(public, words),
                view=self._public_view(answer, words, interaction.user.id),
                allowed_mentions=only_pinging(for_member),
            )
        elif for_member is not None or private or answer.kind is AnswerKind.NONE:
            unsure = words_for(interaction.locale)("replies.not_sure_enough_to_post")
            note = unsure if for_member is not None else None
            await self._answer_privately(interaction, question, answer, texts, note)
        else:
            await interaction.response.send_message(
                embed=answer_embed(public, words),
                view=self._public_view(answer, words, interaction.user.id, public.suggestions),
            )
        self.bot.metrics.question(surface, answer, started)
        await self._log_for_curators(answer, interaction.guild, interaction.channel)

    async def _ask_for(
        self,
        interaction: discord.Interaction,
        surface: Asked,
        question: str,
        conversation: Hashable | None,
        texts: PolicyTexts,
    ) -> Answer | None:
        """The answer for whoever interacted, or None once they are told to slow down."""
        bot = self.bot
        wait = self._wait(interaction.guild_id, interaction.user.id, surface)
        if wait:
            await send_private(interaction, slow_down(wait, texts))
            return None
        return bot.conversations.ask(bot.library.matcher, conversation, question)

    def _wait(self, guild_id: int | None, user_id: int, surface: Asked) -> float:
        """Seconds until the member may ask again, 0 to go ahead (the ask is then counted); a
        refusal is counted in the metrics."""
        wait = self.bot.user_rate.retry_after(guild_id, user_id)
        if wait:
            self.bot.metrics.rate_limited(surface)
        return wait

    async def _answer_privately(
        self,
        interaction: discord.Interaction,
        question: str,
        answer: Answer,
        texts: PolicyTexts,
        note: str | None = None,
    ) -> None:
        """Only the person who interacted sees it, in their own language, with a note saying why
        when it was not posted."""
        bot = self.bot
        answer = in_language(answer, locale_language(interaction.locale))
        words = words_for(interaction.locale)
        if answer.kind is AnswerKind.NONE:
            helper = helpers_in(bot, interaction.guild)
            await interaction.response.send_message(
                dont_know_question(question, answer, texts, words),
                ephemeral=True,
                view=unanswered_view(answer.suggestions, words, helper=helper)
                or discord.utils.MISSING,
            )
            return
        # Share only what is stated: a shared "probably" would post, under someone's name, an
        # answer to a question they may not have asked, and re-sent from its key it would
        # lose its "probably". Its "did you mean" picks each come with their own Share.
        view = answer_view(
            answer.key,
            words,
            shareable=answer.answered,
            feedback=self._feedback_on,
            suggestions=answer.suggestions,
        )
        await interaction.response.send_message(
            note,
            embed=answer_embed(answer, words),
            ephemeral=True,
            view=view or discord.utils.MISSING,
        )

    # Buttons ------------------------------------------------------------------------------

    @commands.Cog.listener()
    @apologise_on_error
    async def on_footnote_vote(self, interaction: discord.Interaction, key: str, up: bool) -> None:
        """Counts a vote once per person per answer, and says so privately."""
        feedback = self.bot.feedback
        words = words_for(interaction.locale)
        if feedback is None or interaction.message is None:
            await send_private(interaction, words("replies.no_feedback"))
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
        await interaction.followup.send(words(VOTE_OUTCOMES[outcome.value]), ephemeral=True)

    @commands.Cog.listener()
    @apologise_on_error
    async def on_footnote_share(self, interaction: discord.Interaction, key: str) -> None:
        """Posts the answer publicly, crediting the sharer, unless it was just posted here."""
        answer = self._answer_for_key(key)
        private = words_for(interaction.locale)
        if answer is None:
            await send_private(interaction, private("replies.answer_gone"))
            return
        channel_id = interaction.channel_id or 0
        if not self.bot.channel_cooldown.claim(channel_id, key):
            await send_private(interaction, private("replies.just_shared"))
            return
        language = locale_language(interaction.guild_locale)
        shared, words = in_language(answer, language), words_in(language)
        await interaction.response.send_message(
            embed=answer_embed(shared, words, shared_by=interaction.user.display_name),
            view=self._public_view(answer, words, interaction.user.id),
        )
        if self.bot.feedback is not None:
            await self.bot.feedback.log_share(
                key, interaction.user.id, interaction.guild_id, interaction.channel_id
            )

    @commands.Cog.listener()
    @apologise_on_error
    async def on_footnote_pick(self, interaction: discord.Interaction, fact_id: str) -> None:
        """A 'did you mean' choice, answered privately, in the clicker's language, with a Share
        button."""
        knowledge = self.bot.library.knowledge
        fact = knowledge.facts.get(fact_id)
        words = words_for(interaction.locale)
        if fact is None:
            await send_private(interaction, words("replies.suggestion_gone"))
            return
        # Private, so in the clicker's own language, as a private /ask is.
        chosen = in_language(
            self.bot.library.matcher.fact_answer(fact), locale_language(interaction.locale)
        ).fact
        view = answer_view(fact.key, words, shareable=True, feedback=self._feedback_on)
        await interaction.response.send_message(
            embed=fact_embed(knowledge, chosen or fact, words),
            ephemeral=True,
            view=view or discord.utils.MISSING,
        )

    @commands.Cog.listener()
    @apologise_on_error
    async def on_footnote_delete(self, interaction: discord.Interaction, owner_id: int) -> None:
        """Removes a public answer for whoever triggered it or a moderator, so a wrong or
        unwanted post can go without waiting for one; anyone else is told privately."""
        words = words_for(interaction.locale)
        if interaction.user.id != owner_id and not interaction.permissions.manage_messages:
            await send_private(interaction, words("replies.only_asker_or_moderator"))
            return
        if interaction.message is None:
            await send_private(interaction, words("replies.already_removed"))
            return
        try:
            await interaction.response.defer()
            await interaction.message.delete()
        except discord.NotFound:
            await send_private(interaction, words("replies.already_removed"))
        except discord.HTTPException as error:
            log.warning("could not remove answer %s: %s", interaction.message.id, error)
            await send_private(interaction, words("replies.not_removed"))

    # Helpers ------------------------------------------------------------------------------

    @property
    def _feedback_on(self) -> bool:
        return self.bot.feedback is not None

    def _public_view(
        self, answer: Answer, words: Words, poster_id: int, suggestions: Sequence[Fact] = ()
    ) -> discord.ui.View:
        """The buttons under an answer everyone sees: votes, and 🗑 for whoever had it posted."""
        view = answer_view(
            answer.key,
            words,
            shareable=False,
            feedback=self._feedback_on,
            suggestions=suggestions,
            removable_by=poster_id,
        )
        assert view is not None, "a removable answer always has its 🗑"
        return view

    def _answer_for_key(self, key: str) -> Answer | None:
        """Rebuilds an answer from its key, if the knowledge still has it."""
        matcher = self.bot.library.matcher
        item = matcher.knowledge.by_key(key)
        if isinstance(item, Fact):
            return matcher.fact_answer(item)
        if item is not None:
            return matcher.summary_answer(item)
        facts = matcher.knowledge.facts_by_key(key)
        return matcher.comparison_answer(facts) if facts else None

    async def _log_for_curators(
        self, answer: Answer, guild: discord.Guild | None, channel: object
    ) -> None:
        """Every answer found is counted, so curators see what is used; unanswered and barely
        answered questions go to the curators' log as well."""
        feedback = self.bot.feedback
        if feedback is None:
            return
        if answer.kind is not AnswerKind.NONE:
            feedback.count_use(answer.key, guild.id if guild else None)
        threshold = self.bot.config.answering.answer_at
        unsure = answer.kind is AnswerKind.PROBABLE or (
            answer.kind is AnswerKind.FACT and answer.confidence < threshold + LOW_CONFIDENCE_BAND
        )
        if not (unsure or not answer.answered) or not answer.question.strip():
            return
        await feedback.log_unanswered(
            answer.question,
            answer.confidence,
            [(item.fact.id, item.score) for item in answer.candidates[:3]],
            guild.id if guild else None,
            getattr(channel, "id", None),
            answered_with=answer.key if answer.answered else None,
        )


async def setup(bot: commands.Bot) -> None:
    """Loads the feature; called by discord.py's extension loader."""
    await bot.add_cog(Ask(bot_of(bot)))
