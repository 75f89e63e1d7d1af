"""Real chat an automatic channel would read: every question-like message of a real corpus,
asked on the automatic surface, where any answer is a wrong post."""

from __future__ import annotations

from collections import Counter

from bot.engine import Matcher, Surface

from . import blind, realchat

BANDS = 10


def section(matcher: Matcher, worst: int) -> str:
    """The share answered, a confidence histogram and the most confident answers."""
    messages = realchat.question_like_messages()
    halves = {
        "test": [m for m in messages if blind.half_of(m) == "test"],
        "dev": [m for m in messages if blind.half_of(m) == "dev"],
    }
    lines = [
        f"### Real chat ({realchat.CORPUS_PACKAGE} {realchat.CORPUS_VERSION},"
        f" {realchat.CORPUS_LICENCE}: {len(messages):,} question-like messages)",
        "",
    ]
    asked = {
        half: [matcher.ask(m, Surface.AUTOMATIC) for m in items] for half, items in halves.items()
    }
    for half, answers in asked.items():
        answered = [a for a in answers if a.answered]
        sure = sum(1 for a in answered if a.confidence >= 0.9)
        share = len(answered) / len(answers) if answers else 0.0
        lines.append(
            f"- **{half} half** ({len(answers):,} messages): {share:.2%} answered"
            f" ({len(answered)}), {sure} at confidence ≥ 0.9 (target: ≤ 0.5%, none ≥ 0.9)"
        )
    test = asked["test"]
    histogram = Counter(min(int(a.confidence * BANDS), BANDS - 1) for a in test)
    lines += ["", "| confidence | test messages |", "| --- | ---: |"]
    lines += [f"| {b / BANDS:.1f}–{(b + 1) / BANDS:.1f} | {histogram[b]:,} |" for b in range(BANDS)]
    top = sorted(test, key=lambda a: -a.confidence)[:worst]
    lines += [
        "",
        f"The {worst} test-half messages with the highest confidence (answered ones marked ✱):",
        "",
        "| confidence | message | closest fact |",
        "| ---: | --- | --- |",
    ]
    for answer in top:
        closest = (
            answer.candidates[0].fact.id
            if answer.candidates
            else (f"topic {answer.topic.id}" if answer.topic else "–")
        )
        mark = " ✱" if answer.answered else ""
        text = answer.question.replace("|", "\\|")[:80]
        lines.append(f"| {answer.confidence:.2f}{mark} | {text} | {closest} |")
    return "\n".join(lines)
