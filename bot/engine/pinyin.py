"""Reads pinyin typed for Chinese ("kaiyuan xieyi" for 开源协议) as the Chinese words it spells,
for members who type Chinese on a keyboard without an input method."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from bot.engine.text import STOPWORDS, is_cjk

MIN_PINYIN = 4
"""Letters a pinyin word needs: a single syllable ("shi", "qian") spells too many words."""
SPELLED_LENGTH = 2
"""Chinese terms are character pairs; a pair's toneless pinyin is how it is typed as a word."""


@dataclass(frozen=True, slots=True)
class PinyinReader:
    """A knowledge base's Chinese terms by their toneless pinyin, spelled when the index is
    built and kept in its cache: loading the pinyin dictionary takes a tenth of a second,
    which a start from the cache, or knowledge without Chinese, never pays."""

    terms_by_word: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each pinyin word with the character pairs it spells."""
    function_words: frozenset[str] = frozenset()
    """The pinyin of Chinese function words ("duoshao" for 多少), which say as little."""

    @classmethod
    def spelling(cls, vocabulary: Collection[str]) -> PinyinReader:
        """Each character pair's pinyin, without tones, with every pair spelled so, and the
        pinyin of the Chinese function words of two characters or more."""
        pairs = sorted(t for t in vocabulary if len(t) == SPELLED_LENGTH and is_cjk(t))
        if not pairs:
            return cls()
        from pypinyin import Style, lazy_pinyin  # here: only knowledge with Chinese loads it

        def spelled_as(text: str) -> str:
            syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
            return "".join(syllables) if len(syllables) == len(text) else ""

        spelled: dict[str, list[str]] = defaultdict(list)
        for pair in pairs:
            if word := spelled_as(pair):
                spelled[word].append(pair)
        function_words = frozenset(
            spelled_as(word) for word in STOPWORDS if len(word) >= SPELLED_LENGTH and is_cjk(word)
        )
        return cls({word: tuple(found) for word, found in spelled.items()}, function_words)

    @classmethod
    def load(cls, state: dict[str, Any]) -> PinyinReader:
        """The spellings `export` wrote."""
        words, terms = state["pinyin_words"], state["pinyin_terms"]
        if len(words) != len(terms):
            raise ValueError("pinyin spellings do not match their terms")
        spelled = {word: tuple(found) for word, found in zip(words, terms, strict=True)}
        return cls(spelled, frozenset(state["pinyin_function"]))

    def export(self) -> dict[str, Any]:
        """The spellings as lists, for a cache to keep."""
        return {
            "pinyin_words": list(self.terms_by_word),
            "pinyin_terms": [list(found) for found in self.terms_by_word.values()],
            "pinyin_function": sorted(self.function_words),
        }

    def terms(self, word: str) -> tuple[str, ...]:
        """The Chinese terms a Latin-script word spells in pinyin, if any."""
        return self.terms_by_word.get(word, ()) if _may_be_pinyin(word) else ()

    def says_nothing(self, word: str) -> bool:
        """Whether a word is the pinyin of a Chinese function word ("shenme", "duoshao")."""
        return _may_be_pinyin(word) and word in self.function_words


def _may_be_pinyin(word: str) -> bool:
    return len(word) >= MIN_PINYIN and word.isascii() and word.isalpha()
