"""RESULTS.md holds two commands' figures; rewriting one part must not erase the other."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from benchmarks.report import (
    SOAK_END,
    SOAK_START,
    Row,
    replace_section,
    targets,
    targets_table,
    write_results,
)
from benchmarks.run import _median_of


def test_soak_section_is_replaced_in_place_and_kept_by_the_speed_benchmark(tmp_path: Path):
    path = tmp_path / "RESULTS.md"
    path.write_text(replace_section("# Old results\n", "soak", "## Soak test\n\nfirst\n"))
    path.write_text(replace_section(path.read_text(), "soak", "## Soak test\n\nsecond\n"))
    assert path.read_text().count(SOAK_START) == 1 and "first" not in path.read_text()

    row = Row(1_000, "footnote", 10, 1.0, 2.0, 1.0, 1.0, 0.1, 0.1, None, 50.0, True, {}, None)
    write_results(path, [row], {"Date": "today"}, "benchmarks.run", [], tmp_path / "p.png")
    text = path.read_text()
    assert text.startswith("# Footnote speed-and-scale benchmark")
    assert "# Old results" not in text
    assert f"{SOAK_START}\n## Soak test\n\nsecond\n{SOAK_END}\n" in text


def test_several_runs_become_one_of_their_medians() -> None:
    runs = [
        {
            "load_s": load,
            "build_s": 1.0,
            "warm_s": None,
            "peak_rss_bytes": 10,
            "answers": ["a"],
            "latencies_ms": latencies,
        }
        for load, latencies in ((3.0, [1.0, 9.0]), (1.0, [2.0, 1.0]), (2.0, [3.0, 2.0]))
    ]
    merged = _median_of(runs)
    assert (merged["load_s"], merged["build_s"], merged["warm_s"]) == (2.0, 1.0, None)
    assert merged["latencies_ms"] == [2.0, 2.0]
    assert (merged["answers"], merged["runs"]) == (["a"], 3)


def test_the_cold_start_target_is_taken_on_every_core_and_one_core_is_shown_beside_it() -> None:
    row = Row(100_000, "footnote", 10, 1.0, 2.0, 1.0, 1.0, 5.5, 6.5, 0.7, 250.0, True, {}, None)
    spread = dataclasses.replace(row, cold_s=8.8, first_start_s=10.4, cores=2)
    found = {target.name: target for target in targets([spread])}
    cold = found["Cold start (load + index, 2 cores) at 100,000 facts"]
    first = found["The bot's first start, writing the cache at 100,000 facts"]
    one = found["Cold start on one core (load + index) at 100,000 facts"]
    assert (cold.measured, cold.passed) == ("8.8 s", True)
    assert (first.measured, first.passed) == ("10.4 s", False)
    assert (one.measured, one.goal, one.passed) == ("12.0 s", "– (for comparison)", None)
    assert "| – |" in targets_table([one])
    alone = {target.name: target for target in targets([row])}
    assert alone["Cold start on one core (load + index) at 100,000 facts"].passed is False
