"""Reads a follow-up ("and glm?", "what about its licence", "那智谱呢") against the same person's
previous question, so the topic or what was asked about it carries over.

A question is split into its subjects (the topics it names or, naming none, the models the
knowledge has no topic for) and what it asks of them. A message reads as a follow-up only when
it says so (a leading "and" or "what about", a trailing 呢, "its", "compare"), and only when it
lacks one of the two: the missing part comes from the previous question. A message with both is
a question of its own and is read as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from bot.engine.answers import Answer, AnswerKind
from bot.engine.reading import QuestionReader, Reading, Unit, unknown_names
from bot.engine.subjects import SubjectCheck
from bot.engine.text import clean, is_cjk


class Cue(Enum):
    """How a message says it follows up on the one before."""

    CONTINUES = "continues"
    """"and glm?", "what about the context?", "那智谱呢": the other half comes from before."""
    REFERS = "refers"
    """"its licence", "它的协议": the previous subject is still the subject."""
    COMPARES = "compares"
    """"how does that compare with gpt-4", "vs qwen": the previous subject and a new one."""


_CUES: tuple[tuple[Cue, re.Pattern[str]], ...] = (
    (
        Cue.CONTINUES,
        re.compile(
            r"^\W*(?:(?:and|ok|okay|so|but|hmm+|then|also)\W+)*"
            r"(?:(?:what|how|wat|wut)\W+(?:about|abt|bout)|what\W+of|same\W+(?:for|with)|and|for)"
            r"(?!\w)"
        ),
    ),
    (Cue.CONTINUES, re.compile(r"^\W*(?:那么?(?=.*呢\W*+$)|还有|换成|如果是)")),
    (Cue.CONTINUES, re.compile(r"呢\W*+$")),
    (Cue.REFERS, re.compile(r"(?<!\w)(?:it|its|itself|they|their|theirs|them)(?!\w)")),
    (Cue.REFERS, re.compile(r"(?<!\w)(?:that|this)\W*$")),
    (Cue.REFERS, re.compile(r"(?:它们|它|他们)的?|该模型|这个模型|这款")),
    (Cue.COMPARES, re.compile(r"(?<!\w)(?:compar\w*|vs|versus|than)(?!\w)")),
    (
        Cue.COMPARES,
        re.compile(
            r"相比|对比|比较|比起|(?:跟|和|与|同)(?=.*比)|比(?=\W*+(?:呢|怎么样|如何)?\W*+$)"
        ),
    ),
)
"""What marks a follow-up, in English and Chinese, each cut out of the message before the rest
is read: a leading "and" or "for" only ever matters in a message that lacks a subject or what is
asked; "this" and "that" count only where they end a message ("do people still use that?"),
being elsewhere as often "this article" as the last answer, and a leading 那 without a closing
呢 is left out ("那篇文章" is "that article")."""
MAX_FOLLOW_UP_WORDS = 4
"""A follow-up asks little ("its licence", "the price per month"); a longer message with an
"it" in it is a question of its own ("what's it actually saying about the model wars")."""
CJK_PAIR_SHARE = 0.5
"""Chinese is read as overlapping character pairs, about two to a word."""

UNKNOWN_SUBJECT = "follows up about a model or name the knowledge has no topic for"
"""Why a follow-up such as "and gpt-4?" abstains: any fact found would be another topic's, or
say nothing of the model asked about."""


@dataclass(frozen=True, slots=True)
class Turn:
    """What one question asked: about whom, and what about them; what a follow-up carries."""

    subjects: tuple[Unit, ...]
    """The topics named or, with none, the names the knowledge has no topic for."""
    asked: tuple[Unit, ...]
    """Every other word: what is asked about the subjects."""
    kinds: frozenset[str]
    """The kinds of answer it asked for ("how much": a figure)."""

    @property
    def topics(self) -> set[str]:
        """The known topics among its subjects."""
        return {unit.entity for unit in self.subjects if unit.entity}


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A follow-up as read with the question before it: what to ask, and what it now asks."""

    reading: Reading
    turn: Turn

    @classmethod
    def of(cls, turn: Turn) -> FollowUp:
        """A turn as the question it now asks: its subjects, then what is asked of them."""
        units = [*turn.subjects, *turn.asked]
        return cls(Reading(" ".join(unit.typed for unit in units), units, turn.kinds), turn)

    @property
    def about_unknown(self) -> bool:
        """Its subjects are all things the knowledge has no topic for: nothing answers it."""
        return not self.turn.topics

    def leaves_out_a_subject(self, answer: Answer) -> bool:
        """Whether an answer leaves out a subject the knowledge has no topic for: "vs gemini?"
        after Kimi's context is not answered by Kimi's context alone."""
        if answer.kind is AnswerKind.NONE:
            return False
        held = set(answer.matched)
        return any(unit.entity is None and unit.typed not in held for unit in self.turn.subjects)


def cues(text: str) -> tuple[frozenset[Cue], str]:
    """The follow-up cues in a message, and the message with them cut out."""
    found: set[Cue] = set()
    rest = clean(text)
    for cue, pattern in _CUES:
        rest, count = pattern.subn(" ", rest)
        if count:
            found.add(cue)
    return frozenset(found), rest


def refers_back(reading: Reading) -> bool:
    """Whether a question is short and speaks of "it" or "its", as a follow-up does: read
    alone, it does not say what it is about ("when did it come out?")."""
    return (
        _words(tuple(reading.units)) <= MAX_FOLLOW_UP_WORDS and Cue.REFERS in cues(reading.text)[0]
    )


class FollowUpReader:
    """Reads messages against the previous question, with one matcher's reader and names."""

    def __init__(self, reader: QuestionReader, subjects: SubjectCheck) -> None:
        self.reader = reader
        self.subjects = subjects

    def turn(self, reading: Reading) -> Turn:
        """A question as its subjects and what it asks of them."""
        if reading.entities:
            named = [unit for unit in reading.units if unit.entity]
        else:
            unknown = {id(unit) for unit in unknown_names(reading.units)}
            named = [u for u in reading.units if id(u) in unknown or self._is_name(u)]
        subjects = {id(unit) for unit in named}
        asked = tuple(unit for unit in reading.units if id(unit) not in subjects)
        return Turn(tuple(named), asked, reading.kinds)

    def follow(self, reading: Reading, previous: Turn) -> FollowUp | None:
        """The message as read with the previous question, or None if it is to be read as
        typed: it is no follow-up, it is complete, or there is nothing to carry over."""
        found, rest = cues(reading.text)
        if not found:
            return None
        new = self.turn(self.reader.read(rest))
        if not new.subjects:
            found -= {Cue.COMPARES}  # "more than 2M tokens" compares nothing with the last one
        if (
            not found
            or not (new.subjects or new.asked)
            or _words(new.subjects + new.asked) > MAX_FOLLOW_UP_WORDS
        ):
            return None
        if new.subjects and new.asked and not {Cue.REFERS, Cue.COMPARES} <= found:
            return None  # complete: "how does kimi keep its users", "glm vs kimi on price"
        if new.subjects and found & {Cue.REFERS, Cue.COMPARES}:
            subjects = _distinct(previous.subjects + new.subjects)
            asked, kinds = (new.asked, new.kinds) if new.asked else (previous.asked, previous.kinds)
        elif new.subjects:
            subjects, asked, kinds = new.subjects, previous.asked, previous.kinds | new.kinds
        else:
            subjects, asked, kinds = previous.subjects, new.asked, new.kinds
        if not subjects or not asked:
            return None
        return FollowUp.of(Turn(subjects, asked, kinds))

    def carry(self, reading: Reading, previous: Turn) -> FollowUp | None:
        """A short message naming no topic, read about the previous question's topics: "how
        much is the membership?" right after "what is kimi" asks Kimi's, though alone it names
        nothing a fact only ever asked of by name could answer."""
        units = tuple(reading.units)
        if reading.entities or not previous.topics or _words(units) > MAX_FOLLOW_UP_WORDS:
            return None
        subjects = tuple(unit for unit in previous.subjects if unit.entity)
        return FollowUp.of(Turn(subjects, units, reading.kinds))

    def _is_name(self, unit: Unit) -> bool:
        """A word the knowledge writes as a name, exactly as typed ("claude", "huawei")."""
        return any(
            similarity == 1.0 and self.subjects.is_proper_name(term)
            for term, similarity in unit.meanings.items()
        )


def _distinct(units: tuple[Unit, ...]) -> tuple[Unit, ...]:
    """Units without repeats of a topic or a word, first mention kept."""
    seen: dict[str, Unit] = {}
    for unit in units:
        seen.setdefault(unit.entity or unit.typed, unit)
    return tuple(seen.values())


def _words(units: tuple[Unit, ...]) -> float:
    """About how many words the units were typed as."""
    return sum(CJK_PAIR_SHARE if is_cjk(unit.typed) else 1.0 for unit in units)
