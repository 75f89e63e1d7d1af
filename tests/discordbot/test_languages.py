"""Answers in the asker's language on the fake Discord: a Chinese question gets the Chinese
answer in public, a zh-CN interaction gets it privately, and a missing one says so."""

from __future__ import annotations

from pathlib import Path

from bot.engine.languages import untranslated_note
from tests.discordbot.test_commands import EPHEMERAL, buttons, respond
from tests.engine.test_languages import UNTRANSLATED_FACT
from tests.knowledge.test_loader import TRANSLATED

CITATION = "Source: Mid-2026 Large Models Landscape"


def embed_of(message: dict) -> dict:
    (embed,) = message["embeds"]
    return embed


async def test_a_chinese_question_in_an_automatic_channel_gets_the_chinese_answer(
    fake_discord, footnote
):
    fake = fake_discord
    settings = {"channels": (fake.channel.id,)}
    async with footnote(discord={"message_content": True}, answering=settings):
        await fake.send_message(fake.channel, fake.user, "kimi 会员多少钱?")
        reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        await fake.send_message(fake.channel, fake.moderator, "deepseek v4 training cost?")
        english = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
    embed = embed_of(reply.json)
    assert embed["title"] == "Kimi 会员多少钱？"
    assert embed["description"] == "Kimi 的会员很便宜，每月只要 RMB 39 起。"
    assert embed["footer"]["text"].startswith(CITATION), "the citation stays as written"
    assert "fn:vote:up:fact:kimi-price" in buttons(reply.json), "one id in every language"
    assert embed_of(english.json)["description"].startswith("DeepSeek V4-Pro was trained for")


async def test_ask_with_a_chinese_locale_gets_the_chinese_answer_privately(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        record, callback = await respond(
            fake, fake.slash("ask", {"question": "how much does kimi cost a month"}, locale="zh-CN")
        )
    data = callback.json["data"]
    assert data["flags"] & EPHEMERAL
    embed = embed_of(data)
    assert embed["description"] == "Kimi 的会员很便宜，每月只要 RMB 39 起。"
    assert embed["footer"]["text"].startswith(CITATION)
    assert buttons(fake.messages[record.original_message_id])[0] == "fn:share:fact:kimi-price"


async def test_a_missing_translation_gives_the_original_with_a_note(
    fake_discord, footnote, tmp_path: Path
):
    fake = fake_discord
    path = tmp_path / "k.yaml"
    path.write_text(TRANSLATED + UNTRANSLATED_FACT, encoding="utf-8")
    async with footnote(knowledge_paths=(str(path),)):
        _, callback = await respond(
            fake, fake.slash("ask", {"question": "kimi context"}, locale="zh-CN")
        )
    embed = embed_of(callback.json["data"])
    assert embed["description"] == f"{untranslated_note('zh')}\nOver 2M tokens."
    assert embed["footer"]["text"].startswith("Source: Demo article")


async def test_a_did_you_mean_pick_answers_in_the_clickers_language(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        await fake.send_message(
            fake.channel, fake.user, f"{fake.bot.mention} how much did glm-5.1 cost to train"
        )
        reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        pick = next(i for i in buttons(reply.json) if i.startswith("fn:pick:"))
        message_id = int(reply.response["id"])
        _, chinese = await respond(fake, fake.component(message_id, pick, locale="zh-CN"))
        _, english = await respond(fake, fake.component(message_id, pick))
    assert chinese.json["data"]["flags"] & EPHEMERAL
    chosen, original = embed_of(chinese.json["data"]), embed_of(english.json["data"])
    assert chosen["description"] != original["description"]
    assert any("\u4e00" <= character <= "\u9fff" for character in chosen["description"])
    assert chosen["footer"]["text"] == original["footer"]["text"], "the citation stays"
