"""Reads pinyin typed for Chinese ("kaiyuan xieyi" for 开源协议) as the Chinese words it spells,
for members who type Chinese on a keyboard without an input method."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from bot.engine.text import STOPWORDS, is_cjk

MIN_PINYIN = 4
"""Letters a pinyin word needs: a single syllable ("shi", "qian") spells too many words."""
SPELLED_LENGTH = 2
"""Chinese terms are character pairs; a pair's toneless pinyin is how it is typed as a word."""


@dataclass(frozen=True, slots=True)
class Spellings:
    """The pinyin of a knowledge base's Chinese."""

    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each pinyin word with the character pairs it spells."""
    function_words: frozenset[str] = frozenset()
    """The pinyin of Chinese function words ("duoshao" for 多少), which say as little."""


class PinyinReader:
    """The knowledge's Chinese terms by their toneless pinyin, spelled on first use: the
    dictionary takes a tenth of a second to load, which knowledge without Chinese never pays."""

    def __init__(self, vocabulary: Collection[str]) -> None:
        self._vocabulary = vocabulary
        self._spellings: Spellings | None = None

    def terms(self, word: str) -> tuple[str, ...]:
        """The Chinese terms a Latin-script word spells in pinyin, if any."""
        return self._spelled().terms.get(word, ()) if _may_be_pinyin(word) else ()

    def says_nothing(self, word: str) -> bool:
        """Whether a word is the pinyin of a Chinese function word ("shenme", "duoshao")."""
        return _may_be_pinyin(word) and word in self._spelled().function_words

    def _spelled(self) -> Spellings:
        if self._spellings is None:
            self._spellings = _spell(self._vocabulary)
        return self._spellings


def _may_be_pinyin(word: str) -> bool:
    return len(word) >= MIN_PINYIN and word.isascii() and word.isalpha()


def _spell(vocabulary: Collection[str]) -> Spellings:
    """Each character pair's pinyin, without tones, with every pair spelled so, and the pinyin
    of the Chinese function words of two characters or more."""
    pairs = sorted(term for term in vocabulary if len(term) == SPELLED_LENGTH and is_cjk(term))
    if not pairs:
        return Spellings()
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
    return Spellings({word: tuple(found) for word, found in spelled.items()}, function_words)
