"""The gap between two compared figures is worked out only when both facts give one figure of
the same unit, and it is always the larger minus the smaller, for the larger's topic."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.engine import Answer, AnswerKind
from bot.engine.margins import margin_of
from bot.knowledge import Fact, Topic

LUMEN = Topic("lumen", "Lumen-4", "Lumen-4 is a coding model.", "digest")
TESSA = Topic("tessa", "Tessa 2.5", "Tessa 2.5 is an agent model.", "digest")


def compared(first: str, second: str) -> tuple[Answer, Answer]:
    """Two stated answers with these texts, Lumen's then Tessa's."""
    return tuple(  # type: ignore[return-value]
        Answer(
            "q",
            AnswerKind.FACT,
            0.9,
            fact=Fact(topic.id, "q?", text, "digest", topic.id),
            topic=topic,
        )
        for topic, text in ((LUMEN, first), (TESSA, second))
    )


@pytest.mark.parametrize(
    ("first", "second", "figure", "more"),
    [
        ("Lumen-4 worked for 3 hours unattended.", "Tessa 2.5 ran for 9 hours.", "6 hours", TESSA),
        (
            "Lumen-4 can work on its own for up to 35 consecutive hours.",
            "Tessa 2.5 managed 8 hours.",
            "27 hours",
            LUMEN,
        ),
        ("Lumen-4 costs USD 20 a month.", "Tessa 2.5 costs USD 35 a month.", "USD 15", TESSA),
        ("Lumen-4 scored 69.7 points.", "Tessa 2.5 scored 58.4 points.", "11.3 points", LUMEN),
        ("Lumen-4 trained on 10,000 GPUs.", "Tessa 2.5 trained on 2,500 GPUs.", "7500 GPUs", LUMEN),
        ("Lumen-4 自主运行了 35 小时。", "Tessa 2.5 可以连续工作 8 小时。", "27 小时", LUMEN),
        ("Lumen-4 answers in 8 minutes.", "Tessa 2.5 answers in 20 minutes.", "12 minutes", TESSA),
    ],
)
def test_a_gap_of_one_unit_is_worked_out_for_the_larger(
    first: str, second: str, figure: str, more: Topic
) -> None:
    margin = margin_of(compared(first, second))
    assert margin is not None
    assert margin.figure == figure
    assert margin.more is more and margin.less is (TESSA if more is LUMEN else LUMEN)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Lumen-4 scored 69.7 on CodeArena.", "Tessa 2.5 scored 58.4 on BugBench."),  # not alike
        ("Lumen-4 costs USD 20 a month.", "Tessa 2.5 costs RMB 39 a month."),  # two currencies
        ("Lumen-4 was trained for USD 5.57 million.", "Tessa 2.5 costs USD 35 a month."),
        ("Lumen-4 训练花了 557 万美元。", "Tessa 2.5 训练花了 80 万美元。"),  # scaled
        ("Lumen-4 ran 3 hours, then 5 hours.", "Tessa 2.5 ran for 9 hours."),  # which of two?
        ("Lumen-4 worked for 9 hours.", "Tessa 2.5 worked for 9 hours."),  # no gap
        ("Lumen-4 is GLM-5.1's rival.", "Tessa 2.5 is K2.6's rival."),  # versions, no figures
    ],
)
def test_figures_of_different_things_have_no_gap(first: str, second: str) -> None:
    assert margin_of(compared(first, second)) is None


def test_only_two_facts_have_a_gap() -> None:
    one, other = compared("Lumen-4 ran 3 hours.", "Tessa 2.5 ran 9 hours.")
    assert margin_of((one,)) is None
    assert margin_of((one, other, other)) is None


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=10**9),
    st.sampled_from(["hours", "tokens", "GPUs"]),
)
def test_the_gap_is_the_larger_less_the_smaller(first: int, second: int, unit: str) -> None:
    margin = margin_of(compared(f"Lumen-4 has {first} {unit}.", f"Tessa 2.5 has {second} {unit}."))
    if first == second:
        assert margin is None
        return
    assert margin is not None
    assert Decimal(margin.difference) == abs(first - second)
    assert margin.unit == unit
    assert margin.more is (LUMEN if first > second else TESSA)
    smaller, larger = sorted((first, second))
    if smaller == 0:
        assert margin.times == "" and not margin.says_times
    else:
        assert abs(Decimal(margin.times) - Decimal(larger) / smaller) <= Decimal("0.05")


@pytest.mark.parametrize(
    ("first", "second", "times", "says"),
    [
        ("Lumen-4 ran 35 hours.", "Tessa 2.5 ran 8 hours.", "4.4", True),
        ("Lumen-4 ran 10 hours.", "Tessa 2.5 ran 5 hours.", "2", True),
        ("Lumen-4 scored 61 points.", "Tessa 2.5 scored 60 points.", "1", False),  # says nothing
    ],
)
def test_the_ratio_is_the_larger_over_the_smaller_to_a_tenth(
    first: str, second: str, times: str, says: bool
) -> None:
    margin = margin_of(compared(first, second))
    assert margin is not None
    assert (margin.times, margin.says_times) == (times, says)
