"""The knowledge cache: warm starts give the same answers, and any change or damage rebuilds."""

from __future__ import annotations

import io
import json
import logging
import re
import struct
from array import array
from pathlib import Path
from typing import Any

import pytest

from bot import library, workers
from bot.discordbot.services import Library
from bot.engine import MatchSettings, indexing, typos
from bot.knowledge import KnowledgeError, bundled_knowledge_dir, load_knowledge, loader
from bot.library import MAGIC, open_knowledge, open_unkept
from tests.engine.test_index import counting_reads, state_of

QUESTIONS = ["kimi price?", "deepsek training cost", "tell me about glm", "weather?"]


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    source = bundled_knowledge_dir() / "llm-landscape-mid-2026.yaml"
    (folder / "a.yaml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def answers(matcher) -> list[tuple]:
    return answers_to(matcher, QUESTIONS)


def answers_to(matcher, questions: list[str]) -> list[tuple]:
    return [
        (a.kind, a.fact and a.fact.id, a.topic and a.topic.id, a.confidence, a.suggestions)
        for a in map(matcher.ask, questions)
    ]


def entries(cache: Path, kind: str = "index") -> list[Path]:
    return sorted(cache.glob(f"{kind}-*.bin"))


def test_warm_start_answers_exactly_as_a_cold_one(kb: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = open_knowledge([kb], cache_dir=cache)
    (entry,) = entries(cache)
    warm = open_knowledge([kb], cache_dir=cache)
    assert answers(warm) == answers(cold)
    assert warm.knowledge == cold.knowledge
    assert entries(cache) == [entry]


def test_a_build_serves_before_it_writes_the_cache_and_writes_it_once(
    kb: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    opened = open_unkept([kb], cache_dir=cache)
    assert entries(cache) == [] and entries(cache, "readings") == []
    assert opened.digest == library.knowledge_digest([kb])
    opened.keep()
    (entry,) = entries(cache)
    assert len(entries(cache, "readings")) == 1
    written = entry.read_bytes()
    opened.keep()
    assert entries(cache) == [entry] and entry.read_bytes() == written
    warm = open_unkept([kb], cache_dir=cache)
    assert warm.pending == [], "a warm start has nothing to write"
    assert answers(warm.matcher) == answers(opened.matcher)


async def test_a_reload_serves_the_edit_then_writes_the_cache(kb: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    served = Library([kb], MatchSettings(), cache)
    (first,) = entries(cache)
    path = kb / "a.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    outcome = await served.reload()
    assert outcome.ok and served.digest == library.knowledge_digest([kb])
    assert len(entries(cache)) == 2 and first in entries(cache)
    assert answers(served.matcher) == answers(open_knowledge([kb]))


def header_and_payload(entry: Path) -> tuple[dict, bytes]:
    raw = entry.read_bytes()
    assert raw.startswith(MAGIC)
    (length,) = struct.unpack("<Q", raw[-8:])
    return json.loads(raw[-8 - length : -8]), raw[len(MAGIC) : -8 - length]


def entry_with_header(header: dict, payload: bytes) -> bytes:
    encoded = json.dumps(header).encode()
    return MAGIC + payload + encoded + struct.pack("<Q", len(encoded))


def test_cache_holds_only_texts_json_and_number_arrays(kb: Path, tmp_path: Path) -> None:
    open_knowledge([kb], cache_dir=tmp_path)
    (entry,) = entries(tmp_path)
    header, payload = header_and_payload(entry)
    assert {kind for _, kind, _ in header["sections"]} == {"texts", "json", "I", "f"}
    names = [name for name, _, _ in header["sections"]]
    assert "knowledge/facts/answer" in names and "knowledge/facts/question" in names
    assert sum(size for _, _, size in header["sections"]) == len(payload)
    offset = 0
    for name, kind, size in header["sections"]:
        blob = payload[offset : offset + size]
        offset += size
        if kind == "json":
            json.loads(blob)
        elif kind == "texts":
            assert all(blob.decode().split("\0"))
        else:
            array(kind).frombytes(blob)
        assert name


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


def flip_last_byte(raw: bytes) -> bytes:
    return raw[:-1] + bytes([raw[-1] ^ 0xFF])


def other_header(**changes: object) -> object:
    def damage(raw: bytes) -> bytes:
        (length,) = struct.unpack("<Q", raw[-8:])
        header = json.loads(raw[-8 - length : -8])
        return entry_with_header({**header, **changes}, raw[len(MAGIC) : -8 - length])

    return damage


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"not a cache entry at all",
        lambda raw: b"",
        lambda raw: raw[: len(raw) // 2],
        lambda raw: raw[:-20] + b"{not json" + raw[-11:],
        flip_last_byte,
        other_header(format=999),
        other_header(version="0.0.0"),
        other_header(byteorder="middle"),
        other_header(arrays={"I": 8, "f": 8}),
        other_header(sections=[["knowledge", "pickle", 10]]),
    ],
    ids=[
        "garbage",
        "empty",
        "truncated",
        "bad header",
        "flipped byte",
        "other format",
        "other version",
        "other byte order",
        "other array sizes",
        "unknown section type",
    ],
)
def test_corrupt_or_foreign_cache_is_ignored_with_a_log_line(kb, tmp_path, caplog, damage):
    open_knowledge([kb], cache_dir=tmp_path)
    (entry,) = entries(tmp_path)
    entry.write_bytes(damage(entry.read_bytes()))
    with caplog.at_level(logging.WARNING, logger="bot.library"):
        matcher = open_knowledge([kb], cache_dir=tmp_path)
    assert answers(matcher) == answers(open_knowledge([kb]))
    (record,) = caplog.records
    assert "ignored" in record.getMessage() and "rebuilding" in record.getMessage()
    header_and_payload(entry)


@pytest.mark.parametrize(
    ("section", "value"),
    [
        ("profile_terms", array("I", [10**6])),
        ("profile_kinds", array("I")),
        ("term_starts", array("I", [0])),
        ("term_positions", lambda old: array("I", [10**6] * len(old))),
        ("topic_positions", lambda old: array("i", [-1] * len(old))),
        ("profile_terms", lambda old: array("i", old)),
        ("term_weights", lambda old: array("I", [1] * len(old))),
        ("topics", ["no-such-topic"]),
        ("kind_sets", []),
    ],
)
def test_an_entry_whose_checksum_holds_but_whose_index_does_not_is_ignored(
    kb, tmp_path, caplog, section, value
):
    """An entry written by a buggy build passes the checksum; the index must still refuse it
    when read, not when a question happens to touch the bad part."""
    matcher = open_knowledge([kb], cache_dir=tmp_path)
    (entry,) = entries(tmp_path)
    state = {"knowledge": matcher.knowledge.to_state(), **matcher.index.export_state()}
    state[section] = value(state[section]) if callable(value) else value
    with entry.open("wb") as out:
        library._pack(state, out)
    with caplog.at_level(logging.WARNING, logger="bot.library"):
        reopened = open_knowledge([kb], cache_dir=tmp_path)
    assert answers(reopened) == answers(matcher)
    assert "ignored" in caplog.text


def test_unwritable_cache_folder_only_costs_speed(kb, tmp_path, caplog) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with caplog.at_level(logging.WARNING, logger="bot.library"):
        matcher = open_knowledge([kb], cache_dir=blocked / "cache")
    assert matcher.ask("kimi price?").fact.id == "kimi-price"
    assert "could not write the knowledge cache" in caplog.text


def test_a_file_gone_before_hashing_is_reported_by_the_loader(kb, tmp_path, monkeypatch) -> None:
    """A file deleted between discovery and reading must not crash with a traceback from
    the cache: the load goes on and reports what it finds."""
    listed = [kb / "a.yaml", kb / "gone.yaml"]
    monkeypatch.setattr(library, "knowledge_files", lambda paths: listed)
    matcher = open_knowledge([kb], cache_dir=tmp_path)
    assert matcher.ask("kimi price?").fact.id == "kimi-price"
    assert entries(tmp_path) == []


def test_pruning_a_shared_cache_folder_deletes_only_its_own_entries(kb: Path, tmp_path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    foreign = ["index-1.html", "index-notes.bin", f"index-{'0' * 32}.bin.bak", "notes.txt"]
    foreign += ["file-notes.json", f"file-{'0' * 32}.json.bak", f"file-{'0' * 31}.json"]
    foreign += ["readings-notes.bin", f"readings-{'0' * 32}.bin.bak"]
    for name in foreign:
        (shared / name).write_text("someone else's", encoding="utf-8")
    original = (kb / "a.yaml").read_text(encoding="utf-8")
    for edit in range(library.KEPT_ENTRIES + 2):
        (kb / "a.yaml").write_text(f"{original}\n# edit {edit}\n", encoding="utf-8")
        open_knowledge([kb], cache_dir=shared)
    own = [path for path in shared.iterdir() if re.fullmatch(r"index-[0-9a-f]{32}\.bin", path.name)]
    assert len(own) == library.KEPT_ENTRIES
    files = [path for path in shared.iterdir() if library.FILE_ENTRY_NAME.fullmatch(path.name)]
    assert len(files) == library.KEPT_ENTRIES
    assert all((shared / name).read_text(encoding="utf-8") == "someone else's" for name in foreign)


ZORBLAX = """source: {id: zorblax-notes, title: Zorblax, publisher: Lab, published: 2026-01-01}
glossary:
  gadget: [widget, contraption]
topics:
  - {id: zorblax, name: Zorblax-9, aliases: [Zorblax], summary: A test model by the Lab.}
facts:
  - {id: zorblax-price, topic: zorblax, question: What does Zorblax-9 cost?, answer: 9 coins.}
  - {id: zorblax-gadget, topic: zorblax, question: Which gadget runs Zorblax?, answer: A kettle.}
"""
ZORBLAX_KIMI = """source: {id: more-notes, title: More notes, publisher: Lab, published: 2026-02-01}
facts:
  - {id: zorblax-kimi, topic: kimi, question: Does Kimi beat Zorblax at chess?, answer: Rarely.}
  - {id: zorblax-speed, topic: zorblax, question: How fast is Zorblax-9?, answer: 3 tokens a day.}
"""


@pytest.fixture
def several(kb: Path) -> Path:
    """The bundled file and two small ones naming each other's topics and sharing a glossary."""
    (kb / "b.yaml").write_text(ZORBLAX, encoding="utf-8")
    (kb / "c.yaml").write_text(ZORBLAX_KIMI, encoding="utf-8")
    return kb


def every_answer(matcher) -> list[tuple]:
    """What each phrasing of each fact, and each topic name, gets asked."""
    knowledge = matcher.knowledge
    questions = [q for fact in knowledge.facts.values() for q in fact.phrasings]
    questions += [f"tell me about {name}" for t in knowledge.topics.values() for name in t.names]
    return answers_to(matcher, [*QUESTIONS, *questions])


def file_entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("file-*.json"))


def test_a_reload_after_one_edit_reads_only_that_file_and_answers_as_a_fresh_build(
    several: Path, tmp_path: Path, monkeypatch
) -> None:
    cache = tmp_path / "cache"
    open_knowledge([several], cache_dir=cache)
    assert len(file_entries(cache)) == 3
    text = (several / "c.yaml").read_text(encoding="utf-8").replace("Rarely.", "Never.")
    (several / "c.yaml").write_text(text, encoding="utf-8")
    parsed: list[str] = []
    read = loader._FileReader.read
    monkeypatch.setattr(
        loader._FileReader,
        "read",
        lambda self, raw: parsed.append(self.path.name) or read(self, raw),
    )
    reloaded = open_knowledge([several], cache_dir=cache)
    assert parsed == ["c.yaml"]
    assert reloaded.knowledge.facts["zorblax-kimi"].answer == "Never."
    parsed.clear()
    fresh = open_knowledge([several])
    assert parsed == ["a.yaml", "b.yaml", "c.yaml"]
    assert reloaded.knowledge == fresh.knowledge
    assert every_answer(reloaded) == every_answer(fresh)


@pytest.mark.parametrize(
    "added",
    [
        ZORBLAX_KIMI.replace("more-notes", "third"),
        ZORBLAX.replace("zorblax-notes", "third").replace("Zorblax-9", "Zorblax-10"),
        ZORBLAX_KIMI.replace("more-notes", "third").replace("topic: kimi", "topic: kimmi"),
    ],
    ids=["duplicate facts", "duplicate topic and glossary", "unknown topic"],
)
def test_problems_across_files_read_the_same_with_cached_files(
    several: Path, tmp_path: Path, added: str
) -> None:
    """Cached files still take part in every check across files, with their own lines."""
    open_knowledge([several], cache_dir=tmp_path)
    (several / "d.yaml").write_text(added, encoding="utf-8")
    with pytest.raises(KnowledgeError) as uncached:
        load_knowledge([several])
    with pytest.raises(KnowledgeError) as cached:
        open_knowledge([several], cache_dir=tmp_path)
    assert str(cached.value) == str(uncached.value)
    assert "b.yaml:" in str(cached.value) or "c.yaml:" in str(cached.value)


def test_a_file_with_problems_is_never_cached(several: Path, tmp_path: Path) -> None:
    broken = ZORBLAX_KIMI.replace("Rarely.", '""').replace("more-notes", "fourth")
    (several / "d.yaml").write_text(broken.replace("id: zorblax-", "id: other-"))
    for _ in range(2):
        with pytest.raises(KnowledgeError, match=r"d\.yaml:3: fact 'answer' must not be empty$"):
            open_knowledge([several], cache_dir=tmp_path)
    assert len(file_entries(tmp_path)) == 3


def misnamed(raw: bytes) -> bytes:
    stored = json.loads(raw)
    return json.dumps({**stored, "key": "0" * 32}).encode()


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"not json",
        lambda raw: raw[: len(raw) // 2],
        lambda raw: b"[]",
        lambda raw: raw.replace(b'"format": ', b'"format": 1'),
        misnamed,
        lambda raw: json.dumps({**json.loads(raw), "document": {"topics": 1}}).encode(),
        lambda raw: raw.replace(b'"fact_lines": [', b'"fact_lines": [{}, '),
    ],
    ids=["garbage", "truncated", "not a mapping", "other format", "misnamed", "shape", "lines"],
)
def test_a_damaged_or_foreign_file_entry_is_ignored_with_a_log_line(
    several: Path, tmp_path: Path, caplog, damage
) -> None:
    open_knowledge([several], cache_dir=tmp_path)
    (whole,) = entries(tmp_path)
    whole.unlink()
    entry = file_entries(tmp_path)[0]
    entry.write_bytes(damage(entry.read_bytes()))
    with caplog.at_level(logging.WARNING):
        matcher = open_knowledge([several], cache_dir=tmp_path)
    assert every_answer(matcher) == every_answer(open_knowledge([several]))
    (record,) = [r for r in caplog.records if "ignored" in r.getMessage()]
    assert record.levelno == logging.WARNING


def test_a_reload_after_one_edit_reads_only_the_edited_facts_and_builds_as_a_cold_build(
    several: Path, tmp_path: Path, monkeypatch
) -> None:
    cache = tmp_path / "cache"
    open_knowledge([several], cache_dir=cache)
    (entry,) = entries(cache, "readings")
    text = (several / "c.yaml").read_text(encoding="utf-8").replace("Rarely.", "Never since 2027.")
    (several / "c.yaml").write_text(text, encoding="utf-8")
    kept = entry.read_bytes()
    read = counting_reads(monkeypatch)
    reloaded = open_knowledge([several], cache_dir=cache)
    assert read == ["zorblax-kimi"]
    assert entries(cache, "readings") == [entry] and entry.read_bytes() == kept
    cold = open_knowledge([several])
    assert state_of(reloaded.index) == state_of(cold.index)
    assert every_answer(reloaded) == every_answer(cold)


def test_readings_are_written_again_once_more_facts_than_allowed_are_read_anew(
    several: Path, tmp_path: Path, monkeypatch
) -> None:
    open_knowledge([several], cache_dir=tmp_path)
    monkeypatch.setattr(library, "STALE_READINGS", 1)
    text = (several / "c.yaml").read_text(encoding="utf-8")
    (several / "c.yaml").write_text(text.replace("Rarely.", "Never."), encoding="utf-8")
    open_knowledge([several], cache_dir=tmp_path)
    (entry,) = entries(tmp_path, "readings")
    kept = entry.read_bytes()
    text = text.replace("Rarely.", "Often.").replace("3 tokens a day", "4 tokens a day")
    (several / "c.yaml").write_text(text, encoding="utf-8")
    read = counting_reads(monkeypatch)
    open_knowledge([several], cache_dir=tmp_path)
    assert sorted(read) == ["zorblax-kimi", "zorblax-speed"]
    assert entries(tmp_path, "readings") == [entry] and entry.read_bytes() != kept
    read.clear()
    for whole in entries(tmp_path):
        whole.unlink()
    open_knowledge([several], cache_dir=tmp_path)
    assert read == []


@pytest.mark.parametrize(
    ("old", "new"),
    [("aliases: [Zorblax]", "aliases: [Zorbex]"), ("gadget: [widget", "gadget: [chess, widget")],
    ids=["alias", "glossary"],
)
def test_a_name_or_glossary_edit_in_one_file_reads_the_facts_of_every_file_anew(
    several: Path, tmp_path: Path, monkeypatch, old: str, new: str
) -> None:
    """Facts in c.yaml name b.yaml's topic and use its glossary's words: an edit there must
    change how they read, so no reading kept under the old names may be used."""
    cache = tmp_path / "cache"
    before = open_knowledge([several], cache_dir=cache)
    (several / "b.yaml").write_text(ZORBLAX.replace(old, new), encoding="utf-8")
    read = counting_reads(monkeypatch)
    reloaded = open_knowledge([several], cache_dir=cache)
    assert sorted(read) == sorted(reloaded.knowledge.facts)
    assert len(entries(cache, "readings")) == 2
    cold = open_knowledge([several])
    assert state_of(reloaded.index) == state_of(cold.index) != state_of(before.index)
    assert every_answer(reloaded) == every_answer(cold)
    question = ["Does Kimi beat Zorbex at chess?"]
    assert answers_to(reloaded, question) == answers_to(cold, question)


def damaged_readings(name: str, value: object) -> object:
    """Readings whose checksum holds but whose columns do not."""

    def damage(raw: bytes) -> bytes:
        state = library._unpack(raw)
        state[name] = value(state[name]) if callable(value) else value
        out = io.BytesIO()
        library._pack(state, out)
        return out.getvalue()

    return damage


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"not a cache entry at all",
        lambda raw: raw[: len(raw) // 2],
        flip_last_byte,
        other_header(format=999),
        damaged_readings("term_ids", lambda old: array("I", [10**6] * len(old))),
        damaged_readings("term_weights", lambda old: array("f", old[1:])),
        damaged_readings("topic_starts", lambda old: array("I", reversed(old))),
        damaged_readings("topics", lambda old: ["no-such-topic"] * len(old)),
        damaged_readings("facts", lambda old: old[1:]),
        damaged_readings("kind_sets", lambda old: [[1]] * len(old)),
        damaged_readings("profile_terms", lambda old: array("i", old)),
    ],
    ids=[
        *("garbage", "truncated", "flipped byte", "other format", "ids out of range"),
        *("weights short", "offsets out of order", "unknown topic", "facts short", "kinds"),
        "signed ids",
    ],
)
def test_damaged_or_foreign_readings_are_ignored_with_a_log_line(
    several: Path, tmp_path: Path, caplog, monkeypatch, damage
) -> None:
    open_knowledge([several], cache_dir=tmp_path)
    (whole,) = entries(tmp_path)
    whole.unlink()
    (entry,) = entries(tmp_path, "readings")
    entry.write_bytes(damage(entry.read_bytes()))
    read = counting_reads(monkeypatch)
    with caplog.at_level(logging.WARNING):
        matcher = open_knowledge([several], cache_dir=tmp_path)
    assert sorted(read) == sorted(matcher.knowledge.facts)
    cold = open_knowledge([several])
    assert state_of(matcher.index) == state_of(cold.index)
    assert every_answer(matcher) == every_answer(cold)
    (record,) = [r for r in caplog.records if "ignored" in r.getMessage()]
    assert record.levelno == logging.WARNING and entry.name in record.getMessage()
    read.clear()
    (whole,) = entries(tmp_path)
    whole.unlink()
    open_knowledge([several], cache_dir=tmp_path)
    assert read == []


def test_lists_of_texts_come_back_as_written_whatever_they_hold() -> None:
    """Texts are joined by a separator: one holding it, or no texts at all, must not split."""
    state = {"plain": ["a", "", "中文"], "separator": ["a\0b", "c"], "none": [], "one": [""]}
    out = io.BytesIO()
    library._pack(state, out)
    assert library._unpack(out.getvalue()) == state


def test_long_lists_of_texts_are_written_a_piece_at_a_time_as_if_whole() -> None:
    """A cold start writes 100,000 facts' texts joined a piece at a time, never all at once:
    the bytes must be those of the whole list joined, a piece ending in an empty text too."""
    per = library.TEXTS_PER_PIECE
    texts = [f"text {n}" if n % per else "" for n in range(2 * per + 3)] + ["中文"]
    kind, pieces = library._encoded(texts)
    assert kind == library.TEXTS
    assert b"".join(map(bytes, pieces)) == "\0".join(texts).encode()
    late_separator = [*texts, "a\0b"]
    assert library._encoded(late_separator)[0] == "json"  # found in the last piece
    out = io.BytesIO()
    library._pack({"texts": texts, "late": late_separator}, out)
    assert library._unpack(out.getvalue()) == {"texts": texts, "late": late_separator}


@pytest.fixture
def fresh_common_words():
    """The process's common words forgotten before and after: a test sees where they come from."""
    typos.COMMON_WORDS.forget()
    yield typos.COMMON_WORDS
    typos.COMMON_WORDS.forget()


def test_common_words_are_kept_once_and_then_read_from_the_cache(
    kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_common_words
) -> None:
    cache = tmp_path / "cache"
    open_knowledge([kb], cache_dir=cache)
    (entry,) = entries(cache, "words")
    kept = fresh_common_words.terms()
    assert "bunch" in kept and len(kept) > 10_000
    fresh_common_words.forget()

    def unread() -> frozenset[str]:
        raise AssertionError("the word list was read though the cache keeps its terms")

    monkeypatch.setattr(typos, "read_common_word_terms", unread)
    warm = open_unkept([kb], cache_dir=cache)
    assert warm.pending == []
    assert fresh_common_words.terms() == kept
    assert warm.matcher.reader.read("longest context of the bunch").units[-1].meanings == {}
    assert entries(cache, "words") == [entry]


@pytest.mark.parametrize("damage", ["garbage", "not texts"])
def test_a_damaged_common_words_entry_is_ignored_with_a_log_line(
    kb: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, fresh_common_words, damage: str
) -> None:
    cache = tmp_path / "cache"
    open_knowledge([kb], cache_dir=cache)
    (entry,) = entries(cache, "words")
    if damage == "garbage":
        entry.write_bytes(b"not an entry")
    else:
        with entry.open("wb") as out:
            library._pack({"terms": [1, 2]}, out)
    fresh_common_words.forget()
    with caplog.at_level(logging.WARNING, logger="bot.library"):
        opened = open_unkept([kb], cache_dir=cache)
    assert "ignored" in caplog.text
    assert typos.is_common_word("bunch")
    opened.keep()
    assert library._read_state(entry) == {"terms": sorted(fresh_common_words.terms())}


def test_an_unreadable_word_list_keeps_no_common_words_entry(
    kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_common_words
) -> None:
    monkeypatch.setattr(typos, "_WORD_COUNTS", ("spellchecker", "resources/none.json.gz"))
    cache = tmp_path / "cache"
    open_knowledge([kb], cache_dir=cache)
    assert entries(cache) and entries(cache, "words") == []
    assert not typos.is_common_word("bunch")


@pytest.fixture
def spread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds spread even a few small files and facts over two worker processes."""
    monkeypatch.setattr(workers, "usable_cores", lambda: 2)
    monkeypatch.setattr(loader, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(indexing, "PARALLEL_FACTS", 0)
    monkeypatch.setattr(indexing, "CHUNK_FACTS", 50)


def test_a_first_build_on_worker_processes_is_the_build_here(
    several: Path,
    tmp_path: Path,
    spread: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    given: list[str] = []
    submit = workers.LazyPool.submit

    def noted(self: workers.LazyPool, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        given.append(getattr(fn, "__name__", "") or fn.func.__name__)
        return submit(self, fn, *args, **kwargs)

    monkeypatch.setattr(workers.LazyPool, "submit", noted)
    spread_out = open_knowledge([several], cache_dir=tmp_path / "spread")
    assert set(given) == {"_parse", "read_chunk"}, "files parsed and facts read elsewhere"
    assert "could not start" not in caplog.text
    assert len(file_entries(tmp_path / "spread")) == 3, "each file's entry, encoded elsewhere"
    monkeypatch.setattr(workers, "usable_cores", lambda: 1)
    here = open_knowledge([several], cache_dir=tmp_path / "here")
    assert spread_out.knowledge == here.knowledge
    assert state_of(spread_out.index) == state_of(here.index)
    assert every_answer(spread_out) == every_answer(here)
    assert [p.read_bytes() for p in file_entries(tmp_path / "spread")] == [
        p.read_bytes() for p in file_entries(tmp_path / "here")
    ]


def test_a_file_parsed_on_a_worker_process_still_says_where_its_problem_is(
    several: Path, tmp_path: Path, spread: None
) -> None:
    broken = ZORBLAX_KIMI.replace("Rarely.", '""').replace("more-notes", "fourth")
    (several / "d.yaml").write_text(broken.replace("id: zorblax-", "id: other-"))
    with pytest.raises(KnowledgeError, match=r"d\.yaml:3: fact 'answer' must not be empty$"):
        open_knowledge([several], cache_dir=tmp_path)
    assert len(file_entries(tmp_path)) == 3, "never the file with a problem"
