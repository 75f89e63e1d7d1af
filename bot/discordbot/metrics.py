"""What a host's monitoring reads: questions, rate limits and reloads counted as they happen, and
the bot's state (shards, feedback log, knowledge) read afresh at each scrape."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from discord.ext import commands
from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric

from bot.engine import Answer, AnswerKind
from bot.engine.cards import curated
from bot.knowledge import KnowledgeBase

if TYPE_CHECKING:  # the bot module builds its Metrics, so it cannot be imported from here
    from bot.discordbot.client import AnyBot


# Each counter's `_created` twin (when it began) doubles the output and helps no alert: rates
# already cope with restarts. A setting of the library, so for the whole process.
disable_created_metrics()


class Asked(StrEnum):
    """Where on Discord a question came from, as the metrics label it."""

    MENTION = "mention"
    DM = "dm"
    AUTOMATIC = "automatic"
    """Unasked, in an automatic channel or forum."""
    ASK = "ask"
    """The /ask command."""
    ASK_MENU = "ask_menu"
    """The Ask Footnote message menu, answered privately."""
    ANSWER_MENU = "answer_menu"
    """The Answer this in the channel message menu."""


class Outcome(StrEnum):
    """What the person who asked got."""

    ANSWERED = "answered"
    """An answer stated as known, or a note that it was posted just above."""
    PROBABLE = "probable"
    """A "probably", showing the closest match."""
    ABSTAINED = "abstained"
    """An "I don't know", with any near misses."""
    SILENT = "silent"
    """No reply: unasked and not sure enough, or the answer was just posted there."""


CONFIDENCE_BUCKETS = tuple(step / 20 for step in range(1, 21))
"""Steps of 0.05 from 0.05 to 1: fine enough to see where the answer_at, probable_at and
automatic_at thresholds cut."""


class Metrics:
    """One bot's metrics, in a registry of its own so bots in one process never share counts."""

    def __init__(self, bot: AnyBot) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self._questions = Counter(
            "footnote_questions",
            "Questions read, by where they were asked and what the asker got",
            ["surface", "outcome"],
            registry=registry,
        )
        self._confidence = Histogram(
            "footnote_answer_confidence",
            "The probability the best answer found was right, per question",
            ["surface"],
            buckets=CONFIDENCE_BUCKETS,
            registry=registry,
        )
        self._duration = Histogram(
            "footnote_answer_duration_seconds",
            "Time from reading a question to handing Discord the reply",
            ["surface"],
            registry=registry,
        )
        self._rate_limited = Counter(
            "footnote_rate_limited_replies",
            "Questions refused with a slow-down note, as the member asked too often",
            ["surface"],
            registry=registry,
        )
        self._reloads = Counter(
            "footnote_knowledge_reloads", "Knowledge reloads asked for", registry=registry
        )
        self._reload_failures = Counter(
            "footnote_knowledge_reload_failures",
            "Knowledge reloads refused for problems in the files, the old knowledge kept",
            registry=registry,
        )
        for surface in Asked:  # every series from the start, so a rate is never missing
            self._rate_limited.labels(surface)
            self._confidence.labels(surface)
            self._duration.labels(surface)
            for outcome in Outcome:
                self._questions.labels(surface, outcome)
        registry.register(_BotState(bot))

    def question(
        self, surface: Asked, answer: Answer, started: float, *, replied: bool = True
    ) -> None:
        """Counts a question once its reply is sent (or none is): the outcome, the confidence,
        and the time since `started`, a time.perf_counter() from when it was read."""
        if not replied:
            outcome = Outcome.SILENT
        elif answer.kind is AnswerKind.NONE:
            outcome = Outcome.ABSTAINED
        elif answer.kind is AnswerKind.PROBABLE:
            outcome = Outcome.PROBABLE
        else:
            outcome = Outcome.ANSWERED
        self._questions.labels(surface, outcome).inc()
        self._confidence.labels(surface).observe(answer.confidence)
        self._duration.labels(surface).observe(time.perf_counter() - started)

    def rate_limited(self, surface: Asked) -> None:
        """Counts a question refused because the member asked too often."""
        self._rate_limited.labels(surface).inc()

    def reloaded(self, ok: bool) -> None:
        """Counts a knowledge reload, and whether it was refused."""
        self._reloads.inc()
        if not ok:
            self._reload_failures.inc()


@dataclass(frozen=True)
class Shard:
    """One gateway connection of this process, as health checks and metrics see it."""

    id: int
    connected: bool
    """Open, and Discord has acknowledged a heartbeat on it."""
    latency: float
    """Seconds from the last heartbeat to its acknowledgement; infinite before the first."""


def shards_of(bot: AnyBot) -> list[Shard]:
    """Every shard this process runs, launched yet or not, so a missing one counts as down."""
    if isinstance(bot, commands.AutoShardedBot):
        running = bot.shards
        wanted = bot.shard_ids or range(bot.shard_count or 0)
        found = []
        for shard_id in wanted:
            info = running.get(shard_id)
            latency = math.inf if info is None else info.latency
            up = info is not None and not info.is_closed() and math.isfinite(latency)
            found.append(Shard(shard_id, up, latency))
        return found
    socket = bot.ws
    latency = math.inf if socket is None else socket.latency
    up = socket is not None and socket.open and math.isfinite(latency)
    return [Shard(bot.shard_id or 0, up, latency)]


class _BotState:
    """The gauges read from the bot at each scrape, so they are never stale."""

    def __init__(self, bot: AnyBot) -> None:
        self._bot = bot
        self._counted: tuple[KnowledgeBase, int] | None = None
        """The knowledge last counted and its facts: counting walks every fact."""

    def collect(self) -> Iterator[Metric]:
        """Each gauge as the bot is now."""
        bot = self._bot
        connected = GaugeMetricFamily(
            "footnote_shard_connected",
            "1 while the shard's gateway connection is open and heartbeating, else 0",
            labels=["shard"],
        )
        latency = GaugeMetricFamily(
            "footnote_gateway_latency_seconds",
            "Time from the shard's last heartbeat to Discord's acknowledgement",
            labels=["shard"],
        )
        for shard in shards_of(bot):
            connected.add_metric([str(shard.id)], float(shard.connected))
            if shard.connected:
                latency.add_metric([str(shard.id)], shard.latency)
        yield connected
        yield latency
        if bot.feedback is not None:  # with storage off there is no store to be available
            yield GaugeMetricFamily(
                "footnote_feedback_store_available",
                "1 while the feedback log can be written, else 0",
                value=float(bot.feedback.available),
            )
        knowledge = bot.library.knowledge
        if self._counted is None or self._counted[0] is not knowledge:
            self._counted = (knowledge, len(curated(knowledge)))
        yield GaugeMetricFamily(
            "footnote_knowledge_facts", "Facts the knowledge served has", value=self._counted[1]
        )
        yield InfoMetricFamily(
            "footnote_knowledge",
            "The knowledge served: a digest of its files' contents, the same wherever they are",
            value={"digest": bot.library.digest},
        )
