"""Unknown subjects never get another topic's answer, and the names a fact holds still work.

On a small made-up catalogue, so the rules are shown to come from the knowledge itself, and on
the bundled article with the questions that used to get another model's answer.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engine import AnswerKind, Matcher
from bot.engine.decision import (
    ANOTHER_PLACE,
    ANOTHER_YEAR,
    NAMES_NONE_ASKED,
    NO_VERSION_WRITTEN,
    RULES_IT_OUT,
)
from bot.engine.subjects import (
    capitalised_inside,
    codes_in,
    grammatical_subjects,
    names_one_of,
    names_written,
    versions_in,
)
from bot.knowledge import Fact, KnowledgeBase, Topic
from tests.engine.calibrated import SURE
from tests.engine.decided import assert_decided
from tests.engine.digest import DIGEST

TOPICS = [
    Topic("lumen", "Lumen-4", "Lumen-4 is a coding model.", "digest", ("Lumen 4", "Lumen")),
    Topic("tessa", "Tessa 2.5", "Tessa 2.5 is an agent model.", "digest", ("Tessa",)),
]
FACTS = [
    Fact(
        "lumen-codearena",
        "What did Lumen-4 score on CodeArena?",
        "Lumen-4 scored 61.2 on CodeArena, ahead of Corvid's flagship model.",
        "digest",
        "lumen",
        ("lumen 4 codearena score", "did lumen 4 beat corvid"),
    ),
    Fact(
        "lumen-price",
        "How much does Lumen-4 cost?",
        "Lumen-4 costs USD 20 a month.",
        "digest",
        "lumen",
        ("lumen 4 price",),
    ),
    Fact(
        "tessa-bugbench",
        "What did Tessa 2.5 score on BugBench?",
        "Tessa 2.5 scored 48.0 on BugBench, the best result so far.",
        "digest",
        "tessa",
        ("tessa bugbench score",),
    ),
    Fact(
        "tessa-hours",
        "How long can Tessa 2.5 work on its own?",
        "Tessa 2.5 worked for 9 hours with no one stepping in.",
        "digest",
        "tessa",
        ("how long can tessa run autonomously",),
    ),
    Fact(
        "digest-weekly",
        "How often does the digest appear?",
        "The Lantern Weekly digest appears every Monday.",
        "digest",
        None,
        ("when does the digest come out",),
    ),
]


@pytest.fixture(scope="module")
def catalogue() -> Matcher:
    return Matcher(KnowledgeBase.of([DIGEST], TOPICS, FACTS))


@pytest.mark.parametrize(
    ("word", "is_name"),
    [
        ("corvid", True),  # capitalised inside a sentence, never in lower case
        ("codearena", True),
        ("bugbench", True),
        ("scored", False),  # an ordinary word
        ("48.0", False),  # a figure
        ("lantern", False),  # the publisher's name: every fact of the source is 'about' it
        ("monday", True),
        ("banana", False),  # not in the knowledge at all
    ],
)
def test_names_are_read_off_how_the_answers_write_them(
    catalogue: Matcher, word: str, is_name: bool
) -> None:
    assert catalogue.decider.subjects.is_proper_name(word) is is_name


def forum(capitalised: int, lower: int) -> Matcher:
    """A forum-like knowledge: a site's name capitalised in some answers and lower case in
    others, among enough other facts for it to be rare."""
    facts = [
        Fact(f"cap-{at}", f"How do I do task {at}?", f"Open Githop and run step {at}.", "digest")
        for at in range(capitalised)
    ]
    facts += [
        Fact(f"low-{at}", f"How do I fix error {at}?", f"on githop, retry error {at}.", "digest")
        for at in range(lower)
    ]
    facts += [
        Fact(f"other-{at}", f"What is item {at}?", f"Item {at} is a thing.", "digest")
        for at in range(60)
    ]
    return Matcher(KnowledgeBase.of([DIGEST], [], facts))


@pytest.mark.parametrize(
    ("capitalised", "lower", "is_name"),
    [(3, 0, True), (3, 1, True), (2, 1, False), (0, 3, False)],
)
def test_a_name_written_now_and_then_in_lower_case_is_still_a_name(
    capitalised: int, lower: int, is_name: bool
) -> None:
    assert forum(capitalised, lower).decider.subjects.is_proper_name("githop") is is_name


@pytest.mark.parametrize(
    "question",
    [
        "what did corvid score on bugbench",  # a name only Lumen's fact holds, asked of Tessa's
        "what did tessa 2.5 score on codearena",  # a benchmark the named model has no score on
        "how long can corvid work on its own",
        "what did zephyr's model score on bugbench",  # an owner the knowledge has never seen
        "which model beat corvid-3 on codearena",  # a version of a name the fact never writes
    ],
)
def test_a_name_the_best_fact_does_not_hold_gets_no_answer(
    catalogue: Matcher, question: str
) -> None:
    answer = catalogue.ask(question)
    assert answer.kind is AnswerKind.NONE
    assert answer.reason == "names someone or something the best answer does not mention"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("which model beat Corvid's flagship on CodeArena?", "lumen-codearena"),
        ("tessa 2.5 bugbench score", "tessa-bugbench"),
        ("lumen 4 codearena score", "lumen-codearena"),
        ("what was tessa's score on bugbench", "tessa-bugbench"),
    ],
)
def test_a_name_the_fact_holds_is_no_reason_to_abstain(
    catalogue: Matcher, question: str, expected: str
) -> None:
    answer = catalogue.ask(question)
    assert answer.candidates[0].fact.id == expected
    assert answer.reason == ""


@pytest.mark.parametrize(
    "question",
    [
        "tessa 2.5 flash bugbench score",
        "what did tessa 2.5 flash score on bugbench",  # "did": asked of the variant
        "lumen 4 turbo price",
        "lumen-4 ultra codearena score",
        "what's the price of lumen-4-mini?",  # joined to the version, with nothing after it
        "lumen-4-flagship price",  # a word its facts hold, but joined to the version as a name
    ],
)
def test_a_word_after_a_versioned_name_may_be_a_variant_the_knowledge_lacks(
    catalogue: Matcher, question: str
) -> None:
    answer = catalogue.ask(question)
    assert answer.kind is AnswerKind.NONE
    assert answer.reason == "names a model the knowledge has no topic for"


@pytest.mark.parametrize(
    "question",
    [
        "did tessa 2.5 crack 50 on bugbench",
        "lumen 4 price",
        "tessa bugbench score",
        "lumen-4 price, is it worth it?",
        "what is lumen 4 said to cost",  # a verb after the name, not a variant
        "how long can tessa 2.5 grind on bugbench",  # after a modal, what the model does
        "tessa 2.5 managed what on bugbench",
    ],
)
def test_words_that_are_not_a_variant_leave_the_model_alone(
    catalogue: Matcher, question: str
) -> None:
    assert catalogue.ask(question).reason != "names a model the knowledge has no topic for"


@pytest.mark.parametrize(
    "question",
    [
        "what did claude score on swe bench pro",
        "how long can claude work autonomously",
        "what did glm score on terminalbench",
        "glm 5.1 air swe bench",
        "deepseek v4 flash training cost",
        "kimi k2.6 turbo price",
        "what did gpt-5 score on swe-bench",
        "what's gemini's context window, is it really 1m tokens",
        "What did Gemini score on SWE-Bench Pro?",
        "how much cheaper is v4-pro than gpt-5",  # the answer sets it beside GPT-4
        "is claude-5 better than qwen on terminalbench",
    ],
)
def test_the_article_never_answers_for_a_model_it_does_not_cover(
    bundled: Matcher, question: str
) -> None:
    assert bundled.ask(question).kind is AnswerKind.NONE


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("which model beat Claude's flagship on TerminalBench?", "qwen-terminalbench"),
        ("what did glm 5.1 score on swe bench pro", "glm-swebench-pro"),
        ("deepseek v4 pro training cost", "deepseek-training-cost"),
        # a doer in lower case is no name, capitalised or not known
        (
            "Does the notion that parameter count confers supremacy still hold?",
            "trends-architecture",
        ),
        # both facts name Huawei's Ascend as the chips it was trained on
        ("what chips was deepseek v4 trained on, huawei?", "deepseek-ascend deepseek-world-first"),
        ("how did deepseek v4 compare to gpt-4 on cost", "deepseek-training-cost"),
    ],
)
def test_the_article_still_answers_questions_that_mention_other_names(
    bundled: Matcher, question: str, expected: str
) -> None:
    answer = bundled.ask(question)
    assert answer.reason == ""
    assert answer.candidates[0].fact.id in expected.split()


UNSURE = "compares with a named topic the answer leaves out"
PROBABLE, FACT = AnswerKind.PROBABLE, AnswerKind.FACT


@pytest.fixture(scope="module")
def sure_catalogue() -> Matcher:
    """Every match at 0.9, so only the rules decide between an answer and a 'probably'."""
    sure = SURE
    return Matcher(KnowledgeBase.of([DIGEST], TOPICS, FACTS), calibration=sure)


@pytest.mark.parametrize(
    "question",
    ["lumen 4 price compared to tessa 2.5", "what did tessa score on bugbench vs lumen-4"],
)
def test_an_answer_about_one_of_two_compared_topics_is_only_probably(
    sure_catalogue: Matcher, question: str
) -> None:
    answer = sure_catalogue.ask(question)
    assert answer.kind is AnswerKind.PROBABLE
    assert answer.reason == UNSURE
    assert answer.confidence == pytest.approx(0.9)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("which costs USD 20 a month, lumen 4 or tessa 2.5?", "lumen-price"),
        ("who scored 48.0 on bugbench, tessa or lumen", "tessa-bugbench"),
    ],
)
def test_asking_which_of_two_topics_is_answered_by_one_of_them(
    sure_catalogue: Matcher, question: str, expected: str
) -> None:
    answer = sure_catalogue.ask(question)
    assert answer.kind is AnswerKind.FACT
    assert answer.fact is not None and answer.fact.id == expected


FIGURE_OF_A_MENTION = "asks a figure of a name the answer only mentions"
CODE = "names a model or part by a code the answer does not write"


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("how much did Corvid's flagship score on CodeArena?", FIGURE_OF_A_MENTION),
        ("what did corvid's flagship score on codearena", FIGURE_OF_A_MENTION),
        ("what did corvid's flagship model cost to train?", FIGURE_OF_A_MENTION),
        ("how many points did corvid get on codearena", FIGURE_OF_A_MENTION),
        ("Corvid 在 CodeArena 上多少分", FIGURE_OF_A_MENTION),
        ("那 Corvid 在 CodeArena 上到底多少分", FIGURE_OF_A_MENTION),  # 那 opens, asks no one
        (
            "CodeArena 上 Corvid 旗舰多少分？Lumen 4 比它高几分",
            FIGURE_OF_A_MENTION,
        ),  # a place first
        ("what codearena score did the corvid flagship lumen 4 beat get?", FIGURE_OF_A_MENTION),
        ("what was corvid's codearena score? lumen 4 beat it", FIGURE_OF_A_MENTION),  # "was X's"
        ("Lumen 4 超过的那个 Corvid 旗舰，CodeArena 上拿了多少分", FIGURE_OF_A_MENTION),  # 那个 X
        ("lumen 4 在codearena上压过corvid旗舰 那corvid当时是多少分", FIGURE_OF_A_MENTION),
        ("Lumen 4 贏咗嗰個 Corvid 旗艦 CodeArena 攞幾多分", FIGURE_OF_A_MENTION),  # Cantonese 嗰個
        ("what did lumen 4 score on codearena on h100s?", CODE),
    ],
)
def test_an_answer_about_something_near_what_is_asked_is_only_probably(
    sure_catalogue: Matcher, question: str, reason: str
) -> None:
    answer = sure_catalogue.ask(question)
    assert (answer.kind, answer.reason) == (AnswerKind.PROBABLE, reason)


@pytest.mark.parametrize(
    "question",
    [
        "which model beat Corvid's flagship on CodeArena?",  # asks for the fact's own topic
        "how much did lumen 4 score on codearena, ahead of corvid?",  # names the topic
        "how many points did the model ahead of corvid get on codearena",  # corvid not the subject
        "what did lumen 4 score on codearena vs corvid's flagship",  # names the topic it asks
        "what is the CodeArena score of lumen 4",  # after "is the": what is asked, not whose
        "那个 Lumen 4 在 CodeArena 上考了多少分",  # points at the topic itself
        "Lumen 4 超过 Corvid 那个 CodeArena 分数是多少来着",  # points at the score
    ],
)
def test_a_name_the_answer_mentions_is_fine_when_the_figure_is_not_its(
    sure_catalogue: Matcher, question: str
) -> None:
    assert sure_catalogue.ask(question).reason != FIGURE_OF_A_MENTION


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("what gpus are in the cluster, h100s?", {"h100"}),
        ("昇腾910C还是910B", {"910c"}),  # 910B reads as 910 billion: a figure, not a code
        ("kimi k2.6 vs qwen3.7-max", {"k2.6", "qwen3.7"}),
        ("10k gpus, 2m tokens, 15th place, 1.5x faster, 8h", set()),
    ],
)
def test_codes_are_letters_and_digits_written_as_one_word(text: str, codes: set[str]) -> None:
    assert codes_in(text) == codes


@pytest.mark.parametrize(
    "question", ["what did lumen4 score on codearena", "tessa2.5 bugbench score?"]
)
def test_a_code_the_topic_is_named_by_is_written(sure_catalogue: Matcher, question: str) -> None:
    answer = sure_catalogue.ask(question)
    assert (answer.kind, answer.reason) == (AnswerKind.FACT, "")


def test_a_code_naming_another_known_topic_is_no_unknown_part(sure_catalogue: Matcher) -> None:
    answer = sure_catalogue.ask("tessa2.5 or lumen4, which one scored on codearena?")
    assert answer.reason != CODE, "Tessa 2.5 is a topic, not a part the answer fails to name"


@pytest.mark.parametrize(
    ("term", "text", "written"),
    [
        ("panjiu", "Alibaba has a cluster plus Panjiu, its own system.", True),
        ("louvr", "Where is the Louvre?", True),
        ("ratio", "Inference is a growing ratio of use.", False),
        ("ratio", "Ratio of inference to training is up.", None),  # a sentence's first word
        ("ratio", "It grew. Ratio is up.", None),
        ("ratio", "A report called 'The Ratio Report' came out.", None),  # a quoted title
        ("kimi", "Ask about Kimi. kimi is cheap.", False),  # lower case once: a common word
        ("kimi", "Nothing about it here.", None),
    ],
)
def test_a_term_written_capitalised_inside_a_sentence_is_written_as_a_name(
    term: str, text: str, written: bool | None
) -> None:
    assert capitalised_inside(term, text) is written


@pytest.mark.parametrize(
    ("text", "versions"),
    [
        ("GLM-5.1 scored 58.4", {"glm-5.1"}),
        ("Kimi K2.6 and DeepSeek V4", {"k2.6", "v4"}),
        ("scored 61.2 on CodeArena, top 15", set()),  # figures, not versions
    ],
)
def test_versions_are_codes_and_names_with_a_number_after_a_hyphen(
    text: str, versions: set[str]
) -> None:
    assert versions_in(text) == versions


@pytest.mark.parametrize(
    ("question", "rule", "kind"),
    [
        ("which version of codearena did lumen-4 score 61.2 on", NO_VERSION_WRITTEN, PROBABLE),
        ("what version is the lumen coding model", NO_VERSION_WRITTEN, FACT),  # "Lumen-4" says it
        ("which Corvid model did lumen-4 beat on codearena", NAMES_NONE_ASKED, PROBABLE),
        ("which corvid model did lumen-4 beat", NAMES_NONE_ASKED, PROBABLE),  # CodeArena no model
        ("which model scored 61.2 on codearena", NAMES_NONE_ASKED, FACT),  # Lumen-4 is it
        ("which lumen model beat corvid, lumen-4 or lumen-3?", NAMES_NONE_ASKED, FACT),  # options
    ],
)
def test_asking_which_version_or_which_one_needs_an_answer_that_writes_one(
    sure_catalogue: Matcher, question: str, rule: str, kind: AnswerKind
) -> None:
    answer = sure_catalogue.ask(question)
    assert_decided(answer, kind, rule, fired=AnswerKind.PROBABLE)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("what gpu should i buy to run m2.7?", AnswerKind.NONE),  # "MiniMax" names no GPU
        ("which frameworks run m2.7 locally", AnswerKind.NONE),
        ("which model did alibaba unveil at the cloud summit", AnswerKind.FACT),  # Qwen3.7-Max
        # a fact of the compute topic, about Alibaba's cluster: no topic's name names a GPU
        ("what gpus are inside alibaba's panjiu system", AnswerKind.NONE),
    ],
)
def test_the_names_of_the_topic_asked_about_answer_which_model_but_not_which_gpu(
    bundled: Matcher, question: str, kind: AnswerKind
) -> None:
    answer = bundled.ask(question)
    assert answer.kind is kind
    assert answer.reason == ("" if kind is AnswerKind.FACT else NAMES_NONE_ASKED)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Lumen-4 scored 61.2 on CodeArena, ahead of Corvid's flagship.",
            ["CodeArena", "Corvid"],
        ),
        (
            "It runs on m2.7 and real-world chips. Mixed chips.",
            ["m2.7"],
        ),  # no first word, no hyphen
        ("It has a 10,000-GPU cluster, 229B weights and a 2M context.", []),  # quantities
        ("Alibaba unveiled it at a Cloud summit in May 2026.", ["Cloud"]),  # a month names nothing
    ],
)
def test_names_are_capitalised_inside_a_sentence_or_letters_with_figures(
    text: str, names: list[str]
) -> None:
    assert names_written(text) == names


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("how long could tessa work on its own back in 2024", AnswerKind.PROBABLE),
        ("tessa 2.5 去年能自己跑多久", AnswerKind.PROBABLE),
        ("how long can tessa work on its own in 2026", AnswerKind.FACT),  # the source's year
    ],
)
def test_asking_of_another_year_than_the_answers_is_only_probably(
    sure_catalogue: Matcher, question: str, kind: AnswerKind
) -> None:
    answer = sure_catalogue.ask(question)
    assert_decided(answer, kind, ANOTHER_YEAR, fired=AnswerKind.PROBABLE)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("who's #2 on bugbench behind tessa?", AnswerKind.PROBABLE),
        ("is lumen 4 ranked #1 on codearena", AnswerKind.PROBABLE),  # ahead of one, no place
        ("tessa 在 BugBench 排第二名吗", AnswerKind.PROBABLE),
        ("who is #1 on bugbench", AnswerKind.FACT),  # "ranking first"
    ],
)
def test_asking_a_place_in_a_ranking_the_answer_never_gives_is_only_probably(
    question: str, kind: AnswerKind
) -> None:
    ranked = [
        replace(fact, answer="Tessa 2.5 scored 48.0 on BugBench, ranking first so far.")
        if fact.id == "tessa-bugbench"
        else fact
        for fact in FACTS
    ]
    sure = Matcher(KnowledgeBase.of([DIGEST], TOPICS, ranked), calibration=SURE)
    assert_decided(sure.ask(question), kind, ANOTHER_PLACE, fired=AnswerKind.PROBABLE)


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("What did Corvid score on CodeArena?", True),  # a name the knowledge writes
        ("What did Falcon score on CodeArena?", False),  # capitalised, never seen: another model
        ("what did falcon score on codearena", True),  # no capital: could be any word
        ("What does MS Lumen cost?", True),  # short capitals are mostly short for a known name
    ],
)
def test_an_unknown_capitalised_doer_is_another_thing_not_the_answer(
    sure_catalogue: Matcher, question: str, answered: bool
) -> None:
    answer = sure_catalogue.ask(question)
    assert (
        answer.reason != "names someone or something the best answer does not mention"
    ) is answered


@pytest.mark.parametrize(
    ("maker", "text", "names_one"),
    [
        ("corvid", "Lumen-4 beat Corvid's flagship model.", False),
        ("corvid", "Lumen-4 beat Corvid Opus 3.", True),
        ("corvid", "Lumen-4 beat Corvid-9 by a point.", True),
        ("corvid", "Lumen-4 beat Corvid on CodeArena.", False),
    ],
)
def test_a_text_names_one_thing_of_a_maker_by_a_name_after_the_maker_s(
    maker: str, text: str, names_one: bool
) -> None:
    assert names_one_of(maker, text) is names_one


@pytest.mark.parametrize(
    ("question", "kind", "reason"),
    [
        # what follows the question sets the fact's own subject aside
        ("codearena score? not lumen 4, the other one", PROBABLE, RULES_IT_OUT),
        ("what did lumen (not lumen-4) score on codearena", PROBABLE, RULES_IT_OUT),
        ("what did lumen 4 score on codearena, if not 61.2?", FACT, ""),  # "not" inside asks
        ("tessa's bugbench score? not the best, surely", FACT, ""),  # "best": no name set aside
    ],
)
def test_an_answer_about_what_the_question_rules_out_is_never_stated(
    sure_catalogue: Matcher, question: str, kind: AnswerKind, reason: str
) -> None:
    answer = sure_catalogue.ask(question)
    assert (answer.kind, answer.reason) == (kind, reason)


RIVERS = [  # enough other facts for a name in two of them to be rare
    Fact(f"river-{n}", f"How long is river {n}?", f"River {n} is {n}00 km long.", "digest")
    for n in range(1, 11)
]
MODELS = KnowledgeBase.of(
    [DIGEST],
    [
        Topic("vega", "Vega V4", "A model.", "digest", ("Vega",)),
        Topic("orion", "Orion3.7-Max", "Another model.", "digest", ("猎户",)),
    ],
    [
        Fact(
            "vega-cost",
            "What did Vega cost to train?",
            "Vega V4-Pro cost USD 5M.",
            "digest",
            "vega",
        ),
        Fact(
            "orion-score",
            "What did Orion score on BugBench?",
            "Orion3.7-Max scored 50 on BugBench.",
            "digest",
            "orion",
        ),
        Fact("lyra", "What is Lyra?", "Lyra Pro is a chip from Corvid, not a Max.", "digest"),
        *RIVERS,
    ],
)


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("so if nobody's going bigger, what did vega cost to train", True),  # no one's name
        ("猎户3.7-Max 在 BugBench 上多少分", True),  # "Max" is of the named topic's own name
        ("what did corvid's vega cost to train", False),  # a name the answer never writes
    ],
)
def test_no_one_and_the_named_topics_own_name_are_no_name_the_answer_lacks(
    question: str, answered: bool
) -> None:
    answer = Matcher(MODELS, calibration=SURE).ask(question)
    assert (
        answer.reason != "names someone or something the best answer does not mention"
    ) is answered


@pytest.mark.parametrize(
    ("question", "subjects"),
    [
        ("GPT-4当年训练成本是多少", {"gpt", "4"}),
        ("文中说MoE的激活参数大约多少", {"文中", "中说"}),  # not every word of the sentence
        ("how much did GPT-4 cost", {"gpt", "4"}),
        ("TerminalBench 上 Claude 旗舰多少分", {"claude"}),  # where, then who
        ("SWE-Bench Pro上GLM-5.1多少分", {"glm", "5.1"}),
    ],
)
def test_a_first_word_running_into_another_script_is_its_first_run(
    question: str, subjects: set[str]
) -> None:
    assert grammatical_subjects(question) == subjects
