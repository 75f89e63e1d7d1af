"""Reads a question once into what the later stages take: named topics, weighed words, kinds."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from bot.engine.asking import (
    asked_places,
    asked_years,
    asks_about_the_listener,
    asks_which_by_name,
    asks_which_version,
    place_in_a_list,
    which_of,
    without_chat_frames,
)
from bot.engine.counting import counted_words
from bot.engine.glossary import is_entry
from bot.engine.index import KnowledgeIndex
from bot.engine.kinds import asked_kinds
from bot.engine.text import (
    CHAT_FILLER,
    INFLECTIONS,
    OVERVIEW_WORDS,
    STOPWORDS,
    has_cjk,
    is_cjk,
    is_number,
    is_small_number,
    terms,
)
from bot.engine.typos import (
    TYPO_SIMILARITY,
    UNAPOSTROPHED,
    is_common_word,
    is_misspelt_stopword,
    question_word_meant,
)

MAX_QUESTION_TERMS = 48
"""Past this many terms a message is chatter, not a question; the rest is ignored."""
UNKNOWN_CJK_SHARE = 0.5
"""A run of unknown CJK character pairs counts as one unknown word, discounted: pairs that
straddle two words are unknown even when both words are known."""
UNKNOWN_LATIN_SHARE = 1.0
"""An unknown word weighs as much as the rarest known one: it may be what the question is about."""
SMALL_NUMBER_SHARE = 0.4
"""Single digits are everywhere ("2 months", "GLM-5"); alone they prove little."""
LONE_CJK_SHARE = 0.4
"""A Chinese character left alone between stopwords (the 有 of "有什么担心") is most often a
word like "have", "is" or "to", found in any fact: it weighs as little as a single digit. On
the blind dev half: Chinese +1, near misses +2 given no reply, nothing lost."""
MIN_ABBREVIATION = 4
"""Shorter unknown words are not read as the start of a longer term: too many would fit."""
MAX_ABBREVIATION_READINGS = 3
"""A prefix that could be the start of more terms than this says too little to expand."""
ABBREVIATION_SIMILARITY = 0.8
"""How sure a prefix reading is ("arch" for "architecture"): about a two-letter typo."""
SYNONYM_SIMILARITY = 0.9
"""How sure a glossary equivalent is, next to the word itself: nearly, never more, so a fact
in the question's own words ranks first."""
PINYIN_SIMILARITY = 0.8
"""How sure a pinyin reading is ("kaiyuan" for 开源): toneless, so homophones read alike."""
MIN_PINYIN_WORDS = 2
"""A question with no Chinese characters reads its words as pinyin only when at least this many
spell Chinese: "kaiyuan xieyi" is typed Chinese, while a lone "doubao" or "baba" among English
words is a name, and spells only a pair straddling two words of the knowledge (都包括's 都包).
On the blind dev half every right pinyin reading had a second pinyin word or Chinese beside it."""
MAX_MANGLED_ENDING = 3
"""How many letters after a known stem may be a mistyped ending ('-ign' for '-ing')."""
DERIVED_ENDINGS = frozenset(
    ("est", "er", "or", "ion", "enc", "ity", "th", "ed", "ing", "ly", "ness", "ment")
)
"""What a common word may add to a known term and still be read as it, as the stemmer leaves
the word ("high-est", "invest-or", "generat-ion", "differ-enc", "four-th"), its last letter
doubled or not ("begin-n-er"): a word is that term made into another, never one that only
starts alike ("list-en", "again-st", "serv-ic"). On the blind dev half: off-topic +1, real
chat's dev half stated 164 -> 163 and "probably" 99 -> 97, the rest unchanged."""
ENDINGS = frozenset((*INFLECTIONS, *DERIVED_ENDINGS))
"""The endings a known term may go on with in a word: an inflection or a derivation."""
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
"""A word a slip of a question word could be: three letters or more, in Latin script."""


@dataclass(slots=True)
class Unit:
    """One thing the question says: an entity, or a word with the vocabulary terms it may mean."""

    typed: str
    weight: float
    meanings: dict[str, float]
    entity: str | None = None

    @property
    def unknown(self) -> bool:
        """A word the knowledge has never seen, in any spelling within reach."""
        return self.entity is None and not self.meanings


@dataclass(slots=True)
class Reading:
    """A question as read once: what every later stage (retrieval, scoring, rules) looks at."""

    text: str
    units: list[Unit]
    kinds: frozenset[str] = frozenset()
    counted: tuple[str, ...] = ()
    """What a "how many" question counts, as typed ("gpus", "参数")."""
    typed: str = ""
    """The question as typed, which replies show; `text` has its slips of words like 'which'
    mended, for every check that reads it (the same text unless given)."""
    entities: list[str] = field(init=False)
    """The topics named, in the order named, each once."""
    residual: list[Unit] = field(init=False)
    """Everything but the names: what is asked about them."""
    total_weight: float = field(init=False)
    unnamed_subject: bool = field(init=False)
    """It names no known topic but seems to name something else ("gemini", "gpt 5")."""
    about_the_listener: bool = field(init=False)
    """It names no known topic and asks about whoever it is put to ("what's your rank?"):
    chat between people, which knowledge about articles cannot answer."""
    years: tuple[str, ...] = field(init=False)
    """The years it asks about ("back in 2024", "去年")."""
    places: frozenset[int] = field(init=False)
    """The places in a ranking it asks about ("who's #2", "第二名")."""
    asks_version: bool = field(init=False)
    """It asks which version or generation something is."""
    asks_name: bool = field(init=False)
    """It asks which named thing ("which Claude model"), offering no options of its own."""
    which_of: frozenset[str] = field(init=False)
    """The words between "which" and the kind of thing it asks for ("claude"), if it does."""

    def __post_init__(self) -> None:
        self.typed = self.typed or self.text
        self.entities = [unit.entity for unit in self.units if unit.entity]
        self.residual = [unit for unit in self.units if not unit.entity]
        self.total_weight = sum(unit.weight for unit in self.units)
        self.unnamed_subject = not self.entities and bool(unknown_names(self.units))
        self.about_the_listener = not self.entities and asks_about_the_listener(self.text)
        self.years = asked_years(self.text)
        self.places = asked_places(self.text)
        self.asks_version = asks_which_version(self.text)
        self.asks_name = asks_which_by_name(self.text)
        self.which_of = which_of(self.text) if self.asks_name else frozenset()

    @property
    def unknown_weight(self) -> float:
        """The weight of the words the knowledge has never seen."""
        return sum(unit.weight for unit in self.units if unit.unknown)


class QuestionReader:
    """Turns text into a Reading against one index's vocabulary, names and word weights."""

    def __init__(self, index: KnowledgeIndex) -> None:
        self.index = index

    def read(self, question: str) -> Reading:
        """The question's named topics and weighed words, and the kinds of answer it asks for:
        a place in a list asks for the list, its place read as no word. Everything is read from
        the question with its slips of words like 'which' mended ("wich one is cheaper") and
        chat's frames set aside ("quick q:")."""
        typed, question = question, without_chat_frames(self.mended(question))
        placed = place_in_a_list(question)
        read = [
            said
            for said in self.index.glossary.read(placed or question)
            if said[0] not in CHAT_FILLER
        ][:MAX_QUESTION_TERMS]
        spelled = [(word, term) for word, term, _ in read]
        pinyin = self._reads_as_chinese(question, [term for _, term in spelled])
        units = self.units(spelled, [e for _, _, e in read], pinyin)
        kinds = asked_kinds(question) | ({"list"} if placed else frozenset())
        if not units:
            return Reading(question, units, typed=typed)
        return Reading(question, units, kinds, counted_words(question), typed=typed)

    def mended(self, question: str) -> str:
        """The question with each word the knowledge cannot read that is a slip of a question
        word ('wich', 'waht', 'wehn') written as that word, and "whos" as "who's", which every
        check of how a question is put reads; a slip of a word the knowledge holds stays, read
        as that word, unless it is a word of a glossary phrase, which is read from the text."""
        return _LATIN_WORD.sub(self._mended_word, question)

    def _mended_word(self, found: re.Match[str]) -> str:
        """A word as `mended` writes it."""
        word = found.group().lower()
        if word in UNAPOSTROPHED:
            return UNAPOSTROPHED[word]
        spelled = terms(word)
        if word in STOPWORDS or any(
            term in self.index.vocabulary or is_common_word(term) for term in spelled
        ):
            return found.group()  # read as written
        if self._glued_to_a_version(found):
            return f"{found.group()[:-1]} {found.group()[-1]}"  # "dsv4": "ds v4"
        if not self.meanings(word):
            return question_word_meant(word) or found.group()
        slips = self.index.typos.candidates(word)
        if len(slips) == 1 and slips[0][0] in self.index.glossary.phrase_terms:
            return slips[0][0]  # "whos behidn kimi": the phrase "who's behind" is read whole
        return found.group()

    def _glued_to_a_version(self, found: re.Match[str]) -> bool:
        """Whether a word is a name the knowledge knows with the "v" of a version glued on, the
        version's number following ("DSV4-Pro", "deepseekv4"): chat drops the space."""
        word, text = found.group().lower(), found.string
        return (
            word.endswith("v")
            and found.end() < len(text)
            and text[found.end()].isdigit()
            and bool(self.index.names_starting_with(word[:-1]))
        )

    def units(
        self,
        spelled: Sequence[tuple[str, str]],
        entries: Sequence[str | None] = (),
        pinyin: bool | None = None,
    ) -> list[Unit]:
        """The question as entities and weighted words, minus words asking for an overview;
        `entries` gives each word the glossary entry of the phrase it is part of, if any, and
        `pinyin` whether its Latin words may be pinyin (by default, as MIN_PINYIN_WORDS says)."""
        if pinyin is None:
            terms = [term for _, term in spelled]
            pinyin = self._reads_as_chinese(" ".join(terms), terms)
        meanings = [self.meanings(term, pinyin) for _, term in spelled]
        for known, entry in zip(meanings, entries, strict=False):
            if entry is not None:
                known[entry] = max(known.get(entry, 0.0), SYNONYM_SIMILARITY)
        units: list[Unit] = []
        seen: set[str] = set()
        position = 0
        while position < len(spelled):
            entity = self._entity_at(meanings, position)
            if entity is not None:
                topic_id, length = entity
                typed = " ".join(word for word, _ in spelled[position : position + length])
                unit = Unit(typed, self.index.entity_weight, {}, topic_id)
                position += length
            else:
                (word, term), known = spelled[position], meanings[position]
                position += 1
                if not known and (
                    word in OVERVIEW_WORDS
                    or is_misspelt_stopword(word)
                    or self.index.pinyin.says_nothing(word)
                ):
                    continue
                previous = units[-1] if units else None
                if not known and is_cjk(term) and previous and _is_unknown_cjk(previous):
                    previous.typed += term[-1]
                    continue
                unit = Unit(word, self.weight(term, known), known)
            identity = unit.entity or unit.typed
            if identity not in seen:
                seen.add(identity)
                units.append(unit)
        return units

    def _reads_as_chinese(self, text: str, words: Sequence[str]) -> bool:
        """Whether a question's Latin words may be pinyin: see MIN_PINYIN_WORDS."""
        pinyin = self.index.pinyin
        if has_cjk(text):
            return True
        spelling = [word for word in words if pinyin.terms(word) or pinyin.says_nothing(word)]
        return len(spelling) >= MIN_PINYIN_WORDS

    def meanings(self, word: str, pinyin: bool = True) -> dict[str, float]:
        """The vocabulary terms a typed word may stand for, with how sure that reading is.

        Exact first; then the Chinese words it spells in pinyin, if `pinyin`; a common English
        word then only as the known term it is made from ("slowest" as "slow"), never as a slip;
        then typos; then, for a word of four letters or more that is the start of just a few
        known terms, those terms, since people abbreviate ("arch", "params").
        """
        index = self.index
        if word in index.vocabulary:
            return self._with_entries({word: 1.0})
        entry = index.glossary.entry_of(word)
        if entry is not None:
            return {word: 1.0, entry: SYNONYM_SIMILARITY}
        spelled = index.pinyin.terms(word) if pinyin else ()
        if spelled:
            return self._with_entries(dict.fromkeys(spelled, PINYIN_SIMILARITY))
        if is_common_word(word):  # "bunch" is no slip of "bench"
            return self._derived(word)
        typos = index.typos.candidates(word)
        if typos:
            return self._with_entries({term: TYPO_SIMILARITY[d] for term, d in typos})
        alike = index.sound_alike.candidates(word)
        if alike:
            return self._with_entries(dict.fromkeys(alike, TYPO_SIMILARITY[1]))
        if len(word) >= MIN_ABBREVIATION and not is_number(word) and not is_cjk(word):
            expansions = index.completions(word, limit=MAX_ABBREVIATION_READINGS + 1)
            if 0 < len(expansions) <= MAX_ABBREVIATION_READINGS:
                return self._with_entries(dict.fromkeys(expansions, ABBREVIATION_SIMILARITY))
            return self._stemmed(word)
        return {}

    def _derived(self, word: str) -> dict[str, float]:
        """A common word read as the known term it is made from by an English ending, if any:
        a real word, so its ending is no slip."""
        term = self._known_term_before(word, MIN_ABBREVIATION, _derives)
        return self._with_entries({term: ABBREVIATION_SIMILARITY}) if term else {}

    def _stemmed(self, word: str) -> dict[str, float]:
        """A word read as a known term it starts with, past an ending or a slip of one ('trainign'
        is 'train' + a mangled 'ing'), while 'chatgpt' is no 'chat'."""
        shortest = max(MIN_ABBREVIATION, len(word) - MAX_MANGLED_ENDING)
        term = self._known_term_before(word, shortest, _ends_as_a_word_does)
        return self._with_entries({term: ABBREVIATION_SIMILARITY}) if term else {}

    def _with_entries(self, meanings: dict[str, float]) -> dict[str, float]:
        """A word's readings with the glossary entries they belong to: "price" (or "prcie")
        also means every other way of saying "cost", if a little less surely than itself."""
        glossary = self.index.glossary
        if not glossary:
            return meanings
        for term, similarity in list(meanings.items()):
            entry = glossary.entry_of(term)
            if entry is not None and not is_entry(term):
                shared = similarity * SYNONYM_SIMILARITY
                meanings[entry] = max(shared, meanings.get(entry, 0.0))
        return meanings

    def _known_term_before(self, word: str, shortest: int, fits: Callable[[str, str], bool]) -> str:
        """The longest known term of at least `shortest` letters that the word starts with and
        goes on from in a way `fits` (the term, the rest), or ""."""
        vocabulary = self.index.vocabulary
        for length in range(len(word) - 1, shortest - 1, -1):
            term = word[:length]
            if term in vocabulary and fits(term, word[length:]):
                return term
        return ""

    def weight(self, word: str, meanings: dict[str, float]) -> float:
        """How much a word says: rare terms say more; unknown words count against every fact;
        a glossary word no fact uses weighs as its entry."""
        index = self.index
        if meanings:
            weighed = [index.idf[term] for term in meanings if term in index.idf]
            weight = max(weighed, default=index.max_idf)
            if is_small_number(word):
                return weight * SMALL_NUMBER_SHARE
            return weight * LONE_CJK_SHARE if len(word) == 1 and is_cjk(word) else weight
        share = UNKNOWN_CJK_SHARE if is_cjk(word) else UNKNOWN_LATIN_SHARE
        return index.max_idf * share

    def _entity_at(self, meanings: list[dict[str, float]], start: int) -> tuple[str, int] | None:
        """The longest topic name that starts at a position, allowing typos in each word."""
        best: tuple[str, int] | None = None
        for first in meanings[start]:
            for name in self.index.names_starting_with(first):
                length = len(name.terms)
                if best is not None and length <= best[1]:
                    continue
                window = meanings[start : start + length]
                if len(window) == length and all(
                    term in options for term, options in zip(name.terms, window, strict=True)
                ):
                    best = (name.topic_id, length)
        return best


def _derives(term: str, rest: str) -> bool:
    """Whether the letters after a known term make another word of it, its last letter doubled
    or not ("high-est", "begin-n-er")."""
    return rest in DERIVED_ENDINGS or (rest[0] == term[-1] and rest[1:] in DERIVED_ENDINGS)


def _ends_as_a_word_does(_: str, rest: str) -> bool:
    """Whether the letters after a known term are an English ending, or one slip away from one
    of two letters or more ("ign" for "ing", "eed" for "ed")."""
    return rest in ENDINGS or any(
        len(ending) >= 2 and OSA.distance(rest, ending) <= 1 for ending in ENDINGS
    )


def _is_unknown_cjk(unit: Unit) -> bool:
    return unit.unknown and is_cjk(unit.typed)


def is_version(word: str) -> bool:
    """A number that reads like a model version (5, 3.5), not a year or a figure."""
    return is_number(word) and len(word.split(".")[0]) <= 2


def unknown_names(units: list[Unit]) -> list[Unit]:
    """The words that seem to name something the knowledge has no topic for: a long word it
    has never seen ("gemini"), or a word followed by a version number ("gpt 5"), with it."""
    names: list[Unit] = []
    for at, unit in enumerate(units):
        if unit.entity is not None or is_cjk(unit.typed):
            continue
        following = units[at + 1] if at + 1 < len(units) else None
        version = (
            [following]
            if following is not None and is_version(following.typed) and following.entity is None
            else []
        )
        unheard = unit.unknown and len(unit.typed) >= MIN_ABBREVIATION
        if unheard or (version and not is_number(unit.typed)):
            names += [unit, *version]
    return names


def names_an_unseen_model(reading: Reading) -> bool:
    """Whether a message naming no topic names a model by a word the knowledge has never seen
    and a version ("llama 4 still worth running?"): whatever fact shares its other words is
    about something else."""
    return not reading.entities and any(
        _is_unheard_latin_word(unit) and is_version(following.typed) and following.entity is None
        for unit, following in itertools.pairwise(reading.units)
    )


MIN_LATIN_NAME = 3
"""Letters an unknown Latin word needs to be read as a name ("rag", "rocm", "llama 4"): shorter
ones are as often an initialism of a known one ("zp" for Zhipu)."""


def _is_unheard_latin_word(unit: Unit) -> bool:
    """Whether a word is Latin letters alone, long enough to name something, and never seen by
    the knowledge."""
    return (
        unit.unknown
        and len(unit.typed) >= MIN_LATIN_NAME
        and unit.typed.isascii()
        and unit.typed.isalpha()
    )


def latin_names_in_chinese(reading: Reading) -> bool:
    """Whether a Chinese message writes in Latin letters a word the knowledge has never seen
    ("rocm装了一下午", "训lora的时候"): someone typing Chinese does not slip into English
    typos, so it is the name of a tool or product."""
    return has_cjk(reading.text) and any(map(_is_unheard_latin_word, reading.units))
