"""What a "how many" question counts, and whether an answer counts it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.engine.kinds import NUMBER_WORD, POINTING, YEAR
from bot.engine.text import STOPWORDS, clean, spelled_terms

_COUNTED = re.compile(r"\bhow (?:many|much) ((?:[a-z][\w'-]* ?){1,4})")
_KINDS_OF = re.compile(
    r"(?<=how many )(?:different )?(?:kinds?|types?|sorts?|categories|category|varieties|variety)"
    r" of (?:the )?"
)
"""'How many kinds of chips' counts chips, of which 'seven types of chips' says how many."""
_NOT_COUNTED = frozenset("more less longer times time money again".split())
"""Words after "how many/much" that ask a degree or a sum, not a count of a thing, or ask to
be told once more ("how much again")."""
_CJK_COUNTED = re.compile(
    f"(?:多少|(?<![{POINTING}])几)(?:个|张|块|位|名|条|项|台|款|篇|页)?([\u4e00-\u9fff]{{2}})"
)
_CJK_COUNTED_LATIN = re.compile(
    f"(?:多少|几多|(?<![{POINTING}])几)(?:个|張|张|块|位|名|条|项|台|款|篇|页)?\\s*"
    "(?!(?:percent|pct|usd|rmb|yuan|dollars?|bucks|times)(?![a-z]))([a-z][a-z-]+)"
)
"""A Latin word counted in Chinese: "几个 agent", "多少 GPU hours", "几多 PFLOPS" (Cantonese);
not a share, a currency or a factor ("多少 percent", "多少 usd")."""
_CJK_NOT_COUNTED = frozenset(
    "钱倍次分年月天号小点几多在是有家种类耐成美元刀一来啊呀呢吗吧了哦比十百千万亿钟个张块位名条项台款篇页的"
)
"""First characters after 多少/几 that ask a sum, a factor, a score, a time, a share (几成,
多少比例), a currency (美金, 元, 刀), a magnitude (几百万, or 几十篇: dozens, said of the sender's
own things), a place (前多少名的: a rank), a rate (多少一个月), a verb or a
particle (多少来着), not a count of a thing (几耐: Cantonese for how long, 几个钟头: hours); a
measure word left over ("几个号") counts a one-character thing, too short to look for."""


def counted_words(text: str) -> tuple[str, ...]:
    """What a "how many …" question counts ("gpus" in "how many gpus did it use", "参数" in
    "有多少参数"): a figure of anything else does not answer it."""
    lowered = clean(text)
    counted: list[str] = []
    found = _COUNTED.search(_KINDS_OF.sub("", lowered))
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
    counted += _CJK_COUNTED_LATIN.findall(lowered)
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
    return bool(_COUNT.match(word) or NUMBER_WORD.match(word)) and not YEAR.match(word)


def _alike(term: str, other: str) -> bool:
    """Whether two terms are one word, one perhaps shortened ("param" for "parameter")."""
    if term == other:
        return True
    return min(len(term), len(other)) >= _SAME_TERM_PREFIX and (
        term.startswith(other) or other.startswith(term)
    )
