"""Every setting, given a value of the wrong type or out of range, is refused in one named line."""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import SECTIONS, ConfigError, load_config

SETTINGS = [
    (section, spec.name, typing.get_type_hints(cls)[spec.name])
    for section, cls in SECTIONS.items()
    for spec in dataclasses.fields(cls)
]
HUGE = 10**400
"""A whole number YAML reads happily and no float can hold."""


def wrong_types(hint: Any) -> list[Any]:
    """Values that are not of the setting's type, whatever the type is."""
    if isinstance(hint, types.UnionType):
        (inner,) = [option for option in typing.get_args(hint) if option is not type(None)]
        return [value for value in wrong_types(inner) if value is not None]
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        return ["one", 5, {"a": 1}, True, None, *([bad] for bad in wrong_types(item))]
    common = [[], [1], {}, {"a": 1}, None]
    if hint is bool:
        return ["yes", "true", 1, 0, 1.0, *common]
    if hint is int:
        return ["ten", "", "1e3", "0x10", "1.5", 1.5, True, "²", *common]
    if hint is float:
        return ["fast", "0.5", True, *common]
    if hint is str:
        return [5, 1.5, True, "", "   ", *common]
    raise AssertionError(f"no wrong values known for settings of type {hint}")


WRONG_TYPES = [
    pytest.param(section, key, value, id=f"{section}.{key}={value!r}"[:60])
    for section, key, hint in SETTINGS
    for value in wrong_types(hint)
]
OUT_OF_RANGE: list[tuple[str, str, dict[str, Any]]] = [
    ("discord", "api_base", {"api_base": "ftp://example.org"}),
    ("discord", "api_base", {"api_base": "discord.com/api"}),
    ("discord", "shard_count", {"shard_count": 0}),
    ("discord", "shard_count", {"shard_count": -2}),
    ("discord", "shard_ids", {"shard_ids": [0]}),
    ("discord", "shard_ids", {"shard_count": 2, "shard_ids": [2]}),
    ("discord", "shard_ids", {"shard_count": 2, "shard_ids": [-1]}),
    ("answering", "answer_at", {"answer_at": 0}),
    ("answering", "answer_at", {"answer_at": 1.01}),
    ("answering", "answer_at", {"answer_at": math.nan}),
    ("answering", "answer_at", {"answer_at": HUGE}),
    ("answering", "probable_at", {"probable_at": 0}),
    ("answering", "probable_at", {"answer_at": 0.3, "probable_at": 0.4}),
    ("answering", "automatic_at", {"automatic_at": math.nan}),
    ("answering", "automatic_at", {"automatic_at": 1.5}),
    ("answering", "channel_cooldown_seconds", {"channel_cooldown_seconds": -1}),
    ("answering", "channel_cooldown_seconds", {"channel_cooldown_seconds": math.nan}),
    ("answering", "channel_cooldown_seconds", {"channel_cooldown_seconds": HUGE}),
    ("answering", "user_rate_count", {"user_rate_count": 0}),
    ("answering", "user_rate_seconds", {"user_rate_seconds": 0}),
    ("answering", "user_rate_seconds", {"user_rate_seconds": -HUGE}),
    ("answering", "follow_up_seconds", {"follow_up_seconds": -1}),
    ("answering", "follow_up_seconds", {"follow_up_seconds": 3_601}),
    ("answering", "follow_up_seconds", {"follow_up_seconds": math.nan}),
    ("answering", "follow_up_seconds", {"follow_up_seconds": HUGE}),
    ("storage", "retention_days", {"retention_days": 0}),
    ("storage", "retention_days", {"retention_days": -1}),
]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> str:
    """The one-line ConfigError a bad file gets, starting with the file's path."""
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    message = str(raised.value)
    assert message.startswith(f"{path}"), message
    assert len(message.splitlines()) == 1, repr(message)
    assert message.isprintable(), repr(message)
    return message


def test_every_setting_is_covered():
    """New settings get wrong values automatically; this fails if a type is not handled."""
    for _, _, hint in SETTINGS:
        assert wrong_types(hint)


@pytest.mark.parametrize(("section", "key", "value"), WRONG_TYPES)
def test_a_wrong_type_names_the_setting(tmp_path: Path, section: str, key: str, value: Any):
    """A host must see at once which setting to fix, whatever they wrote in it."""
    path = write(tmp_path, yaml.safe_dump({section: {key: value}}))
    assert f"{section}.{key}: " in refused(path)


@pytest.mark.parametrize(("section", "key", "values"), OUT_OF_RANGE)
def test_a_value_out_of_range_names_the_setting(
    tmp_path: Path, section: str, key: str, values: dict[str, Any]
):
    """Values of the right type can still be nonsense; those are refused by name too."""
    path = write(tmp_path, yaml.safe_dump({section: values}))
    assert f"{section}.{key}: " in refused(path)


@pytest.mark.parametrize(
    "text",
    [
        "storage:\n  retention_days: " + "9" * 5_000 + "\n",
        "discord:\n  dev_guild_ids: " + "[" * 5_000 + "]" * 5_000 + "\n",
        "answering: " + "{a: " * 3_000 + "1" + "}" * 3_000 + "\n",
        "storage:\n  path: 2026-13-45\n",
        "discord:\n  token_env: !!python/name:os.system\n",
        'discord:\n  "token_env\\nanswering.channels: expected": X\n',
        'answering:\n  "\\e[2Jchannels": [1]\n',
        '"\\u2028": {}\n',
    ],
    ids=[
        "5000-digit-number",
        "nested-lists",
        "nested-mappings",
        "impossible-date",
        "python-tag",
        "newline-in-key",
        "escape-in-key",
        "line-separator-section",
    ],
)
def test_a_malformed_file_is_refused_in_one_line(tmp_path: Path, text: str):
    """No config file, however broken, may end `footnote run` in a traceback."""
    refused(write(tmp_path, text))


yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    section=st.sampled_from([*SECTIONS, "x"]),
    key=st.one_of(st.sampled_from([key for _, key, _ in SETTINGS]), st.text(max_size=10)),
    value=yaml_values,
)
def test_any_setting_loads_or_is_refused_in_one_line(
    tmp_path: Path, section: str, key: str, value: Any
):
    """Whatever the value, loading ends in a config or one printable line."""
    path = write(tmp_path, yaml.safe_dump({section: {key: value}}))
    try:
        load_config(path)
    except ConfigError:
        refused(path)
