"""The bot process: wiring config, knowledge and feedback into discord.py, then running it."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot.config import Config
from bot.discordbot.health import Monitoring
from bot.discordbot.metrics import Metrics
from bot.discordbot.probe import DiscordUnavailable, probe
from bot.discordbot.services import ChannelCooldown, Library, ReloadOutcome, UserRateLimit
from bot.discordbot.several import (
    IDENTIFY_INTERVAL_SECONDS,
    CoordinationUnavailable,
    IdentifyTurns,
    ShardClaims,
    ShardsClaimed,
    SharedConnection,
    shards_of,
)
from bot.discordbot.ui.catalogue import CatalogueTranslator, words_for
from bot.discordbot.ui.replies import send_private
from bot.discordbot.ui.views import BUTTONS
from bot.engine import Conversations, MatchSettings
from bot.engine.cards import curated
from bot.feedback import FeedbackStore, FeedbackUnavailable
from bot.library import default_cache_dir

log = logging.getLogger(__name__)

C = TypeVar("C")
EXTENSIONS = (
    "bot.discordbot.exts.ask",
    "bot.discordbot.exts.summaries",
    "bot.discordbot.exts.admin",
    "bot.discordbot.exts.curation",
    "bot.discordbot.exts.watch",
    "bot.discordbot.exts.retention",
)


def first_identify_delay(shard_id: int | None, max_concurrency: int) -> float:
    """How long a process waits before its first shard identifies: the turn that shard has in
    its bucket (`shard_id % max_concurrency`) when every process starts at once, so processes
    that each run some of the shards do not all identify in the same moment and get refused.
    A process that runs shard 0, or no shards, starts at once."""
    return (shard_id or 0) // max(max_concurrency, 1) * IDENTIFY_INTERVAL_SECONDS


def use_api_base(api_base: str) -> None:
    """Sends every REST call, interaction webhooks included, to the configured Discord."""
    discord.http.Route.BASE = api_base.rstrip("/")


class _NoVoice(logging.Filter):
    """Drops discord.py's start-up warnings that voice is unsupported: a text bot needs none."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "voice will NOT be supported" not in record.getMessage()


def quiet_voice_warnings() -> None:
    """Keeps the voice warnings out of the host's logs, where they look like a fault."""
    logging.getLogger("discord.client").addFilter(_NoVoice())


def intents_for(config: Config) -> discord.Intents:
    """Only what the features need: guild messages for mentions, content only if asked for."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = config.answering.answer_dms
    intents.message_content = config.discord.message_content
    return intents


class _Footnote:
    """What every Footnote bot has and does at start, sharded or not."""

    config: Config
    library: Library
    feedback: FeedbackStore | None
    channel_cooldown: ChannelCooldown
    user_rate: UserRateLimit
    conversations: Conversations
    synced_to: list[str]
    metrics: Metrics
    monitoring: Monitoring | None
    """The health and metrics endpoint, while it is served (metrics.listen)."""
    clock: Callable[[], float]
    """Wall-clock time for what follows the calendar, the weekly digest; tests set their own."""
    identify_turns: IdentifyTurns | None
    """Turns to identify taken with the other processes of a shared store, if there is one."""

    def _init_footnote(
        self, config: Config, library: Library, feedback: FeedbackStore | None
    ) -> None:
        self.config = config
        self.library = library
        self.feedback = feedback
        answering = config.answering
        self.channel_cooldown = ChannelCooldown(answering.channel_cooldown_seconds)
        self.user_rate = UserRateLimit(answering.user_rate_count, answering.user_rate_seconds)
        self.conversations = Conversations(answering.follow_up_seconds)
        self.synced_to = []
        self.metrics = Metrics(bot_of(self))
        self.monitoring = None
        self.clock = time.time
        self.identify_turns = None
        self.max_concurrency = 1
        """Discord's sessions started at once per five seconds, read at start (GET /gateway/bot)."""

    async def on_message(self, message: discord.Message) -> None:
        """Chat is handled by the Ask feature; there are no prefix commands to process."""

    async def reload_knowledge(self) -> ReloadOutcome:
        """Reloads this process's knowledge from its own files, counted for /metrics, whoever
        asked: a command, another process, or a file that changed."""
        outcome = await self.library.reload()
        self.metrics.reloaded(outcome.ok)
        return outcome

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Staggers identifies across processes: by turns taken through the shared store, or
        without one (or while it is down) the first waits for its shard's turn in its bucket
        (see `first_identify_delay`), each later one the interval, as discord.py does."""
        turns = self.identify_turns
        if turns is not None and await turns.take(shard_id or 0, self.max_concurrency):
            return
        if initial:
            delay = first_identify_delay(shard_id, self.max_concurrency)
            if delay:
                log.info("shard %s identifies in %.0f s, its turn among shards", shard_id, delay)
        else:
            delay = IDENTIFY_INTERVAL_SECONDS
        await asyncio.sleep(delay)

    async def _footnote_setup(self, bot: commands.Bot | commands.AutoShardedBot) -> None:
        """Points the gateway at {api_base}/gateway/bot, loads features and buttons, syncs."""
        _, url, session_limit = await bot.http.get_bot_gateway()
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        self.max_concurrency = int(session_limit.get("max_concurrency") or 1)
        for extension in EXTENSIONS:
            await bot.load_extension(extension)
        bot.add_dynamic_items(*BUTTONS)
        await bot.tree.set_translator(CatalogueTranslator())
        bot.tree.error(self._on_app_command_error)
        discord_settings = self.config.discord
        if not discord_settings.sync_commands:
            self.synced_to = ["nowhere (sync_commands is off)"]
        elif discord_settings.shard_ids is not None and 0 not in discord_settings.shard_ids:
            self.synced_to = ["nowhere (the process running shard 0 syncs them)"]
        else:
            await self._sync(bot)
        knowledge = self.library.knowledge
        log.info(
            "loaded %d sources, %d topics, %d facts; commands synced to %s",
            len(knowledge.sources),
            len(knowledge.topics),
            len(curated(knowledge)),
            ", ".join(self.synced_to),
        )
        address = self.config.metrics.address
        if address is not None:
            monitoring = Monitoring(bot_of(bot), *address)
            if await monitoring.start():
                self.monitoring = monitoring

    async def _footnote_close(self) -> None:
        """Stops the health and metrics endpoint first: a bot shutting down is not healthy."""
        if self.monitoring is not None:
            await self.monitoring.stop()

    async def _sync(self, bot: commands.Bot | commands.AutoShardedBot) -> None:
        """Syncs commands to the dev guilds (instant) or globally, skipping each scope whose
        commands are as this machine last synced them: every sync is a request Discord limits."""
        guild_ids = self.config.discord.dev_guild_ids
        scopes: list[discord.Object | None] = [discord.Object(id=g) for g in guild_ids] or [None]
        for guild in scopes:
            where = f"guild {guild.id}" if guild is not None else "all guilds (global)"
            if guild is not None:
                bot.tree.copy_global_to(guild=guild)
            # As sync sends them, localisations included: a changed catalogue is synced anew.
            translator = bot.tree.translator
            assert translator is not None, "set before syncing"
            payload = [
                await command.get_translated_payload(bot.tree, translator)
                for command in bot.tree.get_commands(guild=guild)
            ]
            digest = hashlib.sha256(
                json.dumps([self.config.discord.api_base, payload], sort_keys=True).encode()
            ).hexdigest()
            record = (
                default_cache_dir()
                / f"commands-{bot.application_id}-{guild.id if guild else 'global'}"
            )
            if _read_text(record) == digest:
                self.synced_to.append(f"{where} (unchanged, not sent again)")
                continue
            await bot.tree.sync(guild=guild)
            self.synced_to.append(where)
            try:
                record.parent.mkdir(parents=True, exist_ok=True)
                record.write_text(digest, encoding="ascii")
            except OSError as error:
                log.warning("could not record the commands synced: %s", error)

    async def _on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Any failure in a command: a private apology for the user, a log line for the host."""
        words = words_for(interaction.locale)
        if isinstance(error, app_commands.CheckFailure):
            message = words("replies.not_allowed")
        else:
            log.error(
                "command %r failed", getattr(interaction.command, "name", "?"), exc_info=error
            )
            message = words("replies.apology")
        await send_private(interaction, message)


def _read_text(path: Path) -> str | None:
    """A small file's text, or None if it cannot be read."""
    try:
        return path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None


def readable_everywhere(command: C) -> C:
    """For commands that only show the knowledge: usable in servers, DMs and group DMs, and
    installable by a member for their own use as well as by a server."""
    in_contexts = app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    return app_commands.allowed_installs(guilds=True, users=True)(in_contexts(command))


class FootnoteBot(_Footnote, commands.Bot):
    """One process, one gateway connection."""

    def __init__(
        self, config: Config, library: Library, feedback: FeedbackStore | None, **options: Any
    ) -> None:
        super().__init__(**_client_options(config), **options)
        self._init_footnote(config, library, feedback)

    async def setup_hook(self) -> None:
        await self._footnote_setup(self)

    async def close(self) -> None:
        await self._footnote_close()
        await super().close()


class ShardedFootnoteBot(_Footnote, commands.AutoShardedBot):
    """Runs the configured shards, so several processes or machines can split a large bot."""

    def __init__(
        self, config: Config, library: Library, feedback: FeedbackStore | None, **options: Any
    ) -> None:
        # discord.py runs every shard when shard_ids is left out; its types reject passing None.
        shards: dict[str, Any] = {"shard_count": config.discord.shard_count}
        if config.discord.shard_ids:
            shards["shard_ids"] = list(config.discord.shard_ids)
        super().__init__(**_client_options(config), **shards, **options)
        self._init_footnote(config, library, feedback)

    async def setup_hook(self) -> None:
        await self._footnote_setup(self)

    async def close(self) -> None:
        await self._footnote_close()
        await super().close()


def _client_options(config: Config) -> dict[str, Any]:
    """What both bot classes are built with: minimal intents and no pings by default."""
    return {
        "command_prefix": commands.when_mentioned,
        "intents": intents_for(config),
        "allowed_mentions": discord.AllowedMentions.none(),
        "help_command": None,
    }


AnyBot = FootnoteBot | ShardedFootnoteBot


def create_bot(
    config: Config, library: Library, feedback: FeedbackStore | None, **options: Any
) -> AnyBot:
    """The plain bot, or the sharded one when shards are configured; options go to discord.py."""
    if config.discord.shard_count is not None:
        return ShardedFootnoteBot(config, library, feedback, **options)
    return FootnoteBot(config, library, feedback, **options)


def build_library(config: Config) -> Library:
    """The knowledge to serve, with the configured thresholds."""
    answering = config.answering
    settings = MatchSettings(
        answer_at=answering.answer_at,
        probable_at=answering.probable_at,
        automatic_at=answering.automatic_at,
    )
    return Library(config.knowledge_paths(), settings, default_cache_dir())


SHUTDOWN_GRACE_SECONDS = 5.0
"""How long a signal waits for answers and votes already being handled before disconnecting."""
HANDLER_TASKS = (
    "discord.py: ",
    "CommandTree-invoker",
    "discord-ui-dynamic-item-",
    "discord-ui-view-dispatch-",
)
"""discord.py's names for the tasks that run event handlers, commands and buttons."""


async def shut_down(bot: AnyBot, feedback: FeedbackStore | None) -> None:
    """Writes pending feedback and lets the replies waiting on it go out, then disconnects."""
    if feedback is not None:
        await feedback.close()
    busy = {task for task in asyncio.all_tasks() if task.get_name().startswith(HANDLER_TASKS)}
    if busy:
        await asyncio.wait(busy, timeout=SHUTDOWN_GRACE_SECONDS)
    await bot.close()


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


async def run_bot(config: Config, token: str, library: Library) -> None:
    """Runs until SIGTERM/SIGINT or a fatal error, then flushes feedback and disconnects.

    A signal stops it cleanly at any point, even while Discord has not answered yet.
    """
    use_api_base(config.discord.api_base)
    feedback = None
    shared = None
    claims = None
    if config.storage.enabled:
        feedback = FeedbackStore(
            config.storage_target(),
            config.storage.retention_days,
            password=config.storage_password(),
        )
        opened = await feedback.open()
        if not opened and config.storage.url is None:
            await feedback.close()
            raise FeedbackUnavailable(
                f"storage.path: cannot use {feedback.where}: {feedback.problem}; fix it, or set "
                "storage.enabled: false to run without the feedback log"
            )
        # A shared server that is down is not the host's mistake: the bot answers meanwhile,
        # feedback says it is unavailable, and the store reconnects when the server is back.
        if config.storage.url is not None:
            shared = SharedConnection(config.storage.url, config.storage_password())
            try:
                claims = await _claim_shards(config, shared, opened)
            except ShardsClaimed:
                await shared.close()
                await feedback.close()
                raise
    bot = create_bot(config, library, feedback)
    if shared is not None:
        bot.identify_turns = IdentifyTurns(shared)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop.set)
    try:
        async with bot:
            serving = asyncio.create_task(_serve(bot, config, token))
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not serving.done():
                await shut_down(bot, feedback)
                serving.cancel()
                with contextlib.suppress(asyncio.CancelledError, DiscordUnavailable):
                    await serving
                return
            serving.result()
    finally:
        for signum in STOP_SIGNALS:
            loop.remove_signal_handler(signum)
        if claims is not None:
            await claims.release()
        if bot.identify_turns is not None:
            await bot.identify_turns.close()
        if shared is not None:
            await shared.close()
        if feedback is not None:
            await feedback.close()


async def _claim_shards(config: Config, shared: SharedConnection, opened: bool) -> ShardClaims:
    """Claims this process's shards in the shared store and keeps them claimed; ShardsClaimed if
    another live process runs some. A store down at start (not opened, so its table may not
    exist yet) leaves the claim to the heartbeat, in one line: the bot still starts, and claims
    its shards once the store is back (a clash then is logged, as one found on renewing is)."""
    shard_ids, shard_count = shards_of(config)
    claims = ShardClaims(shared, shard_ids, shard_count)
    try:
        if not opened:
            raise CoordinationUnavailable("the shared store is unavailable")
        await claims.claim()
    except CoordinationUnavailable as error:
        log.warning(
            "shards not claimed yet, so not checked against other processes: %s; claiming them"
            " once the store is back",
            error,
        )
    claims.start_heartbeat()
    return claims


async def _serve(bot: AnyBot, config: Config, token: str) -> None:
    """Asks Discord once, then runs discord.py; its failures become one DiscordUnavailable line."""
    api_base = config.discord.api_base
    await probe(api_base, token, bot.http.user_agent, config.discord.connect_timeout_seconds)
    try:
        await bot.start(token)
    except (discord.LoginFailure, discord.PrivilegedIntentsRequired):
        raise
    except discord.HTTPException as error:
        raise DiscordUnavailable(
            f"Discord at {api_base} failed: {error.status} {error.text or error.response.reason}",
            settings_wrong=False,
        ) from None
    except (discord.DiscordException, aiohttp.ClientError, OSError) as error:
        raise DiscordUnavailable(
            f"lost Discord at {api_base}: {error or type(error).__name__}", settings_wrong=False
        ) from None


def bot_of(client: Any) -> AnyBot:
    """The Footnote bot behind an interaction or context, typed for the features."""
    assert isinstance(client, FootnoteBot | ShardedFootnoteBot)
    return client
