"""What a topic's source does not say, as its curator listed it: asked, the bot says so.

A question that names Kimi and asks its valuation shares "Kimi" and little else with Kimi's
facts, yet one of them often scores well enough to be offered. A curator who knows the article
gives no valuation lists it under the topic's `not_stated`, and the question gets an honest "the
source does not say" instead.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import replace

from bot.engine.answers import ListedWord, NotStated, ScoredFact
from bot.engine.asking import asks_to_choose
from bot.engine.glossary import Glossary
from bot.engine.reading import SYNONYM_SIMILARITY, Reading, Unit
from bot.engine.text import inflected_alike, terms
from bot.knowledge.model import Fact, KnowledgeBase, Topic

_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
"""A Latin word of an entry, to find those the curator wrote in capitals."""


SAID_KEPT = 256
"""How many facts' texts, read as words, are kept: the facts listed entries are asked of are
few, and each costs a reading of all its answers and keywords."""


class UnstatedCheck:
    """Finds the curator's `not_stated` entry a question asks, for one knowledge base."""

    def __init__(self, knowledge: KnowledgeBase, glossary: Glossary) -> None:
        self.knowledge = knowledge
        self.glossary = glossary
        self._by_topic = {
            topic.id: entries
            for topic in knowledge.topics.values()
            if (entries := [_entry(topic, text, glossary) for text in topic.not_stated])
        }
        self._said = functools.lru_cache(maxsize=SAID_KEPT)(
            functools.partial(_Said, glossary=glossary)
        )
        """What a fact says, read once per fact while it stays among the SAID_KEPT last read:
        a common word listed ("free") asks it of the same few facts again and again."""
        self._said_anyway = functools.cache(self._entries_said_anyway)
        """Per topic, the entries one of its facts says after all, read once per topic, when a
        choice first names it."""
        self._by_first_word: dict[str, dict[str, list[int]]] = {}
        """Per topic, the entries (by place in its list) each term can start: only those are
        tried, so a question costs a few set lookups however long the lists."""
        for topic_id, entries in self._by_topic.items():
            starts = self._by_first_word[topic_id] = {}
            for place, entry in enumerate(entries):
                first = entry.words[0] if entry.words else None
                for term in (first.term, first.entry) if first else ():
                    if term:
                        starts.setdefault(term, []).append(place)

    def asked(self, reading: Reading, best: ScoredFact) -> NotStated | None:
        """The entry whose every word the question asks, of a topic it names or of the best
        fact's ("Alibaba's cluster" names Qwen's maker, and the cluster is the compute topic's),
        unless the best fact is that topic's and its answer or keywords hold them all: then it
        says something after all. Choosing between named topics ("which is cheaper, kimi or
        glm?") is left to comparisons unless it asks an entry of each (`_asked_of_all`)."""
        topics = [
            topic_id
            for topic_id in dict.fromkeys([*reading.entities, best.fact.topic_id or ""])
            if topic_id in self._by_topic
        ]
        if not topics:
            return None
        asked = _asked_words(reading)
        if len(set(reading.entities)) > 1 and asks_to_choose(reading.text):
            return self._asked_of_all(set(reading.entities), asked)
        for topic_id in topics:
            for entry in self._entries_asked(topic_id, asked):
                if best.fact.topic_id != topic_id or not self._said(best.fact).says(entry):
                    return entry
        return None

    def names_what_is_left_out(self, reading: Reading, best: ScoredFact) -> bool:
        """Whether a question naming no topic asks a name some topic's curator listed as not
        stated ("Nvidia", "LMArena"), and the best fact neither holds nor says it: "is nvidia
        stock a buy right now" is not answered by the article's disclaimer, whose words it
        shares. Only names (written with a capital) count: "free" or "revenue", listed for one
        topic, may well be what another topic's fact is asked."""
        if reading.entities:
            return False
        asked = _asked_words(reading)
        held = set(best.matched)
        return any(
            _is_a_name(entry)
            and not any({word.spelling, word.term} & held for word in entry.words)
            and not self._said(best.fact).says(entry)
            for topic_id in self._by_topic
            for entry in self._entries_asked(topic_id, asked)
        )

    def _entries_asked(
        self, topic_id: str, asked: list[tuple[str, frozenset[str]]]
    ) -> Iterator[NotStated]:
        """A topic's entries whose every word the question asks, in the curator's order."""
        said = frozenset().union(*(terms for _, terms in asked))
        starts = self._by_first_word.get(topic_id, {})
        for place in sorted({place for term in said for place in starts.get(term, ())}):
            entry = self._by_topic[topic_id][place]
            if all(
                any(_asks(typed, terms, word) for typed, terms in asked) for word in entry.words
            ):
                yield entry

    def _asked_of_all(
        self, named: set[str], asked: list[tuple[str, frozenset[str]]]
    ) -> NotStated | None:
        """The entry a question choosing between topics asks of every one of them ("which has
        the lowest latency, deepseek or minimax?", both listing latency), if any. When one of
        them has what is asked, none of its facts saying it, choosing is left to comparisons."""
        found = [
            next(
                (
                    entry
                    for entry in self._entries_asked(topic_id, asked)
                    if entry.text not in self._said_anyway(topic_id)
                ),
                None,
            )
            for topic_id in sorted(named)
        ]
        return found[0] if all(found) else None

    def _entries_said_anyway(self, topic_id: str) -> frozenset[str]:
        """A topic's entries one of its facts says after all (see never_asked_of)."""
        entries = self._by_topic.get(topic_id, [])
        return frozenset(entry.text for entry, _ in self._entries_said(topic_id, entries))

    def _entries_said(
        self, topic_id: str, entries: list[NotStated]
    ) -> Iterator[tuple[NotStated, Fact]]:
        """Each of these entries of a topic with a fact of the topic that says it."""
        for fact in self.knowledge.facts_about(topic_id):
            says = self._said(fact)
            yield from ((entry, fact) for entry in entries if says.says(entry))

    def never_asked_of(self) -> list[tuple[NotStated, Fact]]:
        """Each entry with a fact of its topic whose answer or keywords say all of it: the
        entry never applies to that fact, which a curator may not have meant ('tier' listed
        for Kimi, while its price fact has 'tier' as a keyword)."""
        return [
            found
            for topic_id, entries in self._by_topic.items()
            for found in self._entries_said(topic_id, entries)
        ]


class _Said:
    """What a fact's answer (in every language) and keywords say: what a phrasing asks ("the
    other firms") is not what the fact says. A question reads it only once it asks an entry,
    which few do."""

    def __init__(self, fact: Fact, glossary: Glossary) -> None:
        answers = [_read(text, glossary) for text in fact.answers_in_every_language]
        keywords = [_read(text, glossary) for text in fact.keywords]
        self.texts = answers + keywords
        self.keywords = [text[0] for text in keywords if len(text) == 1]
        """The one-word keywords, each a thing the curator says the fact is about."""

    def says(self, entry: NotStated) -> bool:
        """Whether one of its texts says the entry, its words in a row ("price per token" is
        not said by "cost" in one place and "tokens" in another, nor "V5" by "V4" and "5
        months"), or each of its words is a keyword of its own ("releases", "months"); each
        word as written, in another ending or as its glossary entry."""
        words = entry.words
        return any(
            all(_spelt_as(said, word) for said, word in zip(text[start:], words, strict=False))
            for text in self.texts
            for start in range(len(text) - len(words) + 1)
        ) or all(any(_spelt_as(said, word) for said in self.keywords) for word in words)


def _is_a_name(entry: NotStated) -> bool:
    """Whether a curator's entry is written as a name, with a capital ("Nvidia", "H100")."""
    return any(character.isupper() for character in entry.text)


def _spelt_as(said: ListedWord, word: ListedWord) -> bool:
    """Whether a text's word says a listed word: through their glossary entry, or as the same
    word in another ending."""
    if word.entry is not None and said.entry == word.entry:
        return True
    return said.term == word.term and (
        not word.spelling.isascii() or _same_word(said.spelling, word)
    )


def _same_word(written: str, word: ListedWord) -> bool:
    """Whether a word is a listed one in another ending; an acronym only in its plural, since
    "aimed" is no form of "AIME"."""
    written = written.lower()
    if word.acronym:
        return written in (word.spelling, f"{word.spelling}s")
    return inflected_alike(written, word.spelling)


def _read(text: str, glossary: Glossary) -> list[ListedWord]:
    """A text's content words, each with the glossary entry of its phrase or its own."""
    return [
        ListedWord(word.lower(), term, entry or glossary.entry_of(term))
        for word, term, entry in glossary.read(text)
    ]


def _entry(topic: Topic, text: str, glossary: Glossary) -> NotStated:
    """A curator's entry as the words a question must ask, each with the glossary entry of
    the phrase or word it is, if any."""
    acronyms = {word.lower() for word in _LATIN_WORD.findall(text) if word.isupper()}
    words = (replace(word, acronym=word.spelling in acronyms) for word in _read(text, glossary))
    return NotStated(topic, text, tuple(words))


def _asks(typed: str, asked: frozenset[str], word: ListedWord) -> bool:
    """Whether a question's word asks a listed word: through the glossary entry they share,
    as the same word ("employee" for "employees", "估值"), or as another word meaning it; never
    as another word that only stems alike ("aim" is not "AIME", nor "employs" "employees")."""
    if word.entry is not None and word.entry in asked:
        return True
    if word.term not in asked:
        return False
    return not typed.isascii() or word.term not in terms(typed) or _same_word(typed, word)


def _asked_words(reading: Reading) -> list[tuple[str, frozenset[str]]]:
    """What a question asks besides the topics it names: each word as typed, with its terms."""
    return [(unit.typed, _asked_terms(unit)) for unit in reading.residual]


def _asked_terms(unit: Unit) -> frozenset[str]:
    """What a question's word surely says: its own terms and its exact or glossary meanings,
    never a typo's guess ("content" is not "context")."""
    sure = (term for term, similarity in unit.meanings.items() if similarity >= SYNONYM_SIMILARITY)
    return frozenset((*sure, *terms(unit.typed)))
