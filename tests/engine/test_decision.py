"""Where a question is asked decides how sure an answer must be: answer, "probably" or nothing.

A calibration that gives every match the same probability keeps these tests about the decision,
whatever the shipped model is refitted to.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from bot.engine import AnswerKind, Matcher, MatchSettings, Surface
from bot.engine.decision import (
    ABOUT_THE_ASKER,
    ANOTHER_TOPICS_ANSWER,
    ASKS_THE_ROOM,
    COUNTS_WHAT_IT_LACKS,
    EVERYDAY_UNASKED,
    HOW_TO_UNTOLD,
    LONE_WORD,
    MOSTLY_ELSEWHERE,
    NAMES_NOT_ITS_TOPIC,
    ONLY_THE_FLOOR,
    PARTLY_ELSEWHERE,
    PARTLY_ELSEWHERE_SURE,
    RESTATES_THE_FIGURE,
    TERSE_UNASKED,
    WHICH_OF_A_COUNT,
    points_at_the_source,
)
from bot.engine.reading import Unit
from bot.knowledge import Fact, KnowledgeBase, Source, Topic
from bot.knowledge.model import FactTranslation
from tests.engine.calibrated import LIKELY, SURE, constant
from tests.engine.decided import assert_decided

SOURCE = Source("atlas", "World Atlas", "Atlas Press", date(2026, 1, 2))
KNOWLEDGE = KnowledgeBase.of(
    [SOURCE],
    [Topic("kimi", "Kimi K2.6", "Moonshot AI's long-context model.", "atlas", ("Kimi",))],
    [
        Fact("spain-capital", "What is the capital of Spain?", "Madrid.", "atlas", None),
        Fact("spain-people", "How many people live in Spain?", "48 million.", "atlas", None),
        Fact("france-capital", "What is the capital of France?", "Paris.", "atlas", None),
        Fact("kimi-price", "How much does Kimi cost?", "RMB 39 a month.", "atlas", "kimi"),
    ],
)


CAPITAL = "what is the capital city of spain"
"""Long enough for an automatic channel to answer unasked (see TERSE_UNASKED)."""


def matcher(probability: float, settings: MatchSettings | None = None) -> Matcher:
    return Matcher(KNOWLEDGE, settings, calibration=constant(probability))


def test_a_likely_match_on_a_mention_is_probable_with_the_other_near_misses() -> None:
    answer = matcher(LIKELY).ask("capital of spain", Surface.MENTION)
    assert answer.kind is AnswerKind.PROBABLE
    assert not answer.answered
    assert answer.confidence == pytest.approx(LIKELY)
    assert (answer.fact.id, answer.topic, answer.source) == ("spain-capital", None, SOURCE)
    assert answer.text == "Madrid."
    assert answer.fact not in answer.suggestions
    assert 1 <= len(answer.suggestions) <= 3


def test_the_automatic_surface_never_says_probably() -> None:
    answer = matcher(LIKELY).ask(CAPITAL, Surface.AUTOMATIC)
    assert answer.kind is AnswerKind.NONE
    assert answer.fact is None and answer.source is None
    assert answer.candidates[0].fact.id == "spain-capital"
    assert answer.confidence == pytest.approx(LIKELY)


@pytest.mark.parametrize(
    ("probability", "mention", "automatic"),
    [
        (0.9, AnswerKind.FACT, AnswerKind.FACT),
        (0.6, AnswerKind.FACT, AnswerKind.NONE),
        (LIKELY, AnswerKind.PROBABLE, AnswerKind.NONE),
        (0.1, AnswerKind.NONE, AnswerKind.NONE),
    ],
)
def test_each_surface_applies_its_own_thresholds(
    probability: float, mention: AnswerKind, automatic: AnswerKind
) -> None:
    ask = matcher(probability).ask
    assert ask(CAPITAL, Surface.MENTION).kind is mention
    assert ask(CAPITAL, Surface.AUTOMATIC).kind is automatic


def test_a_terse_message_naming_no_topic_is_answered_only_when_asked() -> None:
    sure = matcher(0.9)
    terse = sure.ask("capital of spain", Surface.AUTOMATIC)
    assert (terse.kind, terse.reason) == (AnswerKind.NONE, TERSE_UNASKED)
    assert terse.confidence == pytest.approx(0.9)
    assert sure.ask("capital of spain", Surface.MENTION).kind is AnswerKind.FACT
    assert sure.ask(CAPITAL, Surface.AUTOMATIC).kind is AnswerKind.FACT
    named = sure.ask("kimi cost", Surface.AUTOMATIC)
    assert (named.kind, named.fact.id) == (AnswerKind.FACT, "kimi-price"), "a topic named"


def test_likely_is_probably_under_the_default_thresholds() -> None:
    defaults = MatchSettings()
    assert defaults.probable_at <= LIKELY < defaults.answer_at < defaults.automatic_at


def test_the_thresholds_are_the_settings() -> None:
    lenient = MatchSettings(answer_at=0.3, probable_at=0.1, automatic_at=0.35)
    assert matcher(0.4, lenient).ask(CAPITAL, Surface.AUTOMATIC).kind is AnswerKind.FACT
    assert matcher(0.2, lenient).ask("capital of spain").kind is AnswerKind.PROBABLE


def test_a_rule_abstains_whatever_the_probability_and_says_which() -> None:
    answer = matcher(0.99).ask("kimi k9 price")
    assert answer.kind is AnswerKind.NONE
    assert answer.reason == "names a model the knowledge has no topic for"
    assert answer.candidates[0].fact.id == "kimi-price"


DETAIL = KnowledgeBase.of(
    [SOURCE],
    [],
    [
        Fact("spain-joined", "When did Spain join the union?", "In January 1986.", "atlas", None),
        Fact("france-rank", "Where does France rank on tourism?", "It ranks 1st.", "atlas", None),
        Fact("rome-fee", "What does a Rome museum pass cost?", "EUR 20 per month.", "atlas", None),
        Fact("eu-acronym", "What is the EU's CAP?", "The CAP pays farmers.", "atlas", None),
        Fact("summit-month", "When was the summit held?", "In May 2026.", "atlas", None),
        Fact(
            "rail-cadence",
            "When do new rail timetables come out?",
            "Every six months.",
            "atlas",
            None,
        ),
        Fact("louvre-where", "Where is the Louvre?", "On the Right Bank.", "atlas", None),
        Fact("spain-regions", "How many regions has Spain?", "17, each self-run.", "atlas", None),
        Fact("eu-founders", "Who founded the EU?", "France, Italy and four more.", "atlas", None),
        Fact("eu-margins", "How do farm margins fare?", "They are near zero.", "atlas", None),
        Fact("eu-farm-share", "What share do farms get?", "About 30% of it.", "atlas", None),
    ],
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("which day did spain join the union", AnswerKind.PROBABLE),
        ("when did the new rail timetable come out", AnswerKind.PROBABLE),  # a cadence, no date
        ("how often do new rail timetables come out", AnswerKind.FACT),
        ("when did spain join the union", AnswerKind.FACT),
        ("what exact rank does france have on tourism", AnswerKind.FACT),
        ("what is the annual fee for a rome museum pass", AnswerKind.PROBABLE),
        ("monthly cost of a rome museum pass", AnswerKind.FACT),
        ("what does the eu's cap stand for", AnswerKind.PROBABLE),
        ("which city was the summit held in", AnswerKind.PROBABLE),
        ("where is the louvre", AnswerKind.FACT),  # a place the answer gives, if not a city
        ("which city is the louvre in", AnswerKind.PROBABLE),
        ("name all the regions spain has", AnswerKind.PROBABLE),  # how many, not which
        ("list the founders of the eu", AnswerKind.FACT),
        ("what exact percentage are farm margins", AnswerKind.PROBABLE),
        ("what percentage do farms get as their share", AnswerKind.FACT),
    ],
)
def test_asking_for_a_day_the_answer_does_not_give_is_only_probably(
    question: str, kind: AnswerKind
) -> None:
    answer = Matcher(DETAIL, calibration=SURE).ask(question)
    assert answer.kind is kind
    expected = (
        "asks for a detail the answer does not give (a day, a rank, a city, a yearly figure…)"
    )
    assert answer.reason == (expected if kind is AnswerKind.PROBABLE else "")


LONE_WORDS = KnowledgeBase.of(
    [SOURCE],
    [],
    [
        Fact(
            "usage-ratio", "What is the inference ratio?", "Inference is 70% of use.", "atlas", None
        ),
        Fact("panjiu", "What is Alibaba's Panjiu?", "Its in-house system.", "atlas", None),
        Fact("users-stick", "Why do users stick?", "The fee is low.", "atlas", None),
        Fact("louvre-where", "Where is the Louvre?", "On the Right Bank.", "atlas", None),
        Fact("shard-day", "When did the shard open?", "In 2012, in London.", "atlas", None),
    ],
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("ratio?", AnswerKind.NONE),  # one common word could mean any fact that holds it
        ("so many users lol", AnswerKind.NONE),
        ("what is panjiu", AnswerKind.FACT),  # a name the fact writes capitalised
        ("louvre", AnswerKind.FACT),
        ("when did it open, the shard", AnswerKind.FACT),  # asked as the fact answers: a date
        ("what is the inference ratio", AnswerKind.FACT),  # two words held
    ],
)
def test_one_common_word_naming_no_topic_gets_no_answer(question: str, kind: AnswerKind) -> None:
    answer = Matcher(LONE_WORDS, calibration=SURE).ask(question)
    assert_decided(answer, kind, LONE_WORD, fired=AnswerKind.NONE)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("how many people live in spain", AnswerKind.FACT),
        ("how many users does kimi have", AnswerKind.PROBABLE),  # a figure, but not of users
        ("how much does kimi cost", AnswerKind.FACT),
    ],
)
def test_counting_something_the_answer_never_names_is_only_probably(
    question: str, kind: AnswerKind
) -> None:
    answer = matcher(0.9).ask(question)
    assert_decided(answer, kind, COUNTS_WHAT_IT_LACKS, fired=AnswerKind.PROBABLE)


COUNTS = KnowledgeBase.of(
    [SOURCE],
    [],
    [
        Fact("rome-arch", "How is Rome's dome built?", "A concrete dome of rings.", "atlas", None),
        Fact("eu-chips", "Which chips run it?", "Seven types of local chips.", "atlas", None),
        Fact("eu-seats", "What seats are there?", "The only 40-seat hall.", "atlas", None),
        Fact("eu-census", "Who counts the people?", "Census staff count people.", "atlas", None),
    ],
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("how many rings does rome's dome have", AnswerKind.PROBABLE),  # named, never counted
        ("how many chips run it", AnswerKind.FACT),  # a figure a few words before
        ("how many local chips run it", AnswerKind.FACT),  # which chips: the fact says local
        ("how many concrete chips run it", AnswerKind.PROBABLE),  # a known word it never says
        ("how many chips seven types run", AnswerKind.FACT),  # words after the count: not which
        ("how many seats has the hall", AnswerKind.FACT),  # a figure inside "40-seat"
        ("how many people does the census count", AnswerKind.PROBABLE),  # no figure at all
    ],
)
def test_counting_what_the_answer_names_without_a_figure_is_only_probably(
    question: str, kind: AnswerKind
) -> None:
    answer = Matcher(COUNTS, calibration=SURE).ask(question)
    assert_decided(answer, kind, COUNTS_WHAT_IT_LACKS, fired=AnswerKind.PROBABLE)


def test_a_rule_made_probably_takes_the_fitted_probability_and_below_it_abstains() -> None:
    rarely_right = dataclasses.replace(SURE, unsure_probability=0.05)
    answer = Matcher(COUNTS, calibration=rarely_right).ask("how many rings does rome's dome have")
    assert (answer.kind, answer.confidence) == (AnswerKind.NONE, 0.05)
    assert answer.reason == COUNTS_WHAT_IT_LACKS, "--explain still says which rule"
    assert answer.suggestions[0].id == "rome-arch", "the closest match is offered instead"
    stated = Matcher(COUNTS, calibration=rarely_right).ask("how many seats has the hall")
    assert (stated.kind, stated.confidence) == (AnswerKind.FACT, 0.9), "no rule, no cap"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("deepseek v4 用了多少张卡训练", AnswerKind.NONE),  # no answer names cards
        ("kimi k2.6 有多少参数", AnswerKind.FACT),  # "万亿参数" names what is counted
    ],
)
def test_counting_in_chinese_what_no_answer_names_is_never_stated(
    bundled: Matcher, question: str, kind: AnswerKind
) -> None:
    answer = bundled.ask(question)
    assert answer.kind is kind
    assert (answer.reason == COUNTS_WHAT_IT_LACKS) is (kind is AnswerKind.NONE)


HOW_TO_TOLD = KnowledgeBase.of(
    [SOURCE],
    [],
    [
        Fact("rome-dome", "How big is Rome's dome?", "43 metres across.", "atlas", None),
        Fact("eu-visa", "How to get a visa?", "Apply at the consulate.", "atlas", None),
    ],
)
HOW_TO_UNTOLD_KB = KnowledgeBase.of(
    [SOURCE],
    [],
    [
        Fact("rome-dome", "How big is Rome's dome?", "43 metres across.", "atlas", None),
        Fact(
            "eu-visa", "What does a visa need?", "An application at the consulate.", "atlas", None
        ),
    ],
)


@pytest.mark.parametrize(
    ("knowledge", "kind"),
    [
        (HOW_TO_UNTOLD_KB, AnswerKind.NONE),  # it states what is so, never how to
        (HOW_TO_TOLD, AnswerKind.FACT),  # a fact asked "how to…": how-to questions are its kind
    ],
)
def test_asking_how_to_do_something_is_answered_only_by_knowledge_that_tells_how(
    knowledge: KnowledgeBase, kind: AnswerKind
) -> None:
    answer = Matcher(knowledge, calibration=SURE).ask("how do i get a visa at the consulate")
    assert answer.kind is kind
    assert (answer.reason == HOW_TO_UNTOLD) is (kind is AnswerKind.NONE)


PLANS = KnowledgeBase.of(
    [SOURCE],
    [],
    [
        Fact(
            "eu-pass",
            "How much is a rail pass?",
            "Rail passes are cheap, starting at just EUR 40.",
            "atlas",
            None,
        ),
        Fact("rome-dome", "How is Rome's dome built?", "A concrete dome of rings.", "atlas", None),
        Fact("eu-seats", "What seats are there?", "The only 40-seat hall.", "atlas", None),
    ],
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("what does the highest rail pass cost", AnswerKind.PROBABLE),  # the start is no top
        ("how much is the cheapest rail pass", AnswerKind.FACT),
    ],
)
def test_the_top_of_a_range_is_not_answered_by_where_it_starts(
    question: str, kind: AnswerKind
) -> None:
    answer = Matcher(PLANS, calibration=SURE).ask(question)
    assert_decided(answer, kind, ONLY_THE_FLOOR, fired=AnswerKind.PROBABLE)


RUNS = KnowledgeBase.of(
    [SOURCE],
    [Topic("orion", "Orion-8", "A model that works alone.", "atlas", ("Orion",))],
    [
        Fact(
            "orion-hours",
            "How long can Orion work on its own?",
            "Orion-8 worked on its own for 35 hours across 8 repositories.",
            "atlas",
            "orion",
        ),
        Fact(
            "orion-score",
            "What did Orion score on TerminalBench?",
            "Orion-8 scored 69.7 on the TerminalBench benchmark.",
            "atlas",
            "orion",
        ),
        Fact(  # so that "hardware" and "test" are words the knowledge knows
            "lab-hardware",
            "What hardware do labs test on?",
            "Most labs test on rented hardware (租用的硬件).",
            "atlas",
            None,
        ),
    ],
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("what hardware did orion use during its 35 hour run", AnswerKind.PROBABLE),
        ("orion's 35 hours on its own: who ran that test", AnswerKind.PROBABLE),
        ("Orion 连续跑 35 小时用的什么硬件", AnswerKind.PROBABLE),
        ("Orion 嗰 35 個鐘用咩硬件跑", AnswerKind.PROBABLE),  # Cantonese asks with 咩
        ("how long can orion work on its own", AnswerKind.FACT),
        ("orion worked 35 hours on its own?", AnswerKind.FACT),  # checks, asks nothing past it
        ("how long did orion work on its own, 35 hours or 20?", AnswerKind.FACT),  # an option
        ("orion hit 69.7 on what benchmark", AnswerKind.FACT),  # asks what the fact holds
        ("what did orion 8 work on for so long on its own", AnswerKind.FACT),  # the name's 8
        ("what is orion's 35 hours about", AnswerKind.FACT),  # asks nothing the fact lacks
    ],
)
def test_a_question_giving_the_answers_figure_asks_for_something_past_it(
    question: str, kind: AnswerKind
) -> None:
    answer = Matcher(RUNS, calibration=SURE).ask(question)
    assert_decided(answer, kind, RESTATES_THE_FIGURE, fired=AnswerKind.PROBABLE)


def test_a_message_about_the_sender_names_no_topic_and_gets_no_answer() -> None:
    answer = matcher(0.9).ask("my kids asked me what the capital city of spain is")
    assert answer.kind is AnswerKind.NONE
    assert answer.reason == ABOUT_THE_ASKER


def test_a_sender_choosing_among_options_the_knowledge_has_not_heard_of_gets_no_answer() -> None:
    answer = matcher(0.9).ask("spain or zarvonia, which capital should i visit for my honeymoon")
    assert answer.kind is AnswerKind.NONE
    assert answer.reason == ABOUT_THE_ASKER


def test_a_sender_may_still_ask_which_one_or_what_a_fact_is_asked_by_its_askers() -> None:
    which = matcher(0.9).ask("which is the capital i need for spain, madrid or paris?")
    assert which.reason != ABOUT_THE_ASKER
    spain = KNOWLEDGE.facts["spain-capital"]
    phrased = dataclasses.replace(spain, also=("what capital do i fly to in spain",))
    rivers = [  # so that one fact in eleven, under ASKER_FACT_SHARE, is asked so
        Fact(f"river-{n}", f"How long is river {n}?", f"{n}00 km.", "atlas", None)
        for n in range(1, 11)
    ]
    question = "my kids asked me what the capital city of spain is"
    unvouched = KnowledgeBase.of([SOURCE], [], [spain, *rivers])
    assert Matcher(unvouched, calibration=SURE).ask(question).reason == ABOUT_THE_ASKER
    vouched = KnowledgeBase.of([SOURCE], [], [phrased, *rivers])
    assert Matcher(vouched, calibration=SURE).ask(question).kind is AnswerKind.FACT


def test_knowledge_often_asked_by_its_askers_answers_them() -> None:
    faq = KnowledgeBase.of(
        [SOURCE],
        [],
        [
            Fact("reset", "How do I reset my password?", "Use the link.", "atlas", None),
            Fact("spain", "What is the capital of Spain?", "Madrid.", "atlas", None),
        ],
    )
    answer = Matcher(faq, calibration=SURE).ask("my kids asked me the capital of spain")
    assert answer.kind is AnswerKind.FACT


TALLIES = KnowledgeBase.of(
    [SOURCE],
    [Topic("orion", "Orion-8", "A model.", "atlas", ("Orion",))],
    [
        Fact(
            "orion-chips",
            "How many chips does Orion run on?",
            "Orion runs on seven types of domestic chips.",
            "atlas",
            "orion",
            translations=(
                ("zh", FactTranslation("Orion 支持七种国产芯片。", "Orion 支持几种芯片？")),
            ),
        ),
        Fact(
            "makers",
            "What do Lyra's makers back?",
            "Examples: Lyra's makers back seven types of domestic chips; Vega mixes chips; and"
            " Lumen waits.",
            "atlas",
            None,
        ),
        Fact(
            "covered",
            "Which models does the atlas cover?",
            "It covers five models: Orion, Vega, Lyra, Tessa and Lumen.",
            "atlas",
            None,
        ),
    ],
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("what are the 7 chips orion supports", AnswerKind.PROBABLE),
        ("list the seven chips orion runs on", AnswerKind.PROBABLE),
        ("name the 7 chips orion runs on pls", AnswerKind.PROBABLE),
        ("list all 7 chips orion supports", AnswerKind.PROBABLE),
        ("Orion 支持嘅七种芯片系边七种", AnswerKind.PROBABLE),  # Cantonese, as read
        ("how many chips does orion run on", AnswerKind.FACT),
        ("which 5 models does the atlas cover", AnswerKind.FACT),  # the fact lists them
        ("list the seven chip types lyra's makers back", AnswerKind.PROBABLE),  # three, not 7
    ],
)
def test_asking_which_of_a_number_of_things_is_not_answered_by_the_number(
    question: str, kind: AnswerKind
) -> None:
    answer = Matcher(TALLIES, calibration=SURE).ask(question)
    assert_decided(answer, kind, WHICH_OF_A_COUNT, fired=AnswerKind.PROBABLE)


MUSEUM = KnowledgeBase.of(
    [SOURCE],
    [],
    [
        Fact(
            "louvre-news",
            "What is new at the Louvre in the last day?",
            "A new wing opened at the Louvre.",
            "atlas",
            None,
            ("anything new in the last day",),
        ),
        Fact("spain-capital", "What is the capital of Spain?", "Madrid.", "atlas", None),
    ],
)


@pytest.mark.parametrize(
    ("question", "surface", "answered"),
    [
        ("anything new in the last day?", Surface.AUTOMATIC, False),  # everyday words only
        ("anything new in the last day?", Surface.MENTION, True),  # asked, it is answered
        ("anything new at the louvre in the last day?", Surface.AUTOMATIC, True),  # a rare word
    ],
)
def test_a_message_read_unasked_sharing_only_everyday_words_gets_no_post(
    question: str, surface: Surface, answered: bool
) -> None:
    answer = Matcher(MUSEUM, calibration=SURE).ask(question, surface)
    assert answer.answered is answered
    assert (answer.reason == EVERYDAY_UNASKED) is (not answered)


LINEUP = KnowledgeBase.of(
    [SOURCE],
    [
        Topic("orion", "Orion-8", "A model.", "atlas", ("Orion",)),
        Topic("vega", "Vega-2", "Another model.", "atlas", ("Vega",)),
    ],
    [
        Fact(
            "orion-price",
            "How much does an Orion membership cost per month?",
            "An Orion membership costs USD 20 a month.",
            "atlas",
            "orion",
            ("orion subscription price",),
        ),
        Fact(
            "orion-cadence",
            "How often does Orion ship a new version?",
            "Orion ships every five months, while overseas models update monthly.",
            "atlas",
            "orion",
        ),
        Fact(
            "vega-first",
            "Which model first ran on domestic chips?",
            "Vega was the first model to run on domestic chips.",
            "atlas",
            "vega",
            ("vega domestic chips",),
        ),
    ],
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("whats the price per month for the team plan", AnswerKind.PROBABLE),
        ("got charged twice this month for the subscription", AnswerKind.PROBABLE),
        ("when does the next version ship", AnswerKind.PROBABLE),
        ("how much is an orion membership per month", AnswerKind.FACT),  # names the topic
        ("which one costs 20 a month", AnswerKind.FACT),  # asks which topic it is
        ("the cheapest one per month?", AnswerKind.FACT),  # picks one by a superlative
        ("whats the model called that costs 20 a month", AnswerKind.FACT),  # asks its name
        ("how often do overseas models update", AnswerKind.FACT),  # what it asks of, held
        ("first model to run on domestic chips?", AnswerKind.FACT),  # asked unnamed too
    ],
)
def test_a_fact_only_ever_asked_of_by_name_does_not_answer_a_question_naming_nothing(
    question: str, kind: AnswerKind
) -> None:
    answer = Matcher(LINEUP, calibration=SURE).ask(question)
    assert_decided(answer, kind, NAMES_NOT_ITS_TOPIC, fired=AnswerKind.PROBABLE)


THEMES = KnowledgeBase.of(
    [SOURCE],
    [Topic("orion", "Orion", "A model.", "atlas", ("Orion",))],
    [
        Fact(
            "inference-share",
            "What share of compute goes to inference?",
            "Inference takes about 70% of compute at the leading firms.",
            "atlas",
            None,
        ),
        Fact(
            "orion-context", "How long is Orion's context?", "Two million tokens.", "atlas", "orion"
        ),
    ],
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # long, mostly words the knowledge never saw, little of it in the fact
        (
            "whats a sensible local inference compute rig for redaction tests on a mac studio",
            AnswerKind.PROBABLE,
        ),
        ("what share of compute goes to inference these days", AnswerKind.FACT),  # held whole
        ("inference share?", AnswerKind.FACT),  # short: its few words are all it asks
        (
            "which firms spend most compute on inference, asking for a slide deck tmrw",
            AnswerKind.FACT,
        ),
        # a superlative in such a message is about the other things
        (
            "best local model size for redaction tests on a mac studio, inference compute",
            AnswerKind.PROBABLE,
        ),
        (
            "orion inference rig for redaction tests on a mac studio, sensible or not",
            AnswerKind.FACT,
        ),
    ],
)
def test_a_long_message_naming_nothing_mostly_about_something_else_is_not_answered(
    question: str, kind: AnswerKind
) -> None:
    answer = Matcher(THEMES, calibration=SURE).ask(question)
    assert_decided(answer, kind, MOSTLY_ELSEWHERE, fired=AnswerKind.PROBABLE)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("is llama 4 worth the inference compute", AnswerKind.NONE),  # an unseen name, versioned
        ("is llama worth the inference compute", AnswerKind.FACT),  # no version: a word
        ("is orion 4 worth the inference compute", AnswerKind.NONE),  # a version Orion lacks
        ("share of compute for inference in 2 firms", AnswerKind.FACT),  # a known word's number
    ],
)
def test_a_message_naming_an_unseen_versioned_model_gets_no_theme_fact(
    question: str, kind: AnswerKind
) -> None:
    answer = Matcher(THEMES, calibration=SURE).ask(question)
    assert_decided(answer, kind, "names a model the knowledge has no topic for", AnswerKind.NONE)


ASKED_OF_THE_ROOM = KnowledgeBase.of(
    [SOURCE],
    list(THEMES.topics.values()),
    [
        *THEMES.facts.values(),
        Fact("beta", "Has anyone tried the inference beta?", "40 testers did.", "atlas", None),
    ],
)


@pytest.mark.parametrize(
    ("knowledge", "kind"),
    [(THEMES, AnswerKind.NONE), (ASKED_OF_THE_ROOM, AnswerKind.FACT)],
)
def test_asking_the_room_what_they_tried_is_chat_unless_the_knowledge_is_asked_so(
    knowledge: KnowledgeBase, kind: AnswerKind
) -> None:
    question = "anyone here tried the inference share beta yet?"
    answer = Matcher(knowledge, calibration=SURE).ask(question)
    assert_decided(answer, kind, ASKS_THE_ROOM, fired=AnswerKind.NONE)


NAMED_THEMES = KnowledgeBase.of(
    [SOURCE],
    [*THEMES.topics.values(), Topic("vega", "Vega", "A model.", "atlas", ("Vega",))],
    [
        *THEMES.facts.values(),
        Fact("orion-licence", "What licence is Orion under?", "MIT.", "atlas", "orion"),
        Fact("vega-price", "What does Vega cost?", "RMB 39 a month.", "atlas", "vega"),
    ],
)
"""Three phrasings in four name a topic: people are expected to name what they ask about."""
PARTLY_UNHEARD = "what share of compute goes to inference at homelab shops nowadays"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        (PARTLY_UNHEARD, AnswerKind.PROBABLE),
        (
            "per the article, what share of compute goes to inference at homelab shops",
            AnswerKind.FACT,
        ),
        ("which firms spend most compute on inference at homelab shops", AnswerKind.FACT),
        ("what share of compute goes to inference?", AnswerKind.FACT),  # every word heard
    ],
)
def test_a_message_naming_nothing_and_partly_unheard_is_stated_only_when_likely(
    question: str, kind: AnswerKind
) -> None:
    likely = constant((MatchSettings().answer_at + PARTLY_ELSEWHERE_SURE) / 2)
    answer = Matcher(NAMED_THEMES, calibration=likely).ask(question)
    assert_decided(answer, kind, PARTLY_ELSEWHERE, fired=AnswerKind.PROBABLE)


def test_a_partly_unheard_message_is_stated_when_sure_or_where_nothing_is_asked_by_name() -> None:
    sure = constant(PARTLY_ELSEWHERE_SURE)
    assert Matcher(NAMED_THEMES, calibration=sure).ask(PARTLY_UNHEARD).kind is AnswerKind.FACT
    no_topics = KnowledgeBase.of(  # like an FAQ, whose questions name nothing
        [SOURCE], [], [dataclasses.replace(f, topic_id=None) for f in NAMED_THEMES.facts.values()]
    )
    likely = constant((MatchSettings().answer_at + PARTLY_ELSEWHERE_SURE) / 2)
    assert Matcher(no_topics, calibration=likely).ask(PARTLY_UNHEARD).kind is AnswerKind.FACT


@pytest.mark.parametrize(
    ("typed", "meanings", "points"),
    [
        ("article", {}, True),  # a word the knowledge has never seen, as typed
        ("artical", {"articl": 0.9}, True),  # a typo of one
        ("报告", {"报告": 1.0}, True),
        ("repo", {"report": 0.9}, False),  # a short word of its own, not a typo
        ("price", {"price": 1.0}, False),
    ],
)
def test_a_wordpoints_at_the_source_as_typed_or_through_a_typo(
    typed: str, meanings: dict[str, float], points: bool
) -> None:
    assert points_at_the_source(Unit(typed, 1.0, meanings)) is points


RIVALS = KnowledgeBase.of(
    [SOURCE],
    [
        Topic("orion", "Orion", "A model.", "atlas", ("Orion",)),
        Topic("vega", "Vega", "A model.", "atlas", ("Vega",)),
        Topic("compute", "Compute", "Who has which chips.", "atlas"),
    ],
    [
        Fact(
            "orion-focus",
            "What is Orion built for?",
            "Orion is built for coding, where Vega aims at chat.",
            "atlas",
            "orion",
            ("orion focus", "what makes orion special"),
        ),
        Fact("vega-price", "What does Vega cost?", "RMB 39 a month.", "atlas", "vega"),
        Fact(
            "vega-cluster",
            "How big is Vega's GPU cluster?",
            "Vega's maker runs 10,000 GPUs.",
            "atlas",
            "compute",  # a theme's fact, asked for by Vega's name
            ("vega gpu cluster",),
        ),
    ],
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("what is vega built for", AnswerKind.PROBABLE),  # Orion's fact, setting Vega beside it
        ("is vega special for coding", AnswerKind.PROBABLE),
        ("how big is vega's gpu cluster", AnswerKind.FACT),  # a theme's fact about Vega
        ("orion or vega, which is built for coding?", AnswerKind.FACT),  # a choice
    ],
)
def test_an_answer_about_a_topic_the_question_never_names_is_only_probably(
    question: str, kind: AnswerKind
) -> None:
    answer = Matcher(RIVALS, calibration=SURE).ask(question)
    assert_decided(answer, kind, ANOTHER_TOPICS_ANSWER, fired=AnswerKind.PROBABLE)
