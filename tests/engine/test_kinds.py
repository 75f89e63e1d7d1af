"""Kinds of answer: what a question asks for and what a fact's answer gives, alone and over many
facts at once."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine.kinds import (
    _ASCII_PHRASING_WORD,
    _CJK_PHRASING_WORD,
    _FIGURE,
    _MONTH,
    _RATIO,
    _REASON,
    ANSWER_DERIVED_KINDS,
    MONTHS,
    NUMBER_WORD,
    QUESTION_KINDS,
    YEAR,
    _gives_day,
    _gives_margin,
    _gives_rank,
    _kinds_asked,
    answer_kinds,
    answers_kinds,
    asked_kinds,
    gives_only_a_floor,
    most_listed,
)
from bot.engine.text import has_whole_word, whole_word_matches
from tests.engine.bundled import bundled_matcher


@given(
    st.lists(
        st.sampled_from(["When", "WHO", "whom", "whose", "where", "why", "what", "whoever"])
        | st.sampled_from([" ", ",", "_", "-", "x", "1", "\n", "é"])
    ).map("".join)
)
def test_question_words_are_read_as_whole_words_in_any_case(text: str) -> None:
    whole_words = re.findall(r"\w+", text.lower())
    expected = {QUESTION_KINDS[word] for word in whole_words if word in QUESTION_KINDS}
    assert asked_kinds(text) == expected


DAY_AND_RANK_PARTS = st.sampled_from(
    [
        *MONTHS[:6],
        *("12", "3rd", "of", "#", "no.", "1", "2026-05-12", "5月12日", "第三", "第 1", "21st"),
        *("first", "top", "place", "spot", "ranked", "ranks", "placed", "second", "x", ".", "-"),
    ]
)
"""Pieces of days and ranks, joined by spaces or nothing, so near misses come up too."""
_MONTH_NAMES = "|".join(MONTHS)
_ONE_DAY_PATTERN = re.compile(
    rf"(?:{_MONTH_NAMES})\s+\d{{1,2}}(?!\d)|(?<!\d)\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"(?:{_MONTH_NAMES})|\d{{4}}-\d\d-\d\d|\d\s*[日号]"
)
_ONE_RANK_PATTERN = re.compile(
    r"(?<![\w.])(?:\d+(?:st|nd|rd|th)|#\s?\d+|no\.\s?\d+)(?!\w)"
    r"|(?:first|second|third|fourth|fifth|top|last)\s+(?:place|spot|position|rank)"
    r"|(?:ranks?|ranked|ranking|placed?)\s+(?:first|second|third|\d)|第\s*[\d一二三四五六七八九十]"
)
"""Days and ranks as one pattern each, as they were read before each form was tried apart."""


@given(st.lists(DAY_AND_RANK_PARTS.map(lambda part: part + " ") | DAY_AND_RANK_PARTS).map("".join))
def test_days_and_ranks_are_found_as_one_pattern_finds_them(answer: str) -> None:
    assert _gives_day(answer) == (_ONE_DAY_PATTERN.search(answer) is not None)
    assert _gives_rank(answer) == (_ONE_RANK_PATTERN.search(answer) is not None)


FIGURE_PARTS = st.sampled_from(
    "2026 1999 12 3.5 v4 glm-5.1 five twice tenfold x - , because since so that may mayday half"
    " one _ ten due to".split()
)
"""Pieces of figures, years, months and reasons, joined by spaces or nothing."""


@settings(max_examples=500)
@given(st.lists(FIGURE_PARTS.map(lambda part: part + " ") | FIGURE_PARTS).map("".join))
def test_whole_words_are_searched_for_first_without_changing_what_is_found(text: str) -> None:
    for pattern in (YEAR, _MONTH, NUMBER_WORD, _REASON):
        assert has_whole_word(pattern, text) == any(whole_word_matches(pattern, text))
    words = sum(1 for _ in whole_word_matches(NUMBER_WORD, text))
    counted = bool(_RATIO.search(text)) or len(_FIGURE.findall(text)) + words >= 2
    assert _gives_margin(text, dated=False) == counted


FIGURE_LOOKING_BEHIND_FIRST = re.compile(r"(?<![a-z\d.,])(?<![a-z]-)\d")
"""Figures as they were found before the digit came first in the pattern."""


@given(st.text(alphabet=st.sampled_from("ab1,.-9 x0"), max_size=12))
def test_figures_are_found_where_looking_behind_first_finds_them(text: str) -> None:
    found = [match.span() for match in _FIGURE.finditer(text)]
    assert found == [match.span() for match in FIGURE_LOOKING_BEHIND_FIRST.finditer(text)]


QUESTION_PARTS = st.sampled_from([*QUESTION_KINDS, "x", "wh", "哪", "个", "里", "ever", "s"])
"""Every question word, and pieces that run into them, joined by spaces or nothing."""


@settings(max_examples=500)
@given(st.lists(QUESTION_PARTS.map(lambda part: part + " ") | QUESTION_PARTS).map("".join))
def test_a_facts_phrasings_give_the_kinds_all_question_words_find(text: str) -> None:
    found = _kinds_asked(text, _ASCII_PHRASING_WORD, _CJK_PHRASING_WORD)
    assert found == asked_kinds(text) - ANSWER_DERIVED_KINDS


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("how many hours can glm run?", {"quantity", "duration"}),
        ("How much does Kimi cost", {"quantity"}),
        ("kimi 一个月多少钱", {"quantity", "money"}),
        ("how much money has moonshot raised", {"quantity", "money"}),
        ("what did gpt-4 actually cost to train?", {"quantity"}),  # an amount, no "how much"
        ("what did qwen get on terminalbench", {"quantity"}),  # a result on something
        ("what does kimi get in the update", set()),
        ("and its training cost in dollars", {"quantity", "money"}),
        ("what was gpt-4's exact training cost in the article", {"quantity"}),
        ("by what percentage have api prices fallen", {"percent"}),  # a share, not any figure
        ("how much faster did it get when it rewrote its kernel", {"margin"}),  # a clause
        ("what happens when the context runs out", set()),
        ("when it launched?", {"time"}),  # opening the question, it asks
        ("what is minimax's cost advantage", set()),  # cost as a quality, not an amount
        ("what does low cost mean here", set()),
        ("when was it released and how long did it take", {"time", "date", "quantity", "duration"}),
        ("what is the architecture", set()),
    ],
)
def test_a_question_can_ask_for_a_figure(question: str, kinds: set[str]) -> None:
    assert asked_kinds(question) == kinds


@pytest.mark.parametrize(
    ("answer", "gives_figure"),
    [
        ("Qwen3.7-Max scored 69.7 on TerminalBench.", True),
        ("It reviews five models.", True),
        ("Inference grew tenfold.", True),
        ("About 5% of the cost.", True),
        ("DeepSeek V4 runs on Huawei Ascend, like GLM-5.1 and Kimi K2.6.", False),
        ("Someone at the company said so.", False),
    ],
)
def test_only_an_answer_with_a_figure_gives_one(answer: str, gives_figure: bool) -> None:
    assert ("quantity" in answer_kinds([], answer)) is gives_figure


@pytest.mark.parametrize(
    ("answer", "gives_money"),
    [
        ("Kimi's membership starts at just RMB 39 per month.", True),
        ("It was trained for only USD 5.57 million.", True),
        ("A plan costs $20 a month.", True),
        ("会员每月 39 元起。", True),
        ("Its inference costs about 5% of the usual.", False),  # a share, not a sum
        ("It reads over 2 million tokens.", False),
        ("这是一个多元的生态。", False),  # 元 in a word, by no figure
    ],
)
def test_only_an_answer_with_a_sum_of_money_gives_one(answer: str, gives_money: bool) -> None:
    assert ("money" in answer_kinds([], answer)) is gives_money


@pytest.mark.parametrize(
    ("question", "asks_a_span"),
    [
        ("how long can kimi run agent tasks on its own", True),
        ("how long did v4 take to train", True),
        ("DeepSeek V4 训练一共花了多少天", True),  # days spent, not money spent
        ("deepseek 多久更新一次", True),
        ("how long is kimi's context", False),  # a length of text
        ("how long does kimi's context window go", False),
        ("前几天 kimi 更新了吗", False),  # "the other day" says when
        ("这几个月 deepseek 有什么动静", False),
    ],
)
def test_a_question_can_ask_how_long_something_takes(question: str, asks_a_span: bool) -> None:
    assert ("duration" in asked_kinds(question)) is asks_a_span
    assert "money" not in asked_kinds(question)


@pytest.mark.parametrize(
    ("answer", "gives_a_span"),
    [
        ("GLM-5.1 can work on its own for 8 hours straight.", True),
        ("From a new version every two months to one every five months.", True),
        ("迭代周期从两个月一次拉长到五个月一次。", True),
        ("它连续自主运行了 35 个小时。", True),
        ("Kimi's membership starts at RMB 39 a month.", False),  # a rate, no span
        ("千问于 2026 年 5 月发布。", False),  # May, not five months
        ("Released in May 2026.", False),
    ],
)
def test_only_an_answer_with_a_span_of_time_gives_one(answer: str, gives_a_span: bool) -> None:
    assert ("duration" in answer_kinds([], answer)) is gives_a_span


def test_a_phrasing_asking_how_many_does_not_make_a_figure() -> None:
    assert "quantity" not in answer_kinds(["how many users does it have?"], "A loyal crowd.")


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("which day in may was it released", {"day"}),
        ("what exact date did it launch?", {"day"}),
        ("阿里云峰会是五月几号", {"day"}),
        ("what exact rank did it get", {"rank"}),
        ("它在榜上排第几", {"rank"}),
        ("what is the release date", set()),
        ("when did deepseek v4 launch", {"time", "date"}),
        ("When will the next one come out", {"time", "date"}),
        ("which month did it launch", {"date"}),  # not answered by "every five months"
        ("what year was it released", {"date"}),
        ("how often does deepseek ship, and when", {"quantity", "time"}),
        ("qwen 哪年发布的", {"date"}),
        ("kimi 啥时候上线的", {"time", "date"}),  # chat's 什么时候
        ("智谱 GLM-5.1 是几月份发布的", {"date"}),  # the month asked: a date
        ("kimi 会员年付多少钱", {"yearly", "quantity", "money"}),
        ("月付多少", {"monthly", "quantity"}),
        ("how is its compute split, like what ratio", {"margin"}),  # "70%" or "tenfold"
        ("what fraction of its compute is domestic chips", {"margin"}),
        ("训练成本是 GPT-4 的几分之一", {"margin"}),
        ("海外卡和国产卡什么比例", {"percent"}),
        ("千问什么时候上线的", {"time", "date"}),
        ("deepseek 什么时候更新", {"time"}),
        ("which city was it held in", {"city"}),
        ("where was it held", {"place"}),
        ("what's the annual price", {"yearly", "quantity"}),  # an amount, yearly
        ("kimi 年费", {"yearly"}),
        ("monthly fee?", {"monthly"}),
        ("what does MoE stand for", {"expansion"}),
        ("DSA 是什么的缩写", {"expansion"}),
        ("GLM 用的新架构缩写是啥", set()),  # asks the short form itself
        ("how much is it a month", {"quantity"}),
        ("what are the 7 chip types, by name", {"list"}),
        ("它支持哪些芯片", {"list"}),
        ("what exact margin percentage do they earn", {"percent"}),
        ("what did it score on terminalbench", {"quantity"}),
        ("推理成本是传统模型的百分之几", {"percent"}),
        ("per-token gross margin %, like an actual number", {"percent"}),
        ("so margins are 5% now?", set()),  # a figure with its sign says, it does not ask
        ("about 5 % of the cost, right", set()),
        ("beat claude by how many points", {"margin"}),
        ("比第二名高了几分", {"margin"}),
        ("被 Qwen 超了几分", {"margin"}),
        ("how much cheaper is minimax", {"margin"}),
        ("how much did glm-5.1 improve over glm-5", {"quantity", "margin"}),  # a change asked
        ("how much did prices drop", {"quantity", "margin"}),
        ("千问35h vs 智谱8h，差了几个小时", {"margin", "duration"}),
        ("qwen vs glm hours, what's the gap", {"margin"}),
        ("how many hours more does qwen go", {"quantity", "margin", "duration"}),
        ("how many points higher did it score", {"quantity", "margin"}),
        ("Kimi 会员一个月最低多少钱", {"quantity", "money"}),  # the lowest, not by how much
    ],
)
def test_a_question_can_ask_for_a_day_or_a_place_in_a_ranking(
    question: str, kinds: set[str]
) -> None:
    assert asked_kinds(question) == kinds


@pytest.mark.parametrize(
    ("answer", "kinds"),
    [
        ("It was released on May 12, 2026.", {"time", "date", "day", "quantity"}),
        ("It came out on 12 May 2026.", {"time", "date", "day", "quantity"}),
        ("发布于2026年5月12日。", {"time", "date", "day", "quantity"}),
        ("It was released in May 2026.", {"time", "date", "quantity"}),
        ("It ranked 3rd worldwide.", {"rank", "quantity"}),
        ("Ranking first globally on the benchmark.", {"rank"}),
        ("It took first place on the leaderboard.", {"rank"}),
        ("It is #1 on SWE-Bench Pro.", {"rank", "quantity"}),
        ("It made the world's top 15.", {"quantity"}),
        ("GLM-5.1 is an open model.", set()),
        ("From RMB 39 per month.", {"quantity", "monthly", "money"}),
        ("每月只要 RMB 39 起。", {"quantity", "monthly", "money"}),
        ("USD 200 a year, billed annually.", {"quantity", "yearly", "money"}),
        ("A Mixture-of-Experts (MoE) design.", {"expansion"}),
        ("An MoE (Mixture of Experts) design.", {"expansion"}),
        ("An MoE design with DSA.", set()),
        ("It supports seven chip types, a first.", {"quantity"}),
        ("Ascend, Kunlun and Hygon chips.", {"list"}),
        ("编程能力和规划能力。", {"list"}),
        ("About 5% of the usual cost.", {"percent", "quantity", "margin"}),
        ("Margins are near zero.", set()),
        ("It scored 58.4, first in the world.", {"quantity"}),  # one score is no margin
        ("From about two months to about five.", {"quantity", "margin", "duration"}),
        ("Tenfold faster.", {"quantity", "margin"}),
        ("Less than one-tenth of the cost.", {"quantity", "margin"}),
    ],
)
def test_only_an_answer_that_names_the_day_or_the_place_gives_it(
    answer: str, kinds: set[str]
) -> None:
    phrasings = ["which day was it released?", "what rank did it get?"]
    assert answer_kinds(phrasings, answer) == kinds


ANSWER_PARTS = st.sampled_from(
    [
        *"0123456789-,/%#( )年月日第和倍",
        "may 12",
        "2026-05-12",
        "first place",
        "ranked 3",
        "3rd",
        "no. 4",
        "twice",
        "two",
        "because",
        "per year",
        "a month",
        " and ",
        "MoE (Mixture of Experts)",
        "stands for",
        "GLM-5.1",
        "v4",
        "因为",
        "百分之",
    ]
)
"""Pieces of answers that give every kind, and characters that start, end or join them."""
FACT_TEXTS = st.tuples(
    st.lists(st.lists(QUESTION_PARTS).map(" ".join), max_size=3),
    st.lists(ANSWER_PARTS).map("".join),
)


@settings(max_examples=300)
@given(st.lists(FACT_TEXTS, max_size=12))
def test_kinds_found_over_many_facts_at_once_are_each_facts_own(
    facts: list[tuple[list[str], str]],
) -> None:
    assert answers_kinds(facts) == [answer_kinds(*fact) for fact in facts]


def test_facts_whose_texts_hold_what_joins_them_are_read_one_by_one() -> None:
    facts = [(["when?"], "In May 2026\x00, 3rd"), (["why"], "\x00because of 2 or 3")]
    assert answers_kinds(facts) == [answer_kinds(*fact) for fact in facts]


def test_a_traditional_chinese_question_word_asks_as_the_simplified_one() -> None:
    assert asked_kinds("智譜有幾個模型") == asked_kinds("智谱有几个模型") == {"quantity"}


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("智谱有几个模型", {"quantity"}),
        ("这几个模型里谁的上下文最长", {"agent"}),  # 这几个: these, asking who
        ("那几家里哪家最便宜", set()),
        ("哪几个模型开源", {"list"}),
    ],
)
def test_ji_after_a_pointing_word_asks_no_count(question: str, kinds: set[str]) -> None:
    assert asked_kinds(question) == kinds


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("how much money has kimi's maker raised so far", None),  # Kimi's facts give no sum
        ("how much did deepseek v4-pro cost to train, in dollars", "deepseek-training-cost"),
        ("kimi 会员一个月多少钱", "kimi-price"),
    ],
)
def test_a_sum_of_money_is_answered_only_by_a_fact_that_gives_one(
    question: str, fact: str | None
) -> None:
    answer = bundled_matcher().ask(question)
    assert (answer.fact.id if answer.answered and answer.fact else None) == fact


@pytest.mark.parametrize(
    ("answers", "floor"),
    [
        (["Membership is cheap, starting at just RMB 39 per month."], True),
        (["会员每月 39 元起。"], True),
        (["Plans start at RMB 39 and go up to RMB 199."], False),  # the top is given too
        (["It ranks first, with 58.4."], False),
    ],
)
def test_an_answer_can_give_only_where_a_range_starts(answers: list[str], floor: bool) -> None:
    assert gives_only_a_floor(answers) is floor


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("GLM-5 支援幾多種國產晶片", {"quantity"}),  # 幾多: how many
        ("Qwen 幾時發佈", {"time"}),  # 幾時: when
        ("點解 DeepSeek 慢咗咁多", {"reason"}),  # 點解: why
        ("峰會喺邊度開", {"place"}),  # 邊度: where
        ("文章講咗邊啲模型", {"list"}),  # 邊啲: which ones
    ],
)
def test_cantonese_question_words_ask_as_the_mandarin_ones(question: str, kinds: set[str]) -> None:
    assert asked_kinds(question) == kinds


@pytest.mark.parametrize(
    ("answer", "most"),
    [
        ("it covers five models: orion, vega, lyra, tessa and lumen.", 5),
        ("deepseek is tuned for ascend; seven kinds of chips run glm-5; and minimax mixes.", 4),
        ("orion runs on seven types of domestic chips.", 1),
        ("deepseek 适配昇腾；glm-5 支持七种芯片；minimax 混用国际和国产芯片", 4),
    ],
)
def test_an_answer_names_at_most_one_more_thing_than_its_separators(answer: str, most: int) -> None:
    assert most_listed(answer) == most
