"""Comparisons get each topic's own fact side by side, and nothing they do not have.

On a small made-up catalogue with a calibration that gives every match the same probability,
so the tests are about which facts are set side by side and when; then on the bundled article
with the shipped calibration, for the questions the issue names.
"""

from __future__ import annotations

import dataclasses

import pytest

from bot.engine import AnswerKind, Matcher, Surface
from bot.engine.calibration import shipped
from bot.engine.comparisons import UNKNOWN_COMPARED
from bot.engine.decision import LEAVES_OUT_A_NAMED_TOPIC
from bot.engine.languages import in_language
from bot.knowledge import Fact, KnowledgeBase, Topic, load_knowledge
from tests.engine.bundled import bundled_matcher
from tests.engine.calibrated import SURE, constant
from tests.engine.digest import DIGEST, lumen

TOPICS = [
    lumen(),
    Topic("tessa", "Tessa 2.5", "Tessa 2.5 is an agent model.", "digest", ("Tessa",)),
    Topic("orion", "Orion-8", "Orion-8 reads whole libraries.", "digest", ("Orion",)),
]
FACTS = [
    Fact(
        "lumen-price",
        "How much does Lumen-4 cost?",
        "Lumen-4 costs USD 20 a month.",
        "digest",
        "lumen",
        ("lumen price",),
    ),
    Fact(
        "lumen-hours",
        "How long can Lumen-4 work on its own?",
        "Lumen-4 worked for 3 hours unattended.",
        "digest",
        "lumen",
        ("how long can lumen run autonomously",),
    ),
    Fact(
        "tessa-price",
        "How much does Tessa 2.5 cost?",
        "Tessa 2.5 costs USD 35 a month.",
        "digest",
        "tessa",
        ("tessa price",),
    ),
    Fact(
        "tessa-hours",
        "How long can Tessa 2.5 work on its own?",
        "Tessa 2.5 worked for 9 hours unattended.",
        "digest",
        "tessa",
        ("how long can tessa run autonomously",),
    ),
    Fact(
        "orion-context",
        "How long a context does Orion-8 read?",
        "Orion-8 has the longest context window of any model: 4M tokens.",
        "digest",
        "orion",
        ("orion context window",),
    ),
]


def catalogue(probability: float = 0.9) -> Matcher:
    return Matcher(KnowledgeBase.of([DIGEST], TOPICS, FACTS), calibration=constant(probability))


def facts_of(answer) -> list[str]:
    return [item.fact.id for item in answer.compared]


def test_two_named_topics_get_each_ones_fact_side_by_side() -> None:
    answer = catalogue().ask("lumen vs tessa price")
    assert answer.kind is AnswerKind.COMPARISON and answer.answered
    assert facts_of(answer) == ["lumen-price", "tessa-price"]
    assert [item.topic.id for item in answer.compared] == ["lumen", "tessa"]
    assert all(item.source == DIGEST for item in answer.compared)
    assert answer.lacking == ()
    assert answer.fact is None and "USD 20" in answer.text and "USD 35" in answer.text


def test_a_named_topic_without_the_attribute_is_said_to_lack_it() -> None:
    answer = catalogue().ask("lumen vs orion vs tessa price")
    assert answer.kind is AnswerKind.COMPARISON
    assert facts_of(answer) == ["lumen-price", "tessa-price"], "never Orion's context instead"
    assert answer.lacking == ("Orion-8",)


def test_two_topics_where_only_one_has_the_attribute_is_no_comparison() -> None:
    answer = catalogue().ask("lumen vs orion price")
    assert answer.kind is AnswerKind.PROBABLE, "one side's fact is not the comparison asked for"
    assert answer.fact.id == "lumen-price"
    assert answer.lacking == ("Orion-8",)


def test_which_costs_more_when_only_one_has_a_price_is_that_one_probably() -> None:
    answer = catalogue().ask("which costs more, lumen or orion?")
    assert answer.kind is AnswerKind.PROBABLE, "one side's price does not say which costs more"
    assert answer.fact.id == "lumen-price"
    assert answer.reason == LEAVES_OUT_A_NAMED_TOPIC
    assert answer.lacking == ("Orion-8",)


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("tessa or orion, which is better at bugbench?", "orion-bugbench"),  # it ranks Orion
        ("which is the more autonomous agent, tessa or orion?", "orion-agent"),  # in words
    ],
)
def test_which_is_more_so_when_only_one_has_a_fact_that_ranks_it_is_that_one(
    question: str, fact: str
) -> None:
    ranked = [
        Fact(
            "orion-bugbench",
            "How does Orion-8 do on BugBench?",
            "Orion-8 ranks first in the world on BugBench.",
            "digest",
            "orion",
        ),
        Fact(
            "orion-agent",
            "What is Orion-8 built as?",
            "Orion-8 is built as an autonomous agent that plans its own work.",
            "digest",
            "orion",
        ),
    ]
    knowledge = KnowledgeBase.of([DIGEST], TOPICS, [*FACTS, *ranked])
    answer = Matcher(knowledge, calibration=SURE).ask(question)
    assert answer.kind is AnswerKind.FACT, "a rank or a quality said in words needs no other side"
    assert answer.fact.id == fact


def test_a_model_the_knowledge_lacks_never_shares_the_known_ones_fact() -> None:
    answer = catalogue().ask("lumen vs gemini price")
    assert answer.kind is AnswerKind.PROBABLE and not answer.answered
    assert answer.reason == UNKNOWN_COMPARED
    assert answer.lacking == ("gemini",)
    automatic = catalogue().ask("lumen vs gemini price", Surface.AUTOMATIC)
    assert automatic.kind is AnswerKind.NONE


@pytest.mark.parametrize(
    "question",
    ["which costs USD 20 a month, lumen or tessa?", "is lumen or tessa the one at USD 20 a month"],
)
def test_which_of_them_settled_by_a_detail_keeps_the_one_fact(question: str) -> None:
    answer = catalogue().ask(question)
    assert answer.kind is AnswerKind.FACT
    assert answer.fact.id == "lumen-price"


def test_which_of_them_by_degree_sets_both_side_by_side() -> None:
    answer = catalogue().ask("lumen or tessa, which works longer on its own?")
    assert answer.kind is AnswerKind.COMPARISON
    assert facts_of(answer) == ["lumen-hours", "tessa-hours"]


def test_a_measured_superlative_compares_the_topics_that_have_the_attribute() -> None:
    answer = catalogue().ask("which one runs autonomously the longest?")
    assert answer.kind is AnswerKind.COMPARISON
    assert sorted(facts_of(answer)) == ["lumen-hours", "tessa-hours"]
    assert answer.lacking == ()


def test_a_topic_whose_fact_does_not_say_the_measure_is_left_out_of_a_superlative() -> None:
    teamwork = Fact(
        "orion-teamwork",
        "Can Orion-8 run autonomously?",
        "Orion-8 runs autonomously in teams of agents.",
        "digest",
        "orion",
        ("does orion run autonomously",),
    )
    knowledge = KnowledgeBase.of([DIGEST], TOPICS, [*FACTS, teamwork])
    answer = Matcher(knowledge, calibration=SURE).ask("which one runs autonomously the longest?")
    assert sorted(facts_of(answer)) == ["lumen-hours", "tessa-hours"], "not Orion's teamwork"


def test_a_superlative_the_knowledge_states_gets_that_fact() -> None:
    answer = catalogue().ask("who has the longest context window?")
    assert answer.kind is AnswerKind.FACT
    assert answer.fact.id == "orion-context"


@pytest.mark.parametrize(
    "question",
    [
        "what's the best pizza?",
        "who is the fastest runner",
        "lumen vs tessa",
        "the longest?",
        "you run autonomously the longest, right?",
    ],
)
def test_chat_and_bare_names_are_not_compared(question: str) -> None:
    assert catalogue().ask(question).kind is not AnswerKind.COMPARISON


def test_a_superlative_with_chat_around_it_still_compares() -> None:
    answer = catalogue().ask("settle this: who works the longest unattended on its own?")
    assert answer.kind is AnswerKind.COMPARISON
    assert set(facts_of(answer)) == {"lumen-hours", "tessa-hours"}


@pytest.mark.parametrize(
    "question",
    [
        "who works the longest hours in your office",  # what it measures is not the knowledge's
        "who works the longest on its own, gemini?",  # an unknown name is no chat
        "Billy Joel? Uptown Girl, Piano Man, The Longest Time?",  # mostly words it never saw
    ],
)
def test_a_superlative_in_words_the_knowledge_lacks_is_not_compared(question: str) -> None:
    assert catalogue().ask(question).kind is not AnswerKind.COMPARISON


@pytest.mark.parametrize(
    ("probability", "mention", "automatic"),
    [
        (0.9, AnswerKind.COMPARISON, AnswerKind.COMPARISON),
        (0.6, AnswerKind.COMPARISON, AnswerKind.NONE),
        (0.1, AnswerKind.NONE, AnswerKind.NONE),
    ],
)
def test_each_topic_is_decided_with_the_surfaces_own_threshold(
    probability: float, mention: AnswerKind, automatic: AnswerKind
) -> None:
    matcher = catalogue(probability)
    assert matcher.ask("lumen vs tessa price").kind is mention
    assert matcher.ask("lumen vs tessa price", Surface.AUTOMATIC).kind is automatic


def test_a_question_asking_by_how_much_gets_the_gap_worked_out() -> None:
    answer = catalogue().ask("how many more hours can tessa work on its own than lumen?")
    assert facts_of(answer) == ["tessa-hours", "lumen-hours"]
    assert answer.margin is not None
    assert (answer.margin.figure, answer.margin.more.id, answer.margin.less.id) == (
        "6 hours",
        "tessa",
        "lumen",
    )
    assert catalogue().ask("how many dollars more does tessa cost than lumen").margin.figure == (
        "USD 15"
    )


def test_a_comparison_not_asking_by_how_much_gets_no_gap() -> None:
    answer = catalogue().ask("lumen vs tessa, which works longer on its own?")
    assert answer.kind is AnswerKind.COMPARISON and answer.margin is None


def test_a_comparison_is_rebuilt_from_its_facts() -> None:
    matcher = catalogue()
    facts = [matcher.knowledge.facts["lumen-price"], matcher.knowledge.facts["tessa-price"]]
    answer = matcher.comparison_answer(facts)
    assert answer.kind is AnswerKind.COMPARISON
    assert answer.question == "Lumen-4 vs Tessa 2.5"
    assert facts_of(answer) == ["lumen-price", "tessa-price"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("kimi vs minimax price", {"kimi-price", "minimax-inference-cost"}),
        ("qwen or glm, which works longer on its own?", {"qwen-35-hours", "glm-8-hours"}),
        (
            "which is cheaper to run, minimax or deepseek?",
            {"minimax-inference-cost", "deepseek-training-cost"},
        ),
        ("how many more hours can qwen go solo than glm 5.1", {"qwen-35-hours", "glm-8-hours"}),
        ("qwen和glm谁能自主跑得更久", {"qwen-35-hours", "glm-8-hours"}),  # 更久: how long
        ("哪个模型能自主运行最久", {"qwen-35-hours", "glm-8-hours"}),  # 最久, across topics
    ],
)
def test_bundled_comparisons_set_each_models_fact_side_by_side(
    bundled: Matcher, question: str, expected: set[str]
) -> None:
    answer = bundled.ask(question)
    assert answer.kind is AnswerKind.COMPARISON
    assert set(facts_of(answer)) == expected


@pytest.mark.parametrize(
    ("question", "figure", "language"),
    [
        ("how many more hours can qwen go solo than glm 5.1", "27 hours", None),
        ("GLM-5.1 连续跑 8 小时，Qwen 自进化 35 小时，差了多少小时？", "27 小时", "zh"),
    ],
)
def test_bundled_gap_is_worked_out_in_the_replys_language(
    bundled: Matcher, question: str, figure: str, language: str | None
) -> None:
    answer = in_language(bundled.ask(question), language)
    assert answer.margin is not None
    assert (answer.margin.figure, answer.margin.more.id) == (figure, "qwen")


def test_bundled_scores_on_two_benchmarks_have_no_gap(bundled: Matcher) -> None:
    answer = bundled.ask("how many points higher did qwen score than glm")
    assert answer.kind is AnswerKind.COMPARISON and answer.margin is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("who has the longest context?", "kimi-context"),
        ("who scored 69.7 on terminalbench?", "qwen-terminalbench"),
    ],
)
def test_bundled_questions_asking_for_the_topic_get_the_fact_that_holds_it(
    bundled: Matcher, question: str, expected: str
) -> None:
    answer = bundled.ask(question)
    assert answer.kind is AnswerKind.FACT
    assert answer.fact.id == expected


def test_bundled_superlative_it_can_only_compare_is_side_by_side(bundled: Matcher) -> None:
    answer = bundled.ask("which scored highest on a coding benchmark?")
    assert answer.kind is AnswerKind.COMPARISON
    assert {"qwen-terminalbench", "glm-swebench-pro"} <= set(facts_of(answer))


def test_a_superlative_by_the_words_around_it_compares_only_facts_giving_a_figure(
    bundled: Matcher,
) -> None:
    answer = bundled.ask("which model has the highest benchmark score")
    assert sorted(facts_of(answer)) == ["glm-swebench-pro", "qwen-terminalbench"], (
        "not the article's 'the industry obsessed over benchmark rankings'"
    )


@pytest.mark.parametrize("question", ["kimi vs gemini context", "kimi context vs gemini"])
def test_bundled_comparison_with_a_model_it_lacks_is_not_answered_for_both(
    bundled: Matcher, question: str
) -> None:
    answer = bundled.ask(question)
    assert answer.kind is not AnswerKind.COMPARISON
    assert not answer.answered, "Kimi's context is no answer about Gemini's"
    assert answer.lacking == ("gemini",)


@pytest.mark.parametrize(
    ("question", "fact", "lacking"),
    [
        ("kimi context vs minimax context", "kimi-context", "MiniMax M2.7"),
        ("is glm or qwen better at terminalbench?", "qwen-terminalbench", "GLM-5.1"),
    ],
)
def test_bundled_comparison_only_one_side_has_offers_that_side_and_states_nothing(
    bundled: Matcher, question: str, fact: str, lacking: str
) -> None:
    answer = bundled.ask(question)
    assert answer.kind is AnswerKind.NONE, "one side is not what was asked, however sure"
    assert answer.confidence <= shipped().unsure_probability
    assert answer.suggestions[0].id == fact, "the side it knows is offered first"
    assert answer.reason == LEAVES_OUT_A_NAMED_TOPIC
    assert answer.lacking == (lacking,)
    assert bundled.ask(question, Surface.AUTOMATIC).kind is AnswerKind.NONE


def test_a_comparison_one_side_has_is_probably_where_such_replies_are_likely_enough() -> None:
    sure_enough = dataclasses.replace(SURE, unsure_probability=0.5)
    answer = Matcher(load_knowledge(), calibration=sure_enough).ask(
        "kimi context vs minimax context"
    )
    assert (answer.kind, answer.fact.id) == (AnswerKind.PROBABLE, "kimi-context")
    assert answer.confidence == 0.5 and answer.lacking == ("MiniMax M2.7",)


def test_bundled_which_of_two_only_one_has_is_that_one(bundled: Matcher) -> None:
    answer = bundled.ask("kimi or glm, which one is the MIT one? a friend swears it is kimi")
    assert answer.kind is AnswerKind.FACT, "Kimi has no licence fact; GLM's is MIT"
    assert answer.fact.id == "glm-mit-license"
    assert answer.topic.id == "glm"


@pytest.mark.parametrize(
    "question",
    [
        "qwen terminalbench vs glm swe-bench pro",
        "which number is higher, qwen's terminalbench score or glm's swe-bench pro one?",
        "Qwen 在 TerminalBench 和 GLM-5.1 在 SWE-Bench Pro 上分别多少分",
    ],
)
def test_bundled_each_topic_asked_its_own_attribute_is_side_by_side(
    bundled: Matcher, question: str
) -> None:
    answer = bundled.ask(question)
    assert answer.kind is AnswerKind.COMPARISON
    assert facts_of(answer) == ["qwen-terminalbench", "glm-swebench-pro"]


def test_bundled_an_attribute_only_one_topic_is_asked_is_not_split(bundled: Matcher) -> None:
    answer = bundled.ask("what did glm-5.1 get on terminalbench compared to qwen?")
    assert answer.kind is not AnswerKind.COMPARISON, "GLM has no TerminalBench score"


@pytest.mark.parametrize("question", ["3rd model on the list?", "文章里第三个模型是哪个"])
def test_bundled_a_place_in_the_list_gets_the_list(bundled: Matcher, question: str) -> None:
    answer = bundled.ask(question)
    assert answer.kind is AnswerKind.FACT
    assert answer.fact.id == "article-models-covered"


def test_a_comparison_of_figures_the_question_told_is_never_stated() -> None:
    told = catalogue().ask("how long can orion work on its own? lumen is 3h, tessa 9h")
    assert not told.answered, "it asks Orion's, which the knowledge lacks; it told the rest"
    assert told.lacking == ("Orion-8",)
    asked = catalogue().ask("how long can lumen, tessa and orion work on their own?")
    assert asked.kind is AnswerKind.COMPARISON and asked.lacking == ("Orion-8",)


def test_a_comparison_of_names_the_knowledge_lacks_gets_no_other_topics_fact(
    bundled: Matcher,
) -> None:
    unknown = bundled.ask("groq vs cerebras for fast inference, which one is quicker?")
    assert not unknown.answered and unknown.reason == UNKNOWN_COMPARED
    assert "cerebras" in unknown.lacking
    asked = bundled.ask("is inference demand growing or flat for the big domestic players")
    assert asked.answered, "a common word set against another is what is asked, not a name"
    assert asked.fact.id == "compute-inference-share"


def test_a_count_asked_of_each_side_is_not_taken_from_a_fact_counting_another_side(
    bundled: Matcher,
) -> None:
    # the ecosystem fact names DeepSeek, but its "seven kinds of chips" are GLM-5's
    answer = bundled.ask("how many chip types does deepseek support vs glm's 7")
    assert answer.kind is AnswerKind.NONE
    assert answer.lacking == ("DeepSeek V4",)
    # a fact of another topic naming only the side asked still answers for it
    answer = bundled.ask("how big is alibaba's gpu cluster compared to glm's seven chip types")
    assert answer.kind is AnswerKind.COMPARISON
    assert {item.fact.id for item in answer.compared if item.fact} == {
        "compute-alibaba-cluster",
        "glm-seven-chips",
    }


def test_how_two_topics_differ_asks_each_what_follows_not_what_differs() -> None:
    unlike = Fact(
        "lumen-unlike",
        "What makes Lumen-4 different from the rest?",
        "Lumen-4 plans before it acts.",
        "digest",
        "lumen",
        ("how is lumen different", "lumen difference strategy"),
    )
    knowledge = KnowledgeBase.of([DIGEST], TOPICS, [*FACTS, unlike])
    answer = Matcher(knowledge, calibration=constant(0.9)).ask(
        "how's lumen's price strategy different from tessa's?"
    )
    assert answer.kind is AnswerKind.COMPARISON
    assert facts_of(answer) == ["lumen-price", "tessa-price"]


def test_chinese_for_how_two_topics_differ_is_no_attribute() -> None:
    bundled = bundled_matcher()
    reading = bundled.reader.read("kimi 和 minimax 的价格有啥不一样，有什么区别")
    request = bundled.comparisons.request(reading, frozenset())
    assert request is not None
    assert {"不一", "一样", "区别"} <= {unit.typed for unit in reading.units}, "words it knows"
    assert not {"不一", "一样", "区别"} & {unit.typed for unit in request.asked}


def test_a_side_of_a_comparison_is_never_another_topics_fact() -> None:
    question = "qwen vs kimi, what is each one's main strength in a line?"
    answer = bundled_matcher().ask(question)
    assert "glm-focus" not in {item.fact.id for item in answer.compared}  # GLM's, set beside Qwen
