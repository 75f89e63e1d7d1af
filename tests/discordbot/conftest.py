"""Runs the real Footnote bot against the loopback fake Discord."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.discordbot.client import AnyBot
from tests.discordbot.harness import start_footnote
from tests.fake_discord import FakeDiscord
from tests.fake_discord.fixtures import discord_py_globals, fake_discord

__all__ = ["discord_py_globals", "fake_discord", "footnote", "silent_server"]

RunBot = Callable[..., AbstractAsyncContextManager[AnyBot]]


@pytest.fixture
def footnote(fake_discord: FakeDiscord, tmp_path: Path, discord_py_globals) -> RunBot:
    """Starts Footnote, configured as a host would, against the fake; settings may be changed."""
    return functools.partial(start_footnote, fake_discord, tmp_path)


@dataclass
class SilentServer:
    """A server that accepts connections and never says a word, as a hung proxy does."""

    api_base: str
    connected: asyncio.Event = field(default_factory=asyncio.Event)


@pytest.fixture
async def silent_server() -> AsyncIterator[SilentServer]:
    """A SilentServer on 127.0.0.1, its connections closed after the test."""
    held: list[asyncio.StreamWriter] = []
    connected = asyncio.Event()

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        connected.set()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield SilentServer(f"http://127.0.0.1:{port}/api/v10", connected)
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()
