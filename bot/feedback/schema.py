"""The feedback database's schema, as numbered migrations applied in order at start."""

from __future__ import annotations

import sqlite3

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
)
"""Migration N brings the schema from version N to N + 1; never edit one that has shipped."""

TABLES = ("unanswered", "votes", "shares")


def migrate(connection: sqlite3.Connection) -> int:
    """Applies the migrations this database lacks, each in its own transaction."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise sqlite3.DatabaseError(
            f"database schema version {version} is newer than this Footnote knows"
        )
    for number in range(version, len(MIGRATIONS)):
        connection.executescript(
            f"BEGIN; {MIGRATIONS[number]}; PRAGMA user_version = {number + 1}; COMMIT;"
        )
    return len(MIGRATIONS)
