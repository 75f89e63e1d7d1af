"""The fake's world: users, guilds, roles, channels, messages and commands, with Discord's rules."""

from __future__ import annotations

import enum
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000


class Perm(enum.IntFlag):
    """Permission bits the fake reasons about; the values are Discord's."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_AUDIT_LOG = 1 << 7
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CHANGE_NICKNAME = 1 << 26
    MANAGE_ROLES = 1 << 28
    USE_APPLICATION_COMMANDS = 1 << 31
    SEND_MESSAGES_IN_THREADS = 1 << 38


ALL_PERMISSIONS = (1 << 51) - 1

DEFAULT_EVERYONE_PERMISSIONS = int(
    Perm.CREATE_INSTANT_INVITE
    | Perm.ADD_REACTIONS
    | Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.USE_EXTERNAL_EMOJIS
    | Perm.CHANGE_NICKNAME
    | Perm.USE_APPLICATION_COMMANDS
    | Perm.SEND_MESSAGES_IN_THREADS
)

DEFAULT_BOT_PERMISSIONS = int(
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.ADD_REACTIONS
    | Perm.USE_APPLICATION_COMMANDS
    | Perm.SEND_MESSAGES_IN_THREADS
)

DM_PERMISSIONS = int(
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.ADD_REACTIONS
    | Perm.USE_EXTERNAL_EMOJIS
)


class Intent(enum.IntFlag):
    """Gateway intent bits that decide which events the fake delivers."""

    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    GUILD_MESSAGE_REACTIONS = 1 << 10
    DIRECT_MESSAGES = 1 << 12
    MESSAGE_CONTENT = 1 << 15


class ChannelType(enum.IntEnum):
    """Channel types the fake can build."""

    TEXT = 0
    DM = 1
    CATEGORY = 4
    PUBLIC_THREAD = 11
    FORUM = 15


class OptionType(enum.IntEnum):
    """Application command option types, as Discord numbers them."""

    SUB_COMMAND = 1
    SUB_COMMAND_GROUP = 2
    STRING = 3
    INTEGER = 4
    BOOLEAN = 5
    USER = 6
    CHANNEL = 7
    ROLE = 8
    MENTIONABLE = 9
    NUMBER = 10
    ATTACHMENT = 11


def shard_of(guild_id: int, shard_count: int) -> int:
    """Which shard Discord routes a guild's events to."""
    return (guild_id >> 22) % shard_count


def now_iso() -> str:
    """An ISO-8601 timestamp as Discord writes them."""
    return datetime.now(UTC).isoformat()


class Snowflakes:
    """Makes increasing, realistic snowflakes so created_at and shard routing act as on Discord."""

    def __init__(self) -> None:
        self._last_ms = 0
        self._seq = 0

    def next(self, *, shard: tuple[int, int] | None = None) -> int:
        """A fresh snowflake; with shard=(id, count), one whose guild would live on that shard."""
        ms = max(int(time.time() * 1000) - DISCORD_EPOCH_MS, self._last_ms)
        seq = self._seq + 1 if ms == self._last_ms else 0
        if seq > 0xFFF:
            ms, seq = ms + 1, 0
        if shard is not None:
            shard_id, count = shard
            if ms % count != shard_id:
                ms += (shard_id - ms) % count
                seq = 0
        self._last_ms, self._seq = ms, seq
        return (ms << 22) | seq


@dataclass
class FakeUser:
    """A Discord account, human or bot."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    @property
    def mention(self) -> str:
        """The text that pings this user, as a person would type it."""
        return f"<@{self.id}>"


@dataclass
class FakeRole:
    """A guild role; the role whose id equals the guild's id is @everyone."""

    id: int
    name: str
    permissions: int
    position: int = 0
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    bot_id: int | None = None

    @property
    def mention(self) -> str:
        """The text that pings this role."""
        return f"<@&{self.id}>"


@dataclass
class FakeMember:
    """A user's membership in one guild; role_ids never include @everyone, as on Discord."""

    user: FakeUser
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=now_iso)


@dataclass(frozen=True)
class Overwrite:
    """A channel permission overwrite for a role (type 0) or a member (type 1)."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    @classmethod
    def for_role(cls, role: FakeRole, *, allow: int = 0, deny: int = 0) -> Overwrite:
        """An overwrite that applies to everyone holding the role."""
        return cls(id=role.id, type=0, allow=int(allow), deny=int(deny))

    @classmethod
    def for_member(cls, user: FakeUser, *, allow: int = 0, deny: int = 0) -> Overwrite:
        """An overwrite that applies to one member."""
        return cls(id=user.id, type=1, allow=int(allow), deny=int(deny))


@dataclass
class FakeChannel:
    """A guild channel or, with guild_id None, a DM channel."""

    id: int
    name: str
    guild_id: int | None
    type: int = ChannelType.TEXT
    position: int = 0
    topic: str | None = None
    overwrites: list[Overwrite] = field(default_factory=list)
    parent_id: int | None = None
    recipients: list[FakeUser] = field(default_factory=list)
    owner_id: int | None = None
    """A thread's creator; threads have no overwrites and take their parent's permissions."""

    @property
    def mention(self) -> str:
        """The text that links this channel."""
        return f"<#{self.id}>"

    @property
    def is_thread(self) -> bool:
        """Whether this is a thread (in a text channel) or a post (in a forum)."""
        return self.type == ChannelType.PUBLIC_THREAD


@dataclass
class FakeGuild:
    """A guild with its roles, channels and members, keyed by id."""

    id: int
    name: str
    owner_id: int
    roles: dict[int, FakeRole] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    members: dict[int, FakeMember] = field(default_factory=dict)
    bot_role_id: int | None = None

    @property
    def everyone(self) -> FakeRole:
        """The @everyone role, whose id is the guild's."""
        return self.roles[self.id]

    def base_permissions(self, user_id: int) -> int:
        """Guild-wide permissions: owner and administrators get everything."""
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        member = self.members.get(user_id)
        if member is None:
            return 0
        perms = self.everyone.permissions
        for role_id in member.role_ids:
            perms |= self.roles[role_id].permissions
        return ALL_PERMISSIONS if perms & Perm.ADMINISTRATOR else perms

    def permissions_in(self, channel: FakeChannel, user_id: int) -> int:
        """Channel permissions by Discord's algorithm: @everyone, then roles, then member."""
        perms = self.base_permissions(user_id)
        if perms == ALL_PERMISSIONS:
            return perms
        member = self.members[user_id]
        by_id = {ow.id: ow for ow in channel.overwrites}
        everyone = by_id.get(self.id)
        if everyone is not None:
            perms = (perms & ~everyone.deny) | everyone.allow
        allow = deny = 0
        for role_id in member.role_ids:
            ow = by_id.get(role_id)
            if ow is not None and ow.type == 0:
                allow, deny = allow | ow.allow, deny | ow.deny
        perms = (perms & ~deny) | allow
        own = by_id.get(user_id)
        if own is not None and own.type == 1:
            perms = (perms & ~own.deny) | own.allow
        return perms if perms & Perm.VIEW_CHANNEL else 0


@dataclass
class InteractionRecord:
    """What Discord remembers of an interaction, to judge the bot's responses as Discord would."""

    payload: dict[str, Any]
    created_at: float
    callback_type: int | None = None
    original_message_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    choices: list[dict[str, Any]] | None = None
    modal: dict[str, Any] | None = None

    @property
    def id(self) -> int:
        """The interaction's snowflake."""
        return int(self.payload["id"])

    @property
    def token(self) -> str:
        """The token the bot answers with."""
        return str(self.payload["token"])

    @property
    def type(self) -> int:
        """2 command, 3 component, 4 autocomplete, 5 modal submit."""
        return int(self.payload["type"])


class World:
    """Everything Discord knows, kept as plain objects so tests can build and inspect it."""

    def __init__(self, *, bot_name: str, bot_id: int | None, application_id: int | None) -> None:
        self.ids = Snowflakes()
        bot_id = bot_id or self.ids.next()
        self.bot = FakeUser(id=bot_id, username=bot_name, bot=True)
        self.application_id = application_id or bot_id
        self.users: dict[int, FakeUser] = {bot_id: self.bot}
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self.owner = self.add_user("owner")

    def add_user(
        self, username: str, *, bot: bool = False, global_name: str | None = None
    ) -> FakeUser:
        """A new account that can then join guilds or open a DM."""
        user = FakeUser(id=self.ids.next(), username=username, global_name=global_name, bot=bot)
        self.users[user.id] = user
        return user

    def add_guild(
        self,
        name: str,
        *,
        guild_id: int | None = None,
        shard: tuple[int, int] | None = None,
        owner: FakeUser | None = None,
        everyone_permissions: int = DEFAULT_EVERYONE_PERMISSIONS,
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
    ) -> FakeGuild:
        """A guild the bot is in, with @everyone, the bot's managed role, its owner and the bot."""
        gid = guild_id or self.ids.next(shard=shard)
        owner = owner or self.owner
        guild = FakeGuild(id=gid, name=name, owner_id=owner.id)
        guild.roles[gid] = FakeRole(id=gid, name="@everyone", permissions=int(everyone_permissions))
        self.guilds[gid] = guild
        bot_role = self.add_role(guild, self.bot.username, bot_permissions)
        bot_role.bot_id = self.bot.id
        guild.bot_role_id = bot_role.id
        self.add_member(guild, owner)
        self.add_member(guild, self.bot, roles=[bot_role])
        return guild

    def add_role(self, guild: FakeGuild, name: str, permissions: int = 0) -> FakeRole:
        """A role placed above the existing ones."""
        position = max(role.position for role in guild.roles.values()) + 1
        role = FakeRole(
            id=self.ids.next(), name=name, permissions=int(permissions), position=position
        )
        guild.roles[role.id] = role
        return role

    def add_channel(
        self,
        guild: FakeGuild,
        name: str,
        *,
        overwrites: Iterable[Overwrite] = (),
        type: int = ChannelType.TEXT,
        topic: str | None = None,
        parent: FakeChannel | None = None,
    ) -> FakeChannel:
        """A guild channel, with overwrites deciding who may see or speak in it."""
        channel = FakeChannel(
            id=self.ids.next(),
            name=name,
            guild_id=guild.id,
            type=type,
            position=len(guild.channels),
            topic=topic,
            overwrites=list(overwrites),
            parent_id=parent.id if parent else None,
        )
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def add_thread(
        self, parent: FakeChannel, name: str, owner: FakeUser, *, thread_id: int | None = None
    ) -> FakeChannel:
        """A public thread in a text channel, or a post in a forum (whose id is its first
        message's, as on Discord)."""
        if parent.type not in (ChannelType.TEXT, ChannelType.FORUM) or parent.guild_id is None:
            raise ValueError(f"#{parent.name} cannot have threads")
        thread = FakeChannel(
            id=thread_id or self.ids.next(),
            name=name,
            guild_id=parent.guild_id,
            type=ChannelType.PUBLIC_THREAD,
            parent_id=parent.id,
            owner_id=owner.id,
        )
        self.guilds[parent.guild_id].channels[thread.id] = thread
        self.channels[thread.id] = thread
        return thread

    def add_member(
        self,
        guild: FakeGuild,
        user: FakeUser,
        *,
        roles: Iterable[FakeRole] = (),
        nick: str | None = None,
    ) -> FakeMember:
        """Puts a user in a guild with the given roles."""
        member = FakeMember(user=user, role_ids=[role.id for role in roles], nick=nick)
        guild.members[user.id] = member
        return member

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        """The DM channel between the bot and a user, opened on first use as Discord does."""
        for channel in self.channels.values():
            if channel.type == ChannelType.DM and channel.recipients == [user]:
                return channel
        channel = FakeChannel(
            id=self.ids.next(), name="", guild_id=None, type=ChannelType.DM, recipients=[user]
        )
        self.channels[channel.id] = channel
        return channel

    def guild_of(self, channel: FakeChannel) -> FakeGuild | None:
        """The guild a channel belongs to; None for DMs."""
        return self.guilds[channel.guild_id] if channel.guild_id is not None else None

    def permissions_in(self, channel: FakeChannel, user_id: int) -> int:
        """A user's permissions in a channel; DMs grant the fixed DM set, threads their parent's."""
        guild = self.guild_of(channel)
        if guild is None:
            return DM_PERMISSIONS
        if channel.is_thread and channel.parent_id is not None:
            channel = self.channels[channel.parent_id]
        return guild.permissions_in(channel, user_id) if user_id in guild.members else 0

    def messages_in(self, channel_id: int) -> list[dict[str, Any]]:
        """Messages still in a channel, oldest first, ephemeral ones included (see flags & 64)."""
        return [m for m in self.messages.values() if m["channel_id"] == str(channel_id)]

    def find_command(self, name: str, type: int, guild_id: int | None) -> dict[str, Any] | None:
        """The registered command a user would pick: the guild's own first, then global."""
        scopes = (guild_id, None) if guild_id is not None else (None,)
        for scope in scopes:
            for command in self.commands.get(scope, []):
                if command["name"] == name and command.get("type", 1) == type:
                    return command
        return None

    def interaction_by_token(self, token: str) -> InteractionRecord | None:
        """The interaction a webhook token belongs to."""
        for record in self.interactions.values():
            if record.token == token:
                return record
        return None
