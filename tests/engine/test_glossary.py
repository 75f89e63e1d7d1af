"""The glossary: its words and phrases read as one entry in questions and facts alike, and a
question in other words than the fact's still finds it, in English and Chinese."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.engine import AnswerKind, Matcher
from bot.engine.glossary import Glossary
from bot.engine.text import clean, spelled_terms
from bot.knowledge import Fact, KnowledgeBase
from tests.engine.calibrated import SURE
from tests.engine.digest import DIGEST, lumen

ENTRIES = {
    "cost": ["price", "fee", "outlay", "price tag", "多少钱", "价格"],
    "developer": ["maker", "who makes", "开发商"],
}
GLOSSARY = Glossary.of(ENTRIES)


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("lumen price?", [("lumen", "lumen", None), ("price", "pric", None)]),
        ("what's the price tag", [("price", "pric", "=cost"), ("tag", "tag", "=cost")]),
        ("who makes lumen", [("makes", "mak", "=developer"), ("lumen", "lumen", None)]),
        ("月多少钱", [("月", "月", None), ("钱", "钱", "=cost")]),
        ("lumen 的价格", [("lumen", "lumen", None), ("价格", "价格", "=cost")]),
        ("开发商", [("开发", "开发", "=developer"), ("发商", "发商", "=developer")]),
    ],
)
def test_a_question_reads_each_phrases_words_with_its_entry(
    text: str, read: list[tuple[str, str, str | None]]
) -> None:
    assert GLOSSARY.read(text) == read


def test_a_phrase_of_function_words_only_is_read_as_its_entry() -> None:
    glossary = Glossary.of({"cost": ["how much", "多少"]})
    assert glossary.read("how much is it") == [("how much", "=cost", None)]
    assert glossary.read("多少") == [("多少", "=cost", None)]


def test_a_phrase_with_an_apostrophe_reads_as_chat_types_it_without() -> None:
    glossary = Glossary.of({"developer": ["who's behind"]})
    assert glossary.read("whos behind lumen") == [
        ("behind", "behind", "=developer"),
        ("lumen", "lumen", None),
    ]


def test_single_words_know_their_entry() -> None:
    assert GLOSSARY.entry_of("pric") == "=cost"
    assert GLOSSARY.entry_of("lumen") is None


def test_a_fact_is_indexed_under_every_entry_it_says() -> None:
    found = GLOSSARY.entries_in("Lumen's maker sets a low price tag: 多少钱 does not matter.")
    assert sorted(set(found)) == ["=cost", "=developer"]


def test_entries_no_fact_holds_are_left_out_of_reading() -> None:
    held = GLOSSARY.held_by({"=cost", "pric"})
    assert held.read("who makes it") == [("makes", "mak", None)]
    assert held.read("price tag") == [("price", "pric", "=cost"), ("tag", "tag", "=cost")]


@given(st.text(max_size=60))
def test_text_without_glossary_words_reads_as_without_a_glossary(text: str) -> None:
    glossary = Glossary.of({"zzcost": ["zzprice", "zz fee"]})
    expected = [(word, term, None) for word, term in spelled_terms(text)]
    if "zz" not in clean(text):
        assert glossary.read(text) == expected
    assert Glossary.of({}).read(text) == expected


TOPICS = [lumen()]
FACTS = [
    Fact(
        "lumen-cost",
        "How much does Lumen-4 cost?",
        "Lumen-4 costs USD 20 a month.",
        "digest",
        "lumen",
        ("lumen 4 monthly cost",),
    ),
    Fact(
        "lumen-developer",
        "Which developer built Lumen-4?",
        "Lumen-4 comes from Lantern Labs.",
        "digest",
        "lumen",
        ("lumen developer",),
    ),
    Fact(
        "lumen-context",
        "How long a context can Lumen-4 read?",
        "Lumen-4 reads 400,000 tokens at once.",
        "digest",
        "lumen",
        ("lumen context window",),
    ),
]


def catalogue(glossary: dict[str, list[str]]) -> Matcher:
    entries = {headword: tuple(same) for headword, same in glossary.items()}
    return Matcher(KnowledgeBase.of([DIGEST], TOPICS, FACTS, entries), calibration=SURE)


@pytest.mark.parametrize(
    ("question", "expected", "used"),
    [
        ("what's the outlay for lumen", "lumen-cost", (("outlay", "cost"),)),
        ("lumen fee", "lumen-cost", (("fee", "cost"),)),
        ("lumen outlya", "lumen-cost", (("outlya", "cost"),)),
        ("who makes lumen", "lumen-developer", (("makes", "developer"),)),
        ("lumen 一个月多少钱", "lumen-cost", (("钱", "cost"),)),
        ("lumen 开发商是谁", "lumen-developer", (("开发", "developer"), ("发商", "developer"))),
    ],
)
def test_a_question_in_the_glossarys_words_finds_the_fact(
    question: str, expected: str, used: tuple[tuple[str, str], ...]
) -> None:
    with_glossary = catalogue(ENTRIES).ask(question)
    assert with_glossary.kind is AnswerKind.FACT
    assert with_glossary.fact is not None and with_glossary.fact.id == expected
    assert with_glossary.glossary == used
    without = catalogue({}).ask(question)
    assert not without.candidates or used[0][0] not in without.candidates[0].matched


def test_the_facts_own_words_still_rank_first_with_a_glossary() -> None:
    matcher = catalogue(ENTRIES)
    for fact in FACTS:
        for phrasing in fact.phrasings:
            assert matcher.ask(phrasing).candidates[0].fact.id == fact.id, phrasing
