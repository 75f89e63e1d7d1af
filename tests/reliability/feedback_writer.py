"""Writes feedback in bursts until killed, printing `ack KIND N` only once a write is committed.

Run by test_feedback_durability as `python feedback_writer.py DB`; not collected by pytest.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.feedback import FeedbackStore, VoteOutcome

BURST = 4
"""Writes in flight at once, so the kill also lands on queued, uncommitted ones."""


async def _vote(store: FeedbackStore, n: int) -> None:
    outcome = await store.vote(f"fact:f{n}", n, n, 1, 1, 2)
    if outcome is VoteOutcome.RECORDED:
        print(f"ack vote {n}", flush=True)


async def _unanswered(store: FeedbackStore, n: int) -> None:
    if await store.log_unanswered(f"question {n}?", 0.1, [("f", 0.1)], 1, 2):
        print(f"ack unanswered {n}", flush=True)


async def _share(store: FeedbackStore, n: int) -> None:
    if await store.log_share(f"fact:s{n}", n, 1, 2):
        print(f"ack share {n}", flush=True)


async def main(path: Path) -> None:
    """Opens the store like the bot does, then writes forever."""
    store = FeedbackStore(path, retention_days=90)
    if not await store.open():
        print("unavailable", flush=True)
        return
    print("ready", flush=True)
    writers = (_vote, _unanswered, _share)
    n = 0
    while True:
        await asyncio.gather(*(writers[(n + i) % 3](store, n + i) for i in range(BURST)))
        n += BURST


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
