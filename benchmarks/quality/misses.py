"""`python -m benchmarks.quality.misses`: the blind set's dev half, question by question, for
tuning: what each question got and why, its misses listed, and a file of every decision to
tell two builds apart. It reads the dev half only: the test half is for reporting.

    python -m benchmarks.quality.misses                       # counts and every miss
    python -m benchmarks.quality.misses --author app-users    # one author's (repeatable)
    python -m benchmarks.quality.misses --out before.tsv      # every decision, to compare
    python -m benchmarks.quality.misses --against before.tsv  # only what changed since
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from bot.engine import Answer, AnswerKind, Matcher, Surface

from . import blind


class Outcome(StrEnum):
    """What a question got, judged as the benchmark judges it."""

    RIGHT = "right"
    """Answerable, and stated as known with a right answer."""
    WRONG = "wrong"
    """Answerable, and stated as known with a wrong one."""
    UNANSWERED = "unanswered"
    """Answerable, and not stated ("probably" or nothing)."""
    UNWANTED = "unwanted"
    """Must not be answered, and was stated as known."""
    PROBABLY = "probably"
    """Must not be answered, and got a "probably" reply: unstated, but still a reply."""
    SILENT = "silent"
    """Must not be answered, and got no reply."""


MISSES = (Outcome.WRONG, Outcome.UNANSWERED, Outcome.UNWANTED, Outcome.PROBABLY)
"""The outcomes listed one by one; the rest are only counted."""
COLUMNS = ("category", "author", "outcome", "kind", "confidence", "fact", "reason", "question")
"""The columns of `--out`, one decision a row."""


@dataclass(frozen=True, slots=True)
class Decision:
    """One dev question, what it got and why."""

    question: blind.BlindQuestion
    outcome: Outcome
    kind: str
    confidence: float
    fact: str
    """The best candidate's fact id, stated or not ('' when none)."""
    reason: str

    def row(self) -> dict[str, str]:
        """As a row of `--out`."""
        return {
            "category": self.question.category,
            "author": self.question.author,
            "outcome": self.outcome.value,
            "kind": self.kind,
            "confidence": f"{self.confidence:.4f}",
            "fact": self.fact,
            "reason": self.reason,
            "question": self.question.text,
        }


def outcome(question: blind.BlindQuestion, answer: Answer) -> Outcome:
    """How the benchmark counts an answer to a question."""
    right, wrong = blind.judge(question, answer)
    if question.category in blind.ANSWERABLE:
        return Outcome.RIGHT if right else Outcome.WRONG if wrong else Outcome.UNANSWERED
    if answer.answered:
        return Outcome.UNWANTED
    return Outcome.PROBABLY if answer.kind is AnswerKind.PROBABLE else Outcome.SILENT


def decide(
    matcher: Matcher, questions: Iterable[blind.BlindQuestion], surface: Surface
) -> list[Decision]:
    """Every dev question asked once, and what it got; a test-half question is refused."""
    decisions = []
    for question, answer in blind.run(matcher, list(questions), surface):
        if question.half != "dev":
            raise ValueError(f"the test half is not for tuning: {question.text!r}")
        best = answer.candidates[0].fact.id if answer.candidates else ""
        decisions.append(
            Decision(
                question,
                outcome(question, answer),
                answer.kind.value,
                answer.confidence,
                best,
                answer.reason,
            )
        )
    return decisions


def counts_table(decisions: Sequence[Decision]) -> str:
    """A line per category: how many questions had each outcome."""
    shown = [item for item in Outcome if any(d.outcome is item for d in decisions)]
    lines = ["| category | questions | " + " | ".join(item.value for item in shown) + " |"]
    lines.append("| --- | ---: |" + " ---: |" * len(shown))
    for category in blind.CATEGORIES:
        counts = Counter(d.outcome for d in decisions if d.question.category == category)
        if counts:
            cells = " | ".join(str(counts[item]) for item in shown)
            lines.append(f"| {category} | {sum(counts.values())} | {cells} |")
    return "\n".join(lines)


def miss_lines(decisions: Sequence[Decision]) -> list[str]:
    """Every miss, by outcome, the surest first: what to read when tuning."""
    lines = []
    for kind in MISSES:
        listed = sorted(
            (d for d in decisions if d.outcome is kind), key=lambda d: (-d.confidence, d.fact)
        )
        if listed:
            lines.append(f"\n## {kind.value} ({len(listed)})")
            lines.extend(
                f"{d.confidence:.3f} {d.kind:10} {d.fact or '-':28} {d.question.author:18}"
                f" {d.question.text}" + (f"  [{d.reason}]" if d.reason else "")
                for d in listed
            )
    return lines


def changes(decisions: Sequence[Decision], before: Path) -> list[str]:
    """The questions whose outcome, kind or best fact differs from a file `--out` wrote."""
    with before.open(encoding="utf-8", newline="") as file:
        earlier = {row["question"]: row for row in csv.DictReader(file, delimiter="\t")}
    lines = []
    for decision in decisions:
        old = earlier.get(decision.question.text)
        now = decision.row()
        if old is not None and any(old[key] != now[key] for key in ("outcome", "kind", "fact")):
            lines.append(
                f"{old['outcome']:10} -> {now['outcome']:10} {old['fact'] or '-'} -> "
                f"{now['fact'] or '-'}  {decision.question.author}: {decision.question.text}"
            )
    return lines


def write(decisions: Sequence[Decision], path: Path) -> None:
    """Every decision as a tab-separated row, for `--against` on a later build."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(d.row() for d in decisions)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--author", action="append", help="only this author's questions")
    parser.add_argument("--category", choices=blind.CATEGORIES, help="only this category")
    parser.add_argument(
        "--surface", choices=[s.value for s in Surface], default=Surface.MENTION.value
    )
    parser.add_argument("--out", type=Path, help="write every decision to this file")
    parser.add_argument("--against", type=Path, help="show only what changed since this file")
    args = parser.parse_args(argv)
    from bot.library import open_knowledge

    questions = [
        question
        for question in blind.load(half="dev")
        if (not args.author or question.author in args.author)
        and (not args.category or question.category == args.category)
    ]
    decisions = decide(open_knowledge(), questions, Surface(args.surface))
    print(counts_table(decisions))
    if args.against:
        print("\n".join(changes(decisions, args.against)) or "\nno decision changed")
    else:
        print("\n".join(miss_lines(decisions)))
    if args.out:
        write(decisions, args.out)


if __name__ == "__main__":
    main()
