"""Before discord.py starts, one question to Discord: any wrong answer is one clear line."""

from __future__ import annotations

import socket

import discord
import pytest

from bot.discordbot.probe import DiscordUnavailable, probe
from tests.discordbot.conftest import SilentServer
from tests.fake_discord import FakeDiscord

AGENT = "DiscordBot (test, 0)"


def closed_port() -> int:
    """A port of 127.0.0.1 that nothing listens on."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        return free.getsockname()[1]


async def unavailable(api_base: str, token: str, timeout: float = 5.0) -> DiscordUnavailable:
    with pytest.raises(DiscordUnavailable) as raised:
        await probe(api_base, token, AGENT, timeout)
    assert token not in str(raised.value)
    assert "\n" not in str(raised.value)
    return raised.value


async def test_discord_answering_passes(fake_discord: FakeDiscord):
    await probe(fake_discord.api_base, fake_discord.token, AGENT, 5.0)


async def test_a_closed_port_is_connection_refused():
    api_base = f"http://127.0.0.1:{closed_port()}/api/v10"
    error = await unavailable(api_base, "secret-token")
    assert str(error) == f"cannot reach Discord at {api_base}: connection refused"
    assert not error.settings_wrong


async def test_a_wrong_path_answers_404_and_blames_api_base(fake_discord: FakeDiscord):
    api_base = fake_discord.api_base.replace("/v10", "/v1")
    error = await unavailable(api_base, fake_discord.token)
    assert str(error) == f"Discord at {api_base} answered 404 to /gateway/bot: is api_base right?"
    assert error.settings_wrong


async def test_a_server_error_is_worth_a_retry(fake_discord: FakeDiscord):
    fake_discord.fail_next("GET", "/gateway/bot", status=500)
    error = await unavailable(fake_discord.api_base, fake_discord.token)
    assert str(error) == (
        f"Discord at {fake_discord.api_base} answered 500 to /gateway/bot: it is having "
        "trouble; try again later"
    )
    assert not error.settings_wrong


async def test_a_server_that_never_answers_times_out_saying_what_it_waited_for(
    silent_server: SilentServer,
):
    api_base = silent_server.api_base
    error = await unavailable(api_base, "secret-token", timeout=0.2)
    assert str(error).startswith(
        f"no answer from Discord at {api_base} within 0.2 s (waited for /gateway/bot)"
    )
    assert not error.settings_wrong


async def test_a_rejected_token_is_a_login_failure_without_the_token(fake_discord: FakeDiscord):
    with pytest.raises(discord.LoginFailure) as raised:
        await probe(fake_discord.api_base, "wrong-secret", AGENT, 5.0)
    assert "wrong-secret" not in str(raised.value)
