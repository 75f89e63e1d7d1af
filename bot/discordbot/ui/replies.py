"""Every plain-text reply a person reads, and the two ways of sending a private one."""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import discord

from bot.config import PolicyTexts
from bot.discordbot.ui.embeds import quoted_question, unanswered_text
from bot.engine import Answer

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side. The error has been logged."
NOT_ALLOWED = "You don't have permission to do that here."
ASK_ME = "Ask me a question about the articles I know, or try `/help`."
BUILT_IN = PolicyTexts(
    dont_know="I don't know that one.",
    dont_know_question="I don't know the answer to “{question}”.",
    slow_down="You're asking quickly; try again in {seconds:.0f} s.",
    just_answered="I answered that here a moment ago; see just above.",
)
"""The replies that are policy, as templates a host may reword per language (`texts`)."""
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
ANSWERED_IN_CHANNEL = "Answered in the channel."
NOT_SURE_ENOUGH_TO_POST = "I'm not sure enough of this to post it for them, so only you see it."
FOR_IS_PUBLIC = "An answer `for` someone is posted in the channel, so it can't be `private` too."
ONLY_ASKER_OR_MODERATOR = "Only the asker or a moderator can remove this."
ALREADY_REMOVED = "That answer was already removed."
NOT_REMOVED = "I couldn't remove that answer; a moderator can delete it."
ONLY_THIS_SERVER = "I can only post summaries to channels of this server."
REPORT_UNREADABLE = "I can't read the feedback log right now; try again in a moment."
HELPERS_CALLED = "Someone was called here a moment ago; they'll be along."
HELPERS_OFF = "There is no one to call here."
PROBLEMS_SHOWN = 15
"""Problems a refused reload lists; `footnote check` shows them all."""


def policy_texts(texts: Mapping[str, PolicyTexts], locale: object) -> PolicyTexts:
    """Each policy text in the host's wording for a locale (`zh-CN`), else for its language
    (`zh`), else built in: a host may reword one text and keep the others."""
    code = str(locale) if locale else ""
    chosen = [texts[key] for key in dict.fromkeys((code, code.split("-")[0])) if key in texts]
    return PolicyTexts(
        **{
            spec.name: next(
                (text for own in chosen if (text := getattr(own, spec.name)) is not None),
                getattr(BUILT_IN, spec.name),
            )
            for spec in dataclasses.fields(PolicyTexts)
        }
    )


def _text(template: str | None, **values: Any) -> str:
    """A policy text filled in; its placeholders were checked when the config was loaded."""
    assert template is not None, "policy_texts fills in every text"
    return template.format(**values)


def slow_down(wait: float, texts: PolicyTexts) -> str:
    """For a member over the rate limit."""
    return _text(texts.slow_down, seconds=wait)


def addressed_to(mention: str) -> str:
    """For an answer posted for someone with `/ask for:`, so they see it is theirs."""
    return f"For {mention}:"


def just_answered(texts: PolicyTexts) -> str:
    """For a question answered in the channel a moment ago."""
    return _text(texts.just_answered)


def dont_know(answer: Answer, texts: PolicyTexts) -> str:
    """For a mention nothing answers: how a follow-up was read, and whether near misses
    follow as buttons."""
    return unanswered_text(_text(texts.dont_know), answer)


def dont_know_question(question: str, answer: Answer, texts: PolicyTexts) -> str:
    """For /ask or the message menu, echoing the question safely."""
    return unanswered_text(
        _text(texts.dont_know_question, question=quoted_question(question)), answer
    )


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
