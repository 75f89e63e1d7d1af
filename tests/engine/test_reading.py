"""Reading a question: what each typed word may mean in the knowledge's own vocabulary."""

from __future__ import annotations

from datetime import date

import pytest

from bot.engine import AnswerKind, Matcher
from bot.engine.reading import ABBREVIATION_SIMILARITY, LONE_CJK_SHARE, latin_names_in_chinese
from bot.knowledge import Fact, KnowledgeBase, Source
from tests.engine.bundled import bundled_matcher

SOURCE = Source("notes", "Lab Notes", "Notes Press", date(2026, 2, 1))
KNOWLEDGE = KnowledgeBase.of(
    [SOURCE],
    [],
    [
        Fact("training", "How much did training cost?", "USD 6 million.", "notes", None),
        Fact("ai-share", "What share of work is AI?", "About 40%.", "notes", None),
    ],
)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(KNOWLEDGE)


def meanings(matcher: Matcher, word: str) -> dict[str, float]:
    (unit,) = matcher.reader.read(word).units
    return unit.meanings


@pytest.mark.parametrize("typed", ["trainign", "trainnig", "trainingg"])
def test_a_mangled_ending_after_a_known_stem_reads_as_the_stem(
    matcher: Matcher, typed: str
) -> None:
    assert meanings(matcher, typed) in ({"train": ABBREVIATION_SIMILARITY}, {"train": 0.9})


@pytest.mark.parametrize("typed", ["air", "aim", "trainspotters"])
def test_a_short_stem_or_a_long_tail_is_not_read_into_a_word(matcher: Matcher, typed: str) -> None:
    assert matcher.reader.read(f"cost {typed}").units[-1].meanings == {}


@pytest.mark.parametrize("typed", ["somethign", "anythign", "compaer"])
def test_a_misspelt_word_that_asks_for_nothing_is_dropped(matcher: Matcher, typed: str) -> None:
    assert [unit.typed for unit in matcher.reader.read(f"training {typed}").units] == ["training"]


@pytest.mark.parametrize(
    "filler", ["tbh", "ngl", "rn", "imo", "btw", "anymore", "like", "literally"]
)
def test_chat_fillers_say_nothing(matcher: Matcher, filler: str) -> None:
    assert [unit.typed for unit in matcher.reader.read(f"training cost {filler}").units] == [
        "training",
        "cost",
    ]


def test_a_chat_fillers_other_forms_still_find_their_fact() -> None:
    liked = Fact("likes", "Who liked the post?", "Three readers.", "notes", None, ("likes count",))
    knowledge = KnowledgeBase.of([SOURCE], [], [*KNOWLEDGE.facts.values(), liked])
    assert Matcher(knowledge).ask("who liked the post").fact == liked
    assert "lik" in Matcher(knowledge).index.vocabulary, "only questions leave fillers out"


def test_a_lone_chinese_character_weighs_as_little_as_a_digit() -> None:
    reader = bundled_matcher().reader
    units = {unit.typed: unit for unit in reader.read("大家对 Kimi 有什么担心？").units}
    lone, word = units["有"], units["担心"]
    idf = reader.index.idf
    assert lone.weight == pytest.approx(max(idf[t] for t in lone.meanings) * LONE_CJK_SHARE)
    assert word.weight == pytest.approx(max(idf[t] for t in word.meanings if t in idf))


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("comfyui 的工作流怎么分享给别人", True),  # a tool the knowledge never mentions
        ("微调显存不够 除了lora还有啥办法", True),
        ("哪个模型的 context 最长", False),  # a word the knowledge holds
        ("zp 的开源协议是什么", False),  # two letters: as often an initialism
        ("comfyui workflow sharing", False),  # no Chinese: it may be an English slip
    ],
)
def test_an_unknown_latin_word_inside_chinese_is_a_name(question: str, names: bool) -> None:
    reading = bundled_matcher().reader.read(question)
    assert latin_names_in_chinese(reading) is names


def test_a_chinese_message_about_a_tool_the_knowledge_lacks_gets_no_fact() -> None:
    matcher = bundled_matcher()
    assert matcher.ask("comfyui 的工作流怎么分享给别人").kind is AnswerKind.NONE
    answer = matcher.ask("kimi 的 context 多长")  # a topic named: the usual rules decide
    assert answer.kind is AnswerKind.FACT and answer.fact is not None
    assert answer.fact.id == "kimi-context"


@pytest.mark.parametrize(
    ("question", "topics"),
    [
        ("DSV4-Pro 训练成本多少", ["deepseek"]),  # the alias DS, then V4
        ("deepseekv4 training cost", ["deepseek"]),
        ("llamav3 training cost", []),  # no name the knowledge knows before the v
        ("dsv training cost", []),  # no version after it
    ],
)
def test_a_known_name_with_a_versions_v_glued_on_is_read_as_the_name(
    question: str, topics: list[str]
) -> None:
    assert list(dict.fromkeys(bundled_matcher().reader.read(question).entities)) == topics
