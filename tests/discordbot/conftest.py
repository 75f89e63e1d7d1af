"""Runs the real Footnote bot against the loopback fake Discord."""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest

from bot.discordbot.client import AnyBot
from tests.discordbot.harness import start_footnote
from tests.fake_discord import FakeDiscord
from tests.fake_discord.fixtures import discord_py_globals, fake_discord

__all__ = ["discord_py_globals", "fake_discord", "footnote"]

RunBot = Callable[..., AbstractAsyncContextManager[AnyBot]]


@pytest.fixture
def footnote(fake_discord: FakeDiscord, tmp_path: Path, discord_py_globals) -> RunBot:
    """Starts Footnote, configured as a host would, against the fake; settings may be changed."""
    return functools.partial(start_footnote, fake_discord, tmp_path)
