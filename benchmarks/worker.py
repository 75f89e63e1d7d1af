"""Measures one engine on one data set in a process of its own, so its memory figure is its alone.

`benchmarks.run` starts it as `python -m benchmarks.worker ENGINE DATA_DIR --queries N --tuning M`
(or `footnote DATA_DIR --cold-starts`) and reads the one JSON object it prints.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from benchmarks.datasets import Dataset
from benchmarks.engines import ENGINES, ScoredEngine
from benchmarks.scoring import Cutoff, Hit, apply_cutoff, choose_cutoff
from bot.knowledge import load_knowledge
from bot.library import collector_paused, open_knowledge, open_unkept
from bot.workers import usable_cores

T = TypeVar("T")


def benchmark_core() -> int | None:
    """The core workers run on: the first this process may use, where the OS tells."""
    return min(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None


def pin_to_one_core() -> bool:
    """Runs on one core only, where the OS allows it, so figures are per core on a shared box:
    the first of those it may use, so `taskset -c 1 python -m benchmarks.run` keeps off core 0."""
    core = benchmark_core()
    if core is None or not hasattr(os, "sched_setaffinity"):
        return False
    os.sched_setaffinity(0, {core})
    return True


def peak_rss_bytes() -> int:
    """The process's peak resident memory (VmHWM, or ru_maxrss where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _timed(call: Callable[[str], T], question: str, latencies: list[float]) -> T:
    """Calls an engine on one question, adding the wall time in milliseconds to `latencies`."""
    start = time.perf_counter_ns()
    result = call(question)
    latencies.append((time.perf_counter_ns() - start) / 1e6)
    return result


def cached_starts(dataset: Dataset) -> tuple[float, float, float]:
    """Warm start, reload after one edit and the cache write after that reload, in seconds,
    through `open_unkept` as the bot starts and reloads: from a fresh cache folder, one start
    writes the cache and the timed second one reads it; then one fact's answer in one file
    changes and the timed third start opens the edited copy of the knowledge with that cache
    and what the warm start left reusable, as the bot's reload does, timed until it can
    answer, as the bot then serves it; the write that follows is timed apart."""
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as edited:
        open_knowledge([dataset.knowledge], cache_dir=Path(cache))
        started = time.perf_counter()
        first = open_unkept([dataset.knowledge], cache_dir=Path(cache))
        first.keep()
        warm = time.perf_counter() - started
        knowledge = Path(edited) / "knowledge"
        shutil.copytree(dataset.knowledge, knowledge)
        edit_one_answer(knowledge)
        started = time.perf_counter()
        reloaded = open_unkept([knowledge], cache_dir=Path(cache), previous=first.reusable)
        served = time.perf_counter()
        reloaded.keep()
        return warm, served - started, time.perf_counter() - served


EDITED_ANSWER = re.compile(r"^(  answer: )(?=[A-Za-z])", re.MULTILINE)
"""A fact's plain answer in a generated file: prefixing a word keeps it valid YAML."""


def edit_one_answer(knowledge: Path) -> None:
    """Changes the first plain answer in the middle file, as a curator's small edit would."""
    files = sorted(knowledge.rglob("*.yaml"))
    path = files[len(files) // 2]
    text, count = EDITED_ANSWER.subn(r"\1Newly ", path.read_text(encoding="utf-8"), count=1)
    if count != 1:
        raise SystemExit(f"no plain answer to edit in {path.name}")
    path.write_text(text, encoding="utf-8")


def measure(engine_name: str, dataset: Dataset, queries: int, tuning: int) -> dict[str, Any]:
    """Load, build, tune (or warm up on the tuning split), then time each test question.

    Scored baselines are timed on the bare call (`best`), as the issue specifies it; their cutoff
    is applied afterwards, which also keeps their raw scores for the equal-abstention comparison.
    """
    pinned = pin_to_one_core()
    with collector_paused():  # as open_knowledge loads and builds
        started = time.perf_counter()
        knowledge = load_knowledge([dataset.knowledge])
        loaded = time.perf_counter()
        engine = ENGINES[engine_name](knowledge)
        built = time.perf_counter()
    tuning_set, test_set = dataset.tuning_queries(tuning), dataset.test_queries(queries)
    latencies: list[float] = []
    cutoff: Cutoff | None = None
    hits: list[Hit] | None = None
    if isinstance(engine, ScoredEngine):
        cutoff = choose_cutoff(tuning_set, [engine.best(q.question) for q in tuning_set])
        hits = [_timed(engine.best, q.question, latencies) for q in test_set]
        answers = apply_cutoff(hits, cutoff.value)
    else:
        for query in tuning_set:
            engine.ask(query.question)
        answers = [_timed(engine.ask, q.question, latencies) for q in test_set]
    peak_rss = peak_rss_bytes()
    cached = cached_starts(dataset) if engine_name == "footnote" else None
    return {
        "engine": engine_name,
        "pinned": pinned,
        "load_s": loaded - started,
        "build_s": built - loaded,
        "warm_s": cached[0] if cached else None,
        "reload_s": cached[1] if cached else None,
        "reload_write_s": cached[2] if cached else None,
        "peak_rss_bytes": peak_rss,
        "latencies_ms": latencies,
        "answers": answers,
        "hits": hits,
        "cutoff": None
        if cutoff is None
        else {
            "value": cutoff.value,
            "tuned_accuracy": cutoff.tuned.accuracy,
            "tuned_abstention": cutoff.tuned.abstention,
            "max_accuracy": cutoff.never_abstaining.accuracy,
        },
    }


def cold_starts(dataset: Dataset) -> dict[str, Any]:
    """Footnote's starts with no cache on every core this process may use, as the library
    starts (one process per core parses the files and reads the facts): load plus index, as
    `measure` times them on one core; then the bot's first start, which also writes the cache
    as it goes, until it can answer. With the cores used."""
    with tempfile.TemporaryDirectory() as cache:  # the library pauses the collector itself
        started = time.perf_counter()
        open_knowledge([dataset.knowledge])
        cold = time.perf_counter() - started
        started = time.perf_counter()
        open_unkept([dataset.knowledge], cache_dir=Path(cache))
        first = time.perf_counter() - started
    return {"cold_s": cold, "first_start_s": first, "cores": usable_cores()}


def main() -> None:
    """Parses the command line and prints the measurement as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("engine", choices=list(ENGINES))
    parser.add_argument("data", type=Path, help="a data set folder made by benchmarks.datasets")
    parser.add_argument("--queries", type=int)
    parser.add_argument("--tuning", type=int)
    parser.add_argument(
        "--cold-starts", action="store_true", help="Footnote's starts on every core, no cache"
    )
    args = parser.parse_args()
    if args.cold_starts:
        if args.engine != "footnote":
            parser.error("--cold-starts measures Footnote only")
        print(json.dumps(cold_starts(Dataset(args.data))))
        return
    if args.queries is None or args.tuning is None:
        parser.error("--queries and --tuning are required")
    print(json.dumps(measure(args.engine, Dataset(args.data), args.queries, args.tuning)))


if __name__ == "__main__":
    main()
