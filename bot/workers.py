"""Processes for the work of a large knowledge's first build that splits across cores:
parsing many files, and reading many facts. The knowledge and engine layers take any
`Executor`; this is the one the library gives them."""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)

MAX_WORKERS = 8
"""Processes at most, however many cores: the build's own process, which takes their results
in order, keeps up with about this many."""


class LazyPool(Executor):
    """A pool of processes started when work is first given to it: most builds (the bundled
    knowledge, a reload after one edit) have too little to give and never start one.

    Processes are spawned, not forked: a bot reloads from a thread while others run, and a
    forked child would inherit their locks. A spawned process imports the main script again,
    so one without the `if __name__ == "__main__":` guard cannot start any: then the work is
    done here, as on one core, and the log says why."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        if not self._broken:
            try:
                if self._pool is None:
                    context = multiprocessing.get_context("spawn")
                    self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
                return _Hedged(self, self._pool.submit(fn, *args, **kwargs), fn, args, kwargs)
            except BrokenProcessPool:
                self.broke()
        return _done(fn, args, kwargs)

    def broke(self) -> None:
        """Notes, once, that the processes could not run the work given them."""
        if not self._broken:
            self._broken = True
            log.warning(
                "worker processes could not start (a script without the main guard?); "
                "building in this process"
            )

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


class _Hedged(Future[T]):
    """A process's result, or the same work done here if the pool broke before giving it."""

    def __init__(
        self,
        pool: LazyPool,
        inner: Future[T],
        fn: Callable[..., T],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        super().__init__()
        self._pool, self._inner, self._work = pool, inner, (fn, args, kwargs)

    def result(self, timeout: float | None = None) -> T:
        try:
            return self._inner.result(timeout)
        except BrokenProcessPool:
            self._pool.broke()
            return _done(*self._work).result()

    def cancel(self) -> bool:
        return self._inner.cancel()


def _done(fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Future[T]:
    """The work done here, as a finished future (an error it raises is raised when asked)."""
    done: Future[T] = Future()
    try:
        done.set_result(fn(*args, **kwargs))
    except BaseException as error:  # handed to whoever asks for the result, as a pool would
        done.set_exception(error)
    return done


def usable_cores() -> int:
    """The cores this process may run on (its affinity, where the OS tells), else all; fewer
    when a container's CPU quota allows fewer (`docker run --cpus 1` leaves every core in
    the affinity, and eight processes would then only take turns)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    quota = cgroup_cores()
    return max(1, min(cores or 1, quota if quota is not None else cores or 1))


CGROUP_V2 = Path("/sys/fs/cgroup/cpu.max")
CGROUP_V1 = (
    Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"),
    Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us"),
)


def cgroup_cores() -> int | None:
    """The cores a Linux control group's CPU quota amounts to, rounded up; None with no quota
    (or none readable)."""
    try:
        if CGROUP_V2.exists():
            quota, period = CGROUP_V2.read_text().split()[:2]
        else:
            quota, period = (path.read_text().strip() for path in CGROUP_V1)
        if quota in ("max", "-1"):
            return None
        return math.ceil(int(quota) / int(period))
    except (OSError, ValueError, ZeroDivisionError):
        return None


@contextmanager
def build_workers() -> Iterator[Executor | None]:
    """Processes for one build, one per usable core up to MAX_WORKERS, stopped after it; none
    on a single core, where they would only take turns with the build."""
    cores = usable_cores()
    if cores < 2:
        yield None
        return
    pool = LazyPool(min(cores, MAX_WORKERS))
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)
