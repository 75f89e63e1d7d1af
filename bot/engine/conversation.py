"""Remembers what each person last asked in each place, for a few minutes, so that a follow-up
("and minimax?") is read against it. In memory only, bounded and expiring: a restart forgets,
which costs no more than one follow-up read as typed.

The front ends make the keys: one per person per place (a Discord channel or thread and the
author, a `footnote chat` session, a batch's conversation name), so nothing carries between
people or places.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import replace

from bot.engine.answers import Answer, AnswerKind
from bot.engine.decision import NAMES_NOT_ITS_TOPIC, Surface
from bot.engine.followups import UNKNOWN_SUBJECT, FollowUpReader, Turn
from bot.engine.matcher import Matcher
from bot.engine.reading import Reading

FOLLOW_UP_SECONDS = 180.0
"""How long a question stays the one a follow-up is read against: people follow up within a
minute or two; later, the same words more likely start something new."""
MAX_CONVERSATIONS = 10_000
"""Conversations kept at once, the least recently active dropped first: more people than ask a
busy bot within the window, at well under a kilobyte each."""

Clock = Callable[[], float]


class Conversations:
    """Asks questions in conversations: each person's last question in each place, kept for
    `window` seconds, is what their next message may follow up on."""

    def __init__(
        self,
        window: float = FOLLOW_UP_SECONDS,
        capacity: int = MAX_CONVERSATIONS,
        clock: Clock = time.monotonic,
    ) -> None:
        self.window = window
        self.capacity = capacity
        self._clock = clock
        self._turns: OrderedDict[Hashable, tuple[float, Turn]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._turns)

    def ask(
        self,
        matcher: Matcher,
        key: Hashable | None,
        question: str,
        surface: Surface = Surface.MENTION,
    ) -> Answer:
        """The answer to a message in a conversation: read with the previous question when it
        follows up on it, as typed otherwise, and remembered for the next one. With no key
        (no conversation), read as typed and not remembered."""
        if key is None:
            return matcher.ask(question, surface)
        reading = matcher.reader.read(question)
        follow_ups = FollowUpReader(matcher.reader, matcher.decider.subjects)
        previous = self.recall(key)
        if previous is not None and not previous.topics <= matcher.knowledge.topics.keys():
            previous = None  # asked before a reload that dropped its topic
        followed = follow_ups.follow(reading, previous) if previous is not None else None
        if followed is None:
            answer, turn = _unprompted(matcher, follow_ups, reading, previous, surface)
        else:
            turn = followed.turn
            answer = Answer(question, AnswerKind.NONE, 0.0, reason=UNKNOWN_SUBJECT)
            if not followed.about_unknown:
                found = matcher.answer(followed.reading, surface)
                if not followed.leaves_out_a_subject(found):
                    answer = replace(found, question=question)
            answer = replace(answer, read_as=followed.reading.typed)
        if _asks_something(reading, answer, followed is not None):
            self.remember(key, turn)
        return answer

    def recall(self, key: Hashable) -> Turn | None:
        """The last question asked under a key, unless it is older than the window."""
        entry = self._turns.get(key)
        if entry is None or self._clock() - entry[0] >= self.window:
            return None
        return entry[1]

    def remember(self, key: Hashable, turn: Turn) -> None:
        """Keeps a question as the key's last, dropping expired and least recent ones."""
        if self.window <= 0:
            return
        now = self._clock()
        self._turns[key] = (now, turn)
        self._turns.move_to_end(key)
        turns = self._turns
        while turns and (
            len(turns) > self.capacity or now - next(iter(turns.values()))[0] >= self.window
        ):
            turns.popitem(last=False)


def _unprompted(
    matcher: Matcher,
    follow_ups: FollowUpReader,
    reading: Reading,
    previous: Turn | None,
    surface: Surface,
) -> tuple[Answer, Turn]:
    """A message that says nothing of following up, and what it asked: read as typed or, when
    alone it wants a topic (NAMES_NOT_ITS_TOPIC: "how big is the context window?" after "tell
    me about kimi"), about the previous question's, if that answers. Not when it is held back
    as LONE_WORD: "best pizza?" after "glm license" would get GLM's focus."""
    answer = matcher.answer(reading, surface)
    carried = (
        follow_ups.carry(reading, previous)
        if previous is not None and answer.reason == NAMES_NOT_ITS_TOPIC
        else None
    )
    if carried is not None:
        found = matcher.answer(carried.reading, surface)
        if found.kind is not AnswerKind.NONE:
            return replace(
                found, question=reading.typed, read_as=carried.reading.typed
            ), carried.turn
    return answer, follow_ups.turn(reading)


def _asks_something(reading: Reading, answer: Answer, followed_up: bool) -> bool:
    """Whether a message becomes what the next follow-up is read against: not "thanks" or
    "hello" (nothing read), nor "lol nice", which names no topic, follows nothing up and gets
    no answer: chat between two questions leaves the last one in place."""
    if not reading.units:
        return False
    return bool(reading.entities) or followed_up or answer.kind is not AnswerKind.NONE
