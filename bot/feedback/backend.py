"""What the feedback store asks of a database, so SQLite and PostgreSQL are one contract."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

Statement = tuple[str, tuple[Any, ...]]
"""One SQL statement in the shared dialect (`?` placeholders, standard SQL) and its values;
each backend translates the dialect in one place of its own."""
Job = Callable[[], Sequence[Statement]]
"""A write's statements, built once the backend is connected (and so holds the pseudonym key),
then run in one transaction."""
Status = Callable[[Exception | None], None]
"""Told after every job whether the database took it, so availability is known and logged."""


class FeedbackUnavailable(Exception):
    """The database cannot be written; the bot goes on answering without it."""


class Backend(Protocol):
    """A database holding the feedback log: its writes, its reads and the pseudonym key."""

    where: str
    """What to name in logs and errors: a file, or a URL without its password."""
    key: bytes
    """The pseudonym key, empty until the database has been reached once."""

    async def open(self) -> None:
        """Reaches the database, migrates it and runs the start-up job; FeedbackUnavailable if
        it cannot, after which later writes try again by themselves."""

    async def run(self, job: Job) -> list[int]:
        """Runs a job's statements in one transaction; each one's count of rows changed."""

    def send(self, job: Job) -> None:
        """Queues a job no one waits for; its failure is reported like any other's."""

    async def snapshot(self, queries: Sequence[Statement]) -> list[list[tuple[Any, ...]]]:
        """Each query's rows, all read from one consistent state without blocking writers."""

    async def close(self) -> None:
        """Finishes the jobs queued, then lets go of the database."""
