"""FakeDiscord: a loopback Discord, REST and gateway, that a real unmodified discord.py client talks
to, and that end-to-end tests script and inspect."""

from __future__ import annotations

import asyncio
import copy
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, Self, TypeVar

from aiohttp import web

from .gateway import Gateway
from .models import (
    ChannelType,
    FakeChannel,
    FakeUser,
    Intent,
    InteractionRecord,
    Overwrite,
    Perm,
    World,
)
from .payloads import (
    channel_payload,
    command_data,
    command_ref,
    interaction_payload,
    new_message,
    reply_fields,
    resolve_user,
)
from .recording import Fault, Notifier, RecordedRequest, RequestLog
from .rest import API_PREFIX, RestApi

T = TypeVar("T")
Json = dict[str, Any]

COMMAND_KINDS = {1: "slash", 2: "user", 3: "message"}


class FakeDiscord(World):
    """Discord on 127.0.0.1 for one test: a default guild to start from, helpers to script events,
    and a record of every request the bot made."""

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        bot_name: str = "Footnote",
        bot_id: int | None = None,
        application_id: int | None = None,
        heartbeat_interval_ms: int = 1000,
        recommended_shards: int = 1,
        interaction_deadline: float = 3.0,
    ) -> None:
        super().__init__(bot_name=bot_name, bot_id=bot_id, application_id=application_id)
        self.token = token
        self._notifier = Notifier()
        self._requests = RequestLog(self._notifier)
        self.gateway = Gateway(
            self, token=token, heartbeat_interval_ms=heartbeat_interval_ms, notifier=self._notifier
        )
        self._rest = RestApi(
            self,
            self.gateway,
            self._requests,
            token=token,
            recommended_shards=recommended_shards,
            interaction_deadline=interaction_deadline,
        )
        self._runner: web.AppRunner | None = None
        self._base_url = ""
        self.guild = self.add_guild("Footnote Test Server")
        self.user = self.add_user("alice", global_name="Alice")
        self.add_member(self.guild, self.user)
        self.moderator_role = self.add_role(
            self.guild, "Moderator", Perm.MANAGE_MESSAGES | Perm.MANAGE_GUILD
        )
        self.moderator = self.add_user("morgan", global_name="Morgan")
        self.add_member(self.guild, self.moderator, roles=[self.moderator_role])
        self.channel = self.add_channel(self.guild, "general", topic="Ask away")
        self.no_send_channel = self.add_channel(
            self.guild,
            "announcements",
            overwrites=[Overwrite.for_member(self.bot, deny=Perm.SEND_MESSAGES)],
        )

    # Lifecycle.

    async def start(self) -> None:
        """Binds REST and gateway on a free port of 127.0.0.1."""
        app = web.Application()
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/gateway/resume", self.gateway.handle)
        app.router.add_route("*", "/{tail:.*}", self._rest.handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self._base_url = f"http://127.0.0.1:{port}"
        self.gateway.url = f"ws://127.0.0.1:{port}/gateway"
        self.gateway.resume_gateway_url = f"ws://127.0.0.1:{port}/gateway/resume"

    async def stop(self) -> None:
        """Closes every websocket and the server; safe to call twice."""
        if self._runner is None:
            return
        await self.gateway.stop()
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> Self:
        """Starts the fake for an async with block."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stops the fake however the block ended."""
        await self.stop()

    @property
    def api_base(self) -> str:
        """What discord.http.Route.BASE must be set to, e.g. http://127.0.0.1:PORT/api/v10."""
        if not self._base_url:
            raise RuntimeError("FakeDiscord is not started; await fake.start() first")
        return self._base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """The websocket URL /gateway/bot hands out."""
        return self.gateway.url

    # Requests and faults.

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every REST request so far, in the order they were answered."""
        return self._requests.requests

    @property
    def unhandled_requests(self) -> list[RecordedRequest]:
        """Requests for routes the fake does not know (answered 404): what a test may be missing."""
        return [r for r in self._requests.requests if r.unhandled]

    def fail_next(
        self,
        method: str,
        path_pattern: str,
        status: int = 429,
        *,
        retry_after: float = 0.05,
        global_: bool = False,
        times: int = 1,
        code: int | None = None,
        message: str | None = None,
    ) -> None:
        """Answers the next `times` matching requests with an error instead of handling them.

        path_pattern is a regex that must match the whole path after /api/v10. 429s carry
        Discord's headers and body; 403 defaults to code 50013 (pass code=50001 for Missing
        Access); 502 comes as Cloudflare's HTML page.
        """
        self._requests.add_fault(
            Fault(
                method=method.upper(),
                pattern=re.compile(path_pattern),
                status=status,
                retry_after=retry_after,
                global_=global_,
                times=times,
                code=code,
                message=message,
            )
        )

    async def wait_for_request(
        self,
        method: str,
        path_regex: str,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        *,
        status: int | None = None,
        timeout: float = 5.0,
    ) -> RecordedRequest:
        """The earliest matching request not returned by an earlier call, waiting if needed.

        path_regex must match the whole path after /api/v10; each request is handed out once,
        so successive calls walk through repeated requests in order.
        """
        return await self._requests.wait_for(
            method, path_regex, predicate=predicate, status=status, timeout=timeout
        )

    async def wait_until(
        self,
        predicate: Callable[[], T | None],
        *,
        timeout: float = 5.0,
        message: str = "condition",
    ) -> T:
        """Waits for any condition, on the fake or the client, re-checked whenever a request or
        frame arrives and at least every 50 ms; fails the test with `message` on timeout."""
        return await self._notifier.wait_until(
            predicate, timeout=timeout, describe=lambda: f"{message} not met within {timeout}s"
        )

    async def wait_until_ready(
        self, *, timeout: float = 5.0, shard_ids: Iterable[int] | None = None
    ) -> None:
        """Waits until the bot has IDENTIFYed on every shard and been sent all GUILD_CREATEs.

        discord.py itself fires on_ready only guild_ready_timeout (default 2 s) later.
        """
        wanted = list(shard_ids) if shard_ids is not None else None
        await self.wait_until(
            lambda: self.gateway.is_ready(wanted), timeout=timeout, message="gateway ready"
        )

    def interaction_responses(self, interaction_id: int) -> list[RecordedRequest]:
        """The callback, follow-ups and edits the bot sent for one interaction, in order."""
        return [r for r in self._requests.requests if r.interaction_id == interaction_id]

    # Scripting what users do.

    async def send_message(
        self,
        channel: FakeChannel,
        author: FakeUser,
        content: str,
        *,
        reply_to: int | None = None,
        embeds: Sequence[Json] = (),
    ) -> int:
        """A user posts a message: stored, then MESSAGE_CREATE as Discord would send it.

        Mentions come from the content (<@id>, <@&id>); without the MESSAGE_CONTENT intent the
        bot gets empty content unless it is mentioned, as on Discord. Returns the message id.
        """
        self._check_member(channel, author)
        if channel.type == ChannelType.FORUM:
            raise ValueError(f"#{channel.name} is a forum: messages go in posts (create_thread)")
        extra: Json = {}
        if reply_to is not None:
            extra |= reply_fields(self.messages[reply_to], channel.guild_id)
        kind = 19 if reply_to is not None else 0
        message = self._store(channel, author, content, embeds, type=kind, extra=extra)
        await self.gateway.dispatch_message("MESSAGE_CREATE", message)
        return int(message["id"])

    async def create_thread(
        self, parent: FakeChannel, owner: FakeUser, name: str, content: str | None = None
    ) -> FakeChannel:
        """A member opens a thread in a text channel, or a post in a forum with its first
        message: THREAD_CREATE (newly_created) if the bot sees the parent, then, for a post, the
        first message's MESSAGE_CREATE, whose id is the post's, as Discord sends them."""
        self._check_member(parent, owner)
        if (parent.type == ChannelType.FORUM) != (content is not None):
            raise ValueError("a forum post starts with a message; a thread starts empty")
        thread = self.add_thread(parent, name, owner)
        first = None
        if content is not None:  # stored first: a post is made with its message, at once
            first = self._store(thread, owner, content, extra={"id": str(thread.id)})
        if self.permissions_in(parent, self.bot.id) & Perm.VIEW_CHANNEL:
            created = channel_payload(thread) | {"newly_created": True}
            await self.gateway.dispatch(
                "THREAD_CREATE", created, channel=thread, intent=Intent.GUILDS
            )
        if first is not None:
            await self.gateway.dispatch_message("MESSAGE_CREATE", first)
        return thread

    def _check_member(self, channel: FakeChannel, author: FakeUser) -> None:
        """Only a guild's members post in its channels."""
        guild = self.guild_of(channel)
        if guild is not None and author.id not in guild.members:
            raise ValueError(f"{author.username} is not a member of {guild.name}")

    def _store(
        self,
        channel: FakeChannel,
        author: FakeUser,
        content: str,
        embeds: Sequence[Json] = (),
        *,
        type: int = 0,
        extra: Json,
    ) -> Json:
        """A user's message, kept in the channel."""
        message = new_message(
            self,
            channel,
            author,
            content=content,
            embeds=embeds,
            type=type,
            extra={"nonce": str(self.ids.next())} | extra,
        )
        self.messages[int(message["id"])] = message
        return message

    def _command(self, name: str, kind: int, channel: FakeChannel) -> Json:
        """The registered command a user in this channel would invoke, or a clear error."""
        command = self.find_command(name, kind, channel.guild_id)
        if command is None:
            known = [c["name"] for scope in self.commands.values() for c in scope]
            raise LookupError(
                f"no {COMMAND_KINDS[kind]} command {name!r} registered for this channel; "
                f"has the bot synced its commands? registered: {known}"
            )
        return command

    def slash(
        self,
        command: str,
        options: Mapping[str, Any] | None = None,
        *,
        user: FakeUser | None = None,
        channel: FakeChannel | None = None,
        locale: str = "en-US",
    ) -> Json:
        """A slash command invocation; "group sub" names reach subcommands.

        Options are typed by the synced command: pass str/int/float/bool, or a FakeUser,
        FakeRole or FakeChannel for those option types (they land in resolved).
        """
        return self._chat_input(2, command, options or {}, user, channel, locale=locale)

    def autocomplete(
        self,
        command: str,
        options: Mapping[str, Any],
        *,
        focused: str,
        user: FakeUser | None = None,
        channel: FakeChannel | None = None,
        locale: str = "en-US",
    ) -> Json:
        """An autocomplete request while the user types into the `focused` option."""
        return self._chat_input(4, command, options, user, channel, focused=focused, locale=locale)

    def _chat_input(
        self,
        interaction_type: int,
        command: str,
        options: Mapping[str, Any],
        user: FakeUser | None,
        channel: FakeChannel | None,
        *,
        focused: str | None = None,
        locale: str = "en-US",
    ) -> Json:
        """A slash command's interaction (2) or an autocomplete request for it (4)."""
        root, *path = command.split()
        user, channel = user or self.user, channel or self.channel
        data = command_data(
            self,
            self._command(root, 1, channel),
            path=path,
            options=options,
            channel=channel,
            user=user,
            focused=focused,
        )
        return interaction_payload(
            self, type=interaction_type, user=user, channel=channel, data=data, locale=locale
        )

    def message_command(self, name: str, message_id: int, *, user: FakeUser | None = None) -> Json:
        """A message context-menu command on a stored message, with resolved.messages."""
        target = self.messages[message_id]
        channel = self.channels[int(target["channel_id"])]
        data = command_ref(self._command(name, 3, channel))
        data.update(
            target_id=str(message_id),
            resolved={"messages": {str(message_id): copy.deepcopy(target)}},
        )
        return interaction_payload(self, type=2, user=user or self.user, channel=channel, data=data)

    def user_command(
        self,
        name: str,
        target: FakeUser,
        *,
        user: FakeUser | None = None,
        channel: FakeChannel | None = None,
    ) -> Json:
        """A user context-menu command on target, with resolved users and members."""
        user, channel = user or self.user, channel or self.channel
        data = command_ref(self._command(name, 2, channel))
        resolved: Json = {}
        resolve_user(self, target, channel, resolved)
        data.update(target_id=str(target.id), resolved=resolved)
        return interaction_payload(self, type=2, user=user, channel=channel, data=data)

    def component(
        self,
        message_id: int,
        custom_id: str,
        *,
        component_type: int = 2,
        values: Sequence[str] | None = None,
        user: FakeUser | None = None,
        locale: str = "en-US",
    ) -> Json:
        """A click on a button (type 2) or a choice in a string select (type 3, with values),
        carrying the clicker's Discord language as every interaction does."""
        message = self.messages[message_id]
        channel = self.channels[int(message["channel_id"])]
        data: Json = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = list(values)
        return interaction_payload(
            self,
            type=3,
            user=user or self.user,
            channel=channel,
            data=data,
            message=copy.deepcopy(message),
            locale=locale,
        )

    def modal_submit(
        self,
        custom_id: str,
        values: Mapping[str, str],
        *,
        user: FakeUser | None = None,
        channel: FakeChannel | None = None,
    ) -> Json:
        """A submitted modal: one action row per text input, keyed by the input's custom_id."""
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
            for key, value in values.items()
        ]
        data: Json = {"custom_id": custom_id, "components": rows}
        return interaction_payload(
            self, type=5, user=user or self.user, channel=channel or self.channel, data=data
        )

    async def send_interaction(self, payload: Json) -> InteractionRecord:
        """Sends INTERACTION_CREATE and starts the response deadline; returns the record."""
        record = InteractionRecord(payload=payload, created_at=asyncio.get_running_loop().time())
        self.interactions[record.id] = record
        channel = self.channels[int(payload["channel_id"])]
        await self.gateway.dispatch("INTERACTION_CREATE", payload, channel=channel)
        return record
