"""Reloads that take what the last build left reusable: the same state as a fresh build, always."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import library
from bot.engine import cards, index
from bot.engine.packed import PostingsTable, WeighedRows
from bot.knowledge import KnowledgeError, load_knowledge, loader
from bot.library import Reusable, open_knowledge, open_unkept
from tests.engine.test_index import counting_reads, state_of
from tests.test_library import ZORBLAX, ZORBLAX_KIMI, every_answer, kb, several

__all__ = ["kb", "several"]  # fixtures, used by name


def exported(matcher: Any) -> dict[str, Any]:
    """All a build makes that answers depend on: the knowledge, card facts included, and the
    index, as plain values."""
    return {"knowledge": matcher.knowledge.to_state(), **state_of(matcher.index)}


def reopened(folder: Path, cache: Path, previous: Reusable) -> tuple[Any, Reusable]:
    """The knowledge opened as a reload does, given what the last build left reusable."""
    opened = open_unkept([folder], cache_dir=cache, previous=previous)
    opened.keep()
    return opened.matcher, opened.reusable


def counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files read from YAML or from their cache entries, from now on."""
    parsed: list[str] = []
    read, from_state = loader._FileReader.read, loader._Document.from_state.__func__
    monkeypatch.setattr(
        loader._FileReader,
        "read",
        lambda self, raw: parsed.append(self.path.name) or read(self, raw),
    )
    monkeypatch.setattr(
        loader._Document,
        "from_state",
        classmethod(
            lambda cls, path, state: parsed.append(Path(path).name) or from_state(cls, path, state)
        ),
    )
    return parsed


def counting_card_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the topics whose cards are checked against their facts, from now on."""
    checked: list[str] = []
    original = cards._said_rows
    monkeypatch.setattr(
        cards, "_said_rows", lambda topic, facts: checked.append(topic.id) or original(topic, facts)
    )
    return checked


CARDED = ZORBLAX.replace(
    "summary: A test model by the Lab.}",
    "summary: A test model by the Lab., card: {Developer: The Lab, Price: 9 coins}}",
)


def change(folder: Path, how: str) -> None:
    """Edits, adds, removes or renames one of the small files, or changes nothing."""
    if how == "edit":
        text = (folder / "c.yaml").read_text(encoding="utf-8").replace("Rarely.", "Never.")
        (folder / "c.yaml").write_text(text, encoding="utf-8")
    elif how == "add":
        third = ZORBLAX_KIMI.replace("more-notes", "third").replace("id: zorblax-", "id: third-")
        (folder / "d.yaml").write_text(third, encoding="utf-8")
    elif how == "remove":
        (folder / "c.yaml").unlink()
    elif how == "rename":
        (folder / "c.yaml").rename(folder / "0.yaml")


@pytest.mark.parametrize("start", ["build", "warm start"])
@pytest.mark.parametrize("how", ["edit", "add", "remove", "rename", "nothing"])
def test_a_reload_taking_what_is_unchanged_builds_as_a_fresh_build(
    several: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str, how: str
) -> None:
    (several / "b.yaml").write_text(CARDED, encoding="utf-8")
    cache = tmp_path / "cache"
    first = open_unkept([several], cache_dir=cache)
    first.keep()
    if start == "warm start":
        first = open_unkept([several], cache_dir=cache)
        assert first.pending == [], "read from the cache of the whole index"
    change(several, how)
    parsed, checked = counting_parses(monkeypatch), counting_card_checks(monkeypatch)
    opened = open_unkept([several], cache_dir=tmp_path / "empty", previous=first.reusable)
    reloaded, reusable = opened.matcher, opened.reusable
    assert parsed == {"edit": ["c.yaml"], "add": ["d.yaml"]}.get(how, [])
    assert checked == ([] if how == "nothing" else ["kimi", "zorblax"])
    taken = [topic for topic in reusable.cards if topic not in checked]
    assert len(taken) > 1 and "glm" in taken
    assert all(reusable.cards[topic] is first.reusable.cards[topic] for topic in taken)
    opened.keep()
    fresh = open_knowledge([several])
    assert exported(reloaded) == exported(fresh)
    assert every_answer(reloaded) == every_answer(fresh)
    kept = first.matcher.knowledge.facts
    assert reloaded.knowledge.facts["zorblax-price"] is kept["zorblax-price"]


def test_a_reload_reads_again_only_the_facts_of_the_edited_file(
    several: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = open_unkept([several], cache_dir=tmp_path)
    first.keep()
    change(several, "edit")
    read = counting_reads(monkeypatch)
    reloaded, _ = reopened(several, tmp_path, first.reusable)
    assert read == ["zorblax-kimi"]
    assert exported(reloaded) == exported(open_knowledge([several]))


def counting_keys(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the facts keyed by their texts, from now on."""
    keyed: list[str] = []
    original = index.fact_key
    monkeypatch.setattr(index, "fact_key", lambda fact: keyed.append(fact.id) or original(fact))
    return keyed


def counting_patches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many keys each table of postings patched rather than gathered has, from now on."""
    patched: list[int] = []
    original = WeighedRows.patched

    def counted(self: WeighedRows, keys: list[str], *rest: Any) -> PostingsTable:
        patched.append(len(keys))
        return original(self, keys, *rest)

    monkeypatch.setattr(WeighedRows, "patched", counted)
    return patched


@pytest.mark.parametrize("start", ["build", "warm start"])
def test_a_reload_keys_only_the_facts_the_knowledge_served_did_not_hold(
    several: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str
) -> None:
    (several / "b.yaml").write_text(CARDED, encoding="utf-8")
    first = open_unkept([several], cache_dir=tmp_path)
    first.keep()
    if start == "warm start":
        first = open_unkept([several], cache_dir=tmp_path)
    for rounds, answer in enumerate(("Never.", "Sometimes."), 1):
        text = (several / "c.yaml").read_text(encoding="utf-8")
        (several / "c.yaml").write_text(re.sub(r"Rarely\.|Never\.", answer, text), "utf-8")
        keyed, read = counting_keys(monkeypatch), counting_reads(monkeypatch)
        patched = counting_patches(monkeypatch)
        opened = open_unkept([several], cache_dir=tmp_path, previous=first.reusable)
        assert len(patched) == 2, "terms and topics patched: the facts stand where they stood"
        remade = ("zorblax-kimi", "zorblax-speed", "kimi--", "zorblax--")
        assert sorted(keyed) == sorted(
            f for f in opened.matcher.knowledge.facts if f.startswith(remade)
        )
        # Read anew, and in the second round as it was too, since the first round read it anew:
        # what its postings held is taken out of those the last build made.
        assert read == ["zorblax-kimi"] * rounds
        opened.keep()
        assert exported(opened.matcher) == exported(open_knowledge([several]))
        first = opened


def test_readings_another_process_wrote_are_found_by_the_facts_texts(
    several: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A numbering names the readings it numbers: others under the same name are keyed."""
    first = open_unkept([several], cache_dir=tmp_path)
    first.keep()
    (entry,) = tmp_path.glob("readings-*.bin")
    state = library._unpack(entry.read_bytes())
    with entry.open("wb") as out:
        library._pack({**state, "serial": "another process's"}, out)
    change(several, "edit")
    keyed, read = counting_keys(monkeypatch), counting_reads(monkeypatch)
    opened = open_unkept([several], cache_dir=tmp_path, previous=first.reusable)
    assert sorted(keyed) == sorted(opened.matcher.knowledge.facts) and read == ["zorblax-kimi"]
    assert exported(opened.matcher) == exported(open_knowledge([several]))


@pytest.mark.parametrize(
    "added",
    [
        ZORBLAX_KIMI.replace("more-notes", "third"),
        ZORBLAX.replace("zorblax-notes", "third").replace("Zorblax-9", "Zorblax-10"),
        ZORBLAX_KIMI.replace("more-notes", "third").replace("topic: kimi", "topic: kimmi"),
        ZORBLAX_KIMI.replace("more-notes", "third").replace("Rarely.", '""'),
    ],
    ids=["duplicate facts", "duplicate topic and glossary", "unknown topic", "empty answer"],
)
def test_problems_read_the_same_with_records_kept_in_memory(
    several: Path, tmp_path: Path, added: str
) -> None:
    """Records kept in memory have no lines, so every problem is still said where it is."""
    first = open_unkept([several], cache_dir=tmp_path)
    first.keep()
    (several / "d.yaml").write_text(added, encoding="utf-8")
    with pytest.raises(KnowledgeError) as uncached:
        load_knowledge([several])
    with pytest.raises(KnowledgeError) as reused:
        open_unkept([several], cache_dir=tmp_path, previous=first.reusable)
    assert str(reused.value) == str(uncached.value)
    assert ":0:" not in str(reused.value)


def test_what_is_reusable_holds_no_more_than_the_knowledge_own_objects(
    several: Path, tmp_path: Path
) -> None:
    (several / "b.yaml").write_text(CARDED, encoding="utf-8")
    opened = open_unkept([several], cache_dir=tmp_path)
    knowledge = opened.matcher.knowledge
    facts = {id(fact) for fact in knowledge.facts.values()}
    reusable = opened.reusable
    assert len(reusable.files) == 3
    assert all(id(f) in facts for records in reusable.files.values() for f in records.facts)
    assert all(
        id(f) in facts for carded in reusable.cards.values() for f in (*carded.facts, *carded.made)
    )
    assert list(reusable.cards) == [t.id for t in knowledge.topics.values() if t.card]


KIMI = """source: {id: kimi-notes, title: Kimi, publisher: Lab, published: 2026-01-01}
topics:
  - {id: kimi, name: Kimi K2.6, aliases: [Kimi], summary: A model., card: {Price: RMB 39}}
facts:
  - {id: kimi-price, topic: kimi, question: How much is Kimi a month?, answer: RMB 39.}
"""
"""A small file with the topic the others' facts name, always there."""
FILE_VARIANTS = {
    "b": [
        ZORBLAX,
        CARDED,
        CARDED.replace("Price: 9 coins", "Price: 10 coins"),
        CARDED.replace("Developer: The Lab", "Developer: Lab Two"),
    ],
    "c": [
        ZORBLAX_KIMI,
        ZORBLAX_KIMI.replace("Rarely.", "Never."),
        ZORBLAX_KIMI.replace("  - {id: zorblax-kimi", "  - {id: zorblax-kimi-2"),
    ],
    "d": [
        ZORBLAX_KIMI.replace("more-notes", "d")
        .replace("id: zorblax-", "id: d-")
        .replace("Zorblax", "Kimi")
    ],
}
"""Each slot's files, one of them at a time in the knowledge: edits to answers, cards and ids;
the files of slots c and d name slot b's topic, so without it the knowledge is invalid."""
NAMES = ["a.yaml", "b.yaml", "c.yaml", "d.yaml", "0.yaml", "z.yaml"]

versions = st.lists(
    st.tuples(
        st.fixed_dictionaries(
            {slot: st.none() | st.sampled_from(files) for slot, files in FILE_VARIANTS.items()}
        ),
        st.permutations(NAMES[1:]),
    ),
    min_size=2,
    max_size=4,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(versions)
def test_any_sequence_of_reloads_builds_as_fresh_builds(
    sequence: list[tuple[dict[str, str | None], list[str]]],
) -> None:
    """Files edited, added, removed and renamed in any order, with invalid knowledge between:
    each reload, given what the last one that succeeded left, is a fresh build."""
    with tempfile.TemporaryDirectory() as scratch:
        folder, cache = Path(scratch) / "kb", Path(scratch) / "cache"
        folder.mkdir()
        (folder / NAMES[0]).write_text(KIMI, encoding="utf-8")
        previous = Reusable()
        for chosen, names in sequence:
            for path in folder.glob("*.yaml"):
                if path.name != NAMES[0]:
                    path.unlink()
            for text, name in zip(chosen.values(), names, strict=False):
                if text is not None:
                    (folder / name).write_text(text, encoding="utf-8")
            try:
                fresh = open_knowledge([folder])
            except KnowledgeError as error:
                with pytest.raises(KnowledgeError) as reused:
                    open_unkept([folder], cache_dir=cache, previous=previous)
                assert str(reused.value) == str(error)
                continue
            reloaded, previous = reopened(folder, cache, previous)
            assert exported(reloaded) == exported(fresh)


def test_files_kept_from_memory_and_parsed_anew_are_kept_in_file_order(tmp_path: Path) -> None:
    """A file taken from memory before a new file that sorts ahead of it: what the build keeps
    follows the files' order, so a warm start carves each file's records back out right and
    the next reload, after the new file is renamed, builds as a fresh build does."""
    folder, cache = tmp_path / "kb", tmp_path / "cache"
    folder.mkdir()
    (folder / NAMES[0]).write_text(KIMI, encoding="utf-8")
    previous = reopened(folder, cache, Reusable())[1]
    (folder / "0.yaml").write_text(CARDED, encoding="utf-8")  # sorts before a.yaml
    (folder / "b.yaml").write_text(ZORBLAX_KIMI, encoding="utf-8")
    previous = reopened(folder, cache, previous)[1]
    previous = reopened(folder, cache, previous)[1]  # the same files: a warm start
    (folder / "b.yaml").unlink()
    (folder / "0.yaml").rename(folder / "b.yaml")
    reloaded, _ = reopened(folder, cache, previous)
    assert exported(reloaded) == exported(open_knowledge([folder]))
