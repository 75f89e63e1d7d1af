"""What the bot sent the fake, kept for assertions, and the faults a test arranges in advance."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class RecordedFile:
    """One uploaded file from a multipart request."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    """One REST request as Discord would have seen it, with the answer the fake gave."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[RecordedFile]
    headers: dict[str, str]
    token_ok: bool | None
    status: int
    response: Any
    unhandled: bool = False
    interaction_id: int | None = None

    def __str__(self) -> str:
        """A one-line summary for assertion messages."""
        return f"{self.method} {self.path} -> {self.status}"


@dataclass
class Fault:
    """An error the fake will answer instead of the real handler, for the next matching requests."""

    method: str
    pattern: re.Pattern[str]
    status: int
    retry_after: float
    global_: bool
    times: int
    code: int | None
    message: str | None


class Notifier:
    """Wakes waiters as soon as the fake's state changes; they also re-check every POLL seconds,
    for conditions on the client's side that the fake cannot see change."""

    POLL = 0.05

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wakes everyone waiting now; later waiters wait for the next change."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(
        self, predicate: Callable[[], T | None], *, timeout: float, describe: Callable[[], str]
    ) -> T:
        """Returns the predicate's first truthy result, or fails the test after timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(describe())
            try:
                await asyncio.wait_for(self._event.wait(), min(remaining, self.POLL))
            except TimeoutError:
                continue


class RequestLog:
    """Every REST request in arrival order, and the queue of faults still to inject."""

    def __init__(self, notifier: Notifier) -> None:
        self.requests: list[RecordedRequest] = []
        self._faults: list[Fault] = []
        self._claimed: set[int] = set()
        self._notifier = notifier

    def add(self, record: RecordedRequest) -> None:
        """Keeps a finished request and wakes waiters."""
        self.requests.append(record)
        self._notifier.notify()

    def add_fault(self, fault: Fault) -> None:
        """Queues a fault; faults are matched in the order they were added."""
        self._faults.append(fault)

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first pending fault for this request, used up by one."""
        for fault in self._faults:
            if fault.method == method and fault.pattern.fullmatch(path):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    async def wait_for(
        self,
        method: str,
        path_regex: str,
        *,
        predicate: Callable[[RecordedRequest], bool] | None,
        status: int | None,
        timeout: float,
    ) -> RecordedRequest:
        """The earliest matching request not yet returned by an earlier wait, waiting if needed."""
        pattern = re.compile(path_regex)

        def find() -> RecordedRequest | None:
            for index, record in enumerate(self.requests):
                if (
                    index not in self._claimed
                    and record.method == method.upper()
                    and pattern.fullmatch(record.path)
                    and (status is None or record.status == status)
                    and (predicate is None or predicate(record))
                ):
                    self._claimed.add(index)
                    return record
            return None

        def describe() -> str:
            seen = "\n  ".join(str(r) for r in self.requests) or "(none)"
            return f"no {method} {path_regex} within {timeout}s; requests so far:\n  {seen}"

        return await self._notifier.wait_until(find, timeout=timeout, describe=describe)
