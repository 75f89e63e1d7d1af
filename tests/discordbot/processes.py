"""Starting `footnote run` as a separate process, as a host does."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path


async def footnote_run(config: Path, token: str) -> asyncio.subprocess.Process:
    """`footnote run` as a host starts it, with the token in the environment."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--config",
        str(config),
        env={**os.environ, "DISCORD_TOKEN": token},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
