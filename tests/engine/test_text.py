"""The normaliser: every spelling people use for the same thing meets at the same terms."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.engine.text import (
    _ASCII_TOKEN,
    _TOKEN,
    _ascii_terms,
    alternation,
    clean,
    content_terms,
    inflected_alike,
    spelled_terms,
    stem,
    terms,
)


@pytest.mark.parametrize("spelling", ["GLM5.1", "glm 5.1", "GLM-5.1", "Glm_5.1", "ＧＬＭ５．１"])
def test_version_spellings_agree(spelling: str) -> None:
    assert terms(spelling) == ["glm", "5.1"]


def test_case_accents_and_invisible_characters_fold() -> None:
    assert terms("Ｃａｆé\u200b BAR\u202e") == ["caf", "bar"]


def test_thousands_separators_join_and_decimals_stay() -> None:
    assert terms("a 10,000-GPU cluster cost USD 5.57 million") == [
        "a",
        "10000",
        "gpu",
        "cluster",
        "cost",
        "usd",
        "5.57",
        "million",
    ]


def test_cjk_becomes_character_pairs_and_splits_from_latin() -> None:
    assert terms("千问在TerminalBench上") == ["千问", "问在", "terminalbench", "上"]


def test_not_says_nothing_about_which_fact() -> None:
    assert content_terms("is it not open source") == ["open", "sourc"]


def test_and_between_two_names_says_nothing_but_stays_inside_a_word() -> None:
    assert content_terms("qwen和glm价格") == ["qwen", "glm", "价格"]
    assert content_terms("kimi还是minimax") == ["kimi", "minimax"]
    assert content_terms("世界和平") == ["世界", "界和", "和平"]


@pytest.mark.parametrize(
    ("forms", "common"),
    [
        (["score", "scores", "scored", "scoring"], "scor"),
        (["train", "trains", "trained", "training"], "train"),
        (["run", "runs", "running"], "run"),
        (["evolve", "evolves", "evolved", "evolving"], "evolv"),
    ],
)
def test_inflections_meet_at_one_stem(forms: list[str], common: str) -> None:
    assert {stem(form) for form in forms} == {common}


@given(st.text(max_size=300))
def test_any_text_gives_terms_without_blank_ones(text: str) -> None:
    produced = terms(text)
    assert all(term and term == term.strip() for term in produced)
    assert clean(clean(text)) == clean(text)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_tokenizer_splits_exactly_as_the_general_one(text: str) -> None:
    cleaned = clean(text)
    assert _ASCII_TOKEN.findall(cleaned) == _TOKEN.findall(cleaned)


PREFIXED_WORDS = st.lists(
    st.sampled_from(["how", "how many", "how many percent", "ten", "tenfold", "score", "scores"])
    | st.text(alphabet="howmanyperctsfld", min_size=1, max_size=6),
    min_size=1,
).map(set)


@given(
    PREFIXED_WORDS,
    st.lists(
        st.sampled_from(["how", "many", "percent", "tenfold", "ten", "scores", " ", "x", "-"])
    ).map("".join),
)
def test_an_alternation_matches_where_its_words_longest_first_do(
    words: set[str], text: str
) -> None:
    longest_first = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    for ending in ("", r"(?!\w)"):
        expected = [m.span() for m in re.finditer(f"(?:{longest_first}){ending}", text)]
        assert [m.span() for m in re.finditer(alternation(words) + ending, text)] == expected


CHAT_WORDS = st.sampled_from(
    ["the", "What", "ppl", "scores", "GPT-5.5", "1,000", "v4", "说", "—", "–", "1,000—", "a–b"]
)


@given(st.text(max_size=60) | st.lists(CHAT_WORDS | st.text(max_size=3)).map(" ".join))
def test_content_terms_are_the_spelled_terms_without_their_spellings(text: str) -> None:
    assert content_terms(text) == [term for _, term in spelled_terms(text)]


@given(st.text(alphabet=st.sampled_from("aZ5 ,.09\t\n\x0b\x1c\x1f\x00\x7f-s"), max_size=40))
def test_plain_text_read_a_piece_at_a_time_reads_as_the_whole_of_it(text: str) -> None:
    assert content_terms(text) == list(_ascii_terms(clean(text)))


@given(st.text(alphabet=st.sampled_from("aZ5 ,.09\t\x1c-s\u2013\u2014"), max_size=40))
def test_plain_text_with_dashes_reads_as_when_cleaned_whole(text: str) -> None:
    assert content_terms(text) == [term for _, term in spelled_terms(text)]


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("千問", "千问"),
        ("會員多少錢", "会员多少钱"),
        ("萬億參數", "万亿参数"),
        ("Kimi 開發商", "kimi 开发商"),
    ],
)
def test_traditional_chinese_reads_as_simplified(traditional: str, simplified: str) -> None:
    assert clean(traditional) == simplified
    assert terms(traditional) == terms(simplified)


@given(st.text(alphabet=st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF), max_size=8))
def test_cleaning_chinese_twice_changes_nothing_more(text: str) -> None:
    assert clean(clean(text)) == clean(text)


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("Qwen3.7-Max 是在哪里发布的", ["qwen", "3.7", "max", "在", "发布"]),
        ("为什么 kimi 亏钱", ["kimi", "亏钱"]),
        ("kimi 何时上线", ["kimi", "上线"]),
    ],
)
def test_chinese_question_words_say_nothing_about_which_fact(
    question: str, kept: list[str]
) -> None:
    assert content_terms(question) == kept


def test_chinese_filler_words_are_no_terms() -> None:
    assert content_terms("主要强化了哪些能力") == content_terms("强化了哪些能力")
    assert content_terms("到底具体花了多少钱") == content_terms("花了多少钱")
    assert content_terms("千问叫啥名字") == content_terms("千问叫 名字")  # a run cut in two


@pytest.mark.parametrize(
    ("word", "other", "alike"),
    [
        ("employee", "employees", True),
        ("company", "companies", True),
        ("price", "priced", True),
        ("train", "training", True),
        ("aim", "aime", False),  # one stem, two words
        ("employs", "employees", False),
        ("investing", "investment", False),
    ],
)
def test_words_are_alike_only_in_another_ending(word: str, other: str, alike: bool) -> None:
    assert inflected_alike(word, other) is alike
