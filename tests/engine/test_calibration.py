"""The calibrated model: bounded, deterministic, monotonic where it should be, and read safely."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine.calibration import Calibration, shipped
from bot.engine.decision import MatchSettings
from bot.engine.features import FEATURE_NAMES, MatchFeatures

RAISING = ("score", "lead", "evidence", "covered", "kind_fits")
"""Features of which more never makes the best candidate less likely to be right."""
LOWERING = (
    "unknown",
    "inexact",
    "unnamed_subject",
    "rule",
    "missed",
    "missed_number",
    "other_name",
    "listener",
)
"""Features of which more never makes it more likely."""

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
features = st.builds(MatchFeatures, *(unit for _ in FEATURE_NAMES))


def test_every_feature_has_a_direction_or_is_free_on_purpose() -> None:
    free = set(FEATURE_NAMES) - set(RAISING) - set(LOWERING)
    assert free == {"named", "length"}


@settings(max_examples=300, deadline=None)
@given(features)
def test_the_shipped_model_is_a_probability_and_deterministic(match: MatchFeatures) -> None:
    model = shipped()
    probability = model.probability(match)
    assert 0.0 <= probability <= 1.0
    assert probability == model.probability(match) == shipped().probability(match)


@settings(max_examples=200, deadline=None)
@given(features, st.sampled_from(RAISING + LOWERING), unit, unit)
def test_the_shipped_model_is_monotonic_in_each_signed_feature(
    match: MatchFeatures, name: str, first: float, second: float
) -> None:
    low, high = sorted((first, second))
    model = shipped()
    at_low = model.probability(dataclasses.replace(match, **{name: low}))
    at_high = model.probability(dataclasses.replace(match, **{name: high}))
    if name in RAISING:
        assert at_high >= at_low
    else:
        assert at_high <= at_low


def test_the_shipped_model_has_a_curve_that_tempers_its_top() -> None:
    model = shipped()
    assert model.curve, "the shipped model is fitted with its curve"
    assert model.curve[-1][1] < 1.0


CURVE = ((0.2, 0.1), (0.5, 0.4), (0.9, 0.8))


def plain(curve: tuple[tuple[float, float], ...] = CURVE) -> Calibration:
    return Calibration(0.0, (0.0,) * len(FEATURE_NAMES), 0.5, "test", curve)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(0.0, 0.1), (0.2, 0.1), (0.35, 0.25), (0.5, 0.4), (0.7, 0.6), (0.9, 0.8), (1.0, 0.8)],
)
def test_the_curve_joins_its_points_and_is_flat_beyond_them(raw: float, expected: float) -> None:
    assert plain().recalibrated(raw) == pytest.approx(expected)


def test_no_curve_leaves_the_logistic_output_as_it_is() -> None:
    assert plain(()).recalibrated(0.37) == 0.37


@given(unit, unit)
def test_the_curve_never_falls(first: float, second: float) -> None:
    low, high = sorted((first, second))
    assert plain().recalibrated(low) <= plain().recalibrated(high)


def test_the_model_round_trips_through_its_file_format() -> None:
    model = plain()
    assert Calibration.from_json(model.to_json()) == model


@pytest.mark.parametrize(
    "curve",
    [
        [[0.5, 0.6], [0.4, 0.7]],  # output goes back
        [[0.4, 0.7], [0.5, 0.6]],  # probability falls
        [[0.4, 1.5]],  # not a probability
        [[0.4]],  # not a pair
        "steep",
    ],
)
def test_a_curve_that_is_not_monotonic_or_bounded_is_refused(curve: object) -> None:
    data = plain(()).to_json() | {"curve": curve}
    with pytest.raises(ValueError, match="curve"):
        Calibration.from_json(data)


def test_a_rule_made_probably_is_no_likelier_than_such_answers_were() -> None:
    model = dataclasses.replace(plain(), unsure_probability=0.07)
    assert model.when_unsure(0.94) == 0.07
    assert model.when_unsure(0.03) == 0.03, "the cap never raises a probability"
    assert plain().when_unsure(0.94) == 0.94, "no cap unless fitted"
    assert 0.0 < shipped().unsure_probability < MatchSettings().probable_at


@pytest.mark.parametrize("unsure", [None, "seven", -0.1, 1.5])
def test_an_unsure_probability_that_is_missing_or_no_probability_is_refused(
    unsure: object,
) -> None:
    data = plain().to_json()
    if unsure is None:
        del data["unsure_probability"]
    else:
        data["unsure_probability"] = unsure
    with pytest.raises(ValueError, match="unsure probability"):
        Calibration.from_json(data)
