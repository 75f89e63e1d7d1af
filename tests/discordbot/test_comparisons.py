"""Comparisons on the fake Discord: one embed with a field per topic, each citing its source,
and a Share that posts the same comparison again."""

from __future__ import annotations

from bot.discordbot.ui.catalogue import ENGLISH
from bot.discordbot.ui.views import answer_view
from tests.discordbot.test_commands import EPHEMERAL, buttons, respond
from tests.fake_discord import FakeDiscord

MESSAGES = r"/channels/{}/messages"
CITED = "— Mid-2026 Large Models Landscape"
KEY = "facts:kimi-price+minimax-inference-cost"


async def test_a_mention_comparing_two_models_gets_one_embed_with_a_field_each(
    fake_discord, footnote
):
    fake: FakeDiscord = fake_discord
    async with footnote():
        await fake.send_message(
            fake.channel, fake.user, f"{fake.bot.mention} kimi vs minimax price"
        )
        reply = await fake.wait_for_request("POST", MESSAGES.format(fake.channel.id))
    (embed,) = reply.json["embeds"]
    assert embed["title"] == "Kimi K2.6 vs MiniMax M2.7"
    kimi, minimax = embed["fields"]
    assert kimi["name"] == "Kimi K2.6" and "RMB 39" in kimi["value"]
    assert minimax["name"] == "MiniMax M2.7" and "5%" in minimax["value"]
    assert CITED in kimi["value"] and kimi["value"].endswith("3. Kimi K2.6")
    assert CITED in minimax["value"] and minimax["value"].endswith("4. MiniMax M2.7")
    assert embed["footer"]["text"].startswith("Source: Mid-2026 Large Models Landscape")
    assert buttons(reply.json) == [
        f"fn:vote:up:{KEY}",
        f"fn:vote:down:{KEY}",
        f"fn:delete:{fake.user.id}",
    ]


async def test_a_model_without_the_attribute_is_named_in_the_embed(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        await fake.send_message(
            fake.channel, fake.user, f"{fake.bot.mention} kimi vs minimax vs gemini price"
        )
        reply = await fake.wait_for_request("POST", MESSAGES.format(fake.channel.id))
    (embed,) = reply.json["embeds"]
    assert [field["name"] for field in embed["fields"]] == ["Kimi K2.6", "MiniMax M2.7"]
    assert embed["description"] == "Nothing in the knowledge on this for gemini."


async def test_a_question_asking_by_how_much_gets_the_gap_in_the_embed(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        await fake.send_message(
            fake.channel,
            fake.user,
            f"{fake.bot.mention} how many more hours can qwen go solo than glm 5.1",
        )
        reply = await fake.wait_for_request("POST", MESSAGES.format(fake.channel.id))
        await fake.send_message(
            fake.channel,
            fake.user,
            f"{fake.bot.mention} GLM-5.1 跑 8 小时，Qwen 35 小时，差了多少小时？",
        )
        chinese = await fake.wait_for_request("POST", MESSAGES.format(fake.channel.id))
    (embed,) = reply.json["embeds"]
    assert [field["name"] for field in embed["fields"]] == ["Qwen3.7-Max", "GLM-5.1"]
    assert embed["description"] == (
        "Difference: 27 hours more for Qwen3.7-Max than GLM-5.1 (4.4 times as much)."
    )
    (embed,) = chinese.json["embeds"]
    assert embed["description"].startswith("相差 27 小时")


async def test_a_comparison_asked_privately_can_be_shared(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        record, callback = await respond(
            fake, fake.slash("ask", {"question": "kimi vs minimax price"})
        )
        data = callback.json["data"]
        assert data["flags"] & EPHEMERAL
        assert len(data["embeds"]) == 1 and len(data["embeds"][0]["fields"]) == 2
        assert buttons(fake.messages[record.original_message_id])[0] == f"fn:share:{KEY}"
        _, shared = await respond(
            fake, fake.component(record.original_message_id, f"fn:share:{KEY}")
        )
    (embed,) = shared.json["data"]["embeds"]
    assert [field["name"] for field in embed["fields"]] == ["Kimi K2.6", "MiniMax M2.7"]
    assert embed["author"]["name"].startswith("Shared by ")


async def test_a_comparison_with_a_model_it_lacks_says_so_and_offers_the_side_it_knows(
    fake_discord, footnote
):
    fake = fake_discord
    async with footnote():
        await fake.send_message(
            fake.channel, fake.user, f"{fake.bot.mention} kimi vs gemini context"
        )
        reply = await fake.wait_for_request("POST", MESSAGES.format(fake.channel.id))
    assert reply.json["content"] == (
        "I don't know that one. Nothing in the knowledge on this for gemini."
        " Did you mean one of these?"
    )
    assert "embeds" not in reply.json or not reply.json["embeds"]
    (row,) = reply.json["components"]
    assert [button["custom_id"] for button in row["components"]] == ["fn:pick:kimi-context"]


def test_a_key_too_long_for_a_button_gets_no_buttons() -> None:
    key = "facts:" + "+".join(f"fact-number-{n}" for n in range(8))
    assert answer_view(key, ENGLISH, shareable=True, feedback=True) is None
