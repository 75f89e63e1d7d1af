"""Turns any text into comparable terms: case, width, accents, versions and CJK handled once."""

from __future__ import annotations

import bisect
import collections
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
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


QUESTION_KINDS = {
    "when": "time",
    "何时": "time",
    "什么时候": "time",
    "who": "agent",
    "whom": "agent",
    "whose": "agent",
    "谁": "agent",
    "where": "place",
    "哪里": "place",
    "why": "reason",
    "为什么": "reason",
    "how many": "quantity",
    "how much": "quantity",
    "how long": "quantity",
    "how big": "quantity",
    "how large": "quantity",
    "how often": "quantity",
    "what percentage": "quantity",
    "score": "quantity",
    "scored": "quantity",
    "scores": "quantity",
    "几分": "quantity",
    "多少": "quantity",
    "几个": "quantity",
    "几种": "quantity",
    "几家": "quantity",
    "几倍": "quantity",
    "几小时": "quantity",
    "what day": "day",
    "which day": "day",
    "what date": "day",
    "exact date": "day",
    "precise date": "day",
    "exact day": "day",
    "几号": "day",
    "哪天": "day",
    "哪一天": "day",
    "what rank": "rank",
    "which rank": "rank",
    "what position": "rank",
    "which position": "rank",
    "exact rank": "rank",
    "precise rank": "rank",
    "exact position": "rank",
    "precise position": "rank",
    "第几": "rank",
    "what city": "city",
    "which city": "city",
    "what country": "city",
    "which country": "city",
    "哪个城市": "city",
    "哪座城市": "city",
    "哪个国家": "city",
    "annual": "yearly",
    "annually": "yearly",
    "yearly": "yearly",
    "per year": "yearly",
    "each year": "yearly",
    "年费": "yearly",
    "每年": "yearly",
    "monthly": "monthly",
    "per month": "monthly",
    "each month": "monthly",
    "月费": "monthly",
    "每月": "monthly",
    "每个月": "monthly",
    "by name": "list",
    "name them": "list",
    "name all": "list",
    "list them": "list",
    "list all": "list",
    "list the": "list",
    "which ones": "list",
    "哪些": "list",
    "分别是": "list",
    "哪几": "list",
    "percentage": "percent",
    "what percent": "percent",
    "how many percent": "percent",
    "百分比": "percent",
    "百分之几": "percent",
    "by how many": "margin",
    "by how much": "margin",
    "how many more": "margin",
    "how much more": "margin",
    "how much higher": "margin",
    "how much lower": "margin",
    "how much better": "margin",
    "高了几": "margin",
    "高多少": "margin",
    "高出多少": "margin",
    "多了多少": "margin",
    "多多少": "margin",
    "差了多少": "margin",
    "差多少": "margin",
    "领先多少": "margin",
    "涨了多少": "margin",
    "超了几": "margin",
    "超了多少": "margin",
    "超出多少": "margin",
    "低了多少": "margin",
    "少了多少": "margin",
    "差几": "margin",
    "how much less": "margin",
    "how many fewer": "margin",
    "how much cheaper": "margin",
    "how much faster": "margin",
    "how much longer": "margin",
    "stand for": "expansion",
    "stands for": "expansion",
    "short for": "expansion",
    "full form": "expansion",
    "全称": "expansion",
    "缩写": "expansion",
}
"""Question words that say what kind of answer is wanted: a time, someone, a place, a reason,
a figure, a day of the month, a place in a ranking, a yearly or monthly figure, a percentage,
a margin between two figures, what letters stand for."""
ANSWER_DERIVED_KINDS = frozenset(
    {
        "date",
        "quantity",
        "day",
        "rank",
        "yearly",
        "monthly",
        "percent",
        "margin",
        "expansion",
        "list",
    }
)
"""Kinds a fact gives only if its answer shows them, whatever its phrasings ask: "how many
users does Kimi have?" is no phrasing to trust for an answer with no number, nor "which day"
for one that names only the month."""
DETAIL_KINDS = frozenset(
    {"date", "day", "rank", "city", "yearly", "monthly", "percent", "margin", "expansion", "list"}
)
"""Kinds that ask for more detail than a close answer often has: how often a lab ships is not
when it shipped, the month is not the day, "top 15" is not the place, the summit is not its
city, a monthly price is not the yearly one, "margins near zero" is not a percentage, and
naming "DSA" is not saying what it stands for."""


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


_ASCII_QUESTION_WORD = re.compile(alternation(w for w in QUESTION_KINDS if w.isascii()) + r"(?!\w)")
_CJK_QUESTION_WORD = re.compile(alternation(w for w in QUESTION_KINDS if not w.isascii()))
_PHRASING_KIND_WORDS = [
    word for word, kind in QUESTION_KINDS.items() if kind not in ANSWER_DERIVED_KINDS
]
_ASCII_PHRASING_WORD = re.compile(
    alternation(w for w in _PHRASING_KIND_WORDS if w.isascii()) + r"(?!\w)"
)
_CJK_PHRASING_WORD = re.compile(alternation(w for w in _PHRASING_KIND_WORDS if not w.isascii()))
"""The question words of the kinds a fact's phrasings can give it (a time, someone, a place,
a reason, a city), which `answer_kinds` looks for: they all start with "wh" or a few
characters, where the rest start with most letters. No other question word holds one or
runs into one, so each is found where all the question words would find it, in a tenth of
the time over 100,000 facts' phrasings."""


def whole_word_matches(pattern: re.Pattern[str], text: str) -> Iterator[str]:
    """The matches of a pattern that start and end a word (it must end with (?!\\w)).

    The start is checked here: a look-behind at the front of the pattern stops the regex engine
    from skipping ahead to the letters a match can begin with, making it some 20 times slower.
    """
    for match in pattern.finditer(text):
        if _starts_a_word(text, match.start()):
            yield match.group()


def _starts_a_word(text: str, start: int) -> bool:
    """Whether a match at this place in the text starts a word."""
    return not start or not (text[start - 1].isalnum() or text[start - 1] == "_")


def has_whole_word(pattern: re.Pattern[str], text: str) -> bool:
    """Whether `whole_word_matches` finds any: the first match, which most texts with any
    have, is searched for at C speed, and the matches' generator is walked only past one that
    starts inside a word."""
    found = pattern.search(text)
    if found is None:
        return False
    return _starts_a_word(text, found.start()) or any(whole_word_matches(pattern, text))


_ASKS_A_DATE = re.compile(
    r"\bwhen (?:did|was|were|will|is|are)\b|哪一?年|什么时候(?:发布|上线|推出|出)|何时发布",
    re.IGNORECASE,
)
"""How a question asks when something happened or will ("when did it launch", "哪年发布的"),
which a fact's cadence ("every five months") does not answer, as "how often" would be."""


_ASKS_A_PERCENT = re.compile(r"(?:^|[^\d\s.,])\s*[%％]")
"""A percent sign after no figure asks for one ("gross margin %?", "what % of usage")."""


def asked_kinds(text: str) -> frozenset[str]:
    """The kinds of answer a question asks for, from its question words."""
    kinds = _kinds_asked(text, _ASCII_QUESTION_WORD, _CJK_QUESTION_WORD)
    if _ASKS_A_DATE.search(text):
        kinds |= {"date"}
    if ("%" in text or "％" in text) and _ASKS_A_PERCENT.search(text):
        kinds |= {"percent"}
    return kinds


def _kinds_asked(
    text: str, ascii_words: re.Pattern[str], cjk_words: re.Pattern[str]
) -> frozenset[str]:
    """The kinds of answer a text asks for by the question words of these patterns."""
    lowered = text.lower() if text.isascii() else clean(text)
    asked = list(whole_word_matches(ascii_words, lowered))
    if not lowered.isascii():
        asked += cjk_words.findall(lowered)
    return frozenset(map(QUESTION_KINDS.__getitem__, asked))


_ORDINAL = re.compile(
    r"(?<![\w#])(?:#\s?\d{1,2}|no\.\s?\d{1,2}|\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth"
    r"|fifth|sixth|seventh|eighth|ninth|tenth|last)(?!\w)|第[一二三四五六七八九十\d]+个"
)
"""A place in a sequence: "3rd", "#4", "second", "last", "第三个"."""
_LIST_PLACE = re.compile(
    r"(?<!\w)(?:list|listed|lineup|line-up|rundown|order|slot)(?!\w)|列表|名单|清单|顺序|依次"
)
"""Words that put a place in a list rather than a ranking ("3rd on the list", "名单里第三个");
"第一个" alone is as often "the first ever"."""


def place_in_a_list(text: str) -> str | None:
    """A question asking which item of a list is at a place ("3rd model on the list?"), with
    the place cut out, since no fact says "3rd"; None for any other question ("ranked 3rd").
    Asked of every question, so plain ASCII is only lower-cased, as `asked_kinds` does."""
    lowered = text.lower() if text.isascii() else clean(text)
    if _LIST_PLACE.search(lowered) is None or _ORDINAL.search(lowered) is None:
        return None
    return _ORDINAL.sub(" ", lowered)


_CHOICE = re.compile(r"\b(?:which|who|whose|the one)\b|哪|谁")
"""Words that ask to pick one of several: 'which is cheaper, kimi or minimax?', 'is kimi or glm
the one with…'."""


def asks_to_choose(text: str) -> bool:
    """Whether a question asks which of several things it is, rather than about each."""
    return _CHOICE.search(text.lower()) is not None


_POLITE_FRAME = re.compile(
    r"\b(?:can|could|would|will|do|did|are|r)\s+(?:you|u|ya)\s+"
    r"(?:please\s+)?(?:tell|say|explain|show|give|list|name|identify|summari[sz]e|describe|share"
    r"|remind|confirm|clarify|check|recall|know|have|be able to)\b"
    r"|\b(?:you|u|ya)\s+know\b|\bthank(?:s| you)\b"
    r"|\bhow\s+(?:do|can|could|would|should|will|did)\s+(?:you|u)\b|\bif\s+(?:you|u)\b"
    r"|\b(?:you|u)\s+(?:can|could|need|have to|should|get|want)\b"
)
"""Asking the bot to answer ("can you tell me", "do you know", "thank you"), or "you" meaning
anyone ("how do you run it locally", "if you need a long context"): the question is still
about what follows, not about the one asked."""
_LISTENER = re.compile(r"\b(?:you|your|yours|yourself|you're|youre|you've|ur|u|ya|yall)\b")
"""The person spoken to: a question about them ("what would you do", "what's your rank")."""


def asks_about_the_listener(text: str) -> bool:
    """Whether a question is about whoever it is put to ("what were you studying?") rather than
    about something the knowledge could hold, once polite frames are set aside."""
    lowered = text.lower().replace("’", "'")
    if "y" not in lowered and "u" not in lowered:
        return False
    return _LISTENER.search(_POLITE_FRAME.sub(" ", lowered)) is not None


MONTHS = (
    "january february march april may june july august september october november december"
).split()
_YEAR = re.compile(r"(?:1[89]|20)\d\d(?!\w)")
_ASKED_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|去年|前年|明年|后年")
"""A year a question asks about, by its number or relative to now ("last year"); unlike an
answer's `_YEAR`, it may run on into Chinese ("2024年")."""
_VERSION_ASKED = re.compile(
    r"\b(?:what|which)\s+(?:version|generation|gen|iteration|release)\b|version number"
    r"|版本号|什么版本|哪个版本|哪一版|哪一代|第几代|哪代"
)
"""Words that ask which version of something it is, which only a code answers."""


def asked_years(text: str) -> tuple[str, ...]:
    """The years a question asks about ("back in 2024", "去年"), as written."""
    return tuple(_ASKED_YEAR.findall(clean(text)))


def asks_which_version(text: str) -> bool:
    """Whether a question asks which version or generation something is."""
    return _VERSION_ASKED.search(clean(text)) is not None


_WHICH_NAMED_THING = re.compile(
    r"\bwhich\s+(?:[\w.\-]+\s+){0,2}?(?:models?|labs?|compan(?:y|ies)|chips?|gpus?|accelerators?"
    r"|benchmarks?|leaderboards?|versions?|vendors?|providers?|firms?|startups?|platforms?"
    r"|outlets?|variants?|editions?|products?|brands?|ones)\b"
    r"|哪家|哪款|哪[几一二三四五六七八九十\d]*[个些种款家](?:国际|国外|国产)?(?:模型|公司|厂商|芯片|版本)",
    re.IGNORECASE,
)
"""'Which' of a kind of thing known by name ("which Claude model", "which intl chips", "哪家"):
only a name answers it, where "what chips" may ask what kind."""
_OFFERS_OPTIONS = re.compile(r"\b(?:or|vs|versus)\b|还是|或")
"""A question that offers its own options ("glm-5 or glm-5.1?") is answered by one it names."""


def asks_which_by_name(text: str) -> bool:
    """Whether a question asks which named thing, without offering the options itself."""
    return _WHICH_NAMED_THING.search(text) is not None and not _OFFERS_OPTIONS.search(text.lower())


_MONTH_NAME = alternation(MONTHS)
_MONTH = re.compile(_MONTH_NAME + r"(?!\w)")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_CJK_DATE = re.compile(r"\d\s*[年月]")
_REASON = re.compile(
    alternation(("because", "due to", "thanks to", "owing to", "since", "so that")) + r"(?!\w)"
)
_NUMBER_WORD = re.compile(
    alternation(
        "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty"
        " forty fifty hundred thousand million billion trillion dozen half once twice tenfold"
        " double triple".split()
    )
    + r"(?!\w)"
)
"""A number written out in an answer ("five models", "tenfold")."""
_FIGURE = re.compile(r"\d(?<![a-z\d.,]\d)(?<![a-z]-\d)")
"""Digits that are a figure, not part of a name ("V4", "GLM-5.1", "Qwen3.7"), in lower case:
what is before the digit is looked at once the digit is found, which lets the regex engine
skip to digits (a third less time than looking behind first, at every letter)."""
_CJK_REASONS = ("因为", "由于")


def _gives_date(answer: str) -> bool:
    """Whether a lower-cased answer holds a year, a month or a written-out date.

    Each form is tried only where it can occur (a dash, non-ASCII text, a month's name): one
    pattern for all of them tried every form at nearly every letter.
    """
    return (
        has_whole_word(_YEAR, answer)
        or ("-" in answer and _ISO_DATE.search(answer) is not None)
        or (not answer.isascii() and _CJK_DATE.search(answer) is not None)
        or (any(map(answer.__contains__, MONTHS)) and has_whole_word(_MONTH, answer))
    )


_DAY_BY_MONTH = re.compile(
    rf"{_MONTH_NAME}\s+\d{{1,2}}(?!\d)|(?<!\d)\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAME}"
)
"""A day with its month's name: "May 12", "12 May"."""
_CJK_DAY = re.compile(r"\d\s*[日号]")
"""A day in Chinese: "5月12日"."""
_RANK_FIGURE = re.compile(r"(?<![\w.])(?:\d+(?:st|nd|rd|th)|#\s?\d+|no\.\s?\d+)(?!\w)")
"""A place in a ranking as a figure: "12th", "#1", "no. 3"."""
_RANK_FIGURE_HINT = re.compile(r"\d(?:st|nd|rd|th)|#\s?\d|no\.\s?\d")
"""What every match of `_RANK_FIGURE` holds, found without its look-behind, which makes the
regex engine try every letter: most answers have none, and are done at once."""
_RANK_WORDS = re.compile(
    r"(?:first|second|third|fourth|fifth|top|last)\s+(?:place|spot|position|rank)"
    r"|(?:ranks?|ranked|ranking|placed?)\s+(?:first|second|third|\d)"
)
"""A place in a ranking in words: "first place", "ranked 3"."""
_RANK_WORD_HINTS = ("place", "spot", "position", "rank")
"""One of these is in every answer `_RANK_WORDS` can match."""
_CJK_RANK = re.compile(r"第\s*[\d一二三四五六七八九十]")
"""A place in a ranking in Chinese: "第一"."""


_YEARLY = re.compile(r"(?:per|a|each|every) year|annual|yearly|/\s?(?:yr|year)\b|每年|年费|一年")
"""A figure per year: "per year", "annual", "/yr", "每年"."""
_MONTHLY = re.compile(r"(?:per|a|each|every) month|monthly|/\s?(?:mo|month)\b|每月|月费|每个月")
"""A figure per month: "per month", "monthly", "/mo", "每月"."""
_EXPANSION = re.compile(
    r"\b[A-Z][A-Za-z]+(?:[ -][A-Za-z]+)+\s*\(\s*[A-Z][A-Za-z]*[A-Z]\s*\)"
    r"|\b[A-Z][A-Za-z]*[A-Z]\b\s*\(\s*[A-Z][a-z]+(?:[ -][A-Za-z]+)+\s*\)"
    r"|stands? for|short for|全称"
)
"""Letters with the words they stand for: "Mixture-of-Experts (MoE)", "MoE (Mixture of
Experts)", "stands for", "全称"; searched in the answer as written, capitals and all."""


def _gives_expansion(answer: str) -> bool:
    """Whether an answer, as written, says what letters stand for; the pattern is tried only
    where it can match (a bracket, or the words for it), as it is slow to fail everywhere."""
    return any(map(answer.__contains__, _EXPANSION_HINTS)) and _EXPANSION.search(answer) is not None


def _gives_per(answer: str, pattern: re.Pattern[str], hints: tuple[str, ...]) -> bool:
    """Whether a lower-cased answer gives a figure per period, trying the pattern only where
    one of the period's words occurs."""
    return any(map(answer.__contains__, hints)) and pattern.search(answer) is not None


def _gives_day(answer: str) -> bool:
    """Whether a lower-cased answer that holds a date names the day, not just the month: "May
    12", "12 May", "2026-05-12", "5月12日". Each form is tried only where it can occur, as in
    `_gives_date`: one pattern for all of them took a quarter of the time finding the answer
    kinds of 100,000 facts took."""
    return (
        (any(map(answer.__contains__, MONTHS)) and _DAY_BY_MONTH.search(answer) is not None)
        or ("-" in answer and _ISO_DATE.search(answer) is not None)
        or (("日" in answer or "号" in answer) and _CJK_DAY.search(answer) is not None)
    )


def _gives_rank(answer: str) -> bool:
    """Whether a lower-cased answer names a place in a ranking: "12th", "#1", "first place",
    "ranked 3", "第一"; not "top 15", which says where it falls, not where it stands. Each
    form is tried only where it can occur, as in `_gives_day`."""
    return (
        (_RANK_FIGURE_HINT.search(answer) is not None and _RANK_FIGURE.search(answer) is not None)
        or (
            any(map(answer.__contains__, _RANK_WORD_HINTS))
            and _RANK_WORDS.search(answer) is not None
        )
        or ("第" in answer and _CJK_RANK.search(answer) is not None)
    )


_PERCENT_MARKS = ("%", "％", "percent", "per cent", "百分之")
"""How an answer writes a percentage: "5%", "70 percent", "百分之五"."""

_RATIO = re.compile(r"fold|times|tenth|half|twice|double|triple|倍|分之")
"""How an answer writes one figure against another: "tenfold", "one-tenth of", "3 倍"."""


def _gives_margin(answer: str, dated: bool) -> bool:
    """Whether a lower-cased answer that gives no percentage sets figures against each other:
    two figures (from "2 months" to "5") or a ratio ("tenfold"), where one score is none, nor
    a date (`dated`), however many figures "May 12, 2026" holds."""
    if _RATIO.search(answer):
        return True
    if dated:
        return False
    figures = len(_FIGURE.findall(answer))
    if figures >= 2 or _NUMBER_WORD.search(answer) is None:
        return figures >= 2
    return figures + sum(1 for _ in whole_word_matches(_NUMBER_WORD, answer)) >= 2


_LIST_SEPARATORS = (",", "、", ";", "；", "，")
_LIST_JOINERS = (" and ", " or ", "和", "及", "与")


def _gives_list(answer: str) -> bool:
    """Whether a lower-cased answer names several things, joined ("a and b", "甲和乙") or
    set apart twice ("a, b, c"); one comma is a clause, and "seven chip types" says how many,
    not which."""
    separators = sum(map(answer.count, _LIST_SEPARATORS))
    return separators >= 2 or any(map(answer.__contains__, _LIST_JOINERS))


def _gives_reason(answer: str) -> bool:
    """Whether a lower-cased answer gives a reason: "because", "due to", "因为"."""
    return has_whole_word(_REASON, answer) or any(map(answer.__contains__, _CJK_REASONS))


_YEARLY_HINTS = ("year", "annual", "/", "年")
_MONTHLY_HINTS = ("month", "/", "月")
Finder = str | re.Pattern[str]
"""Text or a pattern to find in a text."""
_ANSWER_CHECKS: tuple[tuple[str, tuple[Finder, ...], Callable[[str], bool]], ...] = (
    ("yearly", _YEARLY_HINTS, lambda answer: _gives_per(answer, _YEARLY, _YEARLY_HINTS)),
    ("monthly", _MONTHLY_HINTS, lambda answer: _gives_per(answer, _MONTHLY, _MONTHLY_HINTS)),
    ("rank", (_RANK_FIGURE_HINT, *_RANK_WORD_HINTS, "第"), _gives_rank),
    ("list", (*_LIST_SEPARATORS, *_LIST_JOINERS), _gives_list),
    ("reason", (_REASON, *_CJK_REASONS), _gives_reason),
)
"""The kinds a lower-cased answer gives on its own, each with what is found in every answer
it gives it for (one text or match of them), and the check itself."""
_DATED_KINDS = ("time", "date")
"""The kinds an answer holding a date gives."""
_DATE_HINTS: tuple[Finder, ...] = (_YEAR, re.compile(r"-\d\d-"), "年", "月", *MONTHS)
"""One of these is found in every answer `_gives_date` holds for."""
_EXPANSION_HINTS = ("(", "stand", "short for", "全称")
"""One of these is in every answer `_gives_expansion` holds for."""


def answer_kinds(questions: Iterable[str], answer: str) -> frozenset[str]:
    """What kinds of answer a fact gives: those its questions ask for, a date or a reason if
    its answer holds one, and the kinds in ANSWER_DERIVED_KINDS only if its answer shows them.
    """
    kinds = set(_kinds_asked("\n".join(questions), _ASCII_PHRASING_WORD, _CJK_PHRASING_WORD))
    if _gives_expansion(answer):
        kinds.add("expansion")
    answer = answer.lower()
    kinds.update(kind for kind, _, gives in _ANSWER_CHECKS if gives(answer))
    percent = any(map(answer.__contains__, _PERCENT_MARKS))
    dated = _gives_date(answer)
    if percent:
        kinds.add("percent")
    if percent or _gives_margin(answer, dated):
        kinds.add("margin")
    if _FIGURE.search(answer) or has_whole_word(_NUMBER_WORD, answer):
        kinds.add("quantity")
    if dated:
        kinds.update(_DATED_KINDS)
        if _gives_day(answer):
            kinds.add("day")
    return frozenset(kinds)


def answers_kinds(facts: Iterable[tuple[Iterable[str], str]]) -> list[frozenset[str]]:
    """Each fact's `answer_kinds`, from its phrasings and answer, each pattern searched once
    over many facts' texts joined: a dozen searches and calls per fact were 1.9 s of a cold
    start at 100,000 facts. One copy of each set of kinds, however many facts give it."""
    kinds: list[frozenset[str]] = []
    copies: dict[frozenset[str], frozenset[str]] = {}
    facts = iter(facts)
    while batch := list(itertools.islice(facts, _FACTS_SEARCHED_AT_ONCE)):
        found = _batch_kinds(batch)
        kinds.extend(map(copies.setdefault, found, found))
    return kinds


_FACTS_SEARCHED_AT_ONCE = 10_000
"""Facts whose texts are joined for one search: a few megabytes of text, where all of
100,000 facts' would add tens to a cold start's peak memory for no more speed."""


def _batch_kinds(facts: list[tuple[Iterable[str], str]]) -> list[frozenset[str]]:
    """`answers_kinds` of a few thousand facts: each pattern's matches in their texts joined
    are where it matches each text alone, so the checks that need more than a match run only
    on the facts they may hold for, as `answer_kinds` runs them."""
    answers = [answer for _, answer in facts]
    lowered = [answer.lower() for answer in answers]
    asked, low = (
        _Joined([_lowered("\n".join(phrasings)) for phrasings, _ in facts]),
        _Joined(lowered),
    )
    if not (asked.apart and low.apart):
        return [answer_kinds(phrasings, answer) for phrasings, answer in facts]
    found: list[set[str]] = [set() for _ in facts]
    for at, match in asked.matches(_ASCII_PHRASING_WORD):
        if _starts_a_word(asked.text, match.start()):
            found[at].add(QUESTION_KINDS[match.group()])
    for at, match in asked.matches(_CJK_PHRASING_WORD):
        found[at].add(QUESTION_KINDS[match.group()])
    for at in low.holding(*_EXPANSION_HINTS):  # in an answer as written, so lower-cased too
        if _gives_expansion(answers[at]):
            found[at].add("expansion")
    for kind, hints, gives in _ANSWER_CHECKS:
        for at in low.holding(*hints):
            if gives(lowered[at]):
                found[at].add(kind)
    percent = low.holding(*_PERCENT_MARKS)
    dated = {at for at in low.holding(*_DATE_HINTS) if _gives_date(lowered[at])}
    figures = collections.Counter(low.numbers(_FIGURE))
    numbered = low.holding(_NUMBER_WORD)
    margin = percent | low.holding(_RATIO)
    margin |= {at for at, count in figures.items() if count >= 2} - dated
    margin |= {at for at in numbered - margin - dated if _gives_margin(lowered[at], False)}
    quantity = set(figures)
    quantity |= {at for at in numbered - quantity if has_whole_word(_NUMBER_WORD, lowered[at])}
    for kind, holders in (("percent", percent), ("margin", margin), ("quantity", quantity)):
        for at in holders:
            found[at].add(kind)
    for at in dated:
        found[at].update(_DATED_KINDS)
        if _gives_day(lowered[at]):
            found[at].add("day")
    return list(map(frozenset, found))


def _lowered(text: str) -> str:
    """A text as `_kinds_asked` searches it: plain ASCII only lower-cased, the rest cleaned."""
    return text.lower() if text.isascii() else clean(text)


_APART = "\x00"
"""Joins texts searched at once: no pattern of the kinds matches it, so no match runs from
one text into the next, and every look before or after sees it as it sees a text's end."""


class _Joined:
    """Texts joined apart, each pattern's matches found in all at once, by the text holding
    them: where each pattern matches each text alone, as no match can take in `_APART`."""

    def __init__(self, texts: list[str]) -> None:
        self.text = _APART.join(texts)
        self.apart = self.text.count(_APART) == len(texts) - 1
        """Whether no text holds the character that joins them (if one does, search each)."""
        self._ends = list(
            map(operator.add, itertools.accumulate(map(len, texts)), itertools.count(1))
        )
        """Where each text ends, the character after it included."""

    def matches(self, pattern: re.Pattern[str]) -> Iterator[tuple[int, re.Match[str]]]:
        """Each match with the number of the text it is in."""
        found = list(pattern.finditer(self.text))
        return zip(self._numbers(map(re.Match.start, found)), found, strict=True)

    def holding(self, *finders: Finder) -> set[int]:
        """The numbers of the texts holding one of these texts or matches of these patterns."""
        return set(itertools.chain.from_iterable(map(self.numbers, finders)))

    def numbers(self, finder: Finder) -> Iterator[int]:
        """The number of the text each occurrence of a text or match of a pattern is in."""
        return self._numbers(self._places(finder))

    def _places(self, finder: Finder) -> Iterator[int]:
        """Where a text or a pattern's matches start: a text is found by `str.find`, many times
        faster than by a pattern."""
        if not isinstance(finder, str):
            yield from map(re.Match.start, finder.finditer(self.text))
            return
        place = self.text.find(finder)
        while place >= 0:
            yield place
            place = self.text.find(finder, place + 1)

    def _numbers(self, places: Iterable[int]) -> Iterator[int]:
        """The number of the text each place is in."""
        return map(bisect.bisect_right, itertools.repeat(self._ends), places)


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
    return _simplified(text) if _CJK_RUN.search(text) else text


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


_COUNTED = re.compile(r"\bhow (?:many|much) ((?:[a-z][\w'-]* ?){1,4})")
_NOT_COUNTED = frozenset("more less longer times time money".split())
"""Words after "how many/much" that ask a degree or a sum, not a count of a thing."""
_CJK_COUNTED = re.compile(
    "(?<!哪)(?:多少|几)(?:个|张|块|位|名|条|项|台|款|篇|页)?"  # 哪几: which ones, not how many
    "([\u4e00-\u9fff]{2})"
)
_CJK_NOT_COUNTED = frozenset("钱倍次分年月天号小点几多在是有家种类耐")
"""First characters after 多少/几 that ask a sum, a factor, a score, a time or a verb, not a
count of a thing (几耐: Cantonese for how long)."""


def counted_words(text: str) -> tuple[str, ...]:
    """What a "how many …" question counts ("gpus" in "how many gpus did it use", "参数" in
    "有多少参数"): a figure of anything else does not answer it."""
    lowered = clean(text)
    counted: list[str] = []
    found = _COUNTED.search(lowered)
    if found:
        for word in found.group(1).split():
            if word in STOPWORDS:
                break
            counted.append(word)
        if counted and (counted[0] in _NOT_COUNTED or counted[0].endswith(("er", "r"))):
            counted = []  # "how much cheaper" (or "fastr"): a degree
    counted += [
        found.group(1)
        for found in _CJK_COUNTED.finditer(lowered)
        if found.group(1)[0] not in _CJK_NOT_COUNTED
    ]
    return tuple(counted)


COUNT_REACH = 4
"""How many words from what is counted its figure may stand: "seven types of domestic chips"."""
_COUNT = re.compile(r"[$\u00a5\u20ac\u00a3]?\d|(?:only|sole|single)(?!\w)")
"""A figure at the start of a word ("10,000-gpu", "$5.57", "32b") or a count of one ("the only
Chinese model"); digits inside a name ("v4", "glm-5.1") are not a count."""
_SAME_TERM_PREFIX = 4
"""Terms this long that start alike are one word shortened ("param", "parameter")."""


def counts(answer: str, terms: Iterable[str]) -> bool:
    """Whether an answer writes a figure within reach of one of these terms: "how many chips"
    is answered by "seven types of domestic chips", never by "trained on domestic chips"."""
    wanted = tuple(terms)
    tokens = [token.lstrip("('\"") for token in clean(answer).split()]
    for position, token in enumerate(tokens):
        if any(_alike(term, held) for _, held in spelled_terms(token) for term in wanted):
            if _is_count(token):
                return True  # "10,000-gpu"
            before = tokens[max(0, position - COUNT_REACH) : position]
            after = tokens[position + 1 : position + COUNT_REACH + 1]
            if any(_is_count(word) and "-" not in word for word in before + after):
                return True  # a figure joined to a word counts that word: "trillion-parameter"
    return False


def asks_to_count(question: str, terms: Iterable[str]) -> bool:
    """Whether a question asks how many of one of these terms there are: a curator's phrasing
    "how many people live there?" vouches for a bare "48 million."."""
    wanted = tuple(terms)
    return any(
        _alike(term, held)
        for word in counted_words(question)
        for _, held in spelled_terms(word)
        for term in wanted
    )


def _is_count(word: str) -> bool:
    """Whether a word starts with a figure or is a number written out; a year counts nothing."""
    return bool(_COUNT.match(word) or _NUMBER_WORD.match(word)) and not _YEAR.match(word)


def _alike(term: str, other: str) -> bool:
    """Whether two terms are one word, one perhaps shortened ("param" for "parameter")."""
    if term == other:
        return True
    return min(len(term), len(other)) >= _SAME_TERM_PREFIX and (
        term.startswith(other) or other.startswith(term)
    )


def is_cjk(term: str) -> bool:
    """Whether a term is Chinese, Japanese or Korean script, which typos don't apply to."""
    return bool(_CJK_RUN.match(term))


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
