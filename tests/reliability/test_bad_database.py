"""A feedback database the bot cannot use: it goes on answering, says so once, and tells voters."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest

from bot.feedback import FeedbackStore
from tests.fake_discord import FakeDiscord

CALLBACK = r"/interactions/{}/.+/callback"
FOLLOWUP = r"/webhooks/\d+/[^/]+"
HOLD_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
"""

Spoiler = Callable[[Path], AbstractAsyncContextManager[None]]


@asynccontextmanager
async def locked(db: Path) -> AsyncIterator[None]:
    """Another process holds an exclusive lock on a real feedback database for the whole run."""
    store = FeedbackStore(db, retention_days=90)
    assert await store.open()
    await store.close()
    holder = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        HOLD_LOCK,
        str(db),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None
        assert (await holder.stdout.readline()).strip() == b"locked"
        yield
    finally:
        holder.kill()
        await holder.wait()


@asynccontextmanager
async def a_folder(db: Path) -> AsyncIterator[None]:
    """The database path is a directory: refused even to root, unlike a chmod'ed file."""
    db.mkdir(parents=True)
    yield


@asynccontextmanager
async def inside_a_file(db: Path) -> AsyncIterator[None]:
    """The database's folder is a regular file, so nothing below it can exist (ENOTDIR), root or
    not; the closest to a read-only disk that also holds when the tests run as root."""
    db.parent.write_text("not a folder", encoding="utf-8")
    yield


@asynccontextmanager
async def garbage(db: Path) -> AsyncIterator[None]:
    """The file exists but is not SQLite: what a bad disk or a stray copy leaves behind."""
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(bytes(range(256)) * 64)
    yield


@asynccontextmanager
async def torn(db: Path) -> AsyncIterator[None]:
    """A real feedback database whose pages after the header were overwritten with junk."""
    store = FeedbackStore(db, retention_days=90)
    assert await store.open()
    for n in range(50):
        await store.log_unanswered(f"question {n}" * 20, 0.1, [], 1, 2)
    await store.close()
    raw = bytearray(db.read_bytes())
    raw[100:] = b"\xa5" * (len(raw) - 100)
    db.write_bytes(bytes(raw))
    for leftover in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)
    yield


@pytest.mark.parametrize("spoil", [locked, a_folder, inside_a_file, garbage, torn])
async def test_bot_answers_and_votes_say_feedback_is_unavailable(
    fake_discord: FakeDiscord, footnote, tmp_path: Path, caplog, monkeypatch, spoil: Spoiler
):
    """Feedback is optional: losing it must cost one log line, never an answer."""
    fake = fake_discord
    monkeypatch.setattr("bot.feedback.sqlite.BUSY_TIMEOUT_SECONDS", 0.2)
    caplog.set_level(logging.INFO)
    db = tmp_path / "data" / "feedback.db"
    async with spoil(db), footnote(storage={"path": "data/feedback.db"}) as bot:
        assert bot.feedback is not None and not bot.feedback.available
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
        answer = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        assert "RMB 39" in answer.json["embeds"][0]["description"]
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} best pizza?")
        await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")

        record = await fake.send_interaction(
            fake.component(int(answer.response["id"]), "fn:vote:up:fact:kimi-price")
        )
        await fake.wait_for_request("POST", CALLBACK.format(record.id))
        reply = await fake.wait_for_request("POST", FOLLOWUP)
    assert reply.json["content"] == "Sorry, feedback is unavailable right now."
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    assert errors[0].name == "bot.feedback.store"
    message = errors[0].getMessage()
    assert message.startswith(f"feedback log unavailable ({db}): ") and "\n" not in message
