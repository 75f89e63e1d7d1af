"""Runs the whole benchmark in one go: data, all engines at all sizes, table, RESULTS.md and plot.

python -m benchmarks.run                      # 1,000, 10,000 and 100,000 facts (~25 min)
python -m benchmarks.run --quick              # 1,000 facts, few questions (~10 s)
python -m benchmarks.run --sizes 1000,10000 --queries 500 --seed 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from benchmarks.datasets import DATA_ROOT, Dataset, ensure_dataset
from benchmarks.engines import ENGINES, LABELS
from benchmarks.generate import FACTS_PER_FILE
from benchmarks.machine import describe_machine
from benchmarks.queries import MIX, Query
from benchmarks.report import (
    Row,
    draw_latency,
    results_table,
    targets,
    targets_table,
    write_results,
)
from benchmarks.scoring import accuracy_at_abstention

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = Path(__file__).resolve().parent
LARGE_SIZE = 50_000
"""From this many facts on, the naive baseline costs about a second a question: fewer queries."""


def _parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="Footnote's speed-and-scale benchmark against the usual baselines.",
    )
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="comma-separated fact counts, multiples of 10 (default: %(default)s)",
    )
    parser.add_argument(
        "--queries", type=int, default=1_000, help="test questions per size (default: %(default)s)"
    )
    parser.add_argument(
        "--tuning",
        type=int,
        default=300,
        help="questions in the split that tunes baseline cutoffs (default: %(default)s)",
    )
    parser.add_argument(
        "--large-queries",
        type=int,
        default=200,
        help=f"test and tuning questions at {LARGE_SIZE:,}+ facts, for every engine alike "
        "(default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=7, help="data seed (default: %(default)s)")
    parser.add_argument(
        "--facts-per-file",
        type=int,
        default=FACTS_PER_FILE,
        help="facts in each generated knowledge file, so 1000 puts 100,000 facts in 100 files "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help="comma-separated subset of: " + ", ".join(ENGINES),
    )
    parser.add_argument(
        "--footnote-runs",
        type=int,
        default=3,
        help="fresh processes measuring Footnote at each size; its figures are their medians "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="1,000 facts and 150 questions, written under benchmarks/data/quick/",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="folder for RESULTS.md and latency.png (default: benchmarks/, "
        "or benchmarks/data/quick/ with --quick)",
    )
    return parser


def _log(message: str) -> None:
    """Progress on stderr, so stdout holds only the tables."""
    print(message, file=sys.stderr, flush=True)


def _measure(engine: str, dataset: Dataset, queries: int, tuning: int) -> dict[str, Any]:
    """One engine in a fresh process, so load time is cold and peak memory is its own."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.worker",
        engine,
        str(dataset.root),
        f"--queries={queries}",
        f"--tuning={tuning}",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"worker for {engine} failed (exit {done.returncode}):\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _measure_cold_starts(dataset: Dataset) -> dict[str, Any]:
    """Footnote's starts on every core, in a fresh process of their own (never pinned)."""
    command = [sys.executable, "-m", "benchmarks.worker", "footnote", str(dataset.root)]
    done = subprocess.run([*command, "--cold-starts"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"cold starts failed (exit {done.returncode}):\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


COLD_KEYS = ("cold_s", "first_start_s", "cores")


def _median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several runs of one engine as one: each timing, and each question's latency, is the
    median over the runs, so a moment of contention on a shared machine does not set a figure.
    Answers are the same in every run (the engines are deterministic), so the first run's stand.
    """
    merged = dict(runs[0])
    timed = ("load_s", "build_s", "warm_s", "reload_s", "reload_write_s", "peak_rss_bytes")
    for key in (*timed, *COLD_KEYS):
        values = [run[key] for run in runs if run.get(key) is not None]
        merged[key] = statistics.median(values) if values else None
    merged["latencies_ms"] = [
        statistics.median(times)
        for times in zip(*(run["latencies_ms"] for run in runs), strict=True)
    ]
    merged["runs"] = len(runs)
    return merged


def main(argv: Sequence[str] | None = None) -> None:
    """Measures every engine at every size, then prints and writes the results."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(arguments)
    sizes = [1_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    queries, tuning = (150, 100) if args.quick else (args.queries, args.tuning)
    engines = [name for name in args.engines.split(",") if name]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        raise SystemExit(f"unknown engines: {', '.join(sorted(unknown))}")
    if args.facts_per_file < 1:
        raise SystemExit("--facts-per-file must be at least 1")
    out = args.out or (DATA_ROOT / "quick" if args.quick else BENCHMARKS)
    machine = describe_machine()
    rows: list[Row] = []
    counts: dict[int, tuple[int, int]] = {}
    for size in sizes:
        started = time.perf_counter()
        dataset, generated = ensure_dataset(
            args.seed, size, queries, tuning, facts_per_file=args.facts_per_file
        )
        verb = "generated" if generated else "reused (manifest matches)"
        _log(f"{size:,} facts: data {verb} in {time.perf_counter() - started:.1f} s")
        large = size >= LARGE_SIZE
        counts[size] = (
            min(queries, args.large_queries) if large else queries,
            min(tuning, args.large_queries) if large else tuning,
        )
        test = dataset.test_queries(counts[size][0])
        measured = {}
        for engine in engines:
            started = time.perf_counter()
            runs = args.footnote_runs if engine == "footnote" and not args.quick else 1
            each = [_measure(engine, dataset, *counts[size]) for _ in range(max(runs, 1))]
            if engine == "footnote":
                for run in each:
                    run.update(_measure_cold_starts(dataset))
            measured[engine] = _median_of(each)
            row = Row.of(size, test, measured[engine])
            rows.append(row)
            _log(
                f"  {LABELS[engine]:<26} p50 {row.p50_ms:9.3f} ms  p99 {row.p99_ms:9.3f} ms  "
                f"acc {row.accuracy:6.1%}  abst {row.abstention:6.1%}  "
                f"({time.perf_counter() - started:.0f} s)"
            )
        rows[-len(engines) :] = _with_matched_accuracy(rows[-len(engines) :], test, measured)
    print(results_table(rows))
    print()
    print(targets_table(targets(rows)))
    out.mkdir(parents=True, exist_ok=True)
    plot = out / "latency.png"
    draw_latency(plot, rows)
    command = " ".join(["python -m benchmarks.run", *arguments])
    notes = _notes(counts, machine)
    write_results(out / "RESULTS.md", rows, machine, command, notes, plot)
    raw = DATA_ROOT / f"last-run-seed-{args.seed}.json"
    raw.write_text(json.dumps([asdict(row) for row in rows], indent=1), encoding="utf-8")
    _log(f"wrote {out / 'RESULTS.md'}, {plot} and {raw}")


def _with_matched_accuracy(
    rows: list[Row], test: list[Query], measured: dict[str, dict[str, Any]]
) -> list[Row]:
    """Baseline rows given their best test accuracy at Footnote's abstention or above."""
    ours = next((row for row in rows if row.engine == "footnote"), None)
    if ours is None:
        return rows
    return [
        replace(row, matched_accuracy=accuracy_at_abstention(test, hits, ours.abstention))
        if (hits := measured[row.engine]["hits"]) is not None
        else row
        for row in rows
    ]


def _notes(counts: dict[int, tuple[int, int]], machine: dict[str, str]) -> list[str]:
    """How the figures were taken, for RESULTS.md."""
    per_size = "; ".join(
        f"{size:,} facts: {q:,} test + {t:,} tuning" for size, (q, t) in counts.items()
    )
    mix = ", ".join(f"{kind} {share}%" for kind, share in MIX.items())
    return [
        f"Questions per size ({per_size}). Every engine gets the same questions at a size; at "
        f"{LARGE_SIZE:,}+ facts they are capped because the naive baseline and BM25 take "
        "hundreds of ms to seconds per question. The test questions are a prefix of a shuffled "
        "set, so the mix holds.",
        f"Question mix: {mix}. Off-topic kinds must get no answer.",
        "Latency is the wall time of one call answering one question (`time.perf_counter_ns`), "
        "in one process pinned to one core, after the tuning split was asked once (the baselines "
        "tune their cutoff on it; the others use it as a warm-up). p99 is the nearest-rank "
        "percentile, so on 200 questions it is the second slowest.",
        "Load is `load_knowledge()` over the generated YAML in a fresh process (the files are in "
        "the OS page cache); index build is the engine's constructor. Cold start = load + build. "
        "Warm start is load plus index from the knowledge cache, timed on the second start "
        "in a fresh cache folder (Footnote only). Reload after one edit is the third start with "
        "that cache and what the warm start left reusable, as the bot reloads, of a copy of the "
        "knowledge where one fact's answer in one file changed, timed until the new knowledge "
        "can answer; the cache write that follows it, as the bot writes it after serving, is in "
        "brackets.",
        "Peak RSS is the worker process's VmHWM: interpreter, libraries, knowledge, index and "
        "questions; 1 MB = 10^6 bytes. Each engine and size runs in its own process.",
        "Footnote is measured in several fresh processes per size (`--footnote-runs`, 3 by "
        "default): its load, build, warm start and peak memory are the medians over them, and "
        "each question's latency is its median, before p50 and p99 are taken. The baselines, "
        "which take minutes a run, are measured once.",
        "Speed-ups are ratios of medians taken in the same run, minutes apart, on a shared "
        f"machine (load average at start {machine['Load average at start']}).",
        "A Footnote topic summary counts as an answer; no question here expects one. The "
        "exact-match floor is not a baseline for the quality targets: abstaining on every "
        "unknown string is all it can do.",
    ]


if __name__ == "__main__":
    main()
