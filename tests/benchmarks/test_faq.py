"""The foreign FAQ: its conversion to knowledge, its split, its table and its absence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.quality import faq


def _stackfaq(tmp_path: Path) -> Path:
    """Four threads shaped as StackFAQ's JSON, with its empty marks and a title's status mark."""
    threads = [
        {
            "question": f"How do I {verb} my {thing}? [closed]" if n == 0 else f"{verb} {thing}",
            "answer": f"You {verb} it in the settings." if n == 3 else [f"Open {thing}.", "Other."],
            "rephr": [f"{verb} a {thing}?", "*", None, f"can i {verb} {thing}", f"{verb} {thing}"],
        }
        for n, (verb, thing) in enumerate(
            [("delete", "account"), ("rename", "album"), ("export", "calendar"), ("mute", "chat")]
        )
    ]
    path = tmp_path / faq.FILE
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"root": {"qapair": threads}}))
    return path


def test_each_faq_entry_becomes_a_fact_without_its_rewordings(tmp_path: Path):
    entries = faq.read_stackfaq(_stackfaq(tmp_path))
    knowledge = faq.load_faq_knowledge(entries)

    assert len(knowledge.facts) == 4 and len(knowledge.topics) == 1
    first = knowledge.facts["stackfaq-001"]
    assert first.question == "How do I delete my account?"
    assert first.answer == "Open account."
    assert knowledge.facts["stackfaq-004"].answer == "You mute it in the settings."
    assert all(not fact.also and not fact.keywords for fact in knowledge.facts.values())
    phrasings = {text for fact in knowledge.facts.values() for text in fact.phrasings}
    held_out = {text for entry in entries for text in entry.paraphrases}
    assert held_out and not held_out & phrasings
    assert entries[1].paraphrases == ("rename a album?", "can i rename album")


def test_rewordings_split_by_thread_the_same_way_every_time(tmp_path: Path):
    entries = faq.read_stackfaq(_stackfaq(tmp_path))
    split = faq.split_paraphrases(entries, seed=3)

    assert split == faq.split_paraphrases(entries, seed=3)
    tune = {query.expected for query in split.tune}
    test = {query.expected for query in split.test}
    assert len(tune) == len(test) == 2 and not tune & test
    asked = sorted(query.question for query in split.tune + split.test)
    assert asked == sorted(text for entry in entries for text in entry.paraphrases)


def test_the_table_measures_every_engine_on_the_test_half(tmp_path: Path):
    pytest.importorskip("rank_bm25", reason="BM25 is in the bench extra")
    chat = ["how was your day?", "what music do you like?", "are you there", "who won?"]
    rows = faq.faq_table(_stackfaq(tmp_path), chat, seed=3)

    assert [(row["engine"], row["setting"]) for row in rows] == [
        ("footnote", "shipped"),
        ("naive", "tuned"),
        ("naive", "≥99% chat"),
        ("bm25", "tuned"),
        ("bm25", "≥99% chat"),
    ]
    assert all(row["paraphrases"] == 4 and row["chat"] == 2 for row in rows)
    for row in rows:
        assert 0 <= row["wrong"] <= 1 - row["accuracy"]
        assert row["balanced"] == (row["accuracy"] + row["chat_abstention"]) / 2
    assert faq.markdown(rows).startswith("| Engine |")


def test_the_faq_is_found_from_the_option_or_the_environment(tmp_path: Path, monkeypatch):
    path = _stackfaq(tmp_path)
    monkeypatch.delenv(faq.ENVIRONMENT, raising=False)
    assert faq.locate(None) is None
    assert faq.locate(str(tmp_path)) == path
    monkeypatch.setenv(faq.ENVIRONMENT, str(path))
    assert faq.locate(None) == path
    assert faq.locate(str(tmp_path / "elsewhere")) is None


def test_without_the_faq_the_part_is_skipped_in_one_line(monkeypatch, capsys):
    monkeypatch.delenv(faq.ENVIRONMENT, raising=False)
    faq.main([])
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and faq.COMMIT in out
