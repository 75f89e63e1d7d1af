"""The processes a large first build spreads its work over, and what happens when they can't
start: the work is done in the build's own process, and the log says why."""

from __future__ import annotations

import logging
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from bot import workers


class BrokenPool:
    """A process pool whose processes died: at once, or after taking the work."""

    def __init__(self, *args: Any, at_once: bool = True, **kwargs: Any) -> None:
        self.at_once = at_once

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        if self.at_once:
            raise BrokenProcessPool("a child process terminated abruptly")
        future: Future[Any] = Future()
        future.set_exception(BrokenProcessPool("a child process terminated abruptly"))
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass


def test_no_process_starts_until_work_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    monkeypatch.setattr(workers, "ProcessPoolExecutor", lambda n, **_: started.append(n))
    monkeypatch.setattr(workers, "usable_cores", lambda: 4)
    with workers.build_workers() as pool:
        assert pool is not None
    assert started == [], "a build with little to do starts nothing"


def test_one_core_gets_no_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "usable_cores", lambda: 1)
    with workers.build_workers() as pool:
        assert pool is None


@pytest.mark.parametrize("at_once", [True, False], ids=["on submit", "after submit"])
def test_a_pool_that_cannot_run_work_leaves_it_to_this_process(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, at_once: bool
) -> None:
    monkeypatch.setattr(workers, "ProcessPoolExecutor", lambda *a, **k: BrokenPool(at_once=at_once))
    pool = workers.LazyPool(2)
    with caplog.at_level(logging.WARNING, logger="bot.workers"):
        assert list(pool.map(pow, [2, 3, 4], [2, 2, 2])) == [4, 9, 16]
    warnings = [r for r in caplog.records if "could not start" in r.getMessage()]
    assert len(warnings) == 1, "said once, however much work was given"


def test_an_error_in_the_work_itself_is_raised_where_the_result_is_asked() -> None:
    future = workers._done(int, ("not a number",), {})
    with pytest.raises(ValueError, match="invalid literal"):
        future.result()


def test_usable_cores_counts_at_least_one() -> None:
    assert workers.usable_cores() >= 1


@pytest.mark.parametrize(
    ("cpu_max", "cores"),
    [("150000 100000\n", 2), ("100000 100000\n", 1), ("max 100000\n", None), ("garbled", None)],
)
def test_a_containers_cpu_quota_counts_as_that_many_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpu_max: str, cores: int | None
) -> None:
    (tmp_path / "cpu.max").write_text(cpu_max)
    monkeypatch.setattr(workers, "CGROUP_V2", tmp_path / "cpu.max")
    assert workers.cgroup_cores() == cores


def test_the_older_control_groups_quota_counts_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quota, period = tmp_path / "quota", tmp_path / "period"
    monkeypatch.setattr(workers, "CGROUP_V2", tmp_path / "absent")
    monkeypatch.setattr(workers, "CGROUP_V1", (quota, period))
    period.write_text("100000\n")
    quota.write_text("-1\n")
    assert workers.cgroup_cores() is None
    quota.write_text("250000\n")
    assert workers.cgroup_cores() == 3


def test_a_quota_of_one_core_starts_no_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "cgroup_cores", lambda: 1)
    assert workers.usable_cores() == 1
    with workers.build_workers() as pool:
        assert pool is None
