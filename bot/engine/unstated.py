"""What a topic's source does not say, as its curator listed it: asked, the bot says so.

A question that names Kimi and asks its valuation shares "Kimi" and little else with Kimi's
facts, yet one of them often scores well enough to be offered. A curator who knows the article
gives no valuation lists it under the topic's `not_stated`, and the question gets an honest "the
source does not say" instead.
"""

from __future__ import annotations

from bot.engine.answers import ListedWord, NotStated, ScoredFact
from bot.engine.glossary import Glossary
from bot.engine.reading import SYNONYM_SIMILARITY, Reading, Unit
from bot.engine.text import asks_to_choose, inflected_alike, spelled_terms, terms
from bot.knowledge.model import Fact, KnowledgeBase, Topic


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
        glm?") is left to comparisons."""
        topics = [
            topic_id
            for topic_id in dict.fromkeys([*reading.entities, best.fact.topic_id or ""])
            if topic_id in self._by_topic
        ]
        if not topics or (len(set(reading.entities)) > 1 and asks_to_choose(reading.text)):
            return None
        asked = [(unit.typed, _asked_terms(unit)) for unit in reading.residual]
        said = frozenset().union(*(terms for _, terms in asked))
        held: set[str] | None = None
        for topic_id in topics:
            starts = self._by_first_word[topic_id]
            tried = sorted({place for term in said for place in starts.get(term, ())})
            for place in tried:
                entry = self._by_topic[topic_id][place]
                found = [
                    [typed for typed, terms in asked if _asks(typed, terms, word)]
                    for word in entry.words
                ]
                if not all(found):
                    continue
                if best.fact.topic_id != topic_id:
                    return entry
                if held is None:
                    says = _Said(best.fact, self.glossary)
                    held = {word for word in best.matched if says.holds(word)}
                if not all(held.intersection(it) for it in found):
                    return entry
        return None

    def never_asked_of(self) -> list[tuple[NotStated, Fact]]:
        """Each entry with a fact of its topic whose answer or keywords say all of it: the
        entry never applies to that fact, which a curator may not have meant ('tier' listed
        for Kimi, while its price fact has 'tier' as a keyword)."""
        found = []
        for topic_id, entries in self._by_topic.items():
            for fact in self.knowledge.facts_about(topic_id):
                says = _Said(fact, self.glossary)
                found += [(entry, fact) for entry in entries if all(map(says.says, entry.words))]
        return found


class _Said:
    """What a fact's answer (in every language) and keywords say, as written or as glossary
    entries: what a phrasing asks ("the other firms") is not what the fact says. Read only for
    a question that asks an entry, which few do."""

    def __init__(self, fact: Fact, glossary: Glossary) -> None:
        self.spellings: dict[str, set[str]] = {}
        self.entries: set[str] = set()
        for text in (*fact.answers_in_every_language, *fact.keywords):
            for word, term in spelled_terms(text):
                self.spellings.setdefault(term, set()).add(word.lower())
            self.entries.update(glossary.entries_in(text))

    def holds(self, word: str) -> bool:
        """Whether it says a question's word, or the same word in another ending."""
        return word in self.entries or any(self._spelt(term, word.lower()) for term in terms(word))

    def says(self, listed: ListedWord) -> bool:
        """Whether it says a listed word: its glossary entry, or the word in another ending."""
        return (listed.entry is not None and listed.entry in self.entries) or self._spelt(
            listed.term, listed.spelling
        )

    def _spelt(self, term: str, word: str) -> bool:
        spellings = self.spellings.get(term, ())
        if not word.isascii():
            return bool(spellings)
        return any(inflected_alike(word, spelling) for spelling in spellings)


def _entry(topic: Topic, text: str, glossary: Glossary) -> NotStated:
    """A curator's entry as the words a question must ask, each with the glossary entry of
    the phrase or word it is, if any."""
    words = tuple(
        ListedWord(word.lower(), term, entry or glossary.entry_of(term))
        for word, term, entry in glossary.read(text)
    )
    return NotStated(topic, text, words)


def _asks(typed: str, asked: frozenset[str], word: ListedWord) -> bool:
    """Whether a question's word asks a listed word: through the glossary entry they share,
    as the same word ("employee" for "employees", "估值"), or as another word meaning it; never
    as another word that only stems alike ("aim" is not "AIME", nor "employs" "employees")."""
    if word.entry is not None and word.entry in asked:
        return True
    if word.term not in asked:
        return False
    typed = typed.lower()
    return (
        not typed.isascii()
        or word.term not in terms(typed)
        or inflected_alike(typed, word.spelling)
    )


def _asked_terms(unit: Unit) -> frozenset[str]:
    """What a question's word surely says: its own terms and its exact or glossary meanings,
    never a typo's guess ("content" is not "context")."""
    sure = (term for term, similarity in unit.meanings.items() if similarity >= SYNONYM_SIMILARITY)
    return frozenset((*sure, *terms(unit.typed)))
