"""Real chat: which corpus lines read as questions, and how they are cleaned."""

from __future__ import annotations

import pytest

from benchmarks.quality.realchat import clean, is_question_like, question_like

# Lines exactly as the Chit-Chat corpus holds them.
CORPUS_QUESTIONS = [
    "What about you?",
    "Hey good afternoon! How's it going?",
    "did you happen to serve a mission somewhere",
    "whats your favorite part about the school",
    "Do you think people can control computers or will they break free and take over the world",
    "haha yes, are you?",
]
CORPUS_CHATTER = [
    "Yup.",
    "I like purple",
    "ill be back in a min",
    "2012 was a crazy year",
    "Have a great evening@",
    "and yes Country music is awesome",
]


@pytest.mark.parametrize("line", CORPUS_QUESTIONS)
def test_corpus_questions_read_as_questions(line: str):
    assert is_question_like(line)


@pytest.mark.parametrize("line", CORPUS_CHATTER)
def test_corpus_chatter_does_not(line: str):
    assert not is_question_like(line)


def test_markup_goes_and_each_question_is_kept_once_in_first_order():
    assert clean("and then they are resurrected every time we power them on?\\").endswith("on?")
    assert clean("@pito.bedo") == ""
    assert clean("Cool my dad majored in spanish @ byu") == "Cool my dad majored in spanish @ byu"
    lines = ["How are you?", "Yup.", "how are  you?", "@pito.bedo what's up", "How are you?"]
    assert question_like(lines) == ["How are you?", "what's up"]
