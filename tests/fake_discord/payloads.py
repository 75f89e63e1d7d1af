"""Discord JSON objects built from the fake's world, shaped like the real API's so discord.py parses
them exactly as it would in production."""

from __future__ import annotations

import copy
import re
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from .models import (
    ChannelType,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    Intent,
    OptionType,
    World,
    now_iso,
)
from .recording import RecordedFile

CDN = "https://cdn.discordapp.com"
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
EPHEMERAL = 1 << 6
LOADING = 1 << 7

_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")

Json = dict[str, Any]


def user_payload(user: FakeUser) -> Json:
    """A user object as embedded in messages, members and interactions."""
    data: Json = {
        "id": str(user.id),
        "username": user.username,
        "discriminator": "0",
        "global_name": user.global_name,
        "avatar": None,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
    }
    if user.bot:
        data["bot"] = True
    return data


def client_user_payload(user: FakeUser) -> Json:
    """The bot's own user, as GET /users/@me and READY give it."""
    return user_payload(user) | {"verified": True, "mfa_enabled": False, "locale": "en-US"}


def member_payload(
    member: FakeMember, *, with_user: bool = True, permissions: int | None = None
) -> Json:
    """A guild member; interactions add the member's channel permissions."""
    data: Json = {
        "roles": [str(role_id) for role_id in member.role_ids],
        "nick": member.nick,
        "avatar": None,
        "banner": None,
        "joined_at": member.joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }
    if with_user:
        data["user"] = user_payload(member.user)
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def role_payload(role: FakeRole) -> Json:
    """A role; the bot's managed role carries tags.bot_id as on Discord."""
    data: Json = {
        "id": str(role.id),
        "name": role.name,
        "color": role.color,
        "colors": {"primary_color": role.color, "secondary_color": None, "tertiary_color": None},
        "hoist": role.hoist,
        "icon": None,
        "unicode_emoji": None,
        "position": role.position,
        "permissions": str(role.permissions),
        "managed": role.bot_id is not None,
        "mentionable": role.mentionable,
        "flags": 0,
    }
    if role.bot_id is not None:
        data["tags"] = {"bot_id": str(role.bot_id)}
    return data


def channel_payload(
    channel: FakeChannel, *, in_guild_create: bool = False, permissions: int | None = None
) -> Json:
    """A channel; GUILD_CREATE omits guild_id, interactions add the user's permissions."""
    data: Json = {"id": str(channel.id), "type": int(channel.type), "flags": 0}
    if channel.is_thread:
        data.update(thread_payload(channel))
    elif channel.type == ChannelType.DM:
        data["recipients"] = [user_payload(user) for user in channel.recipients]
        data["last_message_id"] = None
    else:
        data.update(
            name=channel.name,
            position=channel.position,
            parent_id=str(channel.parent_id) if channel.parent_id else None,
            nsfw=False,
            permission_overwrites=[
                {"id": str(ow.id), "type": ow.type, "allow": str(ow.allow), "deny": str(ow.deny)}
                for ow in channel.overwrites
            ],
        )
        if channel.type in (ChannelType.TEXT, ChannelType.FORUM):
            data.update(topic=channel.topic, last_message_id=None, rate_limit_per_user=0)
        if channel.type == ChannelType.FORUM:
            data.update(
                available_tags=[],
                default_reaction_emoji=None,
                default_sort_order=None,
                default_forum_layout=0,
                default_thread_rate_limit_per_user=0,
            )
        if not in_guild_create:
            data["guild_id"] = str(channel.guild_id)
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


THREAD_ARCHIVE_MINUTES = 4320
"""Three days without a message, as Discord offers by default, before a thread is archived."""


def thread_payload(thread: FakeChannel) -> Json:
    """A thread or forum post: no overwrites of its own, a creator, and archiving metadata;
    the fake keeps no message counts, which discord.py only shows."""
    return {
        "id": str(thread.id),
        "type": int(thread.type),
        "guild_id": str(thread.guild_id),
        "parent_id": str(thread.parent_id),
        "owner_id": str(thread.owner_id),
        "name": thread.name,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "total_message_sent": 0,
        "flags": 0,
        "applied_tags": [],
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": THREAD_ARCHIVE_MINUTES,
            "archive_timestamp": now_iso(),
            "locked": False,
            "create_timestamp": now_iso(),
        },
    }


def guild_create_payload(world: World, guild: FakeGuild, *, all_members: bool) -> Json:
    """GUILD_CREATE: a small guild lists every member only with the presences intent; otherwise
    just the bot, and discord.py asks for the rest with REQUEST_GUILD_MEMBERS."""
    members = [
        member_payload(m)
        for m in guild.members.values()
        if all_members or m.user.id == world.bot.id
    ]
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(guild.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "preferred_locale": "en-US",
        "features": [],
        "application_id": None,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "max_members": 500000,
        "max_video_channel_users": 25,
        "roles": [role_payload(role) for role in guild.roles.values()],
        "emojis": [],
        "stickers": [],
        "joined_at": guild.members[world.bot.id].joined_at,
        "large": False,
        "unavailable": False,
        "lazy": True,
        "member_count": len(guild.members),
        "members": members,
        "channels": [
            channel_payload(c, in_guild_create=True)
            for c in guild.channels.values()
            if not c.is_thread
        ],
        "threads": [thread_payload(c) for c in guild.channels.values() if c.is_thread],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def application_payload(world: World, owner: FakeUser) -> Json:
    """GET /oauth2/applications/@me, with every key discord.py's AppInfo requires."""
    return {
        "id": str(world.application_id),
        "name": world.bot.username,
        "icon": None,
        "description": "",
        "summary": "",
        "type": None,
        "hook": True,
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": 0,
        "owner": user_payload(owner),
        "team": None,
        "bot": user_payload(world.bot),
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "approximate_guild_count": len(world.guilds),
    }


def ready_payload(
    world: World,
    *,
    session_id: str,
    resume_gateway_url: str,
    shard: tuple[int, int] | None,
    guild_ids: Sequence[int],
) -> Json:
    """READY: guilds start unavailable and are filled in by the GUILD_CREATEs that follow."""
    data: Json = {
        "v": 10,
        "user": client_user_payload(world.bot),
        "guilds": [{"id": str(gid), "unavailable": True} for gid in guild_ids],
        "session_id": session_id,
        "session_type": "normal",
        "resume_gateway_url": resume_gateway_url,
        "application": {"id": str(world.application_id), "flags": 0},
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": [],
        "user_settings": {},
        "auth": {},
        "_trace": ['["fake-gateway",{"micros":0}]'],
    }
    if shard is not None:
        data["shard"] = list(shard)
    return data


def attachment_payload(
    world: World, channel_id: int, upload: RecordedFile, meta: Mapping[str, Any]
) -> Json:
    """The attachment Discord makes of an uploaded file."""
    attachment_id = world.ids.next()
    filename = upload.filename or "file"
    url = f"{CDN}/attachments/{channel_id}/{attachment_id}/{filename}"
    data: Json = {
        "id": str(attachment_id),
        "filename": filename,
        "size": len(upload.data),
        "url": url,
        "proxy_url": url.replace(CDN, "https://media.discordapp.net"),
        "content_type": upload.content_type,
    }
    if meta.get("description"):
        data["description"] = meta["description"]
    return data


def mention_payloads(world: World, content: str) -> tuple[list[Json], list[str]]:
    """Users and role ids pinged in the text, as Discord derives them."""
    user_ids = dict.fromkeys(int(match) for match in _USER_MENTION.findall(content))
    users = [user_payload(world.users[uid]) for uid in user_ids if uid in world.users]
    roles = list(dict.fromkeys(_ROLE_MENTION.findall(content)))
    return users, roles


def new_message(
    world: World,
    channel: FakeChannel,
    author: FakeUser,
    *,
    content: str = "",
    embeds: Sequence[Json] = (),
    components: Sequence[Json] = (),
    attachments: Sequence[Json] = (),
    flags: int = 0,
    type: int = 0,
    extra: Mapping[str, Any] | None = None,
) -> Json:
    """A message object as REST returns it; the gateway form adds guild_id and member."""
    mentions, mention_roles = mention_payloads(world, content)
    data: Json = {
        "id": str(world.ids.next()),
        "channel_id": str(channel.id),
        "author": user_payload(author),
        "content": content,
        "timestamp": now_iso(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": mentions,
        "mention_roles": mention_roles,
        "attachments": list(attachments),
        "embeds": list(embeds),
        "components": list(components),
        "pinned": False,
        "type": type,
        "flags": flags,
    }
    data.update(extra or {})
    return data


def reply_fields(target: Json, guild_id: int | None) -> Json:
    """The message_reference and referenced_message a reply to target carries."""
    return {
        "message_reference": {
            "type": 0,
            "message_id": target["id"],
            "channel_id": target["channel_id"],
            "guild_id": str(guild_id) if guild_id else None,
        },
        "referenced_message": {k: v for k, v in target.items() if k != "referenced_message"},
    }


def gateway_message(world: World, message: Json, *, intents: int) -> Json:
    """MESSAGE_CREATE/UPDATE data, with content blanked as Discord does without MESSAGE_CONTENT."""
    data = copy.deepcopy(message)
    channel = world.channels[int(message["channel_id"])]
    guild = world.guild_of(channel)
    if guild is None:
        return data
    data["guild_id"] = str(guild.id)
    author_id = int(message["author"]["id"])
    member = guild.members.get(author_id)
    if member is not None and "webhook_id" not in message:
        data["member"] = member_payload(member, with_user=False)
    for mention in data["mentions"]:
        mentioned = guild.members.get(int(mention["id"]))
        if mentioned is not None:
            mention["member"] = member_payload(mentioned, with_user=False)
    bot_mentioned = any(m["id"] == str(world.bot.id) for m in message["mentions"])
    if not intents & Intent.MESSAGE_CONTENT and author_id != world.bot.id and not bot_mentioned:
        data.update(content="", embeds=[], attachments=[], components=[])
        data.pop("poll", None)
    return data


def interaction_payload(
    world: World,
    *,
    type: int,
    user: FakeUser,
    channel: FakeChannel,
    data: Json | None = None,
    message: Json | None = None,
    locale: str = "en-US",
) -> Json:
    """INTERACTION_CREATE data common to every kind, with the member's and app's permissions."""
    guild = world.guild_of(channel)
    perms = world.permissions_in(channel, user.id)
    payload: Json = {
        "id": str(world.ids.next()),
        "application_id": str(world.application_id),
        "type": type,
        "token": f"fake-interaction-token-{secrets.token_urlsafe(24)}",
        "version": 1,
        "locale": locale,
        "channel_id": str(channel.id),
        "channel": channel_payload(channel, permissions=perms),
        "app_permissions": str(world.permissions_in(channel, world.bot.id)),
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild.id) if guild else "0"},
        "context": 0 if guild else 1,
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    if data is not None:
        payload["data"] = data
    if message is not None:
        payload["message"] = message
    if guild is None:
        payload["user"] = user_payload(user)
        return payload
    member = guild.members.get(user.id)
    if member is None:
        raise ValueError(f"{user.username} is not a member of {guild.name}")
    payload.update(
        guild_id=str(guild.id),
        guild={"id": str(guild.id), "locale": "en-US", "features": []},
        guild_locale="en-US",
        member=member_payload(member, permissions=perms),
    )
    return payload


def command_ref(command: Json) -> Json:
    """The id, name, type (and guild_id for guild commands) that interaction data starts with."""
    data: Json = {"id": command["id"], "name": command["name"], "type": command.get("type", 1)}
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    return data


def command_data(
    world: World,
    command: Json,
    *,
    path: Sequence[str],
    options: Mapping[str, Any],
    channel: FakeChannel,
    user: FakeUser,
    focused: str | None = None,
) -> Json:
    """Chat-input data nested through subcommand groups, typed by the synced command's schema."""
    data = command_ref(command)
    resolved: dict[str, Json] = {}
    schema: list[Json] = command.get("options", [])
    container = data
    for name in path:
        spec = _find_option(schema, name, command["name"])
        nested: Json = {"name": name, "type": spec["type"]}
        container["options"] = [nested]
        container, schema = nested, spec.get("options", [])
    container["options"] = []
    for name, value in options.items():
        spec = _find_option(schema, name, command["name"])
        option: Json = {"name": name, "type": spec["type"]}
        if name == focused:
            option.update(value=str(value), focused=True)
        else:
            option["value"] = _option_value(world, spec["type"], value, channel, user, resolved)
        container["options"].append(option)
    if resolved:
        data["resolved"] = resolved
    return data


def _find_option(schema: Sequence[Json], name: str, command: str) -> Json:
    """The schema entry for an option, or an error naming the ones that exist."""
    for spec in schema:
        if spec["name"] == name:
            return spec
    known = ", ".join(spec["name"] for spec in schema) or "none"
    raise KeyError(f"/{command} has no option or subcommand {name!r}; it has: {known}")


def _option_value(
    world: World,
    type: int,
    value: Any,
    channel: FakeChannel,
    user: FakeUser,
    resolved: dict[str, Json],
) -> Any:
    """An option's wire value, adding users, members, roles and channels to resolved."""
    guild = world.guild_of(channel)
    if type == OptionType.STRING:
        return str(value)
    if type == OptionType.INTEGER:
        return int(value)
    if type == OptionType.NUMBER:
        return float(value)
    if type == OptionType.BOOLEAN:
        return bool(value)
    if type in (OptionType.USER, OptionType.MENTIONABLE) and isinstance(value, FakeUser):
        resolve_user(world, value, channel, resolved)
        return str(value.id)
    if type in (OptionType.ROLE, OptionType.MENTIONABLE) and isinstance(value, FakeRole):
        resolved.setdefault("roles", {})[str(value.id)] = role_payload(value)
        return str(value.id)
    if type == OptionType.CHANNEL and isinstance(value, FakeChannel) and guild is not None:
        perms = world.permissions_in(value, user.id)
        resolved.setdefault("channels", {})[str(value.id)] = channel_payload(
            value, permissions=perms
        )
        return str(value.id)
    raise TypeError(f"a {OptionType(type).name} option cannot take {value!r}")


def resolve_user(
    world: World, user: FakeUser, channel: FakeChannel, resolved: dict[str, Json]
) -> None:
    """Adds a user, and their member object when in a guild, to resolved data."""
    resolved.setdefault("users", {})[str(user.id)] = user_payload(user)
    guild = world.guild_of(channel)
    member = guild.members.get(user.id) if guild else None
    if member is not None:
        perms = world.permissions_in(channel, user.id)
        resolved.setdefault("members", {})[str(user.id)] = member_payload(
            member, with_user=False, permissions=perms
        )
