"""The blind question set: written from the article alone by authors who never saw the
knowledge files or each other's questions (see blind/README.md), split once into a dev half
that may be tuned on and a test half that is only ever reported."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.engine import Answer, AnswerKind, Matcher, Surface
from bot.knowledge import Fact

BLIND_DIR = Path(__file__).parent / "blind"
SPLIT_SEED = "footnote-blind-split-1"
"""Which half a question is in is a hash of this and its text: fixed for good, whatever the
files' order, so a question never moves from test to dev."""
CATEGORIES = (
    "casual",
    "casual_typos",
    "chinese",
    "formal",
    "comparison",
    "off_topic",
    "near_miss",
)
ANSWERABLE = frozenset(CATEGORIES[:5])


@dataclass(frozen=True, slots=True)
class BlindQuestion:
    """One question, what a right answer must contain (None: must not answer), and its half."""

    text: str
    category: str
    expect: re.Pattern[str] | None
    author: str
    half: str

    def is_right(self, text: str) -> bool:
        """Whether an answer's text is a right one (never, for a question that has none)."""
        return self.expect is not None and self.expect.search(text) is not None

    def holds(self, fact: Fact) -> bool:
        """Whether a fact is a right answer, as written or in any language it is translated
        into: a Chinese question's reader gets the Chinese text, which its pattern may be
        written for."""
        return any(self.is_right(text) for text in fact.answers_in_every_language)

    def is_answered_by(self, answer: Answer) -> bool:
        """Whether a reply holds a right answer: a comparison does when any of its facts is
        right, each judged alone, when its facts side by side are, as a reader sees them (a
        question asking both sides' figures is answered by both), or when the gap or the ratio
        it works out is ("27 hours", "4.4 times")."""
        margin = answer.margin
        return (
            any(
                self.holds(item.fact) if item.fact is not None else self.is_right(item.text)
                for item in (answer.compared or (answer,))
            )
            or (bool(answer.compared) and self.is_right(answer.text))
            or (
                margin is not None
                and (
                    self.is_right(margin.figure)
                    or (margin.says_times and self.is_right(f"{margin.times} times"))
                )
            )
        )


def half_of(text: str) -> str:
    """'dev' or 'test', by the split's fixed hash."""
    digest = hashlib.sha256(f"{SPLIT_SEED}|{text}".encode()).digest()
    return "test" if digest[0] & 1 else "dev"


def load(directory: Path = BLIND_DIR, half: str | None = None) -> list[BlindQuestion]:
    """Every blind question (of one half, if given), in file order."""
    questions: list[BlindQuestion] = []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in data["questions"]:
            if entry["category"] not in CATEGORIES:
                raise ValueError(f"{path.name}: unknown category {entry['category']!r}")
            expect = entry["expect"]
            pattern = re.compile(expect, re.IGNORECASE) if expect else None
            text = str(entry["q"])
            item = BlindQuestion(text, entry["category"], pattern, data["author"], half_of(text))
            if half is None or item.half == half:
                questions.append(item)
    return questions


@dataclass(frozen=True, slots=True)
class CategoryFigures:
    """How one category of questions fared, counting only answers stated as known as right."""

    category: str
    questions: int
    right: float
    """Answerable: share answered as known with a right answer."""
    wrong: float
    """Share answered as known with a wrong answer (for must-abstain questions, any answer)."""
    probable: float
    """Share given a "probably" reply."""
    ranked_first: float
    """Answerable: share whose best candidate was right, whatever was decided."""


def judge(question: BlindQuestion, answer: Answer) -> tuple[bool, bool]:
    """(stated and right, stated and wrong) for one answer."""
    if not answer.answered:
        return False, False
    right = question.is_answered_by(answer)
    return right, not right


def figures(results: Iterable[tuple[BlindQuestion, Answer]]) -> list[CategoryFigures]:
    """Per category, in the set's order of categories."""
    grouped: dict[str, list[tuple[BlindQuestion, Answer]]] = defaultdict(list)
    for question, answer in results:
        grouped[question.category].append((question, answer))
    rows = []
    for category in CATEGORIES:
        items = grouped.get(category, [])
        if not items:
            continue
        counts: Counter[str] = Counter()
        for question, answer in items:
            right, wrong = judge(question, answer)
            counts["right"] += right
            counts["wrong"] += wrong
            counts["probable"] += answer.kind is AnswerKind.PROBABLE
            counts["first"] += (
                question.holds(answer.candidates[0].fact)
                if answer.candidates
                else question.is_right(answer.text)
            )
        n = len(items)
        rows.append(
            CategoryFigures(
                category,
                n,
                counts["right"] / n,
                counts["wrong"] / n,
                counts["probable"] / n,
                counts["first"] / n,
            )
        )
    return rows


def run(
    matcher: Matcher, questions: list[BlindQuestion], surface: Surface = Surface.MENTION
) -> list[tuple[BlindQuestion, Answer]]:
    """Every question asked once, as the surface would ask it."""
    return [(question, matcher.ask(question.text, surface)) for question in questions]


def main() -> None:
    """Prints both halves' figures on the bundled knowledge."""
    from bot.library import open_knowledge

    matcher = open_knowledge()
    for half in ("dev", "test"):
        print(f"## {half}")
        print("| category | n | right | wrong | probably | best candidate right |")
        for row in figures(run(matcher, load(half=half))):
            print(
                f"| {row.category} | {row.questions} | {row.right:.1%} | {row.wrong:.1%} |"
                f" {row.probable:.1%} | {row.ranked_first:.1%} |"
            )


if __name__ == "__main__":
    main()
