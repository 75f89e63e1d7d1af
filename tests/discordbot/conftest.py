"""Runs the real Footnote bot against the loopback fake Discord."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.config import AnsweringSettings, Config, DiscordSettings, StorageSettings
from bot.discordbot.client import AnyBot, build_library, create_bot, use_api_base
from bot.feedback import FeedbackStore
from tests.fake_discord import FakeDiscord
from tests.fake_discord.fixtures import discord_py_globals, fake_discord, run_client

__all__ = ["discord_py_globals", "fake_discord", "footnote"]

RunBot = Callable[..., AbstractAsyncContextManager[AnyBot]]


async def _no_identify_pause(shard_id: int | None, *, initial: bool = False) -> None:
    """discord.py waits 5 s before every IDENTIFY after the first; the fake needs no such care."""


@pytest.fixture
def footnote(fake_discord: FakeDiscord, tmp_path: Path, discord_py_globals) -> RunBot:
    """Starts Footnote, configured as a host would, against the fake; settings may be changed."""

    @asynccontextmanager
    async def start(
        *,
        discord: dict[str, Any] | None = None,
        answering: dict[str, Any] | None = None,
        storage: dict[str, Any] | None = None,
        knowledge_paths: tuple[str, ...] = (),
    ) -> AsyncIterator[AnyBot]:
        config = Config(
            discord=dataclasses.replace(
                DiscordSettings(
                    api_base=fake_discord.api_base, dev_guild_ids=(fake_discord.guild.id,)
                ),
                **(discord or {}),
            ),
            answering=dataclasses.replace(AnsweringSettings(), **(answering or {})),
            storage=dataclasses.replace(StorageSettings(path="feedback.db"), **(storage or {})),
            base_dir=tmp_path,
        )
        config = dataclasses.replace(
            config, knowledge=dataclasses.replace(config.knowledge, paths=knowledge_paths)
        )
        use_api_base(config.discord.api_base)
        feedback = None
        if config.storage.enabled:
            feedback = FeedbackStore(config.storage_path(), config.storage.retention_days)
            await feedback.open()
        bot = create_bot(config, build_library(config), feedback, guild_ready_timeout=0.05)
        bot.before_identify_hook = _no_identify_pause  # type: ignore[method-assign]
        try:
            async with run_client(bot, fake_discord.token):
                yield bot
        finally:
            if feedback is not None:
                await feedback.close()

    return start
