"""The index's readings of facts: dates and reasons in answers, and topic names in phrasings."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.engine.index import KnowledgeIndex
from bot.engine.text import _gives_date, content_terms
from bot.knowledge import load_knowledge

PLAIN_DATE = re.compile(
    r"\b(1[89]|20)\d\d\b|\b(january|february|march|april|may|june|july|august|september|"
    r"october|november|december)\b|\d{4}-\d\d-\d\d|\d+\s*年|\d+\s*月",
    re.IGNORECASE,
)
"""The plain statement of what counts as a date; `_gives_date` is a faster reading of it."""

PIECES = st.sampled_from(
    [
        *("2026", "1899", "2100", "1999", "20", "may", "March", "dec", "june", "-", "07"),
        *("5年", "3 月", " ", "x", "_", ".", "s", "1", "年", "é"),
    ]
)


@given(st.lists(PIECES, max_size=8).map("".join))
def test_dates_are_found_exactly_where_the_plain_pattern_finds_them(text: str) -> None:
    assert _gives_date(text.lower()) == bool(PLAIN_DATE.search(text))


def test_longest_topic_name_wins_and_the_rest_stays_in_order() -> None:
    index = KnowledgeIndex(load_knowledge())
    longest = index.split_entities(content_terms("is DeepSeek V4 Pro good at coding"))
    assert longest == (("good", "cod"), {"deepseek"})
    shorter = index.split_entities(content_terms("deepseek v4 price vs kimi"))
    assert shorter == (("pric", "vs"), {"deepseek", "kimi"})
    assert index.split_entities(content_terms("deep learning")) == (("deep", "learn"), set())
