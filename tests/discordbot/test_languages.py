"""Answers in the asker's language on the fake Discord: a Chinese question gets the Chinese
answer in public, a zh-CN interaction gets it privately, and a missing one says so."""

from __future__ import annotations

from pathlib import Path

from bot.engine.languages import untranslated_note
from tests.discordbot.test_commands import EPHEMERAL, buttons, embed_of, respond
from tests.engine.test_languages import UNTRANSLATED_FACT
from tests.knowledge.test_loader import TRANSLATED

CITATION = "Mid-2026 Large Models Landscape"
CHINESE_CITATION = f"来源：{CITATION}"
"""The footer's label is in the reader's language; the citation stays as written."""


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
    assert embed["footer"]["text"].startswith(CHINESE_CITATION), "the citation stays as written"
    assert "fn:vote:up:fact:kimi-price" in buttons(reply.json), "one id in every language"
    assert embed_of(english.json)["description"].startswith("Training DeepSeek V4-Pro cost")


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
    assert embed["footer"]["text"].startswith(CHINESE_CITATION)
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
    assert embed["footer"]["text"].startswith("来源：Demo article")


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
    assert chosen["footer"]["text"] == original["footer"]["text"].replace("Source: ", "来源："), (
        "the citation stays"
    )


def localisations(spec: dict, field: str = "name") -> dict:
    return spec.get(f"{field}_localizations") or {}


async def test_synced_commands_carry_chinese_names_and_descriptions(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        put = await fake.wait_for_request("PUT", r"/applications/\d+/guilds/\d+/commands")
    commands = {command["name"]: command for command in put.json}
    ask = commands["ask"]
    assert localisations(ask) == {"zh-CN": "提问", "zh-TW": "提问"}
    assert localisations(ask, "description")["zh-CN"] == "就收录的文章提一个问题。"
    options = {option["name"]: option for option in ask["options"]}
    assert localisations(options["question"])["zh-CN"] == "问题"
    assert localisations(options["for"], "description")["zh-CN"].startswith("把回答发在频道里")
    assert localisations(commands["Ask Footnote"])["zh-CN"] == "问 Footnote"
    (reload_,) = [o for o in commands["footnote"]["options"] if o["name"] == "reload"]
    assert localisations(reload_)["zh-CN"] == "重新加载"
    for command in put.json:
        assert "zh-CN" in localisations(command), f"{command['name']} has no Chinese name"
        for option in command.get("options", []):
            assert "zh-CN" in localisations(option), f"{command['name']} {option['name']}"


async def test_a_chinese_locale_gets_the_interface_in_chinese(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        _, help_ = await respond(fake, fake.slash("help", locale="zh-CN"))
        unasked = {"question": "weather in lima today"}
        _, unknown = await respond(fake, fake.slash("ask", unasked, locale="zh-CN"))
        record, _ = await respond(
            fake, fake.slash("ask", {"question": "kimi price"}, locale="zh-CN")
        )
        _, english = await respond(fake, fake.slash("help"))
    fields = {field["name"]: field["value"] for field in embed_of(help_.json["data"])["fields"]}
    assert fields["/提问"] == "就收录的文章提一个问题。"
    assert fields["/footnote 缺口"].startswith("这里有哪些问题没答上")
    assert fields["问 Footnote"] == "右键点击一条消息 → 应用 → 问 Footnote。"
    assert "/ask" in {field["name"] for field in embed_of(english.json["data"])["fields"]}
    assert unknown.json["data"]["content"].startswith("我不知道“weather in lima today”的答案。")
    message = fake.messages[record.original_message_id]
    (share,) = [
        button
        for row in message["components"]
        for button in row["components"]
        if button["custom_id"].startswith("fn:share:")
    ]
    assert share["label"] == "分享"


async def test_a_chinese_question_gets_the_chinese_interface_in_public(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} 利马今天天气怎么样？")
        unknown = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention}  ")
        empty = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        _, summary = await respond(fake, fake.slash("summary", {"topic": "月之暗面"}))
    assert unknown.json["content"].startswith("这个我不知道。")
    assert empty.json["content"].startswith("Ask me a question"), "no words, the server's"
    embed = embed_of(summary.json["data"])
    assert embed["footer"]["text"].startswith("来源：")
    assert any("\u4e00" <= character <= "\u9fff" for character in embed["description"])
