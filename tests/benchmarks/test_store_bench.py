"""The store benchmark's table: the median run of each backend, in the order measured."""

from __future__ import annotations

from benchmarks.store import Run, results_section

MACHINE = {
    "Date": "today",
    "CPU": "cpu",
    "RAM": "ram",
    "Python": "py",
    "Commit": "abc",
    "Load average at start": "0",
}


def test_each_backend_gets_its_median_run_and_every_run_listed() -> None:
    runs = [
        Run("sqlite", 2.0, 100, 100, 0),
        Run("postgres", 2.0, 300, 300, 1),
        Run("sqlite", 2.0, 200, 200, 0),
        Run("postgres", 2.0, 100, 100, 0),
        Run("sqlite", 2.0, 300, 300, 0),
        Run("postgres", 2.0, 200, 200, 0),
    ]
    section = results_section(runs, 4, ["--runs", "3"], MACHINE)
    assert "| sqlite | 200 | 100 | 100 | 0 | 100, 200, 300 |" in section
    assert "| postgres | 200 | 100 | 100 | 1 | 100, 200, 300 |" in section
    assert section.index("| sqlite |") < section.index("| postgres |")
