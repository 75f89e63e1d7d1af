"""The isotonic curve the fit puts after the logistic model."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.quality.curve import isotonic_curve, same_line
from bot.engine.calibration import Calibration


def test_an_over_confident_top_is_brought_down_to_what_was_observed() -> None:
    low = [(0.1, False)] * 45 + [(0.1, True)] * 5
    high = [(0.95, True)] * 35 + [(0.95, False)] * 15
    # one right and one wrong added to each pool: (5 + 1) / 52 and (35 + 1) / 52
    assert isotonic_curve(low + high, block=40) == ((0.1, 0.1154), (0.95, 0.6923))


def test_questions_all_answered_right_are_no_certainty() -> None:
    curve = isotonic_curve([(0.5, False)] * 20 + [(0.99, True)] * 20, block=20)
    assert curve == ((0.5, round(1 / 22, 4)), (0.99, round(21 / 22, 4)))


def test_a_dip_is_pooled_with_its_neighbour() -> None:
    pairs = [(0.3, True)] * 3 + [(0.4, False)] * 3 + [(0.8, True)] * 4
    curve = isotonic_curve(pairs, block=1)
    assert [y for _, y in curve] == sorted(y for _, y in curve)
    assert curve[0][1] == 0.5  # 0.3 and 0.4 pooled: three right of six


@given(
    st.lists(
        st.tuples(st.floats(min_value=0, max_value=1, allow_nan=False), st.booleans()),
        min_size=1,
        max_size=300,
    ),
    st.integers(min_value=1, max_value=60),
)
def test_the_curve_rises_stays_bounded_and_pools_enough(
    pairs: list[tuple[float, bool]], block: int
) -> None:
    curve = isotonic_curve(pairs, block=block)
    assert curve
    for (x0, y0), (x1, y1) in itertools.pairwise(curve):
        assert x1 > x0 and y1 >= y0
    assert all(0.0 <= v <= 1.0 for point in curve for v in point)
    assert len(curve) <= max(1, len(pairs) // block)


def test_the_same_pairs_in_any_order_give_the_same_curve() -> None:
    generator = random.Random(3)
    pairs = [(generator.random(), generator.random() < 0.5) for _ in range(200)]
    shuffled = pairs[:]
    generator.shuffle(shuffled)
    assert isotonic_curve(pairs) == isotonic_curve(shuffled)


def _rising(heights: list[float]) -> Calibration:
    """A model whose curve rises strictly through these heights, evenly spread over 0 to 1."""
    points = tuple((i / (len(heights) - 1), y) for i, y in enumerate(sorted(set(heights))))
    return Calibration(0.0, (), 0.5, curve=points)


def test_a_refitted_curve_moves_the_threshold_where_the_old_one_drew_the_line() -> None:
    before = _rising([0.0, 0.5, 1.0])  # 0.5 reached at logistic output 0.5
    after = _rising([0.0, 0.3, 0.6])  # which now reads 0.3
    assert same_line(before.recalibrated, after.recalibrated, 0.5) == pytest.approx(0.3)


HEIGHTS = st.lists(st.integers(0, 10_000), min_size=2, max_size=8, unique=True).map(
    lambda points: [point / 10_000 for point in points]
)
"""Curve heights as probabilities are written (four decimals): heights a float can barely tell
apart (0 and 5e-324) leave nothing between them for any threshold to keep decisions apart."""


@given(HEIGHTS, HEIGHTS, st.floats(0.01, 0.99), st.lists(st.floats(0, 1), min_size=1, max_size=50))
def test_the_moved_threshold_keeps_every_decision(
    old: list[float], new: list[float], threshold: float, outputs: list[float]
) -> None:
    before, after = _rising(old), _rising(new)
    line = same_line(before.recalibrated, after.recalibrated, threshold)
    for output in outputs:
        if abs(before.recalibrated(output) - threshold) > 1e-9:
            stated = after.recalibrated(output) >= line
            assert stated == (before.recalibrated(output) >= threshold)
