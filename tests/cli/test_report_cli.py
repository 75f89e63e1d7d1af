"""`footnote report` as curators run it: tables, JSON, purges, and one-line errors."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
import yaml

from bot.cli import report as report_command
from bot.cli.main import main
from bot.feedback.report import Group, Suggestion, Wording
from bot.feedback.schema import DATED, MIGRATIONS, migrate
from bot.knowledge import load_knowledge
from tests.feedback.test_report import KNOWLEDGE, seed, store_at
from tests.postgres import BOT_PASSWORD, PostgresServer, free_port


@pytest.fixture
def kb(tmp_path: Path) -> str:
    path = tmp_path / "demo.yaml"
    path.write_text(KNOWLEDGE, encoding="utf-8")
    return str(path)


@pytest.fixture
async def db(tmp_path: Path) -> Path:
    path = tmp_path / "footnote.db"
    await seed(path)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


@contextmanager
def write_lock(path: Path, release_after: float | None) -> Iterator[None]:
    """Another writer in the middle of a transaction, as the bot is while it logs a question."""
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO votes (created_at, message_id, answer_key, voter, value)"
        " VALUES (0, 1, 'fact:kimi-price', 'someone', 1)"
    )
    timer = None
    if release_after is not None:
        timer = threading.Timer(release_after, lambda: writer.execute("COMMIT"))
        timer.start()
    try:
        yield
    finally:
        if timer is None:
            writer.execute("ROLLBACK")
        else:
            timer.join()
        writer.close()


def assert_one_line_error(code: int, err: str, *fragments: str) -> None:
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err


def test_table_lists_groups_worst_answers_and_a_pasteable_snippet(capsys, db: Path, kb: str):
    code, out, _ = run(capsys, "report", "--db", str(db), "--knowledge", kb)
    assert code == 0
    assert f"Unanswered questions in {db}: 10 asked, 4 groups" in out
    table = out.split("Answers with the worst feedback")[0]
    first_row = next(line for line in table.splitlines() if line.strip().startswith("1 "))
    assert first_row.split()[:3] == ["1", "6", "2"]
    assert "how much is kimi a month" in first_row and "kimi-price (0.45)" in first_row
    assert '"How much is Kimi per month?" ×1' in table
    assert "(4 up-votes, 7 down-votes, 1 share)" in out
    assert "Most used answers (2 answers given)" in out
    assert "      2  fact:kimi-price  How much does Kimi cost?" in out
    assert "fact:glm-swe       What did GLM-5.1 score on SWE-Bench Pro?" in out
    snippet = out.split("`also` list:\n")[1]
    assert yaml.safe_load(snippet) == [
        {"id": "kimi-price", "also": ["how much is kimi a month", "kimi monthly fee?", "kimi ceo?"]}
    ]


async def test_json_is_one_object_with_groups_worst_answers_and_totals(
    capsys, db: Path, kb: str
) -> None:
    code, out, _ = run(capsys, "report", "--json", "--db", str(db), "--knowledge", kb)
    report = json.loads(out)
    assert code == 0
    assert report.keys() == {"groups", "worst_answers", "most_used", "totals"}
    first = report["groups"][0]
    assert first == {
        "question": "how much is kimi a month",
        "count": 6,
        "distinct_wordings": 4,
        "guilds": 2,
        "last_asked": first["last_asked"],
        "wordings": [
            {"question": "how much is kimi a month", "count": 3},
            {"question": "kimi a month, how much?", "count": 1},
            {"question": "how much is kimmi a month", "count": 1},
            {"question": "How much is Kimi per month?", "count": 1},
        ],
        "suggestion": {
            "fact_id": "kimi-price",
            "fact_question": "How much does Kimi cost?",
            "score": 0.45,
            "basis": "log",
        },
    }
    assert first["last_asked"].endswith("+00:00")
    assert report["worst_answers"][0] == {
        "answer_key": "fact:glm-swe",
        "question": "What did GLM-5.1 score on SWE-Bench Pro?",
        "up": 0,
        "down": 2,
        "net": -2,
        "down_share": 1.0,
    }
    assert report["totals"] == {
        "unanswered": 10,
        "considered": 10,
        "groups": 4,
        "up_votes": 4,
        "down_votes": 7,
        "shares": 1,
        "uses": 2,
        "since": None,
    }
    assert report["most_used"] == [
        {"answer_key": "fact:kimi-price", "question": "How much does Kimi cost?", "uses": 2}
    ]


async def test_since_and_limit(capsys, db: Path, kb: str) -> None:
    argv = ["report", "--json", "--db", str(db), "--knowledge", kb, "--since", "5", "--limit", "1"]
    report = json.loads(run(capsys, *argv)[1])
    assert [group["count"] for group in report["groups"]] == [6]
    assert len(report["worst_answers"]) == 1
    assert report["totals"]["unanswered"] == 8 and report["totals"]["since"] is not None


async def test_default_database_is_footnote_db_in_the_current_folder(
    capsys, monkeypatch, db: Path, kb: str
) -> None:
    monkeypatch.chdir(db.parent)
    code, out, _ = run(capsys, "report", "--knowledge", kb)
    assert code == 0
    assert "10 asked, 4 groups" in out


async def test_config_names_the_database_and_the_knowledge(
    capsys, tmp_path: Path, db: Path, kb: str
) -> None:
    folder = tmp_path / "bot"
    folder.mkdir()
    db.rename(folder / "data.db")
    config = folder / "config.yaml"
    config.write_text(f"storage:\n  path: data.db\nknowledge:\n  paths: [{kb}]\n")
    code, out, _ = run(capsys, "report", "--config", str(config))
    assert code == 0
    assert f"in {folder / 'data.db'}: 10 asked" in out
    assert "kimi-price" in out


async def test_report_leaves_the_database_untouched(capsys, db: Path, kb: str) -> None:
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    assert run(capsys, "report", "--db", str(db), "--knowledge", kb)[0] == 0
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


async def test_report_runs_while_another_writer_holds_the_database(
    capsys, db: Path, kb: str, monkeypatch
) -> None:
    monkeypatch.setattr(report_command, "BUSY_TIMEOUT_SECONDS", 0.1)
    with write_lock(db, release_after=None):
        code, out, _ = run(capsys, "report", "--json", "--db", str(db), "--knowledge", kb)
    assert code == 0
    assert json.loads(out)["totals"]["up_votes"] == 4


async def test_purge_older_than_deletes_and_says_how_many(capsys, db: Path) -> None:
    code, out, _ = run(capsys, "report", "--db", str(db), "--purge-older-than", "5")
    assert code == 0
    assert out == f"Deleted 2 rows older than 5 days from {db}\n"
    assert count(db, "unanswered") == 8
    code, out, _ = run(capsys, "report", "--db", str(db), "--purge-older-than", "0", "--json")
    assert (code, json.loads(out)) == (0, {"deleted": 22})
    assert sum(count(db, table) for table in DATED) == 0
    assert count(db, "digests") == 1, "which weeks' digests were sent is kept, or one goes twice"


async def test_purge_guild(capsys, db: Path) -> None:
    code, out, _ = run(capsys, "report", "--db", str(db), "--purge-guild", "2")
    assert code == 0
    assert out == f"Deleted 2 rows recorded in guild 2 from {db}\n"
    code, out, _ = run(capsys, "report", "--db", str(db), "--purge-guild", "2")
    assert out.startswith("Deleted 0 rows")
    assert b"weather in paris" not in db.read_bytes()


async def test_purge_works_while_the_bot_is_running(capsys, tmp_path: Path) -> None:
    db = tmp_path / "footnote.db"
    async with store_at(db) as store:
        await store.log_unanswered("a secret question", 0.3, [], 5, 6)
        code, out, _ = run(capsys, "report", "--db", str(db), "--purge-guild", "5")
        on_disk = b"".join(path.read_bytes() for path in tmp_path.glob("footnote.db*"))
        assert await store.log_unanswered("kimi ceo?", 0.3, [], 6, 6)
    assert (code, out.split()[1]) == (0, "1")
    assert b"a secret question" not in on_disk
    assert count(db, "unanswered") == 1


async def test_purge_waits_for_a_brief_write(capsys, db: Path) -> None:
    with write_lock(db, release_after=0.3):
        code, out, _ = run(capsys, "report", "--db", str(db), "--purge-older-than", "5")
    assert code == 0
    assert out.startswith("Deleted 3 rows")


async def test_purge_gives_up_on_a_database_locked_too_long(capsys, db: Path, monkeypatch):
    monkeypatch.setattr(report_command, "BUSY_TIMEOUT_SECONDS", 0.2)
    with write_lock(db, release_after=None):
        code, _, err = run(capsys, "report", "--db", str(db), "--purge-guild", "1")
    assert_one_line_error(code, err, str(db), "still locked by another writer after 0.2 s")
    assert count(db, "unanswered") == 10


@pytest.mark.parametrize("purge", [[], ["--purge-guild", "1"]])
def test_missing_database(capsys, tmp_path: Path, purge: list[str]) -> None:
    db = tmp_path / "nowhere.db"
    code, _, err = run(capsys, "report", "--db", str(db), *purge)
    assert_one_line_error(code, err, str(db), "no feedback database here")
    assert not db.exists()


@pytest.mark.parametrize("purge", [[], ["--purge-older-than", "1"]])
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a database" * 100, "not a SQLite database"),
        (b"", "not a Footnote feedback database"),
    ],
)
def test_files_that_are_not_feedback_databases(
    capsys, tmp_path: Path, content: bytes, message: str, purge: list[str]
) -> None:
    db = tmp_path / "footnote.db"
    db.write_bytes(content)
    code, _, err = run(capsys, "report", "--db", str(db), *purge)
    assert_one_line_error(code, err, message)
    assert db.read_bytes() == content


@pytest.mark.parametrize("purge", [[], ["--purge-guild", "1"]])
def test_newer_schema_version(capsys, tmp_path: Path, purge: list[str]) -> None:
    db = tmp_path / "footnote.db"
    with closing(sqlite3.connect(db)) as connection:
        migrate(connection)
        connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    code, _, err = run(capsys, "report", "--db", str(db), *purge)
    assert_one_line_error(code, err, "newer than this Footnote knows")


async def test_a_file_an_older_footnote_wrote_is_reported_without_writing_to_it(
    capsys, db: Path, kb: str
) -> None:
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute("DROP TABLE copies")
        connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    before = db.read_bytes()
    code, out, _ = run(capsys, "report", "--db", str(db), "--knowledge", kb)
    assert code == 0 and "10 asked, 4 groups" in out
    assert db.read_bytes() == before
    assert run(capsys, "report", "--db", str(db), "--purge-guild", "2")[0] == 0
    with closing(sqlite3.connect(db)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)


@pytest.mark.parametrize("purge", [[], ["--purge-guild", "1"]])
async def test_read_only_folder(capsys, tmp_path: Path, purge: list[str]) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    await seed(folder / "footnote.db")
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("this user can write to read-only folders (root)")
        code, _, err = run(capsys, "report", "--db", str(folder / "footnote.db"), *purge)
    finally:
        folder.chmod(0o755)
    assert_one_line_error(code, err, "read-only")


@pytest.mark.parametrize(
    "argv",
    [
        ["--limit", "0"],
        ["--since", "-1"],
        ["--since", "soon"],
        ["--purge-older-than", "nan"],
        ["--purge-guild", "general"],
        ["--purge-guild", "1", "--purge-older-than", "3"],
        ["--copy-from", "old.db", "--purge-guild", "1"],
        ["--config", "/no/such/config.yaml"],
    ],
)
def test_bad_arguments_are_one_line(capsys, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        raise SystemExit(main(["report", *argv]))
    _, err = capsys.readouterr()
    assert_one_line_error(int(raised.value.code or 0), err)


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["--since", "99999999999"], "--since: must be from 0 to 36,525 days"),
        (["--limit", "99999999999999999999999"], "--limit: must be 1 to 1,000,000"),
        (["--purge-guild", "99999999999999999999999"], "--purge-guild: not a Discord id"),
        (["--purge-guild", "-5"], "--purge-guild: not a Discord id"),
        (["--purge-older-than", "1e300"], "--purge-older-than: must be from 0 to 36,525 days"),
    ],
)
def test_numbers_out_of_range_are_one_line(capsys, db: Path, kb: str, argv, problem) -> None:
    with pytest.raises(SystemExit) as raised:
        raise SystemExit(main(["report", "--db", str(db), "--knowledge", kb, *argv]))
    _, err = capsys.readouterr()
    assert_one_line_error(int(raised.value.code or 0), err, problem)


async def test_invalid_knowledge_is_one_line(capsys, tmp_path: Path, db: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(KNOWLEDGE.replace("title:", "titel:"))
    code, _, err = run(capsys, "report", "--db", str(db), "--knowledge", str(bad))
    assert_one_line_error(code, err, "invalid knowledge")


def test_suggested_phrasings_leave_out_pings(kb: str) -> None:
    fact = load_knowledge([kb]).facts["kimi-price"]
    asked = ["@everyone how much is kimi <@123> a month?", "<@&9> <#77> @here"]
    groups = tuple(
        Group((Wording(text, 3),), 3, 1, 1, 0.0, Suggestion(fact, 0.5, "log")) for text in asked
    )
    assert yaml.safe_load(report_command.also_snippet(groups)) == [
        {"id": "kimi-price", "also": ["how much is kimi a month?"]}
    ]


def test_a_shared_postgresql_store_reports_and_purges_like_the_file(
    capsys, monkeypatch, tmp_path: Path, kb: str, postgres_server: PostgresServer
) -> None:
    url = asyncio.run(postgres_server.create_database())
    asyncio.run(seed(url, BOT_PASSWORD))
    asyncio.run(seed(tmp_path / "footnote.db"))
    config = tmp_path / "config.yaml"
    config.write_text(f"storage:\n  url: {url}\n  password_env: FOOTNOTE_TEST_PG\n")
    monkeypatch.delenv("FOOTNOTE_TEST_PG", raising=False)
    code, _, err = run(capsys, "report", "--config", str(config), "--knowledge", kb)
    assert code == 2 and "no database password: set the environment variable" in err
    monkeypatch.setenv("FOOTNOTE_TEST_PG", BOT_PASSWORD)
    shared = ["report", "--config", str(config), "--knowledge", kb, "--json"]
    local = ["report", "--db", str(tmp_path / "footnote.db"), "--knowledge", kb, "--json"]
    code, out, _ = run(capsys, *shared)
    assert code == 0
    shared_report = json.loads(out)
    local_report = json.loads(run(capsys, *local)[1])
    for report in (shared_report, local_report):
        for group in report["groups"]:
            group.pop("last_asked")
        report["totals"].pop("since")
    assert shared_report == local_report, "one report, whichever backend"
    code, out, _ = run(capsys, "report", "--config", str(config), "--purge-guild", "2")
    assert code == 0
    assert out == f"Deleted 2 rows recorded in guild 2 from {url}\n"
    code, out, _ = run(capsys, "report", "--config", str(config), "--purge-older-than", "0")
    assert out == f"Deleted 22 rows older than 0 days from {url}\n"


# Copying a SQLite file into the store the config names ------------------------------------

COPIED = [
    "  unanswered: 10 copied",
    "  votes: 11 copied",
    "  shares: 1 copied",
    "  uses: 2 copied",
    "  digests: 1 copied",
]


def shared_config(tmp_path: Path, url: str, monkeypatch, retention_days: int = 90) -> Path:
    """A config naming a PostgreSQL store, its password in the environment, as a host has it."""
    config = tmp_path / "shared.yaml"
    config.write_text(
        f"storage:\n  url: {url}\n  password_env: FOOTNOTE_TEST_PG\n"
        f"  retention_days: {retention_days}\n"
    )
    monkeypatch.setenv("FOOTNOTE_TEST_PG", BOT_PASSWORD)
    return config


def test_copy_into_a_file_says_what_each_table_got_and_reads_the_source_only(
    capsys, tmp_path: Path, db: Path
) -> None:
    before = db.read_bytes()
    new = tmp_path / "new.db"
    code, out, _ = run(capsys, "report", "--copy-from", str(db), "--db", str(new))
    assert code == 0
    assert out.splitlines() == [
        f"Copied {db} into {new}:",
        *COPIED,
        f"Pseudonyms: {new} hashes user ids with {db}'s key, so votes cast before the switch"
        " and after it are matched as one person's",
    ]
    assert db.read_bytes() == before
    assert new.with_name("new.db.key").read_bytes() == db.with_name("footnote.db.key").read_bytes()
    code, out, _ = run(capsys, "report", "--copy-from", str(db), "--db", str(new))
    assert code == 0
    assert out.startswith(f"Nothing copied: {db} was copied into {new} already, at ")
    assert count(new, "unanswered") == 10


def test_copy_leaves_out_rows_older_than_the_config_keeps(capsys, tmp_path: Path, db: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("storage:\n  path: new.db\n  retention_days: 5\n")
    code, out, _ = run(capsys, "report", "--config", str(config), "--copy-from", str(db), "--json")
    assert code == 0
    tables = json.loads(out)["tables"]
    assert tables["unanswered"] == {"copied": 8, "already_there": 0, "too_old": 2}
    code, out, _ = run(capsys, "report", "--copy-from", str(db), "--db", str(tmp_path / "b.db"))
    assert "  unanswered: 10 copied" in out.splitlines(), "--db: the default 90 days"


def test_copy_into_the_shared_postgresql_store(
    capsys, monkeypatch, tmp_path: Path, kb: str, postgres_server: PostgresServer
) -> None:
    url = asyncio.run(postgres_server.create_database())
    db = tmp_path / "footnote.db"
    asyncio.run(seed(db))
    config = shared_config(tmp_path, url, monkeypatch)
    code, out, _ = run(capsys, "report", "--config", str(config), "--copy-from", str(db))
    assert code == 0
    assert out.splitlines()[:6] == [f"Copied {db} into {url}:", *COPIED]
    assert "votes cast before the switch and after it are matched" in out
    local = ["report", "--db", str(db), "--knowledge", kb, "--json"]
    shared = ["report", "--config", str(config), "--knowledge", kb, "--json"]
    reports = [json.loads(run(capsys, *argv)[1]) for argv in (local, shared)]
    for report in reports:
        report["totals"].pop("since")
    assert reports[0] == reports[1], "the same report, from the server now"
    code, out, _ = run(capsys, "report", "--config", str(config), "--copy-from", str(db))
    assert code == 0 and out.startswith("Nothing copied")


def test_copy_into_a_server_with_a_key_of_its_own_says_votes_do_not_match(
    capsys, monkeypatch, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    url = asyncio.run(postgres_server.create_database())
    asyncio.run(seed(url, BOT_PASSWORD))  # the bot ran on the server first
    db = tmp_path / "footnote.db"
    asyncio.run(seed(db))
    config = shared_config(tmp_path, url, monkeypatch)
    code, out, err = run(capsys, "report", "--config", str(config), "--copy-from", str(db))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == (
        f"Pseudonyms: {url} already had a key of its own: rows copied anyway, but votes cast"
        " before the switch and after it are not matched as the same person's"
    )
    assert "  votes: 11 copied" in out.splitlines()
    assert "  digests: 0 copied, 1 skipped (1 already there)" in out.splitlines()


def test_copy_says_the_file_changed_since_its_copy_in_one_line(
    capsys, tmp_path: Path, db: Path
) -> None:
    new = str(tmp_path / "new.db")
    assert run(capsys, "report", "--copy-from", str(db), "--db", new)[0] == 0
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute("DELETE FROM shares")
    code, _, err = run(capsys, "report", "--copy-from", str(db), "--db", new)
    assert_one_line_error(code, err, "has changed since: copying it again would count")


def target(kind: str, db: Path, tmp_path: Path, monkeypatch) -> list[str]:
    """Where to copy to: a new file, the source itself, or a server nothing listens for."""
    if kind == "same":
        return ["--db", str(db)]
    if kind == "unreachable":
        url = f"postgresql://footnote@127.0.0.1:{free_port()}/footnote"
        return ["--config", str(shared_config(tmp_path, url, monkeypatch))]
    return ["--db", str(tmp_path / "new.db")]


def newer(db: Path) -> None:
    with closing(sqlite3.connect(db)) as connection:
        connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")


@pytest.mark.parametrize(
    ("make", "kind", "message"),
    [
        (Path.unlink, "new", "no feedback database here"),
        (lambda db: db.write_bytes(b""), "new", "not a Footnote feedback database"),
        (lambda db: db.write_bytes(b"not a database" * 100), "new", "not a SQLite database"),
        (newer, "new", "newer than this Footnote knows"),
        (lambda db: None, "same", "is the database the config names: there is nothing to copy"),
        (lambda db: None, "unreachable", "Connect call failed"),
    ],
    ids=["missing", "empty", "not-sqlite", "newer", "same", "unreachable"],
)
def test_copy_errors_are_one_line(
    capsys, monkeypatch, tmp_path: Path, db: Path, make, kind: str, message: str
) -> None:
    make(db)
    before = db.read_bytes() if db.exists() else None
    where = target(kind, db, tmp_path, monkeypatch)
    code, _, err = run(capsys, "report", "--copy-from", str(db), *where)
    assert_one_line_error(code, err, message)
    assert (db.read_bytes() if db.exists() else None) == before


def test_an_unreachable_store_is_one_line_outside_the_tests_log_capture_too(
    tmp_path: Path, db: Path
) -> None:
    config = tmp_path / "down.yaml"
    config.write_text(f"storage:\n  url: postgresql://footnote@127.0.0.1:{free_port()}/footnote\n")
    argv = ["report", "--config", str(config), "--copy-from", str(db)]
    done = subprocess.run(
        [sys.executable, "-m", "bot", *argv], capture_output=True, text=True, timeout=60
    )
    assert_one_line_error(done.returncode, done.stderr, "footnote: postgresql://", "Connect")
