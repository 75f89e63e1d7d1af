"""A SQLite feedback log written by one worker thread, so the event loop never waits on disk."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import os
import queue
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, InvalidStateError
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from bot.feedback.schema import DATED, TABLES, in_transaction, migrate

log = logging.getLogger(__name__)
T = TypeVar("T")
Job = Callable[[sqlite3.Connection], Any]
DAY = 86_400.0
BUSY_TIMEOUT_SECONDS = 2.0
WAL_RETRY_SECONDS = 0.02
"""How long to wait before asking again for WAL: another process's switch takes about this."""
KEY_BYTES = 32
PRIVATE = 0o600
"""Owner read and write only, for the files that hold questions or the pseudonym key."""


class VoteOutcome(StrEnum):
    """What happened to a 👍/👎."""

    RECORDED = "recorded"
    DUPLICATE = "duplicate"
    UNAVAILABLE = "unavailable"


class FeedbackUnavailable(Exception):
    """The database cannot be written; the bot goes on answering without it."""


class FeedbackStore:
    """Unanswered questions, votes, shares, daily use counts and digests sent; user ids only ever
    as keyed hashes."""

    def __init__(
        self, path: Path, retention_days: int, clock: Callable[[], float] = time.time
    ) -> None:
        self.path = path
        self.retention_days = retention_days
        self._clock = clock
        self._jobs: queue.Queue[tuple[Job, Future[Any]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._key = b""
        self._reported = False
        self.available = False
        self.problem = ""
        """Why the database could not be used last, for the host."""

    # Life cycle ---------------------------------------------------------------------------

    async def open(self) -> bool:
        """Starts the writer, migrates and prunes; False (and one log line) if it cannot."""
        self._thread = threading.Thread(target=self._work, name="feedback-writer", daemon=True)
        self._thread.start()
        try:
            await self._submit(lambda db: None)
        except FeedbackUnavailable:
            return False
        return True

    async def close(self) -> None:
        """Finishes every queued write, then closes the database."""
        if self._thread is None:
            return
        self._jobs.put(None)
        await asyncio.to_thread(self._thread.join, 10.0)
        self._thread = None
        self.available = False

    # Writes -------------------------------------------------------------------------------

    async def log_unanswered(
        self,
        question: str,
        confidence: float,
        candidates: Sequence[tuple[str, float]],
        guild_id: int | None,
        channel_id: int | None,
        answered_with: str | None = None,
    ) -> bool:
        """Keeps a question the bot could not answer, or answered unsurely, for curators."""
        payload = json.dumps([[fact_id, round(score, 4)] for fact_id, score in candidates])
        row = (
            self._clock(),
            guild_id,
            channel_id,
            question[:2_000],
            answered_with,
            confidence,
            payload,
        )
        return await self._write(
            lambda db: db.execute(
                "INSERT INTO unanswered (created_at, guild_id, channel_id, question,"
                " answered_with, confidence, candidates) VALUES (?, ?, ?, ?, ?, ?, ?)",
                row,
            )
        )

    async def vote(
        self,
        answer_key: str,
        message_id: int,
        user_id: int,
        value: int,
        guild_id: int | None,
        channel_id: int | None,
    ) -> VoteOutcome:
        """Records one vote per person per answer; a second one is reported, not stored."""
        created_at = self._clock()

        def insert(db: sqlite3.Connection) -> VoteOutcome:
            """Hashes the voter here, after the writer has loaded the secret key."""
            row = (
                created_at,
                guild_id,
                channel_id,
                message_id,
                answer_key,
                self.pseudonym(user_id),
                1 if value > 0 else -1,
            )
            cursor = db.execute(
                "INSERT OR IGNORE INTO votes (created_at, guild_id, channel_id, message_id,"
                " answer_key, voter, value) VALUES (?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            return VoteOutcome.RECORDED if cursor.rowcount else VoteOutcome.DUPLICATE

        try:
            return await self._submit(insert)
        except FeedbackUnavailable:
            return VoteOutcome.UNAVAILABLE

    async def log_share(
        self, answer_key: str, user_id: int, guild_id: int | None, channel_id: int | None
    ) -> bool:
        """Counts a share, so curators see which answers people found worth passing on."""
        created_at = self._clock()
        return await self._write(
            lambda db: db.execute(
                "INSERT INTO shares (created_at, guild_id, channel_id, answer_key, sharer)"
                " VALUES (?, ?, ?, ?, ?)",
                (created_at, guild_id, channel_id, answer_key, self.pseudonym(user_id)),
            )
        )

    def count_use(self, answer_key: str, guild_id: int | None) -> None:
        """Adds one to an answer's count for today, so curators see what is used; only a count
        per answer, day and guild: nothing about who asked or what they typed. Queued without
        waiting, so counting never delays an answer; closing the store still writes it."""
        day = self._clock() // DAY * DAY

        def add(db: sqlite3.Connection) -> None:
            """Updates today's row or starts it, inside the writer's one transaction."""
            updated = db.execute(
                "UPDATE uses SET count = count + 1"
                " WHERE answer_key = ? AND created_at = ? AND guild_id IS ?",
                (answer_key, day, guild_id),
            ).rowcount
            if not updated:
                db.execute(
                    "INSERT INTO uses (created_at, guild_id, answer_key, count)"
                    " VALUES (?, ?, ?, 1)",
                    (day, guild_id, answer_key),
                )

        self._send(add)

    async def claim_digest(self, guild_id: int, week: str) -> bool:
        """Records that a guild's digest for a week is being sent; False if it already was (or
        cannot be recorded), so restarts and other processes never send it twice."""
        created_at = self._clock()
        try:
            return await self._submit(
                lambda db: (
                    db.execute(
                        "INSERT OR IGNORE INTO digests (created_at, guild_id, week)"
                        " VALUES (?, ?, ?)",
                        (created_at, guild_id, week),
                    ).rowcount
                    == 1
                )
            )
        except FeedbackUnavailable:
            return False

    async def release_digest(self, guild_id: int, week: str) -> bool:
        """Forgets a claimed digest that could not be posted, so the next check tries again."""
        return await self._write(
            lambda db: db.execute(
                "DELETE FROM digests WHERE guild_id = ? AND week = ?", (guild_id, week)
            )
        )

    async def prune(self, older_than_days: float) -> int:
        """Deletes rows older than the given age; returns how many went."""
        cutoff = self._clock() - older_than_days * DAY
        return await self._submit(lambda db: delete_rows(db, "created_at < ?", (cutoff,)))

    async def purge_guild(self, guild_id: int) -> int:
        """Deletes everything recorded in one guild, as a server owner may ask."""
        return await self._submit(
            lambda db: delete_rows(db, "guild_id = ?", (guild_id,), tables=TABLES)
        )

    def pseudonym(self, user_id: int) -> str:
        """A keyed hash of a user id: equal for the same person, useless for looking them up."""
        return hmac.new(self._key, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]

    # Worker -------------------------------------------------------------------------------

    async def _write(self, job: Job) -> bool:
        """Runs a write; False instead of an error if the database cannot take it."""
        try:
            await self._submit(job)
        except FeedbackUnavailable:
            return False
        return True

    def _send(self, job: Job) -> None:
        """Queues a write no one waits for; the writer logs its failure like any other's."""
        if self._thread is not None:
            self._jobs.put((job, Future()))

    async def _submit(self, job: Callable[[sqlite3.Connection], T]) -> T:
        """Queues a job for the writer thread and waits for it to be committed."""
        if self._thread is None:
            raise FeedbackUnavailable("the feedback store is closed")
        future: Future[T] = Future()
        self._jobs.put((job, future))
        return await asyncio.wrap_future(future)

    def _work(self) -> None:
        """The writer thread: one connection, one transaction per job, in order."""
        connection: sqlite3.Connection | None = None
        while (item := self._jobs.get()) is not None:
            job, future = item
            try:
                if connection is None:
                    connection = self._connect()
                result = in_transaction(connection, job)
            except Exception as error:  # anything uncaught would kill the writer and hang waiters
                if connection is not None and isinstance(error, sqlite3.DatabaseError):
                    connection.close()
                    connection = None
                self._set_available(False, error)
                _settle(future, exception=FeedbackUnavailable(str(error)))
            else:
                self._set_available(True)
                _settle(future, result=result)
        if connection is not None:
            connection.close()

    def _set_available(self, available: bool, error: Exception | None = None) -> None:
        """Logs each change of state once, not once per failed write."""
        if available and not self.available:
            log.info("feedback log ready: %s", self.path)
        elif not available and (self.available or not self._reported):
            log.error("feedback log unavailable (%s): %s", self.path, error)
            self._reported = True
        self.available = available
        self.problem = "" if available else str(error)

    def _connect(self) -> sqlite3.Connection:
        """Opens, migrates and prunes the database; WAL lets `footnote report` read meanwhile."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # It holds questions as typed: readable by the bot's user alone, like its key. SQLite
        # gives the -wal and -shm files the database's own permissions.
        os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, PRIVATE))
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        try:
            _into_wal(connection)
            connection.execute("PRAGMA synchronous=FULL")
            migrate(connection)
            self._key = _load_key(self.path.with_name(self.path.name + ".key"))
            cutoff = self._clock() - self.retention_days * DAY
            in_transaction(connection, lambda db: delete_rows(db, "created_at < ?", (cutoff,)))
        except BaseException:
            connection.close()
            raise
        return connection


def _into_wal(connection: sqlite3.Connection) -> None:
    """Switches a database to WAL, waiting out other processes doing the same: SQLite answers
    that switch 'locked' at once instead of calling its busy handler, so processes starting
    together would otherwise fail on a new database."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(WAL_RETRY_SECONDS)


def _settle(future: Future[Any], result: Any = None, exception: Exception | None = None) -> None:
    """Hands a job's outcome to its waiter. A waiter cancelled meanwhile (a task stopped at
    shutdown) has cancelled the future too; the job ran all the same, and the writer goes on."""
    with contextlib.suppress(InvalidStateError):
        if exception is not None:
            future.set_exception(exception)
        else:
            future.set_result(result)


def delete_rows(
    connection: sqlite3.Connection,
    where: str,
    parameters: tuple[Any, ...],
    tables: tuple[str, ...] = DATED,
) -> int:
    """Deletes matching rows from the tables (by default those retention ages out); the one place
    retention and purges go through."""
    return sum(
        connection.execute(f"DELETE FROM {table} WHERE {where}", parameters).rowcount
        for table in tables
    )


def _load_key(path: Path) -> bytes:
    """The secret for pseudonyms, kept beside the database but never inside it.

    A new key appears whole or not at all (written aside, then linked into place), so a second
    process starting at the same moment reads the first one's key, never an empty file.
    """
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    fresh = path.with_name(f"{path.name}.{secrets.token_hex(8)}.new")
    descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES).hex())
        with contextlib.suppress(FileExistsError):  # another process's key came first: use it
            os.link(fresh, path)
    finally:
        fresh.unlink(missing_ok=True)
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    """The key in a key file; an empty or damaged one is refused, never used to hash."""
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (ValueError, UnicodeDecodeError) as error:
        raise OSError(f"the key file {path.name} is damaged") from error
    if len(key) != KEY_BYTES:
        raise OSError(f"the key file {path.name} is damaged: {len(key)} bytes, not {KEY_BYTES}")
    return key
