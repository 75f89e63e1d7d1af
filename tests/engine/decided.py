"""One check for the tests of a rule: the kind of answer, and whether that rule was the why."""

from __future__ import annotations

from bot.engine import Answer, AnswerKind


def assert_decided(answer: Answer, kind: AnswerKind, rule: str, fired: AnswerKind) -> None:
    """The answer is of `kind`, and `rule` is its reason exactly when that kind is `fired`."""
    assert answer.kind is kind
    assert (answer.reason == rule) is (kind is fired)
