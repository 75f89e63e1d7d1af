"""Whether a question is about something the knowledge has no topic for, so that no other
topic's fact answers it: "Claude's score", "GLM-5.1 Air", "GLM's training cost"."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence

from bot.engine.answers import ScoredFact
from bot.engine.asking import asks_to_choose, asks_which_other_thing, ruled_out
from bot.engine.cards import is_card_fact
from bot.engine.index import KnowledgeIndex
from bot.engine.kinds import MONTHS
from bot.engine.reading import Reading, Unit, is_version
from bot.engine.retrieval import Retriever, strength
from bot.engine.text import (
    clean,
    content_terms,
    has_cjk,
    is_cjk,
    is_number,
    spelled_terms,
    squashed,
)
from bot.knowledge.model import Fact, KnowledgeBase, Source

PROPER_NAME_FACT_SHARE = 0.1
"""A name in more than this share of the facts is the knowledge's common ground ("AI",
"Chinese"), not a subject that sets one answer apart."""
PROPER_NAME_SAMPLE = 32
"""How many of a word's facts are read to tell a name from a word: enough for any usage."""
PROPER_NAME_CASE_RATIO = 3
"""A name is capitalised in at least this many facts for each that writes it in lower case:
curators and forum answers alike write "github" now and then. On the foreign FAQ's tuning half
this took wrong answers from 6.03% to 5.71% ("strikethrough on github" got Gmail's); the blind
dev half and real chat did not move."""
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|‘[^’]*’|“[^”]*”")
"""Quoted titles capitalise every word, so they say nothing about which words are names."""
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+")
_WORD = re.compile(r"[^\W_][\w.\-]*")
_POSSESSIVE = re.compile(
    r"([^\W_][\w.\-]*)['’]s(?!\w)|(?<!\w)of\s+(?:the\s+)?([^\W_][\w.\-]*)(?:\W*$)", re.I
)
"""An owner: "gemini's", or a last word after "of" ("the context window of gemini")."""
_AFTER_THE_VERB = r"\s+(?:the\s+)?([^\W_][\w.\-]*)"
"""The word right after a question's auxiliary verb, past a "the"."""
_PLACE_FIRST = r"[A-Za-z][\w.\-]*(?:\s+[A-Za-z][\w.\-]*)?\s*(?:上面|上|里面|裡面|里|裡|中)\s*"
"""Where a Chinese question sets what it asks before its subject ("TerminalBench 上 Claude 旗舰
考了多少分"): a place, not who is asked about."""
_OPENING = (
    r"(?:(?:wait|hmm+|um+|uh+|ok(?:ay)?|so|lol|lmao|well|bro|yo)\b\W*"
    r"|(?:那么|那|所以|话说|请问|哎|诶)\s+)*"
)
"""Words chat opens with before its question ("wait", "ok so", "那 GPT-4…"): no one the
question asks about."""
_SUBJECT = re.compile(
    rf"^\W*{_OPENING}(?:{_PLACE_FIRST})?([^\W_][\w.\-]*)"
    rf"|\b(?:did|does|do|is|was|has|had|can|will){_AFTER_THE_VERB}",
    re.I,
)
"""Where a question puts who it asks about: first, past chat's opening words, or right after
its verb ("how much did GPT-4 cost", "wait, Claude 旗舰…")."""
_DOER = re.compile(
    rf"\b(?:did|does|do|has|had){_AFTER_THE_VERB}|\b(?:was|is)\s+([^\W_][\w.\-]*)(?:'s|’s)",
    re.I,
)
"""The one a question asks did something: right after its auxiliary ("did the Claude
flagship"), or the owner right after "is/was" ("what was GPT-4's cost"; not "what is the
Arena score of…", which names what is asked)."""


MIN_VARIANT_LETTERS = 3
"""Shorter unknown words after a model's name are chat ("ok", "rn"), not a variant's name."""
MIN_UNKNOWN_NAME_LETTERS = 3
"""Shorter capitals the knowledge has never seen are mostly short for what it spells out ("what
does MS Office offer" of a fact on Microsoft Office), not another thing's name."""
NAMED_TOPIC_SHARE = 0.5
ELSEWHERE_LEAD = 0.25
"""When the named topic's facts hold less than half of what else a question asks, and another
topic's facts hold a quarter more of it, the question is about something not curated."""


class SubjectCheck:
    """The checks that need the knowledge's names and postings, for one index."""

    def __init__(
        self, knowledge: KnowledgeBase, index: KnowledgeIndex, retriever: Retriever
    ) -> None:
        self.knowledge = knowledge
        self.index = index
        self.retriever = retriever
        self._proper: dict[str, bool] = {}
        self._topic_names = frozenset(
            squashed(name) for topic in knowledge.topics.values() for name in topic.names
        )

    def names_an_unknown_model(self, reading: Reading) -> bool:
        """Whether a named topic's name goes on into a model the knowledge lacks: a version after
        a bare family name, perhaps after a letter ("Orion 99", "Kimi K9", where Orion is
        Orion-8), or after a model's name a word the knowledge only uses in other names
        ("Orion-8 Nano", where only Vega has a Nano). What the topic's own names or facts hold
        ("Qwen Max", "Qwen 35 hours") is about the topic, not another model.
        """
        units = reading.units
        for at, unit in enumerate(units[:-1]):
            following = units[at + 1]
            if unit.entity is None or following.entity is not None:
                continue
            after = units[at + 2] if at + 2 < len(units) else None
            if len(following.typed) == 1 and after is not None and is_version(after.typed):
                following = after
            if self._is_variant(unit, following, after, reading.text):
                return True
            if self._said_of(unit.entity, following):
                continue
            if is_version(following.typed) and not is_number(unit.typed.split()[-1]):
                return True
            if (
                following.meanings
                and not is_number(following.typed)
                and not any(term in self.index.postings for term in following.meanings)
            ):
                return True
        return False

    def _is_variant(self, name: Unit, following: Unit, after: Unit | None, text: str) -> bool:
        """Whether a word after a versioned model name names a variant of it: joined to the
        version and in none of its names ("DeepSeek V4-Flash"; "Qwen3.7-Plus", though a fact
        of Alibaba's says "plus"), or never seen and between the name and what its facts hold
        ("GLM-5.1 Air SWE-Bench"); not "did GLM-5.1 crack 60", where what follows is not the
        model's."""
        word = following.typed
        version = name.typed.split()[-1]
        if not (
            is_number(version)
            and word.isalpha()
            and len(word) >= MIN_VARIANT_LETTERS
            and not is_cjk(word)
            and name.entity is not None
        ):
            return False
        if re.search(rf"{re.escape(version)}-{re.escape(word)}(?!\w)", text.lower()):
            return not self._in_a_name(name.entity, following)
        return (
            following.unknown
            and _VERB_FORM.search(word) is None
            and not _after_a_modal(name.typed, text)
            and after is not None
            and self._said_of(name.entity, after)
        )

    def _in_a_name(self, topic_id: str, unit: Unit) -> bool:
        """Whether a word is in one of a topic's names."""
        readings = {unit.typed, *unit.meanings}
        names = self.knowledge.topics[topic_id].names
        return any(term in readings for name in names for _, term in spelled_terms(name))

    def _said_of(self, topic_id: str, unit: Unit) -> bool:
        """Whether a word is in one of a topic's names or in one of its facts."""
        if self._in_a_name(topic_id, unit):
            return True
        facts = self.retriever.facts_of([topic_id])
        postings = self.retriever.postings_of(unit)
        return any(strength(postings, position) for position in facts)

    def asked_of_someone_else(self, reading: Reading) -> bool:
        """Whether the knowledge has what is asked, but about another topic than the one named.

        "How much did GLM cost to train?" shares 'train' and 'cost' with DeepSeek's facts and
        nothing with GLM's: the honest answer is that the knowledge does not say.
        """
        residual = reading.residual
        wanted = sum(unit.weight for unit in residual)
        named = self.retriever.facts_of(reading.entities)
        covered = self.retriever.accumulate(residual, within=named)
        best_named = max((c for c, _ in covered.values()), default=0.0)
        if best_named >= wanted * NAMED_TOPIC_SHARE:
            return False
        bar = best_named + wanted * ELSEWHERE_LEAD
        if not self.retriever.held_elsewhere(residual, bar, named):
            return False
        held = max(covered.values(), key=lambda found: found[0], default=(0.0, []))[1]
        lead = [unit for unit in residual if unit.typed not in held and unit.meanings]
        return not held or len(lead) != 1 or self._said_elsewhere(residual, lead, named, bar)

    def _said_elsewhere(
        self, residual: list[Unit], lead: list[Unit], named: set[int], bar: float
    ) -> bool:
        """Whether a fact of another topic holding what is asked says the one word the named
        topic's best fact lacks, in its answer, keywords or canonical question, not only in how
        its curator also phrased it: "underpins" in "What structural design underpins GLM-5.1?"
        is no subject of GLM's, so "What architecture underpins Kimi K2.6?" still asks Kimi's.
        Looked at only when the rest of the rule holds and the named topic's best fact lacks
        just one known word of what is asked ("orion price" asks what Orion has none of, "orion
        runs autonomously longest" two words it lacks), which few questions reach."""
        for position, (share, matched) in self.retriever.accumulate(residual).items():
            if position in named or share < bar:
                continue
            fact = self.index.fact_at(position)
            said = set(content_terms(" ".join((*_what_it_says(fact), *fact.keywords))))
            if any(said.intersection(unit.meanings) for unit in lead if unit.typed in matched):
                return True
        return False

    def names_what_the_answer_lacks(self, reading: Reading, best: ScoredFact) -> bool:
        """Whether the question names someone or something, not a topic, that the knowledge
        writes as a name ("Claude", "TerminalBench", "Huawei") and the best fact does not hold,
        typed as the knowledge spells it (a typo's reading is too weak a sign): "what did
        Claude score on SWE-Bench Pro" is not answered by GLM's score. A word the knowledge has
        never seen counts when the question makes it an owner ("gemini's context window") or
        capitalises it as the doer ("what did Gemini score"): "does the notion…" is no name.
        So does a name the knowledge writes with a version joined on that the best fact never
        writes: "what did GPT-5 cost" is not answered by GPT-4's cost."""
        held = set(best.matched)
        owners = possessives(reading.text) - _NOBODY
        named_doers = {
            word
            for word in doers(reading.text)
            if len(word) >= MIN_UNKNOWN_NAME_LETTERS and capitalised_inside(word, reading.text)
        }
        answers = best.fact.answers_in_every_language
        return any(
            unit.entity is None
            and unit.typed not in held
            and (
                self._is_written_as_a_name(unit)
                or (unit.unknown and (unit.typed in owners or unit.typed in named_doers))
            )
            and not any(self._in_a_name(topic_id, unit) for topic_id in reading.entities)
            and not _written_in(unit.typed, answers)
            for unit in reading.units
        ) or self._names_another_version(reading, answers)

    def _names_another_version(self, reading: Reading, answers: Sequence[str]) -> bool:
        """Whether the question writes a name the knowledge knows with a version joined on
        ("gpt-5") that no answer writes so."""
        for unit, following in itertools.pairwise(reading.units):
            if unit.entity is not None or following.entity is not None:
                continue
            if not is_version(following.typed) or not self._is_written_as_a_name(unit):
                continue
            versioned = _versioned(unit.typed, following.typed)
            if versioned.search(reading.text) and not any(map(versioned.search, answers)):
                return True
        return False

    def _is_written_as_a_name(self, unit: Unit) -> bool:
        """Whether a word is, as typed, one the knowledge writes as a name."""
        return any(
            similarity == 1.0 and self.is_proper_name(term)
            for term, similarity in unit.meanings.items()
        )

    def names_nothing_asked_which(self, reading: Reading, best: ScoredFact) -> bool:
        """Whether a question asks which named thing of a topic it names, and the best fact,
        of that topic, names nothing the question did not: "which Claude model did Qwen beat?"
        is not answered by "…ahead of Claude's flagship", nor "which intl chips does MiniMax
        use?" by "it mixes international and domestic chips", nor "what gpu runs M2.7?" by
        "MiniMax M2.7 runs on consumer hardware"."""
        if not reading.asks_name or not reading.entities:
            return False
        other_thing = asks_which_other_thing(reading.text)
        if not other_thing and best.fact.topic_id not in reading.entities:
            return False
        asked = {term for term, _ in spelled_terms(reading.text)}
        if other_thing:  # "what gpu runs M2.7": "MiniMax" is no answer
            topics = self.knowledge.topics
            asked.update(
                term
                for topic_id in reading.entities
                for name in topics[topic_id].names
                for _, term in spelled_terms(name)
            )
        names = names_written(best.fact.answer)
        if all(any(term in asked for term, _ in spelled_terms(name)) for name in names):
            return True
        written = {name.lower() for name in names}
        return any(
            word in written and not names_one_of(word, best.fact.answer)
            for word in reading.which_of
        )

    def asks_a_figure_of_a_mention(self, reading: Reading, best: ScoredFact) -> bool:
        """Whether a question asks a figure of a name the best fact only mentions: "how much
        did GPT-4 cost to train?" is not answered by DeepSeek's cost, put next to GPT-4's,
        while "which model beat Claude's flagship?" is answered by its fact. When it names a
        topic too, only the doer of its verb counts ("what score did the Claude flagship that
        Qwen beat get?"), since "Qwen's score vs Claude's" asks Qwen's."""
        if "quantity" not in reading.kinds or asks_to_choose(reading.text):
            return False
        held = set(best.matched)
        if reading.entities:
            subjects = doers_of(reading.text)
        else:
            subjects = possessives(reading.text) | grammatical_subjects(reading.text)
        return any(
            unit.entity is None
            and unit.typed in held
            and unit.typed in subjects
            and any(
                similarity == 1.0 and self.is_proper_name(term)
                for term, similarity in unit.meanings.items()
            )
            for unit in reading.units
        )

    def names_a_code_the_answer_lacks(self, reading: Reading, best: ScoredFact) -> bool:
        """Whether the question names a model or part by its code ("H100s", "910C") that
        neither the best fact, in any language, nor its topic's names write: the fact is about
        something near it, but cannot say which one it is. A code that is a known topic's name
        ("K2.6") names that topic, which other rules weigh."""
        codes = codes_in(reading.text) - self._topic_names
        if not codes:
            return False
        fact = best.fact
        topic = self.knowledge.topic_of(fact)
        texts = (
            *fact.answers_in_every_language,
            *fact.phrasings_in_every_language,
            *fact.keywords,
            *(topic.names if topic else ()),
        )
        written = squashed(" ".join(texts))
        return any(code not in written for code in codes)

    def asks_a_version_the_answer_lacks(self, reading: Reading, best: ScoredFact) -> bool:
        """Whether the question asks which version or generation something is, and the best
        fact writes no code but those the question itself writes: "which version of CANN does
        DeepSeek V4 run on?" is not answered by "V4 runs on Ascend with CANN"."""
        if not reading.asks_version:
            return False
        fact = best.fact
        written = versions_in(" ".join((*fact.answers_in_every_language, *fact.phrasings)))
        return not written - versions_in(reading.text)

    def asks_of_another_year(self, reading: Reading, best: ScoredFact) -> bool:
        """Whether the question asks about a year ("back in 2024", "去年") that neither the best
        fact writes nor its source was published in: what the article says of its own time is
        no answer for another."""
        if not reading.years:
            return False
        fact = best.fact
        current = str(self.knowledge.source_of(fact).published.year)
        written = " ".join((*fact.answers_in_every_language, *fact.phrasings_in_every_language))
        return any(year != current and year not in written for year in reading.years)

    def is_proper_name(self, term: str) -> bool:
        """Whether the knowledge's answers write a term as a name: capitalised inside a
        sentence, seldom in lower case (PROPER_NAME_CASE_RATIO), in few enough facts to set
        one apart, and not part of the name of their source or its publisher, which every fact
        of it is 'about'. Worked out once per term, from its facts alone."""
        known = self._proper.get(term)
        if known is None:
            known = self._proper[term] = self._written_as_name(term)
        return known

    def _written_as_name(self, term: str) -> bool:
        if is_number(term) or term in MONTHS:
            return False  # figures and months are capitalised or digits, never someone
        positions = self.index.postings.find(term).positions
        most = max(1.0, PROPER_NAME_FACT_SHARE * len(self.knowledge.facts))
        if not positions or len(positions) > most:
            return False
        capitalised = lower = 0
        for position in itertools.islice(positions, PROPER_NAME_SAMPLE):
            fact = self.index.fact_at(position)
            if is_card_fact(fact):
                continue  # "Kimi K2.6 — Risk: ...": a card row capitalises its name
            if term in _source_terms(self.knowledge.source_of(fact)):
                return False
            written = capitalised_inside(term, fact.answer)
            lower += written is False
            capitalised += written is True
        return capitalised > 0 and capitalised >= PROPER_NAME_CASE_RATIO * lower

    def says_one_common_word(self, reading: Reading, best: ScoredFact) -> bool:
        """Whether a question naming no topic shares one word with the best fact, and that
        word is neither one the fact writes as a name ("Panjiu", "the Louvre") nor asked as the
        fact answers ("where is the louvre"): "ratio?" could mean any fact holding "ratio".
        Chinese shows no capitals, so a Chinese word is given the benefit of the doubt."""
        held = set(best.matched)
        if reading.entities or len(held) > 1 or (reading.kinds and best.fits_kind):
            return False
        fact = best.fact
        return not any(
            is_cjk(unit.typed)
            or any(
                similarity == 1.0 and capitalised_inside(term, text)
                for term, similarity in unit.meanings.items()
                for text in (fact.answer, *fact.phrasings)
            )
            for unit in reading.units
            if unit.typed in held
        )


_VERB_FORM = re.compile(r"(?:ed|ing)$|^(?:said|says|say|got|gets|made|makes|seems)$")
"""A word after a model's name that does something ("GLM-5.1 said to handle", "Qwen scoring"):
no variant's name ("Air", "Flash", "Turbo")."""
_MODAL = r"\b(?:can|could|will|would|should|might|may|does|do)\s+(?:the\s+)?"
"""A modal or "do" before a model's name: the word after the name is what it does ("how long
can glm-5.1 grind autonomously"), not a variant, which is asked with "did" or no verb ("what did
glm 5.1 air score", "glm 5.1 air swe bench")."""


def _after_a_modal(name: str, text: str) -> bool:
    """Whether a model's name, as read ("glm 5.1"), follows a modal in the text as typed."""
    spelled = r"[\s._-]*".join(re.escape(part) for part in name.split())
    return re.search(_MODAL + spelled, text, re.IGNORECASE) is not None


_NOBODY = frozenset("nobody somebody someone anyone anybody everyone everybody one".split())
"""Owners that are no one in particular ("nobody's going bigger"): never a name."""


def _written_in(word: str, answers: Iterable[str]) -> bool:
    """Whether an answer writes a word, alone or as part of a name ("Pro" in "V4-Pro")."""
    return any(word in re.split(r"[^\w.]+|(?<=\w)[.-](?=\w)", answer.lower()) for answer in answers)


def _versioned(name: str, version: str) -> re.Pattern[str]:
    """A name with a version joined on ("GPT-4", "gpt5"): with a space between, a figure after
    a name is as often a score ("TerminalBench 69.7") as a version."""
    return re.compile(
        rf"(?<![A-Za-z0-9.]){re.escape(name)}-?{re.escape(version)}(?![A-Za-z0-9]|\.\d)", re.I
    )  # Latin bounds: "GPT-5出了没" writes GPT-5


def names_one_of(maker: str, text: str) -> bool:
    """Whether a text names one thing of a maker's, by a name after the maker's ("Claude Opus",
    "DeepSeek V4"), where "Claude's flagship model" names none in particular."""
    return re.search(rf"(?<![\w.])(?i:{re.escape(maker)})[\s-]+[A-Z0-9]", text) is not None


def names_written(text: str) -> list[str]:
    """The words a text writes as names: capitalised inside a sentence, or letters with
    figures ("M2.7"); a sentence's first word, a bare figure, a figure with its unit
    ("10,000-GPU", "229B") and a month are no sign of one."""
    return [
        word
        for sentence in _SENTENCE.split(text)
        for at, found in enumerate(_WORD.finditer(_QUANTITY_WRITTEN.sub(" ", sentence)))
        if at
        and (word := found.group().rstrip(".-"))
        and (word[0].isupper() or (any(map(str.isdigit, word)) and any(map(str.isalpha, word))))
        and word.lower() not in MONTHS  # "in May 2026" names no thing
    ]


_QUANTITY_WRITTEN = re.compile(r"(?<![\w.-])\d[\d,.]*(?:-?[A-Za-z]+)?(?![\w.])")
"""A figure in a text as written, perhaps with its unit joined ("10,000-GPU", "229B", "2M"):
not a name's version ("GLM-5.1", "V4", "K2.6"), which follows letters."""


_WRITTEN_AS_A_NAME = re.compile(r"[\w.+-]*[A-Z0-9][\w.+-]*")
"""A word written with a capital or a figure in it ("GLM-5.1", "Pro", "V4-Pro")."""


def rules_out_the_answer(reading: Reading, best: ScoredFact) -> bool:
    """Whether the best fact writes, as a name or in one, a word the question rules out ("plain
    glm-5 (not 5.1)" matches the topic by "glm-5", while its answer writes GLM-5.1). Only a
    name counts: "not too bad now" rules out nothing the fact says "too" of."""
    excluded = ruled_out(reading.text)
    if not excluded:
        return False
    named = {
        word
        for name in _WRITTEN_AS_A_NAME.findall(best.fact.answer)
        for pair in spelled_terms(name)
        for word in pair
    }
    return any(word in named for pair in spelled_terms(" ".join(excluded)) for word in pair)


def capitalised_inside(term: str, text: str) -> bool | None:
    """Whether a text writes a term capitalised inside a sentence, as names are written
    (True), in lower case anywhere (False), or neither (None). Quoted titles capitalise every
    word, so they are left out."""
    capitalised: bool | None = None
    for sentence in _SENTENCE.split(_QUOTED.sub(" ", text)):
        for at, found in enumerate(_WORD.finditer(sentence)):
            word = found.group().rstrip(".-")
            if all(spelled != term for _, spelled in spelled_terms(word)):
                continue
            if not word[0].isupper():
                return False
            capitalised = capitalised or at > 0 or None
    return capitalised


@functools.lru_cache(maxsize=64)
def _source_terms(source: Source) -> frozenset[str]:
    """The terms naming a source: its title, publisher and author."""
    named = " ".join(filter(None, (source.title, source.publisher, source.author)))
    return frozenset(term for _, term in spelled_terms(named))


_CODE = re.compile(r"(?<![a-z\d.])(?:[a-z]+\d[a-z\d.]*|\d+(?:\.\d+)?[a-z][a-z\d]*)(?![a-z\d])")
"""Letters and digits written as one word: a model's or a part's code ("h100", "910c", "k2.6")."""
_FIGURE_WITH_UNIT = re.compile(
    r"\d+(?:\.\d+)?(?:k|m|b|bn|t|x|h|hr|hrs|s|st|nd|rd|th|gb|tb|mb|ms|w|d|y|yr|yrs|am|pm|p)"
)
"""A figure with a unit or a suffix ("10k", "2m", "8h", "15th"): a quantity, not a code."""


_VERSIONED_NAME = re.compile(r"(?<![a-z\d.])[a-z]+-\d+(?:\.\d+)*(?![\d.]*\d)")
"""A name with its version number after a hyphen ("glm-5.1", "gpt-4")."""


def codes_in(text: str) -> frozenset[str]:
    """The codes a text writes, as `squashed` writes them, plurals made singular."""
    found = _CODE.findall(clean(text).lower())
    codes = {code.rstrip(".") for code in found if not _FIGURE_WITH_UNIT.fullmatch(code)}
    return frozenset(
        code[:-1] if code.endswith("s") and code[-2].isdigit() else code for code in codes
    )


def versions_in(text: str) -> frozenset[str]:
    """The codes and versioned names a text writes ("k2.6", "glm-5.1"), as they are spelt."""
    return codes_in(text) | frozenset(_VERSIONED_NAME.findall(clean(text).lower()))


def grammatical_subjects(text: str) -> frozenset[str]:
    """The words a question puts where its subject goes, as the reader spells them: of a first
    word running from one script into the other, only its first run ("GPT-4" of "GPT-4当年…",
    "文中说" of "文中说MoE的…", which is no more about MoE than any Chinese sentence's words)."""
    return frozenset(
        word
        for found in _SUBJECT.finditer(text)
        for word, _ in spelled_terms(_first_run(found.group(1) or found.group(2)))
    )


def _first_run(word: str) -> str:
    """A word's first run of Chinese characters, or of anything else."""
    run = _ONE_SCRIPT.match(word)
    return run.group() if run else word


_ONE_SCRIPT = re.compile(r"[\u3400-\u9fff]+|[^\u3400-\u9fff]+")
"""A run of Chinese characters, or of anything else."""


def doers(text: str) -> frozenset[str]:
    """The words a question puts right after "did", "does" or "has", as the reader spells them:
    who it asks did something ("what did Claude score")."""
    return frozenset(
        word
        for found in _DOER.finditer(text)
        for word, _ in spelled_terms(found.group(1) or found.group(2))
    )


_THAT_ONE = re.compile(
    r"[那嗰][个個位]?\s*([A-Za-z][\w.\-]*)(?![\w.\-])(?!\s*(?:分数|成绩|得分|跑分|分|榜|score))"
)
"""A Latin name a Chinese question points at with 那, or Cantonese 嗰 ("超过的那个 Claude 旗舰拿了
多少分", "那claude当时是多少分", "贏咗嗰個 Claude 旗艦攞幾多分"): who it asks about, wherever the
sentence opens; its first word names it ("那个 Qwen3.7-Max" is Qwen's, not Max's). Before a
score it points at the score ("那个 TerminalBench 分数"), asking no one's."""


def _what_it_says(fact: Fact) -> Iterable[str]:
    """A fact's answer and canonical question in every language: what it is about, without
    the alternates a curator added for the ways people ask."""
    yield fact.question
    yield fact.answer
    for _, translation in fact.translations:
        yield translation.question or ""
        yield translation.answer


def doers_of(text: str) -> frozenset[str]:
    """Who a question asks did something, in English after its auxiliary verb ("what did
    Claude score"), in Chinese first, past any place ("TerminalBench 上 Claude 旗舰考了多少分"),
    or pointed at with 那, since Chinese has no auxiliary to find it after."""
    if not has_cjk(text):
        return doers(text)
    pointed = {
        word for found in _THAT_ONE.finditer(text) for word, _ in spelled_terms(found[1])[:1]
    }
    return doers(text) | grammatical_subjects(text) | pointed


def possessives(text: str) -> frozenset[str]:
    """The words a question writes as owners ("gemini's", "of gemini?"), as the reader
    spells them."""
    return frozenset(
        word
        for found in _POSSESSIVE.finditer(text)
        for word, _ in spelled_terms(found.group(1) or found.group(2))
    )
