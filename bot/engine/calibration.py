"""Turns a match's features into the probability that its answer is the one wanted.

The model is a logistic regression over the features, then a monotonic curve that maps its
output onto how often answers were right at that output (isotonic regression): a logistic
model alone is over-confident at the top. Both are fitted by `python -m benchmarks.quality.fit`
and kept beside this file in `calibration.json`, so the decision can be re-fitted and reviewed
as data, never edited by hand.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from bot.engine.features import FEATURE_NAMES, MatchFeatures

FITTED_FILE = "calibration.json"


@dataclass(frozen=True, slots=True)
class Calibration:
    """A fitted logistic model over MatchFeatures, and what it was fitted on."""

    bias: float
    weights: tuple[float, ...]
    summary_probability: float
    """How often a bare topic name ("kimi?") wanted that topic's summary, in the fitting data."""
    fitted_on: str = ""
    curve: tuple[tuple[float, float], ...] = ()
    """Points (logistic output, share right) in increasing order of both, joined by straight
    lines and flat beyond the ends; none leaves the logistic output as it is."""
    unsure_probability: float = 1.0
    """How often an answer a rule makes only 'probably' was right, in the fitting data: such
    answers look as sure as any to the model (1.0: no such cap)."""

    def __post_init__(self) -> None:
        check_curve(self.curve)
        if not 0.0 <= self.unsure_probability <= 1.0:
            raise ValueError("calibration unsure probability must lie within 0 and 1")

    def probability(self, features: MatchFeatures) -> float:
        """The calibrated chance that the best candidate is right, from 0 to 1."""
        return self.recalibrated(self.logistic(features))

    def when_unsure(self, probability: float) -> float:
        """The probability of an answer a rule makes only 'probably' (one that leaves out part
        of what was asked): no more than such answers were right."""
        return min(probability, self.unsure_probability)

    def logistic(self, features: MatchFeatures) -> float:
        """The logistic model's output alone, before the curve."""
        logit = self.bias + sum(w * x for w, x in zip(self.weights, features.vector(), strict=True))
        if logit >= 0:
            return 1.0 / (1.0 + math.exp(-logit))
        odds = math.exp(logit)
        return odds / (1.0 + odds)

    def recalibrated(self, raw: float) -> float:
        """A logistic output read off the curve: never lower for a higher output."""
        curve = self.curve
        if not curve:
            return raw
        at = bisect.bisect_left(curve, (raw, -1.0))
        if at == 0:
            return curve[0][1]
        if at == len(curve):
            return curve[-1][1]
        (x0, y0), (x1, y1) = curve[at - 1], curve[at]
        return y0 + (y1 - y0) * (raw - x0) / (x1 - x0)

    def to_json(self) -> dict[str, object]:
        """The fitted data as the file holds it, weights named so a diff reads."""
        return {
            "features": dict(zip(FEATURE_NAMES, self.weights, strict=True)),
            "bias": self.bias,
            "summary_probability": self.summary_probability,
            "unsure_probability": self.unsure_probability,
            "curve": [list(point) for point in self.curve],
            "fitted_on": self.fitted_on,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Calibration:
        """The model from its file; ValueError if it does not fit this version's features."""
        named = data.get("features")
        if not isinstance(named, dict) or set(named) != set(FEATURE_NAMES):
            raise ValueError("calibration data does not name exactly this version's features")
        bias, summary = data.get("bias"), data.get("summary_probability")
        unsure = data.get("unsure_probability")
        if (
            not isinstance(bias, int | float)
            or not isinstance(summary, int | float)
            or not isinstance(unsure, int | float)
        ):
            raise ValueError("calibration data lacks a numeric bias, summary or unsure probability")
        weights = tuple(float(named[name]) for name in FEATURE_NAMES)
        points = data.get("curve", [])
        if not isinstance(points, list) or not all(
            isinstance(point, list)
            and len(point) == 2
            and all(isinstance(v, int | float) for v in point)
            for point in points
        ):
            raise ValueError("calibration curve is not a list of [output, probability] pairs")
        curve = tuple((float(x), float(y)) for x, y in points)
        fitted_on = str(data.get("fitted_on", ""))
        return cls(float(bias), weights, float(summary), fitted_on, curve, float(unsure))


def check_curve(curve: Sequence[tuple[float, float]]) -> None:
    """ValueError unless the points rise strictly in output and never fall in probability,
    all within 0 to 1: what keeps the calibrated model monotonic and bounded."""
    for x, y in curve:
        if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
            raise ValueError("calibration curve points must lie within 0 and 1")
    for (x0, y0), (x1, y1) in itertools.pairwise(curve):
        if x1 <= x0 or y1 < y0:
            raise ValueError("calibration curve must rise in output and never fall")


def shipped() -> Calibration:
    """The model fitted for this release."""
    text = resources.files("bot.engine").joinpath(FITTED_FILE).read_text(encoding="utf-8")
    return Calibration.from_json(json.loads(text))
