"""The REST API under /api/v10: the routes discord.py calls, answered with Discord's status codes,
error bodies and rate-limit headers, every request recorded."""

from __future__ import annotations

import asyncio
import copy
import hashlib
import json
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

from .gateway import Gateway
from .models import ChannelType, FakeChannel, Intent, InteractionRecord, Perm, World, now_iso
from .payloads import (
    EPHEMERAL,
    LOADING,
    application_payload,
    attachment_payload,
    channel_payload,
    client_user_payload,
    member_payload,
    mention_payloads,
    new_message,
    reply_fields,
    user_payload,
)
from .recording import Fault, RecordedFile, RecordedRequest, RequestLog
from .validation import (
    choices_errors,
    commands_errors,
    error_body,
    form_error,
    message_errors,
    status_error_body,
)

log = logging.getLogger("tests.fake_discord")

Json = dict[str, Any]

API_PREFIX = "/api/v10"
SUPPRESS_EMBEDS = 1 << 2
SUPPRESS_NOTIFICATIONS = 1 << 12
COMPONENTS_V2 = 1 << 15
SENDABLE_FLAGS = EPHEMERAL | SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | COMPONENTS_V2
RESET_AFTER = 1.0

# Callback types Discord accepts for each interaction type.
ALLOWED_CALLBACKS = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}


class DiscordError(Exception):
    """Raised by handlers to answer with a Discord error status and body."""

    def __init__(self, status: int, body: Json) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body


def _fail(status: int, code: int) -> DiscordError:
    """A Discord error with the standard message for its code."""
    return DiscordError(status, error_body(code))


def _id(value: str) -> int:
    """A snowflake from the path, or Discord's 400 for anything else."""
    try:
        return int(value)
    except ValueError:
        raise DiscordError(
            400, form_error("id", "NUMBER_TYPE_COERCE", f'Value "{value}" is not snowflake.')
        ) from None


def _truthy(value: str | None) -> bool:
    """Discord's reading of a boolean query parameter."""
    return (value or "").lower() in ("1", "true")


@dataclass
class Call:
    """One parsed request as the handlers see it."""

    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    files: list[RecordedFile] = field(default_factory=list)


@dataclass
class Reply:
    """A handler's answer: a status and a JSON (or, for gateway errors, text) body."""

    status: int
    body: Any = None


Handler = Callable[[Call], Awaitable[Reply]]


@dataclass(frozen=True)
class _Route:
    """One route template, compiled, with its handler and rate-limit bucket."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler
    auth: bool
    bucket: str


async def _read_body(request: web.Request) -> tuple[Any, list[RecordedFile]]:
    """The JSON body, or for multipart the parsed payload_json and the uploaded files."""
    if request.content_type == "multipart/form-data":
        body: Any = None
        files: list[RecordedFile] = []
        async for part in await request.multipart():
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "payload_json":
                body = json.loads(await part.text())
            else:
                content_type = part.headers.get("Content-Type")
                data = bytes(await part.read())
                files.append(RecordedFile(part.name or "", part.filename, content_type, data))
        return body, files
    raw = await request.read()
    if not raw:
        return None, []
    if request.content_type == "application/json":
        return json.loads(raw), []
    return raw.decode(errors="replace"), []


class RestApi:
    """Routes, handlers and fault injection for the REST half of the fake."""

    def __init__(
        self,
        world: World,
        gateway: Gateway,
        requests: RequestLog,
        *,
        token: str,
        recommended_shards: int,
        interaction_deadline: float,
    ) -> None:
        self._world = world
        self._gateway = gateway
        self._requests = requests
        self._token = token
        self._recommended_shards = recommended_shards
        self._deadline = interaction_deadline
        app = "/applications/{application_id}"
        message = "/channels/{channel_id}/messages/{message_id}"
        webhook = "/webhooks/{application_id}/{token}"
        table: list[tuple[str, str, Handler, bool]] = [
            ("GET", "/gateway", self._get_gateway, False),
            ("GET", "/gateway/bot", self._get_gateway_bot, True),
            ("GET", "/users/@me", self._get_me, True),
            ("POST", "/users/@me/channels", self._create_dm, True),
            ("GET", "/users/{user_id}", self._get_user, True),
            ("GET", "/oauth2/applications/@me", self._get_application, True),
            ("GET", "/applications/@me", self._get_application, True),
            ("GET", f"{app}/commands", self._get_commands, True),
            ("PUT", f"{app}/commands", self._put_commands, True),
            ("GET", f"{app}/guilds/{{guild_id}}/commands", self._get_commands, True),
            ("PUT", f"{app}/guilds/{{guild_id}}/commands", self._put_commands, True),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member, True),
            ("GET", "/channels/{channel_id}", self._get_channel, True),
            ("POST", "/channels/{channel_id}/typing", self._typing, True),
            ("GET", "/channels/{channel_id}/messages", self._get_messages, True),
            ("POST", "/channels/{channel_id}/messages", self._post_message, True),
            ("GET", message, self._get_message, True),
            ("PATCH", message, self._patch_message, True),
            ("DELETE", message, self._delete_message, True),
            ("PUT", f"{message}/reactions/{{emoji}}/@me", self._put_reaction, True),
            ("DELETE", f"{message}/reactions/{{emoji}}/@me", self._delete_reaction, True),
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._callback, False),
            ("POST", webhook, self._followup, False),
            ("GET", f"{webhook}/messages/{{message_id}}", self._get_webhook_message, False),
            ("PATCH", f"{webhook}/messages/{{message_id}}", self._edit_webhook_message, False),
            ("DELETE", f"{webhook}/messages/{{message_id}}", self._delete_webhook_message, False),
        ]
        self._routes = [self._compile(*row) for row in table]

    @staticmethod
    def _compile(method: str, template: str, handler: Handler, auth: bool) -> _Route:
        """A route whose {name} parts match one path segment each."""
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        bucket = hashlib.md5(f"{method} {template}".encode()).hexdigest()
        return _Route(method, re.compile(regex), handler, auth, bucket)

    def _match(self, method: str, path: str) -> tuple[_Route | None, dict[str, str]]:
        """The first route for this method and path, with its path parameters."""
        for route in self._routes:
            found = route.pattern.fullmatch(path)
            if route.method == method and found:
                return route, found.groupdict()
        return None, {}

    async def handle(self, request: web.Request) -> web.Response:
        """Answers and records one REST request: fault, unknown route, auth, then the handler."""
        full_path = request.path
        path = full_path.removeprefix(API_PREFIX) if full_path.startswith(API_PREFIX) else ""
        body, files = await _read_body(request)
        auth = request.headers.get("Authorization")
        route, params = self._match(request.method, path) if path else (None, {})
        # Handlers get their own copy, and the record keeps a snapshot of the answer, so later
        # edits to stored messages never rewrite what was sent or answered.
        query = dict(request.query)
        call = Call(request.method, path or full_path, params, query, copy.deepcopy(body), files)
        fault = self._requests.take_fault(call.method, call.path)
        if fault is not None:
            reply = self._fault_reply(fault)
        elif route is None:
            log.warning("FakeDiscord has no route for %s %s; answered 404", call.method, full_path)
            reply = Reply(404, status_error_body(404, 0, None))
        elif route.auth and auth != f"Bot {self._token}":
            reply = Reply(401, status_error_body(401, 0, None))
        else:
            try:
                reply = await route.handler(call)
            except DiscordError as error:
                reply = Reply(error.status, error.body)
        record = RecordedRequest(
            method=call.method,
            path=call.path,
            query=query,
            json=body,
            files=files,
            headers={k: v for k, v in request.headers.items() if k.lower() != "authorization"},
            token_ok=None if auth is None else auth == f"Bot {self._token}",
            status=reply.status,
            response=copy.deepcopy(reply.body),
            unhandled=route is None,
            interaction_id=self._interaction_of(params),
        )
        self._requests.add(record)
        return self._response(reply, route, fault)

    def _interaction_of(self, params: dict[str, str]) -> int | None:
        """The interaction a callback or webhook request answers, for interaction_responses()."""
        if "interaction_id" in params and params["interaction_id"].isdigit():
            return int(params["interaction_id"])
        record = self._world.interaction_by_token(params["token"]) if "token" in params else None
        return record.id if record is not None else None

    @staticmethod
    def _fault_reply(fault: Fault) -> Reply:
        """The body of an injected error, shaped as Discord (or Cloudflare, for 502) sends it."""
        if fault.status == 429:
            message = fault.message or "You are being rate limited."
            return Reply(
                429, {"message": message, "retry_after": fault.retry_after, "global": fault.global_}
            )
        if fault.status == 502:
            return Reply(502, "<html><head><title>502 Bad Gateway</title></head></html>")
        return Reply(fault.status, status_error_body(fault.status, fault.code, fault.message))

    @staticmethod
    def _response(reply: Reply, route: _Route | None, fault: Fault | None) -> web.Response:
        """The HTTP response with the headers discord.py's rate limiter reads."""
        headers = {"Via": "1.1 google"}
        if fault is not None and fault.status == 429:
            headers["Retry-After"] = str(math.ceil(fault.retry_after))
            headers["X-RateLimit-Scope"] = "global" if fault.global_ else "user"
            if fault.global_:
                headers["X-RateLimit-Global"] = "true"
            else:
                headers.update(
                    {
                        "X-RateLimit-Limit": "5",
                        "X-RateLimit-Remaining": "0",
                        "X-RateLimit-Reset": f"{time.time() + fault.retry_after:.3f}",
                        "X-RateLimit-Reset-After": f"{fault.retry_after:.3f}",
                    }
                )
        elif route is not None:
            headers.update(
                {
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "4",
                    "X-RateLimit-Reset": f"{time.time() + RESET_AFTER:.3f}",
                    "X-RateLimit-Reset-After": f"{RESET_AFTER:.3f}",
                }
            )
        if route is not None:
            headers["X-RateLimit-Bucket"] = route.bucket
        if reply.body is None:
            return web.Response(status=reply.status, headers=headers)
        if isinstance(reply.body, str):
            return web.Response(
                status=reply.status, text=reply.body, content_type="text/html", headers=headers
            )
        # Exactly "application/json": discord.py compares the header verbatim, so aiohttp's default
        # "; charset=utf-8" would make it treat every body as text.
        headers["Content-Type"] = "application/json"
        return web.Response(status=reply.status, body=json.dumps(reply.body), headers=headers)

    # Gateway, users and the application.

    async def _get_gateway(self, call: Call) -> Reply:
        """GET /gateway: where to connect."""
        return Reply(200, {"url": self._gateway.url})

    async def _get_gateway_bot(self, call: Call) -> Reply:
        """GET /gateway/bot: where to connect, how many shards, and the IDENTIFY budget."""
        limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
        return Reply(
            200,
            {
                "url": self._gateway.url,
                "shards": self._recommended_shards,
                "session_start_limit": limit,
            },
        )

    async def _get_me(self, call: Call) -> Reply:
        """GET /users/@me: the login check discord.py makes first."""
        return Reply(200, client_user_payload(self._world.bot))

    async def _get_user(self, call: Call) -> Reply:
        """GET /users/{id}."""
        user = self._world.users.get(_id(call.params["user_id"]))
        if user is None:
            raise _fail(404, 10013)
        return Reply(200, user_payload(user))

    async def _create_dm(self, call: Call) -> Reply:
        """POST /users/@me/channels: opens (or returns) the DM with a user."""
        user = self._world.users.get(_id(str((call.body or {}).get("recipient_id"))))
        if user is None:
            raise _fail(404, 10013)
        return Reply(200, channel_payload(self._world.dm_channel(user)))

    async def _get_application(self, call: Call) -> Reply:
        """GET /oauth2/applications/@me: what discord.py reads the application id from."""
        return Reply(200, application_payload(self._world, self._world.owner))

    # Application commands.

    def _command_scope(self, call: Call) -> int | None:
        """The guild id of a guild-commands route, None for global; 404 for strangers."""
        if call.params["application_id"] != str(self._world.application_id):
            raise _fail(404, 10002)
        if "guild_id" not in call.params:
            return None
        guild_id = _id(call.params["guild_id"])
        if guild_id not in self._world.guilds:
            raise _fail(404, 10004)
        return guild_id

    async def _get_commands(self, call: Call) -> Reply:
        """GET the registered commands, global or for one guild."""
        return Reply(200, self._world.commands.get(self._command_scope(call), []))

    async def _put_commands(self, call: Call) -> Reply:
        """PUT (bulk overwrite) commands; a name kept from before keeps its id, as on Discord."""
        scope = self._command_scope(call)
        commands = call.body
        if not isinstance(commands, list):
            raise DiscordError(400, form_error("_", "LIST_TYPE_CONVERT", "Expected a list."))
        errors = commands_errors(commands)
        if errors:
            raise DiscordError(400, errors)
        world = self._world
        previous = {(c["name"], c["type"]): c["id"] for c in world.commands.get(scope, [])}
        registered = []
        for command in commands:
            kind = command.get("type", 1)
            entry: Json = {"description": "", "default_member_permissions": None, "nsfw": False}
            entry |= command
            entry.update(
                id=previous.get((command["name"], kind)) or str(world.ids.next()),
                application_id=str(world.application_id),
                version=str(world.ids.next()),
                type=kind,
            )
            if scope is not None:
                entry["guild_id"] = str(scope)
            registered.append(entry)
        world.commands[scope] = registered
        return Reply(200, registered)

    # Guilds, channels and messages.

    async def _get_member(self, call: Call) -> Reply:
        """GET /guilds/{id}/members/{id}."""
        guild = self._world.guilds.get(_id(call.params["guild_id"]))
        if guild is None:
            raise _fail(404, 10004)
        member = guild.members.get(_id(call.params["user_id"]))
        if member is None:
            raise _fail(404, 10007)
        return Reply(200, member_payload(member))

    def _channel(self, call: Call, *needed: int) -> FakeChannel:
        """The path's channel if the bot can see it and holds every needed permission."""
        world = self._world
        channel = world.channels.get(_id(call.params["channel_id"]))
        if channel is None:
            raise _fail(404, 10003)
        perms = world.permissions_in(channel, world.bot.id)
        if not perms & Perm.VIEW_CHANNEL:
            raise _fail(403, 50001)
        for perm in needed:
            if not perms & perm:
                raise _fail(403, 50013)
        return channel

    def _message(self, channel: FakeChannel, message_id: str) -> Json:
        """A message that is still in this channel."""
        message = self._world.messages.get(_id(message_id))
        if message is None or message["channel_id"] != str(channel.id):
            raise _fail(404, 10008)
        return message

    async def _get_channel(self, call: Call) -> Reply:
        """GET /channels/{id}."""
        return Reply(200, channel_payload(self._channel(call)))

    async def _typing(self, call: Call) -> Reply:
        """POST /channels/{id}/typing, which needs Send Messages."""
        self._channel(call, Perm.SEND_MESSAGES)
        return Reply(204)

    async def _get_messages(self, call: Call) -> Reply:
        """GET channel history, newest first, honouring limit, before and after."""
        channel = self._channel(call, Perm.READ_MESSAGE_HISTORY)
        messages = self._world.messages_in(channel.id)
        if "before" in call.query:
            messages = [m for m in messages if int(m["id"]) < _id(call.query["before"])]
        if "after" in call.query:
            messages = [m for m in messages if int(m["id"]) > _id(call.query["after"])]
        limit = min(int(call.query.get("limit", 50)), 100)
        return Reply(200, list(reversed(messages))[:limit])

    async def _get_message(self, call: Call) -> Reply:
        """GET one message."""
        channel = self._channel(call, Perm.READ_MESSAGE_HISTORY)
        return Reply(200, self._message(channel, call.params["message_id"]))

    async def _post_message(self, call: Call) -> Reply:
        """POST a message as the bot, with Discord's permission checks, limits and reply rules."""
        channel = self._channel(call)
        sending = Perm.SEND_MESSAGES_IN_THREADS if channel.is_thread else Perm.SEND_MESSAGES
        channel = self._channel(call, sending, *([Perm.ATTACH_FILES] if call.files else []))
        body: Json = call.body or {}
        errors = message_errors(body, file_count=len(call.files), creating=True)
        if errors:
            raise DiscordError(400, errors)
        extra: Json = {"nonce": body["nonce"]} if body.get("nonce") is not None else {}
        kind = 0
        reference = body.get("message_reference")
        replied_to = None
        if reference:
            replied_to = self._world.messages.get(_id(str(reference.get("message_id"))))
            if replied_to is None and reference.get("fail_if_not_exists", True):
                raise DiscordError(
                    400,
                    form_error(
                        "message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message"
                    ),
                )
        if replied_to is not None:
            kind = 19
            extra |= reply_fields(replied_to, channel.guild_id)
        message = new_message(
            self._world,
            channel,
            self._world.bot,
            content=body.get("content") or "",
            embeds=body.get("embeds") or [],
            components=body.get("components") or [],
            attachments=self._attachments(channel, body, call.files),
            flags=int(body.get("flags") or 0) & (SENDABLE_FLAGS & ~EPHEMERAL),
            type=kind,
            extra=extra,
        )
        pings_author = (body.get("allowed_mentions") or {}).get("replied_user", True)
        if replied_to is not None and pings_author:
            author = replied_to["author"]
            if all(m["id"] != author["id"] for m in message["mentions"]):
                message["mentions"].append(author)
        self._world.messages[int(message["id"])] = message
        await self._echo("MESSAGE_CREATE", message)
        return Reply(200, message)

    async def _patch_message(self, call: Call) -> Reply:
        """PATCH a message; only the bot's own can be edited."""
        channel = self._channel(call)
        message = self._message(channel, call.params["message_id"])
        if message["author"]["id"] != str(self._world.bot.id):
            raise _fail(403, 50005)
        return Reply(200, await self._edit(channel, message, call.body or {}, call.files))

    async def _delete_message(self, call: Call) -> Reply:
        """DELETE a message; others' messages need Manage Messages."""
        channel = self._channel(call)
        message = self._message(channel, call.params["message_id"])
        if message["author"]["id"] != str(self._world.bot.id):
            self._channel(call, Perm.MANAGE_MESSAGES)
        await self._remove(message)
        return Reply(204)

    async def _put_reaction(self, call: Call) -> Reply:
        """PUT a reaction as the bot; a new emoji needs Add Reactions."""
        channel = self._channel(call, Perm.READ_MESSAGE_HISTORY)
        message = self._message(channel, call.params["message_id"])
        emoji = _emoji(call.params["emoji"])
        reactions: list[Json] = message.setdefault("reactions", [])
        reaction = next((r for r in reactions if r["emoji"] == emoji), None)
        if reaction is None:
            self._channel(call, Perm.ADD_REACTIONS)
            reaction = {"emoji": emoji, "count": 0, "me": False, "burst_colors": []}
            reaction.update(count_details={"burst": 0, "normal": 0}, me_burst=False)
            reactions.append(reaction)
        if not reaction["me"]:
            reaction.update(me=True, count=reaction["count"] + 1)
            reaction["count_details"]["normal"] += 1
        return Reply(204)

    async def _delete_reaction(self, call: Call) -> Reply:
        """DELETE the bot's own reaction."""
        channel = self._channel(call)
        message = self._message(channel, call.params["message_id"])
        emoji = _emoji(call.params["emoji"])
        reactions: list[Json] = message.get("reactions", [])
        for reaction in reactions:
            if reaction["emoji"] == emoji and reaction["me"]:
                reaction.update(me=False, count=reaction["count"] - 1)
                reaction["count_details"]["normal"] -= 1
        message["reactions"] = [r for r in reactions if r["count"] > 0]
        return Reply(204)

    # Interactions.

    async def _callback(self, call: Call) -> Reply:
        """The initial response: only once, within the deadline, of a type the interaction takes."""
        world = self._world
        record = world.interactions.get(_id(call.params["interaction_id"]))
        if record is None or record.token != call.params["token"]:
            raise _fail(404, 10062)
        if record.callback_type is not None:
            raise _fail(400, 40060)
        if asyncio.get_running_loop().time() - record.created_at > self._deadline:
            raise _fail(404, 10062)
        body: Json = call.body or {}
        kind = body.get("type")
        data: Json = body.get("data") or {}
        component_message = record.payload.get("message")
        if kind not in ALLOWED_CALLBACKS[record.type] or (
            kind in (6, 7) and component_message is None
        ):
            raise DiscordError(
                400,
                form_error("type", "INTERACTION_RESPONSE_TYPE_INVALID", "Invalid response type"),
            )
        if kind in (4, 7):
            errors = message_errors(data, file_count=len(call.files), creating=kind == 4)
            if errors:
                raise DiscordError(400, errors)
        if kind == 8:
            errors = choices_errors(data.get("choices") or [])
            if errors:
                raise DiscordError(400, errors)
        record.callback_type = kind
        message: Json | None = None
        if kind in (4, 5):
            flags = int(data.get("flags") or 0) & SENDABLE_FLAGS
            content = data if kind == 4 else {}
            message = await self._interaction_message(
                record, content, flags | (LOADING if kind == 5 else 0), call.files
            )
            record.original_message_id = int(message["id"])
        elif component_message is not None and kind in (6, 7):
            record.original_message_id = int(component_message["id"])
            message = world.messages.get(record.original_message_id)
            if message is None:
                raise _fail(404, 10008)
            if kind == 7:
                channel = world.channels[int(message["channel_id"])]
                await self._edit(channel, message, data, call.files)
        elif kind == 8:
            record.choices = data.get("choices") or []
        elif kind == 9:
            record.modal = data
        if not _truthy(call.query.get("with_response")):
            return Reply(204)
        summary: Json = {"id": str(record.id), "type": record.type}
        resource: Json = {"type": kind}
        if message is not None:
            resource["message"] = message
        if message is not None and kind in (4, 5):
            summary.update(
                response_message_id=message["id"],
                response_message_loading=kind == 5,
                response_message_ephemeral=bool(message["flags"] & EPHEMERAL),
            )
        return Reply(200, {"interaction": summary, "resource": resource})

    def _webhook_record(self, call: Call) -> InteractionRecord:
        """The acknowledged interaction behind a follow-up webhook, else Unknown Webhook."""
        record = self._world.interaction_by_token(call.params["token"])
        wrong_app = call.params["application_id"] != str(self._world.application_id)
        if record is None or wrong_app or record.callback_type is None:
            raise _fail(404, 10015)
        return record

    def _webhook_message(self, record: InteractionRecord, message_id: str) -> Json:
        """@original or one of this interaction's follow-ups."""
        if message_id == "@original":
            wanted = record.original_message_id
        else:
            wanted = _id(message_id)
            if wanted not in (record.original_message_id, *record.followup_ids):
                wanted = None
        message = self._world.messages.get(wanted) if wanted is not None else None
        if message is None:
            raise _fail(404, 10008)
        return message

    async def _followup(self, call: Call) -> Reply:
        """A follow-up; the first after a deferred reply fills in the "thinking" message instead."""
        record = self._webhook_record(call)
        body: Json = call.body or {}
        errors = message_errors(body, file_count=len(call.files), creating=True)
        if errors:
            raise DiscordError(400, errors)
        original = self._world.messages.get(record.original_message_id or 0)
        if original is not None and original["flags"] & LOADING:
            channel = self._world.channels[int(original["channel_id"])]
            message = await self._edit(channel, original, body, call.files)
        else:
            flags = int(body.get("flags") or 0) & SENDABLE_FLAGS
            message = await self._interaction_message(record, body, flags, call.files)
            record.followup_ids.append(int(message["id"]))
        return Reply(200, message) if _truthy(call.query.get("wait")) else Reply(204)

    async def _get_webhook_message(self, call: Call) -> Reply:
        """GET @original or a follow-up."""
        record = self._webhook_record(call)
        return Reply(200, self._webhook_message(record, call.params["message_id"]))

    async def _edit_webhook_message(self, call: Call) -> Reply:
        """PATCH @original or a follow-up; this also ends a deferred reply's "thinking"."""
        record = self._webhook_record(call)
        message = self._webhook_message(record, call.params["message_id"])
        channel = self._world.channels[int(message["channel_id"])]
        return Reply(200, await self._edit(channel, message, call.body or {}, call.files))

    async def _delete_webhook_message(self, call: Call) -> Reply:
        """DELETE @original or a follow-up."""
        record = self._webhook_record(call)
        await self._remove(self._webhook_message(record, call.params["message_id"]))
        return Reply(204)

    async def _interaction_message(
        self, record: InteractionRecord, body: Json, flags: int, files: Sequence[RecordedFile]
    ) -> Json:
        """A message the application posts for an interaction, stored and echoed."""
        world = self._world
        payload = record.payload
        channel = world.channels[int(payload["channel_id"])]
        user = payload["member"]["user"] if "member" in payload else payload["user"]
        metadata: Json = {
            "id": str(record.id),
            "type": record.type,
            "user": user,
            "authorizing_integration_owners": payload["authorizing_integration_owners"],
        }
        kind = 0
        if record.type == 2:
            metadata["name"] = payload["data"]["name"]
            kind = 20 if payload["data"].get("type", 1) == 1 else 23
        message = new_message(
            world,
            channel,
            world.bot,
            content=body.get("content") or "",
            embeds=body.get("embeds") or [],
            components=body.get("components") or [],
            attachments=self._attachments(channel, body, files),
            flags=flags,
            type=kind,
            extra={
                "webhook_id": str(world.application_id),
                "application_id": str(world.application_id),
                "interaction_metadata": metadata,
            },
        )
        world.messages[int(message["id"])] = message
        await self._echo("MESSAGE_CREATE", message)
        return message

    # Shared message mechanics.

    def _attachments(
        self, channel: FakeChannel, body: Json, files: Sequence[RecordedFile]
    ) -> list[Json]:
        """Attachments for uploaded files, described by the body's attachments list."""
        meta = {str(a.get("id")): a for a in body.get("attachments") or []}
        result = []
        for upload in files:
            key = upload.field.removeprefix("files[").removesuffix("]")
            result.append(attachment_payload(self._world, channel.id, upload, meta.get(key, {})))
        return result

    async def _edit(
        self, channel: FakeChannel, message: Json, body: Json, files: Sequence[RecordedFile]
    ) -> Json:
        """Applies an edit body in place, as Discord does, and echoes MESSAGE_UPDATE."""
        errors = message_errors(body, file_count=len(files), creating=False)
        if errors:
            raise DiscordError(400, errors)
        if "content" in body:
            message["content"] = body["content"] or ""
            message["mentions"], message["mention_roles"] = mention_payloads(
                self._world, message["content"]
            )
        for key in ("embeds", "components"):
            if key in body:
                message[key] = body[key] or []
        if "attachments" in body:
            kept = {str(a.get("id")) for a in body["attachments"] or []}
            message["attachments"] = [a for a in message["attachments"] if a["id"] in kept]
        message["attachments"] += self._attachments(channel, body, files)
        if "flags" in body:
            suppress = int(body["flags"] or 0) & SUPPRESS_EMBEDS
            message["flags"] = (message["flags"] & ~SUPPRESS_EMBEDS) | suppress
        message["flags"] &= ~LOADING
        message["edited_timestamp"] = now_iso()
        await self._echo("MESSAGE_UPDATE", message)
        return message

    async def _remove(self, message: Json) -> None:
        """Deletes a stored message and echoes MESSAGE_DELETE where it was visible."""
        world = self._world
        del world.messages[int(message["id"])]
        channel = world.channels[int(message["channel_id"])]
        visible = world.permissions_in(channel, world.bot.id) & Perm.VIEW_CHANNEL
        if not self._gateway.sessions or message["flags"] & EPHEMERAL or not visible:
            return
        data: Json = {"id": message["id"], "channel_id": message["channel_id"]}
        if channel.guild_id is not None:
            data["guild_id"] = str(channel.guild_id)
        intent = Intent.DIRECT_MESSAGES if channel.type == ChannelType.DM else Intent.GUILD_MESSAGES
        await self._gateway.dispatch("MESSAGE_DELETE", data, channel=channel, intent=intent)

    async def _echo(self, event: str, message: Json) -> None:
        """Sends the bot its own message events, as Discord does, once it is connected."""
        if self._gateway.sessions:
            await self._gateway.dispatch_message(event, message)


def _emoji(text: str) -> Json:
    """A reaction's emoji from its path form: "name:id" for custom, the character otherwise."""
    name, _, emoji_id = text.partition(":")
    return {"id": emoji_id or None, "name": name}
