"""Stopping a background task: it is cancelled and waited for, and none or a done one is fine."""

from __future__ import annotations

import asyncio

from bot.tasks import stop_task


async def test_a_running_task_is_cancelled_and_waited_for() -> None:
    cleaned: list[str] = []

    async def forever() -> None:
        try:
            await asyncio.sleep(3600)
        finally:
            cleaned.append("closed")

    task = asyncio.create_task(forever())
    await asyncio.sleep(0)
    await stop_task(task)
    assert task.cancelled() and cleaned == ["closed"]


async def test_no_task_or_a_finished_one_is_fine() -> None:
    await stop_task(None)
    done = asyncio.create_task(asyncio.sleep(0))
    await done
    await stop_task(done)
    assert done.done() and not done.cancelled()
