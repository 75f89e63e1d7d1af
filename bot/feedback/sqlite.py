"""The embedded backend: a SQLite file written by one worker thread, so the event loop never waits
on disk, and read by connections of their own."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import queue
import secrets
import sqlite3
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, InvalidStateError
from pathlib import Path
from typing import Any

from bot.feedback.backend import FeedbackUnavailable, Job, Statement, Status
from bot.feedback.schema import MIGRATIONS, in_transaction, migrate

BUSY_TIMEOUT_SECONDS = 2.0
WAL_RETRY_SECONDS = 0.02
"""How long to wait before asking again for WAL: another process's switch takes about this."""
READ_TIMEOUT_SECONDS = 5.0
"""How long the bot's own report waits for a write in progress before saying it cannot read."""
KEY_BYTES = 32
PRIVATE = 0o600
"""Owner read and write only, for the files that hold questions or the pseudonym key."""


def sqlite_sql(sql: str) -> str:
    """The shared dialect as SQLite reads it: the one place the two dialects differ."""
    return sql.replace(" IS NOT DISTINCT FROM ", " IS ")


class SqliteBackend:
    """One writer thread owning one connection, one transaction per job, in order."""

    def __init__(self, path: Path, startup: Job, status: Status, adopt: bytes | None) -> None:
        self.path = path
        self.where = str(path)
        self.key = b""
        self._adopt = adopt
        self._startup = startup
        self._status = status
        self._jobs: queue.Queue[tuple[Job, Future[list[int]]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    async def open(self) -> None:
        """Starts the writer; its first job opens, migrates and prunes the database."""
        self._thread = threading.Thread(target=self._work, name="feedback-writer", daemon=True)
        self._thread.start()
        await self.run(lambda: ())

    async def close(self) -> None:
        """Finishes every queued write, then closes the database."""
        if self._thread is None:
            return
        self._jobs.put(None)
        await asyncio.to_thread(self._thread.join, 10.0)
        self._thread = None

    async def run(self, job: Job) -> list[int]:
        """Queues a job for the writer thread and waits for it to be committed."""
        if self._thread is None:
            raise FeedbackUnavailable("the feedback store is closed")
        future: Future[list[int]] = Future()
        self._jobs.put((job, future))
        return await asyncio.wrap_future(future)

    def send(self, job: Job) -> None:
        """Queues a write no one waits for; the writer logs its failure like any other's."""
        if self._thread is not None:
            self._jobs.put((job, Future()))

    async def snapshot(self, queries: Sequence[Statement]) -> list[list[tuple[Any, ...]]]:
        """Reads on a connection of its own, off the event loop: the writer never waits on it."""

        def read() -> list[list[tuple[Any, ...]]]:
            connection = open_database(self.path, writable=False, timeout=READ_TIMEOUT_SECONDS)
            try:
                return read_snapshot(connection, queries)
            finally:
                connection.close()

        try:
            return await asyncio.to_thread(read)
        except sqlite3.Error as error:
            raise FeedbackUnavailable(str(error)) from error

    def _work(self) -> None:
        """The writer thread: one connection, one transaction per job, in order."""
        connection: sqlite3.Connection | None = None
        while (item := self._jobs.get()) is not None:
            job, future = item
            try:
                if connection is None:
                    connection = self._connect()
                result = in_transaction(connection, functools.partial(execute, statements=job()))
            except Exception as error:  # anything uncaught would kill the writer and hang waiters
                if connection is not None and isinstance(error, sqlite3.DatabaseError):
                    connection.close()
                    connection = None
                self._status(error)
                _settle(future, exception=FeedbackUnavailable(str(error)))
            else:
                self._status(None)
                _settle(future, result=result)
        if connection is not None:
            connection.close()

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
            self.key = _load_key(key_path(self.path), self._adopt)
            in_transaction(connection, functools.partial(execute, statements=self._startup()))
        except BaseException:
            connection.close()
            raise
        return connection


def execute(connection: sqlite3.Connection, statements: Sequence[Statement]) -> list[int]:
    """Runs statements in the shared dialect; each one's count of rows changed."""
    return [connection.execute(sqlite_sql(sql), values).rowcount for sql, values in statements]


def read_snapshot(
    connection: sqlite3.Connection, queries: Sequence[Statement]
) -> list[list[tuple[Any, ...]]]:
    """Each query's rows, from one read transaction so they agree with each other."""
    connection.execute("BEGIN")
    try:
        return [connection.execute(sqlite_sql(sql), values).fetchall() for sql, values in queries]
    finally:
        if connection.in_transaction:
            connection.execute("ROLLBACK")


def open_database(path: Path, *, writable: bool, timeout: float) -> sqlite3.Connection:
    """An existing feedback database, never a new one; read-only unless asked, never in the way.
    Read-only, a file an older Footnote wrote is read from a migrated copy, since migrating the
    file itself would write to it (the bot migrates it when it next starts)."""
    connection = _open_existing(path, writable=writable, timeout=timeout)
    try:
        older = connection.execute("PRAGMA user_version").fetchone()[0] < len(MIGRATIONS)
        if writable or not older:
            migrate(connection)
            return connection
    except BaseException:
        connection.close()
        raise
    connection.close()
    return migrated_copy(path, timeout=timeout)


def migrated_copy(path: Path, *, timeout: float) -> sqlite3.Connection:
    """An existing feedback database copied into memory, then migrated there: the file is only
    read, so a log of any older schema version can be read without changing it."""
    source = _open_existing(path, writable=False, timeout=timeout)
    copy = sqlite3.connect(":memory:", isolation_level=None)
    try:
        source.backup(copy)
        migrate(copy)
    except BaseException:
        copy.close()
        raise
    finally:
        source.close()
    return copy


def _open_existing(path: Path, *, writable: bool, timeout: float) -> sqlite3.Connection:
    """A connection to a file Footnote made, as it is: a new or foreign file is refused."""
    mode = "rw" if writable else "ro"
    connection = sqlite3.connect(
        f"{path.absolute().as_uri()}?mode={mode}",
        uri=True,
        timeout=timeout,
        isolation_level=None,
    )
    try:
        if connection.execute("PRAGMA user_version").fetchone()[0] == 0:
            raise sqlite3.DatabaseError("not a Footnote feedback database")
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


def key_path(database: Path) -> Path:
    """Where a database's pseudonym key is kept: beside it, never inside it."""
    return database.with_name(database.name + ".key")


def _load_key(path: Path, adopt: bytes | None) -> bytes:
    """The secret for pseudonyms, kept beside the database but never inside it; without one yet,
    `adopt` if given (a copied log's), else a new random one.

    A new key appears whole or not at all (written aside, then linked into place), so a second
    process starting at the same moment reads the first one's key, never an empty file.
    """
    try:
        return read_key(path)
    except FileNotFoundError:
        pass
    fresh = path.with_name(f"{path.name}.{secrets.token_hex(8)}.new")
    descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write((adopt or secrets.token_bytes(KEY_BYTES)).hex())
        with contextlib.suppress(FileExistsError):  # another process's key came first: use it
            os.link(fresh, path)
    finally:
        fresh.unlink(missing_ok=True)
    return read_key(path)


def read_key(path: Path) -> bytes:
    """The key in a key file; an empty or damaged one is refused, never used to hash."""
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (ValueError, UnicodeDecodeError) as error:
        raise OSError(f"the key file {path.name} is damaged") from error
    if len(key) != KEY_BYTES:
        raise OSError(f"the key file {path.name} is damaged: {len(key)} bytes, not {KEY_BYTES}")
    return key
