"""Counting: what a "how many" question counts and whether an answer counts it."""

from __future__ import annotations

import pytest

from bot.engine.counting import asks_to_count, counted_words, counts


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("how many gpus did deepseek use to train v4", ("gpus",)),
        ("How many activated parameters does it use?", ("activated", "parameters")),
        ("how much vram do i need", ("vram",)),
        ("how many kinds of domestic chips does it support", ("domestic", "chips")),  # of chips
        ("how many different types of chips", ("chips",)),
        ("how much cheaper is minimax", ()),  # a degree, not a count
        ("how much fastr did it get", ()),  # a degree, mistyped
        ("DeepSeek 而家幾耐先更新一次", ()),  # Cantonese: how long
        ("how many times cheaper is it", ()),
        ("how much did it cost to train", ()),
        ("v4-pro training cost was how much again", ()),  # asks to be told once more
        ("what did it score", ()),
        ("千问3.7旗舰有多少参数", ("参数",)),
        ("DeepSeek用了多少张昇腾芯片", ("升腾",)),  # read as Simplified, past the measure word
        ("MiniMax 最多能同时跑几个 agent", ("agent",)),  # a Latin word counted in Chinese
        ("总共多少 GPU hours", ("gpu",)),
        ("算力有幾多 PFLOPS", ("pflops",)),  # Cantonese
        ("那激活是多少 B", ()),  # a unit, not a thing counted
        ("训练花了多少钱", ()),  # a sum
        ("在 TerminalBench 上跑了多少分", ()),  # a score
        ("哪几家公司在做", ()),  # which ones, not how many
        ("这几个模型里谁的上下文最长", ()),  # these models, not how many
        ("那几家公司有多少员工", ("员工",)),
        ("推理算力占总用量大概几成了", ()),  # a share in tenths
        ("训练一共花了多少美金", ()),  # a sum in dollars
        ("会员最便宜多少一个月", ()),  # a rate
        ("推理速度提了多少来着", ()),  # a particle
        ("inference cost 大概是多少 percent", ()),  # a share, in English
        ("推理占了多少比例啊", ()),  # a share
        ("不会又是几百万美元的神话吧", ()),  # a magnitude of money
        ("kimi能吃多长的上下文 我想一次丢几十篇笔记进去", ()),  # dozens of the sender's notes
        ("是不是唯一进盲测前多少名的国产模型", ()),  # a rank, not a count of models
        ("能连续干活几个钟头", ()),  # hours, colloquially
        ("排进前几名了", ()),  # a place in a ranking
        ("想给团队开几个号", ()),  # a one-character thing, too short to look for
        ("公司有多少名员工", ("员工",)),  # past the measure word, as before
    ],
)
def test_a_how_many_question_says_what_it_counts(question: str, counted: tuple[str, ...]) -> None:
    assert counted_words(question) == counted


@pytest.mark.parametrize(
    ("answer", "terms", "answers"),
    [
        ("It supports seven types of domestic chips.", ["chip"], True),
        ("Alibaba has a 10,000-GPU cluster.", ["gpu"], True),
        ("A trillion-parameter MoE model.", ["param"], True),  # a shortened term
        ("The only Chinese-developed model to make it.", ["model"], True),  # a count of one
        ("DeepSeek V4 runs on domestic chips.", ["chip"], False),  # "v4" is a name
        ("A Mixture-of-Experts (MoE) architecture.", ["expert"], False),
        ("Benchmark rankings mattered. By May 2026, no more.", ["benchmark"], False),  # a year
        ("A trillion-parameter Mixture-of-Experts model.", ["expert"], False),  # counts params
        ("12 chips, shipped from far away to a hall.", ["hall"], False),  # out of reach
    ],
)
def test_an_answer_counts_a_thing_with_a_figure_near_it(
    answer: str, terms: list[str], answers: bool
) -> None:
    assert counts(answer, terms) is answers


def test_a_curators_phrasing_vouches_for_the_count_it_asks() -> None:
    assert asks_to_count("How many people live in Spain?", ["peopl"])
    assert asks_to_count("How many params has it?", ["parameter"])  # shortened
    assert not asks_to_count("Which people live in Spain?", ["peopl"])
    assert not asks_to_count("How many regions has Spain?", ["peopl"])
