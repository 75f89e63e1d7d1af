"""Discord's size limits and markdown safety, applied to every text the bot sends."""

from __future__ import annotations

import re

import discord

CONTENT_LIMIT = 2_000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4_096
EMBED_FIELD_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1_024
FOOTER_LIMIT = 2_048
EMBED_TOTAL_LIMIT = 6_000
CUSTOM_ID_LIMIT = 100
BUTTON_LABEL_LIMIT = 80
BUTTONS_PER_ROW = 5
CHOICE_LIMIT = 25
CHOICE_NAME_LIMIT = 100
CUT_MARKER = "…"

_MASKED_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_LINE_START_MARKUP = re.compile(r"^(\s*)(#{1,3}\s|-#\s|>>> |> )", re.MULTILINE)
_MENTION = re.compile(r"<(@[!&]?|#)(\d+)>")


def clip(text: str, limit: int) -> str:
    """Text cut to a limit at a word boundary, with a marker, so Discord never rejects it."""
    if len(text) <= limit:
        return text
    room = limit - len(CUT_MARKER)
    cut = text[:room]
    space = cut.rfind(" ")
    if space > room * 0.6:
        cut = cut[:space]
    return cut.rstrip() + CUT_MARKER


def escape_user_text(text: str) -> str:
    """A user's words shown back inert: no markdown, no masked links, no mentions, no headings."""
    text = discord.utils.escape_markdown(text)
    text = _MASKED_LINK.sub(lambda m: f"{m[1]} ({m[2]})", text)
    text = _LINE_START_MARKUP.sub(lambda m: f"{m[1]}\\{m[2]}", text)
    return neutralise_mentions(text)


def escape_knowledge_text(text: str) -> str:
    """Curated text keeps its plain formatting but cannot hide links or ping anyone."""
    text = _MASKED_LINK.sub(lambda m: f"{m[1]} ({m[2]})", text)
    return neutralise_mentions(text)


def neutralise_mentions(text: str) -> str:
    """Mentions made visibly inert, as a second line of defence behind AllowedMentions.none()."""
    text = _MENTION.sub(lambda m: f"<{m[1]}\u200b{m[2]}>", text)
    return text.replace("@everyone", "@\u200beveryone").replace("@here", "@\u200bhere")
