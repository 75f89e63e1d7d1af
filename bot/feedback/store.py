"""The feedback log the bot writes, the same on either backend: an embedded SQLite file (the
default, which needs no set-up) or a PostgreSQL server that several processes share."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.feedback.backend import Backend, FeedbackUnavailable, Job, Statement
from bot.feedback.postgres import PostgresBackend
from bot.feedback.schema import TABLES, deletions
from bot.feedback.sqlite import SqliteBackend

log = logging.getLogger(__name__)
DAY = 86_400.0


class VoteOutcome(StrEnum):
    """What happened to a 👍/👎."""

    RECORDED = "recorded"
    DUPLICATE = "duplicate"
    UNAVAILABLE = "unavailable"


MAX_QUESTION_CHARS = 2_000
"""A question longer than any Discord message is kept cut to this."""


def storable(text: str) -> str:
    """Text as both backends keep it alike: PostgreSQL's text cannot hold a NUL character,
    which says nothing in a question anyway."""
    return text.replace("\x00", "") if "\x00" in text else text


INSERT_UNANSWERED = (
    "INSERT INTO unanswered (created_at, guild_id, channel_id, question, answered_with,"
    " confidence, candidates) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
INSERT_VOTE = (
    "INSERT INTO votes (created_at, guild_id, channel_id, message_id, answer_key, voter, value)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
)
INSERT_SHARE = (
    "INSERT INTO shares (created_at, guild_id, channel_id, answer_key, sharer)"
    " VALUES (?, ?, ?, ?, ?)"
)
ADD_USES = (
    "INSERT INTO uses (created_at, guild_id, answer_key, count) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (answer_key, created_at, COALESCE(guild_id, 0))"
    " DO UPDATE SET count = uses.count + excluded.count"
)
"""A day's row for an answer and guild, started or added to in one statement (schema migration 3
makes the row unique), so processes counting at once neither double nor lose a use, and a copied
log's counts add to those already there."""
CLAIM_DIGEST = (
    "INSERT INTO digests (created_at, guild_id, week) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
)
RELEASE_DIGEST = "DELETE FROM digests WHERE guild_id = ? AND week = ?"


class FeedbackStore:
    """Unanswered questions, votes, shares, daily use counts and digests sent; user ids only ever
    as keyed hashes. A Path is a SQLite file; a `postgresql://` URL is a shared server."""

    def __init__(
        self,
        target: Path | str,
        retention_days: int,
        clock: Callable[[], float] = time.time,
        password: str | None = None,
        adopt_key: bytes | None = None,
    ) -> None:
        """`adopt_key` is the pseudonym key a database without one takes, so votes copied from
        another log still match their voters; None makes a new random key, as the bot does."""
        self.retention_days = retention_days
        self._clock = clock
        self._backend: Backend
        self.path = target if isinstance(target, Path) else None
        """The SQLite file, or None for PostgreSQL."""
        if isinstance(target, Path):
            self._backend = SqliteBackend(target, self._retention, self._set_available, adopt_key)
        else:
            self._backend = PostgresBackend(
                target, password, self._retention, self._set_available, adopt_key
            )
        self.where = self._backend.where
        """The database as logs name it: a file, or a URL without its password."""
        self._reported = False
        self.available = False
        self.problem = ""
        """Why the database could not be used last, for the host."""

    # Life cycle ---------------------------------------------------------------------------

    async def open(self) -> bool:
        """Reaches, migrates and prunes the database; False (and one log line) if it cannot."""
        try:
            await self._backend.open()
        except FeedbackUnavailable:
            return False
        return True

    async def close(self) -> None:
        """Finishes every queued write, then lets go of the database."""
        await self._backend.close()
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
            storable(question)[:MAX_QUESTION_CHARS],
            answered_with,
            confidence,
            payload,
        )
        return await self._write(lambda: [(INSERT_UNANSWERED, row)])

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

        def insert() -> list[Statement]:
            """Hashes the voter here, once the backend has the secret key."""
            voter = self.pseudonym(user_id)
            sign = 1 if value > 0 else -1
            row = (created_at, guild_id, channel_id, message_id, answer_key, voter, sign)
            return [(INSERT_VOTE, row)]

        try:
            inserted = await self._backend.run(insert)
        except FeedbackUnavailable:
            return VoteOutcome.UNAVAILABLE
        return VoteOutcome.RECORDED if inserted[0] else VoteOutcome.DUPLICATE

    async def log_share(
        self, answer_key: str, user_id: int, guild_id: int | None, channel_id: int | None
    ) -> bool:
        """Counts a share, so curators see which answers people found worth passing on."""
        created_at = self._clock()
        return await self._write(
            lambda: [
                (
                    INSERT_SHARE,
                    (created_at, guild_id, channel_id, answer_key, self.pseudonym(user_id)),
                )
            ]
        )

    def count_use(self, answer_key: str, guild_id: int | None) -> None:
        """Adds one to an answer's count for today, so curators see what is used; only a count
        per answer, day and guild: nothing about who asked or what they typed. Queued without
        waiting, so counting never delays an answer; closing the store still writes it."""
        day = self._clock() // DAY * DAY
        self._backend.send(lambda: [(ADD_USES, (day, guild_id, answer_key, 1))])

    async def claim_digest(self, guild_id: int, week: str) -> bool:
        """Records that a guild's digest for a week is being sent; False if it already was (or
        cannot be recorded), so restarts and other processes never send it twice."""
        created_at = self._clock()
        try:
            claimed = await self._backend.run(
                lambda: [(CLAIM_DIGEST, (created_at, guild_id, week))]
            )
        except FeedbackUnavailable:
            return False
        return claimed[0] == 1

    async def release_digest(self, guild_id: int, week: str) -> bool:
        """Forgets a claimed digest that could not be posted, so the next check tries again."""
        return await self._write(lambda: [(RELEASE_DIGEST, (guild_id, week))])

    async def prune(self, older_than_days: float) -> int:
        """Deletes rows older than the given age; returns how many went."""
        cutoff = self._clock() - older_than_days * DAY
        return sum(await self._backend.run(lambda: deletions("created_at < ?", (cutoff,))))

    async def purge_guild(self, guild_id: int) -> int:
        """Deletes everything recorded in one guild, as a server owner may ask."""
        return sum(await self._backend.run(lambda: deletions("guild_id = ?", (guild_id,), TABLES)))

    # Reads --------------------------------------------------------------------------------

    async def snapshot(self, queries: Sequence[Statement]) -> list[list[tuple[Any, ...]]]:
        """Each query's rows from one consistent state, for reports; never delays a write."""
        return await self._backend.snapshot(queries)

    def pseudonym(self, user_id: int) -> str:
        """A keyed hash of a user id: equal for the same person, useless for looking them up."""
        return hmac.new(self._backend.key, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]

    def has_key(self, key: bytes) -> bool:
        """Whether this database hashes with the given key, so pseudonyms made with it match
        its own; the key itself is never shown."""
        return hmac.compare_digest(self._backend.key, key)

    def retention_cutoff(self) -> float:
        """The time before which rows are deleted, as retention does each time it runs."""
        return self._clock() - self.retention_days * DAY

    # Tools --------------------------------------------------------------------------------

    async def transaction(self, job: Job) -> list[int]:
        """Runs a tool's statements in one transaction, all or none (bot/feedback/transfer.py
        copies a log in so); each one's count of rows changed, or FeedbackUnavailable."""
        return await self._backend.run(job)

    # Internals ----------------------------------------------------------------------------

    def _retention(self) -> list[Statement]:
        """What retention deletes each time the database is reached."""
        return deletions("created_at < ?", (self.retention_cutoff(),))

    async def _write(self, job: Job) -> bool:
        """Runs a write; False instead of an error if the database cannot take it."""
        try:
            await self._backend.run(job)
        except FeedbackUnavailable:
            return False
        return True

    def _set_available(self, error: Exception | None) -> None:
        """Logs each change of state once, not once per failed write."""
        available = error is None
        if available and not self.available:
            log.info("feedback log ready: %s", self.where)
        elif not available and (self.available or not self._reported):
            log.error("feedback log unavailable (%s): %s", self.where, error)
            self._reported = True
        self.available = available
        self.problem = "" if available else str(error)
