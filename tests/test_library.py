"""The knowledge cache: warm starts give the same answers, and any change or damage rebuilds."""

from __future__ import annotations

import json
import logging
import zlib
from pathlib import Path

import pytest

from bot.knowledge import bundled_knowledge_dir
from bot.library import open_knowledge

QUESTIONS = ["kimi price?", "deepsek training cost", "tell me about glm", "weather?"]


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    source = bundled_knowledge_dir() / "llm-landscape-mid-2026.yaml"
    (folder / "a.yaml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def answers(matcher) -> list[tuple]:
    return [
        (a.kind, a.fact and a.fact.id, a.topic and a.topic.id, a.confidence, a.suggestions)
        for a in map(matcher.ask, QUESTIONS)
    ]


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("index-*.json.z"))


def test_warm_start_answers_exactly_as_a_cold_one(kb: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = open_knowledge([kb], cache_dir=cache)
    (entry,) = entries(cache)
    warm = open_knowledge([kb], cache_dir=cache)
    assert answers(warm) == answers(cold)
    assert warm.knowledge == cold.knowledge
    assert entries(cache) == [entry]


def test_cache_is_plain_json_not_pickle(kb: Path, tmp_path: Path) -> None:
    open_knowledge([kb], cache_dir=tmp_path)
    (entry,) = entries(tmp_path)
    state = json.loads(zlib.decompress(entry.read_bytes()))
    assert set(state) == {"format", "version", "knowledge", "index"}


@pytest.mark.parametrize("change", ["edit", "add", "remove"])
def test_changed_added_or_removed_files_invalidate(kb: Path, tmp_path: Path, change: str) -> None:
    cache = tmp_path / "cache"
    (kb / "b.yaml").write_text(
        "source: {id: extra, title: X, publisher: Y, published: 2026-01-01}\n"
        "facts: [{id: extra-fact, question: What is zorblax?, answer: A test word.}]\n",
        encoding="utf-8",
    )
    open_knowledge([kb], cache_dir=cache)
    if change == "edit":
        text = (kb / "a.yaml").read_text(encoding="utf-8").replace("RMB 39", "RMB 49")
        (kb / "a.yaml").write_text(text, encoding="utf-8")
    elif change == "add":
        (kb / "c.yaml").write_text(
            (kb / "b.yaml").read_text().replace("extra", "third"), encoding="utf-8"
        )
    else:
        (kb / "b.yaml").unlink()
    fresh = open_knowledge([kb], cache_dir=cache)
    assert len(entries(cache)) == 2
    assert fresh.knowledge == open_knowledge([kb]).knowledge


@pytest.mark.parametrize(
    "damage",
    [b"not zlib at all", zlib.compress(b"{not json"), zlib.compress(b'{"format": 999}')],
)
def test_corrupt_or_foreign_cache_is_ignored_with_a_log_line(kb, tmp_path, caplog, damage):
    open_knowledge([kb], cache_dir=tmp_path)
    (entry,) = entries(tmp_path)
    entry.write_bytes(damage)
    with caplog.at_level(logging.WARNING, logger="bot.library"):
        matcher = open_knowledge([kb], cache_dir=tmp_path)
    assert answers(matcher) == answers(open_knowledge([kb]))
    (record,) = caplog.records
    assert "ignored" in record.getMessage() and "rebuilding" in record.getMessage()
    json.loads(zlib.decompress(entry.read_bytes()))


def test_unwritable_cache_folder_only_costs_speed(kb, tmp_path, caplog) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with caplog.at_level(logging.WARNING, logger="bot.library"):
        matcher = open_knowledge([kb], cache_dir=blocked / "cache")
    assert matcher.ask("kimi price?").fact.id == "kimi-price"
    assert "could not write the knowledge cache" in caplog.text
