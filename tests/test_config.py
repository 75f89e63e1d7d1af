"""Config files: defaults in code, every bad key refused in one line that names it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, ConfigError, load_config

EXAMPLE = Path(__file__).resolve().parents[1] / "config.example.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_defaults() -> None:
    config = load_config(None)
    assert config == Config()
    assert config.discord.api_base == "https://discord.com/api/v10"
    assert config.answering.on_mention is True


def test_example_file_is_valid_and_equals_the_defaults() -> None:
    assert load_config(EXAMPLE) == Config()


def test_relative_paths_resolve_against_the_config_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "knowledge:\n  paths: [kb]\nstorage:\n  path: x.db\n"))
    assert config.knowledge_paths() == [tmp_path / "kb"]
    assert config.storage_path() == tmp_path / "x.db"


def test_values_are_converted(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            "discord:\n  dev_guild_ids: [1, '22']\n  shard_count: 4\n  shard_ids: [0, 3]\n"
            "answering:\n  answer_at: 1\n  automatic_at: 0.9\n  follow_up_seconds: 0\n",
        )
    )
    assert config.discord.dev_guild_ids == (1, 22)
    assert config.discord.shard_ids == (0, 3)
    assert config.answering.answer_at == 1.0
    assert config.answering.automatic_at == 0.9
    assert config.answering.follow_up_seconds == 0.0, "0 turns follow-ups off"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("discord:\n  tokn_env: X\n", "unknown key discord.tokn_env; did you mean 'token_env'?"),
        ("answring: {}\n", "unknown section 'answring'; did you mean 'answering'?"),
        (
            "answering:\n  on_mention: maybe\n",
            "answering.on_mention: expected true or false, got 'maybe'",
        ),
        ("answering:\n  channels: 5\n", "answering.channels: expected a list, got 5"),
        (
            "answering:\n  channels: [abc]\n",
            "answering.channels: expected a whole number, got 'abc'",
        ),
        ("answering:\n  forums: 7\n", "answering.forums: expected a list, got 7"),
        (
            "answering:\n  forums: [help]\n",
            "answering.forums: expected a whole number, got 'help'",
        ),
        (
            "answering:\n  channels: [1, 2]\n  forums: [2]\n",
            "answering.forums: a channel is also in answering.channels",
        ),
        ("answering:\n  forum: [2]\n", "unknown key answering.forum; did you mean 'forums'?"),
        ("answering:\n  answer_at: 2\n", "answering.answer_at: must be above 0"),
        (
            "answering:\n  answer_at: 0.4\n  probable_at: 0.6\n",
            "answering.probable_at: must be above 0 and at most answer_at",
        ),
        (
            "answering:\n  confidence_threshold: 0.5\n",
            "answering.confidence_threshold: replaced by answer_at, probable_at and automatic_at",
        ),
        ("discord:\n  api_base: ftp://x\n", "discord.api_base: expected a URL"),
        ("discord:\n  api_base: 'http://'\n", "discord.api_base: expected a URL"),
        ("discord:\n  api_base: 'http://x:99999'\n", "discord.api_base: expected a URL"),
        (
            "discord:\n  connect_timeout_seconds: 0\n",
            "discord.connect_timeout_seconds: must be positive",
        ),
        ("discord:\n  shard_ids: [0]\n", "discord.shard_ids: needs discord.shard_count"),
        ("discord:\n  shard_count: 2\n  shard_ids: [2]\n", "discord.shard_ids: every id must be"),
        (
            "answering:\n  follow_up_seconds: -5\n",
            "answering.follow_up_seconds: must be from 0 (off) to 3600",
        ),
        ("storage:\n  retention_days: 0\n", "storage.retention_days: must be at least 1"),
        ("storage:\n  url: mysql://db/footnote\n", "storage.url: expected a PostgreSQL URL"),
        ("storage:\n  url: 'postgresql://h:99999/d'\n", "storage.url: expected a PostgreSQL URL"),
        (
            "storage:\n  url: postgresql://bot:hunter2@db/footnote\n",
            "storage.url: has a password in it; remove it and name the environment variable",
        ),
        (
            "storage:\n  url: postgresql://bot@db/footnote?password=hunter2\n",
            "storage.url: has a password in it",
        ),
        (
            "storage:\n  password_env: PGPASS\n",
            "storage.password_env: needs storage.url (the SQLite file has no password)",
        ),
        (
            "answering:\n  channel_cooldown_seconds: .nan\n",
            "answering.channel_cooldown_seconds: expected a number, got nan",
        ),
        (
            "answering:\n  user_rate_seconds: .inf\n",
            "answering.user_rate_seconds: expected a number",
        ),
        (
            "discord:\n  shard_count: 2\n  shard_ids: [0, 0, 1]\n",
            "discord.shard_ids: a shard is listed twice",
        ),
        (
            "discord:\n  shard_count: 2\n  shard_ids: []\n",
            "discord.shard_ids: empty; list this process's shards, or leave it null for all",
        ),
        ("storage:\n  path: ''\n", "storage.path: expected text, got ''"),
        (
            "- a list\n",
            "expected sections discord, knowledge, answering, storage, feedback, metrics, texts",
        ),
        ("metrics:\n  listen: 9108\n", "metrics.listen: expected text, got 9108"),
        (
            "metrics:\n  listen: localhost\n",
            "metrics.listen: expected host:port, such as 127.0.0.1:9108",
        ),
        (
            "metrics:\n  listen: 127.0.0.1:0\n",
            "metrics.listen: port 0 is another free port at each start; give the one your",
        ),
        (
            "metrics:\n  listen: '127.0.0.1:99999'\n",
            "metrics.listen: expected a port number up to 65535, such as 127.0.0.1:9108",
        ),
        ("metrics:\n  listen: 'localhost:http'\n", "metrics.listen: expected a port number"),
        (
            "metrics:\n  listen: 'prometheus.example:9108'\n",
            "metrics.listen: expected an IP address or localhost, such as 127.0.0.1:9108",
        ),
        ("metrics:\n  listen: 'http://127.0.0.1:9108'\n", "metrics.listen: expected host:port"),
        ("metrics:\n  listen: '127.0.0.1:9108/metrics'\n", "metrics.listen: expected host:port"),
        ("metrics:\n  port: 9108\n", "unknown key metrics.port"),
        (
            "feedback:\n  digest_weekday: mondy\n",
            "feedback.digest_weekday: expected one of monday, tuesday, wednesday, thursday,",
        ),
        ("feedback:\n  digest_weekday: 1\n", "feedback.digest_weekday: expected text, got 1"),
        ("feedback:\n  digest_channel: general\n", "feedback.digest_channel: expected a whole"),
        ("feedback:\n  digest_channel: 0\n", "feedback.digest_channel: expected a channel id"),
        ("answering:\n  helper_role: -5\n", "answering.helper_role: expected a role id"),
        ("answering:\n  helper_cooldown_seconds: -1\n", "answering.helper_cooldown_seconds:"),
        ("texts: [1]\n", "texts: expected a mapping of languages, such as en or zh-CN"),
        ("texts:\n  english: {}\n", "texts: 'english' is not a language such as en or zh-CN"),
        ("texts:\n  en: hi\n", "texts.en: expected a mapping of texts"),
        ("texts:\n  en:\n    dont_knw: x\n", "unknown key texts.en.dont_knw; did you mean"),
        (
            "texts:\n  en:\n    slow_down: 'wait {secs} s'\n",
            "texts.en.slow_down: unknown placeholder {secs}; it may use {seconds}",
        ),
        (
            "texts:\n  zh-CN:\n    dont_know: 'no {question}'\n",
            "texts.zh-CN.dont_know: unknown placeholder {question}; it may use none",
        ),
        (
            "texts:\n  en:\n    dont_know_question: 'no {question!r}'\n",
            "texts.en.dont_know_question: {question!r}: placeholders take no !r, !s or !a",
        ),
        (
            "texts:\n  en:\n    slow_down: 'wait {seconds:.0q}'\n",
            "texts.en.slow_down: cannot be filled in (Unknown format code 'q'",
        ),
        ("texts:\n  en:\n    slow_down: 'wait {'\n", "texts.en.slow_down: cannot be filled in"),
        ("discord: [1]\n", "discord: expected a mapping of settings"),
        (
            "discord:\n  token_env: [\n",
            ":3: not valid YAML: expected the node content, but found '<stream end>'",
        ),
        ("discord: a: b\n", ":1: not valid YAML: mapping values are not allowed here"),
        (
            "discord:\n  api_base: http://127.0.0.1:9/api\ndiscord:\n  token_env: X\n",
            ":3: duplicate key 'discord' (first at line 1)",
        ),
        (
            "answering:\n  channels: [1]\n  on_mention: false\n  channels: [2]\n",
            ":4: duplicate key 'channels' (first at line 2)",
        ),
    ],
)
def test_bad_values_name_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    error = str(raised.value)
    assert error.startswith(str(path))
    assert message in error
    assert "\n" not in error


def test_curator_settings_are_read(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            "feedback:\n  digest_channel: '123'\n  digest_weekday: Friday\n"
            "answering:\n  helper_role: 77\n  helper_cooldown_seconds: 30\n",
        )
    )
    assert (config.feedback.digest_channel, config.feedback.digest_day) == (123, 4)
    assert (config.answering.helper_role, config.answering.helper_cooldown_seconds) == (77, 30.0)
    assert config.warnings() == []


def test_a_digest_without_storage_is_warned_about(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, "feedback:\n  digest_channel: 5\nstorage:\n  enabled: false\n")
    )
    assert config.warnings() == [
        "feedback.digest_channel is set but storage.enabled is false, so there is nothing to "
        "digest and no digest is sent; enable storage or unset the channel"
    ]


def test_policy_texts_are_read_per_language(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            "texts:\n  en:\n    slow_down: 'Wait {seconds:.1f} s {{ok}}'\n"
            "  zh-CN:\n    dont_know: 我不知道。\n",
        )
    )
    assert config.texts["en"].slow_down == "Wait {seconds:.1f} s {{ok}}"
    assert config.texts["en"].dont_know is None
    assert config.texts["zh-CN"].dont_know == "我不知道。"


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "nope.yaml")


def test_token_comes_from_the_named_variable_and_is_never_in_repr(monkeypatch, tmp_path) -> None:
    config = load_config(write(tmp_path, "discord:\n  token_env: MY_BOT_TOKEN\n"))
    monkeypatch.delenv("MY_BOT_TOKEN", raising=False)
    with pytest.raises(ConfigError) as raised:
        config.token()
    assert str(raised.value) == (
        "no Discord token: set the environment variable MY_BOT_TOKEN "
        f"(named by discord.token_env in {tmp_path / 'config.yaml'})"
    )
    monkeypatch.setenv("MY_BOT_TOKEN", "secret-token-value")
    assert config.token() == "secret-token-value"
    assert "secret-token-value" not in repr(config)


def test_the_shared_store_is_a_url_and_its_password_a_named_variable(monkeypatch, tmp_path):
    text = "storage:\n  url: postgresql://bot@db.internal/footnote\n  password_env: FOOTNOTE_PG\n"
    config = load_config(write(tmp_path, text))
    assert config.storage_target() == "postgresql://bot@db.internal/footnote"
    monkeypatch.delenv("FOOTNOTE_PG", raising=False)
    with pytest.raises(ConfigError) as raised:
        config.storage_password()
    assert str(raised.value) == (
        "no database password: set the environment variable FOOTNOTE_PG "
        f"(named by storage.password_env in {tmp_path / 'config.yaml'})"
    )
    monkeypatch.setenv("FOOTNOTE_PG", "pg-secret")
    assert config.storage_password() == "pg-secret"
    assert "pg-secret" not in repr(config)


def test_without_a_url_the_store_is_the_sqlite_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "storage:\n  path: x.db\n"))
    assert config.storage_target() == tmp_path / "x.db"
    assert config.storage_password() is None


def test_automatic_channels_without_message_content_are_warned_about(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "answering:\n  channels: [1]\n"))
    (warning,) = config.warnings()
    assert warning.startswith("answering.channels is set but discord.message_content is false")
    with_intent = "discord:\n  message_content: true\nanswering:\n  channels: [1]\n"
    assert load_config(write(tmp_path, with_intent)).warnings() == []


def test_automatic_forums_without_message_content_are_warned_about(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "answering:\n  forums: [1]\n"))
    (warning,) = config.warnings()
    assert warning.startswith("answering.forums is set but discord.message_content is false")
    assert "answered from their titles alone" in warning
    with_intent = "discord:\n  message_content: true\nanswering:\n  forums: [1]\n"
    config = load_config(write(tmp_path, with_intent))
    assert config.answering.forums == (1,) and config.warnings() == []


@pytest.mark.parametrize("pasted", ["Bot abc.def.ghi", "  Bot abc.def.ghi\n"])
def test_a_token_pasted_with_its_scheme_is_sent_once(monkeypatch, pasted: str) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", pasted)
    assert Config().token() == "abc.def.ghi"


def test_a_token_with_a_line_break_inside_is_refused_without_showing_it(monkeypatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "abc.def\nghi-secret")
    with pytest.raises(ConfigError) as raised:
        Config().token()
    assert str(raised.value) == (
        "the token in $DISCORD_TOKEN has spaces or line breaks inside; copy it again from the "
        "Developer Portal"
    )


@pytest.mark.parametrize(
    ("listen", "address"),
    [
        ("127.0.0.1:9108", ("127.0.0.1", 9108)),
        ("localhost:9108", ("localhost", 9108)),
        ("[::1]:9108", ("::1", 9108)),
        ("127.0.0.53:1", ("127.0.0.53", 1)),
    ],
)
def test_metrics_listen_on_loopback_is_read_without_a_warning(
    tmp_path: Path, listen: str, address: tuple[str, int]
) -> None:
    config = load_config(write(tmp_path, f"metrics:\n  listen: '{listen}'\n"))
    assert config.metrics.address == address
    assert config.warnings() == []


def test_metrics_are_off_by_default_and_with_listen_null(tmp_path: Path) -> None:
    assert load_config(None).metrics.address is None
    assert load_config(write(tmp_path, "metrics:\n  listen: null\n")).metrics.address is None


@pytest.mark.parametrize("listen", ["0.0.0.0:9108", "[::]:9108", "10.1.2.3:9108"])
def test_metrics_listening_beyond_this_machine_is_warned_about(tmp_path: Path, listen: str) -> None:
    config = load_config(write(tmp_path, f"metrics:\n  listen: '{listen}'\n"))
    (warning,) = config.warnings()
    assert warning.startswith(f"metrics.listen is {listen}, reachable from other machines")
