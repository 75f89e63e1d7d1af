"""The buttons under answers. They survive restarts: all they need is in their custom ids.

Pressing one dispatches an event (`footnote_vote`, `footnote_share`, `footnote_pick`,
`footnote_delete`, `footnote_helper`) that the feature owning it handles, so the rendering here
knows nothing of what the buttons do.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from typing import Any

import discord

from bot.discordbot.ui.catalogue import Words
from bot.discordbot.ui.text import BUTTON_LABEL_LIMIT, BUTTONS_PER_ROW, clip
from bot.knowledge import Fact
from bot.knowledge.model import KEY_PATTERN

_KEY = rf"(?P<key>{KEY_PATTERN})"
MAX_KEY = 80
"""The longest key a button's custom id can carry within Discord's limit of 100 characters."""

PAGES_SECONDS = 600.0
"""How long page buttons work: an ephemeral message can be edited only with its interaction's
token, which Discord keeps for 15 minutes, so the buttons are removed before it lapses."""


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"fn:vote:(?P<value>up|down):{_KEY}"
):
    """👍 or 👎 on an answer; one vote per person per answer is kept."""

    def __init__(self, key: str, value: str) -> None:
        self.key, self.value = key, value
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                emoji="👍" if value == "up" else "👎",
                custom_id=f"fn:vote:{value}:{key}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> VoteButton:
        return cls(match["key"], match["value"])

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch("footnote_vote", interaction, self.key, self.value == "up")


class ShareButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"fn:share:{_KEY}"):
    """Posts a privately received answer publicly in the channel, crediting who shared it."""

    def __init__(self, key: str, label: str) -> None:
        self.key = key
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.primary, label=label, custom_id=f"fn:share:{key}"
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ShareButton:
        return cls(match["key"], _label_of(item))

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch("footnote_share", interaction, self.key)


class PickButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"fn:pick:(?P<fact>[a-z0-9-]{1,64})"
):
    """A 'did you mean' choice: answers that fact privately to whoever picks it."""

    def __init__(self, fact_id: str, label: str) -> None:
        self.fact_id = fact_id
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                label=clip(label, BUTTON_LABEL_LIMIT),
                custom_id=f"fn:pick:{fact_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PickButton:
        return cls(match["fact"], _label_of(item) or match["fact"])

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch("footnote_pick", interaction, self.fact_id)


DELETE_EMOJI = "\N{WASTEBASKET}\N{VARIATION SELECTOR-16}"
"""🗑 as Discord's emoji picker writes it, so it shows as the emoji rather than a text glyph."""


class DeleteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"fn:delete:(?P<owner>[0-9]{1,20})"
):
    """🗑 under a public answer; its id names who triggered the answer, who may remove it."""

    def __init__(self, owner_id: int) -> None:
        self.owner_id = owner_id
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                emoji=DELETE_EMOJI,
                custom_id=f"fn:delete:{owner_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DeleteButton:
        return cls(int(match["owner"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch("footnote_delete", interaction, self.owner_id)


class HelperButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"fn:helper"):
    """Under a question the bot could not answer: calls the server's helpers to the channel."""

    def __init__(self, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                emoji="🙋",
                label=label,
                custom_id="fn:helper",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> HelperButton:
        return cls(_label_of(item))

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch("footnote_helper", interaction)


BUTTONS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    VoteButton,
    ShareButton,
    PickButton,
    DeleteButton,
    HelperButton,
)
"""Registered with the bot at start so presses are handled even after a restart."""


def _label_of(item: discord.ui.Item[Any]) -> str:
    """The label a pressed button was sent with, in whichever language it was sent in."""
    return (item.label if isinstance(item, discord.ui.Button) else None) or ""


def answer_view(
    key: str,
    words: Words,
    *,
    shareable: bool,
    feedback: bool,
    suggestions: Sequence[Fact] = (),
    removable_by: int | None = None,
) -> discord.ui.View | None:
    """An answer's buttons; picks get a row of their own, and a public one 🗑 for removable_by."""
    view = suggestions_view(suggestions) or discord.ui.View(timeout=None)
    buttons: list[discord.ui.DynamicItem[Any]] = (
        [ShareButton(key, words("buttons.share"))] if shareable else []
    )
    if feedback:
        buttons += [VoteButton(key, "up"), VoteButton(key, "down")]
    if len(key) > MAX_KEY:
        buttons = []  # a comparison of many facts: its key does not fit in a button
    if removable_by is not None:
        buttons.append(DeleteButton(removable_by))
    for button in buttons:
        button.row = 1 if suggestions else None
        view.add_item(button)
    return view if view.children else None


def suggestions_view(suggestions: Sequence[Fact]) -> discord.ui.View | None:
    """One button per 'did you mean' suggestion, as many as fit on one row."""
    if not suggestions:
        return None
    view = discord.ui.View(timeout=None)
    for fact in suggestions[:BUTTONS_PER_ROW]:
        view.add_item(PickButton(fact.id, fact.question))
    return view


def removal_view(owner_id: int) -> discord.ui.View:
    """Only the 🗑, for a public post with nothing to vote on (a summary, cards side by side)."""
    view = discord.ui.View(timeout=None)
    view.add_item(DeleteButton(owner_id))
    return view


def unanswered_view(
    suggestions: Sequence[Fact], words: Words, *, helper: bool
) -> discord.ui.View | None:
    """The buttons under "I don't know": 'did you mean' picks, and "Ask a human" on its own row
    where a helper role is set."""
    view = suggestions_view(suggestions)
    if not helper:
        return view
    view = view or discord.ui.View(timeout=None)
    button = HelperButton(words("buttons.ask_a_human"))
    button.row = 1 if suggestions else None
    view.add_item(button)
    return view


class PagesView(discord.ui.View):
    """Previous and Next over embeds computed once: paging re-reads nothing, and the message is
    private to whoever asked, so the buttons need not outlive its token (see PAGES_SECONDS)."""

    def __init__(self, pages: Sequence[discord.Embed], words: Words) -> None:
        super().__init__(timeout=PAGES_SECONDS)
        self.pages = list(pages)
        self.page = 0
        self.message: discord.WebhookMessage | None = None
        self.back.label, self.on.label = words("buttons.previous"), words("buttons.next")
        self._show()

    def _show(self) -> None:
        """Disables the buttons that would page past either end."""
        self.back.disabled = self.page == 0
        self.on.disabled = self.page == len(self.pages) - 1

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.page = max(0, min(len(self.pages) - 1, self.page + step))
        self._show()
        await interaction.response.edit_message(embed=self.pages[self.page], view=self)

    @discord.ui.button(style=discord.ButtonStyle.secondary)
    async def back(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(style=discord.ButtonStyle.secondary)
    async def on(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, 1)

    async def on_timeout(self) -> None:
        """Takes the buttons away once they would stop working, rather than leave dead ones."""
        # A dismissed message, or a lapsed token, leaves nothing to tidy.
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=None)
