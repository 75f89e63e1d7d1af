"""A fake Discord on 127.0.0.1 that a real discord.py client connects to, for end-to-end tests.

Pointing discord.py at it (both are process-wide; the discord_py_globals fixture restores them):

    discord.http.Route.BASE = fake.api_base      # all REST, interaction webhooks included
    # after login, e.g. in setup_hook:
    _, url, _ = await client.http.get_bot_gateway()
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)

Then script users with fake.send_message(...), fake.send_interaction(fake.slash(...)), and
assert on fake.wait_for_request(...), fake.messages_in(...), fake.interaction_responses(...).
"""

from .gateway import ConnectionRecord, Gateway, GatewaySession, IdentifyRecord, ResumeRecord
from .models import (
    ChannelType,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    Intent,
    InteractionRecord,
    Overwrite,
    Perm,
    shard_of,
)
from .recording import RecordedFile, RecordedRequest
from .server import FakeDiscord

__all__ = [
    "ChannelType",
    "ConnectionRecord",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeMember",
    "FakeRole",
    "FakeUser",
    "Gateway",
    "GatewaySession",
    "IdentifyRecord",
    "Intent",
    "InteractionRecord",
    "Overwrite",
    "Perm",
    "RecordedFile",
    "RecordedRequest",
    "ResumeRecord",
    "shard_of",
]
