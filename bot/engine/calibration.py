"""Turns a match's features into the probability that its answer is the one wanted.

The model is a logistic regression whose weights are fitted by `python -m benchmarks.quality.fit`
and kept beside this file in `calibration.json`, so the decision can be re-fitted and reviewed
as data, never edited by hand.
"""

from __future__ import annotations

import json
import math
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

    def probability(self, features: MatchFeatures) -> float:
        """The calibrated chance that the best candidate is right, from 0 to 1."""
        logit = self.bias + sum(w * x for w, x in zip(self.weights, features.vector(), strict=True))
        if logit >= 0:
            return 1.0 / (1.0 + math.exp(-logit))
        odds = math.exp(logit)
        return odds / (1.0 + odds)

    def to_json(self) -> dict[str, object]:
        """The fitted data as the file holds it, weights named so a diff reads."""
        return {
            "features": dict(zip(FEATURE_NAMES, self.weights, strict=True)),
            "bias": self.bias,
            "summary_probability": self.summary_probability,
            "fitted_on": self.fitted_on,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Calibration:
        """The model from its file; ValueError if it does not fit this version's features."""
        named = data.get("features")
        if not isinstance(named, dict) or set(named) != set(FEATURE_NAMES):
            raise ValueError("calibration data does not name exactly this version's features")
        bias, summary = data.get("bias"), data.get("summary_probability")
        if not isinstance(bias, int | float) or not isinstance(summary, int | float):
            raise ValueError("calibration data lacks a numeric bias or summary probability")
        weights = tuple(float(named[name]) for name in FEATURE_NAMES)
        return cls(float(bias), weights, float(summary), str(data.get("fitted_on", "")))


def shipped() -> Calibration:
    """The model fitted for this release."""
    text = resources.files("bot.engine").joinpath(FITTED_FILE).read_text(encoding="utf-8")
    return Calibration.from_json(json.loads(text))
