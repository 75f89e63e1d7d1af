"""The normaliser: every spelling people use for the same thing meets at the same terms."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine.text import (
    _ASCII_PHRASING_WORD,
    _ASCII_TOKEN,
    _CJK_PHRASING_WORD,
    _FIGURE,
    _MONTH,
    _NUMBER_WORD,
    _RATIO,
    _REASON,
    _TOKEN,
    _YEAR,
    ANSWER_DERIVED_KINDS,
    MONTHS,
    QUESTION_KINDS,
    _ascii_terms,
    _gives_day,
    _gives_margin,
    _gives_rank,
    _kinds_asked,
    alternation,
    answer_kinds,
    answers_kinds,
    asked_kinds,
    asked_years,
    asks_about_the_listener,
    asks_to_count,
    asks_which_by_name,
    asks_which_version,
    clean,
    content_terms,
    counted_words,
    counts,
    has_whole_word,
    inflected_alike,
    place_in_a_list,
    spelled_terms,
    stem,
    terms,
    whole_word_matches,
)


@pytest.mark.parametrize("spelling", ["GLM5.1", "glm 5.1", "GLM-5.1", "Glm_5.1", "ＧＬＭ５．１"])
def test_version_spellings_agree(spelling: str) -> None:
    assert terms(spelling) == ["glm", "5.1"]


def test_case_accents_and_invisible_characters_fold() -> None:
    assert terms("Ｃａｆé\u200b BAR\u202e") == ["caf", "bar"]


def test_thousands_separators_join_and_decimals_stay() -> None:
    assert terms("a 10,000-GPU cluster cost USD 5.57 million") == [
        "a",
        "10000",
        "gpu",
        "cluster",
        "cost",
        "usd",
        "5.57",
        "million",
    ]


def test_cjk_becomes_character_pairs_and_splits_from_latin() -> None:
    assert terms("千问在TerminalBench上") == ["千问", "问在", "terminalbench", "上"]


def test_not_says_nothing_about_which_fact() -> None:
    assert content_terms("is it not open source") == ["open", "sourc"]


def test_and_between_two_names_says_nothing_but_stays_inside_a_word() -> None:
    assert content_terms("qwen和glm价格") == ["qwen", "glm", "价格"]
    assert content_terms("kimi还是minimax") == ["kimi", "minimax"]
    assert content_terms("世界和平") == ["世界", "界和", "和平"]


@pytest.mark.parametrize(
    ("forms", "common"),
    [
        (["score", "scores", "scored", "scoring"], "scor"),
        (["train", "trains", "trained", "training"], "train"),
        (["run", "runs", "running"], "run"),
        (["evolve", "evolves", "evolved", "evolving"], "evolv"),
    ],
)
def test_inflections_meet_at_one_stem(forms: list[str], common: str) -> None:
    assert {stem(form) for form in forms} == {common}


@given(st.text(max_size=300))
def test_any_text_gives_terms_without_blank_ones(text: str) -> None:
    produced = terms(text)
    assert all(term and term == term.strip() for term in produced)
    assert clean(clean(text)) == clean(text)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_tokenizer_splits_exactly_as_the_general_one(text: str) -> None:
    cleaned = clean(text)
    assert _ASCII_TOKEN.findall(cleaned) == _TOKEN.findall(cleaned)


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


PREFIXED_WORDS = st.lists(
    st.sampled_from(["how", "how many", "how many percent", "ten", "tenfold", "score", "scores"])
    | st.text(alphabet="howmanyperctsfld", min_size=1, max_size=6),
    min_size=1,
).map(set)


@given(
    PREFIXED_WORDS,
    st.lists(
        st.sampled_from(["how", "many", "percent", "tenfold", "ten", "scores", " ", "x", "-"])
    ).map("".join),
)
def test_an_alternation_matches_where_its_words_longest_first_do(
    words: set[str], text: str
) -> None:
    longest_first = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    for ending in ("", r"(?!\w)"):
        expected = [m.span() for m in re.finditer(f"(?:{longest_first}){ending}", text)]
        assert [m.span() for m in re.finditer(alternation(words) + ending, text)] == expected


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
    for pattern in (_YEAR, _MONTH, _NUMBER_WORD, _REASON):
        assert has_whole_word(pattern, text) == any(whole_word_matches(pattern, text))
    words = sum(1 for _ in whole_word_matches(_NUMBER_WORD, text))
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


CHAT_WORDS = st.sampled_from(
    ["the", "What", "ppl", "scores", "GPT-5.5", "1,000", "v4", "说", "—", "–", "1,000—", "a–b"]
)


@given(st.text(max_size=60) | st.lists(CHAT_WORDS | st.text(max_size=3)).map(" ".join))
def test_content_terms_are_the_spelled_terms_without_their_spellings(text: str) -> None:
    assert content_terms(text) == [term for _, term in spelled_terms(text)]


@given(st.text(alphabet=st.sampled_from("aZ5 ,.09\t\n\x0b\x1c\x1f\x00\x7f-s"), max_size=40))
def test_plain_text_read_a_piece_at_a_time_reads_as_the_whole_of_it(text: str) -> None:
    assert content_terms(text) == list(_ascii_terms(clean(text)))


@given(st.text(alphabet=st.sampled_from("aZ5 ,.09\t\x1c-s\u2013\u2014"), max_size=40))
def test_plain_text_with_dashes_reads_as_when_cleaned_whole(text: str) -> None:
    assert content_terms(text) == [term for _, term in spelled_terms(text)]


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("how many hours can glm run?", {"quantity"}),
        ("How much does Kimi cost", {"quantity"}),
        ("kimi 一个月多少钱", {"quantity"}),
        ("when was it released and how long did it take", {"time", "date", "quantity"}),
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
        ("how often does deepseek ship, and when", {"quantity", "time"}),
        ("qwen 哪年发布的", {"date"}),
        ("千问什么时候上线的", {"time", "date"}),
        ("deepseek 什么时候更新", {"time"}),
        ("which city was it held in", {"city"}),
        ("where was it held", {"place"}),
        ("what's the annual price", {"yearly"}),
        ("kimi 年费", {"yearly"}),
        ("monthly fee?", {"monthly"}),
        ("what does MoE stand for", {"expansion"}),
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
        ("Kimi 会员一个月最低多少钱", {"quantity"}),  # the lowest, not by how much
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
        ("From RMB 39 per month.", {"quantity", "monthly"}),
        ("每月只要 RMB 39 起。", {"quantity", "monthly"}),
        ("USD 200 a year, billed annually.", {"quantity", "yearly"}),
        ("A Mixture-of-Experts (MoE) design.", {"expansion"}),
        ("An MoE (Mixture of Experts) design.", {"expansion"}),
        ("An MoE design with DSA.", set()),
        ("It supports seven chip types, a first.", {"quantity"}),
        ("Ascend, Kunlun and Hygon chips.", {"list"}),
        ("编程能力和规划能力。", {"list"}),
        ("About 5% of the usual cost.", {"percent", "quantity", "margin"}),
        ("Margins are near zero.", set()),
        ("It scored 58.4, first in the world.", {"quantity"}),  # one score is no margin
        ("From about two months to about five.", {"quantity", "margin"}),
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


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("千問", "千问"),
        ("會員多少錢", "会员多少钱"),
        ("萬億參數", "万亿参数"),
        ("Kimi 開發商", "kimi 开发商"),
    ],
)
def test_traditional_chinese_reads_as_simplified(traditional: str, simplified: str) -> None:
    assert clean(traditional) == simplified
    assert terms(traditional) == terms(simplified)


def test_a_traditional_chinese_question_word_asks_as_the_simplified_one() -> None:
    assert asked_kinds("智譜有幾個模型") == asked_kinds("智谱有几个模型") == {"quantity"}


@given(st.text(alphabet=st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF), max_size=8))
def test_cleaning_chinese_twice_changes_nothing_more(text: str) -> None:
    assert clean(clean(text)) == clean(text)


@pytest.mark.parametrize(
    "question",
    [
        "what would you do if you had a million dollars?",
        "Whats your rank on the leaderboard?",
        "how far are u on it",
        "What were you originally studying?",
        "you getting paid?",
    ],
)
def test_a_question_about_whoever_it_is_put_to_is_told_apart(question: str) -> None:
    assert asks_about_the_listener(question)


@pytest.mark.parametrize(
    "question",
    [
        "can you tell me who wrote the article",
        "Could you identify the analyst behind the report?",
        "do you know when qwen came out",
        "thank you! and the price?",
        "Do people still use it?",
        "yearly price of kimi?",
        "which model runs 8 hours unsupervised",
    ],
)
def test_asking_the_bot_politely_is_not_asking_about_it(question: str) -> None:
    assert not asks_about_the_listener(question)


@pytest.mark.parametrize(
    "question",
    [
        "how do you run deepseek locally",
        "if you need a long context, which model?",
        "u can use it?",
    ],
)
def test_you_meaning_anyone_is_not_asking_about_the_listener(question: str) -> None:
    assert not asks_about_the_listener(question)


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("Qwen3.7-Max 是在哪里发布的", ["qwen", "3.7", "max", "在", "发布"]),
        ("为什么 kimi 亏钱", ["kimi", "亏钱"]),
        ("kimi 何时上线", ["kimi", "上线"]),
    ],
)
def test_chinese_question_words_say_nothing_about_which_fact(
    question: str, kept: list[str]
) -> None:
    assert content_terms(question) == kept


@pytest.mark.parametrize(
    ("question", "placed"),
    [
        ("3rd model on the list?", "model on the list?"),
        ("which one is listed #4", "which one is listed"),
        ("名单里第三个模型是哪个", "名单里 模型是哪个"),
        ("智谱是不是第一个超过闭源的开源模型", None),  # the first ever
        ("which model ranked 3rd on the leaderboard", None),  # a ranking, not a list
        ("list the models", None),  # no place asked
    ],
)
def test_a_place_in_a_list_is_cut_out_of_the_question(question: str, placed: str | None) -> None:
    cut = place_in_a_list(question)
    assert (cut if cut is None else " ".join(cut.split())) == placed


def test_chinese_filler_words_are_no_terms() -> None:
    assert content_terms("主要强化了哪些能力") == content_terms("强化了哪些能力")
    assert content_terms("到底具体花了多少钱") == content_terms("花了多少钱")
    assert content_terms("千问叫啥名字") == content_terms("千问叫 名字")  # a run cut in two


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("how many gpus did deepseek use to train v4", ("gpus",)),
        ("How many activated parameters does it use?", ("activated", "parameters")),
        ("how much vram do i need", ("vram",)),
        ("how much cheaper is minimax", ()),  # a degree, not a count
        ("how much fastr did it get", ()),  # a degree, mistyped
        ("DeepSeek 而家幾耐先更新一次", ()),  # Cantonese: how long
        ("how many times cheaper is it", ()),
        ("how much did it cost to train", ()),
        ("what did it score", ()),
        ("千问3.7旗舰有多少参数", ("参数",)),
        ("DeepSeek用了多少张昇腾芯片", ("升腾",)),  # read as Simplified, past the measure word
        ("训练花了多少钱", ()),  # a sum
        ("在 TerminalBench 上跑了多少分", ()),  # a score
        ("哪几家公司在做", ()),  # which ones, not how many
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


@pytest.mark.parametrize(
    ("question", "years", "version"),
    [
        ("what share was inference back in 2024", ("2024",), False),
        ("2024年推理占比多少 去年呢", ("2024", "去年"), False),
        ("which version of CANN does it run on", (), True),
        ("智谱这次的模型版本号是多少", (), True),
        ("how many hours can it run, 20245 tokens", (), False),  # no year inside a longer number
    ],
)
def test_a_question_says_which_years_and_whether_a_version_it_asks_about(
    question: str, years: tuple[str, ...], version: bool
) -> None:
    assert (asked_years(question), asks_which_version(question)) == (years, version)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Which Claude model specifically did Qwen beat?", True),
        ("minimax uses which intl chips exactly", True),
        ("MiniMax 的国际芯片是哪家的", True),
        ("GLM-5 支持哪几种芯片", True),
        ("glm 支持哪七种芯片", True),
        ("what chips does minimax use", False),  # may ask what kind
        ("which zhipu model supports 7 chips, glm-5 or glm-5.1?", False),  # options offered
        ("which is cheaper", False),
    ],
)
def test_a_question_can_ask_which_named_thing(question: str, asks: bool) -> None:
    assert asks_which_by_name(question) is asks


@pytest.mark.parametrize(
    ("word", "other", "alike"),
    [
        ("employee", "employees", True),
        ("company", "companies", True),
        ("price", "priced", True),
        ("train", "training", True),
        ("aim", "aime", False),  # one stem, two words
        ("employs", "employees", False),
        ("investing", "investment", False),
    ],
)
def test_words_are_alike_only_in_another_ending(word: str, other: str, alike: bool) -> None:
    assert inflected_alike(word, other) is alike
