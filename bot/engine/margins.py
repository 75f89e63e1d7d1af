"""Works out how far apart two compared figures are, and how many times one is the other, when a
question asks for the margin ("how many more hours can qwen go solo than glm?", "差了多少小时",
"是几倍"): each fact gives its own figure, never the gap, and a reader should not have to do the
sum."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from bot.engine.answers import Answer, Margin
from bot.engine.text import STOPWORDS

_CURRENCIES = ("USD", "RMB", "CNY", "EUR", "GBP", "US$", "$", "€", "£", "¥")
"""Units written before the figure ("USD 20"): a price's unit is its currency, not "a month"."""
_STANDING_ALONE = r"(?<![\w.,\-])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w.,]*\w)"
"""A figure standing alone, not part of a name such as "GLM-5.1" or "2M+": "10,000", "69.7"."""
_FIGURE = re.compile(
    r"(?:(?<![\w$€£¥])("
    + "|".join(map(re.escape, _CURRENCIES))
    + r")\s?)?"
    + _STANDING_ALONE
    + r"(?=\s*((?:[^\W\d_]+ )?[^\W\d_]+))?"
)
"""A figure standing alone (not part of a name such as "GLM-5.1" or "2M+"), with the currency
before it, if any, and up to two words after it, looked at but left for the next figure's
currency: "USD 20", "35 hours", "8 consecutive hours", "10,000 GPUs", "35 小时"."""
SCALES = frozenset({"thousand", "million", "billion", "trillion", "k", "m", "bn", "万", "亿"})
"""Words that multiply the figure before them: such a figure is left alone, as a gap between
"USD 5.57 million" and "USD 20" is no subtraction of 5.57 and 20."""
CJK_UNIT_LENGTH = 2
"""A Chinese unit is the first character or two after the figure ("小时", "分"): the rest of
the run is the sentence going on."""


def margin_of(compared: Sequence[Answer]) -> Margin | None:
    """The gap between two compared facts' figures of one unit, the larger's topic first; None
    unless the units both facts give figures of lead to one figure in each, and one only."""
    topics = [item.topic for item in compared if item.topic is not None]
    if len(compared) != 2 or len(topics) != 2:
        return None
    first, second = (_figures(item.text) for item in compared)
    shared = [unit for unit in first if unit in second]
    if any(len(first[unit]) > 1 or len(second[unit]) > 1 for unit in shared):
        return None  # "3 hours, then 5 hours": which?
    pairs: dict[tuple[Decimal, Decimal], str] = {}
    for unit in shared:  # "9 hours unattended": both words after one figure, one pair
        pairs.setdefault((first[unit][0][0], second[unit][0][0]), first[unit][0][1])
    if len(pairs) != 1:
        return None
    (((one, other), written),) = pairs.items()
    if one == other:
        return None
    more, less = topics if one > other else reversed(topics)
    difference = format(abs(one - other).normalize(), "f")
    return Margin(
        more,
        less,
        difference,
        written,
        written in _CURRENCIES,
        _times(max(one, other), min(one, other)),
    )


def figures_in(text: str) -> frozenset[Decimal]:
    """The figures a text gives, standing alone ("35 hours", "USD 5.57", "10,000 GPUs")."""
    return frozenset(Decimal(figure.replace(",", "")) for figure in _ALONE.findall(text))


_ALONE = re.compile(_STANDING_ALONE)


RATIO_PLACES = Decimal("0.1")
"""A ratio to one decimal place ("4.4 times"): the figures compared are rounded themselves."""


def _times(larger: Decimal, smaller: Decimal) -> str:
    """The larger over the smaller, to one decimal place, as figures are written ("4.4", "2");
    empty when the smaller is nought."""
    if smaller <= 0:
        return ""
    return format((larger / smaller).quantize(RATIO_PLACES).normalize(), "f")


def _figures(text: str) -> dict[str, list[tuple[Decimal, str]]]:
    """Each unit a text gives a figure of (in lower case), with the figures and the unit as
    written: a currency before it, any word of the two after it that says something ("hours"
    of "8 consecutive hours"), or a Chinese unit."""
    found: dict[str, list[tuple[Decimal, str]]] = {}
    for match in _FIGURE.finditer(text):
        currency, figure, after = match.groups()
        following = (after or "").lower()
        if (following.split(" ")[0] if following.isascii() else following[:1]) in SCALES:
            continue  # "USD 5.57 million", "557 万美元"
        value = Decimal(figure.replace(",", ""))
        for unit in [currency] if currency else _units(after or ""):
            found.setdefault(unit.lower(), []).append((value, unit))
    return found


def _units(after: str) -> list[str]:
    """The words after a figure that could be its unit."""
    if after and not after.isascii():
        return [after[:CJK_UNIT_LENGTH]] if not after[0].isascii() else []
    return [
        word for word in after.split() if word.lower() not in STOPWORDS and word not in _CURRENCIES
    ]
