"""The health and metrics endpoint, end to end: the real bot on the fake Discord, scraped as
Prometheus and a container orchestrator would."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import time
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.config import Config, DiscordSettings, MetricsSettings
from bot.discordbot.client import build_library, create_bot
from bot.discordbot.health import (
    LAG_LIMIT_SECONDS,
    LAG_PROBE_SECONDS,
    LoopLag,
    health_problems,
)
from bot.discordbot.metrics import Asked, Outcome
from bot.engine.cards import curated
from bot.knowledge import bundled_knowledge_dir
from bot.library import knowledge_digest
from tests.discordbot.harness import BUNDLED, COIN_FLIP, UNSURE
from tests.discordbot.processes import fake_discord_config, footnote_run
from tests.discordbot.test_commands import CALLBACK, FOLLOWUP, respond
from tests.discordbot.test_probe import closed_port
from tests.discordbot.test_running import killed_if_running, stopped_by_sigterm
from tests.fake_discord import FakeDiscord, shard_of

LOOPBACK = {"listen": "127.0.0.1:0"}
"""Any free port: the bot says which it got."""
SCRAPE_TIMEOUT = 10.0
"""How long a test waits for the counters to reach what it expects: generous, as CI is shared."""

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def port_of(bot) -> int:
    """The port the bot's endpoint got."""
    assert bot.monitoring is not None, "the endpoint is served"
    return bot.monitoring.port


async def get(port: int, path: str) -> tuple[int, str]:
    address = f"http://127.0.0.1:{port}{path}"
    async with aiohttp.ClientSession() as session, session.get(address) as response:
        return response.status, await response.text()


async def scrape(port: int) -> Samples:
    """Every sample of /metrics, by name and labels."""
    status, text = await get(port, "/metrics")
    assert status == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples[(name, tuple(sorted(labels.items())))]


def questions(samples: Samples) -> dict[tuple[str, str], float]:
    """footnote_questions_total by (surface, outcome), leaving out the zeros."""
    found = {}
    for surface in Asked:
        for outcome in Outcome:
            count = value(samples, "footnote_questions_total", surface=surface, outcome=outcome)
            if count:
                found[(surface.value, outcome.value)] = count
    return found


async def scrape_until(port: int, done, what: str) -> Samples:
    """Scrapes until done(samples) holds: a reply reaches Discord just before it is counted."""
    deadline = time.monotonic() + SCRAPE_TIMEOUT
    while True:
        samples = await scrape(port)
        if done(samples):
            return samples
        assert time.monotonic() < deadline, f"{what} not counted within {SCRAPE_TIMEOUT}s"
        await asyncio.sleep(0.05)


async def health_until(port: int, status: int) -> dict:
    """/health's body once it answers with this status."""
    deadline = time.monotonic() + SCRAPE_TIMEOUT
    while True:
        with contextlib.suppress(aiohttp.ClientConnectionError):  # not listening yet
            answered, body = await get(port, "/health")
            if answered == status:
                return json.loads(body)
        assert time.monotonic() < deadline, f"/health not {status} within {SCRAPE_TIMEOUT}s"
        await asyncio.sleep(0.05)


async def test_each_question_is_counted_once_by_surface_and_outcome(fake_discord, footnote):
    fake: FakeDiscord = fake_discord
    messages = rf"/channels/{fake.channel.id}/messages"
    async with footnote(metrics=LOOPBACK, answering={"user_rate_count": 3}) as bot:
        before = await scrape(port_of(bot))
        assert questions(before) == {}
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
        answered = await fake.wait_for_request("POST", messages)
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} what's the weather")
        unknown = await fake.wait_for_request("POST", messages)
        _, asked = await respond(fake, fake.slash("ask", {"question": "glm license"}))
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} glm license?")
        slow = await fake.wait_for_request("POST", messages)
        after = await scrape_until(
            port_of(bot),
            lambda s: sum(questions(s).values()) == 3,
            "three questions",
        )
    assert "RMB 39" in answered.json["embeds"][0]["description"]
    assert unknown.json["content"].startswith("I don't know that one.")
    assert "MIT" in asked.json["data"]["embeds"][0]["description"]
    assert slow.json["content"].startswith("You're asking quickly; try again in")
    assert questions(after) == {
        ("mention", "answered"): 1,
        ("mention", "abstained"): 1,
        ("ask", "answered"): 1,
    }
    rate_limited = {
        s: value(after, "footnote_rate_limited_replies_total", surface=s) for s in Asked
    }
    assert rate_limited == {s: 1.0 if s is Asked.MENTION else 0.0 for s in Asked}
    for surface, count in ((Asked.MENTION, 2), (Asked.ASK, 1), (Asked.AUTOMATIC, 0)):
        assert value(after, "footnote_answer_confidence_count", surface=surface) == count
        assert value(after, "footnote_answer_duration_seconds_count", surface=surface) == count
    confident = value(after, "footnote_answer_confidence_bucket", surface="ask", le="1.0")
    assert confident == 1, "every confidence is at most 1"
    assert value(after, "footnote_shard_connected", shard="0") == 1
    assert value(after, "footnote_gateway_latency_seconds", shard="0") >= 0
    assert value(after, "footnote_feedback_store_available") == 1
    assert value(after, "footnote_knowledge_facts") == len(BUNDLED.facts)
    digest = knowledge_digest([bundled_knowledge_dir()])
    assert value(after, "footnote_knowledge_info", digest=digest) == 1
    assert value(after, "footnote_event_loop_lag_seconds") >= 0


async def test_probable_and_silent_and_the_menus_are_told_apart(fake_discord, footnote):
    fake = fake_discord
    settings = {**UNSURE, "channels": (fake.channel.id,)}
    async with footnote(
        metrics=LOOPBACK,
        discord={"message_content": True},
        answering=settings,
        calibration=COIN_FLIP,
        storage={"enabled": False},
    ) as bot:
        await fake.send_message(fake.channel, fake.user, "what did kimi improve?")
        await fake.send_message(
            fake.channel, fake.user, f"{fake.bot.mention} what did kimi improve?"
        )
        await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        question = await fake.send_message(fake.channel, fake.moderator, "kimi price")
        await respond(fake, fake.message_command("Ask Footnote", question))
        await respond(fake, fake.message_command("Answer this in the channel", question))
        samples = await scrape_until(
            port_of(bot), lambda s: sum(questions(s).values()) == 4, "four questions"
        )
    assert questions(samples) == {
        ("automatic", "silent"): 1,
        ("mention", "probable"): 1,
        ("ask_menu", "probable"): 1,
        ("answer_menu", "probable"): 1,
    }
    assert ("footnote_feedback_store_available", ()) not in samples, "storage is off"


async def test_reloads_and_their_failures_are_counted_and_the_digest_follows(
    fake_discord, footnote, tmp_path: Path
):
    fake = fake_discord
    knowledge = tmp_path / "kb"
    knowledge.mkdir()
    copy = knowledge / "landscape.yaml"
    bundled = bundled_knowledge_dir() / "llm-landscape-mid-2026.yaml"
    copy.write_text(bundled.read_text(encoding="utf-8"), encoding="utf-8")

    async def reload() -> None:
        record = await fake.send_interaction(fake.slash("footnote reload", user=fake.owner))
        await fake.wait_for_request("POST", CALLBACK.format(record.id))
        await fake.wait_for_request("POST", FOLLOWUP)

    async with footnote(metrics=LOOPBACK, knowledge_paths=(str(knowledge),)) as bot:
        first = bot.library.digest
        (knowledge / "broken.yaml").write_text("source: {id: x}\nfacts: [1]\n", encoding="utf-8")
        await reload()
        refused = await scrape_until(
            port_of(bot), lambda s: s[("footnote_knowledge_reloads_total", ())] == 1, "a reload"
        )
        (knowledge / "broken.yaml").unlink()
        copy.write_text(copy.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        await reload()
        reloaded = await scrape_until(
            port_of(bot), lambda s: s[("footnote_knowledge_reloads_total", ())] == 2, "two reloads"
        )
    assert value(refused, "footnote_knowledge_reload_failures_total") == 1
    assert value(refused, "footnote_knowledge_info", digest=first) == 1
    assert value(reloaded, "footnote_knowledge_reload_failures_total") == 1
    assert first != bot.library.digest == knowledge_digest([knowledge])
    assert value(reloaded, "footnote_knowledge_info", digest=bot.library.digest) == 1
    assert value(reloaded, "footnote_knowledge_facts") == len(curated(bot.library.knowledge))


async def test_health_fails_while_a_shard_is_disconnected(fake_discord, footnote):
    fake: FakeDiscord = fake_discord
    other = fake.add_guild("Second", shard=(1 - shard_of(fake.guild.id, 2), 2))
    fake.add_member(other, fake.user)
    settings = {"shard_count": 2, "shard_ids": (0, 1)}
    async with footnote(metrics=LOOPBACK, discord=settings) as bot:
        await fake.wait_until_ready(shard_ids=[0, 1])
        assert await health_until(port_of(bot), 200) == {"healthy": True, "problems": []}
        shard = bot.get_shard(1)
        assert shard is not None
        await shard.disconnect()
        down = await health_until(port_of(bot), 503)
        samples = await scrape(port_of(bot))
        await shard.connect()
        await health_until(port_of(bot), 200)
    assert down == {"healthy": False, "problems": ["shard 1 is not connected to the gateway"]}
    assert value(samples, "footnote_shard_connected", shard="0") == 1
    assert value(samples, "footnote_shard_connected", shard="1") == 0
    assert ("footnote_gateway_latency_seconds", (("shard", "1"),)) not in samples


async def test_health_fails_after_the_event_loop_was_blocked(fake_discord, footnote):
    async with footnote(metrics=LOOPBACK) as bot:
        await health_until(port_of(bot), 200)
        # Long enough that the probe, whatever its phase, wakes more than the limit late.
        blocked = LAG_LIMIT_SECONDS + LAG_PROBE_SECONDS + 0.5
        asyncio.get_running_loop().call_soon(time.sleep, blocked)
        status, body = await get(port_of(bot), "/health")
    assert status == 503
    assert "the event loop fell" in body and f"(limit {LAG_LIMIT_SECONDS:.0f} s)" in body


async def test_health_before_ready_names_what_is_missing(fake_discord, tmp_path):
    config = Config(
        discord=DiscordSettings(api_base=fake_discord.api_base),
        metrics=MetricsSettings(**LOOPBACK),
        base_dir=tmp_path,
    )
    bot = create_bot(config, build_library(config), None)
    assert health_problems(bot, LoopLag()) == [
        "not ready: still connecting to Discord",
        "shard 0 is not connected to the gateway",
    ]


async def test_a_port_in_use_is_one_log_line_and_the_bot_answers_anyway(
    fake_discord, footnote, caplog
):
    fake = fake_discord
    caplog.set_level(logging.INFO, logger="bot")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        async with footnote(metrics={"listen": f"127.0.0.1:{port}"}) as bot:
            await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
            reply = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
    assert "RMB 39" in reply.json["embeds"][0]["description"]
    assert bot.monitoring is None
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].startswith(f"metrics.listen: cannot listen on 127.0.0.1 port {port} (")
    assert errors[0].endswith("); running without /health and /metrics")


async def test_footnote_run_serves_health_until_sigterm_then_stops_serving(fake_discord, tmp_path):
    fake = fake_discord
    port = closed_port()
    config = fake_discord_config(tmp_path, fake, "feedback.db")
    with config.open("a", encoding="utf-8") as settings:
        settings.write(f"metrics:\n  listen: 127.0.0.1:{port}\n")
    process = await footnote_run(config, fake.token)
    try:
        await fake.wait_until_ready(timeout=30)
        healthy = await health_until(port, 200)
        log = await stopped_by_sigterm(process)
    finally:
        await killed_if_running(process)
    assert healthy == {"healthy": True, "problems": []}
    assert process.returncode == 0, log
    assert f"health and metrics on http://127.0.0.1:{port}/health and /metrics" in log
    assert "Traceback" not in log
    with pytest.raises(aiohttp.ClientConnectionError):
        await get(port, "/health")
