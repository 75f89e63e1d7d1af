"""The blind question set: every file loads, and the split and the patterns stay sound."""

from __future__ import annotations

from collections import Counter

from benchmarks.quality import blind

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
