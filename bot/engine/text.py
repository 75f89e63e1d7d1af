"""Turns any text into comparable terms: case, width, accents, versions and CJK handled once."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import opencc

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_TOKEN = re.compile(rf"[{_CJK}]+|\d+(?:\.\d+)?|[^\W\d_{_CJK}]+")
_ASCII_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)?|[a-z]+")
"""The same tokens for the lower-case ASCII most texts are: plain ranges, twice as fast."""
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_FORMAT = re.compile(
    "[\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
"""Invisible format characters (zero-width, bidi marks, soft hyphens): dropped, so 'ki\u200bmi'
is still 'kimi'; control characters such as tabs and newlines become spaces instead."""
_COMBINING_ACCENTS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
"""The accents that decomposition splits off Latin, Greek and Cyrillic letters ('é' to 'e')."""
_SIMPLIFIED = opencc.OpenCC("t2s")
"""Traditional Chinese to Simplified, character and phrase: '千問' is '千问', so readers in Hong
Kong and Taiwan find the facts phrased in Simplified Chinese (and the reverse)."""

STOPWORDS = frozenset(
    """
    a about actually all also am an and any anyone are as at be been being but by can could
    did do does doing dont for from get got had has have having he hello hey hi how i if in not
    into is it its just know let lol me much many my of on or our please pls plz say says
    she should so some tell than thank thanks that the their them then there these they this
    those to u ur us was we were what whats when where which who whom whose whos why will with
    would yo you your s t d ll re ve m isn wasn doesn didn give show per here anybody
    abt wat wut wht r ya bro guys sup ok okay yeah hmm lmao gonna wanna gotta kinda
    tbh ngl imo imho rn btw fr idk iirc afaik lmk smh bruh yall
    的 了 吗 呢 吧 啊 呀 嘛 是 什么 多少 怎么 怎样 哪个 哪些 请问 一下 几 么 这个 那个
    哪里 哪儿 何时 为什么 如何 主要 具体 到底 究竟 其实 真的 大概 啥 咋 怎么样
    """.split()
)
"""Words that say nothing about which fact is wanted, in English and Chinese (主要, 具体, 到底:
"mainly", "specifically", "on earth", which chat puts anywhere; 啥 and 咋, chat's 什么 and 怎么)."""

CHAT_FILLER = frozenset("anymore like literally basically honestly really lowkey".split())
"""Words chat puts anywhere ("is lmarena trustworthy anymore, like"), left out of questions
only: in a curator's phrasing they are rare and leaving them out there would move every score
of the facts that have them."""

CJK_JOINING_WORDS = frozenset("和 与 跟 或 及 以及 或者 还是".split())
"""'And' and 'or': alone between two names ("qwen和glm") they are a run of their own, which
says nothing of what is asked; inside a run they are left be (和 starts 和平, 与 ends 参与)."""

_CJK_STOPWORD_RUN = re.compile(
    "|".join(sorted((w for w in STOPWORDS if _CJK_RUN.fullmatch(w)), key=len, reverse=True))
)
"""Chinese has no spaces, so its function words are cut out of a run before pairing."""

CHAT_ABBREVIATIONS = {
    "ppl": "people",
    "bc": "because",
    "cuz": "because",
    "tho": "though",
    "thru": "through",
    "smth": "something",
    "sth": "something",
    "msg": "message",
    "info": "information",
    "approx": "approximately",
    "gov": "government",
    "govt": "government",
    "mil": "million",
    "mln": "million",
    "bn": "billion",
    "yr": "year",
    "yrs": "years",
    "mo": "month",
    "hr": "hour",
    "hrs": "hours",
    "min": "minute",
    "mins": "minutes",
    "perf": "performance",
    "dev": "developer",
    "devs": "developers",
}
"""Chat shorthand read as the word it stands for, before stemming."""

OVERVIEW_WORDS = frozenset(
    """
    overview summary summarize summarise info information explain describe intro introduce
    introduction details detail anything something thing things 介绍 简介 概述
    vs versus compare compared comparison difference differences between
    """.split()
)
"""Words that ask for a whole topic rather than one fact ("tell me about X")."""


def alternation(words: Iterable[str]) -> str:
    """The words as one regex group that matches where they joined longest first would, with
    shared beginnings written once ("how (?:many|much)"): the regex engine then compares each
    letter once per place instead of once per word: reading the question words of 100,000
    facts took 0.71 s where the plain alternation took 1.26 s."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for character in word:
            node = node.setdefault(character, {})
        node[_WORD_END] = {}
    return f"(?:{_trie_pattern(trie) or '(?!)'})"


_WORD_END = ""
"""Marks where a word ends in `alternation`'s trie: no character is empty."""


def _trie_pattern(node: dict[str, Any]) -> str:
    """A trie node as a pattern: each branch's run of single letters as one literal, and longer
    words tried before the one ending here, as a longest-first alternation tries them."""
    branches = []
    for character, child in sorted(node.items()):
        if character == _WORD_END:
            continue
        literal = character
        while len(child) == 1 and _WORD_END not in child:
            ((following, child),) = child.items()
            literal += following
        branches.append(re.escape(literal) + _trie_pattern(child))
    if not branches:
        return ""
    if _WORD_END in node:
        return f"(?:{'|'.join(branches)})?"
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


def whole_word_matches(pattern: re.Pattern[str], text: str) -> Iterator[str]:
    """The matches of a pattern that start and end a word (it must end with (?!\\w)).

    The start is checked here: a look-behind at the front of the pattern stops the regex engine
    from skipping ahead to the letters a match can begin with, making it some 20 times slower.
    """
    for match in pattern.finditer(text):
        if starts_a_word(text, match.start()):
            yield match.group()


def starts_a_word(text: str, start: int) -> bool:
    """Whether a match at this place in the text starts a word."""
    return not start or not (text[start - 1].isalnum() or text[start - 1] == "_")


def has_whole_word(pattern: re.Pattern[str], text: str) -> bool:
    """Whether `whole_word_matches` finds any: the first match, which most texts with any
    have, is searched for at C speed, and the matches' generator is walked only past one that
    starts inside a word."""
    found = pattern.search(text)
    if found is None:
        return False
    return starts_a_word(text, found.start()) or any(whole_word_matches(pattern, text))


def clean(text: str) -> str:
    """Text with width, case, accents and invisible characters folded away, and Traditional
    Chinese read as Simplified, for display-free use."""
    if text.isascii():
        if not text.isprintable():
            text = _ASCII_CONTROL.sub(" ", text)
        text = text.lower()
        return _THOUSANDS.sub("", text) if "," in text else text
    text = _FORMAT.sub("", _CONTROL.sub(" ", unicodedata.normalize("NFKC", text)))
    decomposed = unicodedata.normalize("NFD", text.casefold())
    text = unicodedata.normalize("NFC", _THOUSANDS.sub("", _COMBINING_ACCENTS.sub("", decomposed)))
    return _simplified(text) if has_cjk(text) else text


def squashed(text: str) -> str:
    """A text cleaned without spaces and hyphens, as two spellings of a name compare: "GPT-4"
    holds "gpt4", "Kimi-K2.6" is "Kimi K2.6"."""
    return _SPACES_AND_HYPHENS.sub("", clean(text))


_SPACES_AND_HYPHENS = re.compile(r"[\s\-]+")


def _simplified(text: str) -> str:
    """Text in Simplified Chinese, converted until it stays put (OpenCC takes 薴 to 苧, then 苧
    to 苎): cleaning must give the same text however often it is applied."""
    converted = _SIMPLIFIED.convert(text)
    return text if converted == text else _SIMPLIFIED.convert(converted)


def words(text: str) -> list[str]:
    """Raw words: letter runs, numbers with their decimals, and CJK runs, split where they meet."""
    cleaned = clean(text)
    return (_ASCII_TOKEN if cleaned.isascii() else _TOKEN).findall(cleaned)


INFLECTIONS = ("s", "es", "'s", "d", "ed", "ing")
"""Endings that make another form of the same word ("price" and "priced"), where a stem joins
different words too ("aim" and "AIME", "employ" and "employees")."""


def inflected_alike(word: str, other: str) -> bool:
    """Whether two lower-case words are one word in another ending ("company", "companies")."""
    shorter, longer = sorted((word, other), key=len)
    if shorter.endswith("y") and longer == f"{shorter[:-1]}ies":
        return True
    return longer == shorter or any(longer == shorter + ending for ending in INFLECTIONS)


def terms(text: str) -> list[str]:
    """The comparable terms of a text: stemmed words, CJK as overlapping character pairs."""
    return [term for _, term in spelled_terms(text, keep_stopwords=True)]


def content_terms(text: str) -> list[str]:
    """The terms of a text that can tell one fact from another: `spelled_terms` without the
    spellings, read a word at a time (knowledge texts are too varied for a per-text cache).

    Plain ASCII is read a space-separated piece at a time, as no term spans a space and
    cleaning changes no piece by what is around it: 100,000 facts' texts hold 4 million
    pieces but only some 40,000 distinct ones ("nupro-1", "price?"), and each is read once.
    """
    plain = text if text.isascii() else text.translate(_DASHES_APART)
    if plain.isascii():
        return list(itertools.chain.from_iterable(map(_piece_terms, plain.split())))
    cleaned = clean(text)
    if not cleaned.isascii():
        return [term for word in _TOKEN.findall(cleaned) for _, term in _word_terms(word, False)]
    return list(_ascii_terms(cleaned))


_DASHES_APART = str.maketrans("\u2013\u2014", "  ")
"""En and em dashes as spaces: they only ever part words, as a space does, and cleaning leaves
them be, so plain text but for them ("Kimi K2.6 — Developer: Moonshot AI", every card row's
answer) reads as plain text, a piece at a time: 0.27 -> 0.16 s for 38,000 card rows."""
PIECES_KEPT = 4_096
"""Pieces of ASCII text whose terms stay read: the commonest pieces of a large knowledge's
texts, about 1 MB; reading 100,000 facts then misses one piece in 22, no slower in a cold start
than keeping four times as many (13.1-13.4 s against 13.4-14.4 s) and 4.5 MB lighter at its
peak, which the 300 MB target needs."""


@lru_cache(maxsize=PIECES_KEPT)
def _piece_terms(piece: str) -> tuple[str, ...]:
    """The content terms of a piece of ASCII text with no space in it."""
    return tuple(_ascii_terms(clean(piece)))


def _ascii_terms(cleaned: str) -> Iterator[str]:
    """The content terms of cleaned ASCII text."""
    return filter(None, map(_content_term, _ASCII_TOKEN.findall(cleaned)))


def spelled_terms(text: str, *, keep_stopwords: bool = False) -> tuple[tuple[str, str], ...]:
    """Each term with the word it was spelt as, so explanations can quote the question."""
    if len(text) <= _CACHED_TEXT_LENGTH:
        return _spelled_terms(text, keep_stopwords)
    return _spelled_terms.__wrapped__(text, keep_stopwords)


_CACHED_TEXT_LENGTH = 80
"""Short texts (keywords, aliases, typical questions) repeat often enough to cache."""


@lru_cache(maxsize=8_192)
def _spelled_terms(text: str, keep_stopwords: bool) -> tuple[tuple[str, str], ...]:
    result: list[tuple[str, str]] = []
    for word in words(text):
        result.extend(_word_terms(word, keep_stopwords))
    return tuple(result)


@lru_cache(maxsize=131_072)
def _word_terms(word: str, keep_stopwords: bool) -> tuple[tuple[str, str], ...]:
    """One word's terms: far fewer distinct words than texts, so this is what caching pays for."""
    if word.isascii() or not _CJK_RUN.fullmatch(word):
        pieces = [(word, _term_of(word))]
    elif word in CJK_JOINING_WORDS and not keep_stopwords:
        return ()
    else:
        runs = [word] if keep_stopwords else _CJK_STOPWORD_RUN.split(word)
        pieces = [(pair, pair) for run in runs if run for pair in _cjk_pairs(run)]
    return tuple(piece for piece in pieces if keep_stopwords or piece[0] not in STOPWORDS)


@lru_cache(maxsize=131_072)
def _content_term(word: str) -> str:
    """A Latin-script word's term, or '' for a stopword: one call a word on the hot path."""
    return "" if word in STOPWORDS else _term_of(word)


def _term_of(word: str) -> str:
    """The term a Latin-script word stands for: chat shorthand spelt out, then stemmed."""
    return stem(CHAT_ABBREVIATIONS.get(word, word))


def is_cjk(term: str) -> bool:
    """Whether a term is Chinese, Japanese or Korean script, which typos don't apply to."""
    return bool(_CJK_RUN.match(term))


def has_cjk(text: str) -> bool:
    """Whether a text holds any Chinese, Japanese or Korean script."""
    return not text.isascii() and _CJK_RUN.search(text) is not None


def is_number(term: str) -> bool:
    """Whether a term is a figure, which must match exactly, never as a typo."""
    return term[:1].isdigit()


def is_small_number(term: str) -> bool:
    """Whether a term is a single digit, which on its own identifies almost nothing."""
    return len(term) == 1 and term.isdigit()


def _cjk_pairs(run: str) -> list[str]:
    """Overlapping character pairs: the usual way to search text that has no spaces."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


_SUFFIXES = (
    ("ies", "y", 3),
    ("ing", "", 3),
    ("ly", "", 4),
    ("ed", "", 3),
    ("es", "e", 3),
    ("s", "", 3),
)
"""Suffixes the stemmer strips, with the shortest stem each may leave."""


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """A light English stemmer, so 'scored', 'scores' and 'scoring' meet at one term."""
    if len(word) < 4 or not word.isascii() or not word.isalpha():
        return word
    for suffix, replacement, shortest in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                continue
            word = word[: -len(suffix)] + replacement
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word
