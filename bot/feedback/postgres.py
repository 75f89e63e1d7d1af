"""The shared backend: a PostgreSQL server that every process on every machine writes, through a
small asyncpg pool that reconnects by itself after the server restarts."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import re
import secrets
import time
import urllib.parse
from collections.abc import Sequence
from typing import Any

import asyncpg

from bot.feedback.backend import FeedbackUnavailable, Job, Statement, Status
from bot.feedback.schema import POSTGRES_MIGRATIONS

POOL_SIZE = 4
"""Connections per process: each write is one or two short statements, so four keep up with a
busy process (see benchmarks/RESULTS.md), and two dozen processes stay under the server's
default limit of 100 connections."""
ACQUIRE_SECONDS = 2.0
"""The longest a write waits for a connection, a full pool's or a new one's; then it is
unavailable, so an answer never waits long on its feedback."""
CONNECT_SECONDS = 5.0
"""How long one connection attempt may take, a slow network's handshake included."""
STATEMENT_SECONDS = 5.0
"""The longest a statement may run before the client gives up on it: a hung server."""
LOCK_MILLISECONDS = 2_000
"""How long the server lets a statement wait for a lock, such as a table an operator locked;
then it fails, rather than holding a connection of a small pool."""
RECONNECT_SECONDS = 5.0
"""After the server could not be reached at all, writes fail at once for this long instead of
each trying again: a down server costs answers no time, and is retried soon enough."""
CLOSE_SECONDS = 10.0
"""How long closing waits for connections in use before cutting them."""
RETRIES = 1
"""A write whose connection was lost before its COMMIT was sent (a server restart) is tried once
more on a fresh connection; not after, as it may then have been committed already."""
MIGRATION_LOCK = 0x466F6F74
"""The advisory lock held while migrating ('Foot'), so processes starting together migrate once."""
KEY_BYTES = 32
SERVER_SETTINGS = {"lock_timeout": str(LOCK_MILLISECONDS), "application_name": "footnote"}
"""Every connection's settings, the pool's and those held for coordinating processes alike."""


class SchemaTooNew(Exception):
    """The database was migrated by a newer Footnote: this one must not write to it."""


FAILURES = (
    OSError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    SchemaTooNew,
)
"""What a database out of reach raises: refused or lost connections, timeouts (TimeoutError is an
OSError), server errors, a connection left mid-operation by a lost server, a schema from the
future."""
LOST = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.InterfaceError,
)
"""What a connection cut under a statement raises, a server restarting among them."""
PLACEHOLDER = re.compile(r"\?")


@functools.lru_cache(maxsize=256)
def postgres_sql(sql: str) -> str:
    """The shared dialect as PostgreSQL reads it: numbered placeholders. The shared statements have
    no `?` inside quotes, so each one is a placeholder."""
    numbers = itertools.count(1)
    return PLACEHOLDER.sub(lambda _: f"${next(numbers)}", sql)


def redacted(url: str) -> str:
    """A URL as logs may show it: without a password, should one have been given."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


class _Uncommitted(Exception):
    """The connection went before COMMIT was sent: nothing of the job was written."""


class PostgresBackend:
    """Writes run concurrently, each in its own transaction on a pooled connection."""

    def __init__(
        self, url: str, password: str | None, startup: Job, status: Status, adopt: bytes | None
    ) -> None:
        self.where = redacted(url)
        self.key = b""
        self._adopt = adopt
        self._url = url
        self._password = password
        self._startup = startup
        self._status = status
        self._pool: asyncpg.Pool | None = None
        self._connecting = asyncio.Lock()
        self._retry_at = 0.0
        self._problem = ""
        self._pending: set[asyncio.Task[None]] = set()
        self._closed = False

    async def open(self) -> None:
        """Connects, migrates, reads the key and prunes; unavailable if the server is down."""
        self._closed = False
        self._retry_at = 0.0
        await self._ready()

    async def close(self) -> None:
        """Finishes the counts still being written, then closes the pool."""
        self._closed = True
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
        pool, self._pool = self._pool, None
        if pool is not None:
            try:
                await asyncio.wait_for(pool.close(), CLOSE_SECONDS)
            except TimeoutError:
                pool.terminate()

    async def run(self, job: Job) -> list[int]:
        """Runs a job in one transaction; a lost connection is tried again once, then reported."""
        retries = RETRIES
        while True:
            try:
                counts = await self._attempt(job)
            except _Uncommitted as lost:
                if self._pool is not None:
                    await self._pool.expire_connections()  # the others went with the same server
                if retries > 0:
                    retries -= 1
                    continue
                raise self._failed(lost.__cause__ or lost) from lost
            except FAILURES as error:
                raise self._failed(error) from error
            self._status(None)
            return counts

    def send(self, job: Job) -> None:
        """Writes in a task of its own; close() waits for it."""
        if self._closed:
            return
        task = asyncio.get_running_loop().create_task(self._quietly(job))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def snapshot(self, queries: Sequence[Statement]) -> list[list[tuple[Any, ...]]]:
        """Reads in one repeatable-read, read-only transaction: writers never wait for it."""
        try:
            pool = await self._ready()
            async with (
                pool.acquire(timeout=ACQUIRE_SECONDS) as connection,
                connection.transaction(isolation="repeatable_read", readonly=True),
            ):
                return [
                    [tuple(row) for row in await connection.fetch(postgres_sql(sql), *values)]
                    for sql, values in queries
                ]
        except FAILURES as error:
            raise FeedbackUnavailable(str(error) or type(error).__name__) from error

    async def _quietly(self, job: Job) -> None:
        """A job no one waits for: its failure is already logged by the status it reported."""
        with contextlib.suppress(FeedbackUnavailable):
            await self.run(job)

    async def _attempt(self, job: Job) -> list[int]:
        """One try at a job; _Uncommitted if the connection went before COMMIT was sent."""
        pool = await self._ready()
        async with pool.acquire(timeout=ACQUIRE_SECONDS) as connection:
            transaction = connection.transaction()
            try:
                await transaction.start()
                counts = await execute(connection, job())
            except TimeoutError:  # a slow server, not a lost one: a second try would wait twice
                raise
            except LOST as error:
                raise _Uncommitted() from error
            except BaseException:
                with contextlib.suppress(*FAILURES):
                    await transaction.rollback()
                raise
            await transaction.commit()
            return counts

    async def _ready(self) -> asyncpg.Pool:
        """The pool, made and the database migrated on first use; after a failure, again only
        once RECONNECT_SECONDS have passed."""
        if self._pool is not None:
            return self._pool
        if self._closed:
            raise FeedbackUnavailable("the feedback store is closed")
        async with self._connecting:
            if self._pool is not None:
                return self._pool
            if time.monotonic() < self._retry_at:
                raise FeedbackUnavailable(self._problem)
            pool = asyncpg.create_pool(
                self._url,
                password=self._password,
                min_size=0,
                max_size=POOL_SIZE,
                timeout=CONNECT_SECONDS,
                command_timeout=STATEMENT_SECONDS,
                server_settings=SERVER_SETTINGS,
            )
            try:
                await pool
                async with pool.acquire(timeout=CONNECT_SECONDS) as connection:
                    await migrate_postgres(connection)
                    self.key = await _load_key(connection, self._adopt)
                    async with connection.transaction():
                        await execute(connection, self._startup())
            except FAILURES as error:
                pool.terminate()
                self._retry_at = time.monotonic() + RECONNECT_SECONDS
                self._problem = str(error) or type(error).__name__
                raise self._failed(error) from error
            self._pool = pool
            return pool

    def _failed(self, error: BaseException) -> FeedbackUnavailable:
        """Reports a failure and says it as the store's callers expect."""
        problem = str(error) or type(error).__name__
        self._status(error if isinstance(error, Exception) else Exception(problem))
        return FeedbackUnavailable(problem)


async def connect(url: str, password: str | None) -> asyncpg.Connection:
    """One connection outside the pool, with the pool's limits, for a process's coordination
    with the others (shard claims, identify turns), which must not take a write's place."""
    return await asyncpg.connect(
        url,
        password=password,
        timeout=CONNECT_SECONDS,
        command_timeout=STATEMENT_SECONDS,
        server_settings=SERVER_SETTINGS,
    )


async def execute(connection: asyncpg.Connection, statements: Sequence[Statement]) -> list[int]:
    """Runs statements in the shared dialect; each one's count of rows changed."""
    return [
        _changed(await connection.execute(postgres_sql(sql), *values)) for sql, values in statements
    ]


def _changed(status: str) -> int:
    """The rows a statement changed, from its status: `INSERT 0 1`, `UPDATE 3`, `DELETE 0`."""
    return int(status.rsplit(" ", 1)[-1])


async def migrate_postgres(connection: asyncpg.Connection) -> int:
    """Applies the migrations this database lacks, each in a transaction holding an advisory lock,
    so processes starting together apply each once; every version applied is a row."""
    while True:
        async with connection.transaction():
            await connection.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            await connection.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                " version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            version = await connection.fetchval(
                "SELECT COALESCE(MAX(version), 0) FROM schema_version"
            )
            if version > len(POSTGRES_MIGRATIONS):
                raise SchemaTooNew(
                    f"database schema version {version} is newer than this Footnote knows"
                )
            if version == len(POSTGRES_MIGRATIONS):
                return int(version)
            await connection.execute(POSTGRES_MIGRATIONS[version])
            await connection.execute(
                "INSERT INTO schema_version (version) VALUES ($1)", version + 1
            )


async def _load_key(connection: asyncpg.Connection, adopt: bytes | None) -> bytes:
    """The pseudonym key every process shares, made by whichever comes first; without one yet,
    `adopt` if given (a copied log's), else a new random one."""
    await connection.execute(
        "INSERT INTO pseudonym_key (key) VALUES ($1) ON CONFLICT DO NOTHING",
        adopt or secrets.token_bytes(KEY_BYTES),
    )
    key = await connection.fetchval("SELECT key FROM pseudonym_key")
    return bytes(key)
