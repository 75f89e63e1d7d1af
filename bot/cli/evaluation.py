"""`footnote eval`: runs a question set and gates on answer quality."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from bot.cli.commands import CliError, load
from bot.engine.evaluation import (
    Case,
    Reliability,
    Report,
    describe,
    evaluate,
    in_language_share,
)
from bot.knowledge import KnowledgeBase


def load_cases(path: Path, knowledge: KnowledgeBase) -> list[Case]:
    """The question set, checked against the knowledge so a typo in an id is not a silent miss."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CliError(f"{path}: cannot read: {error.strerror or error}") from None
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise CliError(f"{path}: not a readable YAML file ({type(error).__name__})") from None
    entries = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CliError(f"{path}: expected a non-empty 'questions' list")
    return [_case(path, number, entry, knowledge) for number, entry in enumerate(entries, 1)]


def _case(path: Path, number: int, entry: Any, knowledge: KnowledgeBase) -> Case:
    """One entry: {q: text, expect: fact id | {topic: id} | null}."""
    where = f"{path}: question {number}"
    if not isinstance(entry, dict) or not isinstance(entry.get("q"), str) or "expect" not in entry:
        raise CliError(
            f"{where}: expected 'q' (text) and 'expect' (fact id, {{topic: id}} or null)"
        )
    expect = entry["expect"]
    if expect is None:
        return Case(entry["q"])
    if isinstance(expect, str):
        if expect not in knowledge.facts:
            raise CliError(f"{where}: no fact has id {expect!r}")
        return Case(entry["q"], fact_id=expect)
    if isinstance(expect, dict) and isinstance(expect.get("topic"), str):
        if expect["topic"] not in knowledge.topics:
            raise CliError(f"{where}: no topic has id {expect['topic']!r}")
        return Case(entry["q"], topic_id=expect["topic"])
    raise CliError(f"{where}: 'expect' must be a fact id, {{topic: id}} or null")


def print_report(report: Report, language: str | None = None) -> None:
    """Every miss with what came back instead, how well confidence held, then the headline
    figures."""
    for case, answer in report.misses:
        print(f"MISS  {case.question!r}\n      expected {case.expected()}, got {describe(answer)}")
    reliability = report.reliability
    print_reliability(reliability)
    off_topic = len(report.results) - report.answerable
    print(
        f"{len(report.results)} questions ({report.answerable} answerable, {off_topic} off-topic)\n"
        f"top-1 accuracy:        {report.accuracy:.1%}\n"
        f"abstention recall:     {report.abstention_recall:.1%}\n"
        f"abstention precision:  {report.abstention_precision:.1%}\n"
        f"probable replies:      {report.probable}\n"
        f"calibration error:     {reliability.expected_calibration_error:.3f} (ECE)\n"
        f"answers in {language or 'the asking language'}: "
        f"{in_language_share(report, language):.1%} of those stated"
    )


def print_reliability(reliability: Reliability) -> None:
    """Per band of confidence, how many questions, how sure and how often right: a confidence
    that means what it says has the last two equal."""
    print("reliability: mean confidence against the share of best candidates that were right")
    print("confidence   questions  predicted  right")
    for band in reliability.bands:
        figures = (
            f"{band.predicted:>9.3f}  {band.observed:>5.3f}"
            if band.count
            else f"{'-':>9}  {'-':>5}"
        )
        print(f"{band.low:.1f}–{band.high:.1f}    {band.count:>9}  {figures}")


def run(args: argparse.Namespace) -> int:
    """Evaluates and exits 1 when any figure falls below its threshold (or the calibration
    error rises above its own)."""
    matcher = load(args)
    report = evaluate(matcher, load_cases(Path(args.questions), matcher.knowledge), args.surface)
    print_report(report, args.lang)
    gates = [
        ("top-1 accuracy", report.accuracy, args.min_accuracy),
        ("abstention recall", report.abstention_recall, args.min_abstention_recall),
        ("abstention precision", report.abstention_precision, args.min_abstention_precision),
    ]
    failed = [f"{name} {value:.1%} < {floor:.1%}" for name, value, floor in gates if value < floor]
    ece = report.reliability.expected_calibration_error
    if args.max_ece is not None and ece > args.max_ece:
        failed.append(f"expected calibration error {ece:.3f} > {args.max_ece:.3f}")
    for failure in failed:
        print(f"FAILED: {failure}")
    return 1 if failed else 0
