"""Which language an answer is given in, and its texts in it, falling back with a note."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.engine import Matcher, Surface
from bot.engine.evaluation import Case, evaluate, in_language_share
from bot.engine.languages import (
    in_language,
    locale_language,
    question_language,
    reply_language,
    speaks,
    untranslated_note,
)
from bot.knowledge import load_knowledge
from tests.knowledge.test_loader import TRANSLATED

UNTRANSLATED_FACT = """\
  - id: kimi-context
    topic: kimi
    question: How long is Kimi's context?
    also: [kimi context]
    answer: Over 2M tokens.
"""


@pytest.fixture
def matcher(tmp_path: Path) -> Matcher:
    path = tmp_path / "k.yaml"
    path.write_text(TRANSLATED + UNTRANSLATED_FACT, encoding="utf-8")
    return Matcher(load_knowledge([path]))


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("kimi 多少钱", "zh"),
        ("Kimi 會員多少錢？", "zh"),
        ("how much is kimi?", "en"),
        ("42 ?", None),
    ],
)
def test_a_questions_script_tells_its_language(question: str, language: str | None) -> None:
    assert question_language(question) == language


@pytest.mark.parametrize(
    ("locale", "language"),
    [("zh-CN", "zh"), ("zh-TW", "zh"), ("en-US", "en"), ("fr", "fr"), (None, None), ("", None)],
)
def test_a_discord_locale_is_reduced_to_its_language(locale: str | None, language) -> None:
    assert locale_language(locale) == language


def test_public_replies_follow_the_question_then_the_server_then_the_source() -> None:
    assert reply_language("kimi 多少钱", "en-US") == "zh"
    assert reply_language("kimi price?", "zh-CN") == "en"
    assert reply_language("42?", "zh-CN") == "zh"
    assert reply_language("42?", None) is None


def test_a_fact_in_chinese_keeps_its_id_key_and_source(matcher: Matcher) -> None:
    english = matcher.ask("kimi price")
    chinese = in_language(english, "zh")
    assert chinese.fact is not None and english.fact is not None
    assert (chinese.text, chinese.fact.question) == ("会员每月 RMB 39 起。", "Kimi 多少钱？")
    assert (chinese.key, chinese.source, chinese.language) == (english.key, english.source, "zh")
    assert chinese.topic is not None and chinese.topic.name == "Kimi K2.6"


def test_no_language_or_the_sources_own_gives_the_answer_as_written(matcher: Matcher) -> None:
    answer = matcher.ask("kimi price")
    assert in_language(answer, None).text == in_language(answer, "en").text == answer.text
    assert in_language(answer, None).language == "en"


def test_a_missing_translation_gives_the_original_after_a_note(matcher: Matcher) -> None:
    answer = in_language(matcher.ask("kimi context"), "zh")
    assert answer.text == f"{untranslated_note('zh')}\nOver 2M tokens."
    assert untranslated_note("zh") == "（暂无中文译文，以下为原文。）"
    assert untranslated_note("ja").startswith("(Not translated into 'ja' yet")


def test_an_answer_speaks_a_language_when_every_record_it_shows_does(matcher: Matcher) -> None:
    translated, untranslated = matcher.ask("kimi price"), matcher.ask("kimi context")
    assert speaks(translated, "zh") and speaks(translated, "en")
    assert not speaks(untranslated, "zh") and speaks(untranslated, "en")
    assert not speaks(translated, "fr")


def test_eval_counts_the_answers_it_can_give_in_each_language(matcher: Matcher) -> None:
    report = evaluate(
        matcher, [Case("kimi price", fact_id="kimi-price"), Case("kimi context")], Surface.MENTION
    )
    assert [answer.answered for _, answer in report.results] == [True, True]
    assert in_language_share(report, "zh") == 0.5
    assert in_language_share(report, "en") == in_language_share(report) == 1.0


def test_summaries_and_card_rows_are_translated(matcher: Matcher) -> None:
    knowledge = matcher.knowledge
    summary = in_language(matcher.summary_answer(knowledge.topics["kimi"]), "zh")
    assert summary.text == "月之暗面的模型。"
    assert dict(summary.topic.card if summary.topic else ()) == {
        "Developer": "月之暗面",
        "Context": "2M+ tokens",
    }, "rows not translated stay as written"
    row = knowledge.facts["kimi--developer"]
    assert in_language(matcher.fact_answer(row), "zh").text == "Kimi K2.6 — Developer: 月之暗面"


def test_compared_answers_are_each_translated(matcher: Matcher) -> None:
    knowledge = matcher.knowledge
    facts = [knowledge.facts["kimi-price"], knowledge.facts["kimi-context"]]
    compared = in_language(matcher.comparison_answer(facts), "zh")
    assert compared.key == "facts:kimi-price+kimi-context"
    assert [item.text for item in compared.compared] == [
        "会员每月 RMB 39 起。",
        f"{untranslated_note('zh')}\nOver 2M tokens.",
    ]


def test_a_fact_is_offered_in_the_readers_language_only_where_that_asks_for_it(
    matcher: Matcher, bundled: Matcher
) -> None:
    price = bundled.knowledge.facts["kimi-price"]
    assert bundled.question_in(price, "zh") == price.translation("zh").question
    assert bundled.question_in(price, None) == price.question
    context = matcher.knowledge.facts["kimi-context"]
    assert matcher.question_in(context, "zh") == context.question, "no translation to offer"
    vague = dataclasses.replace(
        price, translations=(("zh", dataclasses.replace(price.translation("zh"), question="嗯？")),)
    )
    assert bundled.question_in(vague, "zh") == price.question, "a question that gets nothing"
