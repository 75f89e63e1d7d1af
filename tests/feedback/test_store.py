"""The SQLite backend's own ways: its files, their permissions, its key file, a damaged file.
The contract both backends share is tests/feedback/test_backends.py's."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.feedback import FeedbackStore, VoteOutcome


@pytest.fixture
async def store(tmp_path: Path):
    store = FeedbackStore(tmp_path / "feedback.db", retention_days=90)
    assert await store.open()
    yield store
    await store.close()


def rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


async def test_user_ids_are_stored_only_as_keyed_hashes(store: FeedbackStore) -> None:
    await store.vote("fact:x", 1, user_id=123456789012345678, value=1, guild_id=1, channel_id=2)
    await store.log_share("fact:x", user_id=123456789012345678, guild_id=1, channel_id=2)
    dump = "\n".join(sqlite3.connect(store.path).iterdump())
    assert "123456789012345678" not in dump
    assert store.pseudonym(123456789012345678) in dump
    other = FeedbackStore(store.path.with_name("other.db"), retention_days=90)
    await other.open()
    assert other.pseudonym(123456789012345678) != store.pseudonym(123456789012345678)
    await other.close()


async def test_the_file_is_in_wal_mode_so_reports_read_while_it_writes(
    store: FeedbackStore,
) -> None:
    assert rows(store.path, "PRAGMA journal_mode") == [("wal",)]


async def test_corrupt_file_leaves_feedback_unavailable_not_crashed(tmp_path: Path, caplog) -> None:
    path = tmp_path / "f.db"
    path.write_bytes(b"this is not a database" * 100)
    store = FeedbackStore(path, retention_days=90)
    assert not await store.open()
    assert await store.vote("fact:x", 1, 1, 1, 1, 1) is VoteOutcome.UNAVAILABLE
    assert not await store.log_unanswered("q", 0.1, [], 1, 1)
    await store.close()
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "feedback log unavailable" in errors[0].getMessage()


async def test_the_database_is_readable_by_its_owner_alone(store: FeedbackStore) -> None:
    await store.log_unanswered("who asked this?", 0.1, [], 1, 2)
    files = [store.path, store.path.with_name(store.path.name + "-wal")]
    files.append(store.path.with_name(store.path.name + ".key"))
    assert {path.name: path.stat().st_mode & 0o777 for path in files} == {
        path.name: 0o600 for path in files
    }


async def test_an_empty_key_file_is_refused_not_used_to_hash(tmp_path: Path) -> None:
    (tmp_path / "feedback.db.key").write_text("", encoding="ascii")
    store = FeedbackStore(tmp_path / "feedback.db", retention_days=90)
    assert not await store.open()
    assert "the key file feedback.db.key is damaged" in store.problem
    await store.close()


async def test_stores_starting_together_share_one_key_and_leave_no_scraps(tmp_path: Path) -> None:
    stores = [FeedbackStore(tmp_path / "feedback.db", retention_days=90) for _ in range(8)]
    assert all(await asyncio.gather(*(store.open() for store in stores)))
    try:
        assert len({store.pseudonym(42) for store in stores}) == 1
    finally:
        await asyncio.gather(*(store.close() for store in stores))
    assert sorted(path.name for path in tmp_path.iterdir() if ".key" in path.name) == [
        "feedback.db.key"
    ]


async def test_uses_are_counted_per_answer_day_and_guild_and_nothing_else(tmp_path: Path) -> None:
    now = [1_000_000_000.0]
    store = FeedbackStore(tmp_path / "f.db", retention_days=90, clock=lambda: now[0])
    await store.open()
    for guild in (1, 1, 2, None, None):
        store.count_use("fact:kimi-price", guild)
    now[0] += 86_400
    store.count_use("fact:kimi-price", 1)
    store.count_use("topic:glm", 1)
    await store.close()
    day = 1_000_000_000.0 // 86_400 * 86_400
    assert rows(tmp_path / "f.db", "SELECT * FROM uses ORDER BY id") == [
        (1, day, 1, "fact:kimi-price", 2),
        (2, day, 2, "fact:kimi-price", 1),
        (3, day, None, "fact:kimi-price", 2),
        (4, day + 86_400, 1, "fact:kimi-price", 1),
        (5, day + 86_400, 1, "topic:glm", 1),
    ]


async def test_use_counts_obey_retention_and_guild_purges(tmp_path: Path) -> None:
    now = [1_000_000_000.0]
    store = FeedbackStore(tmp_path / "f.db", retention_days=90, clock=lambda: now[0])
    await store.open()
    store.count_use("fact:old", 1)
    now[0] += 91 * 86_400
    store.count_use("fact:new", 1)
    store.count_use("fact:new", 2)
    await store.close()
    reopened = FeedbackStore(tmp_path / "f.db", retention_days=90, clock=lambda: now[0])
    await reopened.open()
    assert rows(tmp_path / "f.db", "SELECT answer_key, guild_id FROM uses ORDER BY id") == [
        ("fact:new", 1),
        ("fact:new", 2),
    ]
    assert await reopened.purge_guild(1) == 1
    await reopened.close()
    assert rows(tmp_path / "f.db", "SELECT guild_id FROM uses") == [(2,)]
