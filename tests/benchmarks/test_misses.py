"""The dev half's misses, question by question: judged as the benchmark judges, never the test
half, and two builds told apart by the file one of them wrote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.quality import blind
from benchmarks.quality.misses import Outcome, changes, counts_table, decide, outcome, write
from bot.engine import Answer, AnswerKind, Surface
from bot.knowledge import Fact
from tests.engine.bundled import bundled_matcher

LICENCE = Fact("glm-licence", "What licence has GLM?", "GLM-5.1 is MIT-licensed.", "src", "glm")
SCORE = Fact("glm-score", "What did GLM score?", "GLM-5.1 scored 58.4.", "src", "glm")


def asked(text: str, category: str, half: str = "dev") -> blind.BlindQuestion:
    pattern = re.compile(r"\bMIT\b") if category in blind.ANSWERABLE else None
    return blind.BlindQuestion(text, category, pattern, "ann", half)


@pytest.mark.parametrize(
    ("category", "answer", "expected"),
    [
        ("casual", Answer("q", AnswerKind.FACT, 0.9, fact=LICENCE), Outcome.RIGHT),
        ("casual", Answer("q", AnswerKind.FACT, 0.9, fact=SCORE), Outcome.WRONG),
        ("casual", Answer("q", AnswerKind.PROBABLE, 0.3, fact=LICENCE), Outcome.UNANSWERED),
        ("off_topic", Answer("q", AnswerKind.FACT, 0.9, fact=LICENCE), Outcome.UNWANTED),
        ("near_miss", Answer("q", AnswerKind.PROBABLE, 0.3, fact=LICENCE), Outcome.PROBABLY),
        ("off_topic", Answer("q", AnswerKind.NONE, 0.0), Outcome.SILENT),
    ],
)
def test_each_answer_is_judged_as_the_benchmark_judges_it(
    category: str, answer: Answer, expected: Outcome
) -> None:
    assert outcome(asked("q", category), answer) is expected


def test_the_test_half_is_refused() -> None:
    with pytest.raises(ValueError, match="not for tuning"):
        decide(bundled_matcher(), [asked("glm licence?", "casual", half="test")], Surface.MENTION)


def test_a_later_build_shows_only_what_changed(tmp_path: Path) -> None:
    questions = [
        asked("what licence is glm 5.1 under", "casual"),
        asked("best pizza?", "off_topic"),
    ]
    decisions = decide(bundled_matcher(), questions, Surface.MENTION)
    assert [d.outcome for d in decisions] == [Outcome.RIGHT, Outcome.SILENT]
    assert "| casual | 1 | 1 | 0 |" in counts_table(decisions)
    before = tmp_path / "before.tsv"
    write(decisions, before)
    assert changes(decisions, before) == []
    edited = before.read_text(encoding="utf-8").replace("\tright\t", "\tunanswered\t")
    before.write_text(edited, encoding="utf-8")
    (changed,) = changes(decisions, before)
    assert changed.startswith("unanswered -> right") and "what licence is glm 5.1 under" in changed
