"""The gateway websocket: HELLO, IDENTIFY, READY and GUILD_CREATE, heartbeats, RESUME with
replay, and the server-side moves (RECONNECT, INVALID_SESSION, close codes) that tests use to
shake the client."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from .models import FakeChannel, Intent, Perm, World, shard_of
from .payloads import (
    EPHEMERAL,
    gateway_message,
    guild_create_payload,
    member_payload,
    ready_payload,
)
from .recording import Notifier

log = logging.getLogger("tests.fake_discord")

Json = dict[str, Any]

DISPATCH = 0
HEARTBEAT = 1
IDENTIFY = 2
PRESENCE_UPDATE = 3
VOICE_STATE_UPDATE = 4
RESUME = 6
RECONNECT = 7
REQUEST_GUILD_MEMBERS = 8
INVALID_SESSION = 9
HELLO = 10
HEARTBEAT_ACK = 11


@dataclass(frozen=True)
class ConnectionRecord:
    """One websocket the client opened: which path and query it dialled."""

    path: str
    query: dict[str, str]


@dataclass(frozen=True)
class IdentifyRecord:
    """One IDENTIFY the client sent; payload has the token removed."""

    shard: tuple[int, int] | None
    intents: int
    token_ok: bool
    payload: Json


@dataclass(frozen=True)
class ResumeRecord:
    """One RESUME the client sent, and whether the fake accepted it."""

    session_id: str | None
    seq: int | None
    accepted: bool


def _frame(op: int, data: Any) -> Json:
    """A non-dispatch gateway frame."""
    return {"op": op, "d": data, "s": None, "t": None}


def _not_connected(shard_id: int) -> RuntimeError:
    """The error for scripting a shard the bot has not IDENTIFYed on yet."""
    return RuntimeError(
        f"no gateway session for shard {shard_id}: has the bot connected? "
        "await fake.wait_until_ready() first"
    )


def _redacted(frame: Json) -> Json:
    """A client frame fit for the record: the token replaced."""
    data = frame.get("d")
    if isinstance(data, dict) and "token" in data:
        return frame | {"d": data | {"token": "<redacted>"}}
    return frame


class _Socket:
    """One websocket with a send lock, so frames from tests and handlers never interleave."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self._lock = asyncio.Lock()

    async def send(self, frame: Json) -> bool:
        """Sends one text frame; False if the socket is already going away."""
        async with self._lock:
            if self.ws.closed:
                return False
            try:
                await self.ws.send_str(json.dumps(frame))
            except ConnectionResetError:
                return False
            return True

    async def close(self, code: int, reason: str = "") -> None:
        """Closes from the server side with a gateway close code."""
        await self.ws.close(code=code, message=reason.encode())


class GatewaySession:
    """One IDENTIFYed session; it outlives its socket so a RESUME can replay what was missed."""

    def __init__(self, *, session_id: str, shard_id: int, shard_count: int, intents: int) -> None:
        self.session_id = session_id
        self.shard_id = shard_id
        self.shard_count = shard_count
        self.intents = intents
        self.seq = 0
        self.events: list[Json] = []
        self.socket: _Socket | None = None
        self.resumable = True
        self.ready = False
        self._lock = asyncio.Lock()

    async def _emit(self, event: str, data: Json) -> None:
        """Numbers, keeps and sends one dispatch; the caller holds the lock."""
        self.seq += 1
        frame = {"op": DISPATCH, "t": event, "s": self.seq, "d": data}
        self.events.append(frame)
        if self.socket is not None:
            await self.socket.send(frame)

    async def dispatch(self, event: str, data: Json) -> None:
        """Sends an event now, or keeps it for replay if the client is between sockets."""
        async with self._lock:
            await self._emit(event, data)

    async def start(self, socket: _Socket, events: Sequence[tuple[str, Json]]) -> None:
        """Binds the socket and sends READY and the GUILD_CREATEs with nothing in between."""
        async with self._lock:
            self.socket = socket
            for event, data in events:
                await self._emit(event, data)
        self.ready = True

    async def resume(self, socket: _Socket, after_seq: int) -> None:
        """Binds the new socket, replays every event after the client's seq, then RESUMED."""
        async with self._lock:
            self.socket = socket
            for frame in self.events:
                if frame["s"] > after_seq:
                    await socket.send(frame)
            await self._emit("RESUMED", {"_trace": ['["fake-gateway",{"micros":0}]']})

    async def send_op(self, op: int, data: Any) -> None:
        """Sends a control frame on the current socket, in order with dispatches."""
        async with self._lock:
            if self.socket is not None:
                await self.socket.send(_frame(op, data))


class Gateway:
    """The websocket endpoint plus every session it has handed out, for scripting and assertions."""

    def __init__(
        self, world: World, *, token: str, heartbeat_interval_ms: int, notifier: Notifier
    ) -> None:
        self.url = ""
        self.resume_gateway_url = ""
        self.sessions: list[GatewaySession] = []
        self.connections: list[ConnectionRecord] = []
        self.identifies: list[IdentifyRecord] = []
        self.resumes: list[ResumeRecord] = []
        self.received: list[Json] = []
        self.heartbeats = 0
        self._world = world
        self._token = token
        self._heartbeat_interval_ms = heartbeat_interval_ms
        self._notifier = notifier
        self._sockets: set[_Socket] = set()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """Serves one websocket connection until either side closes it."""
        ws = web.WebSocketResponse(timeout=2.0)
        await ws.prepare(request)
        socket = _Socket(ws)
        self._sockets.add(socket)
        self.connections.append(ConnectionRecord(path=request.path, query=dict(request.query)))
        session: GatewaySession | None = None
        try:
            await socket.send(_frame(HELLO, {"heartbeat_interval": self._heartbeat_interval_ms}))
            async for message in ws:
                if message.type is not aiohttp.WSMsgType.TEXT:
                    await socket.close(4002, "Error while decoding payload.")
                    break
                try:
                    frame = json.loads(message.data)
                    op = frame["op"]
                except (ValueError, KeyError, TypeError):
                    await socket.close(4002, "Error while decoding payload.")
                    break
                self.received.append(_redacted(frame))
                session = await self._on_frame(socket, session, op, frame.get("d"))
                self._notifier.notify()
        finally:
            self._sockets.discard(socket)
            if session is not None and session.socket is socket:
                session.socket = None
            self._notifier.notify()
        return ws

    async def _on_frame(
        self, socket: _Socket, session: GatewaySession | None, op: int, data: Any
    ) -> GatewaySession | None:
        """Answers one client frame; returns the session now bound to this socket."""
        if op == HEARTBEAT:
            self.heartbeats += 1
            await socket.send(_frame(HEARTBEAT_ACK, None))
            return session
        if op in (IDENTIFY, RESUME) and session is not None:
            await socket.close(4005, "Already authenticated.")
            return session
        if op == IDENTIFY:
            return await self._identify(socket, data)
        if op == RESUME:
            return await self._resume(socket, data)
        if session is None:
            await socket.close(4003, "Not authenticated.")
            return None
        if op == REQUEST_GUILD_MEMBERS:
            await self._request_members(session, data)
        elif op not in (PRESENCE_UPDATE, VOICE_STATE_UPDATE):
            await socket.close(4001, "Unknown opcode.")
        return session

    async def _identify(self, socket: _Socket, data: Json) -> GatewaySession | None:
        """Checks the token and shard, then sends READY and this shard's GUILD_CREATEs."""
        token_ok = data.get("token") == self._token
        shard = (int(data["shard"][0]), int(data["shard"][1])) if data.get("shard") else None
        intents = int(data.get("intents", 0))
        payload = {key: value for key, value in data.items() if key != "token"}
        self.identifies.append(IdentifyRecord(shard, intents, token_ok, payload))
        if not token_ok:
            await socket.close(4004, "Authentication failed.")
            return None
        shard_id, count = shard or (0, 1)
        if not 0 <= shard_id < count:
            await socket.close(4010, "Invalid shard.")
            return None
        session = GatewaySession(
            session_id=secrets.token_hex(16), shard_id=shard_id, shard_count=count, intents=intents
        )
        self.sessions.append(session)
        world = self._world
        guild_ids = [gid for gid in world.guilds if shard_of(gid, count) == shard_id]
        ready = ready_payload(
            world,
            session_id=session.session_id,
            resume_gateway_url=self.resume_gateway_url,
            shard=shard,
            guild_ids=guild_ids,
        )
        all_members = bool(intents & Intent.GUILD_PRESENCES)
        creates = [
            (
                "GUILD_CREATE",
                guild_create_payload(world, world.guilds[gid], all_members=all_members),
            )
            for gid in guild_ids
        ]
        await session.start(socket, [("READY", ready), *creates])
        return session

    async def _resume(self, socket: _Socket, data: Json) -> GatewaySession | None:
        """Resumes a known session and replays what it missed, or invalidates it as Discord does."""
        target = next((s for s in self.sessions if s.session_id == data.get("session_id")), None)
        accepted = target is not None and target.resumable and data.get("token") == self._token
        self.resumes.append(ResumeRecord(data.get("session_id"), data.get("seq"), accepted))
        if target is None or not accepted:
            await socket.send(_frame(INVALID_SESSION, False))
            return None
        await target.resume(socket, after_seq=data.get("seq") or 0)
        return target

    async def _request_members(self, session: GatewaySession, data: Json) -> None:
        """Answers REQUEST_GUILD_MEMBERS with one GUILD_MEMBERS_CHUNK, echoing the nonce."""
        guild = self._world.guilds.get(int(data["guild_id"]))
        if guild is None:
            return
        members = list(guild.members.values())
        if data.get("user_ids"):
            wanted = {int(uid) for uid in data["user_ids"]}
            members = [m for m in members if m.user.id in wanted]
        elif data.get("query"):
            query = data["query"].lower()
            members = [m for m in members if m.user.username.lower().startswith(query)]
        if data.get("limit"):
            members = members[: data["limit"]]
        chunk: Json = {
            "guild_id": str(guild.id),
            "members": [member_payload(m) for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await session.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    def session_for(self, shard_id: int = 0) -> GatewaySession:
        """The newest session of a shard: the one Discord would send that shard's events on."""
        for session in reversed(self.sessions):
            if session.shard_id == shard_id:
                return session
        raise _not_connected(shard_id)

    def _route(self, channel: FakeChannel | None) -> GatewaySession:
        """The session a channel's events go to: its guild's shard, or shard 0 for DMs."""
        if not self.sessions:
            raise _not_connected(0)
        count = self.sessions[-1].shard_count
        guild_id = channel.guild_id if channel is not None else None
        return self.session_for(shard_of(guild_id, count) if guild_id else 0)

    async def dispatch(
        self, event: str, data: Json, *, channel: FakeChannel | None = None, intent: int = 0
    ) -> bool:
        """Sends an event to the right shard; False if the session lacks the needed intent."""
        session = self._route(channel)
        if intent and not session.intents & intent:
            return False
        await session.dispatch(event, data)
        return True

    async def dispatch_message(self, event: str, message: Json) -> bool:
        """MESSAGE_CREATE/UPDATE as Discord filters them: intents, visibility, never ephemerals."""
        world = self._world
        channel = world.channels[int(message["channel_id"])]
        if message["flags"] & EPHEMERAL:
            return False
        if not world.permissions_in(channel, world.bot.id) & Perm.VIEW_CHANNEL:
            return False
        session = self._route(channel)
        intent = Intent.GUILD_MESSAGES if channel.guild_id else Intent.DIRECT_MESSAGES
        if not session.intents & intent:
            return False
        await session.dispatch(event, gateway_message(world, message, intents=session.intents))
        return True

    async def reconnect(self, shard_id: int = 0) -> None:
        """Sends op 7 RECONNECT: the client should drop the socket and RESUME."""
        await self.session_for(shard_id).send_op(RECONNECT, None)

    async def invalid_session(self, *, resumable: bool, shard_id: int = 0) -> None:
        """Sends op 9; when not resumable the session is forgotten and the client must IDENTIFY."""
        session = self.session_for(shard_id)
        if not resumable:
            session.resumable = False
        await session.send_op(INVALID_SESSION, resumable)

    async def close(self, code: int, *, shard_id: int = 0) -> None:
        """Closes the shard's socket from the server side with a gateway close code; after 4007
        (invalid seq) or 4009 (session timed out) the session cannot be resumed, as on Discord."""
        session = self.session_for(shard_id)
        if session.socket is None:
            raise RuntimeError(f"shard {shard_id} has no open socket to close")
        if code in (4007, 4009):
            session.resumable = False
        await session.socket.close(code)

    def is_ready(self, shard_ids: Iterable[int] | None = None) -> bool:
        """Whether every wanted shard has a live session that was sent all its GUILD_CREATEs."""
        if not self.sessions:
            return False
        count = self.sessions[-1].shard_count
        wanted = range(count) if shard_ids is None else shard_ids
        return all(
            any(
                s.ready and s.resumable and s.shard_id == shard_id and s.shard_count == count
                for s in self.sessions
            )
            for shard_id in wanted
        )

    async def stop(self) -> None:
        """Closes every socket with 1001, as Discord does when a gateway node goes away."""
        await asyncio.gather(*(socket.close(1001) for socket in list(self._sockets)))
