"""Slash commands, the context menu and answer buttons, end to end over the fake Discord."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from bot.engine.cards import curated
from bot.knowledge import bundled_knowledge_dir
from tests.discordbot.harness import BUNDLED, BUNDLED_COUNTS, COIN_FLIP, UNSURE
from tests.fake_discord import FakeDiscord, Overwrite, Perm, shard_of
from tests.postgres import free_port

EPHEMERAL = 1 << 6
CALLBACK = r"/interactions/{}/.+/callback"
FOLLOWUP = r"/webhooks/\d+/[^/]+"


async def respond(fake: FakeDiscord, payload: dict):
    """Sends an interaction and returns its record and the bot's callback request."""
    record = await fake.send_interaction(payload)
    callback = await fake.wait_for_request("POST", CALLBACK.format(record.id))
    return record, callback


def embed_of(message: dict) -> dict:
    """The one embed a message as Discord received it carries."""
    (embed,) = message["embeds"]
    return embed


def buttons(message: dict) -> list[str]:
    return [c["custom_id"] for row in message.get("components", []) for c in row["components"]]


async def test_commands_are_synced_to_the_dev_guild_and_logged(fake_discord, footnote, caplog):
    fake = fake_discord
    caplog.set_level(logging.INFO, logger="bot")
    async with footnote():
        put = await fake.wait_for_request(
            "PUT", rf"/applications/{fake.application_id}/guilds/{fake.guild.id}/commands"
        )
    names = sorted(command["name"] for command in put.json)
    assert names == [
        "Answer this in the channel",
        "Ask Footnote",
        "ask",
        "compare",
        "footnote",
        "help",
        "sources",
        "summary",
        "topics",
    ]
    started = [r.getMessage() for r in caplog.records if r.name == "bot.discordbot.client"]
    assert started == [f"loaded {BUNDLED_COUNTS}; commands synced to guild {fake.guild.id}"]


async def test_ask_is_private_with_share_and_share_posts_publicly(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        record, callback = await respond(
            fake, fake.slash("ask", {"question": "how much does kimi cost a month"})
        )
        assert callback.json["type"] == 4
        data = callback.json["data"]
        assert data["flags"] & EPHEMERAL
        assert "RMB 39" in data["embeds"][0]["description"]
        private = fake.messages[record.original_message_id]
        assert buttons(private)[0] == "fn:share:fact:kimi-price"

        click, shared = await respond(
            fake, fake.component(record.original_message_id, "fn:share:fact:kimi-price")
        )
    assert shared.json["type"] == 4
    public = shared.json["data"]
    assert not public.get("flags", 0) & EPHEMERAL
    assert (
        public["embeds"][0]["author"]["name"]
        == f"Shared by {fake.user.global_name or fake.user.username}"
    )
    assert public["allowed_mentions"]["parse"] == []
    assert "fn:share:fact:kimi-price" not in buttons(fake.messages[click.original_message_id])


async def test_ask_can_be_public_and_unknown_questions_get_a_polite_private_reply(
    fake_discord, footnote
):
    fake = fake_discord
    async with footnote():
        _, public = await respond(
            fake, fake.slash("ask", {"question": "glm license", "private": False})
        )
        assert not public.json["data"].get("flags", 0) & EPHEMERAL
        assert "MIT" in public.json["data"]["embeds"][0]["description"]
        _, unknown = await respond(fake, fake.slash("ask", {"question": "@everyone best pizza?"}))
    data = unknown.json["data"]
    assert data["flags"] & EPHEMERAL
    assert data["content"].startswith("I don't know the answer to")
    assert "@everyone" not in data["content"], "echoed text is neutralised"


async def test_ask_says_what_the_source_does_not_say_in_the_readers_language(
    fake_discord, footnote
):
    fake = fake_discord
    async with footnote():
        _, english = await respond(fake, fake.slash("ask", {"question": "kimi valuation?"}))
        _, chinese = await respond(
            fake, fake.slash("ask", {"question": "kimi valuation?"}, locale="zh-CN")
        )
    assert english.json["data"]["content"].startswith(
        "I don't know the answer to “kimi valuation?”. The source doesn't say this about"
        " Kimi K2.6 (valuation)."
    )
    assert "来源没有提到Kimi K2.6的这一点（valuation）。" in chinese.json["data"]["content"]


async def test_ask_with_a_probable_answer_is_private_unsure_and_not_shareable(
    fake_discord, footnote
):
    fake = fake_discord
    async with footnote(answering=UNSURE, calibration=COIN_FLIP):
        record, callback = await respond(
            fake, fake.slash("ask", {"question": "what did kimi improve?"})
        )
    data = callback.json["data"]
    assert data["flags"] & EPHEMERAL
    (embed,) = data["embeds"]
    assert embed["title"] == "Probably — not sure this is what you asked"
    assert embed["description"].startswith("Closest match: *What did Kimi K2.6 improve?*")
    assert embed["footer"]["text"].startswith("Source: ")
    ids = buttons(fake.messages[record.original_message_id])
    assert not any(i.startswith("fn:share:") for i in ids), "only stated answers are shared"
    assert any(i.startswith("fn:pick:kimi-") for i in ids)
    assert ids[-2:] == ["fn:vote:up:fact:kimi-improvements", "fn:vote:down:fact:kimi-improvements"]


async def test_autocomplete_offers_fitting_questions_within_limits(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        record, _ = await respond(
            fake, fake.autocomplete("ask", {"question": "deepseek train"}, focused="question")
        )
        assert record.callback_type == 8
        best = record.choices[0]["name"]
        assert "DeepSeek V4" in best and "train" in best
        odd, _ = await respond(
            fake, fake.autocomplete("ask", {"question": "\u202e💥" * 80}, focused="question")
        )
        empty, _ = await respond(
            fake, fake.autocomplete("ask", {"question": ""}, focused="question")
        )
    assert odd.callback_type == 8 and len(odd.choices) <= 25
    assert len(empty.choices) == 25
    assert all(1 <= len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in empty.choices)


async def test_suggestion_buttons_and_feedback_votes(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        await fake.send_message(
            fake.channel, fake.user, f"{fake.bot.mention} how much did glm-5.1 cost to train"
        )
        reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        pick = buttons(reply.json)[0]
        _, picked = await respond(fake, fake.component(int(reply.response["id"]), pick))
        assert picked.json["data"]["flags"] & EPHEMERAL
        assert picked.json["data"]["embeds"][0]["footer"]["text"].startswith("Source: ")

        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
        answer = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        message_id = int(answer.response["id"])
        replies = []
        for user, vote in ((fake.user, "up"), (fake.user, "down"), (fake.moderator, "down")):
            record = await fake.send_interaction(
                fake.component(message_id, f"fn:vote:{vote}:fact:kimi-price", user=user)
            )
            await fake.wait_for_request("POST", CALLBACK.format(record.id))
            followup = await fake.wait_for_request("POST", FOLLOWUP)
            replies.append(followup.json["content"])
    assert replies == [
        "Thanks, your feedback was recorded.",
        "You already gave feedback on this answer.",
        "Thanks, your feedback was recorded.",
    ]


async def test_with_the_shared_store_down_the_bot_answers_and_says_feedback_is_unavailable(
    fake_discord, footnote
):
    fake = fake_discord
    nothing_listens = f"postgresql://footnote@127.0.0.1:{free_port()}/footnote"
    async with footnote(storage={"url": nothing_listens}) as bot:
        assert bot.feedback is not None and not bot.feedback.available
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
        answer = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        assert answer.json["embeds"], "answered all the same"
        record = await fake.send_interaction(
            fake.component(int(answer.response["id"]), "fn:vote:up:fact:kimi-price")
        )
        await fake.wait_for_request("POST", CALLBACK.format(record.id))
        followup = await fake.wait_for_request("POST", FOLLOWUP)
    assert followup.json["content"] == "Sorry, feedback is unavailable right now."


async def test_summary_posts_publicly_and_elsewhere_only_with_manage_messages(
    fake_discord, footnote
):
    fake = fake_discord
    news = fake.add_channel(
        fake.guild,
        "news",
        overwrites=[Overwrite.for_role(fake.moderator_role, allow=Perm.MANAGE_MESSAGES)],
    )
    async with footnote():
        here_record, here = await respond(fake, fake.slash("summary", {"topic": "kimmi"}))
        embed = here.json["data"]["embeds"][0]
        assert embed["title"] == "Kimi K2.6" and "RMB 39" in str(embed["fields"])
        assert not here.json["data"].get("flags", 0) & EPHEMERAL
        removable = fake.messages[here_record.original_message_id]
        assert buttons(removable) == [f"fn:delete:{fake.user.id}"], "whoever posted it removes it"

        _, refused = await respond(fake, fake.slash("summary", {"topic": "glm", "channel": news}))
        assert (
            refused.json["data"]["content"]
            == f"You need Manage Messages in <#{news.id}> to post there."
        )
        assert fake.messages_in(news.id) == []

        _, posted = await respond(
            fake, fake.slash("summary", {"topic": "glm", "channel": news}, user=fake.moderator)
        )
        assert posted.json["data"]["content"] == f"Posted in <#{news.id}>."
        (message,) = fake.messages_in(news.id)
        assert message["embeds"][0]["title"] == "GLM-5.1"
        assert buttons(message) == [f"fn:delete:{fake.moderator.id}"]

        _, unknown = await respond(fake, fake.slash("summary", {"topic": "the weather"}))
    assert unknown.json["data"]["flags"] & EPHEMERAL
    assert "I don't know a topic called" in unknown.json["data"]["content"]


async def test_autocomplete_speaks_the_readers_language(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        asked, _ = await respond(
            fake,
            fake.autocomplete("ask", {"question": "kimi"}, focused="question", locale="zh-CN"),
        )
        topics, _ = await respond(
            fake, fake.autocomplete("summary", {"topic": ""}, focused="topic", locale="zh-CN")
        )
        english, _ = await respond(
            fake, fake.autocomplete("summary", {"topic": ""}, focused="topic")
        )
    questions = [choice["name"] for choice in asked.choices]
    chinese = [q for q in questions if re.search("[\u4e00-\u9fff]", q)]
    assert questions[:5] == chinese[:5], "curated questions in Chinese (card rows have none)"
    assert all(choice["value"] == choice["name"] for choice in asked.choices)
    assert "算力瓶颈" in [choice["name"] for choice in topics.choices]
    assert "The compute bottleneck" in [choice["name"] for choice in english.choices]
    assert [c["value"] for c in topics.choices] == [c["value"] for c in english.choices]


async def test_summary_autocomplete_knows_names_and_aliases(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        record, _ = await respond(
            fake, fake.autocomplete("summary", {"topic": "月之暗面"}, focused="topic")
        )
    assert record.choices[0] == {"name": "Kimi K2.6", "value": "kimi"}


async def test_compare_puts_two_cards_side_by_side(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        _, compared = await respond(fake, fake.slash("compare", {"a": "kimi", "b": "deepseek"}))
    embed = compared.json["data"]["embeds"][0]
    assert embed["title"] == "Kimi K2.6 vs DeepSeek V4"
    first, second = embed["fields"]
    assert first["inline"] and second["inline"]
    assert first["name"] == "Kimi K2.6" and second["name"] == "DeepSeek V4"
    assert len(first["value"].splitlines()) == len(second["value"].splitlines())


async def test_topics_sources_and_help_are_private(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        results = [
            (await respond(fake, fake.slash(name)))[1].json["data"]
            for name in ("topics", "sources", "help")
        ]
    topics, sources, help_ = results
    assert all(data["flags"] & EPHEMERAL for data in results)
    assert "Qwen3.7-Max" in topics["embeds"][0]["description"]
    assert "AceCamp" in sources["embeds"][0]["fields"][0]["value"]
    assert "No public link" in sources["embeds"][0]["fields"][0]["value"]
    assert any(field["name"] == "/ask" for field in help_["embeds"][0]["fields"])


async def test_ask_footnote_menu_answers_the_message(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        question = await fake.send_message(fake.channel, fake.user, "how cheap is minimax to run")
        _, answered = await respond(fake, fake.message_command("Ask Footnote", question))
    assert "5%" in answered.json["data"]["embeds"][0]["description"]


async def test_reload_keeps_old_knowledge_when_new_is_broken(fake_discord, footnote, tmp_path):
    fake = fake_discord
    knowledge = tmp_path / "kb"
    knowledge.mkdir()
    bundled = bundled_knowledge_dir() / "llm-landscape-mid-2026.yaml"
    copy = knowledge / "landscape.yaml"
    copy.write_text(bundled.read_text(encoding="utf-8"), encoding="utf-8")
    async with footnote(knowledge_paths=(str(knowledge),)) as bot:
        _, denied = await respond(fake, fake.slash("footnote reload", user=fake.user))
        assert denied.json["data"]["content"] == "You don't have permission to do that here."

        Path(knowledge / "broken.yaml").write_text(
            "source: {id: x}\nfacts: [1]\n", encoding="utf-8"
        )
        record = await fake.send_interaction(fake.slash("footnote reload", user=fake.owner))
        await fake.wait_for_request("POST", CALLBACK.format(record.id))
        refused = await fake.wait_for_request("POST", FOLLOWUP)
        assert refused.json["content"].startswith("The new knowledge has problems")
        assert "broken.yaml:1: source is missing required field 'title'" in refused.json["content"]
        assert len(curated(bot.library.knowledge)) == len(BUNDLED.facts)

        old, still = await respond(fake, fake.slash("ask", {"question": "kimi price"}))
        assert "RMB 39" in still.json["data"]["embeds"][0]["description"]

        (knowledge / "broken.yaml").unlink()
        text = copy.read_text(encoding="utf-8").replace("RMB 39", "RMB 49")
        copy.write_text(text.replace("id: kimi-price", "id: kimi-fee"), encoding="utf-8")
        record = await fake.send_interaction(fake.slash("footnote reload", user=fake.owner))
        await fake.wait_for_request("POST", CALLBACK.format(record.id))
        done = await fake.wait_for_request("POST", FOLLOWUP)
        assert done.json["content"] == f"Reloaded: {BUNDLED_COUNTS}."
        _, fresh = await respond(fake, fake.slash("ask", {"question": "kimi price"}))
        _, expired = await respond(
            fake, fake.component(old.original_message_id, "fn:share:fact:kimi-price")
        )
    assert "RMB 49" in fresh.json["data"]["embeds"][0]["description"]
    assert expired.json["data"]["content"] == "That answer is no longer available."
    assert expired.json["data"]["flags"] & EPHEMERAL


async def test_interaction_answered_despite_a_rate_limited_followup(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
        answer = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        fake.fail_next("POST", FOLLOWUP, status=429)
        record = await fake.send_interaction(
            fake.component(int(answer.response["id"]), "fn:vote:up:fact:kimi-price")
        )
        await fake.wait_for_request("POST", CALLBACK.format(record.id))
        await fake.wait_for_request("POST", FOLLOWUP, status=429)
        delivered = await fake.wait_for_request("POST", FOLLOWUP, status=200)
    assert delivered.json["content"] == "Thanks, your feedback was recorded."


def synced(fake, name: str) -> dict:
    (command,) = [c for c in fake.commands[fake.guild.id] if c["name"] == name]
    return command


async def test_synced_commands_carry_their_permissions_and_contexts(fake_discord, footnote):
    fake = fake_discord
    async with footnote():
        await fake.wait_for_request("PUT", r"/applications/\d+/guilds/\d+/commands")
    admin = synced(fake, "footnote")
    assert str(admin["default_member_permissions"]) == str(1 << 5), "Manage Server, on the group"
    assert (admin["contexts"], admin["integration_types"]) == ([0], [0]), "servers only"
    for name in ("ask", "Ask Footnote", "compare", "topics", "sources", "help"):
        command = synced(fake, name)
        assert command["contexts"] == [0, 1, 2], name
        assert command["integration_types"] == [0, 1], name
        assert command["default_member_permissions"] is None, name
    summary = synced(fake, "summary")
    assert (summary["contexts"], summary["integration_types"]) == ([0, 1], [0])


async def test_commands_are_synced_once_not_at_every_start(fake_discord, footnote, caplog):
    fake = fake_discord
    caplog.set_level(logging.INFO, logger="bot")
    for _ in range(2):
        async with footnote():
            pass
    puts = [r for r in fake.requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(puts) == 1
    assert f"commands synced to guild {fake.guild.id} (unchanged, not sent again)" in caplog.text


async def test_only_the_process_running_shard_0_syncs(fake_discord, footnote):
    fake = fake_discord
    settings = {"shard_count": 2, "shard_ids": (1,)}
    async with footnote(discord=settings):
        await fake.wait_until_ready(shard_ids=[1])
    assert not [r for r in fake.requests if r.path.endswith("/commands")]


async def test_a_card_row_answers_ask_with_the_topics_source(fake_discord, footnote):
    async with footnote():
        record, callback = await respond(
            fake_discord, fake_discord.slash("ask", {"question": "kimi risk"})
        )
        embed = callback.json["data"]["embeds"][0]
        assert embed["description"] == "Kimi K2.6 — Risk: Doubts about profitability"
        assert "Mid-2026 Large Models Landscape" in embed["footer"]["text"]
        private = fake_discord.messages[record.original_message_id]
        assert buttons(private)[0] == "fn:share:fact:kimi--risk"


async def test_a_reload_says_when_other_processes_run_the_other_shards(fake_discord, footnote):
    fake = fake_discord
    # Shard 0 syncs the commands; the guild's shard gets its interactions.
    guild_shard = shard_of(fake.guild.id, 3)
    shards = (0, guild_shard) if guild_shard else (0, 1)
    settings = {"shard_count": 3, "shard_ids": shards}
    async with footnote(discord=settings):
        await fake.wait_until_ready(shard_ids=list(shards))
        record = await fake.send_interaction(fake.slash("footnote reload", user=fake.owner))
        await fake.wait_for_request("POST", CALLBACK.format(record.id))
        done = await fake.wait_for_request("POST", FOLLOWUP)
    running = ", ".join(str(shard) for shard in shards)
    assert done.json["content"] == (
        f"Reloaded: {BUNDLED_COUNTS}.\nOnly this process reloaded (it runs shards {running} of"
        " 3); the others keep their knowledge until each is reloaded."
    )
