"""The feedback log: one vote per person per answer, no clear user ids, faults survived."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.feedback import FeedbackStore, VoteOutcome
from bot.feedback.schema import MIGRATIONS


@pytest.fixture
async def store(tmp_path: Path):
    store = FeedbackStore(tmp_path / "feedback.db", retention_days=90)
    assert await store.open()
    yield store
    await store.close()


def rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


async def test_one_vote_per_user_per_answer(store: FeedbackStore) -> None:
    first = await store.vote("fact:kimi-price", 10, user_id=42, value=1, guild_id=1, channel_id=2)
    again = await store.vote("fact:kimi-price", 10, user_id=42, value=-1, guild_id=1, channel_id=2)
    other = await store.vote("fact:kimi-price", 10, user_id=43, value=-1, guild_id=1, channel_id=2)
    assert (first, again, other) == (
        VoteOutcome.RECORDED,
        VoteOutcome.DUPLICATE,
        VoteOutcome.RECORDED,
    )
    assert rows(store.path, "SELECT answer_key, value FROM votes ORDER BY id") == [
        ("fact:kimi-price", 1),
        ("fact:kimi-price", -1),
    ]


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


async def test_unanswered_questions_keep_their_candidates(store: FeedbackStore) -> None:
    assert await store.log_unanswered("kimi ceo?", 0.31, [("kimi-price", 0.31)], 5, 6)
    assert rows(
        store.path, "SELECT question, confidence, candidates, guild_id FROM unanswered"
    ) == [("kimi ceo?", 0.31, '[["kimi-price", 0.31]]', 5)]


async def test_retention_prunes_old_rows_at_open(tmp_path: Path) -> None:
    now = [1_000_000_000.0]
    store = FeedbackStore(tmp_path / "f.db", retention_days=90, clock=lambda: now[0])
    await store.open()
    await store.log_unanswered("old", 0.1, [], 1, 1)
    now[0] += 91 * 86_400
    await store.log_unanswered("new", 0.1, [], 1, 1)
    await store.close()
    reopened = FeedbackStore(tmp_path / "f.db", retention_days=90, clock=lambda: now[0])
    await reopened.open()
    await reopened.close()
    assert rows(tmp_path / "f.db", "SELECT question FROM unanswered") == [("new",)]


async def test_purge_guild(store: FeedbackStore) -> None:
    await store.log_unanswered("a", 0.1, [], 1, 1)
    await store.log_unanswered("b", 0.1, [], 2, 1)
    assert await store.purge_guild(1) == 1
    assert rows(store.path, "SELECT question FROM unanswered") == [("b",)]


async def test_schema_version_is_recorded(store: FeedbackStore) -> None:
    assert rows(store.path, "PRAGMA user_version") == [(len(MIGRATIONS),)]
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


async def test_newer_schema_is_refused_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    store = FeedbackStore(path, retention_days=90)
    assert not await store.open()
    await store.close()


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


async def test_a_weeks_digest_is_claimed_once_per_guild_until_released(tmp_path: Path) -> None:
    now = [1_000_000_000.0]
    store = FeedbackStore(tmp_path / "f.db", retention_days=1, clock=lambda: now[0])
    await store.open()
    assert await store.claim_digest(1, "2026-11-30")
    assert not await store.claim_digest(1, "2026-11-30")
    assert await store.claim_digest(2, "2026-11-30")
    assert await store.release_digest(2, "2026-11-30")
    assert await store.claim_digest(2, "2026-11-30")
    await store.close()
    now[0] += 30 * 86_400
    reopened = FeedbackStore(tmp_path / "f.db", retention_days=1, clock=lambda: now[0])
    await reopened.open()
    assert not await reopened.claim_digest(1, "2026-11-30"), "retention never forgets it"
    assert await reopened.purge_guild(1) == 1
    assert await reopened.claim_digest(1, "2026-11-30")
    await reopened.close()
    assert not await reopened.claim_digest(1, "2026-12-07"), "closed: not sent, not claimed"
