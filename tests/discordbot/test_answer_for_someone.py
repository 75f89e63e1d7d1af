"""Answering for someone in place, and removing public answers, end to end over the fake Discord."""

from __future__ import annotations

from tests.discordbot.harness import COIN_FLIP, UNSURE
from tests.discordbot.test_commands import CALLBACK, EPHEMERAL, FOLLOWUP, buttons, respond, synced
from tests.fake_discord import FakeDiscord

MENU = "Answer this in the channel"
ONLY_ASKER = "Only the asker or a moderator can remove this."


def pinged(body: dict) -> dict:
    """A message body's allowed_mentions, its user ids as numbers whichever way they were sent."""
    allowed = dict(body["allowed_mentions"])
    allowed["users"] = [int(user_id) for user_id in allowed.get("users", [])]
    return allowed


def posts_in(fake: FakeDiscord, channel_id: int) -> list:
    """The bot's REST posts to a channel (interaction responses go elsewhere)."""
    path = f"/channels/{channel_id}/messages"
    return [r for r in fake.requests if r.method == "POST" and r.path == path]


async def test_menu_replies_to_the_message_pinging_only_its_author(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        question = await fake.send_message(
            fake.channel, fake.user, "how much does kimi cost a month"
        )
        _, callback = await respond(fake, fake.message_command(MENU, question, user=fake.moderator))
        reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        confirmed = await fake.wait_for_request("POST", FOLLOWUP)
    assert callback.json["type"] == 5 and callback.json["data"]["flags"] & EPHEMERAL
    assert confirmed.json["content"] == "Answered in the channel."
    assert int(reply.json["message_reference"]["message_id"]) == question
    assert pinged(reply.json) == {"parse": [], "users": [fake.user.id], "replied_user": True}
    embed = reply.json["embeds"][0]
    assert "RMB 39" in embed["description"]
    assert embed["author"]["name"] == "Shared by Morgan"
    posted = fake.messages[int(reply.response["id"])]
    assert [m["id"] for m in posted["mentions"]] == [str(fake.user.id)]
    assert buttons(posted)[-1] == f"fn:delete:{fake.moderator.id}"


async def test_menu_without_a_stated_answer_tells_only_the_clicker(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        unknown = await fake.send_message(fake.channel, fake.user, "@everyone best pizza?")
        _, dont_know = await respond(fake, fake.message_command(MENU, unknown))
    async with footnote(answering=UNSURE, calibration=COIN_FLIP):
        unsure = await fake.send_message(fake.channel, fake.user, "what did kimi improve?")
        _, probably = await respond(fake, fake.message_command(MENU, unsure))
    assert dont_know.json["data"]["flags"] & EPHEMERAL
    assert dont_know.json["data"]["content"].startswith("I don't know the answer to")
    assert probably.json["data"]["flags"] & EPHEMERAL
    assert probably.json["data"]["content"] == (
        "I'm not sure enough of this to post it for them, so only you see it."
    )
    assert probably.json["data"]["embeds"][0]["title"].startswith("Probably")
    assert posts_in(fake, fake.channel.id) == []


async def test_menu_where_the_bot_may_not_post_answers_privately(fake_discord, footnote):
    fake = fake_discord
    channel = fake.no_send_channel
    async with footnote():
        question = await fake.send_message(channel, fake.user, "kimi price?")
        _, private = await respond(fake, fake.message_command(MENU, question))
    data = private.json["data"]
    assert data["flags"] & EPHEMERAL
    assert data["content"] == f"I'm not allowed to post in <#{channel.id}>."
    assert "RMB 39" in data["embeds"][0]["description"]
    assert posts_in(fake, channel.id) == []


async def test_menu_whose_reply_discord_refuses_says_so_privately(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        question = await fake.send_message(fake.channel, fake.user, "kimi price?")
        fake.fail_next("POST", rf"/channels/{fake.channel.id}/messages", status=403)
        await respond(fake, fake.message_command(MENU, question))
        refused = await fake.wait_for_request("POST", FOLLOWUP)
    assert refused.json["content"] == f"Discord refused the post in <#{fake.channel.id}>."
    assert refused.json["flags"] & EPHEMERAL


async def test_ask_for_a_member_posts_publicly_addressed_to_them_only(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        record, callback = await respond(
            fake, fake.slash("ask", {"question": "kimi price", "for": fake.moderator})
        )
        _, unknown = await respond(
            fake, fake.slash("ask", {"question": "best pizza?", "for": fake.moderator})
        )
        _, contradictory = await respond(
            fake,
            fake.slash("ask", {"question": "kimi price", "for": fake.moderator, "private": True}),
        )
    data = callback.json["data"]
    assert callback.json["type"] == 4 and not data.get("flags", 0) & EPHEMERAL
    assert data["content"] == f"For <@{fake.moderator.id}>:"
    assert pinged(data) == {"parse": [], "users": [fake.moderator.id]}
    assert "RMB 39" in data["embeds"][0]["description"]
    assert buttons(fake.messages[record.original_message_id])[-1] == f"fn:delete:{fake.user.id}"
    assert unknown.json["data"]["flags"] & EPHEMERAL
    assert unknown.json["data"]["content"].startswith("I don't know the answer to")
    assert contradictory.json["data"]["flags"] & EPHEMERAL
    assert "`for`" in contradictory.json["data"]["content"]


async def test_synced_commands_include_the_menu_and_the_for_option(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        await fake.wait_for_request("PUT", r"/applications/\d+/guilds/\d+/commands")
    menu = synced(fake, MENU)
    assert menu["type"] == 3
    assert (menu["contexts"], menu["integration_types"]) == ([0], [0]), "posts as the bot"
    (option,) = [o for o in synced(fake, "ask")["options"] if o["name"] == "for"]
    assert option["type"] == 6 and not option.get("required", False)


async def test_public_answers_carry_a_delete_button_for_whoever_triggered_them(
    fake_discord, footnote
):
    fake = fake_discord
    async with footnote():
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
        mention = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        record, _ = await respond(
            fake, fake.slash("ask", {"question": "glm license", "private": False})
        )
        public = fake.messages[record.original_message_id]
        private, _ = await respond(
            fake, fake.slash("ask", {"question": "minimax cost to run"}, user=fake.moderator)
        )
        (share,) = [i for i in buttons(fake.messages[private.original_message_id]) if "share" in i]
        shared, _ = await respond(
            fake, fake.component(private.original_message_id, share, user=fake.moderator)
        )
    delete_by = f"fn:delete:{fake.user.id}"
    assert buttons(mention.json)[-1] == delete_by
    assert buttons(public)[-1] == delete_by
    assert delete_by not in buttons(fake.messages[private.original_message_id]), "private"
    assert buttons(fake.messages[shared.original_message_id])[-1] == (
        f"fn:delete:{fake.moderator.id}"
    )


async def answer_by_mention(fake: FakeDiscord, question: str = "kimi price?") -> int:
    """The id of the bot's answer to a mention by fake.user; each answer once per channel, as
    the channel cooldown would keep a repeat from being posted."""
    await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} {question}")
    answer = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
    return int(answer.response["id"])


async def test_delete_button_works_for_the_asker_and_a_moderator_only(fake_discord, footnote):
    fake = fake_discord
    stranger = fake.add_user("bob", global_name="Bob")
    fake.add_member(fake.guild, stranger)
    delete = f"fn:delete:{fake.user.id}"
    async with footnote():
        first = await answer_by_mention(fake)
        _, refused = await respond(fake, fake.component(first, delete, user=stranger))
        assert refused.json["data"]["content"] == ONLY_ASKER
        assert refused.json["data"]["flags"] & EPHEMERAL
        assert first in fake.messages

        _, removed = await respond(fake, fake.component(first, delete))
        await fake.wait_for_request("DELETE", rf"/channels/{fake.channel.id}/messages/{first}")
        assert removed.json["type"] == 6
        assert first not in fake.messages

        second = await answer_by_mention(fake, "glm license?")
        await respond(fake, fake.component(second, delete, user=fake.moderator))
        await fake.wait_for_request("DELETE", rf"/channels/{fake.channel.id}/messages/{second}")
    assert second not in fake.messages


async def test_delete_button_keeps_working_after_a_restart(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        answer = await answer_by_mention(fake)
    async with footnote():
        await respond(fake, fake.component(answer, f"fn:delete:{fake.user.id}"))
        await fake.wait_for_request("DELETE", rf"/channels/{fake.channel.id}/messages/{answer}")
    assert answer not in fake.messages


async def test_delete_failures_get_a_polite_private_reply(fake_discord, footnote):
    fake = fake_discord
    delete = f"fn:delete:{fake.user.id}"
    async with footnote():
        refused_answer = await answer_by_mention(fake)
        fake.fail_next("DELETE", rf"/channels/\d+/messages/{refused_answer}", status=403)
        record = await fake.send_interaction(fake.component(refused_answer, delete))
        await fake.wait_for_request("POST", CALLBACK.format(record.id))
        refused = await fake.wait_for_request("POST", FOLLOWUP)

        gone = await answer_by_mention(fake, "glm license?")
        fake.fail_next("DELETE", rf"/channels/\d+/messages/{gone}", status=404, code=10008)
        await respond(fake, fake.component(gone, delete, user=fake.moderator))
        already = await fake.wait_for_request("POST", FOLLOWUP)
    assert refused.json["content"] == "I couldn't remove that answer; a moderator can delete it."
    assert refused.json["flags"] & EPHEMERAL
    assert refused_answer in fake.messages
    assert already.json["content"] == "That answer was already removed."
    assert already.json["flags"] & EPHEMERAL
