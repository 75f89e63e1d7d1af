"""Cutoff tuning: the most balanced cutoff, and the lowest one that keeps quiet enough."""

from __future__ import annotations

import random

from benchmarks.queries import Query
from benchmarks.scoring import apply_cutoff, choose_cutoff, cutoff_at_abstention, quality


def test_the_tuned_cutoff_is_the_most_balanced_and_the_strict_one_the_lowest_that_qualifies():
    queries = [Query("q1", "a", "x"), Query("q2", "b", "x"), Query("c1", None, "chat")]
    queries.append(Query("c2", None, "chat"))
    hits = [("a", 0.9), ("x", 0.5), ("a", 0.3), ("a", 0.6)]

    tuned = choose_cutoff(queries, hits)
    assert (tuned.value, tuned.tuned.accuracy, tuned.tuned.abstention) == (0.9, 0.5, 1.0)
    assert cutoff_at_abstention(queries, hits, 0.5) == 0.5
    assert cutoff_at_abstention(queries, hits, 0.99) == 0.9


def test_the_sorted_sweep_agrees_with_asking_every_cutoff():
    rng = random.Random(11)
    for _ in range(200):
        queries = [Query("q", rng.choice(["a", "b", None]), "k") for _ in range(rng.randint(1, 12))]
        hits = [
            None if rng.random() < 0.2 else (rng.choice("abc"), float(rng.randint(0, 5)))
            for _ in queries
        ]
        results = {
            cutoff: quality(queries, apply_cutoff(hits, cutoff))
            for cutoff in [*sorted({hit[1] for hit in hits if hit is not None}), float("inf")]
        }
        best = max(results, key=lambda c: (results[c].balanced, -c))
        assert choose_cutoff(queries, hits).value == best
        strict = min(c for c, result in results.items() if result.abstention >= 0.99)
        assert cutoff_at_abstention(queries, hits, 0.99) == strict
