"""Starts the real Footnote bot against a FakeDiscord, for the end-to-end tests and the soak."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.config import AnsweringSettings, Config, DiscordSettings, StorageSettings
from bot.discordbot.client import AnyBot, build_library, create_bot, use_api_base
from bot.feedback import FeedbackStore
from tests.fake_discord import FakeDiscord
from tests.fake_discord.fixtures import run_client


async def _no_identify_pause(shard_id: int | None, *, initial: bool = False) -> None:
    """discord.py waits 5 s before every IDENTIFY after the first; the fake needs no such care."""


@asynccontextmanager
async def start_footnote(
    fake: FakeDiscord,
    base_dir: Path,
    *,
    discord: dict[str, Any] | None = None,
    answering: dict[str, Any] | None = None,
    storage: dict[str, Any] | None = None,
    knowledge_paths: tuple[str, ...] = (),
) -> AsyncIterator[AnyBot]:
    """Footnote configured as a host would, against the fake, with any settings changed."""
    config = Config(
        discord=dataclasses.replace(
            DiscordSettings(api_base=fake.api_base, dev_guild_ids=(fake.guild.id,)),
            **(discord or {}),
        ),
        answering=dataclasses.replace(AnsweringSettings(), **(answering or {})),
        storage=dataclasses.replace(StorageSettings(path="feedback.db"), **(storage or {})),
        base_dir=base_dir,
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
        async with run_client(bot, fake.token):
            yield bot
    finally:
        if feedback is not None:
            await feedback.close()
