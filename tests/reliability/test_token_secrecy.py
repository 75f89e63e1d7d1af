"""The bot token never shows up in logs, even at DEBUG with discord.py's own loggers, nor in
exceptions or the config's repr."""

from __future__ import annotations

import logging
import traceback

import discord
import pytest

from bot.config import Config, ConfigError, DiscordSettings
from bot.discordbot.client import build_library, create_bot, use_api_base
from tests.fake_discord import FakeDiscord
from tests.fake_discord.fixtures import run_client

CALLBACK = r"/interactions/{}/.+/callback"
FOLLOWUP = r"/webhooks/\d+/[^/]+"


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every record as a handler would write it, tracebacks and raw arguments included."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(f"{formatter.format(r)} {r.args!r}" for r in caplog.records)


async def test_the_token_is_never_logged_at_debug(fake_discord: FakeDiscord, footnote, caplog):
    """Hosts turn on DEBUG to diagnose faults and paste the logs into issues."""
    fake = fake_discord
    caplog.set_level(logging.DEBUG)
    async with footnote():
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
        answer = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        record = await fake.send_interaction(fake.slash("ask", {"question": "glm license"}))
        await fake.wait_for_request("POST", CALLBACK.format(record.id))

        fake.fail_next("POST", FOLLOWUP, status=429, retry_after=0.05)
        fake.fail_next("POST", FOLLOWUP, status=403, code=50001)
        record = await fake.send_interaction(
            fake.component(int(answer.response["id"]), "fn:vote:up:fact:kimi-price")
        )
        await fake.wait_for_request("POST", FOLLOWUP, status=200)

        await fake.gateway.reconnect()
        await fake.wait_until(lambda: fake.gateway.resumes, message="a RESUME")
        await fake.gateway.invalid_session(resumable=False)
        await fake.wait_until(lambda: len(fake.gateway.identifies) == 2, message="IDENTIFY")
        await fake.wait_until_ready()
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} glm license?")
        await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
    logged = everything_logged(caplog)
    names = {r.name for r in caplog.records if r.levelno == logging.DEBUG}
    assert {"discord.http", "discord.gateway", "discord.webhook.async_"} <= names, names
    assert "Traceback" in logged, "the 403 was logged with its traceback"
    assert fake.token not in logged


async def test_a_rejected_token_is_not_in_the_exception(fake_discord: FakeDiscord, caplog):
    """A wrong token is often a real one for another bot; it must not be echoed."""
    caplog.set_level(logging.DEBUG)
    wrong = "wrong-secret-token-0123456789"
    config = Config(discord=DiscordSettings(api_base=fake_discord.api_base))
    use_api_base(config.discord.api_base)
    bot = create_bot(config, build_library(config), None)
    with pytest.raises(discord.LoginFailure) as raised:
        async with run_client(bot, wrong):
            pass
    shown = "".join(traceback.format_exception(raised.value)) + repr(raised.value)
    assert wrong not in shown
    assert wrong not in everything_logged(caplog)


def test_the_token_is_not_in_the_config_or_its_errors(monkeypatch: pytest.MonkeyPatch):
    """Config objects get printed in bug reports; the token must not ride along."""
    secret = "secret-token-value-42"
    monkeypatch.setenv("FOOTNOTE_TEST_TOKEN", secret)
    config = Config(discord=DiscordSettings(token_env="FOOTNOTE_TEST_TOKEN"))
    assert config.token() == secret
    assert secret not in repr(config) and secret not in str(vars(config))
    monkeypatch.setenv("FOOTNOTE_TEST_TOKEN", "   ")
    with pytest.raises(ConfigError) as raised:
        config.token()
    assert "FOOTNOTE_TEST_TOKEN" in str(raised.value)
