"""Every plain-text reply a person reads, and the two ways of sending a private one."""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import discord

from bot.config import PolicyTexts
from bot.discordbot.broadcast import Tally
from bot.discordbot.ui.catalogue import Words, words_for
from bot.discordbot.ui.embeds import quoted_question, unanswered_text
from bot.engine import Answer

log = logging.getLogger(__name__)

PROBLEMS_SHOWN = 15
"""Problems a refused reload lists; `footnote check` shows them all."""
DIGEST_SHOWN = 8
"""Hex digits of a knowledge digest in a reply: enough to tell two versions apart at a glance."""
VOTE_OUTCOMES = {
    "recorded": "replies.vote_recorded",
    "duplicate": "replies.vote_duplicate",
    "unavailable": "replies.vote_unavailable",
}
"""What a voter is told, by the feedback store's outcome: keys of the catalogue."""


def policy_texts(texts: Mapping[str, PolicyTexts], locale: object) -> PolicyTexts:
    """Each policy text in the host's wording for a locale (`zh-CN`), else for its language
    (`zh`), else the catalogue's for that language: a host may reword one text and keep the
    others."""
    code = str(locale) if locale else ""
    chosen = [texts[key] for key in dict.fromkeys((code, code.split("-")[0])) if key in texts]
    words = words_for(code)
    return PolicyTexts(
        **{
            spec.name: next(
                (text for own in chosen if (text := getattr(own, spec.name)) is not None),
                words.template(f"policy.{spec.name}"),
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


def just_answered(texts: PolicyTexts) -> str:
    """For a question answered in the channel a moment ago."""
    return _text(texts.just_answered)


def dont_know(answer: Answer, texts: PolicyTexts, words: Words) -> str:
    """For a mention nothing answers: how a follow-up was read, and whether near misses
    follow as buttons."""
    return unanswered_text(_text(texts.dont_know), answer, words)


def dont_know_question(question: str, answer: Answer, texts: PolicyTexts, words: Words) -> str:
    """For /ask or the message menu, echoing the question safely."""
    return unanswered_text(
        _text(texts.dont_know_question, question=quoted_question(question)), answer, words
    )


def unknown_topics(words: Words, *texts: str) -> str:
    """For /summary or /compare naming topics the knowledge lacks."""
    names = words("replies.names_joined").join(f"“{quoted_question(text)}”" for text in texts)
    return words("replies.unknown_topics", names=names)


def calling_helpers(words: Words, role_id: int, user_id: int, question_link: str | None) -> str:
    """Pings the helper role (the only mention allowed) for a question the bot could not
    answer, linking it when it is public."""
    where = (
        words("replies.calling_helpers_link", link=question_link)
        if question_link
        else words("replies.calling_helpers_no_link")
    )
    return words(
        "replies.calling_helpers", role=f"<@&{role_id}>", user=f"<@{user_id}>", where=where
    )


def reload_refused(words: Words, problems: list[str]) -> str:
    """For a reload that kept the old knowledge, with the first few problems."""
    shown = "\n".join(f"- {problem}" for problem in problems[:PROBLEMS_SHOWN])
    more = len(problems) - PROBLEMS_SHOWN
    tail = "\n" + words("replies.reload_more", more=more) if more > 0 else ""
    return f"{words('replies.reload_refused')}\n```\n{shown}\n```{tail}"


def reload_tally(words: Words, tally: Tally) -> str:
    """How many processes serve which knowledge after a reload that reached them all, which
    failed and why, and which did not answer."""
    total = len(tally.answers) + len(tally.silent)
    digests = Counter(answer.digest for answer in tally.answers if answer.ok)
    parts = [
        words(
            "replies.reload_tally_on" if index == 0 else "replies.reload_tally_also_on",
            count=count,
            total=total,
            digest=digest[:DIGEST_SHOWN],
        )
        for index, (digest, count) in enumerate(digests.most_common())
    ]
    failed = [answer for answer in tally.answers if not answer.ok]
    if failed:
        problems = "; ".join(f"{answer.process}: {answer.problem}" for answer in failed)
        parts.append(words("replies.reload_tally_failed", count=len(failed), problems=problems))
    if tally.silent:
        processes = ", ".join(tally.silent)
        parts.append(
            words("replies.reload_tally_silent", count=len(tally.silent), processes=processes)
        )
    return words("replies.reload_tally_separator").join(parts)


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
            await send_private(interaction, words_for(interaction.locale)("replies.apology"))

    return guarded
