"""`footnote run` stops cleanly on SIGTERM and SIGINT, finishing feedback writes still in flight."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path

import pytest

from tests.discordbot.processes import fake_discord_config, footnote_run
from tests.fake_discord import FakeDiscord

CALLBACK = r"/interactions/{}/.+/callback"
FOLLOWUP = r"/webhooks/\d+/[^/]+"


@pytest.mark.timeout(60)
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_signal_exits_zero_after_flushing_a_pending_vote(
    fake_discord: FakeDiscord, tmp_path: Path, signum: int
):
    """A deploy's SIGTERM (or Ctrl-C) must not drop a vote still waiting for the disk."""
    fake = fake_discord
    config = fake_discord_config(tmp_path, fake, "feedback.db")
    process = await footnote_run(config, fake.token)
    holder = None
    try:
        await fake.wait_until_ready(timeout=30)
        await fake.wait_for_request("PUT", r"/applications/\d+/guilds/\d+/commands", timeout=30)
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
        answer = await fake.wait_for_request(
            "POST", rf"/channels/{fake.channel.id}/messages", timeout=15
        )
        # Another reader-writer (say `footnote report --purge`) holds the write lock, so the
        # vote is still waiting to be written when the signal comes.
        holder = sqlite3.connect(tmp_path / "feedback.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        record = await fake.send_interaction(
            fake.component(int(answer.response["id"]), "fn:vote:up:fact:kimi-price")
        )
        await fake.wait_for_request("POST", CALLBACK.format(record.id))
        await asyncio.sleep(0.3)
        process.send_signal(signum)
        await asyncio.sleep(0.3)
        assert process.returncode is None, "it must not exit before the vote is written"
        holder.execute("ROLLBACK")
        thanks = await fake.wait_for_request("POST", FOLLOWUP, timeout=10)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=10)
    finally:
        if holder is not None:
            holder.close()
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = stderr.decode()
    assert process.returncode == 0, log
    with sqlite3.connect(tmp_path / "feedback.db") as db:
        votes = db.execute("SELECT answer_key, value FROM votes").fetchall()
    assert votes == [("fact:kimi-price", 1)]
    assert thanks.json["content"] == "Thanks, your feedback was recorded.", "the voter is told"
    assert "Traceback" not in log, log
