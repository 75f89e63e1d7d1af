"""`/footnote reload` for every process sharing one PostgreSQL server, each from its own files.

The protocol, JSON notices on one channel (see bot/feedback/notices.py):
- `{"hello": P}` when P starts listening (again, after a lost connection); every other process
  answers `{"here": Q}`, so each knows who else is running. `{"bye": P}` when P stops.
- `{"reload": R, "from": P}` asks every process but P to reload; each answers
  `{"request": R, "process": Q, "digest": …, "ok": …, "problem": …}` with the content hash of
  the knowledge it then serves, or its reload's first problem.
P reloads itself directly, then waits up to ANSWER_SECONDS for every process it knows of. One it
knows that does not answer (killed without a bye, say) is reported, then forgotten until it
says hello again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field

from bot.discordbot.services import ReloadOutcome
from bot.feedback.notices import Message, Notices

log = logging.getLogger(__name__)

CHANNEL = "footnote_reload"
"""Every notice of the protocol; PostgreSQL delivers notices within one database, so processes
writing other databases of the same server never hear these."""
ANSWER_SECONDS = 30.0
"""How long a reload waits for the other processes: a changed knowledge of 100,000 facts takes
about 13 s to load and index on the benchmark machine, and Discord keeps the deferred reply
open for 15 minutes; a hung process is reported as not answering rather than waited for."""
SENDER_KEYS = ("hello", "here", "bye", "from")
"""Where each notice but an answer names the process that sent it."""
PROBLEM_CHARS = 500
"""Enough of a peer's first problem to find it; `footnote check` on its host shows them all."""


def process_name() -> str:
    """This process as the others see it: host and pid, and a token for processes sharing both
    (a restarted container, or the tests' bots in one process)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(2)}"


@dataclass(frozen=True)
class ProcessReload:
    """One process's reload: the knowledge's content hash it serves, or why it kept the old."""

    process: str
    digest: str
    ok: bool
    problem: str = ""


@dataclass(frozen=True)
class Tally:
    """What every process said to one reload, and which known ones said nothing in time."""

    answers: tuple[ProcessReload, ...]
    silent: tuple[str, ...] = ()


def answer_of(process: str, outcome: ReloadOutcome, digest: str) -> ProcessReload:
    """A reload's outcome as a notice carries it."""
    problem = str(outcome.problems[0])[:PROBLEM_CHARS] if outcome.problems else ""
    return ProcessReload(process, digest, outcome.ok, problem)


@dataclass
class _Request:
    """A reload this process asked for: whom it waits on, and who answered."""

    expected: frozenset[str]
    answers: dict[str, ProcessReload] = field(default_factory=dict)
    complete: asyncio.Event = field(default_factory=asyncio.Event)

    def add(self, answer: ProcessReload) -> None:
        """Counts an answer; complete once everyone expected answered."""
        self.answers[answer.process] = answer
        if self.expected <= self.answers.keys():
            self.complete.set()


class ReloadBroadcast:
    """This process's part in reloads that reach every process."""

    def __init__(
        self,
        url: str,
        password: str | None,
        reload: Callable[[], Awaitable[tuple[ReloadOutcome, str]]],
    ) -> None:
        """`reload` reloads this process's knowledge: its outcome, and the digest then served."""
        self.name = process_name()
        self._reload = reload
        self._notices = Notices(url, password, CHANNEL, self._heard, self._connected)
        self._peers: set[str] = set()
        self._requests: dict[str, _Request] = {}
        self._tasks: set[asyncio.Task[object]] = set()

    @property
    def listening(self) -> bool:
        return self._notices.listening

    def start(self) -> None:
        """Listens for the other processes from now on."""
        self._notices.start()

    async def close(self) -> None:
        """Says bye, so no reload waits for this process, then stops listening."""
        await self._notices.send({"bye": self.name})
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._notices.close()

    async def reload_others(self, own: ProcessReload) -> Tally | None:
        """Asks every other process to reload and gathers their answers with this one's; None if
        the others cannot be reached, so the caller says only this process reloaded."""
        request_id = secrets.token_hex(8)
        request = _Request(frozenset({*self._peers, own.process}))
        self._requests[request_id] = request
        try:
            if not await self._notices.send({"reload": request_id, "from": self.name}):
                return None
            request.add(own)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(request.complete.wait(), ANSWER_SECONDS)
        finally:
            del self._requests[request_id]
        silent = tuple(sorted(request.expected - request.answers.keys()))
        self._peers.difference_update(silent)
        return Tally(tuple(request.answers.values()), silent)

    def _connected(self) -> None:
        """Says hello, so the processes already running answer and this one knows them."""
        self._spawn(self._notices.send({"hello": self.name}))

    def _heard(self, message: Message) -> None:
        """Acts on a notice; one that makes no sense is one log line."""
        if "request" in message:
            self._answered(message)
            return
        sender = next((message[key] for key in SENDER_KEYS if key in message), None)
        if not isinstance(sender, str):
            log.warning("ignored a notice from no named process: %.200r", message)
        elif sender == self.name:
            return
        elif "bye" in message:
            self._peers.discard(sender)
        elif "hello" in message or "here" in message:
            self._peers.add(sender)
            if "hello" in message:
                self._spawn(self._notices.send({"here": self.name}))
        elif isinstance(message.get("reload"), str):
            self._peers.add(sender)
            self._spawn(self._reload_for(message["reload"], sender))
        else:
            log.warning("ignored a notice of no known kind: %.200r", message)

    def _answered(self, message: Message) -> None:
        """Counts a process's answer to a reload this process is waiting on."""
        request_id, process = message["request"], message.get("process")
        digest, ok, problem = message.get("digest"), message.get("ok"), message.get("problem", "")
        if not (
            isinstance(request_id, str)
            and isinstance(process, str)
            and isinstance(digest, str)
            and isinstance(ok, bool)
            and isinstance(problem, str)
        ):
            log.warning("ignored a malformed answer to a reload: %.200r", message)
            return
        request = self._requests.get(request_id)
        if request is None:
            return  # another process's request, or one no longer waited on
        self._peers.add(process)
        request.add(ProcessReload(process, digest, ok, problem))

    async def _reload_for(self, request: str, sender: str) -> None:
        """Reloads as another process asked, and tells it how that went."""
        log.info("reload asked for by process %s", sender)
        answer = answer_of(self.name, *await self._reload())
        await self._notices.send(
            {
                "request": request,
                "process": answer.process,
                "digest": answer.digest,
                "ok": answer.ok,
                "problem": answer.problem,
            }
        )

    def _spawn(self, work: Coroutine[object, object, object]) -> None:
        """Runs work a notice asked for in a task of its own; close() cancels what is left."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
