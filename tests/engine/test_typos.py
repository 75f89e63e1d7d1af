"""Which unknown words are read as slips, of which words, and which are words of their own."""

from __future__ import annotations

import pytest

from bot.engine import typos
from bot.engine.text import stem, terms
from bot.engine.typos import (
    SoundAlike,
    TypoCorrector,
    is_common_word,
    is_misspelt_stopword,
    question_word_meant,
)
from tests.engine.bundled import bundled_matcher


@pytest.mark.parametrize("word", ["hve", "waht", "somthing", "smth", "whta"])
def test_slips_of_words_that_say_nothing_are_dropped(word: str) -> None:
    assert is_misspelt_stopword(word)


@pytest.mark.parametrize("word", ["peru", "div", "lima", "uber", "kimi", "grok"])
def test_short_words_a_letter_from_a_stopword_may_be_words_of_their_own(word: str) -> None:
    assert not is_misspelt_stopword(word), "'peru' is not 'per' with a slip"


VOCABULARY = ["user", "left", "cost", "fast", "price", "model"]


@pytest.mark.parametrize("word", ["uber", "lyft", "cast", "fist"])
def test_a_changed_letter_in_a_short_word_is_another_word(word: str) -> None:
    assert TypoCorrector(VOCABULARY).candidates(word) == []


@pytest.mark.parametrize(
    ("word", "meant"),
    [
        ("cots", "cost"),
        ("lfet", "left"),
        ("lrft", "left"),  # r is beside e
        ("users", "user"),
        ("prise", "price"),
        ("modle", "model"),
    ],
)
def test_a_swapped_dropped_added_or_neighbouring_letter_is_a_slip(word: str, meant: str) -> None:
    assert TypoCorrector(VOCABULARY).candidates(word)[0][0] == meant


NAME_WORDS = ["qwen", "kimi", "glm", "minimax"]


@pytest.mark.parametrize(
    ("word", "meant"),
    [("quen", ["qwen"]), ("kimmy", ["kimi"]), ("kimy", ["kimi"]), ("minimacks", [])],
)
def test_a_name_spelt_by_ear_is_read_as_the_name(word: str, meant: list[str]) -> None:
    assert SoundAlike(NAME_WORDS).candidates(word) == meant


@pytest.mark.parametrize("word", ["gml", "lgm", "qwen", "dimmy"])
def test_short_words_the_name_itself_or_another_first_letter_are_not_read_as_a_name(
    word: str,
) -> None:
    assert SoundAlike(NAME_WORDS).candidates(word) == []


@pytest.mark.parametrize(
    ("word", "meant"),
    [("wich", "which"), ("whcih", "which"), ("waht", "what"), ("wehn", "when"), ("three", "")],
)
def test_a_slip_of_a_question_word_is_read_as_it_and_nothing_else_is(word: str, meant: str) -> None:
    assert question_word_meant(word) == meant


@pytest.mark.parametrize("word", ["bunch", "found", "taken", "against", "touching"])
def test_common_english_words_are_known_as_words(word: str) -> None:
    assert all(is_common_word(term) for term in terms(word))


@pytest.mark.parametrize("word", ["bnuch", "horus", "cheep", "repo", "kimi", "glm"])
def test_slips_rare_words_and_names_are_not_common_words(word: str) -> None:
    assert not any(is_common_word(term) for term in terms(word))


def test_a_common_word_is_read_as_typed_and_a_slip_as_the_word_meant() -> None:
    reader = bundled_matcher().reader
    bunch = reader.read("who has the longest context window of the bunch").units[-1]
    assert (bunch.typed, bunch.meanings) == ("bunch", {})  # not "bench" of "terminal bench"
    assert "bench" in reader.read("whats teh terminal bnech score").units[-2].meanings
    assert reader.mended("of the bunch") == "of the bunch"


def test_an_unreadable_word_list_reads_common_words_as_slips_again(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(typos, "_WORD_COUNTS", ("spellchecker", "resources/none.json.gz"))
    typos.COMMON_WORDS.forget()
    try:
        assert not is_common_word("bunch")
        assert "English word list unreadable" in caplog.text
    finally:
        typos.COMMON_WORDS.forget()


@pytest.mark.parametrize(
    ("word", "made_from"),
    [("slowest", "slow"), ("highest", "high"), ("investor", "invest"), ("beginner", "begin")],
)
def test_a_common_word_made_from_a_known_term_is_read_as_that_term(
    word: str, made_from: str
) -> None:
    assert bundled_matcher().reader.meanings(stem(word)) == {made_from: 0.8}


@pytest.mark.parametrize("word", ["listening", "against", "service", "minimum", "unity"])
def test_a_common_word_that_only_starts_like_a_known_term_is_not_read_as_it(word: str) -> None:
    assert bundled_matcher().reader.meanings(stem(word)) == {}


@pytest.mark.parametrize(("word", "meant"), [("trainign", "train"), ("benchmarkign", "benchmark")])
def test_a_known_term_with_a_mangled_ending_is_read_as_the_term(word: str, meant: str) -> None:
    assert meant in bundled_matcher().reader.meanings(stem(word))


def test_a_known_term_run_on_into_other_letters_is_not_read_as_the_term() -> None:
    assert bundled_matcher().reader.meanings(stem("chatgpt")) == {}, "no 'chat' + slipped ending"
