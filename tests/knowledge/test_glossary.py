"""The glossary's loader rules: one entry per word or phrase, none a topic's name, `path:line`."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge import load_knowledge
from tests.knowledge.test_loader import VALID, problems, write


def with_glossary(glossary: str, text: str = VALID) -> str:
    """The valid fixture with a glossary block (YAML) before its facts, from line 13 on."""
    return text.replace("facts:\n", f"glossary:\n{glossary}facts:\n", 1)


def test_headwords_keep_their_equivalents_in_written_order(tmp_path: Path) -> None:
    glossary = "  cost: [price, fee, Price, cost, 多少钱]\n  licence: license\n"
    knowledge = load_knowledge([write(tmp_path, with_glossary(glossary))])
    assert dict(knowledge.glossary) == {"cost": ("price", "fee", "多少钱"), "licence": ("license",)}


def test_a_repeated_headword_names_where_it_was_first(tmp_path: Path) -> None:
    glossary = "  cost: [price]\n  Cost: [fee]\n"
    path = write(tmp_path, with_glossary(glossary))
    assert problems(path) == [f"{path}:15: duplicate glossary headword 'Cost' (first at {path}:14)"]


OTHER_FILE = """\
source: {id: other, title: Other, publisher: Other Press, published: 2026-06-02}
glossary:
  money: [cash, FEE]
facts:
  - {id: other-fact, question: What is it?, answer: Something.}
"""


def test_a_word_in_two_entries_is_refused_across_files(tmp_path: Path) -> None:
    first = write(tmp_path, with_glossary("  cost: [price, fee]\n"), "a.yaml")
    second = write(tmp_path, OTHER_FILE, "b.yaml")
    assert problems(first, second) == [
        f"{second}:3: glossary: 'FEE' is already in the entry for 'cost' ({first}:14)"
    ]


def test_a_phrase_inside_a_topics_name_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, with_glossary("  version: [k2.6, 暗面]\n"))
    found = problems(path)
    assert found == [
        f"{path}:14: glossary: 'k2.6' overlaps 'Kimi K2.6', a name of topic 'kimi', which"
        " questions match by name already",
        f"{path}:14: glossary: '暗面' overlaps '月之暗面', a name of topic 'kimi', which"
        " questions match by name already",
    ]


def test_an_entry_with_nothing_to_match_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, with_glossary("  cost:\n  '?': [price]\n"))
    assert problems(path) == [
        f"{path}:14: glossary 'cost' lists no equivalents",
        f"{path}:15: glossary: '?' has no letters or digits to match",
    ]
