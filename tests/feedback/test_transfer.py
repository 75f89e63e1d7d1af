"""Copying a SQLite feedback log into another store, run for both targets: a PostgreSQL server,
as a host moving to several processes does, and another SQLite file."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from bot.feedback import FeedbackStore, FeedbackUnavailable, VoteOutcome, transfer
from bot.feedback.schema import MIGRATIONS, TABLES
from bot.feedback.sqlite import key_path
from bot.feedback.store import DAY
from bot.feedback.transfer import Copied, CopyRefused, KeyOutcome, copy_into, read_source
from tests.feedback.conftest import Database
from tests.feedback.test_report import seed, store_at


def contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of a SQLite log as a copy reads it: the insert's columns, oldest first."""
    with closing(sqlite3.connect(path)) as connection:
        return {table: connection.execute(select(table)).fetchall() for table in transfer.INSERTS}


async def target_contents(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    return {table: await database.rows(select(table)) for table in transfer.INSERTS}


def select(table: str) -> str:
    columns = ", ".join(transfer._columns(transfer.INSERTS[table]))
    return f"SELECT {columns} FROM {table} ORDER BY created_at, id"


async def copy(source: Path, database: Database, retention_days: int = 365) -> Copied:
    """The copy as `footnote report --copy-from` makes it: the target adopts the file's key."""
    read = read_source(source, database.target)
    store = FeedbackStore(
        database.target, retention_days, password=database.password, adopt_key=read.key
    )
    assert await store.open()
    try:
        return await copy_into(store, read)
    finally:
        await store.close()


def copied(result: Copied) -> dict[str, tuple[int, int, int]]:
    return {t.table: (t.copied, t.already_there, t.too_old) for t in result.tables}


@pytest.fixture
async def source(tmp_path: Path) -> Path:
    path = tmp_path / "old" / "footnote.db"
    path.parent.mkdir()
    await seed(path)
    return path


async def test_every_row_of_every_table_arrives_with_its_values(
    source: Path, database: Database
) -> None:
    assert set(transfer.INSERTS) == set(TABLES), "every table is copied"
    result = await copy(source, database)
    assert copied(result) == {
        "unanswered": (10, 0, 0),
        "votes": (11, 0, 0),
        "shares": (1, 0, 0),
        "uses": (2, 0, 0),
        "digests": (1, 0, 0),
    }
    assert await target_contents(database) == contents(source)


async def test_the_file_is_only_read(source: Path, database: Database) -> None:
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    key = key_path(source).read_bytes()
    await copy(source, database)
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    assert key_path(source).read_bytes() == key


async def test_votes_still_count_once_per_person_after_the_copy(
    tmp_path: Path, database: Database
) -> None:
    old = tmp_path / "old.db"
    async with store_at(old) as store:
        assert await store.vote("fact:x", 10, 42, 1, 1, 2) is VoteOutcome.RECORDED
    result = await copy(old, database)
    assert result.key is KeyOutcome.SHARED
    moved = database.store()
    assert await moved.open()
    try:
        assert await moved.vote("fact:x", 10, 42, -1, 1, 2) is VoteOutcome.DUPLICATE
        assert await moved.vote("fact:x", 10, 43, -1, 1, 2) is VoteOutcome.RECORDED
    finally:
        await moved.close()


async def test_a_second_copy_changes_nothing(source: Path, database: Database) -> None:
    first = await copy(source, database)
    after_first = await target_contents(database)
    again = await copy(source, database)
    assert first.copied_before is None
    assert again.copied_before is not None and again.tables == ()
    assert await target_contents(database) == after_first
    assert await database.rows("SELECT COUNT(*) FROM copies") == [(1,)]


async def test_an_interrupted_copy_leaves_the_target_unchanged_and_can_be_run_again(
    source: Path, database: Database, monkeypatch
) -> None:
    own = database.store()
    assert await own.open()
    await own.log_unanswered("already here", 0.1, [], 1, 1)
    own.count_use("fact:kimi-price", 1)
    await own.close()
    before = await target_contents(database)
    broken = transfer.INSERTS["shares"].replace("INTO shares", "INTO no_such_table")
    monkeypatch.setitem(transfer.INSERTS, "shares", broken)  # fails after unanswered and votes
    with pytest.raises(FeedbackUnavailable):
        await copy(source, database)
    assert await target_contents(database) == before
    assert await database.rows("SELECT COUNT(*) FROM copies") == [(0,)]
    monkeypatch.undo()
    assert copied(await copy(source, database))["shares"] == (1, 0, 0)


async def test_use_counts_add_to_the_targets_own(source: Path, database: Database) -> None:
    own = database.store()
    assert await own.open()
    for guild in (1, 1, 1, 7):
        own.count_use("fact:kimi-price", guild)
    await own.close()
    expected: Counter[tuple[Any, ...]] = Counter()
    for rows in (contents(source)["uses"], (await target_contents(database))["uses"]):
        for created_at, guild, answer, count in rows:
            expected[(created_at, guild, answer)] += count
    await copy(source, database)
    found = {
        (created_at, guild, answer): count
        for created_at, guild, answer, count in (await target_contents(database))["uses"]
    }
    assert found == dict(expected)
    assert found[(time.time() // DAY * DAY, 1, "fact:kimi-price")] == 4, "3 here, 1 copied"


async def test_a_target_with_its_own_key_gets_the_rows_and_says_votes_do_not_match(
    source: Path, database: Database
) -> None:
    own = database.store()
    assert await own.open()
    assert await own.vote("fact:kimi-price", 10, 1, -1, 1, 7) is VoteOutcome.RECORDED
    await own.close()
    result = await copy(source, database)
    assert result.key is KeyOutcome.DIFFERENT
    assert copied(result)["votes"] == (11, 0, 0), "other pseudonyms: no vote is a duplicate"
    assert len(await database.rows("SELECT * FROM votes")) == 12


async def test_rows_older_than_the_target_keeps_are_left_out(
    source: Path, database: Database
) -> None:
    result = await copy(source, database, retention_days=5)
    assert copied(result)["unanswered"] == (8, 0, 2), "two were asked 10 days ago"
    assert copied(result)["digests"] == (1, 0, 0), "a digest's week is never aged out"


async def test_a_file_changed_since_its_copy_is_refused(source: Path, database: Database) -> None:
    await copy(source, database)
    async with store_at(source) as store:
        await store.log_unanswered("asked after the copy", 0.1, [], 1, 1)
    with pytest.raises(CopyRefused, match="has changed since: copying it again would count"):
        await copy(source, database)


async def test_a_file_without_its_key_copies_and_says_its_votes_match_no_later_ones(
    source: Path, database: Database
) -> None:
    key_path(source).unlink()
    result = await copy(source, database)
    assert result.key is KeyOutcome.MISSING
    assert copied(result)["votes"] == (11, 0, 0)


async def test_a_file_at_an_older_schema_version_copies_and_stays_as_it_was(
    tmp_path: Path, database: Database
) -> None:
    old = tmp_path / "old.db"
    day = time.time() // DAY * DAY
    with closing(sqlite3.connect(old)) as connection:
        for migration in MIGRATIONS[:2]:
            connection.executescript(migration)
        connection.execute("PRAGMA user_version = 2")
        connection.executemany(
            "INSERT INTO uses (created_at, guild_id, answer_key, count) VALUES (?, ?, ?, ?)",
            [(day, None, "fact:a", 2), (day, None, "fact:a", 3)],
        )
        connection.commit()
    before = old.read_bytes()
    result = await copy(old, database)
    assert copied(result)["uses"] == (1, 0, 0), "the twins, merged as migration 3 merges them"
    assert await database.rows("SELECT count FROM uses") == [(5,)]
    assert old.read_bytes() == before


async def test_the_database_the_config_names_is_not_its_own_source(source: Path) -> None:
    with pytest.raises(CopyRefused, match="is the database the config names"):
        read_source(source, source.parent / ".." / source.parent.name / source.name)


async def test_rows_still_in_the_write_ahead_log_of_a_running_bot_are_copied(
    tmp_path: Path, database: Database
) -> None:
    old = tmp_path / "old.db"
    async with store_at(old) as running:
        await running.log_unanswered("written a moment ago", 0.1, [], 1, 1)
        assert old.with_name("old.db-wal").stat().st_size > 0, "not yet in the file itself"
        result = await copy(old, database)
        assert await running.log_unanswered("the bot goes on writing", 0.1, [], 1, 1)
    assert copied(result)["unanswered"] == (1, 0, 0)
    assert await database.rows("SELECT question FROM unanswered") == [("written a moment ago",)]


async def test_a_nul_in_an_old_question_does_not_stop_the_copy(
    source: Path, database: Database
) -> None:
    """Questions logged before NUL was dropped on the way in still copy, without it."""
    with closing(sqlite3.connect(source)) as connection, connection:
        connection.execute("UPDATE unanswered SET question = 'kimi' || char(0) || ' price?'")
    result = await copy(source, database)
    assert copied(result)["unanswered"] == (10, 0, 0)
    assert {row[0] for row in await database.rows("SELECT question FROM unanswered")} == {
        "kimi price?"
    }
