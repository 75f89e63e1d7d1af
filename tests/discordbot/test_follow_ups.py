"""Follow-ups end to end: the real bot, the fake Discord, and whose conversation each reply read."""

from __future__ import annotations

from bot.engine import Conversations
from tests.discordbot.test_commands import embed_of
from tests.fake_discord import FakeDiscord

MESSAGES = r"/channels/{}/messages"
CALLBACK = r"/interactions/{}/.+/callback"
READ_AS_MINIMAX_COST = "Read with your last question, as “minimax cost”."
MINIMAX_COST = "roughly 5% of what traditional large models cost"


class Clock:
    """The conversations' time, moved by the test instead of waited for."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def use_clock(bot) -> Clock:
    """Gives the running bot conversations whose window the test can step past."""
    clock = Clock()
    window = bot.config.answering.follow_up_seconds
    bot.conversations = Conversations(window, clock=clock)
    return clock


async def ask(fake: FakeDiscord, channel, user, text: str) -> dict:
    """Mentions the bot and returns its reply's JSON."""
    await fake.send_message(channel, user, f"{fake.bot.mention} {text}")
    reply = await fake.wait_for_request("POST", MESSAGES.format(channel.id))
    return reply.json


async def test_a_follow_up_by_the_same_person_carries_the_attribute(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        await ask(fake, fake.channel, fake.user, "how much does kimi cost?")
        reply = await ask(fake, fake.channel, fake.user, "and minimax?")
    embed = embed_of(reply)
    assert MINIMAX_COST in embed["description"]
    assert embed["author"]["name"] == READ_AS_MINIMAX_COST
    assert embed["footer"]["text"].startswith("Source: Mid-2026 Large Models Landscape")


async def test_a_follow_up_carries_the_topic_and_says_how_it_was_read(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        await ask(fake, fake.channel, fake.user, "what did glm 5.1 score on swe-bench pro")
        reply = await ask(fake, fake.channel, fake.user, "what about its licence")
        assert "MIT license" in embed_of(reply)["description"]
        unknown = await ask(fake, fake.channel, fake.user, "and gpt-4?")
    assert unknown["content"] == (
        "I don't know that one. Read with your last question, as “gpt 4 licence”."
    )
    assert not unknown.get("embeds")


async def test_the_same_words_from_someone_else_are_read_as_typed(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        await ask(fake, fake.channel, fake.user, "how much does kimi cost?")
        reply = await ask(fake, fake.channel, fake.moderator, "and minimax?")
    embed = embed_of(reply)
    assert embed["title"] == "MiniMax M2.7", "a topic named alone gets its summary"
    assert "author" not in embed


async def test_the_same_person_in_another_channel_starts_afresh(fake_discord, footnote):
    fake = fake_discord
    other = fake.add_channel(fake.guild, "random")
    async with footnote():
        await ask(fake, fake.channel, fake.user, "how much does kimi cost?")
        elsewhere = await ask(fake, other, fake.user, "and minimax?")
        here = await ask(fake, fake.channel, fake.user, "and minimax?")
    assert embed_of(elsewhere)["title"] == "MiniMax M2.7"
    assert embed_of(here)["author"]["name"] == READ_AS_MINIMAX_COST


async def test_after_the_window_a_follow_up_is_read_as_typed(fake_discord, footnote):
    fake = fake_discord
    async with footnote(answering={"follow_up_seconds": 120.0}) as bot:
        clock = use_clock(bot)
        await ask(fake, fake.channel, fake.user, "how much does kimi cost?")
        clock.now += 119.0
        within = await ask(fake, fake.channel, fake.user, "and minimax?")
        clock.now += 120.0
        after = await ask(fake, fake.channel, fake.user, "and minimax?")
    assert embed_of(within)["author"]["name"] == READ_AS_MINIMAX_COST
    assert embed_of(after)["title"] == "MiniMax M2.7"
    assert "author" not in embed_of(after)


async def test_follow_ups_off_reads_every_message_as_typed(fake_discord, footnote):
    fake = fake_discord
    async with footnote(answering={"follow_up_seconds": 0.0}):
        await ask(fake, fake.channel, fake.user, "how much does kimi cost?")
        reply = await ask(fake, fake.channel, fake.user, "and minimax?")
    assert embed_of(reply)["title"] == "MiniMax M2.7"


async def test_an_automatic_channel_posts_a_follow_up_only_as_sure_as_any_post(
    fake_discord, footnote
):
    fake = fake_discord
    settings = {"channels": (fake.channel.id,), "automatic_at": 0.9}
    async with footnote(discord={"message_content": True}, answering=settings):
        await fake.send_message(fake.channel, fake.user, "what did qwen score on terminalbench?")
        posted = await fake.wait_for_request("POST", MESSAGES.format(fake.channel.id))
        assert "69.7" in embed_of(posted.json)["description"]
        await fake.send_message(fake.channel, fake.user, "and how long can it work on its own?")
        reply = await ask(fake, fake.channel, fake.user, "and how long can it work on its own?")
    embed = embed_of(reply)
    assert "35 hours" in embed["description"]
    assert embed["author"]["name"] == "Read with your last question, as “qwen long work own”."
    posts = [r for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert len(posts) == 2, "the unasked follow-up, under automatic_at, got no post"


async def test_ask_command_reads_follow_ups_per_person(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        for user in (fake.user, fake.moderator):
            payload = fake.slash("ask", {"question": "how much does kimi cost?"}, user=user)
            record = await fake.send_interaction(payload)
            await fake.wait_for_request("POST", CALLBACK.format(record.id))
        record = await fake.send_interaction(
            fake.slash("ask", {"question": "and minimax?"}, user=fake.user)
        )
        callback = await fake.wait_for_request("POST", CALLBACK.format(record.id))
    (embed,) = callback.json["data"]["embeds"]
    assert MINIMAX_COST in embed["description"]
    assert embed["author"]["name"] == READ_AS_MINIMAX_COST
