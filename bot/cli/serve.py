"""`footnote run`: starts the Discord bot from a config file."""

from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path

from bot.cli.commands import CliError, invalid_knowledge
from bot.config import ConfigError, load_config
from bot.knowledge import KnowledgeError

log = logging.getLogger(__name__)


def run(args: argparse.Namespace) -> int:
    """Checks config, token and knowledge before connecting, so each failure is one clear line."""
    import discord

    from bot.discordbot.client import build_library, run_bot
    from bot.discordbot.probe import DiscordUnavailable

    try:
        config = load_config(Path(args.config) if args.config else None)
        token = config.token()
    except ConfigError as error:
        raise CliError(str(error)) from None
    discord.utils.setup_logging(level=logging.INFO)
    for warning in config.warnings():
        log.warning("%s", warning)
    try:
        library = build_library(config)
    except KnowledgeError as error:
        raise invalid_knowledge(error) from None
    try:
        asyncio.run(run_bot(config, token, library))
    except discord.LoginFailure:
        raise CliError(
            f"Discord rejected the token in ${config.discord.token_env}; check it in the "
            "Developer Portal"
        ) from None
    except DiscordUnavailable as error:
        raise CliError(str(error), exit_code=2 if error.settings_wrong else 1) from None
    except discord.PrivilegedIntentsRequired:
        raise CliError(
            "Discord refused the message-content intent: enable it in the Developer Portal "
            "or set discord.message_content: false"
        ) from None
    return 0
