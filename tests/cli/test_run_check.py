"""`footnote run --check`: config and knowledge validated, what would run printed, no token."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import serve
from bot.cli.main import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)


def test_check_prints_what_would_run_without_a_token(capsys, tmp_path: Path, no_token) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "discord:\n  shard_count: 4\n  shard_ids: [1, 3]\n  dev_guild_ids: [42]\n"
        "answering:\n  channels: [7]\nstorage:\n  path: data/fn.db\n"
        "metrics:\n  listen: 127.0.0.1:9108\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "run", "--check", "--config", str(config))
    assert (code, err) == (0, "")
    lines = dict(line.split(":", 1) for line in out.splitlines())
    assert lines["shards"].strip() == "1, 3 of 4"
    assert lines["commands"].strip() == "synced by the process running shard 0, not this one"
    assert lines["intents"].strip() == "guilds, guild_messages"
    assert lines["answering"].strip() == (
        "mentions on, DMs off, automatic channels: 7, automatic forums: none"
    )
    assert lines["storage"].strip() == f"{tmp_path / 'data' / 'fn.db'}, kept 90 days"
    assert lines["metrics"].strip() == "http://127.0.0.1:9108/health and /metrics"
    assert lines["warning"].strip().startswith("answering.channels is set but")
    assert lines["knowledge"].strip().endswith("from the bundled knowledge")


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        ("discord:\n  shard_count: 0\n", "discord.shard_count: must be at least 1"),
        ("knowledge:\n  paths: [nowhere]\n", "invalid knowledge: "),
    ],
)
def test_check_fails_in_one_line_with_exit_2(
    capsys, tmp_path: Path, no_token, config: str, problem: str
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(config, encoding="utf-8")
    code, out, err = run(capsys, "run", "--check", "--config", str(path))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and problem in err


def test_a_missing_token_does_not_hide_invalid_knowledge(
    capsys, tmp_path: Path, no_token, monkeypatch
) -> None:
    monkeypatch.setattr(serve, "_set_up_logging", lambda level: None, raising=False)
    path = tmp_path / "config.yaml"
    path.write_text("knowledge:\n  paths: [nowhere]\n", encoding="utf-8")
    code, _, err = run(capsys, "run", "--config", str(path))
    assert code == 2
    assert (
        err == f"footnote: invalid knowledge: {tmp_path / 'nowhere'}: no such file or directory\n"
    )
