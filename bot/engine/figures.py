"""Figures in a question: one that already holds its answer's figure asks for something past it
("what hardware ran that 35-hour run?") unless it only checks it, and one asking which of a
number of things they are ("what are the 7 chips?") is not answered by that number."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from bot.engine.answers import ScoredFact
from bot.engine.asking import OPTION_WORD, asks_to_choose
from bot.engine.kinds import most_listed
from bot.engine.reading import Reading
from bot.engine.text import clean
from bot.knowledge.model import Topic

FIGURES_KEPT = 4096
"""Texts whose figures are kept once read: the same answers and names are read for question
after question."""
_FIGURE = re.compile(r"(?<![\w.\-])(\d[\d,]*(?:\.\d+)?)(?!st|nd|rd|th|[\d,.]*\d)")
"""A figure written alone or with its unit ("35h", "229B", "10,000-GPU", "5.57m"): not a
name's version ("GLM-5.1", "K2.6", "qwen3.7"), which follows letters, nor a place ("4th")."""
_ASKS = re.compile(
    r"\b(?:what|whats|which|who|whom|whose|how|where|when|why)\b"
    r"|多少|几|什么|啥|谁|哪|怎么|为什么|如何|咩|乜|边|点样|点解"
)
"""Words that ask for something, Cantonese's too, in the Simplified the text is read in: a
question holding the answer's figure without one only checks it ("qwen's 35h run was fully
hands off?", "39 块是起步价吗")."""
_UNIT = r"[^\s\d,，。？?]{0,4}(?:\s*[^\s\d,，。？?]{1,5})?"
"""A figure's unit, joined or after a space ("2M", "35 hours", "35 小时")."""
_ASKED_THING = re.compile(r"\b(?:what|which)\s+(?:(?:kind|sort|type)\s+of\s+)?([\w.\-]+)")
"""The thing a "what/which" question asks for ("what benchmark"), held by the answer or not."""


_COUNT_WORDS = {
    **{
        word: str(n)
        for n, word in enumerate("one two three four five six seven eight nine ten".split(), 1)
    },
    **{word: str(n) for n, word in enumerate("一二三四五六七八九十", 1)},
    "两": "2",
}
"""Small counts written out, in English and Chinese ("seven chip types", "七种芯片")."""
_MEASURE = "种个款家类项样"
"""Chinese measure words after a count of things: "七种", "五个"."""
_COUNT_WRITTEN = re.compile(
    r"\b(" + "|".join(word for word in _COUNT_WORDS if word.isascii()) + r")\b"
    r"|([一二三四五六七八九十两])(?=[" + _MEASURE + "])"
)
"""A small count in words: "seven" alone, "七" before a measure word (not "七月", July)."""
_WHICH_OF_A_COUNT = re.compile(
    r"\b(?:which|what(?:'s|s| are| were|re)?\s+(?:the|those|these|its|their)"
    r"|(?:list|name)(?: all)?(?: of)?(?: the)?)"
    r"\s+(\d+|" + "|".join(word for word in _COUNT_WORDS if word.isascii()) + r")\s+[a-z]"
    r"|[哪边](\d+|[一二三四五六七八九十两])\s*[" + _MEASURE + "]",
    re.IGNORECASE,
)
"""Asking which of a number of things they are: "which 7 chips", "what are the seven chips",
"list the seven", "name the 7 chips", "哪七种", "边七种" (Cantonese)."""


def counts_written(text: str) -> frozenset[str]:
    """The small counts a text writes out in words, as figures ("seven types" gives "7")."""
    return frozenset(
        _COUNT_WORDS[(found.group(1) or found.group(2)).lower()]
        for found in _COUNT_WRITTEN.finditer(clean(text))
    )


def asks_which_of_a_count(reading: Reading, best: ScoredFact) -> bool:
    """Whether a question asks which of a number of things they are, and the fact gives that
    number without naming them: "what are the 7 chips GLM-5 supports?" is not answered by
    "GLM-5 supports seven types of domestic chips", nor by a list of three examples one of
    which is that count, while "which 5 models does it cover?" is by a fact listing five."""
    found = _WHICH_OF_A_COUNT.search(clean(reading.text))
    if found is None:
        return False
    written = (found.group(1) or found.group(2)).lower()
    count = _COUNT_WORDS.get(written, written)
    answers = best.fact.answers_in_every_language
    said = frozenset().union(*(figures_in(answer) | counts_written(answer) for answer in answers))
    return count in said and not any(
        most_listed(answer.lower()) >= int(count) for answer in answers
    )


@functools.lru_cache(maxsize=FIGURES_KEPT)
def figures_in(text: str, apart_from: frozenset[str] = frozenset()) -> frozenset[str]:
    """The figures a text writes, without thousands separators, but for those set apart."""
    figures = (found.replace(",", "") for found in _FIGURE.findall(clean(text)))
    return frozenset(figure for figure in figures if figure not in apart_from)


def restates_the_figure(reading: Reading, best: ScoredFact, topics: Mapping[str, Topic]) -> bool:
    """Whether a question names the fact's topic, gives the answer's own figure, and asks for
    something else: "what hardware ran qwen's 35h run", "那 229B 里激活多少参数", "M2.7 推理成本
    只有 5%，是跟哪个模型比的" are not answered by the fact that holds 35 hours, 229B or 5%.
    Figures in the topic's names (GLM 5.1) are no answer's; "qwen hit 69.7 on what benchmark"
    asks for a thing the fact holds, and "is it 2M or 1M" offers the figure as an option."""
    fact = best.fact
    if fact.topic_id is None or fact.topic_id not in reading.entities:
        return False
    if len(set(reading.entities)) > 1 and asks_to_choose(reading.text):
        return False  # "which costs USD 20, lumen or tessa?": the figure picks the topic
    if not any(character.isdigit() for character in reading.text):
        return False  # most questions give no figure: nothing more to read
    text = clean(reading.text)
    if _ASKS.search(text) is None:
        return False
    named = frozenset().union(*(figures_in(name) for name in topics[fact.topic_id].names))
    named |= frozenset().union(*(figures_in(unit.typed) for unit in reading.units if unit.entity))
    answers = " ".join(fact.answers_in_every_language)
    given = figures_in(text, named) & figures_in(answers, named)
    if not given or any(_offered(figure, text) for figure in given):
        return False
    return _asks_past_it(reading, best) and not _asks_for_what_it_holds(reading, best, text)


def _offered(figure: str, text: str) -> bool:
    """Whether the question offers a figure, perhaps with its unit, as one of its options
    ("2M or 1M?", "35 hours or 20?")."""
    written = re.escape(figure)
    return (
        re.search(rf"{written}{_UNIT}\s*{OPTION_WORD}|(?<!\w){OPTION_WORD}\s*{written}", text)
        is not None
    )


def _asks_for_what_it_holds(reading: Reading, best: ScoredFact, text: str) -> bool:
    """Whether the thing a "what/which" question asks for is a word the fact holds."""
    found = _ASKED_THING.search(text)
    if found is None:
        return False
    held = set(best.matched)
    return any(
        not held.isdisjoint(unit.meanings)
        for unit in reading.units
        if unit.entity is None and unit.typed.lower() == found.group(1)
    )


def _asks_past_it(reading: Reading, best: ScoredFact) -> bool:
    """Whether the question has a known word the fact does not hold: all of "海螺说的 229B 是指
    什么" is in the fact that gives 229B, where "what hardware" is not."""
    held = set(best.matched)
    return any(unit.meanings and unit.typed not in held for unit in reading.residual)
