"""Running the bot as a host does: sharded, and as the `footnote run` process with signals."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.config import Config, DiscordSettings, StorageSettings
from bot.discordbot.client import (
    IDENTIFY_INTERVAL_SECONDS,
    _Footnote,
    build_library,
    first_identify_delay,
    run_bot,
)
from bot.discordbot.probe import DiscordUnavailable
from bot.feedback import FeedbackUnavailable
from tests.discordbot.conftest import SilentServer
from tests.discordbot.harness import BUNDLED_COUNTS
from tests.discordbot.processes import fake_discord_config, footnote_run
from tests.discordbot.test_probe import closed_port
from tests.fake_discord import FakeDiscord, shard_of


async def test_sharded_bot_identifies_each_shard_and_answers_on_both(fake_discord, footnote):
    fake: FakeDiscord = fake_discord
    other = fake.add_guild("Second", shard=(1 - shard_of(fake.guild.id, 2), 2))
    room = fake.add_channel(other, "chat")
    fake.add_member(other, fake.user)
    settings = {"shard_count": 2, "shard_ids": (0, 1), "dev_guild_ids": (fake.guild.id, other.id)}
    async with footnote(discord=settings) as bot:
        await fake.wait_until_ready(shard_ids=[0, 1])
        assert sorted(identify.shard for identify in fake.gateway.identifies) == [(0, 2), (1, 2)]
        assert bot.shard_count == 2
        for channel in (fake.channel, room):
            await fake.send_message(channel, fake.user, f"{fake.bot.mention} glm license?")
            reply = await fake.wait_for_request("POST", rf"/channels/{channel.id}/messages")
            assert "MIT" in reply.json["embeds"][0]["description"]


SIGTERM_GRACE_S = 30
"""How long a stopping bot may take: generous, since CI machines are shared."""


async def stopped_by_sigterm(process: asyncio.subprocess.Process) -> str:
    """Sends SIGTERM as a service manager does and waits for the exit: what it logged."""
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=SIGTERM_GRACE_S)
    return stderr.decode()


async def killed_if_running(process: asyncio.subprocess.Process) -> None:
    """Leaves no process behind, whatever the test's outcome."""
    if process.returncode is None:
        process.kill()
        await process.wait()


async def test_footnote_run_serves_until_sigterm_then_exits_cleanly(fake_discord, tmp_path):
    fake = fake_discord
    config = fake_discord_config(tmp_path, fake, "data/feedback.db")
    process = await footnote_run(config, fake.token)
    try:
        await fake.wait_until_ready(timeout=30)
        await fake.wait_for_request("PUT", r"/applications/\d+/guilds/\d+/commands", timeout=30)
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} kimi price?")
        reply = await fake.wait_for_request(
            "POST", rf"/channels/{fake.channel.id}/messages", timeout=15
        )
        assert "RMB 39" in reply.json["embeds"][0]["description"]
        log = await stopped_by_sigterm(process)
    finally:
        await killed_if_running(process)
    assert process.returncode == 0, log
    assert f"loaded {BUNDLED_COUNTS}; commands synced to guild" in log
    assert fake.token not in log
    assert Path(tmp_path / "data" / "feedback.db").exists()
    assert "Traceback" not in log


async def test_footnote_run_refuses_a_bad_token_in_one_line(fake_discord, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"discord:\n  api_base: {fake_discord.api_base}\n", encoding="utf-8")
    process = await footnote_run(config, "wrong-token")
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    lines = stderr.decode().strip().splitlines()
    assert process.returncode == 2
    assert lines[-1].startswith("footnote: Discord rejected the token in $DISCORD_TOKEN;")
    assert "Traceback" not in stderr.decode()
    assert "wrong-token" not in stderr.decode()


async def footnote_run_with(
    tmp_path: Path, config: str, token: str, *options: str
) -> tuple[int, list[str]]:
    """`footnote run` with this config to its end: the exit code and the lines of stderr."""
    path = tmp_path / "config.yaml"
    path.write_text(config + "storage:\n  enabled: false\n", encoding="utf-8")
    process = await footnote_run(path, token, *options)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    log = stderr.decode()
    assert "Traceback" not in log and token not in log, log
    assert process.returncode is not None
    return process.returncode, log.strip().splitlines()


async def test_footnote_run_says_in_one_line_that_discord_refused_the_connection(tmp_path):
    api_base = f"http://127.0.0.1:{closed_port()}/api/v10"
    code, lines = await footnote_run_with(
        tmp_path, f"discord:\n  api_base: {api_base}\n", "secret-token"
    )
    assert code == 1, "a supervisor may retry: Discord may come back"
    assert lines[-1] == f"footnote: cannot reach Discord at {api_base}: connection refused"


async def test_footnote_run_blames_api_base_for_a_404_and_asks_for_no_retry(
    fake_discord: FakeDiscord, tmp_path
):
    api_base = fake_discord.api_base + "/oops"
    code, lines = await footnote_run_with(
        tmp_path, f"discord:\n  api_base: {api_base}\n", fake_discord.token
    )
    assert code == 2, "only a change to the config helps"
    assert lines[-1] == (
        f"footnote: Discord at {api_base} answered 404 to /gateway/bot: is api_base right?"
    )


async def test_footnote_run_stops_cleanly_on_sigterm_while_discord_has_not_answered(
    silent_server: SilentServer, tmp_path
):
    config = tmp_path / "config.yaml"
    config.write_text(f"discord:\n  api_base: {silent_server.api_base}\n", encoding="utf-8")
    process = await footnote_run(config, "secret-token")
    try:
        await asyncio.wait_for(silent_server.connected.wait(), timeout=30)
        log = await stopped_by_sigterm(process)
    finally:
        await killed_if_running(process)
    assert process.returncode == 0, log
    assert "Traceback" not in log and "secret-token" not in log, log


async def test_footnote_run_warns_that_automatic_channels_need_message_content(tmp_path):
    api_base = f"http://127.0.0.1:{closed_port()}/api/v10"
    config = f"discord:\n  api_base: {api_base}\nanswering:\n  channels: [123]\n"
    _, lines = await footnote_run_with(tmp_path, config, "secret-token")
    assert any(
        "WARNING" in line
        and "answering.channels is set but discord.message_content is false" in line
        for line in lines
    ), lines


async def test_logs_off_a_terminal_are_plain_and_say_nothing_of_voice(tmp_path):
    api_base = f"http://127.0.0.1:{closed_port()}/api/v10"
    config = f"discord:\n  api_base: {api_base}\nanswering:\n  channels: [123]\n"
    _, lines = await footnote_run_with(tmp_path, config, "secret-token")
    assert any("WARNING" in line for line in lines), "the channels warning is logged"
    assert not any("\x1b[" in line for line in lines), lines
    assert not any("voice" in line for line in lines), lines


async def test_log_level_warning_leaves_out_info(tmp_path):
    api_base = f"http://127.0.0.1:{closed_port()}/api/v10"
    config = f"discord:\n  api_base: {api_base}\n"
    _, lines = await footnote_run_with(tmp_path, config, "secret-token", "--log-level", "ERROR")
    assert lines == [f"footnote: cannot reach Discord at {api_base}: connection refused"]


async def test_a_feedback_database_that_cannot_be_opened_stops_the_start(
    fake_discord: FakeDiscord, tmp_path: Path, discord_py_globals
):
    (tmp_path / "data").write_text("a file where the folder should be", encoding="utf-8")
    config = Config(
        discord=DiscordSettings(api_base=fake_discord.api_base),
        storage=StorageSettings(path="data/feedback.db"),
        base_dir=tmp_path,
    )
    with pytest.raises(FeedbackUnavailable) as raised:
        await run_bot(config, fake_discord.token, build_library(config))
    assert str(raised.value).startswith(
        f"storage.path: cannot use {tmp_path / 'data' / 'feedback.db'}: "
    )
    assert str(raised.value).endswith(
        "; fix it, or set storage.enabled: false to run without the feedback log"
    )
    assert not fake_discord.requests, "nothing is sent to Discord"


@pytest.mark.parametrize(
    ("shard_id", "max_concurrency", "delay"),
    [(None, 1, 0.0), (0, 1, 0.0), (1, 1, 5.0), (3, 1, 15.0), (3, 4, 0.0), (17, 16, 5.0)],
)
def test_a_process_waits_for_its_first_shards_turn_to_identify(
    shard_id: int | None, max_concurrency: int, delay: float
) -> None:
    assert first_identify_delay(shard_id, max_concurrency) == delay


async def test_identifies_are_staggered_first_by_turn_then_by_interval(monkeypatch) -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    process = SimpleNamespace(max_concurrency=1, identify_turns=None)
    await _Footnote.before_identify_hook(process, 2, initial=True)  # type: ignore[arg-type]
    await _Footnote.before_identify_hook(process, 3)  # type: ignore[arg-type]
    await _Footnote.before_identify_hook(process, 0, initial=True)  # type: ignore[arg-type]
    assert slept == [2 * IDENTIFY_INTERVAL_SECONDS, IDENTIFY_INTERVAL_SECONDS, 0.0]


async def test_a_shared_store_down_at_start_does_not_stop_the_bot(
    tmp_path: Path, discord_py_globals, caplog
):
    api_base = f"http://127.0.0.1:{closed_port()}/api/v10"
    config = Config(
        discord=DiscordSettings(api_base=api_base),
        storage=StorageSettings(url=f"postgresql://footnote@127.0.0.1:{closed_port()}/footnote"),
        base_dir=tmp_path,
    )
    with pytest.raises(DiscordUnavailable):  # past the feedback store, on to Discord
        await run_bot(config, "secret-token", build_library(config))
    skipped = [record for record in caplog.records if "shards not claimed" in record.message]
    assert [record.levelname for record in skipped] == ["WARNING"], "said once, not a refusal"


async def test_a_missing_database_password_is_one_line_before_connecting(tmp_path: Path):
    path = tmp_path / "config.yaml"
    path.write_text(
        "storage:\n  url: postgresql://footnote@127.0.0.1/footnote\n"
        "  password_env: FOOTNOTE_TEST_NO_SUCH_VARIABLE\n",
        encoding="utf-8",
    )
    process = await footnote_run(path, "secret-token")
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert stderr.decode().strip().splitlines() == [
        "footnote: no database password: set the environment variable "
        f"FOOTNOTE_TEST_NO_SUCH_VARIABLE (named by storage.password_env in {path})"
    ]
