"""Starts the real Footnote bot against a FakeDiscord, for the end-to-end tests and the soak."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.config import (
    AnsweringSettings,
    Config,
    DiscordSettings,
    FeedbackSettings,
    MetricsSettings,
    PolicyTexts,
    StorageSettings,
)
from bot.discordbot.client import AnyBot, build_library, create_bot, use_api_base
from bot.engine import Matcher
from bot.engine.calibration import Calibration
from bot.engine.features import FEATURE_NAMES
from bot.feedback import FeedbackStore
from bot.knowledge import bundled_knowledge_dir, load_knowledge
from tests.fake_discord import FakeDiscord
from tests.fake_discord.fixtures import run_client

BUNDLED = load_knowledge([bundled_knowledge_dir()])
BUNDLED_COUNTS = (
    f"{len(BUNDLED.sources)} sources, {len(BUNDLED.topics)} topics, {len(BUNDLED.facts)} facts"
)
"""How the bot counts the bundled knowledge in its logs and replies, whatever curators add."""
COIN_FLIP = Calibration(0.0, (0.0,) * len(FEATURE_NAMES), 0.5)
"""Every match is even odds, so the thresholds alone decide what a test question gets."""
UNSURE = {"answer_at": 0.75, "probable_at": 0.25, "automatic_at": 0.8}
"""Thresholds that make a COIN_FLIP match a "probably" on mentions and silence unasked."""


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
    feedback: dict[str, Any] | None = None,
    metrics: dict[str, Any] | None = None,
    texts: dict[str, PolicyTexts] | None = None,
    clock: Callable[[], float] = time.time,
    knowledge_paths: tuple[str, ...] = (),
    knowledge: dict[str, Any] | None = None,
    calibration: Calibration | None = None,
) -> AsyncIterator[AnyBot]:
    """Footnote configured as a host would, against the fake, with any settings or odds changed,
    and the calendar's time from `clock`."""
    config = Config(
        discord=dataclasses.replace(
            DiscordSettings(api_base=fake.api_base, dev_guild_ids=(fake.guild.id,)),
            **(discord or {}),
        ),
        answering=dataclasses.replace(AnsweringSettings(), **(answering or {})),
        storage=dataclasses.replace(StorageSettings(path="feedback.db"), **(storage or {})),
        feedback=dataclasses.replace(FeedbackSettings(), **(feedback or {})),
        metrics=dataclasses.replace(MetricsSettings(), **(metrics or {})),
        texts=texts or {},
        base_dir=base_dir,
    )
    config = dataclasses.replace(
        config,
        knowledge=dataclasses.replace(config.knowledge, paths=knowledge_paths, **(knowledge or {})),
    )
    use_api_base(config.discord.api_base)
    store = None
    if config.storage.enabled:
        store = FeedbackStore(
            config.storage_target(),
            config.storage.retention_days,
            clock,
            password=config.storage_password(),
        )
        await store.open()
    library = build_library(config)
    if calibration is not None:  # the served matcher only, so a reload goes back to the fitted odds
        matcher = library.matcher
        library.matcher = Matcher(matcher.knowledge, matcher.settings, calibration=calibration)
    bot = create_bot(config, library, store, guild_ready_timeout=0.05)
    bot.clock = clock
    bot.before_identify_hook = _no_identify_pause  # type: ignore[method-assign]
    try:
        async with run_client(bot, fake.token):
            yield bot
    finally:
        if store is not None:
            await store.close()
