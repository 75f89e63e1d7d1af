"""Discord's size limits with the largest knowledge the format allows, DMs, and handler faults."""

from __future__ import annotations

import logging
from pathlib import Path

import yaml

from bot.discordbot.services import UserRateLimit
from tests.discordbot.test_commands import CALLBACK, respond

EPHEMERAL = 1 << 6


def write_huge_knowledge(folder: Path) -> None:
    """Every text at the format's limit: long names, answers, summaries, and wide cards."""
    folder.mkdir()
    card = {f"Key {n} " + "k" * 40: "v" * 300 for n in range(40)}
    topics = [
        {
            "id": topic_id,
            "name": (name + " ") + "N" * 88,
            "aliases": [name],
            "summary": ("[masked](https://evil.example) @everyone " + "s" * 40) * 12,
            "card": card,
        }
        for topic_id, name in (("alpha", "Alphamodel"), ("beta", "Betamodel"))
    ]
    facts = [
        {
            "id": f"alpha-{n}",
            "topic": "alpha",
            "question": f"What is alphamodel fact number {n} " + "q" * 250 + "?",
            "also": [f"alphamodel fact {n}", f"alpha number {n}", f"alphamodel {n}?"],
            "answer": "A" * 1_400 + " <@&1> @here",
            "section": "S" * 300,
        }
        for n in range(30)
    ]
    document = {
        "source": {
            "id": "huge",
            "title": "T" * 300,
            "publisher": "P" * 200,
            "published": "2026-01-01",
            "url": "https://example.org/" + "u" * 500,
        },
        "topics": topics,
        "facts": facts,
    }
    (folder / "huge.yaml").write_text(
        yaml.safe_dump(document, allow_unicode=True), encoding="utf-8"
    )


async def test_largest_allowed_texts_are_cut_to_fit_discord(fake_discord, footnote, tmp_path):
    fake = fake_discord
    write_huge_knowledge(tmp_path / "kb")
    async with footnote(knowledge_paths=(str(tmp_path / "kb"),)):
        _, summary = await respond(fake, fake.slash("summary", {"topic": "alpha"}))
        _, compared = await respond(fake, fake.slash("compare", {"a": "alpha", "b": "beta"}))
        _, asked = await respond(fake, fake.slash("ask", {"question": "alphamodel fact 7"}))
        _, listed = await respond(fake, fake.slash("topics"))
        _, sources = await respond(fake, fake.slash("sources"))
        record, _ = await respond(
            fake, fake.autocomplete("ask", {"question": "alphamodel"}, focused="question")
        )
    for response in (summary, compared, asked, listed, sources):
        assert response.status == 200, response.response
        (embed,) = response.json["data"]["embeds"]
        assert len(embed.get("title", "")) <= 256 and len(embed.get("description", "")) <= 4096
        assert all(len(field["value"]) <= 1024 for field in embed.get("fields", []))
    assert summary.json["data"]["embeds"][0]["description"].count("…") <= 1
    assert "@everyone" not in summary.json["data"]["embeds"][0]["description"].replace(
        "@\u200beveryone", ""
    )
    assert "](https://evil.example)" not in summary.json["data"]["embeds"][0]["description"]
    assert summary.json["data"]["allowed_mentions"]["parse"] == []
    assert len(record.choices) == 25
    assert all(len(c["name"]) <= 100 and c["name"].endswith("…") for c in record.choices)


async def test_direct_messages_are_ignored_unless_enabled(fake_discord, footnote):
    fake = fake_discord
    dm = fake.dm_channel(fake.user)
    async with footnote():
        await fake.send_message(dm, fake.user, "kimi price?")
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} glm license?")
        await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
    assert fake.messages_in(dm.id)[-1]["author"]["id"] == str(fake.user.id)
    async with footnote(answering={"answer_dms": True}):
        await fake.send_message(dm, fake.user, "kimi price?")
        reply = await fake.wait_for_request("POST", rf"/channels/{dm.id}/messages")
    assert "RMB 39" in reply.json["embeds"][0]["description"]


async def test_a_failing_button_apologises_privately_and_logs(fake_discord, footnote, caplog):
    fake = fake_discord
    caplog.set_level(logging.ERROR)
    async with footnote() as bot:
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
        answer = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")

        async def broken(*args, **kwargs):
            raise RuntimeError("disk on fire")

        bot.feedback.vote = broken
        record = await fake.send_interaction(
            fake.component(int(answer.response["id"]), "fn:vote:up:fact:kimi-price")
        )
        await fake.wait_for_request("POST", CALLBACK.format(record.id))
        apology = await fake.wait_for_request("POST", r"/webhooks/\d+/[^/]+")
    assert apology.json["content"].startswith("Sorry, something went wrong on my side.")
    assert apology.json["flags"] & EPHEMERAL
    assert any("on_footnote_vote failed" in r.getMessage() for r in caplog.records)


def test_the_member_rate_limit_counts_each_guild_apart() -> None:
    """A guild lives on one shard: keyed per guild, the count is the same however shards are
    split across processes, where a count per user would depend on it."""
    limit = UserRateLimit(2, 60.0, clock=lambda: 0.0)
    assert [limit.retry_after(1, 42) for _ in range(3)] == [0.0, 0.0, 60.0]
    assert limit.retry_after(2, 42) == 0.0, "another guild, another shard perhaps"
    assert limit.retry_after(None, 42) == 0.0, "DMs are counted apart too"
