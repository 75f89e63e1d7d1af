"""`footnote report`: what to add to the knowledge next, and deleting what the bot stored."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.cli.commands import CliError, load
from bot.config import Config, ConfigError, load_config
from bot.engine import Matcher
from bot.feedback import FeedbackStore, FeedbackUnavailable
from bot.feedback.report import (
    QUESTION_GONE,
    Group,
    Rating,
    Report,
    Usage,
    also_snippet,
    build_report,
    purge_guild,
    purge_older_than,
    quoted,
    read_report,
)
from bot.feedback.sqlite import key_path, open_database
from bot.feedback.transfer import (
    Copied,
    CopyRefused,
    KeyOutcome,
    Source,
    copy_into,
    read_source,
)

BUSY_TIMEOUT_SECONDS = 5.0
"""How long to wait for the running bot to finish a write before giving up with exit code 2."""
QUESTION_WIDTH = 50
UNHEARD = logging.NullHandler()
"""Given to the store's log, which is meant for the bot's: here the command's own line of error
says the same, so what the store logs must not reach stderr by Python's last resort as well."""
VARIANTS_SHOWN = 3


def run(args: argparse.Namespace) -> int:
    """Prints the report, or deletes what a purge option names and says how many rows went."""
    try:
        config = load_config(Path(args.config) if args.config else None)
    except ConfigError as error:
        raise CliError(str(error)) from None
    purging = args.purge_older_than is not None or args.purge_guild is not None
    shared = config.storage.url is not None and not args.db
    try:
        password = config.storage_password() if shared else None
    except ConfigError as error:
        raise CliError(str(error)) from None
    if args.copy_from is not None:
        target = Path(args.db) if args.db else config.storage_target()
        source = Path(args.copy_from)
        copied, where = _copy(source, target, config.storage.retention_days, password)
        if args.json:
            print(json.dumps(copy_json(copied)))
        else:
            print(copy_text(copied, source, where, config.storage.retention_days))
        return 0
    if purging:
        if shared:
            deleted, where = asyncio.run(_purge_shared(config, password, args))
        else:
            deleted, where = _purge(Path(args.db) if args.db else config.storage_path(), args)
        if args.json:
            print(json.dumps({"deleted": deleted}))
        else:
            print(f"Deleted {_plural(deleted, 'row')} {_purged(args)} from {where}")
        return 0
    paths = args.knowledge or [str(p) for p in config.knowledge_paths()]
    if shared:
        matcher = load(argparse.Namespace(knowledge=paths))
        report, where = asyncio.run(_report_shared(config, password, matcher, args))
    else:
        path = Path(args.db) if args.db else config.storage_path()
        with _database(path, writable=False) as connection:
            matcher = load(argparse.Namespace(knowledge=paths))
            report = build_report(
                connection, matcher, now=time.time(), since_days=args.since, limit=args.limit
            )
        where = str(path)
    if args.json:
        print(json.dumps(report_json(report), ensure_ascii=False, indent=2))
    else:
        print(report_text(report, where))
    return 0


def _purged(args: argparse.Namespace) -> str:
    """What a purge option deleted, in words."""
    if args.purge_guild is not None:
        return f"recorded in guild {args.purge_guild}"
    return f"older than {args.purge_older_than:g} days"


def _purge(path: Path, args: argparse.Namespace) -> tuple[int, str]:
    """Deletes by age or by guild; safe while the bot runs, which only waits a moment."""
    with _database(path, writable=True) as connection:
        if args.purge_guild is not None:
            return purge_guild(connection, args.purge_guild), str(path)
        return purge_older_than(connection, args.purge_older_than, time.time()), str(path)


def _copy(
    source: Path, target: Path | str, retention_days: int, password: str | None
) -> tuple[Copied, str]:
    """Copies a SQLite feedback file into the target store; where it went, as logs name it."""

    async def into_target(read: Source) -> tuple[Copied, str]:
        async with _store(target, retention_days, password, read.key) as store:
            return await copy_into(store, read), store.where

    try:
        with _sqlite_errors(source):
            read = read_source(source, target)
        return asyncio.run(into_target(read))
    except CopyRefused as error:
        raise CliError(str(error)) from None


@asynccontextmanager
async def _shared_store(config: Config, password: str | None) -> AsyncIterator[FeedbackStore]:
    """The PostgreSQL store every process shares, or one line saying why it cannot be reached."""
    async with _store(
        config.storage_target(), config.storage.retention_days, password, None
    ) as store:
        yield store


@asynccontextmanager
async def _store(
    target: Path | str, retention_days: int, password: str | None, adopt_key: bytes | None
) -> AsyncIterator[FeedbackStore]:
    """A store opened as the bot opens it, or one line saying why it cannot be reached."""
    logging.getLogger("bot.feedback").addHandler(UNHEARD)  # kept once, however often added
    store = FeedbackStore(target, retention_days, password=password, adopt_key=adopt_key)
    try:
        if not await store.open():
            raise CliError(f"{store.where}: {store.problem}")
        yield store
    except FeedbackUnavailable as error:
        raise CliError(f"{store.where}: {error}") from None
    finally:
        await store.close()


async def _purge_shared(
    config: Config, password: str | None, args: argparse.Namespace
) -> tuple[int, str]:
    """Deletes by age or by guild from the shared store: once, for every machine's rows."""
    async with _shared_store(config, password) as store:
        if args.purge_guild is not None:
            return await store.purge_guild(args.purge_guild), store.where
        return await store.prune(args.purge_older_than), store.where


async def _report_shared(
    config: Config, password: str | None, matcher: Matcher, args: argparse.Namespace
) -> tuple[Report, str]:
    """The report from the shared store: every machine's feedback in one."""
    async with _shared_store(config, password) as store:
        report = await read_report(
            store, matcher, now=time.time(), since_days=args.since, limit=args.limit, guild_id=None
        )
        return report, store.where


@contextmanager
def _database(path: Path, *, writable: bool) -> Iterator[sqlite3.Connection]:
    """The feedback database, with every SQLite failure turned into one line naming the file."""
    if not path.is_file():
        raise CliError(f"{path}: no feedback database here (the bot creates it when it starts)")
    with _sqlite_errors(path):
        connection = open_database(path, writable=writable, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            yield connection
        finally:
            connection.close()


@contextmanager
def _sqlite_errors(path: Path) -> Iterator[None]:
    """Every SQLite failure on a file as one line naming it."""
    try:
        yield
    except sqlite3.Error as error:
        raise CliError(f"{path}: {_explain(error)}") from None


def _explain(error: sqlite3.Error) -> str:
    """SQLite's error in words that say what to do about it."""
    name = getattr(error, "sqlite_errorname", None) or ""
    problems = {
        "SQLITE_NOTADB": "not a SQLite database",
        "SQLITE_CORRUPT": "the database is damaged",
        "SQLITE_BUSY": f"still locked by another writer after {BUSY_TIMEOUT_SECONDS:g} s; "
        "try again in a moment",
        "SQLITE_READONLY_DIRECTORY": "its folder is read-only, and SQLite needs to create files "
        "beside the database; copy it to a writable folder",
        "SQLITE_READONLY": "cannot write: the file or its folder is read-only",
        "SQLITE_CANTOPEN": "cannot open it: check the permissions of the file and its folder",
    }
    for prefix, problem in problems.items():
        if name.startswith(prefix):
            return problem
    return str(error)


KEY_OUTCOMES = {
    KeyOutcome.SHARED: "{where} hashes user ids with {source}'s key, so votes cast before the"
    " switch and after it are matched as one person's",
    KeyOutcome.DIFFERENT: "{where} already had a key of its own: rows copied anyway, but votes"
    " cast before the switch and after it are not matched as the same person's",
    KeyOutcome.MISSING: "no {key_file} beside the file: rows copied, but its votes are not"
    " matched with later ones as the same person's",
}
"""What a copy means for one vote per person, in one line; never the key itself."""


def copy_text(copied: Copied, source: Path, where: str, retention_days: int) -> str:
    """A copy's outcome: one line per table, then what it means for pseudonyms."""
    if copied.copied_before is not None:
        when = _timestamp(copied.copied_before)
        lines = [f"Nothing copied: {source} was copied into {where} already, at {when}"]
    else:
        lines = [f"Copied {source} into {where}:"]
    for table in copied.tables:
        reasons = [
            f"{count:,} {reason}"
            for count, reason in [
                (table.too_old, f"older than the {retention_days} days kept"),
                (table.already_there, "already there"),
            ]
            if count
        ]
        skipped = f", {table.too_old + table.already_there:,} skipped ({', '.join(reasons)})"
        lines.append(f"  {table.table}: {table.copied:,} copied{skipped if reasons else ''}")
    explained = KEY_OUTCOMES[copied.key].format(
        where=where, source=source, key_file=key_path(source).name
    )
    lines.append(f"Pseudonyms: {explained}")
    return "\n".join(lines)


def copy_json(copied: Copied) -> dict[str, Any]:
    """A copy's outcome as one JSON object: each table's rows and the key's outcome."""
    return {
        "tables": {
            table.table: {
                "copied": table.copied,
                "already_there": table.already_there,
                "too_old": table.too_old,
            }
            for table in copied.tables
        },
        "pseudonym_key": copied.key.value,
        "copied_before": None if copied.copied_before is None else _timestamp(copied.copied_before),
    }


def report_json(report: Report) -> dict[str, Any]:
    """The report as one JSON object: `groups`, `worst_answers` and `totals`."""
    totals = report.totals
    return {
        "groups": [_group_json(group) for group in report.groups],
        "worst_answers": [_rating_json(rating) for rating in report.worst_answers],
        "most_used": [_usage_json(usage) for usage in report.most_used],
        "totals": {
            "unanswered": totals.unanswered,
            "considered": totals.considered,
            "groups": totals.groups,
            "up_votes": totals.up_votes,
            "down_votes": totals.down_votes,
            "shares": totals.shares,
            "uses": totals.uses,
            "since": _timestamp(totals.since) if totals.since is not None else None,
        },
    }


def _group_json(group: Group) -> dict[str, Any]:
    """One group, its wordings and its suggestion (or null)."""
    suggestion = group.suggestion
    return {
        "question": group.question,
        "count": group.count,
        "distinct_wordings": group.distinct,
        "guilds": group.guilds,
        "last_asked": _timestamp(group.last_asked),
        "wordings": [{"question": w.text, "count": w.count} for w in group.wordings],
        "suggestion": None
        if suggestion is None
        else {
            "fact_id": suggestion.fact.id,
            "fact_question": suggestion.fact.question,
            "score": round(suggestion.score, 3),
            "basis": suggestion.basis,
        },
    }


def _rating_json(rating: Rating) -> dict[str, Any]:
    """One answer's votes, with the question it answers."""
    return {
        "answer_key": rating.answer_key,
        "question": rating.question,
        "up": rating.up,
        "down": rating.down,
        "net": rating.net,
        "down_share": round(rating.down_share, 3),
    }


def _usage_json(usage: Usage) -> dict[str, Any]:
    """One answer's count of uses, with the question it answers."""
    return {"answer_key": usage.answer_key, "question": usage.question, "uses": usage.count}


def _timestamp(seconds: float) -> str:
    """A stored time as ISO 8601 in UTC, the same wherever the report runs."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


def report_text(report: Report, where: str) -> str:
    """The report as tables for a terminal, then the suggested phrasings as YAML to paste."""
    totals = report.totals
    since = f" since {_timestamp(totals.since)[:10]}" if totals.since is not None else ""
    capped = (
        f", the newest {totals.considered:,} grouped"
        if totals.considered < totals.unanswered
        else ""
    )
    lines = [
        f"Unanswered questions in {where}{since}: {totals.unanswered:,} asked, "
        f"{_plural(totals.groups, 'group')}{capped}",
        "",
        *(_groups_table(report.groups) or ["  none"]),
        "",
        f"Answers with the worst feedback ({_plural(totals.up_votes, 'up-vote')}, "
        f"{_plural(totals.down_votes, 'down-vote')}, {_plural(totals.shares, 'share')})",
        "",
        *(_ratings_table(report.worst_answers) or ["  no down-votes"]),
        "",
        f"Most used answers ({_plural(totals.uses, 'answer')} given)",
        "",
        *(_usage_table(report.most_used) or ["  none yet"]),
    ]
    snippet = also_snippet(report.groups)
    if snippet:
        header = "Suggested phrasings: if one fits its fact, add it to that fact's `also` list:"
        lines += ["", header, "", snippet]
    return "\n".join(lines)


def _groups_table(groups: tuple[Group, ...]) -> list[str]:
    """One row per group, with its other wordings beneath; `-` where no fact clearly fits."""
    if not groups:
        return []
    indent = " " * 22
    lines = [
        f"  {'#':>3}  {'asked':>5}  {'guilds':>6}  {'question':<{QUESTION_WIDTH}}  likely fact"
    ]
    for number, group in enumerate(groups, 1):
        likely = group.suggestion
        fact = "-" if likely is None else f"{likely.fact.id} ({likely.score:.2f})"
        lines.append(
            f"  {number:>3}  {group.count:>5}  {group.guilds:>6}  "
            f"{_clip(group.question):<{QUESTION_WIDTH}}  {fact}"
        )
        others = [
            f"{quoted(_clip(w.text, 30))} ×{w.count}"
            for w in group.wordings[1 : VARIANTS_SHOWN + 1]
        ]
        if group.distinct > VARIANTS_SHOWN + 1:
            others.append(f"{group.distinct - VARIANTS_SHOWN - 1} more")
        if others:
            lines.append(f"{indent}also as {', '.join(others)}")
    return lines


def _ratings_table(ratings: tuple[Rating, ...]) -> list[str]:
    """One row per down-voted answer, with the question it answers."""
    if not ratings:
        return []
    width = max(len(rating.answer_key) for rating in ratings)
    lines = [f"  {'net':>4}  {'up':>4}  {'down':>4}  {'down%':>5}  {'answer':<{width}}  question"]
    for rating in ratings:
        asked = rating.question or QUESTION_GONE
        lines.append(
            f"  {rating.net:>4}  {rating.up:>4}  {rating.down:>4}  {rating.down_share:>5.0%}  "
            f"{rating.answer_key:<{width}}  {_clip(asked)}"
        )
    return lines


def _usage_table(usages: tuple[Usage, ...]) -> list[str]:
    """One row per answer given, most used first, with the question it answers."""
    if not usages:
        return []
    width = max(len(usage.answer_key) for usage in usages)
    lines = [f"  {'uses':>5}  {'answer':<{width}}  question"]
    for usage in usages:
        asked = usage.question or QUESTION_GONE
        lines.append(f"  {usage.count:>5}  {usage.answer_key:<{width}}  {_clip(asked)}")
    return lines


def _plural(number: int, noun: str) -> str:
    """A count with its noun, singular for one."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _clip(text: str, width: int = QUESTION_WIDTH) -> str:
    """Text on one line, cut to a column's width."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
