"""The feedback tests' database, on either backend: the embedded SQLite file and a real
PostgreSQL server, so one contract is tested on both."""

from __future__ import annotations

import sqlite3
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.feedback import FeedbackStore
from tests.postgres import BOT_PASSWORD, PostgresServer


@dataclass
class Database:
    """Where a test's feedback log lives, and a way to look inside it behind the store's back."""

    target: Path | str
    server: PostgresServer | None = None

    @property
    def password(self) -> str | None:
        return BOT_PASSWORD if self.server is not None else None

    def store(
        self, retention_days: int = 90, clock: Callable[[], float] = time.time
    ) -> FeedbackStore:
        return FeedbackStore(self.target, retention_days, clock, password=self.password)

    @property
    def name(self) -> str:
        return urllib.parse.urlsplit(str(self.target)).path.lstrip("/")

    async def rows(self, sql: str) -> list[tuple[Any, ...]]:
        if self.server is None:
            with sqlite3.connect(self.target) as db:
                return db.execute(sql).fetchall()
        admin = await self.server.admin(self.name)
        try:
            return [tuple(row) for row in await admin.fetch(sql)]
        finally:
            await admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database(request, tmp_path: Path) -> Database:
    if request.param == "sqlite":
        return Database(tmp_path / "feedback.db")
    server = request.getfixturevalue("postgres_server")
    return Database(await server.create_database(), server)
