"""Pytest fixtures and a client runner for end-to-end tests against FakeDiscord.

Import the fixtures into a conftest.py: `from tests.fake_discord.fixtures import fake_discord`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import discord
import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .server import FakeDiscord


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started fake with the default guild, stopped after the test."""
    async with FakeDiscord() as fake:
        yield fake


@pytest.fixture
def discord_py_globals() -> Iterator[None]:
    """Restores discord.py's process-wide REST base and default gateway, which a bot pointed at
    the fake changes, so later tests start clean."""
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    yield
    Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


@asynccontextmanager
async def run_client(
    client: discord.Client, token: str, *, timeout: float = 10.0
) -> AsyncIterator[discord.Client]:
    """Runs client.start(token) in the background until on_ready, and closes it cleanly after.

    Errors from start() (a LoginFailure, say) are raised here instead of being lost in a task.
    """
    async with client:
        start = asyncio.create_task(client.start(token))
        ready = asyncio.create_task(client.wait_until_ready())
        try:
            done, _ = await asyncio.wait(
                {start, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if start in done:
                start.result()
                raise RuntimeError("client.start() returned before the client was ready")
            if ready not in done:
                raise TimeoutError(f"client not ready within {timeout}s")
            yield client
        finally:
            ready.cancel()
            await client.close()
            await asyncio.wait_for(asyncio.gather(start, return_exceptions=True), timeout)
