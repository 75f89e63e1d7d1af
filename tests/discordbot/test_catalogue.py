"""The interface catalogues: every language has every text, fills in the same placeholders,
and every key the code asks for exists, so no reader ever meets a missing or broken text."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import discord
import pytest

from bot.config import PolicyTexts
from bot.discordbot.ui.catalogue import (
    CATALOGUES,
    DEFAULT_LANGUAGE,
    CatalogueError,
    CatalogueTranslator,
    catalogue_problems,
    localised,
    parse_catalogue,
    placeholders,
    words_for,
    words_in,
)
from bot.discordbot.ui.replies import policy_texts

DISCORD_LAYER = Path(__file__).resolve().parents[2] / "bot" / "discordbot"
SECTIONS = {key.split(".")[0] for key in CATALOGUES[DEFAULT_LANGUAGE]}
_KEY = re.compile(rf"(?:{'|'.join(sorted(SECTIONS))})\.[a-z_.]+")


def keys_in_code() -> set[str]:
    """Every catalogue key written out in the Discord layer's code."""
    found = set()
    for path in DISCORD_LAYER.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and _KEY.fullmatch(text):
                found.add(text)
    return found


def test_chinese_is_bundled_beside_english() -> None:
    assert {"en", "zh"} <= set(CATALOGUES)
    assert catalogue_problems(CATALOGUES) == []


def test_every_key_the_code_asks_for_exists_and_every_text_is_used() -> None:
    used = keys_in_code() | {f"policy.{field.name}" for field in dataclasses.fields(PolicyTexts)}
    english = set(CATALOGUES[DEFAULT_LANGUAGE])
    assert used - english == set(), "asked for but not in the catalogue"
    assert english - used == set(), "in the catalogue but never shown"


def test_a_missing_text_or_a_different_placeholder_is_found() -> None:
    english = {"replies.posted": "Posted in {channel}.", "replies.gone": "Gone."}
    chinese = {"replies.posted": "已发到 {频道}。"}
    problems = catalogue_problems({"en": english, "zh": chinese})
    assert problems == [
        "zh.yaml: replies.gone: missing",
        "zh.yaml: replies.posted: fills in ['频道'], English ['channel']",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("replies: [1, 2", "x.yaml: not valid YAML"),
        ("- just a list", "x.yaml: expected sections of texts"),
        ("replies:\n  posted: 3", "x.yaml: replies.posted: expected a text, found 3"),
    ],
)
def test_a_broken_catalogue_file_is_named_in_one_line(text: str, problem: str) -> None:
    with pytest.raises(CatalogueError) as raised:
        parse_catalogue("x.yaml", text)
    assert str(raised.value).startswith(problem)


def test_placeholders_ignore_their_format() -> None:
    assert placeholders("try again in {seconds:.0f} s, {who}") == {"seconds", "who"}


def test_a_locale_picks_its_language_and_anything_else_english() -> None:
    assert words_for("zh-CN")("buttons.share") == "分享"
    assert words_for("zh-TW")("buttons.share") == "分享"
    assert words_for("en-GB")("buttons.share") == "Share"
    assert words_for("pt-BR")("buttons.share") == "Share", "no catalogue: English"
    assert words_for(None)("buttons.share") == "Share"
    assert words_in("zh")("replies.posted", channel="#x") == "已发到 #x。"


def test_policy_texts_come_from_the_readers_catalogue_unless_the_host_rewords_them() -> None:
    chinese = policy_texts({}, "zh-CN")
    assert chinese.dont_know == CATALOGUES["zh"]["policy.dont_know"]
    reworded = policy_texts({"zh": PolicyTexts(dont_know="不晓得。")}, "zh-CN")
    assert reworded.dont_know == "不晓得。"
    assert reworded.slow_down == CATALOGUES["zh"]["policy.slow_down"], "the rest kept"


async def test_the_translator_gives_chinese_for_both_chinese_locales_and_leaves_english() -> None:
    translator = CatalogueTranslator()
    name = localised("commands.ask.name")
    context = discord.app_commands.TranslationContext(
        discord.app_commands.TranslationContextLocation.command_name, None
    )
    assert name.message == "ask"
    assert await translator.translate(name, discord.Locale.chinese, context) == "提问"
    assert await translator.translate(name, discord.Locale.taiwan_chinese, context) == "提问"
    assert await translator.translate(name, discord.Locale.american_english, context) is None
    assert await translator.translate(name, discord.Locale.japanese, context) is None
    unkeyed = discord.app_commands.locale_str("ask")
    assert await translator.translate(unkeyed, discord.Locale.chinese, context) is None
