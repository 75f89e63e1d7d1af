"""`footnote run`: starts the Discord bot from a config file; --check says what would run."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.cli.commands import CliError, invalid_knowledge
from bot.config import Config, ConfigError, load_config
from bot.engine.cards import curated
from bot.knowledge import KnowledgeBase, KnowledgeError

log = logging.getLogger(__name__)

PLAIN_LOG_FORMAT = logging.Formatter(
    "[{asctime}] [{levelname:<8}] {name}: {message}", "%Y-%m-%d %H:%M:%S", style="{"
)
"""discord.py's own layout without its colour codes, which garble log files and journals."""


def run(args: argparse.Namespace) -> int:
    """Checks config, knowledge and token before connecting, so each failure is one clear line;
    with --check, stops there and prints what would run, needing no token."""
    import discord

    from bot.discordbot.client import build_library, run_bot
    from bot.discordbot.probe import DiscordUnavailable
    from bot.discordbot.several import ShardsClaimed
    from bot.feedback import FeedbackUnavailable

    try:
        config = load_config(Path(args.config) if args.config else None)
    except ConfigError as error:
        raise CliError(str(error)) from None
    if not args.check:
        _set_up_logging(args.log_level)
        for warning in config.warnings():
            log.warning("%s", warning)
    try:
        library = build_library(config)
    except KnowledgeError as error:
        raise invalid_knowledge(error) from None
    if args.check:
        print(plan(config, library.knowledge))
        return 0
    try:
        token = config.token()
        config.storage_password()  # here, so a missing one is one line before connecting
    except ConfigError as error:
        raise CliError(str(error)) from None
    try:
        asyncio.run(run_bot(config, token, library))
    except discord.LoginFailure:
        raise CliError(
            f"Discord rejected the token in ${config.discord.token_env}; check it in the "
            "Developer Portal"
        ) from None
    except FeedbackUnavailable as error:
        raise CliError(str(error)) from None
    except ShardsClaimed as error:  # a deployment mistake: restarting only meets it again
        raise CliError(str(error)) from None
    except DiscordUnavailable as error:
        raise CliError(str(error), exit_code=2 if error.settings_wrong else 1) from None
    except discord.PrivilegedIntentsRequired:
        raise CliError(
            "Discord refused the message-content intent: enable it in the Developer Portal "
            "or set discord.message_content: false"
        ) from None
    return 0


def _set_up_logging(level: str) -> None:
    """discord.py's logging at the chosen level, in colour only on a terminal, and without its
    warnings about voice, which a text bot never uses."""
    import discord

    from bot.discordbot.client import quiet_voice_warnings

    plain = not sys.stderr.isatty()
    discord.utils.setup_logging(
        level=logging.getLevelName(level),
        formatter=PLAIN_LOG_FORMAT if plain else discord.utils.MISSING,
    )
    quiet_voice_warnings()


def plan(config: Config, knowledge: KnowledgeBase) -> str:
    """What `footnote run` would do with this config, for a host to check before deploying."""
    from bot.discordbot.client import intents_for

    discord, answering, storage = config.discord, config.answering, config.storage
    intents = ", ".join(name for name, on in intents_for(config) if on)
    if discord.shard_count is None:
        shards = "as many as Discord recommends, all in this process"
    else:
        ids = discord.shard_ids or range(discord.shard_count)
        shards = f"{', '.join(map(str, ids))} of {discord.shard_count}"
    if not discord.sync_commands:
        commands = "not synced (sync_commands: false)"
    elif discord.shard_ids is not None and 0 not in discord.shard_ids:
        commands = "synced by the process running shard 0, not this one"
    elif discord.dev_guild_ids:
        commands = "synced to guilds " + ", ".join(map(str, discord.dev_guild_ids))
    else:
        commands = "synced globally"
    channels = ", ".join(map(str, answering.channels)) or "none"
    forums = ", ".join(map(str, answering.forums)) or "none"
    paths = ", ".join(map(str, config.knowledge_paths())) or "the bundled knowledge"
    lines = [
        f"config:     {config.source or 'none (every default)'}",
        f"knowledge:  {len(knowledge.sources)} sources, {len(knowledge.topics)} topics, "
        f"{len(curated(knowledge))} facts from {paths}",
        f"discord:    {discord.api_base}, token from ${discord.token_env}",
        f"intents:    {intents}",
        f"shards:     {shards}",
        f"commands:   {commands}",
        f"answering:  mentions {'on' if answering.on_mention else 'off'}, "
        f"DMs {'on' if answering.answer_dms else 'off'}, automatic channels: {channels}, "
        f"automatic forums: {forums}",
        "storage:    "
        + (
            f"{config.storage_target()}, kept {storage.retention_days} days"
            if storage.enabled
            else "off"
        ),
        "metrics:    "
        + (
            f"http://{config.metrics.listen}/health and /metrics"
            if config.metrics.listen is not None
            else "off"
        ),
        *(f"warning:    {warning}" for warning in config.warnings()),
    ]
    return "\n".join(lines)
