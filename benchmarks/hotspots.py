"""Where Footnote spends its time at one size: cProfile of load, index build and questions.

    python -m benchmarks.hotspots --size 100000 [--queries 200] [--top 25]

Prints the top functions of each phase by own time and the slowest questions, to decide what in
the engine to change; run `python -m benchmarks.run` first so the data exists.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections.abc import Callable
from typing import TypeVar

from benchmarks.datasets import ensure_dataset
from benchmarks.worker import pin_to_one_core
from bot.engine import Matcher
from bot.knowledge import load_knowledge

T = TypeVar("T")


def _profiled(title: str, work: Callable[[], T], top: int) -> T:
    """Runs work under cProfile and prints its top functions by own time."""
    profile = cProfile.Profile()
    started = time.perf_counter()
    result = profile.runcall(work)
    print(f"\n=== {title}: {time.perf_counter() - started:.2f} s under cProfile ===")
    pstats.Stats(profile).strip_dirs().sort_stats("tottime").print_stats(top)
    return result


def main() -> None:
    """Profiles each phase at one size and lists the slowest questions."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hotspots", description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    pin_to_one_core()
    dataset, _ = ensure_dataset(args.seed, args.size, args.queries, 0)
    queries = dataset.test_queries(args.queries)
    knowledge = _profiled("load", lambda: load_knowledge([dataset.knowledge]), args.top)
    matcher = _profiled("index build", lambda: Matcher(knowledge), args.top)
    _profiled("questions", lambda: [matcher.ask(q.question) for q in queries], args.top)
    timings = []
    for query in queries:
        start = time.perf_counter()
        matcher.ask(query.question)
        timings.append((time.perf_counter() - start, query.kind, query.question))
    print("\n=== slowest questions (ms, kind, question) ===")
    for seconds, kind, question in sorted(timings, reverse=True)[:15]:
        print(f"{seconds * 1000:9.1f}  {kind:<20} {question}")


if __name__ == "__main__":
    main()
