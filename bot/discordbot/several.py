"""Several processes sharing one bot through the PostgreSQL store: each claims its shards, so two
never run the same one, and they take turns to identify, so Discord refuses none of them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import asyncpg

from bot.config import Config
from bot.feedback.postgres import FAILURES, connect
from bot.tasks import stop_task

log = logging.getLogger(__name__)
T = TypeVar("T")

LOCK_SPACE = 0x466F6F74
"""The first key ('Foot') of Footnote's two-key advisory locks, the second being the identify
bucket; PostgreSQL keeps two-key locks apart from one-key ones such as the migration lock."""
IDENTIFY_INTERVAL_SECONDS = 5.0
"""Discord starts one session per five seconds in each of its `max_concurrency` buckets."""
TURN_WAIT_SECONDS = 120.0
"""The longest a shard waits for its bucket's turn: two dozen shards of one bucket identifying
one by one; past it, the shard staggers on its own guess rather than never starting."""
TURN_POLL_SECONDS = 0.5
"""How often a waiting shard asks for its turn again: a tenth of the interval, so little of a
turn is lost, in one short statement."""
HEARTBEAT_SECONDS = 10.0
"""How often a running process renews its claim: one short statement per ten seconds."""
LEASE_SECONDS = 3 * HEARTBEAT_SECONDS
"""How long a claim outlives its last renewal: three missed heartbeats (a slow server, a
restart of it) before another process may take the shards of one that crashed."""


class ShardsClaimed(Exception):
    """Another live process runs some of this process's shards: a deployment mistake."""


class CoordinationUnavailable(Exception):
    """The shared store cannot be reached to coordinate with the other processes."""


class SharedConnection:
    """This process's one connection for coordinating, apart from the feedback pool; made again
    after a failure, used by one statement at a time."""

    def __init__(self, url: str, password: str | None) -> None:
        self._url = url
        self._password = password
        self._connection: asyncpg.Connection | None = None
        self._using = asyncio.Lock()

    async def run(self, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        """Runs work on the connection; CoordinationUnavailable if the server cannot do it."""
        async with self._using:
            try:
                if self._connection is None or self._connection.is_closed():
                    self._connection = await connect(self._url, self._password)
                return await work(self._connection)
            except FAILURES as error:
                await self._drop()
                raise CoordinationUnavailable(str(error) or type(error).__name__) from error
            except asyncio.CancelledError:
                # Cut short (a heartbeat or a turn's wait stopped): the connection may be left
                # inside a claim's transaction holding the table, or hold a turn whose answer
                # was lost. Closing it gives back whatever it holds.
                await self._drop()
                raise

    async def close(self) -> None:
        """Lets go of the connection, and with it any lock it still holds."""
        async with self._using:
            await self._drop()

    async def _drop(self) -> None:
        """Closes the connection, whatever state the failure left it in."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.terminate()


def shards_of(config: Config) -> tuple[tuple[int, ...], int]:
    """The shards this process runs and their count: its shard_ids, else all of shard_count;
    an unsharded bot is shard 0 of 1, so two of them on one store are refused as well."""
    count = config.discord.shard_count or 1
    return config.discord.shard_ids or tuple(range(count)), count


def _running_here(pid: int) -> bool:
    """Whether a process of this machine runs under this pid."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: it runs
        return True
    return True


class ShardClaims:
    """The shards this process claims in `shard_claims`, with a lease its heartbeat renews and a
    clean shutdown gives up; a crashed process's claim lapses after LEASE_SECONDS."""

    def __init__(
        self,
        connection: SharedConnection,
        shard_ids: Sequence[int],
        shard_count: int,
        host: str | None = None,
        pid: int | None = None,
    ) -> None:
        self.shard_ids = tuple(shard_ids)
        self.shard_count = shard_count
        self.host = host if host is not None else socket.gethostname()
        self.pid = pid if pid is not None else os.getpid()
        self._connection = connection
        self._heartbeat: asyncio.Task[None] | None = None
        self.claimed = False
        """Whether the shards were claimed at least once: what there is to give up."""

    async def claim(self) -> None:
        """Claims the shards, or ShardsClaimed naming the live process that runs some of them;
        the same host and pid (a container restarted), or a pid gone from this host, is free."""
        conflict = await self._connection.run(self._claim)
        if conflict:
            raise ShardsClaimed(conflict)
        self.claimed = True

    def start_heartbeat(self) -> None:
        """Renews the claim every HEARTBEAT_SECONDS until released; one not made yet (the
        store was down at start) is made as soon as the store answers."""
        self._heartbeat = asyncio.get_running_loop().create_task(self._beat())

    async def release(self) -> None:
        """Stops renewing and gives the shards up at once, so a replacement starts without
        waiting for the lease; a database out of reach lets the lease lapse instead."""
        await stop_task(self._heartbeat)
        if not self.claimed:
            return
        try:
            await self._connection.run(self._delete)
        except CoordinationUnavailable as error:
            log.warning(
                "shard claims not released (%s): they lapse in %.0f s", error, LEASE_SECONDS
            )

    async def _beat(self) -> None:
        """Renews the claim, or makes it once the store is back; says once when that fails,
        and how, and once when it works again."""
        failing = "" if self.claimed else "unavailable"  # said at start already
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            try:
                conflict = await self._connection.run(self._claim)
            except CoordinationUnavailable as error:
                how = "unavailable"
                problem = f"shard claims not renewed ({error}): they lapse in {LEASE_SECONDS:.0f} s"
            else:
                how = "clash" if conflict else ""
                lost = "shard claims lost while unrenewed" if self.claimed else "shards not claimed"
                problem = f"{lost}: {conflict}"
            if how and how != failing:
                log.error("%s", problem)
            elif not how and failing:
                log.info("shard claims %s", "renewed again" if self.claimed else "made at last")
            self.claimed = self.claimed or not how
            failing = how

    async def _claim(self, connection: asyncpg.Connection) -> str:
        """In one transaction that locks the table against other claimers: the live claims that
        conflict, as one line, or none, and the shards are then this process's."""
        async with connection.transaction():
            await connection.execute("LOCK TABLE shard_claims IN SHARE ROW EXCLUSIVE MODE")
            others = await connection.fetch(
                "SELECT shard_id, shard_count, host, pid FROM shard_claims"
                " WHERE expires_at > now() AND NOT (host = $1 AND pid = $2)"
                " ORDER BY shard_id",
                self.host,
                self.pid,
            )
            gone = [row["pid"] for row in others if row["host"] == self.host]
            gone = [pid for pid in gone if not _running_here(pid)]
            live = [row for row in others if row["host"] != self.host or row["pid"] not in gone]
            conflict = self._conflict(live)
            if conflict:
                return conflict
            await connection.execute(
                "DELETE FROM shard_claims WHERE expires_at <= now()"
                " OR (host = $1 AND pid = ANY($2::int[]))"
                " OR (host = $1 AND pid = $3 AND NOT shard_id = ANY($4::int[]))",
                self.host,
                gone,
                self.pid,
                list(self.shard_ids),
            )
            # What is left of these shards' rows is this process's own: renewed, not replaced.
            await connection.executemany(
                "INSERT INTO shard_claims (shard_id, shard_count, host, pid, expires_at)"
                " VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))"
                " ON CONFLICT (shard_id) DO UPDATE SET expires_at = EXCLUDED.expires_at",
                [
                    (shard, self.shard_count, self.host, self.pid, LEASE_SECONDS)
                    for shard in self.shard_ids
                ],
            )
            return ""

    def _conflict(self, live: Sequence[asyncpg.Record]) -> str:
        """The live claims this process's shards clash with, said as one line; "" if none."""
        for row in live:
            if row["shard_count"] != self.shard_count:
                return (
                    f"discord.shard_count is {self.shard_count}, but {row['host']} (pid "
                    f"{row['pid']}) runs shards of {row['shard_count']}: every process of a bot "
                    "must split the same shard_count"
                )
        taken = [row for row in live if row["shard_id"] in self.shard_ids]
        if not taken:
            return ""
        holder = taken[0]
        ids = ", ".join(str(row["shard_id"]) for row in taken if row["pid"] == holder["pid"])
        return (
            f"shards {ids} of {self.shard_count} already run in {holder['host']} (pid "
            f"{holder['pid']}), which claimed them in the shared store: give each process its "
            "own discord.shard_ids"
        )

    async def _delete(self, connection: asyncpg.Connection) -> None:
        """Forgets this process's claims."""
        await connection.execute(
            "DELETE FROM shard_claims WHERE host = $1 AND pid = $2", self.host, self.pid
        )


class IdentifyTurns:
    """Each bucket's turn to identify, held as an advisory lock from before an identify until
    IDENTIFY_INTERVAL_SECONDS after it, so across every process a bucket starts one session per
    interval; a lock per bucket here too, as one connection's advisory locks nest."""

    def __init__(self, connection: SharedConnection) -> None:
        self._connection = connection
        self._here: dict[int, asyncio.Lock] = {}
        self._releases: set[asyncio.Task[None]] = set()
        self._reported = False

    async def take(self, shard_id: int, max_concurrency: int) -> bool:
        """Waits for the shard's bucket's turn and holds it past the identify that follows;
        False (said once) if the store cannot coordinate, so the caller staggers alone."""
        bucket = shard_id % max(max_concurrency, 1)
        here = self._here.setdefault(bucket, asyncio.Lock())
        deadline = time.monotonic() + TURN_WAIT_SECONDS
        try:
            await asyncio.wait_for(here.acquire(), TURN_WAIT_SECONDS)
        except TimeoutError:
            return self._alone(f"shard {shard_id} waited {TURN_WAIT_SECONDS:.0f} s for its turn")
        try:
            while not await self._connection.run(lambda c: _try_lock(c, bucket)):
                if time.monotonic() >= deadline:
                    here.release()
                    return self._alone(
                        f"shard {shard_id} waited {TURN_WAIT_SECONDS:.0f} s for its turn"
                    )
                await asyncio.sleep(TURN_POLL_SECONDS)
        except CoordinationUnavailable as error:
            here.release()
            return self._alone(f"the shared store is unavailable ({error})")
        release = asyncio.get_running_loop().create_task(self._release_later(bucket, here))
        self._releases.add(release)
        release.add_done_callback(self._releases.discard)
        return True

    async def close(self) -> None:
        """Stops waiting to give turns back: closing the connection gives them back."""
        for release in list(self._releases):
            release.cancel()

    def _alone(self, why: str) -> bool:
        """Says once that identifies go uncoordinated, and why."""
        if not self._reported:
            log.warning("identifies not coordinated with other processes: %s", why)
            self._reported = True
        return False

    async def _release_later(self, bucket: int, here: asyncio.Lock) -> None:
        """Gives the bucket's turn back an interval after the identify."""
        try:
            await asyncio.sleep(IDENTIFY_INTERVAL_SECONDS)
            with contextlib.suppress(CoordinationUnavailable):  # a lost connection released it
                await self._connection.run(lambda c: _unlock(c, bucket))
        finally:
            here.release()


async def _try_lock(connection: asyncpg.Connection, bucket: int) -> bool:
    """Takes the bucket's turn if no process holds it."""
    return bool(
        await connection.fetchval("SELECT pg_try_advisory_lock($1, $2)", LOCK_SPACE, bucket)
    )


async def _unlock(connection: asyncpg.Connection, bucket: int) -> None:
    """Gives the bucket's turn back."""
    await connection.execute("SELECT pg_advisory_unlock($1, $2)", LOCK_SPACE, bucket)
