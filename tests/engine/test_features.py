"""The features of a match: numbers the decision weighs, read the same way for any knowledge."""

from __future__ import annotations

import pytest

from bot.engine.features import writes_the_number
from bot.knowledge import Fact
from bot.knowledge.model import FactTranslation
from tests.engine.bundled import bundled_matcher


def answering(english: str, chinese: str) -> Fact:
    """A fact with these answers, in English and in Chinese."""
    zh = FactTranslation(chinese, "竞争在哪里展开？")
    return Fact(
        "fronts", "What is the contest fought on?", english, "atlas", translations=(("zh", zh),)
    )


@pytest.mark.parametrize(
    ("figure", "written"),
    [("3", True), ("4", False), ("3.5", False), ("30", False), ("1", False)],
)
def test_an_answer_may_spell_out_a_small_number(figure: str, written: bool) -> None:
    fact = answering("Three fronts at once: architecture, agents and cost.", "架构、智能体和成本。")
    assert writes_the_number(fact, figure) is written


def test_a_chinese_answer_spells_it_in_chinese() -> None:
    assert writes_the_number(answering("Architecture, agents and cost.", "三个方面。"), "3")


def test_a_number_the_answer_spells_out_is_not_missed() -> None:
    matcher = bundled_matcher()
    spelt = matcher.features("what are the 3 things models compete on now")
    other = matcher.features("what are the 4 things models compete on now")
    assert spelt is not None and other is not None
    assert spelt[1][0].fact.id == other[1][0].fact.id == "article-thesis"
    assert (spelt[0].missed_number, other[0].missed_number) == (0.0, 1.0)
