"""The endpoint a host's monitoring polls: /health for a container orchestrator, /metrics for
Prometheus, served on the bot's own event loop so that an answer shows the loop is running."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric

from bot.discordbot.metrics import shards_of
from bot.tasks import stop_task

if TYPE_CHECKING:  # the bot module starts the endpoint, so it cannot be imported from here
    from bot.discordbot.client import AnyBot

log = logging.getLogger(__name__)

LAG_PROBE_SECONDS = 0.5
"""How often the loop's lag is measured: a stall shows within any scrape, for one wake-up."""
LAG_LIMIT_SECONDS = 2.0
"""A loop this far behind is unhealthy: Discord drops an interaction not answered within 3 s,
so it is already losing them."""
LAG_WINDOW_SECONDS = 10.0
"""How long a stall keeps /health failing, so a check every 10 s cannot miss one."""


class LoopLag:
    """Measures how late a periodic sleep wakes up: the delay every event on the loop suffers."""

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None
        self._due: float | None = None
        self._recent: deque[tuple[float, float]] = deque()
        """(when, lag) of each wake-up within the window."""

    def start(self) -> None:
        """Starts probing, on the running loop."""
        self._task = asyncio.create_task(self._probe(), name="footnote-loop-lag")

    async def stop(self) -> None:
        """Stops probing; safe to call twice."""
        await stop_task(self._task)
        self._task = None

    async def _probe(self) -> None:
        """Sleeps, and notes how late it woke, for good."""
        while True:
            self._due = time.monotonic() + LAG_PROBE_SECONDS
            await asyncio.sleep(LAG_PROBE_SECONDS)
            now = time.monotonic()
            self._recent.append((now, max(0.0, now - self._due)))
            while self._recent[0][0] < now - LAG_WINDOW_SECONDS:
                self._recent.popleft()

    def now(self) -> float:
        """The lag right now: how overdue the next wake-up is, else the last one's lateness."""
        overdue = 0.0 if self._due is None else time.monotonic() - self._due
        last = self._recent[-1][1] if self._recent else 0.0
        return max(overdue, last)

    def worst(self) -> float:
        """The largest lag within the window, the present included."""
        return max([self.now(), *(lag for _, lag in self._recent)])

    def collect(self) -> Iterator[Metric]:
        """The lag as a gauge, for Prometheus."""
        yield GaugeMetricFamily(
            "footnote_event_loop_lag_seconds",
            "How late the bot's event loop runs what is due, at the last check",
            value=self.now(),
        )


def health_problems(bot: AnyBot, lag: LoopLag) -> list[str]:
    """Why the bot is not healthy, or nothing: every shard connected and the loop on time."""
    if bot.is_closed():
        return ["shutting down"]
    problems = [] if bot.is_ready() else ["not ready: still connecting to Discord"]
    problems += [
        f"shard {shard.id} is not connected to the gateway"
        for shard in shards_of(bot)
        if not shard.connected
    ]
    worst = lag.worst()
    if worst > LAG_LIMIT_SECONDS:
        problems.append(
            f"the event loop fell {worst:.1f} s behind in the last {LAG_WINDOW_SECONDS:.0f} s "
            f"(limit {LAG_LIMIT_SECONDS:.0f} s)"
        )
    return problems


class Monitoring:
    """Serves /health and /metrics for one bot on its own loop, with the lag probe behind them."""

    def __init__(self, bot: AnyBot, host: str, port: int) -> None:
        self._bot = bot
        self._host = host
        self._port = port
        self.lag = LoopLag()
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        """The port listened on once started (the one asked for, unless that was 0)."""

    async def start(self) -> bool:
        """Starts serving; False, with one log line, when the address cannot be listened on."""
        app = web.Application()
        app.router.add_get("/health", self._health)
        app.router.add_get("/metrics", self._metrics)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        try:
            await web.TCPSite(runner, self._host, self._port).start()
        except OSError as error:
            await runner.cleanup()
            log.error(
                "metrics.listen: cannot listen on %s port %d (%s); running without /health "
                "and /metrics",
                self._host,
                self._port,
                error.strerror or error,
            )
            return False
        self._runner = runner
        self.port = runner.addresses[0][1]
        self.lag.start()
        self._bot.metrics.registry.register(self.lag)
        host = f"[{self._host}]" if ":" in self._host else self._host  # IPv6, as URLs write it
        log.info("health and metrics on http://%s:%d/health and /metrics", host, self.port)
        return True

    async def stop(self) -> None:
        """Stops serving and probing; safe to call twice, or when never started."""
        if self._runner is None:
            return
        runner, self._runner = self._runner, None
        self._bot.metrics.registry.unregister(self.lag)
        await self.lag.stop()
        await runner.cleanup()

    async def _health(self, request: web.Request) -> web.Response:
        """200 when healthy, else 503 with the reasons, as JSON."""
        problems = health_problems(self._bot, self.lag)
        body = {"healthy": not problems, "problems": problems}
        return web.json_response(body, status=503 if problems else 200)

    async def _metrics(self, request: web.Request) -> web.Response:
        """Every metric in Prometheus's text format."""
        return web.Response(
            body=generate_latest(self._bot.metrics.registry),
            headers={"Content-Type": CONTENT_TYPE_LATEST},
        )
