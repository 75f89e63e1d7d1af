"""Notices between the processes sharing one PostgreSQL server: JSON messages sent with NOTIFY and
heard by a LISTEN on a connection of their own, which reconnects after the server restarts."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import asyncpg

from bot.feedback.postgres import (
    CLOSE_SECONDS,
    CONNECT_SECONDS,
    FAILURES,
    RECONNECT_SECONDS,
    STATEMENT_SECONDS,
    redacted,
)
from bot.tasks import stop_task

log = logging.getLogger(__name__)

PAYLOAD_BYTES = 7_000
"""PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; longer notices are not sent."""

Message = dict[str, Any]


class Notices:
    """Sends and hears the notices of one channel. A listener must stay on one connection, so it
    has its own rather than a pooled one; while that is down, send() says False at once."""

    def __init__(
        self,
        url: str,
        password: str | None,
        channel: str,
        heard: Callable[[Message], None],
        connected: Callable[[], None],
    ) -> None:
        self.where = redacted(url)
        self._url = url
        self._password = password
        self._channel = channel
        self._heard = heard
        self._connected = connected
        self._connection: asyncpg.Connection | None = None
        self._sending = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._failed = False

    @property
    def listening(self) -> bool:
        return self._connection is not None and not self._connection.is_closed()

    def start(self) -> None:
        """Connects and listens in the background, for as long as the process runs."""
        self._task = asyncio.get_running_loop().create_task(self._listen())

    async def close(self) -> None:
        """Stops listening and lets go of the connection."""
        await stop_task(self._task)
        self._task = None
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            try:
                await asyncio.wait_for(connection.close(), CLOSE_SECONDS)
            except (TimeoutError, *FAILURES):
                connection.terminate()

    async def send(self, message: Message) -> bool:
        """NOTIFYs every listener, this one included; False (and one log line) if it cannot."""
        payload = json.dumps(message, ensure_ascii=False)
        if len(payload.encode()) >= PAYLOAD_BYTES:
            log.warning("notice too long to send on %s: %.80s…", self._channel, payload)
            return False
        connection = self._connection
        if connection is None or connection.is_closed():
            return False
        async with self._sending:  # one statement at a time on a connection
            try:
                await connection.execute("SELECT pg_notify($1, $2)", self._channel, payload)
            except FAILURES as error:
                log.warning("could not notify the other processes: %s", error)
                return False
        return True

    async def _listen(self) -> None:
        """Listens, and after the connection is lost or refused tries again; says so once."""
        while True:
            try:
                await self._listen_once()
            except FAILURES as error:
                if not self._failed:
                    log.error("cannot listen for other processes on %s: %s", self.where, error)
                    self._failed = True
                await asyncio.sleep(RECONNECT_SECONDS)

    async def _listen_once(self) -> None:
        """Connects and LISTENs; returns once the connection is lost, a server restart say."""
        lost = asyncio.Event()
        connection = await asyncpg.connect(
            self._url,
            password=self._password,
            timeout=CONNECT_SECONDS,
            command_timeout=STATEMENT_SECONDS,
            server_settings={"application_name": "footnote"},
        )
        try:
            connection.add_termination_listener(lambda _: lost.set())
            await connection.add_listener(self._channel, self._receive)
        except BaseException:
            connection.terminate()
            raise
        self._connection = connection
        self._failed = False
        log.info("listening for other processes on %s", self.where)
        self._connected()
        await lost.wait()
        self._connection = None
        log.warning("lost the connection listening for other processes; connecting again")

    def _receive(self, _: object, __: int, channel: str, payload: str) -> None:
        """Hands a notice on as a JSON object; anything else is one log line."""
        try:
            message = json.loads(payload)
        except ValueError:
            message = None
        if not isinstance(message, dict):
            log.warning("ignored a notice on %s that is not a JSON object: %.80r", channel, payload)
            return
        self._heard(message)
