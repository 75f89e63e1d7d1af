"""Several bot processes sharing one PostgreSQL server (issue 13's end-to-end check): votes from
each land in the one database, before and after the server restarts, and one `/footnote reload`
reloads them all and says so.

That no acknowledged write is lost when the server restarts in the middle of a burst of them is
tests/feedback/test_backends.py's
test_no_acknowledged_write_is_lost_when_the_server_restarts_mid_burst; the SQLite wording is
tests/discordbot/test_commands.py's test_a_reload_says_when_other_processes_run_the_other_shards.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.discordbot import broadcast as broadcast_module
from bot.discordbot.broadcast import ProcessReload, ReloadBroadcast, Tally
from bot.discordbot.client import AnyBot
from bot.discordbot.services import ReloadOutcome
from bot.discordbot.ui.catalogue import words_for
from bot.discordbot.ui.replies import reload_tally
from bot.engine import Matcher
from bot.feedback import notices as notices_module
from bot.feedback.report import read_report
from bot.knowledge import Problem, bundled_knowledge_dir, load_knowledge
from bot.library import knowledge_digest
from tests.discordbot.harness import BUNDLED_COUNTS
from tests.discordbot.test_commands import CALLBACK, FOLLOWUP, buttons
from tests.fake_discord import FakeDiscord, shard_of
from tests.postgres import BOT_PASSWORD, PostgresServer, free_port

PASSWORD_ENV = "FOOTNOTE_TEST_DATABASE_PASSWORD"
BUNDLED_FILE = bundled_knowledge_dir() / "llm-landscape-mid-2026.yaml"
BROKEN = "source: {id: x}\nfacts: [1]\n"


@pytest.fixture
async def storage(postgres_server: PostgresServer, monkeypatch) -> dict[str, str]:
    """Settings pointing a bot at a fresh database of the session's server."""
    monkeypatch.setenv(PASSWORD_ENV, BOT_PASSWORD)
    return {"url": await postgres_server.create_database(), "password_env": PASSWORD_ENV}


def knowledge_copy(folder: Path) -> Path:
    """A process's own copy of the bundled knowledge, as each host keeps one."""
    folder.mkdir()
    (folder / "landscape.yaml").write_text(BUNDLED_FILE.read_text(encoding="utf-8"), "utf-8")
    return folder


def broadcast_of(bot: AnyBot) -> ReloadBroadcast:
    admin = bot.get_cog("Admin")
    assert admin is not None
    found = getattr(admin, "broadcast", None)
    assert isinstance(found, ReloadBroadcast)
    return found


async def reload_reply(fake: FakeDiscord) -> str:
    """Runs `/footnote reload` as the owner in the default guild: the private reply's text."""
    record = await fake.send_interaction(fake.slash("footnote reload", user=fake.owner))
    await fake.wait_for_request("POST", CALLBACK.format(record.id))
    done = await fake.wait_for_request("POST", FOLLOWUP, timeout=15)
    return str(done.json["content"])


async def vote_up(fake: FakeDiscord, channel, question: str) -> None:
    """Asks in a channel and votes 👍 on the answer, waiting for the thanks."""
    await fake.send_message(channel, fake.user, f"{fake.bot.mention} {question}")
    answer = await fake.wait_for_request("POST", rf"/channels/{channel.id}/messages")
    message_id = int(answer.response["id"])
    (up,) = [b for b in buttons(fake.messages[message_id]) if b.startswith("fn:vote:up:")]
    record = await fake.send_interaction(fake.component(message_id, up))
    await fake.wait_for_request("POST", CALLBACK.format(record.id))
    thanks = await fake.wait_for_request("POST", FOLLOWUP)
    assert thanks.json["content"] == "Thanks, your feedback was recorded."


async def test_two_processes_share_votes_and_one_reload_reaches_both(
    fake_discord, footnote, storage, postgres_server: PostgresServer, monkeypatch, tmp_path
):
    monkeypatch.setattr(notices_module, "RECONNECT_SECONDS", 0.2)
    fake: FakeDiscord = fake_discord
    here = shard_of(fake.guild.id, 2)  # the process that gets the default guild's commands
    other = fake.add_guild("Second", shard=(1 - here, 2))
    room = fake.add_channel(other, "chat")
    fake.add_member(other, fake.user)
    kb_here, kb_there = knowledge_copy(tmp_path / "kb0"), knowledge_copy(tmp_path / "kb1")

    def run(shard: int, knowledge: Path):
        discord = {"shard_count": 2, "shard_ids": (shard,), "dev_guild_ids": (fake.guild.id,)}
        return footnote(discord=discord, storage=storage, knowledge_paths=(str(knowledge),))

    async with run(here, kb_here) as bot_here, run(1 - here, kb_there) as bot_there:
        await fake.wait_for_request("PUT", r"/applications/\d+/guilds/\d+/commands")
        await fake.wait_until_ready(shard_ids=[0, 1])
        there = broadcast_of(bot_there)
        await fake.wait_until(
            lambda: (
                broadcast_of(bot_here).name in there._peers
                and there.name in broadcast_of(bot_here)._peers
            ),
            message="each process knows the other",
        )

        await vote_up(fake, fake.channel, "kimi price?")
        await vote_up(fake, room, "kimi price?")
        assert await up_votes(bot_here, kb_here) == 2, "both processes' votes are in one database"

        for kb in (kb_here, kb_there):
            copy = kb / "landscape.yaml"
            copy.write_text(copy.read_text("utf-8").replace("RMB 39", "RMB 49"), "utf-8")
        edited = knowledge_digest([kb_here])
        assert edited == knowledge_digest([kb_there]) != bot_there.library.digest
        reply = await reload_reply(fake)
        assert reply == f"Reloaded: {BUNDLED_COUNTS}.\n2 of 2 processes on {edited[:8]}…"
        assert bot_here.library.digest == bot_there.library.digest == edited

        (kb_there / "broken.yaml").write_text(BROKEN, encoding="utf-8")
        copy = kb_here / "landscape.yaml"
        copy.write_text(copy.read_text("utf-8").replace("RMB 49", "RMB 59"), "utf-8")
        newer = knowledge_digest([kb_here])
        reply = await reload_reply(fake)
        assert reply.startswith(
            f"Reloaded: {BUNDLED_COUNTS}.\n1 of 2 processes on {newer[:8]}…; 1 failed:"
            f" {there.name}: {kb_there / 'broken.yaml'}:1: source is missing required field"
        ), reply
        assert bot_there.library.digest == edited, "the broken process kept its knowledge"
        assert bot_here.library.digest == newer

        await asyncio.to_thread(postgres_server.stop, "fast")
        await asyncio.to_thread(postgres_server.start)
        await vote_up(fake, fake.channel, "glm license?")
        await vote_up(fake, room, "glm license?")
        assert await up_votes(bot_here, kb_here) == 4, "the votes after a restart are kept"
        (kb_there / "broken.yaml").unlink()
        (kb_there / "landscape.yaml").write_text(copy.read_text("utf-8"), "utf-8")
        await fake.wait_until(
            lambda: broadcast_of(bot_here).listening and there.listening,
            timeout=15,
            message="both listening again after the restart",
        )
        reply = await reload_reply(fake)
        assert reply == f"Reloaded: {BUNDLED_COUNTS}.\n2 of 2 processes on {newer[:8]}…"


async def up_votes(bot: AnyBot, knowledge: Path) -> int:
    """The 👍 votes `footnote report` counts in the bot's database."""
    assert bot.feedback is not None
    report = await read_report(
        bot.feedback,
        Matcher(load_knowledge([knowledge])),
        now=time.time(),
        since_days=None,
        limit=20,
        guild_id=None,
    )
    return report.totals.up_votes


async def reloads(digest: str, ok: bool = True):
    """A stand-in for a process's reload, answering at once."""
    problems = () if ok else (Problem("broken.yaml", 1, "not a mapping"),)
    return ReloadOutcome(problems=problems, sources=1), digest


async def until(condition: Callable[[], bool], what: str, seconds: float = 15) -> None:
    """Waits for a condition the processes reach in the background, failing after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.05)


async def started(*broadcasts: ReloadBroadcast) -> None:
    """Waits until every broadcast listens and knows every other."""
    for broadcast in broadcasts:
        broadcast.start()
    names = {broadcast.name for broadcast in broadcasts}
    await until(
        lambda: all(
            broadcast.listening and names - {broadcast.name} <= broadcast._peers
            for broadcast in broadcasts
        ),
        "the processes never heard each other",
    )


async def test_a_silent_peer_is_named_then_forgotten_and_nonsense_is_one_log_line(
    storage, postgres_server: PostgresServer, monkeypatch, caplog
):
    monkeypatch.setattr(broadcast_module, "ANSWER_SECONDS", 0.5)
    hung = asyncio.Event()

    async def hangs():
        await hung.wait()
        return await reloads("b" * 64)

    asking = ReloadBroadcast(storage["url"], BOT_PASSWORD, lambda: reloads("a" * 64))
    silent = ReloadBroadcast(storage["url"], BOT_PASSWORD, hangs)
    try:
        await started(asking, silent)
        admin = await postgres_server.admin(storage["url"].rsplit("/", 1)[-1])
        try:
            for payload in ("not json", "[1]", '{"reload": 5, "from": "x"}', '{"what": 1}'):
                await admin.execute("SELECT pg_notify($1, $2)", broadcast_module.CHANNEL, payload)
        finally:
            await admin.close()
        own = broadcast_module.answer_of(asking.name, *await reloads("a" * 64))
        tally = await asking.reload_others(own)
        assert tally is not None
        assert tally.answers == (own,)
        assert tally.silent == (silent.name,)
        again = await asking.reload_others(own)
        assert again is not None and not again.silent, "forgotten until it says hello again"
    finally:
        hung.set()
        await asking.close()
        await silent.close()
    ignored = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len([m for m in ignored if m.startswith("ignored a notice")]) == 4 * 2, "each once"
    assert "Traceback" not in caplog.text


async def test_with_no_other_process_answering_a_reload_says_only_this_one_did(
    fake_discord, footnote, storage
):
    fake: FakeDiscord = fake_discord
    guild_shard = shard_of(fake.guild.id, 3)
    shards = (0, guild_shard) if guild_shard else (0, 1)
    settings = {"shard_count": 3, "shard_ids": shards}
    async with footnote(discord=settings, storage=storage) as bot:
        await fake.wait_until(lambda: broadcast_of(bot).listening, message="listening")
        reply = await reload_reply(fake)
    running = ", ".join(str(shard) for shard in shards)
    assert reply == (
        f"Reloaded: {BUNDLED_COUNTS}.\nOnly this process reloaded (it runs shards {running} of"
        " 3); the others keep their knowledge until each is reloaded."
    )


async def test_a_reload_reaches_processes_again_after_the_server_restarts(
    storage, postgres_server: PostgresServer, monkeypatch
):
    monkeypatch.setattr(notices_module, "RECONNECT_SECONDS", 0.2)
    one = ReloadBroadcast(storage["url"], BOT_PASSWORD, lambda: reloads("1" * 64))
    two = ReloadBroadcast(storage["url"], BOT_PASSWORD, lambda: reloads("1" * 64, ok=False))
    try:
        await started(one, two)
        await asyncio.to_thread(postgres_server.stop, "fast")
        try:
            own = broadcast_module.answer_of(one.name, *await reloads("1" * 64))
            assert await one.reload_others(own) is None, "the server is down: this process only"
            # Both must have seen their connection go before the server is back: one that has
            # not yet would still count as listening on it, and hear nothing.
            await until(lambda: not (one.listening or two.listening), "the loss noticed")
        finally:
            await asyncio.to_thread(postgres_server.start)
        await until(lambda: one.listening and two.listening, "listening again after the restart")
        tally = await one.reload_others(own)
        assert tally is not None
        assert [(a.process, a.ok) for a in tally.answers] == [(one.name, True), (two.name, False)]
        assert tally.answers[1].problem == "broken.yaml:1: not a mapping"
    finally:
        await one.close()
        await two.close()


async def test_a_server_that_cannot_be_reached_leaves_reload_to_this_process(caplog):
    url = f"postgresql://footnote@127.0.0.1:{free_port()}/footnote"
    lonely = ReloadBroadcast(url, None, lambda: reloads("c" * 64))
    lonely.start()
    try:
        own = broadcast_module.answer_of(lonely.name, *await reloads("c" * 64))
        assert await lonely.reload_others(own) is None
    finally:
        await lonely.close()
    assert "Traceback" not in caplog.text


def test_the_reply_groups_processes_by_hash_then_failures_then_silence():
    tally = Tally(
        (
            ProcessReload("a:1:00", "1" * 64, True),
            ProcessReload("b:2:00", "2" * 64, True),
            ProcessReload("c:3:00", "1" * 64, True),
            ProcessReload("d:4:00", "1" * 64, False, "kb.yaml:3: no title"),
        ),
        silent=("e:5:00",),
    )
    assert reload_tally(words_for("en-US"), tally) == (
        "2 of 5 processes on 11111111…; 1 on 22222222…; 1 failed: d:4:00: kb.yaml:3: no title;"
        " 1 did not answer in time: e:5:00"
    )
    assert reload_tally(words_for("zh-CN"), tally) == (
        "5 个进程中有 2 个使用 11111111…；1 个使用 22222222…；"
        "1 个失败：d:4:00: kb.yaml:3: no title；1 个未及时回应：e:5:00"
    )
