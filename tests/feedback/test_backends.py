"""The feedback store's one contract, run on both backends: the embedded SQLite file and a real
PostgreSQL server. Faults SQLite has no counterpart for (a server restarted or down, a full
connection pool) run on PostgreSQL alone; a killed SQLite writer is tests/reliability's."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.engine import Matcher
from bot.feedback import FeedbackStore, VoteOutcome
from bot.feedback import postgres as postgres_backend
from bot.feedback import sqlite as sqlite_backend
from bot.feedback.report import read_report
from bot.feedback.schema import MIGRATIONS, POSTGRES_MIGRATIONS
from bot.feedback.store import DAY
from bot.knowledge import load_knowledge
from tests.feedback.conftest import Database
from tests.feedback.test_report import KNOWLEDGE, seed
from tests.postgres import BOT, PostgresServer

NOW = 1_000_000_000.0


@pytest.fixture
async def store(database: Database):
    store = database.store()
    assert await store.open()
    yield store
    await store.close()


@pytest.fixture
def postgres(database: Database) -> PostgresServer:
    """The server, for what only PostgreSQL has: the SQLite run of such a test skips."""
    if database.server is None:
        pytest.skip("PostgreSQL only: SQLite has no server to restart or stop, no pool, no roles")
    return database.server


# The contract -----------------------------------------------------------------------------


async def test_one_vote_per_user_per_answer(store: FeedbackStore, database: Database) -> None:
    first = await store.vote("fact:kimi-price", 10, user_id=42, value=1, guild_id=1, channel_id=2)
    again = await store.vote("fact:kimi-price", 10, user_id=42, value=-1, guild_id=1, channel_id=2)
    other = await store.vote("fact:kimi-price", 10, user_id=43, value=-1, guild_id=1, channel_id=2)
    assert (first, again, other) == (
        VoteOutcome.RECORDED,
        VoteOutcome.DUPLICATE,
        VoteOutcome.RECORDED,
    )
    assert await database.rows("SELECT answer_key, value FROM votes ORDER BY id") == [
        ("fact:kimi-price", 1),
        ("fact:kimi-price", -1),
    ]


async def test_user_ids_are_stored_only_as_hashes_every_process_agrees_on(
    store: FeedbackStore, database: Database
) -> None:
    user = 123456789012345678
    await store.vote("fact:x", 1, user_id=user, value=1, guild_id=1, channel_id=2)
    await store.log_share("fact:x", user_id=user, guild_id=1, channel_id=2)
    stored = await database.rows("SELECT voter FROM votes UNION ALL SELECT sharer FROM shares")
    assert store.pseudonym(user) in {value for (value,) in stored}
    assert str(user) not in {value for (value,) in stored}
    other = database.store()
    assert await other.open()
    try:
        assert other.pseudonym(user) == store.pseudonym(user), "one key for every process"
        assert await other.vote("fact:x", 1, user, -1, 1, 2) is VoteOutcome.DUPLICATE
    finally:
        await other.close()


async def test_unanswered_questions_keep_their_candidates(
    store: FeedbackStore, database: Database
) -> None:
    assert await store.log_unanswered("kimi ceo?", 0.31, [("kimi-price", 0.31)], 5, 6)
    assert await database.rows(
        "SELECT question, confidence, candidates, guild_id FROM unanswered"
    ) == [("kimi ceo?", 0.31, '[["kimi-price", 0.31]]', 5)]


async def test_snowflakes_and_times_keep_every_digit(
    store: FeedbackStore, database: Database
) -> None:
    guild, channel = 1_234_567_890_123_456_789, 987_654_321_098_765_432
    store_time = time.time()
    assert await store.log_unanswered("q", 0.5, [], guild, channel)
    [(stored_guild, stored_channel, created_at)] = await database.rows(
        "SELECT guild_id, channel_id, created_at FROM unanswered"
    )
    assert (stored_guild, stored_channel) == (guild, channel)
    assert abs(created_at - store_time) < 60


async def test_retention_prunes_old_rows_at_open(database: Database) -> None:
    now = [NOW]
    store = database.store(clock=lambda: now[0])
    await store.open()
    await store.log_unanswered("old", 0.1, [], 1, 1)
    now[0] += 91 * DAY
    await store.log_unanswered("new", 0.1, [], 1, 1)
    await store.close()
    reopened = database.store(clock=lambda: now[0])
    await reopened.open()
    await reopened.close()
    assert await database.rows("SELECT question FROM unanswered") == [("new",)]


async def test_prune_deletes_by_age_and_says_how_many(database: Database) -> None:
    now = [NOW]
    store = database.store(clock=lambda: now[0])
    await store.open()
    await store.log_unanswered("old", 0.1, [], 1, 1)
    await store.vote("fact:x", 1, 1, 1, 1, 1)
    now[0] += 10 * DAY
    await store.log_unanswered("new", 0.1, [], 1, 1)
    assert await store.prune(5) == 2
    await store.close()
    assert await database.rows("SELECT question FROM unanswered") == [("new",)]


async def test_purge_guild_reaches_every_table(store: FeedbackStore, database: Database) -> None:
    await store.log_unanswered("a", 0.1, [], 1, 1)
    await store.log_unanswered("b", 0.1, [], 2, 1)
    await store.vote("fact:x", 1, 1, 1, 1, 1)
    await store.log_share("fact:x", 1, 1, 1)
    store.count_use("fact:x", 1)
    await store.claim_digest(1, "2026-11-30")
    await store.close()
    await store.open()
    assert await store.purge_guild(1) == 5
    assert await database.rows("SELECT question FROM unanswered") == [("b",)]


async def test_schema_version_is_recorded(store: FeedbackStore, database: Database) -> None:
    if database.server is None:
        assert await database.rows("PRAGMA user_version") == [(len(MIGRATIONS),)]
    else:
        assert await database.rows("SELECT version FROM schema_version ORDER BY version") == [
            (n,) for n in range(1, len(POSTGRES_MIGRATIONS) + 1)
        ]
    assert len(MIGRATIONS) == len(POSTGRES_MIGRATIONS), "numbered alike on both"


async def test_uses_are_counted_per_answer_day_and_guild(database: Database) -> None:
    now = [NOW]
    store = database.store(clock=lambda: now[0])
    await store.open()
    for guild in (1, 1, 2, None, None, 1):
        store.count_use("fact:kimi-price", guild)
    now[0] += DAY
    store.count_use("fact:kimi-price", 1)
    store.count_use("topic:glm", 1)
    await store.close()
    day = NOW // DAY * DAY
    found = await database.rows(
        "SELECT created_at, guild_id, answer_key, SUM(count) FROM uses"
        " GROUP BY created_at, guild_id, answer_key"
    )
    assert sorted(found, key=repr) == sorted(
        [
            (day, 1, "fact:kimi-price", 3),
            (day, 2, "fact:kimi-price", 1),
            (day, None, "fact:kimi-price", 2),
            (day + DAY, 1, "fact:kimi-price", 1),
            (day + DAY, 1, "topic:glm", 1),
        ],
        key=repr,
    )


async def test_counts_written_at_once_by_several_processes_are_never_lost(
    database: Database,
) -> None:
    stores = [database.store() for _ in range(4)]
    assert all(await asyncio.gather(*(store.open() for store in stores)))
    for _ in range(25):
        for store in stores:
            store.count_use("fact:kimi-price", None)
            store.count_use("fact:kimi-price", 7)
    await asyncio.gather(*(store.close() for store in stores))
    found = await database.rows("SELECT guild_id, count FROM uses")
    assert sorted(found, key=repr) == [(7, 100), (None, 100)], "one row each, every use in it"


async def test_migration_3_merges_twin_use_rows_into_one(database: Database) -> None:
    day = NOW // DAY * DAY
    twins = [(day, None, "fact:a", 2), (day, None, "fact:a", 3), (day, 7, "fact:a", 1)]
    insert = "INSERT INTO uses (created_at, guild_id, answer_key, count) VALUES"
    if database.server is None:
        with sqlite3.connect(database.target) as db:
            for migration in MIGRATIONS[:2]:
                db.executescript(migration)
            db.execute("PRAGMA user_version = 2")
            db.executemany(f"{insert} (?, ?, ?, ?)", twins)
    else:
        admin = await database.server.admin(database.name)
        try:
            await admin.execute(f"SET ROLE {BOT}")  # the bot's tables, as if it had made them
            await admin.execute(
                "CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
                " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            for version, migration in enumerate(POSTGRES_MIGRATIONS[:2], 1):
                await admin.execute(migration)
                await admin.execute("INSERT INTO schema_version (version) VALUES ($1)", version)
            await admin.executemany(f"{insert} ($1, $2, $3, $4)", twins)
        finally:
            await admin.close()
    store = database.store(clock=lambda: NOW)
    assert await store.open()
    store.count_use("fact:a", None)
    await store.close()
    found = await database.rows("SELECT guild_id, count FROM uses")
    assert sorted(found, key=repr) == [(7, 1), (None, 6)]


async def test_a_weeks_digest_is_claimed_once_per_guild_until_released(
    database: Database,
) -> None:
    now = [NOW]
    store = database.store(retention_days=1, clock=lambda: now[0])
    await store.open()
    assert await store.claim_digest(1, "2026-11-30")
    assert not await store.claim_digest(1, "2026-11-30")
    assert await store.claim_digest(2, "2026-11-30")
    assert await store.release_digest(2, "2026-11-30")
    assert await store.claim_digest(2, "2026-11-30")
    await store.close()
    now[0] += 30 * DAY
    reopened = database.store(retention_days=1, clock=lambda: now[0])
    await reopened.open()
    assert not await reopened.claim_digest(1, "2026-11-30"), "retention never forgets it"
    assert await reopened.purge_guild(1) == 1
    assert await reopened.claim_digest(1, "2026-11-30")
    await reopened.close()
    assert not await reopened.claim_digest(1, "2026-12-07"), "closed: not sent, not claimed"


async def test_processes_claiming_one_digest_together_send_it_once(database: Database) -> None:
    stores = [database.store() for _ in range(4)]
    assert all(await asyncio.gather(*(store.open() for store in stores)))
    try:
        claims = await asyncio.gather(*(store.claim_digest(1, "2026-11-30") for store in stores))
    finally:
        await asyncio.gather(*(store.close() for store in stores))
    assert sorted(claims) == [False, False, False, True]


async def test_the_report_is_the_same_on_both_backends(database: Database, tmp_path: Path) -> None:
    await seed(database.target, database.password)
    store = database.store(retention_days=365)
    await store.open()
    knowledge = tmp_path / "demo.yaml"
    knowledge.write_text(KNOWLEDGE, encoding="utf-8")
    matcher = Matcher(load_knowledge([knowledge]))
    try:
        report = await read_report(
            store, matcher, now=time.time(), since_days=None, limit=20, guild_id=None
        )
        guild = await read_report(
            store, matcher, now=time.time(), since_days=5, limit=20, guild_id=2
        )
    finally:
        await store.close()
    totals = report.totals
    assert (totals.unanswered, totals.groups, totals.up_votes, totals.down_votes) == (10, 4, 4, 7)
    assert (totals.shares, totals.uses) == (1, 2)
    assert report.groups[0].count == 6 and report.groups[0].suggestion is not None
    assert [r.answer_key for r in report.worst_answers][:2] == ["fact:glm-swe", "fact:kimi-price"]
    assert [u.answer_key for u in report.most_used] == ["fact:kimi-price"]
    assert (guild.totals.unanswered, guild.totals.up_votes) == (1, 0)


# Faults -----------------------------------------------------------------------------------


async def test_a_locked_table_fails_a_write_within_a_bound_then_recovers(
    database: Database, monkeypatch
) -> None:
    monkeypatch.setattr(postgres_backend, "LOCK_MILLISECONDS", 300)
    monkeypatch.setattr(sqlite_backend, "BUSY_TIMEOUT_SECONDS", 0.3)
    store = database.store()
    assert await store.open()
    release = await _lock_votes(database)
    try:
        started = time.monotonic()
        assert await store.vote("fact:x", 1, 1, 1, 1, 1) is VoteOutcome.UNAVAILABLE
        assert time.monotonic() - started < 5
        assert not store.available and store.problem
    finally:
        await release()
    assert await store.vote("fact:x", 1, 1, 1, 1, 1) is VoteOutcome.RECORDED
    assert store.available
    await store.close()


async def _lock_votes(database: Database) -> Callable[[], Any]:
    """Another writer holding the votes table, as an operator's LOCK TABLE or a long write does;
    returns how to let go of it."""
    if database.server is None:
        writer = sqlite3.connect(database.target, isolation_level=None, check_same_thread=False)
        writer.execute("BEGIN IMMEDIATE")

        async def release_file() -> None:
            writer.execute("ROLLBACK")
            writer.close()

        return release_file
    admin = await database.server.admin(database.name)
    transaction = admin.transaction()
    await transaction.start()
    await admin.execute("LOCK TABLE votes IN ACCESS EXCLUSIVE MODE")

    async def release_table() -> None:
        await transaction.rollback()
        await admin.close()

    return release_table


async def test_a_full_pool_makes_a_write_unavailable_not_stuck(
    database: Database, postgres: PostgresServer, monkeypatch
) -> None:
    monkeypatch.setattr(postgres_backend, "POOL_SIZE", 1)
    monkeypatch.setattr(postgres_backend, "ACQUIRE_SECONDS", 0.3)
    store = database.store()
    assert await store.open()
    release = await _lock_votes(database)
    stuck = asyncio.create_task(store.vote("fact:x", 1, 1, 1, 1, 1))  # holds the one connection
    await asyncio.sleep(0.3)
    started = time.monotonic()
    assert not await store.log_unanswered("while full", 0.1, [], 1, 1)
    assert time.monotonic() - started < 2
    await release()
    assert await stuck is VoteOutcome.RECORDED, "the waiting write went through once let go"
    assert await store.log_unanswered("after", 0.1, [], 1, 1)
    await store.close()


async def test_no_acknowledged_write_is_lost_when_the_server_restarts_mid_burst(
    database: Database, postgres: PostgresServer
) -> None:
    store = database.store()
    assert await store.open()
    acknowledged: list[int] = []
    failed: list[int] = []

    async def write(n: int) -> None:
        kind = n % 2
        if kind:
            ok = await store.vote("fact:burst", n, user_id=n, value=1, guild_id=1, channel_id=1)
            done = ok is VoteOutcome.RECORDED
        else:
            done = await store.log_unanswered(f"question {n}?", 0.1, [], 1, 1)
        (acknowledged if done else failed).append(n)

    async def burst(round_: int) -> None:
        await asyncio.gather(*(write(round_ * 4 + k) for k in range(4)))
        await asyncio.sleep(0.005)

    restarting = asyncio.create_task(asyncio.to_thread(_restart, postgres))
    rounds = 0
    while not restarting.done():
        await burst(rounds)
        rounds += 1
    await restarting
    after = range(rounds * 4, (rounds + 20) * 4)
    for round_ in range(rounds, rounds + 20):
        await burst(round_)
    assert store.available
    await store.close()
    stored = {
        int(value)
        for (value,) in await database.rows(
            "SELECT message_id FROM votes UNION ALL"
            " SELECT CAST(substr(question, 10, length(question) - 10) AS BIGINT) FROM unanswered"
        )
    }
    assert failed, "the restart came mid-burst, and the writes meanwhile said so"
    assert set(acknowledged) <= stored, "every acknowledged write is in the database"
    assert set(after) <= set(acknowledged), "reconnected by itself after the restart"


def _restart(server: PostgresServer) -> None:
    """A host's restart of the server, part-way through the burst."""
    time.sleep(0.2)
    server.stop("fast")
    server.start()


async def test_a_server_down_at_start_leaves_feedback_unavailable_until_it_is_back(
    database: Database, postgres: PostgresServer, monkeypatch, caplog
) -> None:
    monkeypatch.setattr(postgres_backend, "RECONNECT_SECONDS", 0.2)
    postgres.stop("fast")
    try:
        store = database.store()
        started = time.monotonic()
        assert not await store.open()
        assert await store.vote("fact:x", 1, 1, 1, 1, 1) is VoteOutcome.UNAVAILABLE
        assert not await store.log_unanswered("down", 0.1, [], 1, 1)
        store.count_use("fact:x", 1)
        assert time.monotonic() - started < 5, "a down server costs answers no time"
        assert not store.available and store.problem
    finally:
        postgres.start()
    await asyncio.sleep(0.3)
    assert await store.vote("fact:x", 1, 1, 1, 1, 1) is VoteOutcome.RECORDED
    assert store.available
    await store.close()
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1, "one line for the outage, not one per write"


async def test_the_pseudonym_key_is_readable_by_the_bots_role_alone(
    store: FeedbackStore, database: Database, postgres: PostgresServer
) -> None:
    admin = await postgres.admin(database.name)
    try:
        await admin.execute("CREATE ROLE curator_reader LOGIN")
        await admin.execute("GRANT SELECT ON votes TO curator_reader")
        await admin.execute("SET ROLE curator_reader")
        assert await admin.fetch("SELECT * FROM votes") == []
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await admin.fetch("SELECT key FROM pseudonym_key")
        await admin.execute("RESET ROLE")
    finally:
        await admin.execute("DROP OWNED BY curator_reader")
        await admin.execute("DROP ROLE curator_reader")
        await admin.close()


async def test_a_wrong_password_is_one_line_and_no_crash(
    database: Database, postgres: PostgresServer
) -> None:
    store = FeedbackStore(database.target, 90, password="wrong")
    assert not await store.open()
    assert "password authentication failed" in store.problem
    assert "wrong" not in store.where
    assert await store.vote("fact:x", 1, 1, 1, 1, 1) is VoteOutcome.UNAVAILABLE
    await store.close()


async def test_a_schema_newer_than_this_footnote_is_refused(
    store: FeedbackStore, database: Database
) -> None:
    await store.close()
    if database.server is None:
        with sqlite3.connect(database.target) as db:
            db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    else:
        admin = await database.server.admin(database.name)
        await admin.execute("INSERT INTO schema_version (version) VALUES ($1)", len(MIGRATIONS) + 1)
        await admin.close()
    assert not await store.open()
    assert "newer than this Footnote knows" in store.problem
    await store.close()


async def test_a_question_holding_nul_is_kept_without_it_on_both_backends(
    store: FeedbackStore, database: Database
) -> None:
    """PostgreSQL's text refuses NUL, which SQLite keeps: a question holding one is kept alike."""
    assert await store.log_unanswered("kimi\x00 price?\x07", 0.1, [], 1, 2)
    assert store.available
    assert await database.rows("SELECT question FROM unanswered") == [("kimi price?\x07",)]
