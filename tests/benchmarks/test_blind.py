"""The blind question set: every file loads, and the split and the patterns stay sound."""

from __future__ import annotations

import re
from collections import Counter

from benchmarks.quality import blind
from benchmarks.quality.__main__ import author_table
from bot.engine import Answer, AnswerKind
from bot.knowledge import Fact

QUESTIONS = blind.load()


def test_every_file_loads_with_known_categories_and_enough_authors() -> None:
    assert len(QUESTIONS) >= 800
    assert len({q.author for q in QUESTIONS}) >= 4
    assert {q.category for q in QUESTIONS} == set(blind.CATEGORIES)


def test_no_question_is_asked_twice() -> None:
    repeated = [text for text, count in Counter(q.text for q in QUESTIONS).items() if count > 1]
    assert repeated == []


def test_answerable_questions_have_a_pattern_and_the_others_none() -> None:
    for question in QUESTIONS:
        assert (question.expect is not None) == (question.category in blind.ANSWERABLE), question


def test_no_pattern_matches_any_answer() -> None:
    """A pattern that an unrelated answer matches would count every reply as right."""
    unrelated = ("The answer is unknown.", "这是一个回答。", "It is.")
    for question in QUESTIONS:
        if question.expect is not None:
            assert not any(question.is_right(text) for text in unrelated), question.text


def test_each_question_keeps_its_half() -> None:
    assert all(q.half == blind.half_of(q.text) for q in QUESTIONS)
    halves = Counter(q.half for q in QUESTIONS)
    assert abs(halves["dev"] - halves["test"]) < len(QUESTIONS) * 0.1


def test_the_author_table_has_a_line_per_author() -> None:
    def asked(author: str, category: str) -> blind.BlindQuestion:
        pattern = None if category not in blind.ANSWERABLE else re.compile("x")
        return blind.BlindQuestion(f"{author} {category}", category, pattern, author, "test")

    silent = Answer("q", AnswerKind.NONE, 0.0)
    results = [
        (asked("ann", "casual"), silent),
        (asked("ann", "off_topic"), silent),
        (asked("bo", "near_miss"), silent),
    ]
    table = author_table(results).splitlines()
    assert table[2:] == ["| ann | 1 | 0.0% | 1 | 100.0% |", "| bo | 0 | – | 1 | 100.0% |"]


def test_a_comparison_is_right_by_one_fact_or_by_its_facts_side_by_side() -> None:
    def fact(topic: str, answer: str) -> Fact:
        return Fact(f"{topic}-score", f"What did {topic} score?", answer, "digest", topic)

    def stated(*facts: Fact) -> Answer:
        items = tuple(Answer("q", AnswerKind.FACT, 0.9, fact=item) for item in facts)
        return Answer("q", AnswerKind.COMPARISON, 0.9, compared=items)

    def asked(pattern: str) -> blind.BlindQuestion:
        return blind.BlindQuestion("q", "comparison", re.compile(pattern), "ann", "test")

    both = stated(fact("lumen", "Lumen-4 scored 69.7."), fact("tessa", "Tessa 2.5 scored 58.4."))
    assert asked("69\\.7").is_answered_by(both)
    assert asked("69\\.7[\\s\\S]*58\\.4").is_answered_by(both), "both, as a reader sees them"
    assert not asked("61\\.2").is_answered_by(both)
