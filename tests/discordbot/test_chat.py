"""Answers in chat, end to end: the real bot, the fake Discord, and what Discord received."""

from __future__ import annotations

import pytest

from tests.discordbot.harness import COIN_FLIP, UNSURE
from tests.discordbot.test_commands import embed_of
from tests.fake_discord import FakeDiscord

EVERYONE = "@everyone"
PROBABLY = "Probably — not sure this is what you asked"


async def test_mention_gets_a_sourced_answer_that_pings_nobody_else(fake_discord, footnote):
    fake: FakeDiscord = fake_discord
    async with footnote():
        asked = await fake.send_message(
            fake.channel, fake.user, f"{fake.bot.mention} what did qwen score on terminalbench?"
        )
        reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
    embed = embed_of(reply.json)
    assert "69.7" in embed["description"]
    assert "Mid-2026 Large Models Landscape" in embed["footer"]["text"]
    assert "2026-06-01" in embed["footer"]["text"]
    assert "Qwen3.7-Max" in embed["footer"]["text"], "the section is cited"
    assert reply.json["message_reference"]["message_id"] == asked
    mentions = reply.json["allowed_mentions"]
    assert mentions["parse"] == []
    assert not mentions.get("users") and not mentions.get("roles")
    buttons = [c["custom_id"] for row in reply.json["components"] for c in row["components"]]
    assert buttons == [
        "fn:vote:up:fact:qwen-terminalbench",
        "fn:vote:down:fact:qwen-terminalbench",
        f"fn:delete:{fake.user.id}",
    ]


async def test_mention_without_an_answer_says_so_with_suggestions(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} what's the weather")
        reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        assert reply.json["content"].startswith("I don't know that one.")
        assert not reply.json.get("components")

        await fake.send_message(
            fake.channel, fake.user, f"{fake.bot.mention} how much did glm-5.1 cost to train"
        )
        reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
    assert "Did you mean" in reply.json["content"]
    picks = [c["custom_id"] for row in reply.json["components"] for c in row["components"]]
    assert 1 <= len(picks) <= 3 and any(p.startswith("fn:pick:glm-") for p in picks)


async def test_mention_gets_one_probably_reply_naming_the_question_it_answers(
    fake_discord, footnote
):
    fake = fake_discord
    async with footnote(answering=UNSURE, calibration=COIN_FLIP):
        asked = await fake.send_message(
            fake.channel, fake.user, f"{fake.bot.mention} what did kimi improve?"
        )
        reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
    assert reply.json["message_reference"]["message_id"] == asked
    assert not reply.json.get("content"), "one message: everything is in the embed"
    embed = embed_of(reply.json)
    assert embed["title"] == PROBABLY
    assert embed["description"].startswith("Closest match: *What did Kimi K2.6 improve?*")
    assert "agent-based task planning" in embed["description"]
    assert embed["footer"]["text"].startswith("Source: Mid-2026 Large Models Landscape")
    picks, votes = ([c["custom_id"] for c in row["components"]] for row in reply.json["components"])
    assert 1 <= len(picks) <= 3 and all(p.startswith("fn:pick:kimi-") for p in picks)
    assert "fn:pick:kimi-improvements" not in picks, "the closest match is not offered again"
    assert votes == [
        "fn:vote:up:fact:kimi-improvements",
        "fn:vote:down:fact:kimi-improvements",
        f"fn:delete:{fake.user.id}",
    ]


async def test_automatic_channel_is_silent_where_a_mention_gets_probably(fake_discord, footnote):
    fake = fake_discord
    settings = {**UNSURE, "channels": (fake.channel.id,)}
    async with footnote(
        discord={"message_content": True}, answering=settings, calibration=COIN_FLIP
    ):
        await fake.send_message(fake.channel, fake.user, "what did kimi improve?")
        asked = await fake.send_message(
            fake.channel, fake.user, f"{fake.bot.mention} what did kimi improve?"
        )
        reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
    assert reply.json["message_reference"]["message_id"] == asked, "only the mention is answered"
    assert embed_of(reply.json)["title"] == PROBABLY
    posts = [r for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert len(posts) == 1


async def test_automatic_channel_answers_questions_and_ignores_chatter(fake_discord, footnote):
    fake = fake_discord
    settings = {"channels": (fake.channel.id,)}
    async with footnote(discord={"message_content": True}, answering=settings):
        await fake.send_message(fake.channel, fake.user, "what's the weather like today?")
        await fake.send_message(fake.channel, fake.user, "kimi price per month")
        await fake.send_message(fake.channel, fake.user, "how much is kimi a month?")
        reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        assert "RMB 39" in embed_of(reply.json)["description"]
        await fake.send_message(fake.channel, fake.user, "hello everyone?")
        await fake.send_message(fake.channel, fake.moderator, "deepseek v4 training cost?")
        reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
    assert "5.57" in embed_of(reply.json)["description"]
    posts = [r for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert len(posts) == 2, "no reply to chatter, to an unanswerable question, or a non-question"


async def test_never_answers_bots_or_itself(fake_discord, footnote):
    fake = fake_discord
    robot = fake.add_user("robot", bot=True)
    fake.add_member(fake.guild, robot)
    async with footnote():
        await fake.send_message(fake.channel, robot, f"{fake.bot.mention} kimi price?")
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
        await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} glm license?")
        await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
    posts = [r for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert len(posts) == 2


async def test_same_answer_is_not_posted_twice_and_fast_askers_get_a_note(fake_discord, footnote):
    fake = fake_discord
    async with footnote(answering={"user_rate_count": 2, "user_rate_seconds": 60.0}):
        for user in (fake.user, fake.moderator):
            await fake.send_message(fake.channel, user, f"{fake.bot.mention} kimi price?")
        first = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        second = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        assert "RMB 39" in embed_of(first.json)["description"]
        assert second.json["content"] == "I answered that here a moment ago; see just above."
        for _ in range(2):
            await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} glm license?")
        await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        note = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
    assert note.json["content"].startswith("You're asking quickly; try again in")


@pytest.mark.parametrize(
    "question",
    [
        f"{EVERYONE} kimi price?",
        "@here <@&123456789012345678> what's the [price](https://evil.example) of kimi?",
    ],
)
async def test_mass_mentions_in_a_question_never_ping(fake_discord, footnote, question):
    fake = fake_discord
    async with footnote():
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} {question}")
        reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
    assert reply.json["allowed_mentions"]["parse"] == []
    assert reply.response["mention_everyone"] is False
    assert reply.response["mention_roles"] == []
    assert [m["id"] for m in reply.response["mentions"]] in ([], [str(fake.user.id)])


async def test_a_channel_the_bot_may_not_send_in_is_never_tried(fake_discord, footnote, caplog):
    """A refused request counts against Discord's per-IP limit of invalid requests."""
    fake = fake_discord
    async with footnote():
        closed = fake.no_send_channel
        await fake.send_message(closed, fake.user, f"{fake.bot.mention} kimi price?")
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} glm license?")
        reply = await fake.wait_for_request(
            "POST", rf"/channels/{fake.channel.id}/messages", status=200
        )
    assert "MIT" in embed_of(reply.json)["description"]
    assert not [r for r in fake.requests if f"/channels/{closed.id}/" in r.path]
    assert f"no permission to reply in channel {closed.id}: needs send_messages" in caplog.text


@pytest.mark.parametrize("status", [429, 500, 502])
async def test_discord_errors_are_retried_until_delivered(fake_discord, footnote, status):
    fake = fake_discord
    async with footnote():
        fake.fail_next("POST", rf"/channels/{fake.channel.id}/messages", status=status)
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
        failed = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        assert failed.status == status
        delivered = await fake.wait_for_request(
            "POST", rf"/channels/{fake.channel.id}/messages", status=200, timeout=10
        )
    assert "RMB 39" in embed_of(delivered.json)["description"]
