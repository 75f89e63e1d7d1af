"""Several processes on one shared PostgreSQL store: shard claims and identify turns, each
process stood in for by its own connection, and `footnote run` processes for the whole."""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.discordbot import several
from bot.discordbot.client import _Footnote
from bot.discordbot.several import IdentifyTurns, ShardClaims, ShardsClaimed, SharedConnection
from bot.feedback import FeedbackStore
from tests.discordbot.processes import footnote_run
from tests.discordbot.test_probe import closed_port
from tests.discordbot.test_running import killed_if_running, stopped_by_sigterm
from tests.fake_discord import FakeDiscord
from tests.postgres import BOT_PASSWORD, PostgresServer

PASSWORD_ENV = "FOOTNOTE_TEST_DB_PASSWORD"


@pytest.fixture
async def url(postgres_server: PostgresServer) -> str:
    """A migrated shared store, as the first process to start leaves it."""
    url = await postgres_server.create_database()
    store = FeedbackStore(url, 90, password=BOT_PASSWORD)
    assert await store.open()
    await store.close()
    return url


@pytest.fixture
async def connections(url: str) -> AsyncIterator[list[SharedConnection]]:
    """Three processes' coordinating connections to the store."""
    made = [SharedConnection(url, BOT_PASSWORD) for _ in range(3)]
    yield made
    for connection in made:
        await connection.close()


def finished_pid() -> int:
    """The pid of a process of this machine that has ended."""
    process = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(process.stdout)


# Shard claims ------------------------------------------------------------------------------


async def test_disjoint_shards_are_claimed_by_each_process(connections) -> None:
    first, second, _ = connections
    await ShardClaims(first, (0,), 2, host="a", pid=10).claim()
    await ShardClaims(second, (1,), 2, host="b", pid=10).claim()


async def test_a_shard_claimed_by_a_live_process_is_refused_in_one_line(connections) -> None:
    first, second, _ = connections
    await ShardClaims(first, (0, 1, 2), 4, host="a", pid=10).claim()
    with pytest.raises(ShardsClaimed) as refused:
        await ShardClaims(second, (1, 2, 3), 4, host="b", pid=20).claim()
    assert str(refused.value) == (
        "shards 1, 2 of 4 already run in a (pid 10), which claimed them in the shared store: "
        "give each process its own discord.shard_ids"
    )


async def test_processes_splitting_different_shard_counts_are_refused(connections) -> None:
    first, second, _ = connections
    await ShardClaims(first, (0,), 2, host="a", pid=10).claim()
    with pytest.raises(ShardsClaimed, match=r"shard_count is 4, but a \(pid 10\) runs shards of 2"):
        await ShardClaims(second, (3,), 4, host="b", pid=20).claim()


async def test_a_crashed_process_s_shards_are_free_once_its_lease_lapses(
    connections, monkeypatch
) -> None:
    first, second, _ = connections
    monkeypatch.setattr(several, "LEASE_SECONDS", 2.0)
    await ShardClaims(first, (0,), 1, host="a", pid=10).claim()  # then never renewed
    with pytest.raises(ShardsClaimed):
        await ShardClaims(second, (0,), 1, host="b", pid=20).claim()
    await asyncio.sleep(2.5)
    await ShardClaims(second, (0,), 1, host="b", pid=20).claim()


async def test_the_heartbeat_keeps_a_claim_past_its_lease_and_a_clean_stop_frees_it_at_once(
    connections, monkeypatch
) -> None:
    first, second, _ = connections
    monkeypatch.setattr(several, "HEARTBEAT_SECONDS", 0.1)
    monkeypatch.setattr(several, "LEASE_SECONDS", 1.0)
    running = ShardClaims(first, (0,), 1, host="a", pid=10)
    await running.claim()
    running.start_heartbeat()
    await asyncio.sleep(2.5)  # the lease, twice over
    with pytest.raises(ShardsClaimed):
        await ShardClaims(second, (0,), 1, host="b", pid=20).claim()
    await running.release()
    await ShardClaims(second, (0,), 1, host="b", pid=20).claim()


async def test_a_stop_that_cuts_a_renewal_short_still_frees_the_claim_at_once(
    connections, monkeypatch
) -> None:
    first, second, _ = connections
    monkeypatch.setattr(several, "HEARTBEAT_SECONDS", 0.0)  # always amid a renewal
    pause = random.Random(7)
    for _ in range(100):  # stopped at many points of a renewal: before, amid, at its commit
        running = ShardClaims(first, (0,), 1, host="a", pid=10)
        await running.claim()
        running.start_heartbeat()
        await asyncio.sleep(pause.random() / 100)
        await running.release()
        replacement = ShardClaims(second, (0,), 1, host="b", pid=20)
        await replacement.claim()
        await replacement.release()


async def test_a_restart_as_the_same_host_and_pid_or_after_a_crash_here_takes_over_at_once(
    connections,
) -> None:
    first, second, third = connections
    here = socket.gethostname()
    restarted = ShardClaims(second, (0,), 1, host="a", pid=1)
    await ShardClaims(first, (0,), 1, host="a", pid=1).claim()
    await restarted.claim()  # a container restarted: the same host name, pid 1 again
    await restarted.release()
    await ShardClaims(first, (0,), 1, host=here, pid=finished_pid()).claim()
    await ShardClaims(third, (0,), 1, host=here, pid=os.getpid()).claim()  # that pid is gone
    with pytest.raises(ShardsClaimed, match=rf"already run in {here} \(pid {os.getpid()}\)"):
        await ShardClaims(first, (0,), 1, host=here, pid=os.getppid()).claim()


# Identify turns ----------------------------------------------------------------------------


@pytest.fixture
def quick_turns(monkeypatch) -> list[str]:
    """Turns of a second, long beside a statement even on a loaded machine; what happens to
    them, in order."""
    monkeypatch.setattr(several, "IDENTIFY_INTERVAL_SECONDS", 1.0)
    monkeypatch.setattr(several, "TURN_POLL_SECONDS", 0.02)
    events: list[str] = []
    unlock = several._unlock

    async def recorded_unlock(connection, bucket: int) -> None:
        events.append(f"bucket {bucket} given back")
        await unlock(connection, bucket)

    monkeypatch.setattr(several, "_unlock", recorded_unlock)
    return events


async def test_identifies_of_one_bucket_take_turns_across_processes(
    connections, quick_turns
) -> None:
    first, second, _ = connections
    events = quick_turns
    for connection in (first, second):  # connected before the race, so only turns order it
        await connection.run(lambda c: c.fetchval("SELECT 1"))

    async def identify(turns: IdentifyTurns, shard_id: int) -> None:
        assert await turns.take(shard_id, max_concurrency=2)
        events.append(f"shard {shard_id} identifies")

    await asyncio.gather(
        identify(IdentifyTurns(first), 0),
        identify(IdentifyTurns(second), 2),
        identify(IdentifyTurns(second), 1),
    )
    await asyncio.sleep(1.5)  # every turn given back
    # The other bucket's shard goes at once; the second of bucket 0 only after the first's turn.
    assert events.index("shard 1 identifies") < events.index("bucket 0 given back")
    identified = [
        event for event in events if event in {"shard 0 identifies", "shard 2 identifies"}
    ]
    assert events.index("bucket 0 given back") < events.index(identified[1])


async def test_shards_of_one_process_and_bucket_take_turns_too(connections, quick_turns) -> None:
    events = quick_turns
    turns = IdentifyTurns(connections[0])

    async def identify(shard_id: int) -> None:
        assert await turns.take(shard_id, max_concurrency=1)
        events.append(f"shard {shard_id} identifies")

    await asyncio.gather(identify(0), identify(1))
    await asyncio.sleep(1.5)
    assert events[:2] == ["shard 0 identifies", "bucket 0 given back"]


async def test_without_the_store_identifies_stagger_alone_saying_so_once(caplog) -> None:
    down = SharedConnection(f"postgresql://footnote@127.0.0.1:{closed_port()}/footnote", None)
    turns = IdentifyTurns(down)
    with caplog.at_level(logging.WARNING, logger=several.__name__):
        assert not await turns.take(0, 1)
        assert not await turns.take(1, 1)
    assert len(caplog.records) == 1
    assert "identifies not coordinated with other processes" in caplog.text


async def test_a_turn_taken_through_the_store_replaces_the_guess(monkeypatch) -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async def take(shard_id: int, max_concurrency: int) -> bool:
        return shard_id == 3

    monkeypatch.setattr(asyncio, "sleep", sleep)
    process = SimpleNamespace(max_concurrency=1, identify_turns=SimpleNamespace(take=take))
    await _Footnote.before_identify_hook(process, 3, initial=True)  # type: ignore[arg-type]
    await _Footnote.before_identify_hook(process, 2, initial=True)  # type: ignore[arg-type]
    assert slept == [2 * several.IDENTIFY_INTERVAL_SECONDS], "only the store's refusal guesses"


# `footnote run` ------------------------------------------------------------------------------


def shard_config(folder: Path, fake: FakeDiscord, url: str, shard_id: int) -> Path:
    """A config for one of two processes splitting two shards over the shared store."""
    path = folder / f"shard-{shard_id}.yaml"
    path.write_text(
        f"discord:\n  api_base: {fake.api_base}\n  dev_guild_ids: [{fake.guild.id}]\n"
        f"  shard_count: 2\n  shard_ids: [{shard_id}]\n"
        f"storage:\n  url: {url}\n  password_env: {PASSWORD_ENV}\n",
        encoding="utf-8",
    )
    return path


async def test_processes_split_shards_and_one_claiming_a_running_shard_is_refused(
    fake_discord: FakeDiscord, url: str, tmp_path: Path, monkeypatch
) -> None:
    fake = fake_discord
    monkeypatch.setenv(PASSWORD_ENV, BOT_PASSWORD)
    first = await footnote_run(shard_config(tmp_path, fake, url, 0), fake.token)
    second = await footnote_run(shard_config(tmp_path, fake, url, 1), fake.token)
    try:
        await fake.wait_until_ready(shard_ids=[0, 1], timeout=60)
        third = await footnote_run(shard_config(tmp_path, fake, url, 0), fake.token)
        _, stderr = await asyncio.wait_for(third.communicate(), timeout=60)
        assert third.returncode == 2, "a deployment mistake: restarting cannot fix it"
        assert stderr.decode().strip().splitlines()[-1] == (
            f"footnote: shards 0 of 2 already run in {socket.gethostname()} (pid {first.pid}), "
            "which claimed them in the shared store: give each process its own discord.shard_ids"
        )
        log = await stopped_by_sigterm(first)
        assert first.returncode == 0, log
        replacement = await footnote_run(shard_config(tmp_path, fake, url, 0), fake.token)
        try:
            await fake.wait_until(
                lambda: len([s for s in fake.gateway.sessions if s.shard_id == 0]) == 2,
                timeout=60,
                message="shard 0 identified again: a clean stop frees its claim at once",
            )
        finally:
            await killed_if_running(replacement)
        assert "Traceback" not in log + stderr.decode()
    finally:
        await killed_if_running(first)
        await killed_if_running(second)


async def test_shards_are_claimed_once_a_store_down_at_start_is_back(
    url, postgres_server: PostgresServer, monkeypatch, caplog
) -> None:
    monkeypatch.setattr(several, "HEARTBEAT_SECONDS", 0.1)
    caplog.set_level(logging.INFO, logger=several.__name__)
    late_connection, other = (
        SharedConnection(url, BOT_PASSWORD),
        SharedConnection(url, BOT_PASSWORD),
    )
    late = ShardClaims(late_connection, (0,), 1, host="a", pid=10)
    await asyncio.to_thread(postgres_server.stop, "fast")
    try:
        late.start_heartbeat()
        await asyncio.sleep(0.5)  # heartbeats against a server that is down
        assert not late.claimed
    finally:
        await asyncio.to_thread(postgres_server.start)
    try:
        for _ in range(100):
            if late.claimed:
                break
            await asyncio.sleep(0.1)
        with pytest.raises(ShardsClaimed):
            await ShardClaims(other, (0,), 1, host="b", pid=20).claim()
        assert [r.message for r in caplog.records if r.levelno >= logging.INFO] == [
            "shard claims made at last"
        ], "the outage was said at start; nothing more until it is over"
    finally:
        await late.release()
        await late_connection.close()
        await other.close()
    await ShardClaims(SharedConnection(url, BOT_PASSWORD), (0,), 1, host="b", pid=20).claim()


async def test_a_clash_found_when_the_store_is_back_is_said_once(
    connections, monkeypatch, caplog
) -> None:
    first, second, _ = connections
    monkeypatch.setattr(several, "HEARTBEAT_SECONDS", 0.1)
    await ShardClaims(first, (0,), 1, host="a", pid=10).claim()
    late = ShardClaims(second, (0,), 1, host="b", pid=20)  # its first claim failed at start
    late.start_heartbeat()
    await asyncio.sleep(0.5)
    await late.release()
    clashes = [r for r in caplog.records if "shards not claimed: shards 0 of 1" in r.message]
    assert [r.levelname for r in clashes] == ["ERROR"] and not late.claimed
