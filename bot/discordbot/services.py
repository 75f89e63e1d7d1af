"""State the features share: the knowledge being served, and who may be answered how often."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.engine import MatchSettings
from bot.engine.cards import curated
from bot.knowledge import KnowledgeBase, KnowledgeError, Problem, knowledge_files
from bot.library import open_unkept

Clock = Callable[[], float]


@dataclass(frozen=True)
class ReloadOutcome:
    """What a reload did: the new counts, or the problems that kept the old knowledge."""

    problems: tuple[Problem, ...] = ()
    sources: int = 0
    topics: int = 0
    facts: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class Library:
    """The knowledge being served; replaced whole on reload, so no reader sees half of it."""

    def __init__(
        self, paths: Sequence[Path], settings: MatchSettings, cache_dir: Path | None = None
    ) -> None:
        self._paths = list(paths)
        self._settings = settings
        self._cache_dir = cache_dir
        opened = open_unkept(paths, settings, cache_dir)
        opened.keep()
        self.matcher, self.digest, self._reusable = opened.matcher, opened.digest, opened.reusable

    def files_state(self) -> tuple[tuple[str, int, int], ...] | None:
        """Each knowledge file's path, size and modification time: what changes when a curator
        saves one, found without reading any; None if the paths cannot be listed now."""
        try:
            files = knowledge_files(self._paths)
            return tuple(
                (str(path), (stat := path.stat()).st_size, stat.st_mtime_ns) for path in files
            )
        except (KnowledgeError, OSError):
            return None

    @property
    def knowledge(self) -> KnowledgeBase:
        return self.matcher.knowledge

    async def reload(self) -> ReloadOutcome:
        """Loads and indexes off the event loop, reusing what the old knowledge's build made of
        unchanged files; keeps serving the old knowledge if it fails. The new knowledge is
        served as soon as it is built, then the cache written."""
        try:
            opened = await asyncio.to_thread(
                open_unkept, self._paths, self._settings, self._cache_dir, self._reusable
            )
        except KnowledgeError as error:
            return ReloadOutcome(problems=tuple(error.problems))
        self.matcher, self.digest, self._reusable = opened.matcher, opened.digest, opened.reusable
        await asyncio.to_thread(opened.keep)
        knowledge = opened.matcher.knowledge
        return ReloadOutcome(
            sources=len(knowledge.sources),
            topics=len(knowledge.topics),
            facts=len(curated(knowledge)),
        )


class ChannelCooldown:
    """Stops the same answer being posted twice in a channel when several people ask at once."""

    def __init__(
        self, seconds: float, clock: Clock = time.monotonic, capacity: int = 10_000
    ) -> None:
        self._seconds = seconds
        self._clock = clock
        self._capacity = capacity
        self._posted: OrderedDict[tuple[int, str], float] = OrderedDict()

    def claim(self, channel_id: int, answer_key: str) -> bool:
        """True if this answer may be posted here now (and records it); False while cooling."""
        now = self._clock()
        key = (channel_id, answer_key)
        last = self._posted.get(key)
        if last is not None and now - last < self._seconds:
            return False
        self._posted[key] = now
        self._posted.move_to_end(key)
        while len(self._posted) > self._capacity:
            self._posted.popitem(last=False)
        return True


class UserRateLimit:
    """A sliding window per member of each guild, so one person cannot make the bot flood a
    channel; a guild lives on one shard, so the count is exact however shards are split."""

    def __init__(
        self, count: int, seconds: float, clock: Clock = time.monotonic, capacity: int = 50_000
    ) -> None:
        self._count = count
        self._seconds = seconds
        self._clock = clock
        self._capacity = capacity
        self._recent: OrderedDict[tuple[int | None, int], deque[float]] = OrderedDict()

    def retry_after(self, guild_id: int | None, user_id: int) -> float:
        """Seconds until the member may ask again in this guild (None: in DMs, which shard 0
        gets); 0 means go ahead, and the ask is counted."""
        now = self._clock()
        key = (guild_id, user_id)
        stamps = self._recent.setdefault(key, deque())
        self._recent.move_to_end(key)
        while stamps and now - stamps[0] >= self._seconds:
            stamps.popleft()
        if len(stamps) >= self._count:
            return self._seconds - (now - stamps[0])
        stamps.append(now)
        while len(self._recent) > self._capacity:
            self._recent.popitem(last=False)
        return 0.0
