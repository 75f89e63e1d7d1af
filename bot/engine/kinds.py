"""The kinds of answer a question asks for (a time, someone, a figure, a day, a rank...) and
the kinds a fact's answer gives, so an answer of the wrong kind is never stated as known."""

from __future__ import annotations

import bisect
import collections
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Iterator

from bot.engine.text import alternation, clean, has_whole_word, starts_a_word, whole_word_matches

QUESTION_KINDS = {
    "when": "time",
    "何时": "time",
    "什么时候": "time",
    "啥时候": "time",  # chat's 什么时候
    "几时": "time",  # Cantonese (幾時), read as Simplified
    "who": "agent",
    "whom": "agent",
    "whose": "agent",
    "谁": "agent",
    "where": "place",
    "哪里": "place",
    "边度": "place",
    "why": "reason",
    "为什么": "reason",
    "点解": "reason",
    "how many": "quantity",
    "how much": "quantity",
    "how long": "quantity",
    "how big": "quantity",
    "how large": "quantity",
    "how often": "quantity",
    "what percentage": "percent",
    "score": "quantity",
    "scored": "quantity",
    "scores": "quantity",
    "几分": "quantity",
    "多少": "quantity",
    "几多": "quantity",
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
    "年付": "yearly",
    "每年": "yearly",
    "monthly": "monthly",
    "per month": "monthly",
    "each month": "monthly",
    "月费": "monthly",
    "月付": "monthly",
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
    "边啲": "list",
    "边几": "list",
    "percentage": "percent",
    "what percent": "percent",
    "how many percent": "percent",
    "百分比": "percent",
    "what ratio": "margin",  # a share or a ratio: "70%", "one-tenth of", "tenfold"
    "what fraction": "margin",
    "what proportion": "margin",
    "几分之一": "margin",
    "比例": "percent",
    "占比": "percent",
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
    "差了几": "margin",
    "多了几": "margin",
    "相差多少": "margin",
    "相差几": "margin",
    "差距多大": "margin",
    "差距是多少": "margin",
    "what's the gap": "margin",
    "whats the gap": "margin",
    "how big is the gap": "margin",
    "how far apart": "margin",
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
    "的缩写": "expansion",  # "DSA 是什么的缩写"; "缩写是啥" asks the short form itself
    "缩写代表": "expansion",
}
"""Question words that say what kind of answer is wanted: a time, someone, a place, a reason,
a figure, a day of the month, a place in a ranking, a yearly or monthly figure, a percentage,
a margin between two figures, what letters stand for."""
ANSWER_DERIVED_KINDS = frozenset(
    {
        "money",
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
        "duration",
    }
)
"""Kinds a fact gives only if its answer shows them, whatever its phrasings ask: "how many
users does Kimi have?" is no phrasing to trust for an answer with no number, nor "which day"
for one that names only the month."""
DETAIL_KINDS = ANSWER_DERIVED_KINDS - {"quantity"} | {"city"}
"""Kinds that ask for more detail than a close answer often has: how often a lab ships is not
when it shipped, the month is not the day, "top 15" is not the place, the summit is not its
city, a monthly price is not the yearly one, "margins near zero" is not a percentage,
naming "DSA" is not saying what it stands for, and "35 hours" is not what a run cost. Every
kind an answer must show but a bare figure, which a close answer has as often as not, and the
city, which only a curator's phrasing can vouch for."""


_ASCII_QUESTION_WORD = re.compile(alternation(w for w in QUESTION_KINDS if w.isascii()) + r"(?!\w)")
POINTING = "这那哪"
"""Characters that make a following 几 point rather than ask how many: 这几个 "these",
那几家 "those", 哪几个 "which ones"."""


def _cjk_question_words(words: Iterable[str]) -> re.Pattern[str]:
    """The Chinese of these question words, a 几 word only where nothing points before it."""
    chinese = [word for word in words if not word.isascii()]
    return re.compile(
        alternation(w for w in chinese if not w.startswith("几"))
        + f"|(?<![{POINTING}])"
        + alternation(w for w in chinese if w.startswith("几"))
    )


_CJK_QUESTION_WORD = _cjk_question_words(QUESTION_KINDS)
_PHRASING_KIND_WORDS = [
    word for word, kind in QUESTION_KINDS.items() if kind not in ANSWER_DERIVED_KINDS
]
_ASCII_PHRASING_WORD = re.compile(
    alternation(w for w in _PHRASING_KIND_WORDS if w.isascii()) + r"(?!\w)"
)
_CJK_PHRASING_WORD = _cjk_question_words(_PHRASING_KIND_WORDS)
"""The question words of the kinds a fact's phrasings can give it (a time, someone, a place,
a reason, a city), which `answer_kinds` looks for: they all start with "wh" or a few
characters, where the rest start with most letters. No other question word holds one or
runs into one, so each is found where all the question words would find it, in a tenth of
the time over 100,000 facts' phrasings."""


_ASKS_A_DATE = re.compile(
    r"\bwhen (?:did|was|were|will|is|are)\b|\b(?:which|what) (?:month|year|date)\b"
    r"|哪一?年|哪个月|几月"
    r"|(?:什么|啥)时候(?:发布|上线|推出|出)|何时发布",
    re.IGNORECASE,
)
"""How a question asks when something happened or will ("when did it launch", "which month did
it come out", "哪年发布的", "几月份发布的"), which a fact's cadence ("every five months") does
not answer, as "how often" would be."""


_ASKS_A_DURATION = re.compile(
    r"\bhow long (?:did|does|do|can|could|will|would|has|have|had|to)\b"
    r"|\bhow many (?:hours|hrs|days|weeks|months|years|minutes)\b|\bhow much time\b"
    r"|多少天|多久|多长时间|多少个?小时|几个?小时|多少个月|多少周"
    r"|(?<![这那哪前过近])几(?:天|个月|周|个星期)",
    re.IGNORECASE,
)
"""How a question asks how long something took or lasts ("how long can it run on its own",
"训练花了多少天", "多久更新一次"), which only an answer with a span of time gives; "前几天" and
"这几个月" say when, and a question about a context window's length asks no time at all."""
_LENGTH_OF_TEXT = re.compile(r"context|tokens?\b|window|上下文|长度|length", re.IGNORECASE)
"""Words that make "how long" ask a length of text ("how long does kimi's context go")."""


_ASKS_A_PERCENT = re.compile(r"(?:^|[^\d\s.,])\s*[%％]")
"""A percent sign after no figure asks for one ("gross margin %?", "what % of usage")."""
_ASKS_A_MARGIN = re.compile(
    r"\bhow (?:many|much) [a-z]+ (?:more|fewer|less|longer|shorter|higher|lower)\b"
    r"|\bhow much (?:did|has|have|does|do|will) (?:[\w.'-]+ ){1,4}"
    r"(?:improve|grow|gain|rise|increase|jump|drop|fall|decline|shrink)\b",
    re.IGNORECASE,
)
"""By how much, with what is counted before the comparative ("how many hours more", "how many
points higher"), or how much something changed ("how much did it improve over glm-5", "how
much did prices drop"): "how many more" and its like are question words of their own."""
_ASKS_AN_AMOUNT = re.compile(
    r"\bwhat (?:did|does|do|will|would) (?:[\w.'-]+ ){1,4}"
    r"cost(?= to | in | per | a |\s*[?,.!]|\s*$)"
    r"|\bwhat(?:'s| is| was| were) (?:[\w.'$-]+ ){1,4}(?:cost|price|bill)"
    r"(?= in | per | of | for |\s*[?,.!]|\s*$)"
    r"|\bin (?:dollars|usd|us\$|rmb|yuan|euros)\b|\bdollar (?:amount|figure)\b"
    r"|\bwhat (?:did|does|do) (?:[\w.'-]+ ){1,4}(?:get|got|hit|post|put up|pull|land) on\b",
    re.IGNORECASE,
)
"""An amount asked without "how much": "what did GPT-4 cost to train", "what was GPT-4's
training cost in usd", "the cost in dollars", a result on something ("what did claude's
flagship get on terminalbench"); "cost" before what it cost for or at the end, not "what does
low cost mean" nor "what is its cost advantage"."""


_MONEY_WORDS = re.compile(
    r"\b(?:money|dollars?|usd|rmb|yuan|raised?|raising|funding|valuation|valued|revenues?"
    r"|spend|spent|pay|paid|salary|earn|earned|earnings)\b|\$|多少钱|几块钱|几多钱|融资|估值|营收|收入"
    r"|花了多少(?!天|个?小时|个月|年|周)",
    re.IGNORECASE,
)
"""Words that make an amount asked a sum of money ("how much money has it raised", "多少钱")."""


_CLAUSE_WHEN = re.compile(
    r"(?<=\w)(\W+)when(?=\s+(?:it|they|he|she|we|you|i|its|their|the|a|an|this|that)\b)",
    re.IGNORECASE,
)
"""'When' opening a clause inside a question ("how much faster did it get when it rewrote its
kernel"): it says when, it does not ask when."""


def asked_kinds(text: str) -> frozenset[str]:
    """The kinds of answer a question asks for, from its question words."""
    kinds = _kinds_asked(_CLAUSE_WHEN.sub(r"\1", text), _ASCII_QUESTION_WORD, _CJK_QUESTION_WORD)
    if _ASKS_AN_AMOUNT.search(text):
        kinds |= {"quantity"}
    if "quantity" in kinds and _MONEY_WORDS.search(text):
        kinds |= {"money"}
    if _ASKS_A_DATE.search(text):
        kinds |= {"date"}
    if ("%" in text or "％" in text) and _ASKS_A_PERCENT.search(text):
        kinds |= {"percent"}
    if _ASKS_A_MARGIN.search(text):
        kinds |= {"margin"}
    if _ASKS_A_DURATION.search(text) and not _LENGTH_OF_TEXT.search(text):
        kinds |= {"duration"}
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


MONTHS = (
    "january february march april may june july august september october november december"
).split()
YEAR = re.compile(r"(?:1[89]|20)\d\d(?!\w)")


_MONTH_NAME = alternation(MONTHS)
_MONTH = re.compile(_MONTH_NAME + r"(?!\w)")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_CJK_DATE = re.compile(r"\d\s*[年月]")
_REASON = re.compile(
    alternation(("because", "due to", "thanks to", "owing to", "since", "so that")) + r"(?!\w)"
)
NUMBER_WORD = re.compile(
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
        has_whole_word(YEAR, answer)
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
    if figures >= 2 or NUMBER_WORD.search(answer) is None:
        return figures >= 2
    return figures + sum(1 for _ in whole_word_matches(NUMBER_WORD, answer)) >= 2


_LIST_SEPARATORS = (",", "、", ";", "；", "，")
_LIST_JOINERS = (" and ", " or ", "和", "及", "与")


def _gives_list(answer: str) -> bool:
    """Whether a lower-cased answer names several things, joined ("a and b", "甲和乙") or
    set apart twice ("a, b, c"); one comma is a clause, and "seven chip types" says how many,
    not which."""
    separators = sum(map(answer.count, _LIST_SEPARATORS))
    return separators >= 2 or any(map(answer.__contains__, _LIST_JOINERS))


def most_listed(answer: str) -> int:
    """The most things a lower-cased answer can name: one more than its separators and
    joiners ("a, b and c" names three at most; "a; seven chips; and b", three, not seven)."""
    return 1 + sum(map(answer.count, (*_LIST_SEPARATORS, *_LIST_JOINERS)))


def _gives_reason(answer: str) -> bool:
    """Whether a lower-cased answer gives a reason: "because", "due to", "因为"."""
    return has_whole_word(_REASON, answer) or any(map(answer.__contains__, _CJK_REASONS))


_YEARLY_HINTS = ("year", "annual", "/", "年")
_MONTHLY_HINTS = ("month", "/", "月")
Finder = str | re.Pattern[str]
"""Text or a pattern to find in a text."""
_CURRENCY_SIGNS = "¥￥$€£"
_CURRENCY_NAMES = ("usd", "rmb", "cny", "eur", "yuan")
_MONEY = re.compile(
    rf"\d\s*(?:元|美元)|[{_CURRENCY_SIGNS}]\s*\d|\b(?:{'|'.join(_CURRENCY_NAMES)}|dollars?)\b"
)
"""A sum of money in a lower-cased answer: a currency by a figure, or its name or code."""
_MONEY_HINTS = ("元", *_CURRENCY_SIGNS, *_CURRENCY_NAMES, "dollar")
"""One of these is in every answer `_MONEY` matches, written from the same currencies."""

_SPAN_UNITS = ("hour", "day", "week", "month", "year", "minute", "小时", "天", "周", "星期", "个月")
_DURATION = re.compile(
    r"(?:\d+(?:\.\d+)?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|twenty|thirty|forty|fifty)(?:-\w+)?)[\s-]*(?:(?:consecutive|straight|full)\s+)?"
    r"(?:hours?|hrs?|days?|weeks?|months?|years?|minutes?)\b"
    r"|(?:\d+|[一二两三四五六七八九十百半]+)\s*(?:个\s*)?(?:小时|天|周|星期|分钟)"
    r"|(?:\d+|[一二两三四五六七八九十半]+)\s*个\s*月"
)
"""A span of time in a lower-cased answer: "35 hours", "every two months", "8 个小时", "五个月";
not "5 月" (May) nor a year."""

_ANSWER_CHECKS: tuple[tuple[str, tuple[Finder, ...], Callable[[str], bool]], ...] = (
    ("money", _MONEY_HINTS, lambda answer: _MONEY.search(answer) is not None),
    ("duration", _SPAN_UNITS, lambda answer: _DURATION.search(answer) is not None),
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
_DATE_HINTS: tuple[Finder, ...] = (YEAR, re.compile(r"-\d\d-"), "年", "月", *MONTHS)
"""One of these is found in every answer `_gives_date` holds for."""
_EXPANSION_HINTS = ("(", "stand", "short for", "全称")
"""One of these is in every answer `_gives_expansion` holds for."""


_FLOOR = re.compile(
    r"\b(?:starting at|starts at|at least|as low as|from just|minimum)\b|\d\s*元起|起步|起价",
    re.IGNORECASE,
)
"""Where a range starts: "starting at just RMB 39", "at least", "39 元起"."""
_TOP = re.compile(r"\b(?:up to|at most|maximum|highest|top)\b|最高", re.IGNORECASE)
"""Where a range ends, or its top: "up to", "at most", "最高"."""


def gives_only_a_floor(answers: Iterable[str]) -> bool:
    """Whether an answer, in any of its languages, says only where a range starts ("starting at
    just RMB 39"), which is no answer to what its top is."""
    texts = list(answers)
    return any(_FLOOR.search(text) for text in texts) and not any(_TOP.search(t) for t in texts)


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
    if _FIGURE.search(answer) or has_whole_word(NUMBER_WORD, answer):
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
        if starts_a_word(asked.text, match.start()):
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
    numbered = low.holding(NUMBER_WORD)
    margin = percent | low.holding(_RATIO)
    margin |= {at for at, count in figures.items() if count >= 2} - dated
    margin |= {at for at in numbered - margin - dated if _gives_margin(lowered[at], False)}
    quantity = set(figures)
    quantity |= {at for at in numbered - quantity if has_whole_word(NUMBER_WORD, lowered[at])}
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
