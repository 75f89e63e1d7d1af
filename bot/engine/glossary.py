"""The knowledge's glossary: words and phrases that mean the same, read alike in facts and
questions, so "price", "fee" and "多少钱" all find the fact that says "cost".

Each entry becomes one term, written with a mark no word can start with, that stands for every
way of saying it. A fact is indexed under its words and its entries. A question's word that is
in an entry means both itself and, a little less surely, the entry; a phrase of several words is
read as its entry alone.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from bot.engine.text import STOPWORDS, is_cjk, spelled_terms, words

ENTRY_MARK = "="
"""Starts the term standing for a glossary entry: terms are letters, digits or CJK, never this."""

Read = tuple[str, str, "str | None"]
"""A word as written, its term, and the entry of the glossary phrase it is part of, if any."""
_Token = tuple[str, str, bool, "str | None"]
"""A word as written, its term, whether it is a stopword, and the entry of the CJK glossary run
it lies in (or, for a run of function words only, the run itself with its entry as its term)."""


def _without_apostrophe_s(sequence: tuple[str, ...]) -> tuple[str, ...]:
    """A phrase's terms as chat writes it without the apostrophe: "who's behind" is typed
    "whos behind", which reads as the terms of "who behind"."""
    return tuple(term for at, term in enumerate(sequence) if not (at and term == "s"))


def is_entry(term: str) -> bool:
    """Whether a term stands for a glossary entry rather than a word."""
    return term.startswith(ENTRY_MARK)


class Glossary:
    """One knowledge base's glossary, compiled for reading texts."""

    def __init__(
        self,
        headwords: Mapping[str, str],
        sequences: Mapping[tuple[str, ...], str],
        runs: Mapping[str, str],
    ) -> None:
        self.headwords = dict(headwords)
        """Each entry's term, with the headword that names it, for explanations."""
        self._sequences = dict(sequences)
        self._runs = dict(runs)
        self._longest = max(map(len, self._sequences), default=0)
        self.phrase_terms = frozenset(
            term for sequence in self._sequences if len(sequence) > 1 for term in sequence
        )
        """The Latin-script terms of its phrases of several words ("who's behind"), which a
        slip in a question must be mended in to be read as the phrase."""
        longest_first = sorted(self._runs, key=len, reverse=True)
        self._run_pattern = (
            re.compile("|".join(map(re.escape, longest_first))) if longest_first else None
        )

    @classmethod
    def of(cls, entries: Mapping[str, Sequence[str]]) -> Glossary:
        """Compiles headwords and their equivalents: Chinese (or other CJK) texts are found
        anywhere in a run of characters, everything else as a sequence of whole words."""
        headwords: dict[str, str] = {}
        sequences: dict[tuple[str, ...], str] = {}
        runs: dict[str, str] = {}
        for headword, same in entries.items():
            entry = ENTRY_MARK + "_".join(words(headword))
            headwords.setdefault(entry, headword)
            for text in (headword, *same):
                written = words(text)
                if written and all(is_cjk(word) for word in written):
                    runs.setdefault("".join(written), entry)
                elif sequence := tuple(token[1] for token in _plain_tokens(text)):
                    sequences.setdefault(sequence, entry)
                    sequences.setdefault(_without_apostrophe_s(sequence), entry)
        return cls(headwords, sequences, runs)

    def __bool__(self) -> bool:
        return bool(self.headwords)

    def held_by(self, vocabulary: Collection[str]) -> Glossary:
        """The glossary without the entries no fact holds: reading a question's words as an
        entry nothing can match would only lose what the words themselves match."""
        return Glossary(
            {entry: word for entry, word in self.headwords.items() if entry in vocabulary},
            {words: entry for words, entry in self._sequences.items() if entry in vocabulary},
            {run: entry for run, entry in self._runs.items() if entry in vocabulary},
        )

    def words(self) -> set[str]:
        """The single Latin-script words of the glossary, for reading their typos."""
        return {sequence[0] for sequence in self._sequences if len(sequence) == 1}

    def entry_of(self, term: str) -> str | None:
        """The entry a single Latin-script word's term belongs to, if any; Chinese words get
        theirs from `read`."""
        return self._sequences.get((term,))

    def read(self, text: str) -> list[Read]:
        """A question's content terms with their spellings, each beside the entry of the
        glossary phrase it is part of: the reader gives a phrase's words their entry as a
        second meaning, as it does a single word's (`entry_of`). A phrase of function words
        only ("how much", "多少") is read as its entry alone."""
        if not self:
            return [(word, term, None) for word, term in spelled_terms(text)]
        tokens = self._tokens(text)
        read: list[Read] = []
        at = 0
        while at < len(tokens):
            found = self._sequence_at(tokens, at, shortest=2)
            if found:
                length, entry = found
                phrase = tokens[at : at + length]
                words_of = [(word, term, entry) for word, term, stop, _ in phrase if not stop]
                read += words_of or [(" ".join(token[0] for token in phrase), entry, None)]
                at += length
                continue
            word, term, stop, within = tokens[at]
            if not stop:
                read.append((word, term, within))
            at += 1
        return read

    def entries_in(self, text: str) -> list[str]:
        """The entries a fact's text says in any of their ways, to index beside its words."""
        tokens = self._tokens(text)
        found = [entry for _, _, _, entry in tokens if entry is not None]
        for at in range(len(tokens)):
            for length in range(1, min(self._longest, len(tokens) - at) + 1):
                entry = self._sequences.get(tuple(token[1] for token in tokens[at : at + length]))
                if entry is not None:
                    found.append(entry)
        return found

    def _sequence_at(
        self, tokens: Sequence[_Token], at: int, shortest: int
    ) -> tuple[int, str] | None:
        """The longest glossary phrase of at least `shortest` words starting at a token."""
        for length in range(min(self._longest, len(tokens) - at), shortest - 1, -1):
            entry = self._sequences.get(tuple(token[1] for token in tokens[at : at + length]))
            if entry is not None:
                return length, entry
        return None

    def _tokens(self, text: str) -> list[_Token]:
        """Every word of a text with its term, stopwords marked rather than dropped, and a CJK
        run's character pairs each with the entry of the glossary run it lies in, if any."""
        tokens: list[_Token] = []
        for word in words(text):
            if not is_cjk(word):
                tokens += [(typed, term, typed in STOPWORDS, None) for typed, term in _keep(word)]
                continue
            pairs = spelled_terms(word)
            found = [
                (match.group(), self._runs[match.group()])
                for match in (self._run_pattern.finditer(word) if self._run_pattern else ())
            ]
            for typed, term in pairs:
                inside = next((entry for run, entry in found if typed in run), None)
                tokens.append((typed, term, False, inside))
            tokens.extend(
                (run, entry, False, None)
                for run, entry in found
                if not any(typed in run for typed, _ in pairs)
            )
        return tokens


def _keep(word: str) -> tuple[tuple[str, str], ...]:
    """A Latin-script word's term, stopword or not."""
    return spelled_terms(word, keep_stopwords=True)


def _plain_tokens(text: str) -> list[_Token]:
    """A text's tokens with no glossary yet: how its own phrases are compiled."""
    return Glossary({}, {}, {})._tokens(text)
