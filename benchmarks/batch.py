"""End-to-end throughput of `footnote ask --json` fed questions on stdin, as a batch job sees it.

python -m benchmarks.batch                      # 4,000 questions, 7 runs of each kind, core 0
python -m benchmarks.batch --questions 10000 --runs 11 --core 1
python -m benchmarks.batch --command footnote --command "env PYTHONPATH=OLD python -P -m bot"

Each run starts the real command as a process, so start-up (imports, opening the bundled
knowledge through its cache) counts, as it does for whoever pipes a file of questions in.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ANSWERED_EXITS = (0, 1)
"""`ask --json` exits 1 when some question went unanswered, as off-topic ones do: both mean
every question got its line."""

QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "questions.yaml"
ENDINGS = ("", "?", "??", "!", ".", "?!", "...", " ?")
CASES: tuple[Callable[[str], str], ...] = (str, str.capitalize, str.upper)
"""Distinct questions are the set's questions in other cases and end punctuation: the same words,
so the same work for the matcher, but never a text it has seen, so no cache keyed on it helps."""


def base_questions() -> list[str]:
    """The answer-quality set's questions, written from the article rather than the knowledge."""
    return [item["q"] for item in yaml.safe_load(QUESTIONS.read_text("utf-8"))["questions"]]


def repeated(count: int) -> list[str]:
    """The set's questions over and over, as a bot sees the same popular questions again."""
    questions = base_questions()
    return [questions[n % len(questions)] for n in range(count)]


def distinct(count: int) -> list[str]:
    """`count` questions no two alike, a whole pass over the set per case and ending."""
    questions = base_questions()
    variants = dict.fromkeys(
        variant
        for case in CASES
        for ending in ENDINGS
        for question in questions
        if (variant := case(question.rstrip("?!. ")) + ending).strip()
    )
    if count > len(variants):
        raise SystemExit(f"only {len(variants)} distinct questions; ask for fewer")
    return list(variants)[:count]


def default_command() -> list[str]:
    """The console script installed beside this interpreter, else the module entry point."""
    script = Path(sys.executable).with_name("footnote")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def environment(unbuffered: bool) -> dict[str, str]:
    """This environment, but as an installed program runs: its bytecode cached, and Python's
    output buffered unless asked (container images often set PYTHONUNBUFFERED)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED"}
    }
    return {**env, "PYTHONUNBUFFERED": "1"} if unbuffered else env


def run_once(
    command: list[str], questions: list[str], core: int | None, env: dict[str, str]
) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one `ask --json` over these questions."""
    payload = "".join(f"{question}\n" for question in questions).encode()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        result = subprocess.run(
            [*command, "ask", "--json"],
            input=payload,
            capture_output=True,
            env=env,
            check=False,
            preexec_fn=(lambda: os.sched_setaffinity(0, {core})) if core is not None else None,
        )
    except OSError as error:  # no such program, or not one that runs
        raise SystemExit(f"{shlex.join(command)}: cannot run it: {error.strerror}") from None
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = result.stdout.splitlines()
    if result.returncode not in ANSWERED_EXITS or len(lines) != len(questions):
        raise SystemExit(
            f"{command} failed: exit {result.returncode}, {len(lines)} answers\n"
            f"{result.stderr.decode(errors='replace')}"
        )
    if [json.loads(line)["question"] for line in lines] != questions:
        raise SystemExit(f"{command} answered other questions than it was asked")
    return wall, cpu


def main() -> None:
    """Runs each kind of batch with each command in turn, `--runs` times, and prints medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=4_000, help="questions per run")
    parser.add_argument("--runs", type=int, default=7, help="runs of each kind; medians shown")
    parser.add_argument("--core", type=int, default=0, help="core to pin to; -1: don't pin")
    parser.add_argument(
        "--command",
        action="append",
        help="what runs footnote (repeatable, to compare builds side by side); "
        "default: the installed script",
    )
    parser.add_argument("--unbuffered", action="store_true", help="run with PYTHONUNBUFFERED=1")
    args = parser.parse_args()
    commands = [shlex.split(text) for text in args.command or []] or [default_command()]
    core = args.core if args.core >= 0 and hasattr(os, "sched_setaffinity") else None
    batches = {
        "distinct": distinct(args.questions),
        "repeated": repeated(args.questions),
        "start-up": [],
    }
    env = environment(args.unbuffered)
    for command in commands:  # warm-up: writes bytecode and the knowledge cache
        run_once(command, batches["repeated"], core, env)
    timings: dict[tuple[int, str], list[tuple[float, float]]] = {}
    for _ in range(args.runs):  # interleaved, so a busy spell on the machine hits all alike
        for number, command in enumerate(commands):
            for kind, questions in batches.items():
                timing = run_once(command, questions, core, env)
                timings.setdefault((number, kind), []).append(timing)
    pinned = f"pinned to core {core}" if core is not None else "not pinned"
    output = "unbuffered" if args.unbuffered else "buffered"
    print(f"ask --json, {args.runs} runs each, {pinned}, {output} output; medians")
    for number, command in enumerate(commands):
        print(f"\n{shlex.join(command)}")
        print(f"{'batch':<10}{'questions':>10}{'wall s':>9}{'q/s':>8}{'CPU s':>9}{'q/s CPU':>9}")
        for kind, questions in batches.items():
            wall = statistics.median(w for w, _ in timings[number, kind])
            cpu = statistics.median(c for _, c in timings[number, kind])
            count = len(questions)
            rates = (f"{count / wall:,.0f}", f"{count / cpu:,.0f}") if count else ("", "")
            print(f"{kind:<10}{count:>10,}{wall:>9.3f}{rates[0]:>8}{cpu:>9.3f}{rates[1]:>9}")


if __name__ == "__main__":
    main()
