"""Argument types for the command line: numbers checked once, with one-line messages."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from typing import TypeVar

from bot.knowledge.format import LANGUAGE_PATTERN

N = TypeVar("N", int, float)

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
MAX_DAYS = 36_525
"""A century: longer than any row can have been kept, and its start is still a date."""
MAX_COUNT = 1_000_000
"""More rows than any report shows, and far inside what SQLite takes as a number."""
MAX_SNOWFLAKE = 2**63 - 1
"""Discord ids are positive 64-bit numbers, as SQLite stores them."""


def _checked(
    text: str, convert: Callable[[str], N], what: str, valid: Callable[[N], bool], rule: str
) -> N:
    """A converted value, or argparse's error naming what was expected."""
    try:
        value = convert(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not {what}: {text!r}") from None
    if not valid(value):
        raise argparse.ArgumentTypeError(f"{rule}: {text!r}")
    return value


def share(text: str) -> float:
    """A threshold between 0 and 1, or a percentage such as 95."""
    return _checked(
        text,
        lambda t: float(t) / 100 if float(t) > 1 else float(t),
        "a number",
        lambda v: 0 <= v <= 1,
        "must be between 0 and 1 (or 0 and 100%)",
    )


def days(text: str) -> float:
    """A number of days, from zero to a century."""
    return _checked(
        text,
        float,
        "a number of days",
        lambda v: 0 <= v <= MAX_DAYS,
        f"must be from 0 to {MAX_DAYS:,} days",
    )


def whole_number(text: str) -> int:
    """A count, from one to MAX_COUNT."""
    return _checked(
        text, int, "a whole number", lambda v: 1 <= v <= MAX_COUNT, f"must be 1 to {MAX_COUNT:,}"
    )


def language(text: str) -> str:
    """A language code such as zh or en, as translations are filed under."""
    if not re.fullmatch(LANGUAGE_PATTERN, text):
        raise argparse.ArgumentTypeError(f"not a language code such as zh or en: {text!r}")
    return text


def snowflake(text: str) -> int:
    """A Discord id, such as a guild's."""
    return _checked(
        text, int, "a Discord id", lambda v: 1 <= v <= MAX_SNOWFLAKE, "not a Discord id"
    )
