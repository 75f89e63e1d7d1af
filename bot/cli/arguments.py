"""Argument types for the command line: numbers checked once, with one-line messages."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeVar

N = TypeVar("N", int, float)


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
    """A number of days, zero or more."""
    return _checked(
        text,
        float,
        "a number of days",
        lambda v: 0 <= v < float("inf"),
        "must be zero or more days",
    )


def whole_number(text: str) -> int:
    """A whole number, one or more."""
    return _checked(text, int, "a whole number", lambda v: v >= 1, "must be at least 1")
