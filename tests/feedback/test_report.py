"""The curators' report: grouping, ranking, suggested facts, ratings, purges, read-only access."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from pathlib import Path

import pytest

from bot.engine import Matcher
from bot.feedback import FeedbackStore
from bot.feedback import report as report_module
from bot.feedback.report import (
    Row,
    build_report,
    group_questions,
    purge_guild,
    purge_older_than,
    suggest,
)
from bot.feedback.schema import MIGRATIONS, migrate
from bot.feedback.sqlite import open_database
from bot.feedback.store import DAY
from bot.knowledge import load_knowledge

KNOWLEDGE = """\
source:
  id: demo
  title: Demo article
  publisher: Demo Press
  published: 2026-06-01
topics:
  - id: kimi
    name: Kimi K2.6
    aliases: [Kimi]
    summary: A model from Moonshot AI.
  - id: glm
    name: GLM-5.1
    aliases: [GLM]
    summary: A model from Zhipu AI.
facts:
  - id: kimi-price
    topic: kimi
    question: How much does Kimi cost?
    also: [kimi price, kimi monthly fee]
    keywords: [membership]
    answer: Membership starts at RMB 39 a month.
  - id: kimi-context
    topic: kimi
    question: How long a context does Kimi take?
    also: [kimi context window]
    answer: Over two million tokens.
  - id: glm-swe
    topic: glm
    question: What did GLM-5.1 score on SWE-Bench Pro?
    also: [glm swe bench]
    answer: It scored 58.4.
"""

PRICE = [("kimi-price", 0.45), ("kimi-context", 0.2)]
TIED = [("kimi-price", 0.4), ("kimi-context", 0.38)]


@pytest.fixture
def knowledge_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.yaml"
    path.write_text(KNOWLEDGE, encoding="utf-8")
    return path


@pytest.fixture
def matcher(knowledge_file: Path) -> Matcher:
    return Matcher(load_knowledge([knowledge_file]))


@asynccontextmanager
async def store_at(
    target: Path | str, age_days: float = 0.0, password: str | None = None
) -> AsyncIterator[FeedbackStore]:
    """The bot's own store, on either backend, writing as if it were `age_days` ago."""
    store = FeedbackStore(
        target, retention_days=365, clock=lambda: time.time() - age_days * DAY, password=password
    )
    assert await store.open()
    try:
        yield store
    finally:
        await store.close()


async def seed(target: Path | str, password: str | None = None) -> None:
    """A small log: a popular question in many wordings, a rarer one, chatter, votes, a share."""
    async with store_at(target, age_days=10, password=password) as store:
        await store.log_unanswered("kimi ceo?", 0.3, TIED, 1, 7)
        await store.log_unanswered("what's the weather in paris", 0.0, [], 2, 7)
    async with store_at(target, password=password) as store:
        for question in [
            "how much is kimi a month",
            "how much is kimi a month",
            "How much is Kimi per month?",
            "how much is kimmi a month",
            "kimi a month, how much?",
        ]:
            await store.log_unanswered(question, 0.45, PRICE, 1, 7)
        await store.log_unanswered("how much is kimi a month", 0.45, PRICE, 2, 8)
        await store.log_unanswered("kimi monthly fee?", 0.0, [], None, None)
        await store.log_unanswered("kimi monthly fee?", 0.0, [], None, None)
        for user, value in [(1, -1), (2, -1), (3, -1), (4, 1)]:
            await store.vote("fact:kimi-price", 10, user, value, 1, 7)
        for user in (1, 2):
            await store.vote("fact:glm-swe", 11, user, -1, 1, 7)
        for user in (1, 2, 3):
            await store.vote("fact:kimi-context", 12, user, 1, 1, 7)
        await store.vote("topic:kimi", 13, 1, -1, 1, 7)
        await store.vote("fact:retired-fact", 14, 1, -1, 1, 7)
        await store.log_share("fact:kimi-context", 1, 1, 7)
        store.count_use("fact:kimi-price", 1)
        store.count_use("fact:kimi-price", None)
        await store.claim_digest(1, "2026-06-01")


def rows(*questions: str) -> list[Row]:
    return [Row(q, "[]", 1, float(n)) for n, q in enumerate(questions)]


def texts(groups: list[list[Row]]) -> list[set[str]]:
    return [{row.question for row in group} for group in groups]


def test_typos_and_rewordings_group_together_unrelated_questions_do_not() -> None:
    groups = group_questions(
        rows(
            "how much is kimi a month",
            "How much is Kimi per month?",
            "how much is kimmi a month",
            "kimi a month, how much?",
            "how much is  kimi a month??",
            "kimi ceo?",
            "kimi cost?",
            "is kimi open source",
            "is qwen open source",
            "glm 5.1 swe bench",
            "glm 5.2 swe bench",
            "what's the weather in paris",
            "what's the weather in london",
        )
    )
    assert texts(groups)[0] == {
        "how much is kimi a month",
        "How much is Kimi per month?",
        "how much is kimmi a month",
        "kimi a month, how much?",
        "how much is  kimi a month??",
    }
    assert all(len(group) == 1 for group in groups[1:])


def test_groups_rank_by_count_then_by_most_recent() -> None:
    groups = group_questions(rows("glm swe bench", "kimi price", "kimi prices", "kimi ceo"))
    assert texts(groups) == [{"kimi price", "kimi prices"}, {"kimi ceo"}, {"glm swe bench"}]


def test_filler_only_questions_do_not_all_merge() -> None:
    assert len(group_questions(rows("hello?", "what is it", "???"))) == 3


def test_suggestion_weighs_stored_scores_by_how_often_each_was_asked(matcher: Matcher) -> None:
    often = [Row("q", json.dumps([["kimi-context", 0.5]]), 1, 0.0)] * 3
    once = [Row("q", json.dumps([["kimi-price", 0.9]]), 1, 0.0)]
    suggestion = suggest(often + once, "q", matcher)
    assert suggestion is not None
    assert (suggestion.fact.id, suggestion.basis) == ("kimi-context", "log")
    assert suggestion.score == pytest.approx(1.5 / 4)
    strong = [Row("q", json.dumps([["kimi-price", 0.9], ["kimi-context", 0.5]]), 1, 0.0)] * 2
    suggestion = suggest(often[:1] + strong, "q", matcher)
    assert suggestion is not None and suggestion.fact.id == "kimi-price"


def test_suggestion_falls_back_to_asking_the_current_knowledge(matcher: Matcher) -> None:
    stale = [Row("kimi monthly fee?", json.dumps([["retired-fact", 0.9]]), 1, 0.0)]
    damaged = [Row("kimi monthly fee?", "not json", 1, 0.0)]
    for members in (stale, damaged, rows("kimi monthly fee?")):
        suggestion = suggest(members, "kimi monthly fee?", matcher)
        assert suggestion is not None
        assert (suggestion.fact.id, suggestion.basis) == ("kimi-price", "matcher")


def test_no_suggestion_without_a_clear_favourite(matcher: Matcher) -> None:
    tied = [Row("q", json.dumps(TIED), 1, 0.0)]
    assert suggest(tied, "what's the weather in paris", matcher) is None
    weak = [Row("q", json.dumps([["kimi-price", 0.1]]), 1, 0.0)]
    assert suggest(weak, "what's the weather in paris", matcher) is None


async def test_report_groups_ranks_and_suggests(tmp_path: Path, matcher: Matcher) -> None:
    db = tmp_path / "f.db"
    await seed(db)
    with closing(open_database(db, writable=False, timeout=1.0)) as connection:
        report = build_report(connection, matcher, now=time.time())
    first, second, *rest = report.groups
    assert first.question == "how much is kimi a month"
    assert (first.count, first.distinct, first.guilds) == (6, 4, 2)
    assert [w.count for w in first.wordings] == [3, 1, 1, 1]
    assert first.suggestion is not None and first.suggestion.fact.id == "kimi-price"
    assert first.suggestion.basis == "log"
    assert (second.question, second.count, second.guilds) == ("kimi monthly fee?", 2, 0)
    assert second.suggestion is not None and second.suggestion.basis == "matcher"
    likely = {group.question: group.suggestion for group in rest}
    assert likely.keys() == {"kimi ceo?", "what's the weather in paris"}
    assert likely["what's the weather in paris"] is None
    totals = report.totals
    assert (totals.unanswered, totals.considered, totals.groups) == (10, 10, 4)
    assert (totals.up_votes, totals.down_votes, totals.shares, totals.since) == (4, 7, 1, None)


async def test_worst_answers_rank_by_net_then_down_share(tmp_path: Path, matcher: Matcher) -> None:
    db = tmp_path / "f.db"
    await seed(db)
    with closing(open_database(db, writable=False, timeout=1.0)) as connection:
        worst = build_report(connection, matcher, now=time.time()).worst_answers
    assert [(r.answer_key, r.up, r.down, r.net) for r in worst] == [
        ("fact:glm-swe", 0, 2, -2),
        ("fact:kimi-price", 1, 3, -2),
        ("fact:retired-fact", 0, 1, -1),
        ("topic:kimi", 0, 1, -1),
    ]
    assert [r.question for r in worst] == [
        "What did GLM-5.1 score on SWE-Bench Pro?",
        "How much does Kimi cost?",
        None,
        "Kimi K2.6",
    ]
    assert worst[1].down_share == 0.75


async def test_since_and_limit_narrow_the_report(tmp_path: Path, matcher: Matcher) -> None:
    db = tmp_path / "f.db"
    await seed(db)
    with closing(open_database(db, writable=False, timeout=1.0)) as connection:
        report = build_report(connection, matcher, now=time.time(), since_days=5, limit=1)
    assert [group.question for group in report.groups] == ["how much is kimi a month"]
    assert len(report.worst_answers) == 1
    assert (report.totals.unanswered, report.totals.groups) == (8, 2)
    assert report.totals.since == pytest.approx(time.time() - 5 * DAY, abs=60)


async def test_only_the_newest_rows_are_grouped(
    tmp_path: Path, matcher: Matcher, monkeypatch
) -> None:
    monkeypatch.setattr(report_module, "MAX_ROWS", 3)
    db = tmp_path / "f.db"
    async with store_at(db, age_days=1) as store:
        for _ in range(5):
            await store.log_unanswered("old question about glm", 0.1, [], 1, 1)
    async with store_at(db) as store:
        for _ in range(3):
            await store.log_unanswered("new question about kimi", 0.1, [], 1, 1)
    with closing(open_database(db, writable=False, timeout=1.0)) as connection:
        report = build_report(connection, matcher, now=time.time())
    assert [(g.question, g.count) for g in report.groups] == [("new question about kimi", 3)]
    assert (report.totals.unanswered, report.totals.considered) == (8, 3)


async def test_purges_delete_from_every_table(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    await seed(db)
    with closing(open_database(db, writable=True, timeout=1.0)) as connection:
        assert purge_older_than(connection, 5, time.time()) == 2
        assert purge_guild(connection, 1) == 19, "a use count and a digest sent, as well"
        assert purge_guild(connection, 1) == 0
        remaining = connection.execute("SELECT question, guild_id FROM unanswered").fetchall()
    assert sorted(remaining, key=str) == [
        ("how much is kimi a month", 2),
        ("kimi monthly fee?", None),
        ("kimi monthly fee?", None),
    ]


async def test_purge_waits_for_a_write_in_progress(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    await seed(db)
    writer = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO unanswered (created_at, guild_id, question, confidence, candidates)"
        " VALUES (0, 1, 'ancient', 0, '[]')"
    )
    threading.Timer(0.3, lambda: writer.execute("COMMIT")).start()
    with closing(open_database(db, writable=True, timeout=5.0)) as connection:
        assert purge_older_than(connection, 5, time.time()) == 3
    writer.close()


async def test_reading_never_waits_for_or_sees_an_unfinished_write(
    tmp_path: Path, matcher: Matcher
) -> None:
    db = tmp_path / "f.db"
    async with store_at(db) as store:
        await store.log_unanswered("kimi ceo?", 0.3, TIED, 1, 7)
        writer = sqlite3.connect(db, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO unanswered (created_at, question, confidence, candidates)"
            " VALUES (?, 'uncommitted', 0, '[]')",
            (time.time(),),
        )
        started = time.monotonic()
        with closing(open_database(db, writable=False, timeout=5.0)) as connection:
            report = build_report(connection, matcher, now=time.time())
        writer.execute("ROLLBACK")
        writer.close()
    assert time.monotonic() - started < 2
    assert [group.question for group in report.groups] == ["kimi ceo?"]


def test_read_only_connection_cannot_write(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    with closing(sqlite3.connect(db)) as setup:
        migrate(setup)
    with (
        closing(open_database(db, writable=False, timeout=1.0)) as connection,
        pytest.raises(sqlite3.OperationalError, match="readonly"),
    ):
        connection.execute("DELETE FROM unanswered")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a Footnote feedback database"),
        (b"this is not a database" * 100, "file is not a database"),
    ],
)
def test_foreign_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    db = tmp_path / "f.db"
    db.write_bytes(content)
    with pytest.raises(sqlite3.DatabaseError, match=message):
        open_database(db, writable=True, timeout=1.0)
    assert db.read_bytes() == content


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    with sqlite3.connect(db) as setup:
        setup.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(sqlite3.DatabaseError, match="newer than this Footnote knows"):
        open_database(db, writable=False, timeout=1.0)


def test_missing_database_is_not_created(tmp_path: Path) -> None:
    db = tmp_path / "missing.db"
    with pytest.raises(sqlite3.OperationalError):
        open_database(db, writable=True, timeout=1.0)
    assert not db.exists()


async def test_most_used_answers_and_one_guilds_report(tmp_path: Path, matcher: Matcher) -> None:
    db = tmp_path / "f.db"
    async with store_at(db) as store:
        for key, guild in [("fact:kimi-context", 1), ("fact:kimi-context", 1), ("topic:kimi", 2)]:
            store.count_use(key, guild)
        store.count_use("fact:retired-fact", 1)
        await store.log_unanswered("kimi ceo?", 0.3, TIED, 2, 7)
        await store.vote("fact:glm-swe", 11, 1, -1, 2, 7)
    with closing(open_database(db, writable=False, timeout=1.0)) as connection:
        everywhere = build_report(connection, matcher, now=time.time())
        first = build_report(connection, matcher, now=time.time(), guild_id=1)
    assert [(u.answer_key, u.count, u.question) for u in everywhere.most_used] == [
        ("fact:kimi-context", 2, "How long a context does Kimi take?"),
        ("fact:retired-fact", 1, None),
        ("topic:kimi", 1, "Kimi K2.6"),
    ]
    assert everywhere.totals.uses == 4
    assert [u.answer_key for u in first.most_used] == ["fact:kimi-context", "fact:retired-fact"]
    assert first.groups == () and first.worst_answers == ()
    assert (first.totals.unanswered, first.totals.down_votes, first.totals.uses) == (0, 0, 3)
