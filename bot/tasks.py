"""Background tasks the bot's parts start and stop: one way to stop one."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any


async def stop_task(task: asyncio.Task[Any] | None) -> None:
    """Cancels a background task and waits until it has stopped, so nothing it holds is used
    after; a task already done, or none, is fine."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
