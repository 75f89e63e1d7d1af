"""The feedback database's schema, as numbered migrations applied in order at start."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE unanswered (
        id INTEGER PRIMARY KEY,
        created_at REAL NOT NULL,
        guild_id INTEGER,
        channel_id INTEGER,
        question TEXT NOT NULL,
        answered_with TEXT,
        confidence REAL NOT NULL,
        candidates TEXT NOT NULL
    );
    CREATE INDEX unanswered_created ON unanswered (created_at);
    CREATE INDEX unanswered_guild ON unanswered (guild_id);
    CREATE TABLE votes (
        id INTEGER PRIMARY KEY,
        created_at REAL NOT NULL,
        guild_id INTEGER,
        channel_id INTEGER,
        message_id INTEGER NOT NULL,
        answer_key TEXT NOT NULL,
        voter TEXT NOT NULL,
        value INTEGER NOT NULL CHECK (value IN (-1, 1)),
        UNIQUE (message_id, answer_key, voter)
    );
    CREATE INDEX votes_created ON votes (created_at);
    CREATE INDEX votes_answer ON votes (answer_key);
    CREATE TABLE shares (
        id INTEGER PRIMARY KEY,
        created_at REAL NOT NULL,
        guild_id INTEGER,
        channel_id INTEGER,
        answer_key TEXT NOT NULL,
        sharer TEXT NOT NULL
    );
    CREATE INDEX shares_created ON shares (created_at);
    """,
    """
    CREATE TABLE uses (
        id INTEGER PRIMARY KEY,
        created_at REAL NOT NULL,
        guild_id INTEGER,
        answer_key TEXT NOT NULL,
        count INTEGER NOT NULL CHECK (count > 0)
    );
    CREATE INDEX uses_created ON uses (created_at);
    CREATE INDEX uses_day ON uses (answer_key, created_at);
    CREATE TABLE digests (
        id INTEGER PRIMARY KEY,
        created_at REAL NOT NULL,
        guild_id INTEGER NOT NULL,
        week TEXT NOT NULL,
        UNIQUE (guild_id, week)
    );
    """,
)
"""Migration N brings the schema from version N to N + 1; never edit one that has shipped."""

DATED = ("unanswered", "votes", "shares", "uses")
"""The tables of what people asked and did: kept for `storage.retention_days`, no longer."""
TABLES = (*DATED, "digests")
"""Every table, each with a `guild_id`, for purging a guild. `digests` is not aged out: it
records only which weeks' digests went to which guild, and forgetting that would send one twice."""


def migrate(connection: sqlite3.Connection) -> int:
    """Applies the migrations this database lacks, each in its own transaction, reading the
    version inside it, so two processes starting together never both apply one."""
    while in_transaction(connection, _apply_next):
        pass
    return len(MIGRATIONS)


def _apply_next(connection: sqlite3.Connection) -> bool:
    """Applies the first migration the database lacks; False when it lacks none."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise sqlite3.DatabaseError(
            f"database schema version {version} is newer than this Footnote knows"
        )
    if version == len(MIGRATIONS):
        return False
    for statement in _statements(MIGRATIONS[version]):
        connection.execute(statement)
    connection.execute(f"PRAGMA user_version = {version + 1}")
    return True


def _statements(script: str) -> list[str]:
    """A migration's statements one by one: executescript would commit the open transaction."""
    statements, pending = [], ""
    for part in script.split(";"):
        pending += part + ";"
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    return [statement for statement in statements if statement != ";"]


def in_transaction(connection: sqlite3.Connection, job: Callable[[sqlite3.Connection], T]) -> T:
    """Runs a job in one transaction: all of it is committed, or none of it."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        result = job(connection)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return result
