"""The bot's settings: defaults in code, overridden by a YAML file, every key checked."""

from __future__ import annotations

import dataclasses
import difflib
import ipaddress
import math
import os
import re
import string
import types
import typing
import urllib.parse
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.engine.conversation import FOLLOW_UP_SECONDS
from bot.engine.decision import MatchSettings

DEFAULT_API_BASE = "https://discord.com/api/v10"


class ConfigError(Exception):
    """A setting that cannot be used; its message is one line naming the file and the key."""


@dataclass(frozen=True)
class DiscordSettings:
    """How to reach Discord, and as which shards."""

    token_env: str = "DISCORD_TOKEN"
    api_base: str = DEFAULT_API_BASE
    dev_guild_ids: tuple[int, ...] = ()
    sync_commands: bool = True
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    message_content: bool = False
    connect_timeout_seconds: float = 30.0


@dataclass(frozen=True)
class KnowledgeSettings:
    """Where the knowledge files are; empty means the bundled knowledge."""

    paths: tuple[str, ...] = ()
    watch: bool = False
    """Reload by itself when the files change, keeping the old knowledge if the new is invalid."""


_MATCH = MatchSettings()
"""The engine's own defaults for how sure an answer must be: the config overrides them."""
MAX_FOLLOW_UP_SECONDS = 3_600.0
"""A message read against a question from over an hour before surprises more than it helps."""
RETIRED_KEYS = {
    "answering.confidence_threshold": "replaced by answer_at, probable_at and automatic_at, "
    "which are probabilities of being right (see config.example.yaml)",
}
"""Keys older configs have, with what to do instead: clearer than 'unknown key'."""


@dataclass(frozen=True)
class AnsweringSettings:
    """When the bot speaks unprompted, how sure it must be, and how often it may."""

    on_mention: bool = True
    channels: tuple[int, ...] = ()
    forums: tuple[int, ...] = ()
    question_suffix: str = "?"
    answer_dms: bool = False
    answer_at: float = _MATCH.answer_at
    probable_at: float = _MATCH.probable_at
    automatic_at: float = _MATCH.automatic_at
    ask_private: bool = True
    channel_cooldown_seconds: float = 60.0
    user_rate_count: int = 5
    user_rate_seconds: float = 60.0
    follow_up_seconds: float = FOLLOW_UP_SECONDS
    helper_role: int | None = None
    helper_cooldown_seconds: float = 600.0


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
"""In Python's order (Monday is 0), as digest_weekday names them."""


@dataclass(frozen=True)
class FeedbackSettings:
    """What curators are sent from the feedback log, and where."""

    digest_channel: int | None = None
    digest_weekday: str = "monday"

    @property
    def digest_day(self) -> int:
        """The digest's weekday as Python numbers it, Monday being 0."""
        return WEEKDAYS.index(self.digest_weekday.lower())


POSTGRES_SCHEMES = ("postgresql", "postgres")
"""The schemes libpq's URIs use, either of which selects the PostgreSQL store."""


@dataclass(frozen=True)
class StorageSettings:
    """The feedback log: where it lives, whether it is kept, and for how long. `url` selects a
    shared PostgreSQL server instead of the SQLite file at `path`; its password, if it needs
    one, comes from the environment variable `password_env` names, never from the file."""

    enabled: bool = True
    path: str = "footnote.db"
    retention_days: int = 90
    url: str | None = None
    password_env: str | None = None


@dataclass(frozen=True)
class PolicyTexts:
    """A host's own wording, for one language, of the replies that are policy rather than
    grammar; None keeps the built-in text."""

    dont_know: str | None = None
    dont_know_question: str | None = None
    slow_down: str | None = None
    just_answered: str | None = None


@dataclass(frozen=True)
class MetricsSettings:
    """The health and metrics endpoint for the host's monitoring; off unless given an address."""

    listen: str | None = None
    """`host:port` to serve /health and /metrics on, such as 127.0.0.1:9108."""

    @property
    def address(self) -> tuple[str, int] | None:
        """The host and port to listen on, or None when off."""
        return None if self.listen is None else listen_address(self.listen)


def listen_address(text: str) -> tuple[str, int]:
    """`host:port` (`[::1]:9108` for IPv6) as a host and port to bind, or ValueError saying what
    is wrong: the host an IP address or localhost, since a name may resolve to anywhere; port 0
    is any free one."""
    example = "such as 127.0.0.1:9108"
    parts = urllib.parse.urlsplit(f"//{text}")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"expected a port number up to 65535, {example}") from None
    host = parts.hostname
    whole = not (parts.path or parts.query or parts.fragment or parts.username)
    printable = all(char.isprintable() and not char.isspace() for char in text)
    if not host or port is None or not whole or not printable:
        raise ValueError(f"expected host:port, {example}")
    if host != "localhost":
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise ValueError(f"expected an IP address or localhost, {example}") from None
    return host, port


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach an address on this host."""
    return host == "localhost" or ipaddress.ip_address(host).is_loopback


PLACEHOLDERS: dict[str, dict[str, Any]] = {
    "dont_know": {},
    "dont_know_question": {"question": "why?"},
    "slow_down": {"seconds": 12.5},
    "just_answered": {},
}
"""What each policy text may fill in, with a sample value to try its template on at load."""
LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z]{2,4})?")
"""A language as Discord's locales name them: `en`, `zh-CN`, `es-419` aside."""


@dataclass(frozen=True)
class Config:
    """Everything the bot reads at start, with paths already resolved against the config file."""

    discord: DiscordSettings = field(default_factory=DiscordSettings)
    knowledge: KnowledgeSettings = field(default_factory=KnowledgeSettings)
    answering: AnsweringSettings = field(default_factory=AnsweringSettings)
    storage: StorageSettings = field(default_factory=StorageSettings)
    feedback: FeedbackSettings = field(default_factory=FeedbackSettings)
    metrics: MetricsSettings = field(default_factory=MetricsSettings)
    texts: dict[str, PolicyTexts] = field(default_factory=dict)
    """Per language (`en`, `zh-CN`): the host's wording of the policy replies."""
    base_dir: Path = field(default_factory=Path.cwd, compare=False)
    source: Path | None = field(default=None, compare=False)

    def knowledge_paths(self) -> list[Path]:
        """Knowledge paths resolved against the config file's folder."""
        return [self.base_dir / path for path in self.knowledge.paths]

    def storage_path(self) -> Path:
        """The feedback database, resolved against the config file's folder."""
        return self.base_dir / self.storage.path

    def storage_target(self) -> Path | str:
        """Where the feedback log lives: the PostgreSQL URL if one is set, else the SQLite file."""
        return self.storage.url if self.storage.url is not None else self.storage_path()

    def storage_password(self) -> str | None:
        """The PostgreSQL password from the environment, if the config names a variable; never
        stored on the config, so never printed."""
        variable = self.storage.password_env
        if variable is None:
            return None
        password = os.environ.get(variable)
        if not password:
            named_in = f" in {self.source}" if self.source else ""
            raise ConfigError(
                f"no database password: set the environment variable {variable} "
                f"(named by storage.password_env{named_in})"
            )
        return password

    def warnings(self) -> list[str]:
        """Settings that are valid but cannot do what they say, for the host to hear at start."""
        found = []
        if self.answering.channels and not self.discord.message_content:
            found.append(
                "answering.channels is set but discord.message_content is false, so questions "
                "there are only answered when they mention the bot; enable the intent (here and "
                "in the Developer Portal) or empty the list"
            )
        if self.answering.forums and not self.discord.message_content:
            found.append(
                "answering.forums is set but discord.message_content is false, so new posts "
                "there are answered from their titles alone and later questions only when they "
                "mention the bot; enable the intent (here and in the Developer Portal) or empty "
                "the list"
            )
        if self.feedback.digest_channel is not None and not self.storage.enabled:
            found.append(
                "feedback.digest_channel is set but storage.enabled is false, so there is "
                "nothing to digest and no digest is sent; enable storage or unset the channel"
            )
        address = self.metrics.address
        if address is not None and not is_loopback(address[0]):
            found.append(
                f"metrics.listen is {self.metrics.listen}, reachable from other machines, and "
                "/health and /metrics ask for no password: let only your monitoring reach the "
                "port (a firewall, or a container network), or listen on 127.0.0.1"
            )
        return found

    def token(self) -> str:
        """The bot token from the environment; never stored on the config, so never printed."""
        variable = self.discord.token_env
        # Pasted from an Authorization header, it comes with the scheme discord.py adds itself.
        token = os.environ.get(variable, "").strip().removeprefix("Bot ").strip()
        if not token:
            named_in = f" in {self.source}" if self.source else ", the default"
            raise ConfigError(
                f"no Discord token: set the environment variable {variable} "
                f"(named by discord.token_env{named_in})"
            )
        if not all(char.isprintable() and not char.isspace() for char in token):
            raise ConfigError(
                f"the token in ${variable} has spaces or line breaks inside; copy it again "
                "from the Developer Portal"
            )
        return token


SECTIONS: dict[str, type] = {
    "discord": DiscordSettings,
    "knowledge": KnowledgeSettings,
    "answering": AnsweringSettings,
    "storage": StorageSettings,
    "feedback": FeedbackSettings,
    "metrics": MetricsSettings,
}


class _DuplicateKey(yaml.MarkedYAMLError):
    """A key given twice in one mapping."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in a mapping instead of keeping the last:
    a second `discord:` section would otherwise silently undo the first one's settings."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<:` overrides by design
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, Hashable) and key in first:
                raise _DuplicateKey(
                    problem=f"duplicate key {key!r} (first at line "
                    f"{first[key].start_mark.line + 1})",
                    problem_mark=key_node.start_mark,
                )
            if isinstance(key, Hashable):
                first[key] = key_node
        return super().construct_mapping(node, deep)


def load_config(path: Path | None) -> Config:
    """Reads a config file (or none, for all defaults), raising ConfigError on any bad key."""
    if path is None:
        return Config()
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except _DuplicateKey as error:
        raise ConfigError(f"{path}{_line(error)}: {error.problem}") from None
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or getattr(error, "context", None)
        reason = f": {' '.join(str(problem).split())}" if problem else ""
        raise ConfigError(f"{path}{_line(error)}: not valid YAML{reason}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid YAML: nested too deeply") from None
    except ValueError as error:  # a value YAML recognises but cannot build: 2026-13-45, 10**5000
        raise ConfigError(f"{path}: not valid YAML: {error}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected sections {', '.join(SECTIONS)}, texts")
    sections: dict[str, Any] = {}
    for name, values in data.items():
        if name == "texts":
            sections[name] = _texts(path, values)
            continue
        section_type = SECTIONS.get(str(name))
        if section_type is None:
            raise ConfigError(
                f"{path}: unknown section {name!r}{_hint(str(name), [*SECTIONS, 'texts'])}"
            )
        if values is None:
            values = {}
        if not isinstance(values, dict):
            raise ConfigError(f"{path}: {name}: expected a mapping of settings")
        sections[name] = _section(path, name, section_type, values)
    config = Config(**sections, base_dir=path.resolve().parent, source=path)
    _check_consistency(path, config)
    return config


def _texts(path: Path, values: Any) -> dict[str, PolicyTexts]:
    """The `texts` section: per language, policy texts whose placeholders are all known, so a
    typo in one fails at load and never in a reply."""
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: texts: expected a mapping of languages, such as en or zh-CN")
    found = {}
    for language, texts in values.items():
        if not isinstance(language, str) or not LANGUAGE.fullmatch(language):
            raise ConfigError(f"{path}: texts: {language!r} is not a language such as en or zh-CN")
        if not isinstance(texts, dict):
            raise ConfigError(f"{path}: texts.{language}: expected a mapping of texts")
        found[language] = policy = _section(path, f"texts.{language}", PolicyTexts, texts)
        for name, sample in PLACEHOLDERS.items():
            text = getattr(policy, name)
            if text is not None and (problem := _template_problem(text, sample)):
                raise ConfigError(f"{path}: texts.{language}.{name}: {problem}")
    return found


def _template_problem(text: str, sample: dict[str, Any]) -> str | None:
    """What is wrong with a text's placeholders, or None: each must be one of those allowed,
    by plain name, and fill in; literal braces are doubled, as in Python."""
    allowed = ", ".join(f"{{{name}}}" for name in sample) or "none"
    try:
        for _, field_name, _, conversion in string.Formatter().parse(text):
            if field_name is not None and field_name not in sample:
                return f"unknown placeholder {{{field_name}}}; it may use {allowed}"
            if conversion:
                return f"{{{field_name}!{conversion}}}: placeholders take no !r, !s or !a"
        text.format(**sample)
    except (ValueError, IndexError, KeyError) as error:
        return f"cannot be filled in ({error}); it may use {allowed}, and {{{{ }}}} for braces"
    return None


def _section(path: Path, name: str, section_type: type, values: dict[Any, Any]) -> Any:
    """One section, each value converted to its field's type or rejected by name."""
    fields = {spec.name: spec for spec in dataclasses.fields(section_type)}
    hints = typing.get_type_hints(section_type)
    converted: dict[str, Any] = {}
    for key, value in values.items():
        if (retired := RETIRED_KEYS.get(f"{name}.{key}")) is not None:
            raise ConfigError(f"{path}: {name}.{key}: {retired}")
        if str(key) not in fields:
            shown = str(key) if str(key).isprintable() else repr(str(key))
            raise ConfigError(f"{path}: unknown key {name}.{shown}{_hint(str(key), fields)}")
        try:
            converted[str(key)] = _convert(value, hints[str(key)])
        except ValueError as problem:
            raise ConfigError(f"{path}: {name}.{key}: {problem}") from None
    return section_type(**converted)


def _convert(value: Any, hint: Any) -> Any:
    """A YAML value as the declared type, or ValueError saying what was expected."""
    if isinstance(hint, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        return _convert(value, next(option for option in options if option is not type(None)))
    origin = typing.get_origin(hint)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        if not isinstance(value, list):
            raise ValueError(f"expected a list, got {_describe(value)}")
        return tuple(_convert(entry, item) for entry in value)
    if hint is bool:
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {_describe(value)}")
        return value
    if hint is int:
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {_describe(value)}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number, got {_describe(value)}")
        if isinstance(value, int) and abs(value) > 1e300:
            raise ValueError("the number is too large")
        if not math.isfinite(value):  # YAML's .nan and .inf pass for numbers
            raise ValueError(f"expected a number, got {_describe(value)}")
        return float(value)
    if hint is str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"expected text, got {_describe(value)}")
        return value.strip()
    raise AssertionError(f"unsupported setting type {hint}")  # pragma: no cover


def _check_consistency(path: Path, config: Config) -> None:
    """Rules that span values: ranges and the shard settings that only make sense together."""
    discord, answering, storage = config.discord, config.answering, config.storage
    feedback = config.feedback
    checks = [
        (
            _is_http_url(discord.api_base),
            "discord.api_base: expected a URL such as https://discord.com/api/v10",
        ),
        (
            0 < discord.connect_timeout_seconds < math.inf,
            "discord.connect_timeout_seconds: must be positive",
        ),
        (
            discord.shard_count is None or discord.shard_count >= 1,
            "discord.shard_count: must be at least 1",
        ),
        (
            discord.shard_ids is None or discord.shard_count is not None,
            "discord.shard_ids: needs discord.shard_count",
        ),
        (
            discord.shard_ids != (),
            "discord.shard_ids: empty; list this process's shards, or leave it null for all",
        ),
        (
            not discord.shard_ids
            or all(0 <= i < (discord.shard_count or 0) for i in discord.shard_ids),
            "discord.shard_ids: every id must be from 0 to shard_count - 1",
        ),
        (
            not discord.shard_ids or len(set(discord.shard_ids)) == len(discord.shard_ids),
            "discord.shard_ids: a shard is listed twice",
        ),
        (
            0.0 < answering.answer_at <= 1.0,
            "answering.answer_at: must be above 0 and at most 1",
        ),
        (
            0.0 < answering.probable_at <= answering.answer_at,
            "answering.probable_at: must be above 0 and at most answer_at",
        ),
        (
            0.0 < answering.automatic_at <= 1.0,
            "answering.automatic_at: must be above 0 and at most 1",
        ),
        (
            not set(answering.forums) & set(answering.channels),
            "answering.forums: a channel is also in answering.channels; list a forum in forums "
            "only, and a text channel in channels only",
        ),
        (answering.channel_cooldown_seconds >= 0, "answering.channel_cooldown_seconds: negative"),
        (answering.user_rate_count >= 1, "answering.user_rate_count: must be at least 1"),
        (answering.user_rate_seconds > 0, "answering.user_rate_seconds: must be positive"),
        (
            0 <= answering.follow_up_seconds <= MAX_FOLLOW_UP_SECONDS,
            f"answering.follow_up_seconds: must be from 0 (off) to {MAX_FOLLOW_UP_SECONDS:.0f}",
        ),
        (storage.retention_days >= 1, "storage.retention_days: must be at least 1"),
        (
            storage.url is None or _is_postgres_url(storage.url),
            "storage.url: expected a PostgreSQL URL such as postgresql://footnote@db.internal/footnote",
        ),
        (
            storage.url is None or not _has_password(storage.url),
            "storage.url: has a password in it; remove it and name the environment variable that "
            "holds it in storage.password_env",
        ),
        (
            storage.password_env is None or storage.url is not None,
            "storage.password_env: needs storage.url (the SQLite file has no password)",
        ),
        (
            answering.helper_cooldown_seconds >= 0,
            "answering.helper_cooldown_seconds: negative",
        ),
        (
            answering.helper_role is None or answering.helper_role > 0,
            "answering.helper_role: expected a role id, or null for no button",
        ),
        (
            feedback.digest_channel is None or feedback.digest_channel > 0,
            "feedback.digest_channel: expected a channel id, or null for no digest",
        ),
        (
            feedback.digest_weekday.lower() in WEEKDAYS,
            f"feedback.digest_weekday: expected one of {', '.join(WEEKDAYS)}",
        ),
    ]
    for ok, message in checks:
        if not ok:
            raise ConfigError(f"{path}: {message}")
    if config.metrics.listen is not None:
        try:
            _, port = listen_address(config.metrics.listen)
        except ValueError as problem:
            raise ConfigError(f"{path}: metrics.listen: {problem}") from None
        if port == 0:
            raise ConfigError(
                f"{path}: metrics.listen: port 0 is another free port at each start; give the "
                "one your monitoring asks"
            )


def _url_parts(text: str) -> urllib.parse.SplitResult | None:
    """A URL's parts, or None if it has a port out of range or spaces or control characters."""
    if not all(char.isprintable() and not char.isspace() for char in text):
        return None
    try:
        parts = urllib.parse.urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return None
    return parts


def _is_http_url(text: str) -> bool:
    """An http(s) URL with a host and a valid port, as discord.py and aiohttp can use."""
    parts = _url_parts(text)
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.hostname)


def _is_postgres_url(text: str) -> bool:
    """A libpq URI with a database host or socket, as asyncpg can use."""
    parts = _url_parts(text)
    return parts is not None and parts.scheme in POSTGRES_SCHEMES


def _has_password(url: str) -> bool:
    """Whether a URL carries a password, before the host or as a `password=` parameter."""
    parts = urllib.parse.urlsplit(url)
    return parts.password is not None or "password" in urllib.parse.parse_qs(parts.query)


def _line(error: yaml.YAMLError) -> str:
    """`:LINE` where YAML found a problem, or nothing when it cannot say."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return f":{mark.line + 1}" if mark is not None else ""


def _hint(key: str, valid: typing.Iterable[str]) -> str:
    """A did-you-mean for a misspelt key."""
    close = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else ""


def _describe(value: Any) -> str:
    """A value as a curator would recognise it in their file."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return "a list" if isinstance(value, list) else "a mapping"
    return repr(value)
