"""A soak test: the real bot against the loopback fake Discord under a long, steady, mixed load.

python -m benchmarks.soak                       # 10,000 events, 200 users, 20 channels
python -m benchmarks.soak --events 600 --users 30 --channels 4

It checks that every answerable question gets its fact, chatter gets no reply, nothing is logged
at ERROR, and memory stops growing; then it records event-to-reply latency in RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import random
import re
import sys
import tempfile
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.machine import describe_machine
from benchmarks.report import replace_section
from bot.engine import Matcher, Surface
from bot.knowledge import Fact, KnowledgeBase, bundled_knowledge_dir, load_knowledge
from tests.discordbot.harness import start_footnote
from tests.fake_discord import FakeChannel, FakeDiscord, FakeUser, RecordedRequest

BENCHMARKS = Path(__file__).resolve().parent
MB = 1_000_000
IN_FLIGHT = 20
REPLY_TIMEOUT_S = 10.0
SETTLE_S = 0.5
"""How long to wait after the last event for any late reply, to chatter above all."""
KEEP_ANSWERS = 200
"""Recent answer messages kept on the fake for 👍/👎 clicks; older ones are forgotten."""
PRUNE_EVERY = 250

MIX: dict[str, float] = {
    "mention": 0.25,
    "automatic": 0.25,
    "chatter": 0.20,
    "ask": 0.15,
    "autocomplete": 0.08,
    "vote": 0.07,
}
CHATTER = (
    "what's the weather like today?",
    "hello everyone?",
    "anyone up for lunch",
    "lol that's great",
    "did you see the game last night?",
    "brb, coffee",
    "who is joining the standup?",
    "can dogs eat lentils?",
    "good morning all",
    "is the office open on friday?",
)
VOTE_REPLIES = {
    "Thanks, your feedback was recorded.",
    "You already gave feedback on this answer.",
}
FACT_BUTTON = re.compile(r"fn:(?:vote:up|share):fact:(.+)")


@dataclass(frozen=True)
class SoakSettings:
    """The size of the load, its seed, and the bounds it must stay within."""

    events: int = 10_000
    users: int = 200
    channels: int = 20
    seed: int = 7
    time_limit_s: float = 600.0
    rss_growth_mb: float = 50.0
    baseline_events: int = 1_000
    """RSS is measured after this many events, once caches and pools have filled, and at the end."""


@dataclass
class SoakResult:
    """What a soak measured and every way it went wrong."""

    settings: SoakSettings
    duration_s: float = 0.0
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    rss_baseline_mb: float = 0.0
    rss_end_mb: float = 0.0
    errors: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def times(self, kind: str | None = None) -> list[float]:
        """Event-to-reply times in ms, of one kind of event or of all."""
        if kind is not None:
            return self.latencies_ms.get(kind, [])
        return [ms for times in self.latencies_ms.values() for ms in times]

    def percentile(self, share: float, kind: str | None = None) -> float:
        """Nearest-rank percentile of event-to-reply time in ms, as the other benchmarks quote."""
        ordered = sorted(self.times(kind))
        if not ordered:
            return 0.0
        return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]

    def problems(self) -> list[str]:
        """Everything that makes this soak a failure; empty when it passed."""
        found = list(self.failures)
        found += [f"ERROR logged: {message}" for message in self.errors]
        s, growth = self.settings, self.rss_end_mb - self.rss_baseline_mb
        if growth > s.rss_growth_mb:
            found.append(
                f"RSS grew {growth:.1f} MB after the first {s.baseline_events:,} events "
                f"(bound {s.rss_growth_mb:.0f} MB)"
            )
        return found

    def summary(self) -> str:
        """The figures as the lines the command prints."""
        s = self.settings
        return "\n".join(
            [
                f"events {s.events:,}, users {s.users}, channels {s.channels}, seed {s.seed}",
                f"duration {self.duration_s:.1f} s, {s.events / self.duration_s:.0f} events/s",
                f"event to reply ms: p50 {self.percentile(0.5):.1f}, "
                f"p99 {self.percentile(0.99):.1f}, max {max(self.times(), default=0):.1f} "
                f"({len(self.times()):,} replies)",
                "p99 ms by kind: "
                + ", ".join(f"{k} {self.percentile(0.99, k):.1f}" for k in self.latencies_ms),
                f"RSS MB: after {min(s.baseline_events, s.events):,} events "
                f"{self.rss_baseline_mb:.1f}, after all {self.rss_end_mb:.1f}",
                f"errors logged {len(self.errors)}, failures {len(self.failures)}",
            ]
        )


@dataclass
class _Event:
    """One thing a user did that expects a reply, and the replies it got."""

    kind: str
    sent: float
    fact_id: str
    done: asyncio.Future[float]
    replies: list[RecordedRequest] = field(default_factory=list)


class _ErrorLog(logging.Handler):
    """Collects every ERROR record from any logger, since an unhandled error is a failure."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keeps the message and, if any, the exception's summary."""
        error = f" ({record.exc_info[1]!r})" if record.exc_info else ""
        self.messages.append(f"{record.name}: {record.getMessage()}{error}")


def rss_mb() -> float:
    """This process's resident memory now (VmRSS), in MB of 10^6 bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / MB
    raise RuntimeError("no VmRSS in /proc/self/status")


def _variant(rng: random.Random, phrasing: str, *, question_mark: bool) -> str:
    """A light paraphrase people would type: another case, other end punctuation."""
    text = rng.choice([phrasing, phrasing.lower(), phrasing.upper(), phrasing.capitalize()])
    text = text.rstrip(" ?.!")
    ending = rng.choice(["?", "??", " ?"]) if question_mark else rng.choice(["", "?", "."])
    return text + ending


class _Soak:
    """Drives one soak: the fake's world, the events in flight, and the replies matched to them."""

    def __init__(
        self,
        fake: FakeDiscord,
        settings: SoakSettings,
        facts: Sequence[Fact],
        posted_unasked: dict[str, list[str]],
    ) -> None:
        self.fake = fake
        self.settings = settings
        self.facts = facts
        self.posted_unasked = posted_unasked
        """Per fact, the phrasings sure enough to be posted in an automatic channel: the rest
        are rightly met with silence there, which the soak cannot tell from a lost reply."""
        self.automatic_facts = [fact for fact in facts if posted_unasked.get(fact.id)]
        self.rng = random.Random(settings.seed)
        self.users: list[FakeUser] = []
        for number in range(settings.users):
            user = fake.add_user(f"user{number}")
            fake.add_member(fake.guild, user)
            self.users.append(user)
        self.channels: list[FakeChannel] = [
            fake.add_channel(fake.guild, f"soak-{number}") for number in range(settings.channels)
        ]
        self.result = SoakResult(settings)
        self.pending: dict[int, _Event] = {}
        self.early: dict[int, tuple[RecordedRequest, float]] = {}
        self.chatter: set[int] = set()
        self.answers: deque[tuple[int, str]] = deque(maxlen=KEEP_ANSWERS)
        self.completed = 0

    def fail(self, message: str) -> None:
        """Records a failure; the soak goes on so one run shows them all."""
        self.result.failures.append(message)

    # Replies --------------------------------------------------------------------------------

    async def collect(self) -> None:
        """Matches every request the bot makes to the event it answers, as soon as it arrives."""
        while True:
            await self.fake.wait_until(
                lambda: self.fake.requests, timeout=self.settings.time_limit_s
            )
            now = time.perf_counter()
            arrived = list(self.fake.requests)
            del self.fake.requests[: len(arrived)]
            for request in arrived:
                self._match(request, now)

    def _match(self, request: RecordedRequest, now: float) -> None:
        """Hands one request to its event, or keeps it until its event is registered."""
        if request.status >= 300 or request.unhandled:
            self.fail(f"bot request failed: {request}")
        key = request.interaction_id
        if key is None and request.method == "POST" and request.path.endswith("/messages"):
            reference = (request.json or {}).get("message_reference") or {}
            key = int(reference["message_id"]) if "message_id" in reference else None
        if key is None:
            return
        event = self.pending.get(key)
        if event is None:
            self.early[key] = (request, now)
        elif event.done.done():
            self.fail(f"extra reply to {event.kind}: {request} {request.json}")
        else:
            event.replies.append(request)
            if event.kind != "vote" or request.path.startswith("/webhooks/"):
                event.done.set_result(now)

    def _register(self, key: int, event: _Event) -> None:
        """Waits for replies to a sent event, taking any that beat the send's return."""
        self.pending[key] = event
        if key in self.early:
            self._match(*self.early.pop(key))

    # Events ---------------------------------------------------------------------------------

    async def run(self) -> None:
        """Sends every event, at most IN_FLIGHT awaiting replies, then waits for late replies."""
        slots = asyncio.Semaphore(IN_FLIGHT)
        tasks: set[asyncio.Task[None]] = set()
        kinds = self.rng.choices(list(MIX), weights=list(MIX.values()), k=self.settings.events)
        for number, kind in enumerate(kinds):
            await slots.acquire()
            task = asyncio.create_task(self._event(kind, slots))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            if number % PRUNE_EVERY == 0:
                self._forget_history()
        if tasks:
            await asyncio.wait(tasks)
        await asyncio.sleep(SETTLE_S)
        for key, (request, _) in self.early.items():
            about = "chatter" if key in self.chatter else "no event"
            self.fail(f"reply to {about}: {request} {request.json}")

    async def _event(self, kind: str, slots: asyncio.Semaphore) -> None:
        """One event from send to checked reply; frees its slot however it ends."""
        try:
            await self._send_and_check(kind)
        except Exception as error:
            self.fail(f"{kind} event raised {error!r}")
        finally:
            slots.release()
            self.completed += 1
            if self.completed == min(self.settings.baseline_events, self.settings.events):
                gc.collect()
                self.result.rss_baseline_mb = rss_mb()

    async def _send_and_check(self, kind: str) -> None:
        """Sends one event of this kind and checks the reply it is owed, if any."""
        rng, fake = self.rng, self.fake
        user, channel = rng.choice(self.users), rng.choice(self.channels)
        if kind == "chatter":
            self.chatter.add(await fake.send_message(channel, user, rng.choice(CHATTER)))
            return
        fact = rng.choice(self.automatic_facts if kind == "automatic" else self.facts)
        phrasing = rng.choice(
            self.posted_unasked[fact.id] if kind == "automatic" else fact.phrasings
        )
        if kind == "vote" and not self.answers:
            kind = "mention"
        event = _Event(kind, 0.0, fact.id, asyncio.get_running_loop().create_future())
        text, payload = "", None
        if kind in ("mention", "automatic"):
            text = _variant(rng, phrasing, question_mark=kind == "automatic")
            if kind == "mention":
                text = f"{fake.bot.mention} {text}"
        elif kind == "ask":
            question = _variant(rng, phrasing, question_mark=False)
            payload = fake.slash("ask", {"question": question}, user=user, channel=channel)
        elif kind == "autocomplete":
            typed = " ".join(phrasing.lower().split()[:3])
            payload = fake.autocomplete(
                "ask", {"question": typed}, focused="question", user=user, channel=channel
            )
        else:
            message_id, event.fact_id = rng.choice(self.answers)
            custom_id = f"fn:vote:{rng.choice(['up', 'down'])}:fact:{event.fact_id}"
            payload = fake.component(message_id, custom_id, user=user)
        event.sent = time.perf_counter()
        if payload is None:
            key = await fake.send_message(channel, user, text)
            self._register(key, event)
        else:
            key = int(payload["id"])
            self._register(key, event)
            await fake.send_interaction(payload)
        try:
            arrived = await asyncio.wait_for(event.done, REPLY_TIMEOUT_S)
        except TimeoutError:
            self.fail(f"no reply to {kind} within {REPLY_TIMEOUT_S:.0f} s (fact {event.fact_id})")
            return
        finally:
            del self.pending[key]
        self.result.latencies_ms.setdefault(kind, []).append((arrived - event.sent) * 1000)
        self._check(event)

    def _check(self, event: _Event) -> None:
        """The reply is the one this kind of event is owed, with the expected fact."""
        reply = event.replies[-1]
        body = reply.json or {}
        data = (body.get("data") or {}) if event.kind in ("ask", "autocomplete") else body
        if event.kind == "autocomplete":
            if body.get("type") != 8 or not 1 <= len(data.get("choices", [])) <= 25:
                self.fail(f"autocomplete got {body}")
            return
        if event.kind == "vote":
            if body.get("content") not in VOTE_REPLIES:
                self.fail(f"vote got {body}")
            return
        buttons = [c["custom_id"] for row in data.get("components", []) for c in row["components"]]
        found = [m.group(1) for m in map(FACT_BUTTON.fullmatch, buttons) if m]
        if set(found) != {event.fact_id}:
            self.fail(f"{event.kind} for {event.fact_id} got {found or data.get('content')!r}")
        elif event.kind != "ask" and int(reply.response["id"]) in self.fake.messages:
            self.answers.append((int(reply.response["id"]), event.fact_id))

    def _forget_history(self) -> None:
        """Drops what the fake keeps for assertions, so the soak measures the bot's memory."""
        fake = self.fake
        keep = {message_id for message_id, _ in self.answers} | set(self.pending)
        for message_id in [m for m in fake.messages if m not in keep]:
            del fake.messages[message_id]
        for interaction_id in [i for i in fake.interactions if i not in self.pending]:
            del fake.interactions[interaction_id]
        for session in fake.gateway.sessions:
            session.events.clear()
        fake.gateway.received.clear()


def _posted_unasked(knowledge: KnowledgeBase) -> dict[str, list[str]]:
    """Each fact's phrasings that an automatic channel answers with that fact."""
    matcher = Matcher(knowledge)
    return {
        fact.id: [
            phrasing
            for phrasing in fact.phrasings
            if (answer := matcher.ask(phrasing, Surface.AUTOMATIC)).answered
            and answer.fact is not None
            and answer.fact.id == fact.id
        ]
        for fact in knowledge.facts.values()
    }


async def run_soak(settings: SoakSettings, base_dir: Path) -> SoakResult:
    """Starts the fake and the bot, drives the whole soak within its time limit, and reports."""
    knowledge = load_knowledge([bundled_knowledge_dir()])
    errors = _ErrorLog()
    logging.getLogger().addHandler(errors)
    try:
        async with FakeDiscord() as fake:
            soak = _Soak(fake, settings, list(knowledge.facts.values()), _posted_unasked(knowledge))
            answering = {
                "channels": tuple(channel.id for channel in soak.channels),
                "channel_cooldown_seconds": 0.0,
                "user_rate_count": settings.events,
                # each event is a question of its own, checked against its one right fact:
                # read as a follow-up of the same user's last one, a phrasing such as "was it
                # all about parameters before" is another question (tests/discordbot has those)
                "follow_up_seconds": 0,
            }
            async with start_footnote(
                fake, base_dir, discord={"message_content": True}, answering=answering
            ):
                collector = asyncio.create_task(soak.collect())
                started = time.perf_counter()
                try:
                    async with asyncio.timeout(settings.time_limit_s):
                        await soak.run()
                except TimeoutError:
                    soak.fail(f"not finished within {settings.time_limit_s:.0f} s")
                finally:
                    soak.result.duration_s = time.perf_counter() - started
                    collector.cancel()
                    await asyncio.gather(collector, return_exceptions=True)
                gc.collect()
                soak.result.rss_end_mb = rss_mb()
    finally:
        logging.getLogger().removeHandler(errors)
    soak.result.errors = errors.messages
    return soak.result


def _cores() -> str:
    """The cores this process may run on, since a pinned run shares nothing with a benchmark."""
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    return ", ".join(f"core {core}" for core in cores) or "any core"


def results_section(result: SoakResult) -> str:
    """The soak's part of RESULTS.md: command, machine, and the figures."""
    s = result.settings
    machine = describe_machine()
    baseline = min(s.baseline_events, s.events)
    lines = [
        ("Events", f"{s.events:,} ({', '.join(f'{k} {v:.0%}' for k, v in MIX.items())})"),
        ("Users / channels", f"{s.users} / {s.channels} (all automatic-answer channels)"),
        ("Duration", f"{result.duration_s:.1f} s, {s.events / result.duration_s:.0f} events/s"),
        ("Event to reply p50", f"{result.percentile(0.5):.1f} ms"),
        ("Event to reply p99", f"{result.percentile(0.99):.1f} ms"),
        ("Event to reply max", f"{max(result.times(), default=0):.1f} ms"),
        (
            "p99 by kind",
            ", ".join(f"{k} {result.percentile(0.99, k):.1f} ms" for k in result.latencies_ms),
        ),
        (f"RSS after {baseline:,} events", f"{result.rss_baseline_mb:.1f} MB"),
        ("RSS after all events", f"{result.rss_end_mb:.1f} MB"),
        ("Errors logged / failed checks", f"{len(result.errors)} / {len(result.failures)}"),
    ]
    table = "\n".join(f"| {name} | {value} |" for name, value in lines)
    return f"""## Soak test

Generated by `python -m benchmarks.soak --events {s.events} --users {s.users} \
--channels {s.channels} --seed {s.seed}` on {machine["Date"]}; {machine["CPU"]}, \
{os.cpu_count()} logical cores (run on {_cores()}), {machine["RAM"]}, {machine["Python"]}, \
commit {machine["Commit"]}, load average {machine["Load average at start"]}.

The real bot and the fake Discord share one process and event loop, with at most {IN_FLIGHT} \
events awaiting a reply. Event to reply is from sending the message or interaction to the bot's \
request arriving at the fake (for 👍/👎, its follow-up); chatter is owed no reply and has no time. \
Replies in one channel are paced by discord.py's own rate limiter, which honours the fake's \
buckets (5 requests per second per channel): with few channels, that 1 s wait sets the p99. \
RSS is VmRSS after a garbage collection; 1 MB = 10^6 bytes.

| Measure | Value |
| --- | --- |
{table}
"""


def _parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.soak",
        description="Soak test of the real bot against the loopback fake Discord.",
    )
    defaults = SoakSettings()
    parser.add_argument("--events", type=int, default=defaults.events)
    parser.add_argument("--users", type=int, default=defaults.users)
    parser.add_argument("--channels", type=int, default=defaults.channels)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument(
        "--time-limit", type=float, default=defaults.time_limit_s, help="seconds before failing"
    )
    parser.add_argument(
        "--out", type=Path, default=BENCHMARKS / "RESULTS.md", help="the RESULTS.md to update"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Runs the soak, prints its figures and problems, and records them in RESULTS.md."""
    args = _parser().parse_args(argv)
    settings = SoakSettings(args.events, args.users, args.channels, args.seed, args.time_limit)
    with tempfile.TemporaryDirectory(prefix="footnote-soak-") as folder:
        os.environ.setdefault("FOOTNOTE_CACHE_DIR", str(Path(folder) / "cache"))
        result = asyncio.run(run_soak(settings, Path(folder)))
    print(result.summary())
    problems = result.problems()
    existing = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    args.out.write_text(
        replace_section(existing, "soak", results_section(result)), encoding="utf-8"
    )
    if problems:
        raise SystemExit("soak failed:\n  " + "\n  ".join(problems[:20]))


if __name__ == "__main__":
    main(sys.argv[1:])
