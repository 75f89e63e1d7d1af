"""The bundled knowledge's matcher, opened once for every engine test that asks of it."""

from __future__ import annotations

from functools import cache

from bot.engine import Matcher
from bot.library import open_knowledge


@cache
def bundled_matcher() -> Matcher:
    """Opening the bundled knowledge takes a second: the tests share one matcher."""
    return open_knowledge()
