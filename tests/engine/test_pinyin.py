"""Pinyin typed for Chinese is read as the Chinese words it spells, and costs nothing without."""

from __future__ import annotations

import sys

import pytest

from bot.engine import AnswerKind, Matcher
from bot.engine.pinyin import PinyinReader


def test_a_pair_is_found_by_its_toneless_pinyin() -> None:
    reader = PinyinReader({"开源", "协议", "会员", "月", "license"})
    assert reader.terms("kaiyuan") == ("开源",)
    assert reader.terms("xieyi") == ("协议",)
    assert reader.terms("yue") == (), "one syllable spells too many words"
    assert reader.terms("license") == ()


def test_the_pinyin_of_a_chinese_function_word_says_nothing() -> None:
    reader = PinyinReader({"开源"})
    assert reader.says_nothing("duoshao") and reader.says_nothing("shenme")
    assert not reader.says_nothing("kaiyuan")


def test_knowledge_without_chinese_never_loads_the_dictionary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pypinyin", None)  # importing it would fail
    assert PinyinReader({"license", "open", "source"}).terms("kaiyuan") == ()


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("glm kaiyuan xieyi", "glm-mit-license"),
        ("kimi huiyuan duoshao qian", "kimi-price"),
        ("deepseek xunlian chengben", "deepseek-training-cost"),
    ],
)
def test_bundled_pinyin_questions_find_their_fact(
    bundled: Matcher, question: str, fact: str
) -> None:
    answer = bundled.ask(question)
    assert answer.kind is AnswerKind.FACT
    assert answer.fact is not None and answer.fact.id == fact
