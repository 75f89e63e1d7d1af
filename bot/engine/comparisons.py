"""Answers a question that sets topics side by side ("kimi vs minimax price", "which is cheaper
to run, minimax or deepseek?", "who has the longest context?") with each topic's own fact.

A comparison is never scored as a whole. Each topic is asked on its own, as "<topic> <what is
asked>", and decided like any question on the mention surface, so its probability is the same
wherever it is asked: the reply sets out the facts that decision states as known, when two or
more topics have one, and the asking surface's threshold then applies to the reply as a whole.
When that finds fewer than two, and each topic named has words of its own ("qwen's
terminalbench or glm's swe-bench pro"), each is asked its own words instead.

When one fact already answers it (a fact naming every topic compared; a "which of them"
question a single fact settles; a superlative a fact itself states), the question keeps the
answer it gets as typed. When only one of the topics has a fact on what is asked, a "which of
them" question picking by a detail gets that fact ("which is MIT, kimi or glm?"); any other
gets it as 'probably', saying which topics the knowledge has nothing on.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from bot.engine.answers import Answer, AnswerKind, ScoredFact
from bot.engine.asking import asks_to_choose
from bot.engine.counting import counts
from bot.engine.decision import (
    EVERYDAY_UNASKED,
    LEAVES_OUT_A_NAMED_TOPIC,
    TERSE_UNASKED,
    MatchSettings,
    Surface,
    only_everyday_words,
    too_terse_to_post,
)
from bot.engine.kinds import answer_kinds
from bot.engine.margins import figures_in, margin_of
from bot.engine.reading import QuestionReader, Reading, Unit, unknown_names
from bot.engine.text import content_terms, is_number, spelled_terms, terms, words
from bot.engine.typos import is_common_word
from bot.knowledge.model import Fact, KnowledgeBase

MEASURED: dict[str, str] = {
    **dict.fromkeys(("cheaper", "cheapest"), "cheap"),
    **dict.fromkeys(("longer", "longest", "shorter", "shortest"), "long"),
    **dict.fromkeys(("faster", "fastest"), "fast"),
    **dict.fromkeys(("slower", "slowest"), "slow"),
    **dict.fromkeys(
        """higher highest lower lowest bigger biggest larger largest smaller smallest newer
        newest older oldest earlier earliest stronger strongest wider widest""".split(),
        "",
    ),
}
"""Comparatives and superlatives of a measure, with the word a topic's fact uses for it: a fact
says "cheap" or "35 hours long", not "cheaper than the others"; a shorter run is a matter of
how long. Those mapped to "" compare by the words around them ("highest score")."""
QUALITATIVE = frozenset("more most less least fewer fewest better best worse worst".split())
"""Degree words that only say "more" or "better" of the words around them ("the most
permissive license"): a fact the question as typed finds for those words is the answer."""
SUPERLATIVES = frozenset(word for word in MEASURED if word.endswith("est"))
"""What a question picks one of many topics by, unnamed: a measure ("longest", "cheapest").
"The best" or "the most" of something across topics is left to the fact the question finds:
read topic by topic it would set any chat ("best pizza topping") against every topic."""
CJK_SUPERLATIVE = "最"
"""Chinese marks a superlative with one character inside a word ("最便宜", "最长")."""
CJK_DEGREE = frozenset("最更比")
"""Characters that compare ("更长", "比…便宜"): a character pair holding one is no attribute."""
CJK_MEASURED = {
    **dict(zip("久长快大高", ("多久", "多长", "多快", "多大", "多高"), strict=True)),
    **dict.fromkeys("多少低", "多少"),
    "小": "多大",
}
"""Chinese measures a degree character goes before ("更久", "最长"), with how each is asked of
one topic: a fact says how long it runs (多久), never "longer", as MEASURED reads "cheaper"."""
COMPARING_WORDS = frozenset(
    "vs versus compare compared comparing comparison difference differences between against"
    " differ differs different differently similar"
    " one ones model models lab labs company companies llm llms"
    " 区别 不同 不一 一样 差别 差异 对比 比较".split()
)
"""Words that say topics are being compared or picked among, not what they are compared on;
Chinese as the character pairs a question is read in ("有啥不一样" holds 不一 and 一样)."""
MAX_COMPARED = 5
"""Topics compared at most: a reply with more is a table, not an answer to a question."""
TOPICS_SOUGHT = 20
"""How many of the facts holding a superlative's attribute are read for the topics to compare:
enough that one topic's many facts on it do not hide the others'."""
TOLD_ASKS_THE_REST = "gives the figures of the topics it names but one, and asks that one's"
"""Why "how long can kimi run on its own? glm is 8h, qwen 35h" gets only a "probably": the
facts it would set side by side are the ones it told, and Kimi's is not in the knowledge."""
MARGIN = "margin"
"""The kind a question asks by how much ("how many more hours"): the reply works the gap out."""
FIGURED = frozenset({MARGIN, "quantity"})
"""Kinds that ask figures ("how many more hours", "how many hours", "几倍"): two topics' figures
side by side then come with the gap and the ratio between them worked out."""
KINDS_OF_THE_WHOLE = frozenset({"agent", "list", MARGIN})
"""Kinds the side-by-side reply gives, not each topic's fact: "who has the longest context?"
asks which topic, while each fact gives its context, never a someone; "qwen and glm's scores,
respectively" asks for a list, which the facts side by side are; "how many more hours can qwen
go than glm" asks a margin, which their two figures side by side give."""


@dataclass(frozen=True, slots=True)
class Request:
    """A comparison as read: the topics, what is asked of each, and how it compares them."""

    topics: tuple[Unit, ...]
    """One unit per topic to ask, each naming it."""
    asked: tuple[Unit, ...]
    """What is asked of every topic, comparison words left out and "cheaper" read "cheap"."""
    degree: tuple[Unit, ...]
    """The question's comparatives and superlatives, as typed."""
    across: bool
    """A superlative naming no topic: the topics are those whose facts hold the attribute."""
    unknown: tuple[str, ...] = ()
    """Names it sets against the topics that the knowledge has no topic for ("gemini")."""
    measure: frozenset[str] = frozenset()
    """The words a topic's fact says the measure in ("long" for "longest"), when the knowledge
    has them: across topics, a fact without one says nothing of who is the most."""


SETS_AGAINST_NEXT = frozenset({"vs", "versus", "than", "or", "against"})
SETS_AGAINST_PREVIOUS = frozenset({"vs", "versus"})
"""Words that set the word after them (or before them) against another: "vs gemini", "than
gemini", "gemini vs"."""
UNKNOWN_COMPARED = "compares with a model the knowledge has no topic for"
"""Why an answer about the one known side of such a comparison is only 'probably'."""

Decide = Callable[[Reading, Surface], Answer]
Rank = Callable[[list[Unit], int], list[ScoredFact]]


class Comparisons:
    """Reads comparisons and answers them topic by topic, for one matcher's stages."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        reader: QuestionReader,
        settings: MatchSettings,
        decide: Decide,
        rank: Rank,
        when_unsure: Callable[[float], float],
    ) -> None:
        self.knowledge = knowledge
        self.settings = settings
        self.when_unsure = when_unsure
        """The probability of a reply that answers part of what was asked (the calibration's)."""
        self.reader = reader
        self.decide = decide
        self.rank = rank

    def answer(self, reading: Reading, single: Answer, surface: Surface) -> Answer:
        """The comparison a question asks for, or `single`, its answer as typed (decided on the
        mention surface), when that already answers it or when fewer than two topics have a
        fact on what is asked; as `surface` posts it, with the same probability everywhere."""
        return self._posted_on(surface, reading, self._as_mentioned(reading, single))

    def _as_mentioned(self, reading: Reading, single: Answer) -> Answer:
        """The reply a mention gets, which every surface then posts or keeps to itself."""
        against = _compared_names(reading.text)
        request = self.request(reading, against)
        if request is None:
            return self._without_the_unknown(reading, single, against)
        if _settled_by(single, request, reading):
            return single
        kinds = reading.kinds - KINDS_OF_THE_WHOLE
        found, filled, lacking = self._ask_each(request, {}, kinds)
        if len(found) < 2 and (apart := _asked_apart(reading, request)):
            # "qwen's terminalbench or glm's swe-bench pro": each topic its own attribute
            found_apart = self._ask_each(request, apart, kinds)
            if len(found_apart[0]) >= 2:
                found, filled, lacking = found_apart
        lacking += request.unknown
        compared = tuple(found.values())
        if len(compared) >= 2:
            comparison = Answer(
                reading.typed,
                AnswerKind.COMPARISON,
                min(item.confidence for item in compared),
                matched=_words_of(reading, compared),
                candidates=single.candidates,
                compared=compared,
                lacking=tuple(lacking),
                margin=margin_of(compared) if reading.kinds & FIGURED else None,
            )
            if lacking and all(_figures_told(item, reading.text) for item in compared):
                # "how long can kimi run on its own? glm is 8h, qwen 35h": what it asks is
                # what the knowledge lacks; the rest it told
                return self._never_stated(single, tuple(lacking))
            return comparison
        if not compared or (single.kind is AnswerKind.FACT and not (request.degree and lacking)):
            return single  # a fact found as typed stands, unless it ranks what one side lacks
        fact = self.knowledge.facts[next(iter(found))]
        alone = replace(
            compared[0],
            question=reading.typed,
            topic=self.knowledge.topic_of(fact),
            matched=_words_of(reading, compared),
            candidates=single.candidates,
        )
        if (
            request.across
            or (filled[fact.id] > 1 and not lacking)
            or (asks_to_choose(reading.text) and (not request.degree or _ranks_alone(fact)))
        ):
            # the one topic that has it ("which is MIT, kimi or glm?"), or one fact holding
            # every topic compared
            return alone
        if single.kind is AnswerKind.PROBABLE and single.fact is fact:
            return replace(single, lacking=tuple(lacking))
        if lacking:
            # one side known ("kimi context vs minimax context"): that side, said to be partial
            partial = self._in_part(alone, LEAVES_OUT_A_NAMED_TOPIC, tuple(lacking))
            if partial.kind is AnswerKind.PROBABLE or single.kind is not AnswerKind.PROBABLE:
                return partial
        return single

    def _ask_each(
        self, request: Request, apart: dict[int, list[Unit]], kinds: frozenset[str]
    ) -> tuple[dict[str, Answer], dict[str, int], list[str]]:
        """Each topic's stated fact on what is asked of it (`apart`, by the topic's unit's id,
        else everything asked), how many topics each fact answers, and the topics with none."""
        found: dict[str, Answer] = {}
        filled: dict[str, int] = {}
        lacking: list[str] = []
        for unit in request.topics:
            topic = self.knowledge.topics[unit.entity or ""]
            units = [unit, *apart.get(id(unit), request.asked)]
            # Each topic on the mention surface, so its probability is the same wherever asked;
            # the surface's own threshold then applies to the whole reply (see `_posted_on`).
            decided = self.decide(
                Reading(" ".join(u.typed for u in units), units, kinds), Surface.MENTION
            )
            fact = decided.fact
            if (
                decided.kind is AnswerKind.FACT
                and fact is not None
                and (
                    fact.topic_id == topic.id
                    or not (
                        request.across
                        or ("quantity" in kinds and self._names_another(fact, topic.id, request))
                    )
                )
                and (not request.measure or not request.measure.isdisjoint(decided.matched))
                and (not request.across or request.measure or _gives_a_figure(fact, request))
            ):
                found.setdefault(fact.id, replace(decided, topic=topic))
                filled[fact.id] = filled.get(fact.id, 0) + 1
            elif not request.across:
                lacking.append(topic.name)
        return found, filled, lacking

    def _names_another(self, fact: Fact, topic_id: str, request: Request) -> bool:
        """Whether a fact of another topic names a second compared topic besides this one: the
        figure it gives may be that one's ("seven kinds of domestic chips run Zhipu's GLM-5" is
        no count of DeepSeek's, in a fact that names DeepSeek too)."""
        held = set(content_terms(fact.answer))
        return any(
            (named := set(content_terms(name))) and named <= held
            for unit in request.topics
            if unit.entity is not None and unit.entity != topic_id
            for name in self.knowledge.topics[unit.entity].names
        )

    def _posted_on(self, surface: Surface, reading: Reading, answer: Answer) -> Answer:
        """A reply decided as for a mention, as `surface` gives it: below its threshold for a
        stated answer or a "probably" (which automatic channels never post), nothing, with the
        same probability, as for any answer; nothing either to a message too terse to answer
        unasked."""
        if answer.kind is AnswerKind.NONE:
            return answer
        if too_terse_to_post(reading, surface):
            return replace(_silent(answer), reason=TERSE_UNASKED)
        if only_everyday_words(reading, answer.matched, surface):
            return replace(_silent(answer), reason=EVERYDAY_UNASKED)
        settings = self.settings
        threshold = (
            settings.answer_threshold(surface)
            if answer.answered
            else settings.probable_threshold(surface)
        )
        return answer if answer.confidence >= threshold else _silent(answer)

    def _without_the_unknown(
        self, reading: Reading, single: Answer, against: frozenset[str]
    ) -> Answer:
        """An answer to a comparison with a model the knowledge has no topic for ("kimi vs
        gemini context") is never stated: it speaks of one side only, or, with no known topic
        named ("groq vs cerebras for fast inference"), of neither. Without a known topic, a
        common word set against another ("growing or flat") is what is asked, not a name."""
        if not single.answered:
            return single
        held = set(single.matched)
        unknown = tuple(
            unit.typed
            for unit in unknown_names(reading.units)
            if unit.typed in against
            and unit.typed not in held
            and (reading.entities or not all(map(is_common_word, terms(unit.typed))))
        )
        if not unknown:
            return single
        return self._in_part(single, UNKNOWN_COMPARED, unknown)

    def _never_stated(self, single: Answer, lacking: tuple[str, ...]) -> Answer:
        """The answer as typed, never stated, naming what the knowledge lacks."""
        if single.kind is AnswerKind.FACT:
            return self._in_part(single, TOLD_ASKS_THE_REST, lacking)
        return replace(single, lacking=lacking) if single.kind is AnswerKind.PROBABLE else single

    def _in_part(self, answer: Answer, reason: str, lacking: tuple[str, ...]) -> Answer:
        """A reply that answers only part of what was asked, naming what the knowledge lacks:
        never stated, and a "probably" only when such replies are likely enough; else no
        answer, with its fact first among the near misses offered."""
        partial = replace(
            answer,
            kind=AnswerKind.PROBABLE,
            confidence=self.when_unsure(answer.confidence),
            reason=reason,
            lacking=lacking,
        )
        if partial.confidence >= self.settings.probable_threshold(Surface.MENTION):
            return partial
        offered = (partial.fact, *partial.suggestions) if partial.fact else partial.suggestions
        kept = tuple(dict.fromkeys(offered))[: self.settings.max_suggestions]
        return _silent(replace(partial, suggestions=kept))

    def request(self, reading: Reading, against: frozenset[str]) -> Request | None:
        """The comparison a question asks for, or None if it asks for none; `against` are the
        words it sets against others (`_compared_names`), read once per question."""
        named = {unit.entity: unit for unit in reading.units if unit.entity}
        unknown = [unit for unit in unknown_names(reading.units) if unit.typed in against]
        skipped = {id(unit) for unit in unknown}
        degree = tuple(unit for unit in reading.residual if _is_degree(unit))
        asked: list[Unit] = []
        own: list[Unit] = []
        measure: set[str] = set()
        for unit in reading.residual:
            if id(unit) in skipped or unit.typed in COMPARING_WORDS:
                continue
            if _is_degree(unit):
                attribute = self._attribute(unit)
                asked += attribute
                measure.update(part.typed for part in attribute)
            else:
                asked.append(unit)
                own.append(unit)
        if not any(unit.meanings for unit in asked):
            return None
        if len(named) >= 2:
            topics = tuple(named.values())[:MAX_COMPARED]
            return Request(topics, tuple(asked), degree, False, tuple(u.typed for u in unknown))
        if named or not _is_superlative(reading, degree) or not _in_known_words(reading, asked):
            return None  # across topics, only in the knowledge's own words
        if reading.about_the_listener:
            return None  # "you're the oldest?" asks about whoever it is put to
        if not any(unit.meanings for unit in own):
            return None  # "the longest" of what?
        asked = [unit for unit in asked if not unit.unknown]  # the chat around it asks nothing
        return Request(self._holders(asked), tuple(asked), degree, True, (), frozenset(measure))

    def _attribute(self, unit: Unit) -> list[Unit]:
        """What a comparative compares by ("cheap" for "cheaper", 多久 for 更久), if the
        knowledge has it."""
        base = MEASURED.get(unit.typed, "") or _cjk_measure(unit.typed)
        return [u for u in self.reader.units(spelled_terms(base)) if u.meanings] if base else []

    def _holders(self, asked: list[Unit]) -> tuple[Unit, ...]:
        """The topics whose facts best hold what a superlative asks, best first, each as a
        unit naming it."""
        topics: dict[str, Unit] = {}
        for item in self.rank(asked, TOPICS_SOUGHT):
            topic = self.knowledge.topic_of(item.fact)
            if topic is not None and item.score > 0 and topic.id not in topics:
                topics[topic.id] = Unit(topic.name, self.reader.index.entity_weight, {}, topic.id)
        return tuple(topics.values())[:MAX_COMPARED]


def _silent(answer: Answer) -> Answer:
    """No answer, with the probability, near misses and reason of the one kept back."""
    return Answer(
        answer.question,
        AnswerKind.NONE,
        answer.confidence,
        suggestions=answer.suggestions,
        matched=answer.matched,
        candidates=answer.candidates,
        reason=answer.reason,
        glossary=answer.glossary,
        lacking=answer.lacking,
    )


def _gives_a_figure(fact: Fact, request: Request) -> bool:
    """Whether a fact gives a figure of what a superlative measures by the words around it:
    "the highest benchmark score" is a score, which "the industry obsessed over benchmark
    rankings" does not give."""
    return counts(fact.answer, [term for unit in request.asked for term in unit.meanings])


def _cjk_measure(typed: str) -> str:
    """How a Chinese measure is asked ("多久") when a degree character goes before it in an
    unknown run ("得更久", read as one)."""
    for before, after in itertools.pairwise(typed):
        if before in CJK_DEGREE and after in CJK_MEASURED:
            return CJK_MEASURED[after]
    return ""


def _is_degree(unit: Unit) -> bool:
    """A comparative or superlative: "cheaper", "most", or an unknown Chinese pair with 最."""
    if unit.typed in MEASURED or unit.typed in QUALITATIVE:
        return True
    return unit.unknown and any(char in CJK_DEGREE for char in unit.typed)


def _compared_names(text: str) -> frozenset[str]:
    """The words a question sets against another ("vs gemini", "gemini vs", "or gemini",
    "than gemini", "compared with gemini"), as typed."""
    typed = words(text)
    names: set[str] = set()
    for at, word in enumerate(typed):
        after = typed[at + 1 : at + 3]
        if word in SETS_AGAINST_NEXT and after:
            names.add(after[0])
        if word in SETS_AGAINST_PREVIOUS and at:
            names.add(typed[at - 1])
        if word.startswith("compar") and len(after) == 2 and after[0] in {"to", "with"}:
            names.add(after[1])
    return frozenset(name for name in names if not is_number(name))  # "than 10 million"


def _asked_apart(reading: Reading, request: Request) -> dict[int, list[Unit]]:
    """What is asked of each topic named, when each is asked its own thing: the words after
    its name up to the next one, with the words before the first name asked of all; empty
    unless every topic has words of its own ("qwen's terminalbench or glm's swe-bench pro")."""
    if request.across:
        return {}
    asked = {id(unit) for unit in request.asked}
    typed = {id(unit) for unit in reading.units}
    shared = [unit for unit in request.asked if id(unit) not in typed]  # "cheap" for "cheaper"
    own: dict[int, list[Unit]] = {}
    current: list[Unit] = shared
    for unit in reading.units:
        if unit.entity is not None:
            current = own.setdefault(id(unit), [])
        elif id(unit) in asked:
            current.append(unit)
    topics = [id(unit) for unit in request.topics]
    if not all(any(unit.meanings for unit in own.get(topic, ())) for topic in topics):
        return {}
    return {topic: [*shared, *own[topic]] for topic in topics}


def _words_of(reading: Reading, compared: tuple[Answer, ...]) -> tuple[str, ...]:
    """The question's own words the compared facts hold, for explanations."""
    typed = {unit.typed for unit in reading.units}
    held = (word for item in compared for word in item.matched)
    return tuple(dict.fromkeys(word for word in held if word in typed))


def _in_known_words(reading: Reading, asked: list[Unit]) -> bool:
    """Whether a superlative across topics asks in the knowledge's own words: what it measures
    (the word after it, "the longest river") known, and any other unknown word a common one,
    chat around the question ("…of the bunch", "…without a human touching it"), not a name."""
    units = reading.units
    measured = {
        id(units[at + 1]) for at, unit in enumerate(units[:-1]) if unit.typed in SUPERLATIVES
    }
    unknown = [unit for unit in asked if unit.unknown]
    if sum(unit.weight for unit in unknown) * 2 >= sum(unit.weight for unit in asked):
        return False  # mostly words the knowledge never saw: chat that happens to say "longest"
    return not any(
        id(unit) in measured or not all(map(is_common_word, terms(unit.typed))) for unit in unknown
    )


def _figures_told(answer: Answer, question: str) -> bool:
    """Whether a question already gives an answer's figures ("glm is 8h" of "8 consecutive
    hours"), those of its topic's names ("Tessa 2.5") aside: an answer with none is not told."""
    names = answer.topic.names if answer.topic is not None else ()
    given = figures_in(answer.text).difference(*map(figures_in, names))
    told = {Decimal(figure.replace(",", "")) for figure in _TOLD_FIGURE.findall(question)}
    return bool(given) and given <= told


_TOLD_FIGURE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
"""A figure as a question may write it, run into its unit ("8h", "35h", "10,000gpus")."""


def _ranks_alone(fact: Fact) -> bool:
    """Whether one topic's fact can say which of several is more so by itself: it ranks its
    topic ("first globally") or says it in words ("an autonomous agent"); a figure alone
    ("2M tokens", "RMB 39") ranks nothing without the other side's."""
    kinds = answer_kinds(fact.phrasings, fact.answer)
    return "rank" in kinds or "quantity" not in kinds


def _is_superlative(reading: Reading, degree: tuple[Unit, ...]) -> bool:
    """Whether a question asks for the most or least of something."""
    return any(unit.typed in SUPERLATIVES for unit in degree) or CJK_SUPERLATIVE in reading.text


def _settled_by(single: Answer, request: Request, reading: Reading) -> bool:
    """Whether the answer as typed already answers the comparison: its fact holds every topic
    named; or a question picking one of the topics by a detail rather than by degree ("which
    costs USD 20 a month, lumen or tessa?") got it; or, across topics, the fact states the
    superlative itself ("the longest context") or the question only asks for the "best" or
    "most" of what the fact holds."""
    if not single.answered:
        return False
    held = set(single.matched)
    if not request.across:
        return all(unit.typed in held for unit in request.topics) or (
            not request.degree and asks_to_choose(reading.text)
        )
    measured = [unit.typed for unit in request.degree if unit.typed not in QUALITATIVE]
    fact = single.fact
    return fact is None or not measured or any(_states(fact, word) for word in measured)


def _states(fact: Fact, word: str) -> bool:
    """Whether a fact uses a word itself ("the longest context"), not just its stem's kin."""
    wanted = set(content_terms(word))
    texts = (*fact.phrasings, *fact.keywords, fact.answer)
    return bool(wanted) and any(wanted <= set(content_terms(text)) for text in texts)
