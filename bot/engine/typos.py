"""Forgives typos as search engines do: per word, against the knowledge's own vocabulary."""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import importlib.util
import itertools
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.engine.text import CHAT_ABBREVIATIONS, OVERVIEW_WORDS, STOPWORDS, is_cjk, is_number, stem

log = logging.getLogger(__name__)

TYPO_SIMILARITY = {1: 0.9, 2: 0.8}
"""How sure a reading one or two edits away is, by the number of edits."""
SHORT_WORD = 4
"""A changed letter in a word this short is as likely another word ("uber", "lyft" are not
"user", "left"): only a swapped, dropped or added letter, or a key's neighbour hit instead, is
read as a slip."""
SLIPS_KEPT = 4_096
"""Words whose typo candidates stay found (0.14 MB when full, on the bundled knowledge): a
question's unknown word is looked up when it is mended and again when it is read, and a
channel's unknown words repeat."""
MAX_EXACT_LENGTH = 3
"""Words this short are read only as typed ("gml" is not "glm"): too many are other words."""


COMMON_WORD_COUNT = 300
"""How often a word must occur in the spell checker's English word counts (160,000 words from
film subtitles) to be read as itself, never as a slip of another: 'bunch' is no 'bench',
'found' no 'fund'. Rarer words ('horus', 'cheep') are slips more often than meant. 18,700 terms
count; the blind dev half, real chat and the FAQ read nearly alike at 300 and 3,000."""
_WORD_COUNTS = ("spellchecker", "resources/en.json.gz")
"""pyspellchecker's English word counts (its package and file), one `"word": count,` to a
line: read as data, a line at a time (its checker would hold all 160,000 words at once: 36 MB
at the peak, not 2)."""
_COUNTED_WORD = re.compile(rf'"([a-z]{{{MAX_EXACT_LENGTH + 1},}})": (\d+)')
"""A counted word of four letters or more: shorter ones are only ever read as typed."""


class _CommonWords:
    """The terms of common English words, read from the word list when a question first needs
    them (0.12 s, 2 MB), unless a cache that kept them from an earlier read gave them first."""

    def __init__(self) -> None:
        self._terms: frozenset[str] | None = None

    def terms(self) -> frozenset[str]:
        """The terms, read from the word list the first time if no cache gave them."""
        if self._terms is None:
            self._terms = read_common_word_terms()
        return self._terms

    def given(self, terms: frozenset[str]) -> None:
        """Takes the terms a cache kept, so the word list need not be read."""
        self._terms = terms

    @property
    def held(self) -> bool:
        """Whether this process has the terms already, read or given."""
        return self._terms is not None

    def forget(self) -> None:
        """Reads the word list again when next asked (for tests that change it)."""
        self._terms = None


COMMON_WORDS = _CommonWords()
"""This process's common words, read once."""


def common_words_source() -> str:
    """What the common words' terms are read from, for a cache to key a kept copy by: the word
    list's size and time of change (found without importing its package, whose import, or
    the metadata's, would cost more than reading a kept copy) and the count that makes a word
    common."""
    package, path = _WORD_COUNTS
    spec = importlib.util.find_spec(package)
    folders = spec.submodule_search_locations if spec is not None else None
    try:
        found = Path(next(iter(folders or ())), path).stat()
    except (OSError, StopIteration):
        return f"none|{COMMON_WORD_COUNT}"
    return f"{found.st_size}|{found.st_mtime_ns}|{COMMON_WORD_COUNT}"


def read_common_word_terms() -> frozenset[str]:
    """The terms of common English words, read from the word list; none, with a log line, if it
    cannot be read."""
    # not through stem's cache: read once, kept here
    return _read_words(_COUNTED_WORD, COMMON_WORD_COUNT, stem.__wrapped__, "common words")


def _read_words(
    pattern: re.Pattern[str], minimum: int, spelled: Callable[[str], str], kind: str
) -> frozenset[str]:
    """The words of the word list a pattern reads that occur at least `minimum` times, each
    as `spelled`; none, with a log line naming what they were for, if it cannot be read."""
    package, path = _WORD_COUNTS
    try:
        packed = importlib.resources.files(package).joinpath(path)
        with packed.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
            return frozenset(
                spelled(found[1])
                for found in map(pattern.match, lines)
                if found is not None and int(found[2]) >= minimum
            )
    except (OSError, ModuleNotFoundError, EOFError, UnicodeDecodeError) as error:
        log.warning("English word list unreadable (%s): no %s", error, kind)
        return frozenset()


EVERYDAY_WORD_COUNT = 50_000
"""How often a word must occur in the same counts to be an everyday word, of any length
("new", "last", "day", "bad", "now", "price"): 1,655 words. A message that shares only these
with its answer says nothing the knowledge alone would ("Anything new in the last day?")."""
_ANY_COUNTED_WORD = re.compile(r'"([a-z\']+)": (\d+)')


@functools.lru_cache(maxsize=1)
def everyday_words() -> frozenset[str]:
    """The everyday English words, as typed in lower case, read from the word list once, when a
    message read unasked first needs them."""
    return _read_words(_ANY_COUNTED_WORD, EVERYDAY_WORD_COUNT, str, "everyday words")


def is_common_word(term: str) -> bool:
    """Whether a term is a common English word's, which a search engine's spell check leaves
    as typed: a real word is what was meant far more often than a slip of a rarer one."""
    return term in COMMON_WORDS.terms()


def allowed_edits(term: str) -> int:
    """No typo in short words, one in mid-length words, two in long ones."""
    if is_number(term) or is_cjk(term) or len(term) <= MAX_EXACT_LENGTH:
        return 0
    return 1 if len(term) <= 7 else 2


def _by_first_letter(words: Iterable[str]) -> dict[str, list[str]]:
    """Latin-script words of three letters or more, in order, by their first letter: the
    pools a slip is looked for in, as its first letter is taken to be right."""
    pools: dict[str, list[str]] = defaultdict(list)
    for word in sorted(words):
        if len(word) >= 3 and word.isascii():
            pools[word[0]].append(word)
    return pools


_SAYS_NOTHING = STOPWORDS | OVERVIEW_WORDS
_STOPWORDS_BY_FIRST_LETTER = _by_first_letter(_SAYS_NOTHING)


def is_misspelt_stopword(word: str) -> bool:
    """Whether an unknown word is one slip away from a word like 'have', 'what' or 'something'
    that says nothing about which fact is wanted ('smth' is short for one)."""
    return CHAT_ABBREVIATIONS.get(word) in _SAYS_NOTHING or bool(
        _slip_of(word, _STOPWORDS_BY_FIRST_LETTER)
    )


QUESTION_WORDS = frozenset("which what when where who whose why how".split())
"""The words that say how a question is put, which checks of its form look for."""
_QUESTION_WORDS_BY_FIRST_LETTER = _by_first_letter(QUESTION_WORDS)
UNAPOSTROPHED = {word + "s": f"{word}'s" for word in QUESTION_WORDS - {"whose", "which"}}
"""Question words with 'is' as chat types them, without the apostrophe: "whos behind kimi"."""


def question_word_meant(word: str) -> str:
    """The question word ('which', 'what', 'when'...) an unknown word is one slip away from,
    or "": 'wich one is cheaper' asks to choose as 'which' does."""
    return _slip_of(word, _QUESTION_WORDS_BY_FIRST_LETTER)


def _slip_of(word: str, pools: dict[str, list[str]]) -> str:
    """The word of the pools (by first letter) that a word is one slip away from, or "".

    Between three and four letters only a dropped letter counts ('hve' for 'have'): any other
    slip in so short a word is as likely to be a different word altogether ('div' is not 'did',
    'peru' is not 'per').
    """
    if len(word) < 3 or not word.isascii():
        return ""
    pool = pools.get(word[0], [])
    if len(word) <= 4:
        pool = [known for known in pool if len(known) >= len(word) and len(known) >= 4]
    found = process.extractOne(word, pool, scorer=OSA.distance, score_cutoff=1)
    return found[0] if found is not None else ""


class TypoCorrector:
    """Finds what a misspelt term could have meant, among terms of similar length.

    Like search engines' prefix length, the first letter must be right: typos there are rare,
    and allowing them turns ordinary short words into names ("ping" into "xing").
    """

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._pools: dict[tuple[str, int], list[str]] = defaultdict(list)
        for term in sorted(set(vocabulary)):
            if not is_number(term) and not is_cjk(term) and len(term) >= 3:
                self._pools[term[0], len(term)].append(term)
        self._found: dict[str, tuple[tuple[str, int], ...]] = {}
        """The candidates found for recent terms, emptied once SLIPS_KEPT are held."""

    def candidates(self, term: str) -> list[tuple[str, int]]:
        """Vocabulary terms within the term's edit budget (swaps count once), closest first."""
        found = self._found.get(term)
        if found is None:
            if len(self._found) >= SLIPS_KEPT:
                self._found.clear()
            found = self._found[term] = self._search(term)
        return list(found)

    def _search(self, term: str) -> tuple[tuple[str, int], ...]:
        """`candidates`, searched for once per term while it is kept."""
        budget = allowed_edits(term)
        if not budget:
            return ()
        found: list[tuple[str, int]] = []
        for length in range(len(term) - budget, len(term) + budget + 1):
            pool = self._pools.get((term[0], length))
            if not pool:
                continue
            found.extend(
                (match, int(distance))
                for match, distance, _ in process.extract(
                    term, pool, scorer=OSA.distance, score_cutoff=budget, limit=None
                )
            )
        if len(term) <= SHORT_WORD:
            found = [(match, d) for match, d in found if not _substituted(term, match)]
        found.sort(key=lambda item: (item[1], item[0]))
        return tuple(found)


def _substituted(term: str, match: str) -> bool:
    """Whether two words of one length differ by a letter changed for one a finger is unlikely
    to hit instead: not a swap, and not a key's neighbour ("namo" is "nano", "uber" is no
    "user")."""
    if len(term) != len(match) or sorted(term) == sorted(match):
        return False
    changed = [(a, b) for a, b in zip(term, match, strict=True) if a != b]
    return not all(b in _NEIGHBOURS.get(a, "") for a, b in changed)


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS = {
    key: "".join(
        other
        for near_row in range(max(row - 1, 0), min(row + 2, len(_ROWS)))
        for near_at in range(at - 1, at + 2)
        if 0 <= near_at < len(_ROWS[near_row]) and (other := _ROWS[near_row][near_at]) != key
    )
    for row, keys in enumerate(_ROWS)
    for at, key in enumerate(keys)
}
"""Each letter's neighbours on a QWERTY keyboard, the row above and below taken as straight
over it (staggered keys are near either way)."""


class SoundAlike:
    """Reads a word as a topic name's word it sounds like, for names people spell by ear
    ("quen" for "qwen", "kimmy" for "kimi"), which the edit budget of `TypoCorrector` does
    not allow: a changed letter in a short word, or two edits in a five-letter one. Like it,
    the first letter must be right, and a word of three letters is never read as another."""

    def __init__(self, name_terms: Iterable[str]) -> None:
        self._by_key: dict[str, list[str]] = defaultdict(list)
        for term in sorted(set(name_terms)):
            if term.isascii() and term.isalpha() and len(term) > MAX_EXACT_LENGTH:
                self._by_key[_sound_key(term)].append(term)

    def candidates(self, word: str) -> list[str]:
        """The name words this one sounds like."""
        if not word.isascii() or not word.isalpha() or len(word) <= MAX_EXACT_LENGTH:
            return []
        alike = self._by_key.get(_sound_key(word), ())
        return [term for term in alike if term[0] == word[0] and term != word]


_SOUNDS = str.maketrans({"w": "u", "y": "i", "z": "s"})
"""Letters spelt by ear for one another in names: "quen" and "qwen", "kimmy" and "kimi"."""


def _sound_key(word: str) -> str:
    """A word as it sounds: like-sounding letters as one, and doubled letters once."""
    sounded = word.translate(_SOUNDS).replace("ph", "f").replace("ck", "k")
    return "".join(letter for letter, _ in itertools.groupby(sounded))
