"""Every plain-text reply a person reads, and the two ways of sending a private one."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.discordbot.ui.embeds import quoted_question, unanswered_text
from bot.engine import Answer

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side. The error has been logged."
NOT_ALLOWED = "You don't have permission to do that here."
ASK_ME = "Ask me a question about the articles I know, or try `/help`."
DONT_KNOW = "I don't know that one."
JUST_ANSWERED = "I answered that here a moment ago; see just above."
NO_FEEDBACK = "Feedback isn't being collected here."
VOTE_OUTCOMES = {
    "recorded": "Thanks, your feedback was recorded.",
    "duplicate": "You already gave feedback on this answer.",
    "unavailable": "Sorry, feedback is unavailable right now.",
}
"""What a voter is told, by the feedback store's outcome."""
ANSWER_GONE = "That answer is no longer available."
JUST_SHARED = "That answer was posted here a moment ago."
SUGGESTION_GONE = "That suggestion is no longer available."
ONLY_THIS_SERVER = "I can only post summaries to channels of this server."
REPORT_UNREADABLE = "I can't read the feedback log right now; try again in a moment."
HELPERS_CALLED = "Someone was called here a moment ago; they'll be along."
HELPERS_OFF = "There is no one to call here."
PROBLEMS_SHOWN = 15
"""Problems a refused reload lists; `footnote check` shows them all."""


def slow_down(wait: float) -> str:
    """For a member over the rate limit."""
    return f"You're asking quickly; try again in {wait:.0f} s."


def dont_know(answer: Answer) -> str:
    """For a mention nothing answers: how a follow-up was read, and whether near misses
    follow as buttons."""
    return unanswered_text(DONT_KNOW, answer)


def dont_know_question(question: str, answer: Answer) -> str:
    """For /ask or the message menu, echoing the question safely."""
    return unanswered_text(f"I don't know the answer to “{quoted_question(question)}”.", answer)


def unknown_topics(*texts: str) -> str:
    """For /summary or /compare naming topics the knowledge lacks."""
    names = " or ".join(f"“{quoted_question(text)}”" for text in texts)
    return f"I don't know a topic called {names}; try `/topics`."


def needs_manage_messages(channel: str) -> str:
    """For posting a summary elsewhere without the right to."""
    return f"You need Manage Messages in {channel} to post there."


def not_allowed_to_post(channel: str) -> str:
    """For a channel the bot may not post in."""
    return f"I'm not allowed to post in {channel}."


def post_refused(channel: str) -> str:
    """For a post Discord refused for another reason."""
    return f"Discord refused the post in {channel}."


def calling_helpers(role_id: int, user_id: int, question_link: str | None) -> str:
    """Pings the helper role (the only mention allowed) for a question the bot could not
    answer, linking it when it is public."""
    where = f": {question_link}" if question_link else "."
    return f"<@&{role_id}>, <@{user_id}> has a question I couldn't answer{where}"


def posted(channel: str) -> str:
    """For a summary posted elsewhere."""
    return f"Posted in {channel}."


def reloaded(sources: int, topics: int, facts: int) -> str:
    """For a reload that worked."""
    return f"Reloaded: {sources} sources, {topics} topics, {facts} facts."


def reload_refused(problems: list[str]) -> str:
    """For a reload that kept the old knowledge, with the first few problems."""
    shown = "\n".join(f"- {problem}" for problem in problems[:PROBLEMS_SHOWN])
    more = len(problems) - PROBLEMS_SHOWN
    tail = f"\n…and {more} more; run `footnote check`." if more > 0 else ""
    return (
        f"The new knowledge has problems, so I kept serving the old one:\n```\n{shown}\n```{tail}"
    )


async def send_private(interaction: discord.Interaction, message: str) -> None:
    """A private note to whoever interacted, whether or not the interaction was answered yet."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
    except discord.HTTPException as error:
        log.warning("could not send a private note: %s", error)


Handler = Callable[..., Awaitable[None]]


def apologise_on_error(handler: Handler) -> Handler:
    """Wraps a button handler so a failure is logged and the user gets a private apology."""

    @functools.wraps(handler)
    async def guarded(self: Any, interaction: discord.Interaction, *args: Any) -> None:
        try:
            await handler(self, interaction, *args)
        except Exception:
            log.exception("%s failed", handler.__name__)
            await send_private(interaction, APOLOGY)

    return guarded
