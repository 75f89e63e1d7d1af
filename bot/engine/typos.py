"""Forgives typos as search engines do: per word, against the knowledge's own vocabulary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.engine.text import is_cjk, is_number


def allowed_edits(term: str) -> int:
    """No typo in short words, one in mid-length words, two in long ones."""
    if is_number(term) or is_cjk(term) or len(term) <= 3:
        return 0
    return 1 if len(term) <= 7 else 2


class TypoCorrector:
    """Finds what a misspelt term could have meant, comparing only terms of similar length."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for term in sorted(set(vocabulary)):
            if allowed_edits(term) or len(term) == 3:
                self._by_length[len(term)].append(term)

    def candidates(self, term: str) -> list[tuple[str, int]]:
        """Vocabulary terms within the term's edit budget (swaps count once), closest first."""
        budget = allowed_edits(term)
        if not budget:
            return []
        found: list[tuple[str, int]] = []
        for length in range(len(term) - budget, len(term) + budget + 1):
            pool = self._by_length.get(length)
            if not pool:
                continue
            found.extend(
                (match, int(distance))
                for match, distance, _ in process.extract(
                    term, pool, scorer=OSA.distance, score_cutoff=budget, limit=None
                )
            )
        found.sort(key=lambda item: (item[1], item[0]))
        return found
