"""Discord's REST errors on answers, interaction callbacks and follow-ups: retried or logged."""

from __future__ import annotations

import logging

import pytest

from tests.fake_discord import FakeDiscord

CALLBACK = r"/interactions/{}/.+/callback"
ANY_CALLBACK = r"/interactions/\d+/.+/callback"
FOLLOWUP = r"/webhooks/\d+/[^/]+"
EPHEMERAL = 1 << 6


def no_unhandled_errors(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing escaped to discord.py's or asyncio's last-resort handlers."""
    escaped = [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.ERROR and r.name.startswith(("discord", "asyncio"))
    ]
    assert not escaped, escaped


async def test_a_global_rate_limit_delays_the_answer_but_delivers_it(
    fake_discord: FakeDiscord, footnote, caplog
):
    """A global 429 pauses every route; the answer must still go out after it."""
    fake = fake_discord
    caplog.set_level(logging.WARNING)
    messages = rf"/channels/{fake.channel.id}/messages"
    async with footnote():
        fake.fail_next("POST", messages, status=429, global_=True, retry_after=0.2)
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
        limited = await fake.wait_for_request("POST", messages)
        delivered = await fake.wait_for_request("POST", messages, status=200)
    assert limited.status == 429 and limited.response["global"] is True
    assert "RMB 39" in delivered.json["embeds"][0]["description"]
    assert any("rate limit" in r.getMessage().lower() for r in caplog.records), "a log line"
    no_unhandled_errors(caplog)


@pytest.mark.parametrize("status", [429, 500, 502])
async def test_a_failed_interaction_callback_is_retried_until_answered(
    fake_discord: FakeDiscord, footnote, caplog, status: int
):
    """Interaction callbacks have a 3 s deadline, so one transient error must be retried fast."""
    fake = fake_discord
    caplog.set_level(logging.WARNING)
    async with footnote():
        fake.fail_next("POST", ANY_CALLBACK, status=status)
        record = await fake.send_interaction(fake.slash("ask", {"question": "kimi price"}))
        failed = await fake.wait_for_request("POST", CALLBACK.format(record.id))
        answered = await fake.wait_for_request("POST", CALLBACK.format(record.id), timeout=8)
    assert failed.status == status
    assert answered.status == 200
    assert "RMB 39" in answered.json["data"]["embeds"][0]["description"]
    no_unhandled_errors(caplog)


@pytest.mark.parametrize("status", [500, 502])
async def test_a_failed_follow_up_is_retried_until_delivered(
    fake_discord: FakeDiscord, footnote, caplog, status: int
):
    """The vote's follow-up is the only word the voter gets; a 5xx must not lose it."""
    fake = fake_discord
    caplog.set_level(logging.WARNING)
    async with footnote():
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
        answer = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        fake.fail_next("POST", FOLLOWUP, status=status)
        await fake.send_interaction(
            fake.component(int(answer.response["id"]), "fn:vote:up:fact:kimi-price")
        )
        await fake.wait_for_request("POST", FOLLOWUP, status=status)
        delivered = await fake.wait_for_request("POST", FOLLOWUP, status=200, timeout=8)
    assert delivered.json["content"] == "Thanks, your feedback was recorded."
    no_unhandled_errors(caplog)


async def test_a_forbidden_follow_up_is_logged_and_the_bot_carries_on(
    fake_discord: FakeDiscord, footnote, caplog
):
    """A 403 cannot be retried; it must be logged and must not stop later answers."""
    fake = fake_discord
    caplog.set_level(logging.WARNING)
    async with footnote():
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
        answer = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        fake.fail_next("POST", FOLLOWUP, status=403, code=50001)
        await fake.send_interaction(
            fake.component(int(answer.response["id"]), "fn:vote:up:fact:kimi-price")
        )
        await fake.wait_for_request("POST", FOLLOWUP, status=403)
        apology = await fake.wait_for_request("POST", FOLLOWUP, status=200)
        record = await fake.send_interaction(fake.slash("ask", {"question": "glm license"}))
        answered = await fake.wait_for_request("POST", CALLBACK.format(record.id), status=200)
    assert apology.json["content"].startswith("Sorry, something went wrong on my side.")
    assert apology.json["flags"] & EPHEMERAL
    assert "MIT" in answered.json["data"]["embeds"][0]["description"]
    assert any("on_footnote_vote failed" in r.getMessage() for r in caplog.records)
    no_unhandled_errors(caplog)


async def test_an_expired_interaction_is_logged_not_fatal(
    fake_discord: FakeDiscord, footnote, caplog
):
    """A slow start can miss the 3 s deadline; Unknown Interaction must be survivable."""
    fake = fake_discord
    caplog.set_level(logging.WARNING)
    async with footnote():
        fake.fail_next("POST", ANY_CALLBACK, status=404, code=10062, times=2)
        record = await fake.send_interaction(fake.slash("ask", {"question": "kimi price"}))
        await fake.wait_for_request("POST", CALLBACK.format(record.id), status=404)
        await fake.wait_for_request("POST", CALLBACK.format(record.id), status=404)
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} glm license?")
        reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
    assert "MIT" in reply.json["embeds"][0]["description"]
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("bot.")]
    assert any("command 'ask' failed" in line for line in logged), logged
    assert any("could not send a private note" in line for line in logged), logged
    no_unhandled_errors(caplog)
