"""Copying a SQLite feedback log into another store, normally the PostgreSQL server a host moves
to as it grows to several processes, losing nothing and doubling nothing.

The file is only read: copied into memory and migrated there, so a log of an older schema
version copies too. Every row goes in by the statement the bot writes it with, in one
transaction on the target, with a row in `copies` (schema migration 5) keyed by a digest of
everything the file holds: a second copy of the same file finds that row and copies nothing, and
two copies at once cannot both commit, the digest being the table's key. The digest covers the
whole file, not the rows retention lets through, so it does not change with the day the copy
runs. A file that has changed since it was copied (the bot ran on it a while longer) is named in
`copies` by its pseudonym key, and refused: copying it again would count its older rows twice.

A target without a pseudonym key takes the file's when it is opened for the copy, as the bot
makes one when it first opens a database, so before the copy's transaction: a copy that fails
leaves that key, which is the one a second attempt would adopt anyway, and no row.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.feedback.backend import Statement
from bot.feedback.schema import DATED
from bot.feedback.sqlite import key_path, migrated_copy, read_key
from bot.feedback.store import (
    ADD_USES,
    CLAIM_DIGEST,
    INSERT_SHARE,
    INSERT_UNANSWERED,
    INSERT_VOTE,
    FeedbackStore,
    storable,
)

READ_TIMEOUT_SECONDS = 5.0
"""How long reading the file waits for a bot still writing to it to finish a write."""
INSERTS = {
    "unanswered": INSERT_UNANSWERED,
    "votes": INSERT_VOTE,
    "shares": INSERT_SHARE,
    "uses": ADD_USES,
    "digests": CLAIM_DIGEST,
}
"""How each table's rows go in: by the bot's own statements, so a copied row is one the bot could
have written; a vote or a digest's week already there is skipped, a day's uses are added to the
count already there."""
COLUMNS = re.compile(r"INSERT INTO \w+ \(([^)]*)\)")
"""The column list of an insert above, which is also what is read from the file."""
SOURCE_NAME = b"footnote: the source of a copy"
"""What a file's pseudonym key signs to name the file in `copies`: the same file, however moved
or changed, without the key itself being stored."""
RECORD_COPY = "INSERT INTO copies (digest, source, created_at, rows) VALUES (?, ?, ?, ?)"
EARLIER_COPIES = (
    "SELECT digest, created_at FROM copies WHERE digest = ? OR source = ? ORDER BY created_at DESC"
)


class CopyRefused(Exception):
    """A copy that cannot or must not be made; its message is one line saying why."""


class KeyOutcome(StrEnum):
    """Whether votes copied in still match their voters' later votes."""

    SHARED = "shared"
    """The target hashes with the file's key: adopted now, or already."""
    DIFFERENT = "different"
    """The target had a key of its own: the same person's votes before and after do not match."""
    MISSING = "missing"
    """The file's key file is gone: its votes match no one's later votes."""


@dataclass(frozen=True)
class Source:
    """A SQLite feedback log as read for copying: its rows, its key, and what names it."""

    path: Path
    rows: dict[str, list[tuple[Any, ...]]]
    """Each table's rows, in the order of its insert's columns, oldest first."""
    key: bytes | None
    digest: str
    """Of every row in the file, whatever their age."""
    name: str | None
    """The file as `copies` names it, from its key; None without one."""


@dataclass(frozen=True)
class TableCopy:
    """What became of one table's rows."""

    table: str
    copied: int
    already_there: int
    too_old: int
    """Rows older than the target keeps, left out: its retention would delete them."""


@dataclass(frozen=True)
class Copied:
    """What a copy did: each table's rows, and what it means for pseudonyms."""

    tables: tuple[TableCopy, ...]
    key: KeyOutcome
    copied_before: float | None
    """When this very file was copied in already, so nothing was copied now; else None."""


def read_source(path: Path, target: Path | str) -> Source:
    """Reads a feedback file for copying into `target`, never writing to it; sqlite3.Error for a
    file SQLite or Footnote cannot read, CopyRefused for one it must not copy."""
    if not path.is_file():
        raise CopyRefused(f"{path}: no feedback database here")
    if isinstance(target, Path) and target.exists() and path.samefile(target):
        raise CopyRefused(f"{path} is the database the config names: there is nothing to copy")
    connection = migrated_copy(path, timeout=READ_TIMEOUT_SECONDS)
    try:
        rows = {
            table: connection.execute(
                f"SELECT {', '.join(_columns(insert))} FROM {table} ORDER BY created_at, id"
            ).fetchall()
            for table, insert in INSERTS.items()
        }
    finally:
        connection.close()
    key = _key(path)
    digest = hashlib.sha256(json.dumps(rows).encode()).hexdigest()
    name = None if key is None else hmac.new(key, SOURCE_NAME, hashlib.sha256).hexdigest()
    return Source(path, rows, key, digest, name)


async def copy_into(store: FeedbackStore, source: Source) -> Copied:
    """Copies a file's rows into an open store in one transaction, all or none; rows older than
    the store keeps are left out. The store should have been made with `adopt_key=source.key`,
    so that a store without a key takes the file's. FeedbackUnavailable if the store cannot take
    it."""
    key = _key_outcome(store, source.key)
    [earlier] = await store.snapshot([(EARLIER_COPIES, (source.digest, source.name))])
    for digest, created_at in earlier:
        if digest == source.digest:
            return Copied((), key, float(created_at))
    if earlier:
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(earlier[0][1]))
        raise CopyRefused(
            f"{source.path} was copied into {store.where} on {when} and has changed since: "
            "copying it again would count the rows copied then twice"
        )
    cutoff = store.retention_cutoff()
    kept = {
        table: [row for row in rows if table not in DATED or row[_dated(table)] >= cutoff]
        for table, rows in source.rows.items()
    }
    total = sum(map(len, kept.values()))
    statements: list[Statement] = [(RECORD_COPY, (source.digest, source.name, time.time(), total))]
    statements += [
        (INSERTS[table], tuple(storable(v) if isinstance(v, str) else v for v in row))
        for table, rows in kept.items()
        for row in rows
    ]
    changed = iter((await store.transaction(lambda: statements))[1:])
    tables = []
    for table, rows in kept.items():
        copied = sum(next(changed) for _ in rows)
        too_old = len(source.rows[table]) - len(rows)
        tables.append(TableCopy(table, copied, len(rows) - copied, too_old))
    return Copied(tuple(tables), key, None)


def _columns(insert: str) -> list[str]:
    """The columns an insert names, in its order."""
    return str(COLUMNS.findall(insert)[0]).split(", ")


def _dated(table: str) -> int:
    """Where a table's time is in the rows read of it."""
    return _columns(INSERTS[table]).index("created_at")


def _key_outcome(store: FeedbackStore, key: bytes | None) -> KeyOutcome:
    """What the file's key and the store's mean for matching votes across the copy."""
    if key is None:
        return KeyOutcome.MISSING
    return KeyOutcome.SHARED if store.has_key(key) else KeyOutcome.DIFFERENT


def _key(path: Path) -> bytes | None:
    """A feedback file's pseudonym key, None if its key file is gone; a damaged one is refused
    rather than adopted."""
    try:
        return read_key(key_path(path))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CopyRefused(f"{key_path(path)}: {error.strerror or error}") from None
