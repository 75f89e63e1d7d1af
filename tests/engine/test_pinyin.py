"""Pinyin typed for Chinese is read as the Chinese words it spells, and costs nothing without."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot.engine import AnswerKind, Matcher
from bot.engine.pinyin import PinyinReader
from bot.library import open_knowledge


def test_a_pair_is_found_by_its_toneless_pinyin() -> None:
    reader = PinyinReader.spelling({"开源", "协议", "会员", "月", "license"})
    assert reader.terms("kaiyuan") == ("开源",)
    assert reader.terms("xieyi") == ("协议",)
    assert reader.terms("yue") == (), "one syllable spells too many words"
    assert reader.terms("license") == ()


def test_the_pinyin_of_a_chinese_function_word_says_nothing() -> None:
    reader = PinyinReader.spelling({"开源"})
    assert reader.says_nothing("duoshao") and reader.says_nothing("shenme")
    assert not reader.says_nothing("kaiyuan")


def test_knowledge_without_chinese_never_loads_the_dictionary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pypinyin", None)  # importing it would fail
    assert PinyinReader.spelling({"license", "open", "source"}).terms("kaiyuan") == ()


def test_a_start_from_the_cache_needs_no_dictionary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_knowledge(cache_dir=tmp_path)
    monkeypatch.setitem(sys.modules, "pypinyin", None)  # importing it would fail
    answer = open_knowledge(cache_dir=tmp_path).ask("glm kaiyuan xieyi")
    assert answer.fact is not None and answer.fact.id == "glm-mit-license"


def test_spellings_survive_the_cache() -> None:
    reader = PinyinReader.spelling({"开源", "协议"})
    assert PinyinReader.load(reader.export()) == reader


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


@pytest.mark.parametrize(
    ("question", "pinyin"),
    [
        ("glm kaiyuan xieyi", True),  # two words spell Chinese: typed without an input method
        ("zp 的 glm5.1 kaiyuan", True),  # Chinese beside it
        ("doubao api pricing per million tokens", False),  # a name among English words
        ("does kaiyuan mean anything to you guys?", False),  # 开源's pinyin, among English
    ],
)
def test_a_word_is_read_as_pinyin_only_beside_other_chinese(
    bundled: Matcher, question: str, pinyin: bool
) -> None:
    word = next(w for w in ("kaiyuan", "doubao") if w in question)
    unit = next(unit for unit in bundled.reader.read(question).units if unit.typed == word)
    assert unit.unknown is not pinyin
