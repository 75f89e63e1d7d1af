"""The features of a match: numbers the decision weighs, read the same way for any knowledge."""

from __future__ import annotations

import pytest

from bot.engine.features import writes_the_number
from bot.knowledge import Fact
from bot.knowledge.model import FactTranslation
from tests.engine.bundled import bundled_matcher

THREE_FRONTS = Fact(
    "fronts",
    "What is the contest fought on?",
    "Three fronts at once: architecture, agents and cost.",
    "atlas",
    translations=(("zh", FactTranslation("同时在三个方面展开。", "竞争在哪里展开？")),),
)


@pytest.mark.parametrize(
    ("figure", "written"),
    [("3", True), ("4", False), ("3.5", False), ("30", False), ("1", False)],
)
def test_an_answer_may_spell_out_a_small_number(figure: str, written: bool) -> None:
    assert writes_the_number(THREE_FRONTS, figure) is written


def test_a_chinese_answer_spells_it_in_chinese() -> None:
    chinese_only = Fact(
        "f",
        "q?",
        "Architecture, agents and cost.",
        "atlas",
        translations=(("zh", FactTranslation("三个方面。", "问？")),),
    )
    assert writes_the_number(chinese_only, "3")


def test_a_number_the_answer_spells_out_is_not_missed() -> None:
    matcher = bundled_matcher()
    spelt = matcher.features("what are the 3 things models compete on now")
    other = matcher.features("what are the 4 things models compete on now")
    assert spelt is not None and other is not None
    assert spelt[1][0].fact.id == other[1][0].fact.id == "article-thesis"
    assert (spelt[0].missed_number, other[0].missed_number) == (0.0, 1.0)
