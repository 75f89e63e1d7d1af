"""Forums and threads end to end: posts answered unasked, threads answered as their channels."""

from __future__ import annotations

from tests.discordbot.test_commands import embed_of
from tests.fake_discord import ChannelType, FakeDiscord, Overwrite, Perm

MESSAGES = r"/channels/{}/messages"
CONTENT = {"message_content": True}


def posts_in(fake: FakeDiscord, channel_id: int) -> list:
    """The messages the bot posted in a channel or thread."""
    path = MESSAGES.format(channel_id)
    return [r for r in fake.requests if r.method == "POST" and r.path == path]


async def test_a_forum_post_is_answered_once_in_its_thread_from_title_and_message(
    fake_discord, footnote
):
    fake = fake_discord
    forum = fake.add_channel(fake.guild, "help", type=ChannelType.FORUM)
    async with footnote(discord=CONTENT, answering={"forums": (forum.id,)}):
        # Neither the title nor the message alone is answered; together, with no "?", they are.
        post = await fake.create_thread(
            forum, fake.user, "DeepSeek V4", "what did it cost to train"
        )
        reply = await fake.wait_for_request("POST", MESSAGES.format(post.id))
        assert "5.57" in embed_of(reply.json)["description"]
        assert int(reply.json["message_reference"]["message_id"]) == post.id
        # The post is the question a follow-up in it is read with: MiniMax's training cost,
        # which the curator listed as not stated, so the reply says so.
        await fake.send_message(post, fake.user, f"{fake.bot.mention} and minimax?")
        follow_up = await fake.wait_for_request("POST", MESSAGES.format(post.id))
        assert follow_up.json["content"].startswith(
            "I don't know that one. The source doesn't say this about MiniMax M2.7"
            " (training cost). Read with your last question, as “minimax cost train”."
        )
        # Later messages in the post follow an automatic channel's rules.
        await fake.send_message(post, fake.user, "thanks, kimi price per month")
        await fake.send_message(post, fake.moderator, "what license is glm 5.1 under?")
        later = await fake.wait_for_request("POST", MESSAGES.format(post.id))
    assert "MIT" in embed_of(later.json)["description"]
    assert len(posts_in(fake, post.id)) == 3, "the post once, its first message never again"


async def test_off_topic_posts_and_posts_in_other_forums_get_no_reply(fake_discord, footnote):
    fake = fake_discord
    forum = fake.add_channel(fake.guild, "help", type=ChannelType.FORUM)
    other = fake.add_channel(fake.guild, "showcase", type=ChannelType.FORUM)
    async with footnote(discord=CONTENT, answering={"forums": (forum.id,)}):
        chatter = await fake.create_thread(
            forum, fake.user, "Weekend plans", "anyone up for a hike saturday?"
        )
        elsewhere = await fake.create_thread(other, fake.user, "Kimi", "how much is it a month?")
        asked = await fake.create_thread(forum, fake.user, "Kimi pricing", "how much a month")
        reply = await fake.wait_for_request("POST", MESSAGES.format(asked.id))
    assert "RMB 39" in embed_of(reply.json)["description"]
    assert posts_in(fake, chatter.id) == [] and posts_in(fake, elsewhere.id) == []


async def test_a_post_where_the_bot_may_not_reply_is_not_even_read(fake_discord, footnote, caplog):
    fake = fake_discord
    no_threads = Overwrite.for_member(fake.bot, deny=Perm.SEND_MESSAGES_IN_THREADS)
    closed = fake.add_channel(fake.guild, "closed", type=ChannelType.FORUM, overwrites=[no_threads])
    forum = fake.add_channel(fake.guild, "help", type=ChannelType.FORUM)
    async with footnote(discord=CONTENT, answering={"forums": (closed.id, forum.id)}):
        shut = await fake.create_thread(closed, fake.user, "Kimi pricing", "how much a month")
        post = await fake.create_thread(forum, fake.user, "GLM 5.1", "which license?")
        await fake.wait_for_request("POST", MESSAGES.format(post.id))
    assert not [r for r in fake.requests if f"/channels/{shut.id}/" in r.path]
    assert f"no permission to reply in channel {shut.id}: needs send_messages_in_threads" in (
        caplog.text
    )


async def test_a_thread_of_an_automatic_channel_is_answered_as_its_channel(fake_discord, footnote):
    fake = fake_discord
    quiet = fake.add_channel(fake.guild, "random")
    async with footnote(discord=CONTENT, answering={"channels": (fake.channel.id,)}):
        thread = await fake.create_thread(fake.channel, fake.user, "pricing")
        elsewhere = await fake.create_thread(quiet, fake.user, "pricing too")
        await fake.send_message(elsewhere, fake.user, "how much is kimi a month?")
        await fake.send_message(thread, fake.user, "kimi price per month")
        await fake.send_message(thread, fake.user, "how much is kimi a month?")
        reply = await fake.wait_for_request("POST", MESSAGES.format(thread.id))
    assert "RMB 39" in embed_of(reply.json)["description"]
    assert len(posts_in(fake, thread.id)) == 1, "not the message without a question mark"
    assert posts_in(fake, elsewhere.id) == []
