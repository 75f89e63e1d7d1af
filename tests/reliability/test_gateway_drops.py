"""The gateway dropped by Discord, and the bot restarted: it comes back and keeps answering."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from tests.fake_discord import FakeDiscord

CALLBACK = r"/interactions/{}/.+/callback"
FOLLOWUP = r"/webhooks/\d+/[^/]+"

Drop = Callable[[FakeDiscord], Awaitable[None]]


async def ask_and_get_reply(fake: FakeDiscord, question: str) -> str:
    """Mentions the bot and returns the description of the answer it posts."""
    await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} {question}")
    reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages", timeout=8)
    return reply.json["embeds"][0]["description"]


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "drop",
    [
        lambda fake: fake.gateway.close(1001),
        lambda fake: fake.gateway.close(1000),
        lambda fake: fake.gateway.close(4000),
        lambda fake: fake.gateway.reconnect(),
        lambda fake: fake.gateway.invalid_session(resumable=True),
    ],
    ids=["close-1001", "close-1000", "close-4000", "op7-reconnect", "op9-resumable"],
)
async def test_a_resumable_drop_is_resumed_and_nothing_asked_meanwhile_is_lost(
    fake_discord: FakeDiscord, footnote, drop: Drop
):
    """Discord drops gateways routinely; a RESUME replays what was missed."""
    fake = fake_discord
    async with footnote():
        assert "RMB 39" in await ask_and_get_reply(fake, "kimi price?")
        await drop(fake)
        assert "MIT" in await ask_and_get_reply(fake, "glm license?"), "asked during the drop"
        assert "5%" in await ask_and_get_reply(fake, "how cheap is minimax to run"), "asked after"
    assert [r.accepted for r in fake.gateway.resumes] == [True]
    assert len(fake.gateway.identifies) == 1


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "drop",
    [
        lambda fake: fake.gateway.invalid_session(resumable=False),
        lambda fake: fake.gateway.close(4009),
        lambda fake: fake.gateway.close(4007),
    ],
    ids=["op9-not-resumable", "close-4009-timed-out", "close-4007-bad-seq"],
)
async def test_a_lost_session_is_identified_again_and_answers(
    fake_discord: FakeDiscord, footnote, drop: Drop
):
    """When the session is gone, the bot must start a new one, not give up."""
    fake = fake_discord
    async with footnote():
        await drop(fake)
        await fake.wait_until(
            lambda: len(fake.gateway.identifies) == 2, timeout=8, message="a new IDENTIFY"
        )
        await fake.wait_until_ready(timeout=8)
        assert "RMB 39" in await ask_and_get_reply(fake, "kimi price?")
    assert len({session.session_id for session in fake.gateway.sessions}) == 2


async def test_buttons_on_answers_from_before_a_restart_still_work(
    fake_discord: FakeDiscord, footnote
):
    """Buttons live in old messages for months; they must work in a freshly started bot."""
    fake = fake_discord
    async with footnote():
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
        answer = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
    message_id = int(answer.response["id"])
    async with footnote():
        record = await fake.send_interaction(
            fake.component(message_id, "fn:vote:up:fact:kimi-price")
        )
        await fake.wait_for_request("POST", CALLBACK.format(record.id))
        thanks = await fake.wait_for_request("POST", FOLLOWUP)
    assert thanks.json["content"] == "Thanks, your feedback was recorded."
