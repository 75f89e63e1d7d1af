"""The feedback log survives the bot being killed mid-write, and a database it cannot use."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.feedback import FeedbackStore, VoteOutcome

WRITER = Path(__file__).with_name("feedback_writer.py")
LOOKUPS = {
    "vote": "SELECT 1 FROM votes WHERE message_id = ?",
    "unanswered": "SELECT 1 FROM unanswered WHERE question = 'question ' || ? || '?'",
    "share": "SELECT 1 FROM shares WHERE answer_key = 'fact:s' || ?",
}


def kill_mid_burst(db: Path, acks_before_kill: int) -> list[tuple[str, int]]:
    """Runs the writer, SIGKILLs it after some acks, and returns every write it acknowledged."""
    process = subprocess.Popen(
        [sys.executable, str(WRITER), str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acked: list[tuple[str, int]] = []
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        while len(acked) < acks_before_kill:
            line = process.stdout.readline()
            assert line, (
                f"the writer stopped early: {process.stderr.read() if process.stderr else ''}"
            )
            _, kind, n = line.split()
            acked.append((kind, int(n)))
        process.send_signal(signal.SIGKILL)
        rest = process.stdout.read()
    finally:
        process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL
    for line in rest.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "ack":
            acked.append((parts[1], int(parts[2])))
    return acked


@pytest.mark.timeout(60)
@pytest.mark.parametrize("acks_before_kill", [1, 40, 600])
async def test_every_acknowledged_write_survives_sigkill(tmp_path: Path, acks_before_kill: int):
    """An ack is a promise: it may only be given once the row is committed."""
    db = tmp_path / "feedback.db"
    acked = kill_mid_burst(db, acks_before_kill)
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        missing = [
            (kind, n) for kind, n in acked if not check.execute(LOOKUPS[kind], (n,)).fetchone()
        ]
    assert not missing, f"{len(missing)} of {len(acked)} acknowledged writes lost: {missing[:5]}"
    store = FeedbackStore(db, retention_days=90)
    assert await store.open(), "the killed database opens cleanly"
    assert await store.vote("fact:after", 1, 1, 1, None, None) is VoteOutcome.RECORDED
    await store.close()


async def test_a_vote_after_the_database_recovers_uses_the_secret_key(tmp_path: Path):
    """Pseudonyms must never be keyed with an empty secret, even if the store opened unwell."""
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    store = FeedbackStore(blocker / "feedback.db", retention_days=90)
    assert not await store.open()
    blocker.unlink()
    try:
        assert await store.vote("fact:x", 7, 1234, 1, None, None) is VoteOutcome.RECORDED
        assert await store.log_share("fact:x", 1234, None, None)
    finally:
        await store.close()
    key = bytes.fromhex((blocker / "feedback.db.key").read_text(encoding="ascii"))
    expected = hmac.new(key, b"1234", hashlib.sha256).hexdigest()[:32]
    with sqlite3.connect(blocker / "feedback.db") as check:
        assert check.execute("SELECT voter FROM votes").fetchall() == [(expected,)]
        assert check.execute("SELECT sharer FROM shares").fetchall() == [(expected,)]


@pytest.mark.parametrize(
    ("path", "retention_days"),
    [("nul\0in-the-name.db", 90), ("feedback.db", 10**400)],
    ids=["nul-in-path", "retention-overflows"],
)
async def test_an_unexpected_error_reports_unavailable_instead_of_hanging(
    tmp_path: Path, caplog, path: str, retention_days: int
):
    """A non-SQLite error must not kill the writer thread and leave every vote waiting."""
    caplog.set_level(logging.ERROR, logger="bot.feedback.store")
    store = FeedbackStore(tmp_path / path, retention_days=retention_days)
    try:
        assert await _within(store.open(), 5) is False
        assert await _within(store.vote("fact:x", 1, 1, 1, None, None), 5) is (
            VoteOutcome.UNAVAILABLE
        )
    finally:
        await _within(store.close(), 15)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].startswith("feedback log unavailable"), errors


async def _within(awaitable, seconds: float):
    """Fails the test, rather than hanging it, if the store never answers."""
    return await asyncio.wait_for(awaitable, seconds)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
async def test_a_read_only_folder_makes_feedback_unavailable(tmp_path: Path):
    """The plain read-only case, for non-root runs; root needs the tricks in test_bad_database."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        store = FeedbackStore(folder / "feedback.db", retention_days=90)
        assert not await store.open()
        assert await store.vote("fact:x", 1, 1, 1, None, None) is VoteOutcome.UNAVAILABLE
        await store.close()
    finally:
        folder.chmod(0o700)
