"""Chinese word segmentation (jieba) against overlapping character pairs, side by side in one
process, on the blind set's dev half only: right and wrong answers, the silence that must hold,
the bundled gate, and what each costs in index build time, latency and memory.

Pairs won (benchmarks/README.md), so the engine reads CJK only as pairs; jieba's readings are
patched in here, in place of the engine's per-word reader, and need the `bench` extra.

    python -m benchmarks.quality.segmentation          # every reading, shipped calibration
    python -m benchmarks.quality.segmentation --refit  # also refitted to each reading (~6 min)
"""

from __future__ import annotations

import argparse
import logging
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from unittest.mock import patch

from bot.cli.evaluation import load_cases
from bot.engine import Matcher
from bot.engine import text as engine_text
from bot.engine.calibration import Calibration
from bot.engine.evaluation import evaluate
from bot.knowledge import KnowledgeBase, load_knowledge

from . import blind, fit

WordReader = Callable[[str, bool], tuple[tuple[str, str], ...]]
"""The engine's reader of one word: its terms, each with how it was spelt."""
READINGS = {
    "pairs (engine)": "",
    "jieba lcut": "lcut",
    "jieba cut_for_search": "search",
    "cut_for_search + pairs of unknown": "search+unknown",
    "lcut + all pairs": "lcut+pairs",
}
"""Each reading measured, with the jieba mode it uses ('' for the engine's own pairs)."""
GATE = Path(__file__).resolve().parents[2] / "tests" / "questions.yaml"
LATENCY_ROUNDS = 5
"""Each Chinese dev question asked this many times, caches of read text emptied before each, so
segmenting the question counts every time, as it does for a question never seen before."""
BUILD_ROUNDS = 3
"""Index builds timed per reading; the median is reported (one build is some 100 ms)."""
SILENT = ("off_topic", "near_miss")
"""The dev categories that must get no answer: a reading that finds more must not state more."""


def load_jieba(cache_dir: str | None = None) -> Any:
    """jieba's tokenizer with its dictionary loaded and its log silenced: it reports loading
    on stderr, and caches the dictionary it built in `cache_dir` (default: the temp folder)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = cache_dir
    tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=1)
def _jieba() -> Any:
    """The tokenizer every reading shares: its dictionary takes about a second to load."""
    return load_jieba()


def jieba_words(run: str, mode: str) -> list[str]:
    """A CJK run as jieba's words: lcut or cut_for_search, plus, if asked, the character pairs
    of what its dictionary lacks (single characters in a row, or a new word it guessed), or
    of the whole run with its stopwords cut out."""
    tokenizer = _jieba()
    found: list[str] = list(
        tokenizer.cut_for_search(run) if mode.startswith("search") else tokenizer.lcut(run)
    )
    if mode.endswith("+unknown"):
        unknown: list[str] = []
        fragment = ""
        for piece in [*found, ""]:
            if len(piece) == 1 and piece not in engine_text.STOPWORDS:
                fragment += piece
                continue
            unknown.append(fragment)
            fragment = ""
            if len(piece) > 2 and not tokenizer.FREQ.get(piece):
                unknown.append(piece)
        found += [
            pair for text in unknown if len(text) > 1 for pair in engine_text._cjk_pairs(text)
        ]
    elif mode.endswith("+pairs"):
        runs = engine_text._CJK_STOPWORD_RUN.split(run)
        found += [
            p for part in runs if part for p in engine_text._cjk_pairs(part) if p not in found
        ]
    return found


def segmenting(mode: str, pairs: WordReader) -> WordReader:
    """A word reader that gives CJK runs jieba's words, stopwords dropped, and reads every other
    word as the engine does."""

    @lru_cache(maxsize=131_072)
    def read(word: str, keep_stopwords: bool) -> tuple[tuple[str, str], ...]:
        if not engine_text.is_cjk(word):
            return pairs(word, keep_stopwords)
        return tuple(
            (piece, piece)
            for piece in jieba_words(word, mode)
            if keep_stopwords or piece not in engine_text.STOPWORDS
        )

    return read


@contextmanager
def reading_cjk(mode: str) -> Iterator[None]:
    """The engine reading CJK runs in a jieba mode ('' for its own pairs) for the duration,
    with no reading of the other way left in its caches."""
    pairs: WordReader = engine_text._word_terms
    reader = segmenting(mode, pairs) if mode else pairs
    forget_readings()
    with patch.object(engine_text, "_word_terms", reader):
        yield
    forget_readings()


def forget_readings() -> None:
    """Empties the engine's caches of read texts and words (the patched reader's, if one is),
    so the next text is read from scratch."""
    engine_text._spelled_terms.cache_clear()
    engine_text._piece_terms.cache_clear()
    engine_text._word_terms.cache_clear()


@dataclass(frozen=True, slots=True)
class Figures:
    """How one reading, with one calibration, fared on the dev half and the gate."""

    chinese_right: int
    chinese_wrong: int
    chinese_best: int
    chinese: int
    stated: dict[str, int]
    silent: dict[str, int]
    gate_accuracy: float
    gate_recall: float


def measure(matcher: Matcher, dev: Sequence[blind.BlindQuestion]) -> Figures:
    """Chinese dev right, wrong and best candidate right; answers stated to off-topic and near
    misses; the gate's top-1 accuracy and abstention recall."""
    chinese = [q for q in dev if q.category == "chinese"]
    right = wrong = best = 0
    for question in chinese:
        answer = matcher.ask(question.text)
        stated_right, stated_wrong = blind.judge(question, answer)
        right += stated_right
        wrong += stated_wrong
        best += bool(answer.candidates) and question.holds(answer.candidates[0].fact)
    stated = {c: sum(matcher.ask(q.text).answered for q in dev if q.category == c) for c in SILENT}
    silent = {c: sum(q.category == c for q in dev) for c in SILENT}
    report = evaluate(matcher, load_cases(GATE, matcher.knowledge))
    return Figures(
        right,
        wrong,
        best,
        len(chinese),
        stated,
        silent,
        report.accuracy,
        report.abstention_recall,
    )


def build_seconds(knowledge: KnowledgeBase) -> float:
    """Median time to index the knowledge from scratch, no term read before."""
    times = []
    for _ in range(BUILD_ROUNDS):
        forget_readings()
        start = time.perf_counter()
        Matcher(knowledge)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def latency_ms(matcher: Matcher, questions: Sequence[str]) -> float:
    """Median time to answer a Chinese question whose text has not been read before."""
    times = []
    for _ in range(LATENCY_ROUNDS):
        for question in questions:
            forget_readings()
            start = time.perf_counter()
            matcher.ask(question)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


JIEBA_COST = """
import sys, time
from benchmarks.quality import segmentation

def peak():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))

before = peak()
start = time.perf_counter()
segmentation.load_jieba(sys.argv[1])
print(time.perf_counter() - start, (peak() - before) / 1024)
"""
"""Run in a fresh process with the engine loaded but not jieba: importing jieba and loading its
dictionary, timed, and the peak resident memory it adds (VmHWM, in KiB, is the process's own,
where ru_maxrss would carry over the parent's across exec)."""


def jieba_cost() -> tuple[tuple[float, float], tuple[float, float]]:
    """(seconds, MiB) that jieba's import and dictionary add in a fresh process: the first
    time, building the dictionary's cache, and then with it."""
    with TemporaryDirectory() as cache_dir:
        return _cost(cache_dir), _cost(cache_dir)


def _cost(cache_dir: str) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", JIEBA_COST, cache_dir], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1])


def refitted(knowledge: KnowledgeBase, chat: list[str]) -> tuple[Calibration, str]:
    """A calibration fitted to the reading in force, and its out-of-fold figures."""
    rows = fit.collect(knowledge, chat)
    summary = fit.summary_share(
        Matcher(knowledge, calibration=fit.UNFITTED), blind.load(half="dev")
    )
    return fit.calibrate(rows, summary, "segmentation benchmark"), fit.cross_validate(rows)


def row(name: str, figures: Figures, build: float, latency: float) -> str:
    """One line of the table."""
    n = figures.chinese
    silent = " / ".join(f"{figures.stated[c]}/{figures.silent[c]}" for c in SILENT)
    return (
        f"| {name} | {figures.chinese_right}/{n} ({figures.chinese_right / n:.1%})"
        f" | {figures.chinese_wrong}/{n} | {figures.chinese_best}/{n}"
        f" ({figures.chinese_best / n:.1%}) | {silent} | {figures.gate_accuracy:.1%}"
        f" / {figures.gate_recall:.1%} | {build * 1000:.0f} ms | {latency:.2f} ms |"
    )


HEADER = (
    "| reading | Chinese right (stated) | Chinese wrong (stated) | best candidate right"
    " | off-topic / near-miss stated | gate top-1 / abstention recall | index build"
    " | median latency |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--refit", action="store_true", help="also refit to each reading")
    args = parser.parse_args(argv)
    knowledge = load_knowledge()
    dev = blind.load(half="dev")
    chinese = [q.text for q in dev if q.category == "chinese"]
    chat = fit._real_chat_dev() if args.refit else []
    shipped: list[str] = []
    refit: list[str] = []
    folds: list[str] = []
    for name, mode in READINGS.items():
        with reading_cjk(mode):
            build = build_seconds(knowledge)
            matcher = Matcher(knowledge)
            latency = latency_ms(matcher, chinese)
            shipped.append(row(name, measure(matcher, dev), build, latency))
            print(shipped[-1], flush=True)
            if args.refit:
                calibration, cv = refitted(knowledge, chat)
                refitted_matcher = Matcher(knowledge, calibration=calibration)
                refit.append(row(name, measure(refitted_matcher, dev), build, latency))
                folds.append(f"{name}: {cv}")
                print(refit[-1], cv, sep="\n", flush=True)
    cold, cached = jieba_cost()
    print("\nWith the shipped calibration:\n" + HEADER + "\n" + "\n".join(shipped))
    if args.refit:
        print("\nRefitted to each reading:\n" + HEADER + "\n" + "\n".join(refit))
        print("\nOut of fold:\n" + "\n".join(folds))
    for when, (seconds, mib) in (("first load", cold), ("cached dictionary", cached)):
        print(f"jieba import and dictionary, {when}: {seconds:.2f} s, {mib:.0f} MiB peak added")


if __name__ == "__main__":
    main()
