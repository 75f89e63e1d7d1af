"""A calibration that ignores the match, for tests about which fact answers, not how surely."""

from __future__ import annotations

import math

from bot.engine.calibration import Calibration
from bot.engine.features import FEATURE_NAMES


def constant(probability: float) -> Calibration:
    """A model that ignores the match: every candidate (and summary) gets this probability."""
    logit = math.log(probability / (1 - probability))
    return Calibration(logit, (0.0,) * len(FEATURE_NAMES), probability)


LIKELY = 0.23
"""A probability the default settings answer "probably" on a mention: from `probable_at` on,
under `answer_at` (checked in test_decision)."""


SURE = constant(0.9)
"""Every match at 0.9, which every surface states: for tests about which fact answers, or which
rule holds it back, not how sure it is."""
