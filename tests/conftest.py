"""Settings every test shares."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres import PostgresServer, find_bindir


@pytest.fixture(autouse=True)
def isolated_knowledge_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    """Keeps tests' knowledge caches out of the user's cache folder and apart from each other."""
    folder = tmp_path_factory.mktemp("knowledge-cache")
    monkeypatch.setenv("FOOTNOTE_CACHE_DIR", str(folder))
    return folder


POSTGRES_FIXTURE = "postgres_server"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session; its tests skip, saying why, without one."""
    bindir, reason = find_bindir()
    if bindir is None:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    server = PostgresServer(bindir)
    try:
        server.start()
        server.create_bot_role()
        yield server
    finally:
        server.remove()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks the tests that need the server, so the summary can say whether they ran."""
    for item in items:
        if POSTGRES_FIXTURE in getattr(item, "fixturenames", ()):
            item.add_marker("postgres")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: runs against a real PostgreSQL server")


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """One line saying whether the PostgreSQL tests ran, so CI shows it even when they skip."""
    counts = {}
    reasons = set()
    for outcome in ("passed", "failed", "skipped"):
        reports = [
            report
            for report in terminalreporter.stats.get(outcome, [])
            if "postgres" in getattr(report, "keywords", {})
        ]
        counts[outcome] = len(reports)
        if outcome == "skipped":
            reasons.update(report.longrepr[-1].removeprefix("Skipped: ") for report in reports)
    if any(counts.values()):
        why = f": {'; '.join(sorted(reasons))}" if reasons else ""
        terminalreporter.write_line(
            f"PostgreSQL tests: {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['skipped']} skipped{why}"
        )
