"""Starting `footnote run` as a separate process, as a host does."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.fake_discord import FakeDiscord


def fake_discord_config(folder: Path, fake: FakeDiscord, storage: str) -> Path:
    """A config file pointing the bot at the fake Discord, synced to its guild, storing its
    feedback at `storage` (relative to where the bot runs)."""
    config = folder / "config.yaml"
    config.write_text(
        f"discord:\n  api_base: {fake.api_base}\n  dev_guild_ids: [{fake.guild.id}]\n"
        f"storage:\n  path: {storage}\n",
        encoding="utf-8",
    )
    return config


async def footnote_run(config: Path, token: str, *options: str) -> asyncio.subprocess.Process:
    """`footnote run` as a host starts it, with the token in the environment."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--config",
        str(config),
        *options,
        env={**os.environ, "DISCORD_TOKEN": token},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
