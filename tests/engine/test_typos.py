"""Which unknown words are read as a slip of a word that says nothing, and so dropped."""

from __future__ import annotations

import pytest

from bot.engine.typos import is_misspelt_stopword


@pytest.mark.parametrize("word", ["hve", "waht", "somthing", "smth", "whta"])
def test_slips_of_words_that_say_nothing_are_dropped(word: str) -> None:
    assert is_misspelt_stopword(word)


@pytest.mark.parametrize("word", ["peru", "div", "lima", "uber", "kimi", "grok"])
def test_short_words_a_letter_from_a_stopword_may_be_words_of_their_own(word: str) -> None:
    assert not is_misspelt_stopword(word), "'peru' is not 'per' with a slip"
