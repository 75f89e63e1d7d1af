"""The curator's loop over the fake Discord: counted answers, /footnote gaps, the weekly digest
and the "Ask a human" button."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bot.config import PolicyTexts
from bot.discordbot.exts.curation import Curation, digest_week
from bot.discordbot.services import ChannelCooldown
from bot.feedback import FeedbackStore
from tests.discordbot.harness import BUNDLED
from tests.discordbot.test_commands import CALLBACK, EPHEMERAL, FOLLOWUP, buttons, respond
from tests.fake_discord import FakeDiscord

MONDAY_NOON = datetime(2026, 11, 30, 12, tzinfo=UTC).timestamp()
WEEK = 7 * 86_400.0
ELSEWHERE = 999
"""Another server sharing the bot: its questions never show in this one's gaps or digest."""
UNANSWERED = [
    "how much is kimi a month",
    "who founded moonshot",
    "does glm run on a phone",
    "is deepseek open source",
    "what gpu trained qwen",
    "can minimax write poems",
    "where is zhipu based",
]


async def seed(path: Path, now: float, guild_id: int) -> None:
    """Feedback as the bot would have logged it in two servers before it starts."""
    store = FeedbackStore(path, retention_days=90, clock=lambda: now)
    assert await store.open()
    for question in [UNANSWERED[0], *UNANSWERED]:
        await store.log_unanswered(question, 0.2, [("kimi-price", 0.9)], guild_id, 1)
    await store.log_unanswered("secret of the other server", 0.1, [], ELSEWHERE, 2)
    await store.vote("fact:glm-swebench-pro", 5, 1, -1, guild_id, 1)
    store.count_use("fact:kimi-price", guild_id)
    await store.close()


def curation(bot) -> Curation:
    """The running Curation cog: discord.py imports an extension afresh for each bot, so its
    class is not the one imported here."""
    cog = bot.get_cog("Curation")
    assert cog is not None
    return cog


async def test_answers_given_are_counted_without_who_asked(fake_discord, footnote, tmp_path):
    fake = fake_discord
    async with footnote():
        await respond(fake, fake.slash("ask", {"question": "kimi price"}))
        await respond(fake, fake.slash("ask", {"question": "how much does kimi cost a month"}))
        await respond(fake, fake.slash("ask", {"question": "best pizza in town?"}))
    with closing(sqlite3.connect(tmp_path / "feedback.db")) as db:
        assert db.execute("SELECT guild_id, answer_key, count FROM uses").fetchall() == [
            (fake.guild.id, "fact:kimi-price", 2)
        ]
        dump = "\n".join(db.iterdump())
    assert str(fake.user.id) not in dump


async def test_gaps_pages_this_servers_gaps_with_phrasings_to_copy(
    fake_discord: FakeDiscord, footnote, tmp_path: Path
):
    fake = fake_discord
    await seed(tmp_path / "feedback.db", MONDAY_NOON, fake.guild.id)
    async with footnote(clock=lambda: MONDAY_NOON):
        _, denied = await respond(fake, fake.slash("footnote gaps", user=fake.user))
        assert denied.json["data"]["content"] == "You don't have permission to do that here."

        record = await fake.send_interaction(fake.slash("footnote gaps", user=fake.moderator))
        await fake.wait_for_request("POST", CALLBACK.format(record.id))
        first = await fake.wait_for_request("POST", FOLLOWUP)
        assert first.json["flags"] & EPHEMERAL
        (page,) = first.json["embeds"]
        assert page["title"] == "Asked, not answered"
        assert page["footer"]["text"].startswith("Page 1 of 3 · 8 unanswered")
        assert len(page["fields"]) == 5
        snippet = page["fields"][0]["value"].split("```yaml\n")[1].split("\n```")[0]
        assert yaml.safe_load(snippet) == [{"id": "kimi-price", "also": [UNANSWERED[0]]}]
        assert "secret" not in str(first.json)

        message_id = int(first.response["id"])
        back, on = buttons(fake.messages[message_id])
        _, second = await respond(fake, fake.component(message_id, on, user=fake.moderator))
        assert second.json["type"] == 7
        (page,) = second.json["data"]["embeds"]
        assert page["footer"]["text"].startswith("Page 2 of 3")
        assert len(page["fields"]) == 2
        _, third = await respond(fake, fake.component(message_id, on, user=fake.moderator))
        (page,) = third.json["data"]["embeds"]
        assert page["title"] == "Worst-rated answers"
        assert page["fields"][0]["name"] == "👎 1 · 👍 0 · fact:glm-swebench-pro"
        _, again = await respond(fake, fake.component(message_id, back, user=fake.moderator))
    assert again.json["data"]["embeds"][0]["footer"]["text"].startswith("Page 2 of 3")


async def test_gaps_without_anything_logged_is_one_page(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        record = await fake.send_interaction(fake.slash("footnote gaps", user=fake.moderator))
        await fake.wait_for_request("POST", CALLBACK.format(record.id))
        only = await fake.wait_for_request("POST", FOLLOWUP)
    assert only.json["embeds"][0]["description"] == (
        "No unanswered questions or down-voted answers here."
    )
    assert not only.json.get("components")


def test_a_digests_week_is_named_by_its_last_weekday() -> None:
    assert digest_week(MONDAY_NOON, 0) == "2026-11-30"
    assert digest_week(MONDAY_NOON + 3 * 86_400, 0) == "2026-11-30", "late, but that week's"
    assert digest_week(MONDAY_NOON, 4) == "2026-11-27"
    assert digest_week(MONDAY_NOON + WEEK, 0) == "2026-12-07"


async def test_the_digest_goes_out_once_a_week_per_guild_across_restarts(
    fake_discord: FakeDiscord, footnote, tmp_path: Path
):
    fake = fake_discord
    curators = fake.add_channel(fake.guild, "curators")
    await seed(tmp_path / "feedback.db", MONDAY_NOON - 86_400, fake.guild.id)
    now = [MONDAY_NOON]
    settings = {"digest_channel": curators.id, "digest_weekday": "monday"}
    async with footnote(feedback=settings, clock=lambda: now[0]):
        posted = await fake.wait_for_request("POST", rf"/channels/{curators.id}/messages")
    (digest,) = posted.json["embeds"]
    assert digest["title"] == "Footnote this week (from 2026-11-30)"
    fields = {field["name"]: field["value"] for field in digest["fields"]}
    assert fields["Asked, not answered"].startswith("2× “how much is kimi a month”")
    assert fields["Got 👎"] == f"👎 1 · {BUNDLED.facts['glm-swebench-pro'].question}"
    assert fields["Used most"] == f"1× {BUNDLED.facts['kimi-price'].question}"
    assert "secret" not in str(digest)

    now[0] += 86_400
    async with footnote(feedback=settings, clock=lambda: now[0]) as bot:
        assert not await curation(bot).send_digest(), "restarted the next day: already sent"
        now[0] += WEEK
        assert await curation(bot).send_digest(), "a week on: the next one"
        assert not await curation(bot).send_digest()
    assert len(fake.messages_in(curators.id)) == 2


async def test_ask_a_human_pings_the_helper_role_once_per_cooldown(
    fake_discord: FakeDiscord, footnote
):
    fake = fake_discord
    helpers = fake.add_role(fake.guild, "Helpers")
    other = fake.add_channel(fake.guild, "other")
    async with footnote(answering={"helper_role": helpers.id}) as bot:
        now = [0.0]
        curation(bot).helpers_called = ChannelCooldown(600, clock=lambda: now[0])
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} best pizza?")
        reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        assert reply.json["content"].startswith("I don't know that one.")
        assert buttons(reply.json)[-1] == "fn:helper"
        reply_id = int(reply.response["id"])

        _, called = await respond(fake, fake.component(reply_id, "fn:helper"))
        data = called.json["data"]
        assert not data.get("flags", 0) & EPHEMERAL
        assert data["content"].startswith(f"<@&{helpers.id}>, <@{fake.user.id}> has a question")
        assert data["allowed_mentions"] == {"parse": [], "roles": [helpers.id]}

        _, cooling = await respond(fake, fake.component(reply_id, "fn:helper", user=fake.owner))
        assert cooling.json["data"]["flags"] & EPHEMERAL
        assert cooling.json["data"]["content"] == (
            "Someone was called here a moment ago; they'll be along."
        )
        now[0] += 601
        _, later = await respond(fake, fake.component(reply_id, "fn:helper"))
        assert later.json["data"]["content"].startswith(f"<@&{helpers.id}>")

        record, _ = await respond(
            fake, fake.slash("ask", {"question": "best pizza?"}, channel=other)
        )
        private = fake.messages[record.original_message_id]
        assert private["flags"] & EPHEMERAL and "fn:helper" in buttons(private)
        _, elsewhere = await respond(fake, fake.component(record.original_message_id, "fn:helper"))
    assert elsewhere.json["data"]["content"].startswith(f"<@&{helpers.id}>"), "a cooldown a channel"
    assert "https://discord.com/channels/" in data["content"], "a public question is linked"


async def test_no_helper_button_unless_a_role_is_set(fake_discord: FakeDiscord, footnote):
    fake = fake_discord
    helpers = fake.add_role(fake.guild, "Helpers")
    async with footnote(answering={"helper_role": helpers.id}):
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} best pizza?")
        old = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
    async with footnote():
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} best pizza?")
        reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        record, _ = await respond(fake, fake.slash("ask", {"question": "best pizza?"}))
        _, stale = await respond(fake, fake.component(int(old.response["id"]), "fn:helper"))
    assert "fn:helper" in buttons(old.json) and "fn:helper" not in buttons(reply.json)
    assert "fn:helper" not in buttons(fake.messages[record.original_message_id])
    assert stale.json["data"]["content"] == "There is no one to call here."


async def test_policy_texts_follow_the_host_per_language(fake_discord: FakeDiscord, footnote):
    fake = fake_discord
    texts = {
        "en": PolicyTexts(dont_know="Not in my notes.", slow_down="Easy: {seconds:.0f} s."),
        "zh": PolicyTexts(dont_know_question="我不知道“{question}”。"),
        "zh-TW": PolicyTexts(dont_know_question="我不知道。"),
    }
    async with footnote(texts=texts, answering={"user_rate_count": 1}):
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} best pizza?")
        reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} best pizza?")
        note = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        asked = {"question": "best {pizza}?"}
        _, chinese = await respond(
            fake, fake.slash("ask", asked, user=fake.moderator, locale="zh-CN")
        )
        _, english = await respond(fake, fake.slash("ask", asked, user=fake.owner))
    assert reply.json["content"].startswith("Not in my notes."), "the server's en-US is en"
    assert note.json["content"].startswith("Easy: ")
    assert chinese.json["data"]["content"].startswith("我不知道“best {pizza}?”。")
    assert english.json["data"]["content"].startswith("I don't know the answer to “best {pizza}?”.")
