"""Decides what a question gets: a stated answer, a "probably", or nothing, and why.

Two things decide. First the abstention rules, one explicit list: each names a kind of question
the knowledge must not answer whatever the score (add a rule there). Then the calibrated
probability that the best candidate is right, against the threshold of the surface asking
(higher for a message partly about something else: see PARTLY_ELSEWHERE).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from bot.engine.answers import Answer, AnswerKind, NotStated, ScoredFact
from bot.engine.asking import (
    asks_for_the_top,
    asks_how_to,
    asks_the_room,
    asks_to_choose,
    asks_which,
    options_offered,
    places_given,
    speaks_of_the_asker,
)
from bot.engine.calibration import Calibration
from bot.engine.features import (
    MatchFeatures,
    counts_what_the_answer_lacks,
    describe_match,
    leaves_out_a_named_topic,
)
from bot.engine.figures import asks_which_of_a_count, restates_the_figure
from bot.engine.followups import refers_back
from bot.engine.index import KnowledgeIndex, own_terms
from bot.engine.kinds import DETAIL_KINDS, gives_only_a_floor
from bot.engine.reading import Reading, Unit, latin_names_in_chinese, names_an_unseen_model
from bot.engine.subjects import SubjectCheck, doers, rules_out_the_answer
from bot.engine.text import terms
from bot.engine.typos import everyday_words
from bot.engine.unstated import UnstatedCheck
from bot.knowledge.model import Fact, KnowledgeBase, Topic

MIN_EVIDENCE_SHARE = 0.55
"""An answer needs matched words worth at least this share of the rarest term's weight, so a
lone common word or digit never answers, however well it covers a short question."""


class Surface(StrEnum):
    """Where a question was asked, which sets how sure an answer must be."""

    MENTION = "mention"
    """Someone asked the bot: a mention, a slash command, the CLI."""
    AUTOMATIC = "automatic"
    """The bot read a channel's message unasked: a wrong post there costs most."""


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """How likely an answer must be, per surface, as a probability of being right."""

    answer_at: float = 0.2543
    """Mentions and slash commands state the answer as known from this probability on. On the
    blind dev half of thirty-two authors (whose curve put this threshold at 0.46), 0.55 stated
    16 fewer right answers to hold back 3 more near misses and off-topic messages; someone who
    asked directly gets the answer with its source, and below this a "probably". Re-expressed
    on the curve refitted on fifty-four authors, where the decisions of 0.375 lie: kept as
    0.375, it stated 6 fewer right answers on their dev half for 7 fewer wrong or unwanted
    ones, and the project's own set fell below its 95% gate (94.7%). Re-expressed again on the
    curve refitted on sixty-six authors (0.308 then lay at 0.2543), deciding as before."""
    probable_at: float = 0.1994
    """Below `answer_at` and from this on, they reply "probably", showing the closest match.
    On the blind dev half of thirty-six authors, the band below it (from 0.243 to 0.3 on that
    half's curve) held 6 "probably" replies, 3 of them right (the other 3 to off-topic chatter
    and a near miss), and 48 replies to real chat's dev half (four in five of all its
    "probably" replies): too little to be worth a reply. (0.243 on the curve of fifty-eight
    authors, re-expressed on that of sixty-six.)"""
    automatic_at: float = 0.7317
    """Automatic channels post only from this probability on, and never "probably": on real
    chat's dev half, 6 of 18,182 question-like messages reach it (1 is posted: see
    TERSE_UNASKED; 0.718 on the curve of fifty-eight authors, re-expressed on that of
    sixty-six)."""
    suggestion_floor: float = 0.3
    """Near misses below this ranking score are not offered as "did you mean"."""
    max_suggestions: int = 3

    def answer_threshold(self, surface: Surface) -> float:
        """The probability from which a surface states an answer."""
        return self.automatic_at if surface is Surface.AUTOMATIC else self.answer_at

    def probable_threshold(self, surface: Surface) -> float:
        """The probability from which a surface says "probably" (never, for automatic)."""
        return 2.0 if surface is Surface.AUTOMATIC else self.probable_at


@dataclass(frozen=True, slots=True)
class Match:
    """What the rules look at: the question as read and its ranked candidates."""

    reading: Reading
    ranked: list[ScoredFact]
    subjects: SubjectCheck
    not_stated: NotStated | None
    """The curator's `not_stated` entry the question asks, if any (see UnstatedCheck)."""
    min_evidence: float
    untold_how_to: bool = False
    """It asks how to do something, and no fact of the knowledge is asked that way."""
    untold_room: bool = False
    """It asks the other members what they tried or use, and no fact is asked that way."""
    untold_asker: bool = False
    """It names no topic and speaks of the asker's own things, which few of the knowledge's
    facts are asked about (see ASKER_FACT_SHARE)."""
    left_out: bool = False
    """It names no topic, and names what a topic's source leaves out (see LEFT_OUT)."""


Rule = tuple[str, Callable[[Match], bool]]

LEAVES_OUT_A_NAMED_TOPIC = "compares with a named topic the answer leaves out"
"""Why an answer about one of the topics a question sets side by side is only 'probably'."""

TERSE_UNASKED = "names no topic in two words or fewer, read unasked"
"""Why "lose money?" in an automatic channel gets no post, though a mention would answer it:
on the dev halves, automatic posts to messages naming no topic in MAX_TERSE_UNITS words or
fewer went to as many real chat messages (6 of 18,182) as blind questions (6 of 1,866), where
longer ones went to 2 and 201. Someone who means it can ask the bot by name."""
MAX_TERSE_UNITS = 2
"""The most words (as read, names and stop words aside) a message naming no topic may have
and still be left unanswered unasked."""


def too_terse_to_post(reading: Reading, surface: Surface) -> bool:
    """Whether a message read unasked is too short to answer: see TERSE_UNASKED."""
    return (
        surface is Surface.AUTOMATIC
        and not reading.entities
        and len(reading.units) <= MAX_TERSE_UNITS
    )


EVERYDAY_UNASKED = "names no topic and shares only everyday words with its answer, read unasked"
"""Why "Anything new in the last day?" gets no post in an automatic channel, though a fact's
phrasing holds "new", "last" and "day": in a small knowledge such words are rare, and the match
looks sure (0.865). On the dev halves, requiring one word of the match that is not an everyday
English word (see typos.EVERYDAY_WORD_COUNT) held back the one automatic post to real chat and 3
of 986 right automatic posts to blind questions ("what's the price?"); at 20,000 occurrences
rather than 50,000 it held back 16. On the foreign FAQ's tuning rewordings read unasked it
held back none (its questions name its own things). Someone who means it can ask the bot by
name."""


def only_everyday_words(reading: Reading, matched: Iterable[str], surface: Surface) -> bool:
    """Whether a message read unasked names no topic and shares only everyday words with its
    answer: see EVERYDAY_UNASKED. Chinese shows no such words and is left be."""
    if surface is not Surface.AUTOMATIC or reading.entities:
        return False
    held = set(matched)
    shared = [unit.typed for unit in reading.units if unit.typed in held]
    everyday = everyday_words()
    return bool(shared) and all(word.lower() in everyday for word in shared)


LONE_WORD = "names no topic, and the best answer holds only one of its words, not as asked"
"""Why a message like "ratio?" or "ok that's sick" gets no answer: one word, naming no topic
and asking no kind of answer the fact gives ("where is the louvre" does), could mean any fact
that holds it; a name the fact writes capitalised ("what is panjiu") or a Chinese word (which
shows no capitals) still answers. On real chat's dev half this rule took 319 of 562 stated
answers to mentions, and none of the blind dev half's right answers."""

HOW_TO_UNTOLD = "asks how to do something, which no fact of the knowledge tells"
"""Why "how do i increase context length in ollama" gets no answer from Kimi's context: the
bundled article states what is so, and no fact's question asks how to do anything. Knowledge
that does tell how (an FAQ whose entries ask "How to…") is matched as usual. On the blind dev
half every question asking how to do something was off-topic or a near miss (138 of 5,151, 94
authors); read in Chinese too ("kimi 怎么上传 pdf"), of how others do it ("how do you guys
forecast spend") and for a workaround, it held back 9 more off-topic answers and no right one."""

ABOUT_THE_ASKER = "names no topic and speaks of the asker's own things, which no fact is asked"
"""Why "how much does a 4090 pull, need to know if my 750w psu will survive" gets no answer: in
knowledge about named things, a message about the sender's own setup is chat. Asking which of
the topics suits them ("which model can i run on my laptop") still picks one, and so does a
fact its curator phrased that way ("can i run it on my own pc"). On the blind dev half it held
back 5 off-topic answers and no right one."""
ASKER_FACT_SHARE = 0.1
"""The most facts, as a share, whose phrasings speak of the asker, for such messages to be
chat: an FAQ asks "how do I reset my password" of half its entries (StackFAQ: 63 of 125), the
bundled article of 3 in 88."""

ASKS_THE_ROOM = "asks the other members what they tried or use, which no fact is asked"
"""Why "anyone here using Qwen models through openrouter? what's the rate limit like" gets no
answer from Qwen's strategy: a message asking who has tried, bought or read something asks for
people's experience, which no fact of a curated source holds. On the blind dev half (94
authors) all 58 such messages were off-topic or near misses; 4 had been answered. Asking them
to recommend a paper, course or tool is the same (11 dev messages, all off-topic). A knowledge
whose facts are asked that way (an FAQ's "has anyone used…") is matched as usual."""

LEFT_OUT = "names no topic, and names what a source leaves out, as its curator listed it"
"""Why "is nvidia stock a buy right now" gets no answer from the article's disclaimer, whose
words it shares: the compute topic's curator listed Nvidia as never named by the source. Only
names listed count, and only when the best fact neither holds nor says them."""

NOT_STATED = "asks what its topic's source does not say, as the curator listed it"
"""Why "moonshot ai latest valuation" gets no answer, though Kimi's facts hold "Moonshot": the
curator listed the valuation under the topic's `not_stated`, and no fact holds it."""


def _advice_among_the_unknown(match: Match) -> bool:
    """Whether a choice a sender asks for lays out options the knowledge has not all heard
    of ("context window vs rag, which should i use for my capstone"): advice on their own
    things, not which of the knowledge's things it is ("madrid or paris?")."""
    offered = options_offered(match.reading.text)
    return any(unit.unknown and unit.typed in offered for unit in match.reading.units)


ABSTENTION_RULES: tuple[Rule, ...] = (
    (
        "too little of the question is in any fact",
        lambda match: match.ranked[0].evidence < match.min_evidence,
    ),
    (
        LONE_WORD,
        lambda match: match.subjects.says_one_common_word(match.reading, match.ranked[0]),
    ),
    (
        "names a model the knowledge has no topic for",
        lambda match: (
            (bool(match.reading.entities) and match.subjects.names_an_unknown_model(match.reading))
            or names_an_unseen_model(match.reading)
        ),
    ),
    (
        "a Chinese message names in Latin letters something the knowledge lacks, and no topic",
        lambda match: not match.reading.entities and latin_names_in_chinese(match.reading),
    ),
    (
        HOW_TO_UNTOLD,
        lambda match: match.untold_how_to,
    ),
    (
        ASKS_THE_ROOM,
        lambda match: match.untold_room,
    ),
    (
        NOT_STATED,
        lambda match: match.not_stated is not None,
    ),
    (
        LEFT_OUT,
        lambda match: match.left_out,
    ),
    (
        ABOUT_THE_ASKER,
        lambda match: (
            match.untold_asker
            and not (asks_to_choose(match.reading.text) and not _advice_among_the_unknown(match))
            and not any(
                speaks_of_the_asker(phrasing)
                for phrasing in match.ranked[0].fact.phrasings_in_every_language
            )
        ),
    ),
    (
        "names someone or something the best answer does not mention",
        lambda match: match.subjects.names_what_the_answer_lacks(match.reading, match.ranked[0]),
    ),
    (
        "asks of the named topic what only other topics' facts hold",
        lambda match: (
            bool(match.reading.entities) and match.subjects.asked_of_someone_else(match.reading)
        ),
    ),
)
"""Every reason to abstain whatever the score, checked in order; the first that holds wins."""

ANOTHER_TOPICS_ANSWER = "names a topic, and the answer is about another it does not name"
"""'Is Alibaba a good place to work?' is not answered by a fact about GLM-5.1 that sets it
against Alibaba: its curator asks for that fact by naming GLM, so it tells of GLM."""
ANOTHER_YEAR = "asks of another year than the answer's"
"""'What share was inference back in 2024' is not answered by the article's 70% of today."""
NO_VERSION_WRITTEN = "asks which version it is, and the answer writes none"
"""'Which version of CANN?' is not answered by 'V4 runs on Ascend with CANN'."""
NAMES_NONE_ASKED = "asks which one by name, and the answer names none"
"""'Which Claude model did Qwen beat?' is not answered by '...ahead of Claude's flagship'."""
ANOTHER_PLACE = "asks for a place in a ranking the answer does not give"
"""'Who's #2 on SWE-Bench Pro?' is not answered by 'GLM-5.1 ranks first on SWE-Bench Pro'."""
RULES_IT_OUT = "rules out what the answer is about"
"""'What did plain GLM-5 (not 5.1) score?' is not answered by GLM-5.1's score, nor 'what did
base V4 (not pro) cost' by V4-Pro's cost: the best fact holds the very word set aside."""
ONLY_THE_FLOOR = "asks the top of a range the answer gives only the start of"
"""'What does Kimi's highest membership tier cost?' is not answered by 'starting at RMB 39'."""
WHICH_OF_A_COUNT = "asks which of a number of things they are, and the answer only counts them"
"""'What are the 7 chips GLM-5 supports?' is not answered by 'seven types of domestic chips'."""
RESTATES_THE_FIGURE = "gives the answer's own figure and asks something past it"
"""'What hardware ran Qwen's 35-hour run?' is not answered by the fact that it ran 35 hours."""
NAMES_NOT_ITS_TOPIC = "names no topic, and its answer is one people ask for by naming its topic"
"""'whats the price per month for the team plan' is not answered by Kimi's membership price: its
curator asks for that fact only by naming Kimi, so a question naming nothing is about something
else, unless it asks which one it is, asks a name, or asks of what the fact holds ("how often do
overseas models update"). On the blind dev half (62 authors) it held back 17 of 32 off-topic
answers (9 of 14 from the eight authors nobody had tuned on) and 5 of 1,269 right ones (an
abbreviation and a typo of a name, a model described by its deed); real chat's dev half got
84 answers to mentions, not 135."""
MOSTLY_ELSEWHERE = "names no topic, says much the knowledge never saw, and its answer holds little"
"""Why "what's a sensible local inference setup for a 70B model on a Mac Studio?" is not
answered by the share of compute inference takes: a long message naming no topic, a third of
whose weight is in words the knowledge has never seen and under MOSTLY_ELSEWHERE_SHARE of it in
the best fact, is about something else that borrows a few of its words. Asking which one
("which model in this thing has the biggest context window, i wanna dump a whole repo in")
still picks one; a superlative does not ("best whisper model size for podcasts on cpu", "half
the top models overfit"). On the blind dev half (90 authors) it held back 6 off-topic answers
and no right one (and one of 105 from four authors nobody had read); on the foreign FAQ's
tuning half it cost 0.6 points of accuracy and no more wrong answers, where without the
unknown words' third it cost 1.6."""
MOSTLY_ELSEWHERE_UNITS = 7
"""The fewest words (as read, names and stop words aside) a message must have to be judged so:
a short question's few words are all it asks."""
MOSTLY_ELSEWHERE_SHARE = 0.3
"""The share of a long message's weight its answer must hold: right answers to unnamed
questions of that length held 0.32 or more on the dev half, off-topic ones as little as 0.11."""
MOSTLY_ELSEWHERE_UNKNOWN = 1 / 3
"""The share of a long message's weight in words the knowledge has never seen that marks it as
about something else: an FAQ's long rewordings use its own words, off-topic chatter held 0.44
to 0.75."""


def mostly_elsewhere(reading: Reading, best: ScoredFact) -> bool:
    """Whether a long message naming no topic is mostly about something else: see
    MOSTLY_ELSEWHERE."""
    return (
        not reading.entities
        and len(reading.units) >= MOSTLY_ELSEWHERE_UNITS
        and best.evidence < MOSTLY_ELSEWHERE_SHARE * reading.total_weight
        and reading.unknown_weight >= MOSTLY_ELSEWHERE_UNKNOWN * reading.total_weight
        and not asks_which(reading.text)
    )


PARTLY_ELSEWHERE = "names no topic, and part of it is words the knowledge never saw"
"""Why "can someone explain what 'open weights' vs 'open source' means in practice for us" is
only 'probably' Qwen's strategy, at a probability (0.55) that would state it: a message naming no
topic, asking no choice among them and not pointing at the source, with PARTLY_ELSEWHERE_UNKNOWN
of its weight in words the knowledge has never seen, is stated only from PARTLY_ELSEWHERE_SURE.
The probability is fitted on a dev half whose misses shaped the knowledge's phrasings, and for
such messages it was too kind to authors nobody had tuned on. On the dev half of twenty-four of
them it made 3 off-topic answers and 1 near miss "probably", and 1 right answer; on eight more
authors kept unread, 2 off-topic answers and no right one; on the tuned authors' dev half, 11
right answers (of 1,996 stated right), 2 off-topic and 2 near misses. Naming a topic, asking
which one or pointing at the article ("per that report") still answers."""
NAMED_KNOWLEDGE_SHARE = 0.5
"""The share of a knowledge's phrasings that must name a topic for a message naming none to be
suspect: the bundled article's name one 71% of the time; an FAQ's ("how do i reset my
password") none, and there PARTLY_ELSEWHERE would have cost 12 points of the foreign FAQ's
tuning-half accuracy."""
PARTLY_ELSEWHERE_UNKNOWN = 0.15
"""The share of a message's weight in unheard words from which it may be partly about something
else: right answers to messages naming no topic mostly hold none ("whats the headline")."""
PARTLY_ELSEWHERE_SURE = 0.7
"""The probability from which such a message's answer is stated: on the dev half of the twenty-
four authors not tuned on, answers to messages naming no topic were 35 right to 1 unwanted from
it on, and 4 right to 10 unwanted below it."""
SOURCE_WORDS = frozenset(
    terms("article report post piece author headline title publisher")
    + terms("文章 报告 研报 文中 这篇 作者 标题")
)
"""Words that point at the source itself ("per that report", "whats the headline of the post"):
a message asking about the source names it, though it names no topic."""


def partly_elsewhere(reading: Reading) -> bool:
    """Whether a message naming no topic is partly about something else: see PARTLY_ELSEWHERE."""
    return (
        not reading.entities
        and reading.unknown_weight >= PARTLY_ELSEWHERE_UNKNOWN * reading.total_weight
        and not asks_to_choose(reading.text)
        and not any(map(points_at_the_source, reading.units))
    )


def points_at_the_source(unit: Unit) -> bool:
    """Whether a word is one of SOURCE_WORDS, as typed or through a typo ("artical"), but not
    a short word of its own that begins one ("repo" is no "report")."""
    return not SOURCE_WORDS.isdisjoint(terms(unit.typed)) or any(
        term in SOURCE_WORDS and (similarity == 1.0 or not term.startswith(unit.typed.lower()))
        for term, similarity in unit.meanings.items()
    )


COUNTS_WHAT_IT_LACKS = "asks how many of something the answer never counts"
"""'How many GPUs trained V4?' is not answered by a figure of parameters, nor 'how many experts'
by 'a Mixture-of-Experts'."""

UNSURE_RULES: tuple[Rule, ...] = (
    (
        "names a model or part by a code the answer does not write",
        lambda match: match.subjects.names_a_code_the_answer_lacks(match.reading, match.ranked[0]),
    ),
    (
        "asks about 'it' without saying what it is",
        lambda match: (
            not match.reading.entities
            and match.ranked[0].asked_by_name
            and not asks_to_choose(match.reading.text)
            and refers_back(match.reading)
        ),
    ),
    (
        NAMES_NONE_ASKED,
        lambda match: match.subjects.names_nothing_asked_which(match.reading, match.ranked[0]),
    ),
    (
        "asks a figure of a name the answer only mentions",
        lambda match: match.subjects.asks_a_figure_of_a_mention(match.reading, match.ranked[0]),
    ),
    (
        ANOTHER_TOPICS_ANSWER,
        lambda match: (
            bool(match.reading.entities)
            and match.ranked[0].asked_by_its_topic
            and match.ranked[0].fact.topic_id not in match.reading.entities
            and not asks_to_choose(match.reading.text)
        ),
    ),
    (
        LEAVES_OUT_A_NAMED_TOPIC,
        lambda match: (
            leaves_out_a_named_topic(match.reading, match.ranked[0])
            and not asks_to_choose(match.reading.text)
        ),
    ),
    (
        ANOTHER_YEAR,
        lambda match: match.subjects.asks_of_another_year(match.reading, match.ranked[0]),
    ),
    (
        ANOTHER_PLACE,
        lambda match: (
            bool(match.reading.places)  # most ask none, and reading an answer's places costs
            and not match.reading.places
            <= places_given(match.ranked[0].fact.answers_in_every_language)
        ),
    ),
    (
        NO_VERSION_WRITTEN,
        lambda match: match.subjects.asks_a_version_the_answer_lacks(
            match.reading, match.ranked[0]
        ),
    ),
    (
        COUNTS_WHAT_IT_LACKS,
        lambda match: counts_what_the_answer_lacks(match.reading, match.ranked[0]),
    ),
    (
        RULES_IT_OUT,
        lambda match: rules_out_the_answer(match.reading, match.ranked[0]),
    ),
    (
        ONLY_THE_FLOOR,
        lambda match: (
            asks_for_the_top(match.reading.text)
            and gives_only_a_floor(match.ranked[0].fact.answers_in_every_language)
        ),
    ),
    (
        WHICH_OF_A_COUNT,
        lambda match: asks_which_of_a_count(match.reading, match.ranked[0]),
    ),
    (
        RESTATES_THE_FIGURE,
        lambda match: restates_the_figure(
            match.reading, match.ranked[0], match.subjects.knowledge.topics
        ),
    ),
    (
        "asks for a detail the answer does not give (a day, a rank, a city, a yearly figure…)",
        lambda match: bool(match.reading.kinds & DETAIL_KINDS) and not match.ranked[0].fits_kind,
    ),
    (
        MOSTLY_ELSEWHERE,
        lambda match: mostly_elsewhere(match.reading, match.ranked[0]),
    ),
    (
        NAMES_NOT_ITS_TOPIC,
        lambda match: (
            not match.reading.entities
            and match.ranked[0].asked_only_by_name
            and not asks_to_choose(match.reading.text)
            and not match.reading.asks_name
            and doers(match.reading.text).isdisjoint(match.ranked[0].matched)
        ),
    ),
)
"""Every reason an answer, however likely, is never stated: it answers part of what was asked
("qwen's context vs kimi's 2M" answered with Kimi's alone). It is at most 'probably', with the
probability such answers had of being right (`Calibration.when_unsure`). Checked after
ABSTENTION_RULES."""


def fired_rule(match: Match, rules: tuple[Rule, ...] = ABSTENTION_RULES) -> str:
    """The first of the rules that holds for a match, or '' if none does."""
    return next((reason for reason, holds in rules if holds(match)), "")


class Decider:
    """Turns ranked candidates into the Answer a surface gives, for one knowledge base."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        index: KnowledgeIndex,
        subjects: SubjectCheck,
        settings: MatchSettings,
        calibration: Calibration,
    ) -> None:
        self.knowledge = knowledge
        self.index = index
        self.subjects = subjects
        self.unstated = UnstatedCheck(knowledge, index.glossary)
        self.settings = settings
        self.calibration = calibration
        self.min_evidence = index.max_idf * MIN_EVIDENCE_SHARE

    def features(
        self, reading: Reading, ranked: list[ScoredFact]
    ) -> tuple[MatchFeatures, str, str, NotStated | None]:
        """The best candidate's features, the abstention rule that fired and the rule that
        makes it only 'probably', if any, and what the curator listed as not stated that the
        question asks, if anything."""
        not_stated = self.unstated.asked(reading, ranked[0])
        how_to = asks_how_to(reading.text)
        match = Match(
            reading,
            ranked,
            self.subjects,
            not_stated,
            self.min_evidence,
            untold_how_to=how_to and not self.tells_how_to,
            untold_room=asks_the_room(reading.text) and not self.asked_of_the_room,
            untold_asker=(
                not reading.entities
                and not how_to  # HOW_TO_UNTOLD's to judge
                and speaks_of_the_asker(reading.text)
                and not self.asked_of_askers
            ),
            left_out=(
                not_stated is None and self.unstated.names_what_is_left_out(reading, ranked[0])
            ),
        )
        reason = fired_rule(match)
        unsure = "" if reason else fired_rule(match, UNSURE_RULES)
        features = describe_match(
            reading,
            ranked,
            max_idf=self.index.max_idf,
            unnamed_subject=ranked[0].asked_by_name and reading.unnamed_subject,
            rule_fired=bool(reason),
        )
        return features, reason, unsure, not_stated

    @functools.cached_property
    def asked_of_the_room(self) -> bool:
        """Whether any fact is asked as of the other members ("has anyone used…"), looked for
        once, when a message first asks so."""
        return self._any_phrasing(asks_the_room)

    @functools.cached_property
    def tells_how_to(self) -> bool:
        """Whether any fact is asked how to do something, looked for once, when a question
        first asks so."""
        return self._any_phrasing(asks_how_to)

    def _any_phrasing(self, asks: Callable[[str], bool]) -> bool:
        """Whether any fact's phrasing asks so: a scan of every phrasing, which no start should
        pay, so each caller keeps its answer."""
        return any(
            asks(phrasing) for fact in self.knowledge.facts.values() for phrasing in fact.phrasings
        )

    @functools.cached_property
    def asked_of_askers(self) -> bool:
        """Whether more than ASKER_FACT_SHARE of the facts are asked by someone speaking of
        themselves, looked for once, when a question first does so."""
        facts = self.knowledge.facts.values()
        asked = sum(
            any(speaks_of_the_asker(phrasing) for phrasing in fact.phrasings_in_every_language)
            for fact in facts
        )
        return asked > ASKER_FACT_SHARE * len(facts)

    def decide(self, reading: Reading, ranked: list[ScoredFact], surface: Surface) -> Answer:
        """A stated answer, a "probably" or an abstention with near misses."""
        question = reading.typed
        if not ranked:
            return Answer(question, AnswerKind.NONE, 0.0)
        features, reason, unsure, not_stated = self.features(reading, ranked)
        confidence = self.calibration.probability(features)
        confidence = round(self.calibration.when_unsure(confidence) if unsure else confidence, 4)
        best, top = ranked[0], tuple(ranked)
        settings = self.settings
        glossary = self._glossary_used(reading, best)
        if (
            not reason
            and not unsure
            and settings.answer_threshold(surface) <= confidence < PARTLY_ELSEWHERE_SURE
            and partly_elsewhere(reading)
            and self.index.share_asked_by_name > NAMED_KNOWLEDGE_SHARE
        ):
            unsure = PARTLY_ELSEWHERE
        if not reason and not unsure and confidence >= settings.answer_threshold(surface):
            answer = self.fact_answer(best.fact, question, confidence, best.matched, top)
            return replace(answer, glossary=glossary)
        near = tuple(
            item.fact
            for item in ranked[: settings.max_suggestions + 1]
            if item.score >= settings.suggestion_floor
        )
        if not reason and confidence >= settings.probable_threshold(surface):
            others = tuple(fact for fact in near if fact is not best.fact)
            answer = self.fact_answer(best.fact, question, confidence, best.matched, top)
            return replace(
                answer,
                kind=AnswerKind.PROBABLE,
                suggestions=others[: settings.max_suggestions],
                reason=unsure,
                glossary=glossary,
            )
        return Answer(
            question,
            AnswerKind.NONE,
            confidence,
            suggestions=near[: settings.max_suggestions],
            matched=best.matched,
            candidates=top,
            reason=reason or unsure,
            glossary=glossary,
            not_stated=not_stated if reason == NOT_STATED else None,
        )

    def _glossary_used(self, reading: Reading, best: ScoredFact) -> tuple[tuple[str, str], ...]:
        """The words the best candidate holds only through a glossary entry, with its
        headword: what the fact says in other words than the question's."""
        headwords = self.index.glossary.headwords
        held = set(best.matched)
        through = [
            (unit, entry)
            for unit in reading.units
            if unit.typed in held
            for entry in unit.meanings
            if entry in headwords
        ]
        if not through:
            return ()
        own = own_terms(best.fact)
        return tuple(
            (unit.typed, headwords[entry])
            for unit, entry in through
            if not own.intersection(unit.meanings)
        )

    def summary(self, reading: Reading, surface: Surface) -> Answer:
        """A topic's summary, when the question names one topic and asks nothing more specific."""
        matched = tuple(unit.typed for unit in reading.units)
        distinct = list(dict.fromkeys(reading.entities))
        if len(distinct) != 1:
            return Answer(reading.typed, AnswerKind.NONE, 0.0, matched=matched)
        probability = self.calibration.summary_probability
        if probability < self.settings.answer_threshold(surface):
            return Answer(reading.typed, AnswerKind.NONE, probability, matched=matched)
        topic = self.knowledge.topics[distinct[0]]
        return self.summary_answer(topic, reading.typed, matched, probability)

    def fact_answer(
        self,
        fact: Fact,
        question: str | None = None,
        confidence: float = 1.0,
        matched: tuple[str, ...] = (),
        candidates: tuple[ScoredFact, ...] = (),
    ) -> Answer:
        """A fact as an answer, with its topic and source, e.g. to re-send a shared answer."""
        return Answer(
            fact.question if question is None else question,
            AnswerKind.FACT,
            confidence,
            fact=fact,
            topic=self.knowledge.topic_of(fact),
            source=self.knowledge.source_of(fact),
            matched=matched,
            candidates=candidates,
        )

    def summary_answer(
        self,
        topic: Topic,
        question: str | None = None,
        matched: tuple[str, ...] = (),
        confidence: float = 1.0,
    ) -> Answer:
        """A topic's summary as an answer, with its source."""
        return Answer(
            topic.name if question is None else question,
            AnswerKind.SUMMARY,
            confidence,
            topic=topic,
            source=self.knowledge.source_of(topic),
            matched=matched,
        )
