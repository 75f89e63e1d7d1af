"""Fixtures the engine's tests share."""

from __future__ import annotations

import pytest

from bot.engine import Matcher
from tests.engine.bundled import bundled_matcher


@pytest.fixture
def bundled() -> Matcher:
    """The matcher for the bundled knowledge, shared by every test."""
    return bundled_matcher()
