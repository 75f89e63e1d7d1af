"""Whatever is in the knowledge folder, loading it ends in knowledge or in one-line problems."""

from __future__ import annotations

import copy
import datetime
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.knowledge import KnowledgeError, bundled_knowledge_dir, load_knowledge
from bot.knowledge.loader import knowledge_files

PROBLEM = re.compile(r"^.+?(:\d+)?: \S.*$")
FIELDS = [
    "source",
    "topics",
    "facts",
    "id",
    "title",
    "publisher",
    "author",
    "published",
    "url",
    "note",
    "name",
    "aliases",
    "summary",
    "card",
    "question",
    "answer",
    "topic",
    "also",
    "keywords",
    "section",
]
FUZZ = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["", " ", "kimi", "2026-06-01", "https://example.org", "a\nb", "\x1b[2J"]),
)
keys = st.one_of(st.sampled_from(FIELDS), st.text(max_size=12), st.integers(), st.booleans())
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=6)
    ),
    max_leaves=40,
)


def valid_document() -> dict[str, Any]:
    """A small document that loads, to mutate one field at a time."""
    return {
        "source": {
            "id": "src",
            "title": "Title",
            "publisher": "Publisher",
            "published": datetime.date(2026, 6, 1),
        },
        "topics": [{"id": "kimi", "name": "Kimi", "summary": "A model.", "card": {"Price": "39"}}],
        "facts": [
            {
                "id": "kimi-price",
                "topic": "kimi",
                "question": "What does Kimi cost?",
                "answer": "39",
            }
        ],
    }


def paths_into(document: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a document where a value could be replaced."""
    yield prefix
    if isinstance(document, dict):
        for key, value in document.items():
            yield from paths_into(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from paths_into(value, (*prefix, index))


PLACES = [place for place in paths_into(valid_document()) if place]


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    """The valid document with a few of its values replaced or keys added."""
    document = valid_document()
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        place = draw(st.sampled_from(PLACES))
        parent = document
        try:
            for step in place[:-1]:
                parent = parent[step]
            if draw(st.booleans()):
                parent[place[-1]] = draw(values)
            elif isinstance(parent, dict):
                parent[draw(keys)] = draw(values)
        except (KeyError, IndexError, TypeError):
            continue
    return copy.deepcopy(document)


def check(path: Path) -> None:
    """The property: knowledge, or a KnowledgeError whose every problem is one located line."""
    try:
        load_knowledge([path])
    except KnowledgeError as error:
        assert error.problems
        for problem in error.problems:
            line = str(problem)
            assert len(line.splitlines()) == 1 and "\r" not in line, repr(line)
            assert PROBLEM.match(line), repr(line)
            assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", line), repr(line)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzzed-knowledge")


def write_yaml(folder: Path, document: Any, unicode: bool) -> Path:
    path = folder / "fuzzed.yaml"
    path.write_text(
        yaml.safe_dump(document, allow_unicode=unicode, sort_keys=False), encoding="utf-8"
    )
    return path


@FUZZ
@given(document=values, unicode=st.booleans())
def test_random_yaml_structures(folder: Path, document: Any, unicode: bool):
    """Any YAML at all is either knowledge or a list of located problems."""
    check(write_yaml(folder, document, unicode))


@FUZZ
@given(document=mutated_documents(), unicode=st.booleans())
def test_almost_valid_documents(folder: Path, document: dict[str, Any], unicode: bool):
    """Near-valid files reach the deepest validation paths, where crashes hide."""
    check(write_yaml(folder, document, unicode))


@FUZZ
@given(text=st.text(max_size=400))
def test_random_text(folder: Path, text: str):
    """Curators paste anything into knowledge files."""
    path = folder / "fuzzed.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    check(path)


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes(folder: Path, data: bytes):
    """Files get truncated, mis-encoded or replaced by binaries."""
    path = folder / "fuzzed.yaml"
    path.write_bytes(data)
    check(path)


def billion_laughs() -> str:
    """Nine levels of aliases that would expand to a billion strings if anything expanded them."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
    return "\n".join(lines) + "\n"


NASTY: dict[str, bytes] = {
    "nested-lists": b"source: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
    "nested-mappings": b"source: " + b"{a: " * 10_000 + b"1" + b"}" * 10_000 + b"\n",
    "nested-block": "".join(f"{'  ' * n}k{n}:\n" for n in range(2_000)).encode(),
    "huge-line": b"source:\n  id: src\n  title: " + b"x" * 10_000_000 + b"\n",
    "huge-date": b"source:\n  published: " + b"9" * 10_000_000 + b"\n",
    "billion-laughs": billion_laughs().encode(),
    "laughs-in-fields": (
        billion_laughs()
        + "source: {id: s, title: *j, publisher: *j, published: *j}\n"
        + "facts: *j\ntopics: [*i, *h]\n"
    ).encode(),
    "not-utf8": b"source:\n  title: caf\xe9\n",
    "utf16": "source: {id: s}\n".encode("utf-16"),
    "nul": b"source: {id: s\x00}\n",
    "bell": b"source:\n  title: \x07\n",
    "escaped-controls": b'source:\n  "\\e[2J\\nfake.yaml:1: ok": 1\n',
    "newline-in-key": b'source:\n  "a\\nb": 1\n  "a\\nb": 2\n',
    "newline-in-card-key": (
        b"source: {id: s, title: t, publisher: p, published: 2026-01-01}\n"
        b'topics:\n- {id: t, name: n, summary: s, card: {"a\\u2028b": [1]}}\n'
    ),
    "complex-keys": (
        b"source: {id: s, title: t, publisher: p, published: 2026-01-01}\n"
        b"topics:\n- id: t\n  name: n\n  summary: s\n  ? [complex]\n  : value\n"
        b"facts:\n- id: f\n  question: q?\n  answer: a\n  ? {a: 1}\n  : x\n"
    ),
    "python-tags": b"source: !!python/object/apply:os.system ['echo hi']\n",
    "huge-int": b"source:\n  id: " + b"9" * 5_000 + b"\n",
    "many-documents": b"---\nsource: {}\n" * 1_000,
    "many-problems": b"facts:\n" + b"- 1\n" * 100_000,
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", list(NASTY))
def test_hostile_files(tmp_path: Path, name: str):
    """Deep nesting, huge lines and alias bombs must be refused quickly, not crash or hang."""
    path = tmp_path / "nasty.yaml"
    path.write_bytes(NASTY[name])
    check(path)


@pytest.mark.timeout(30)
def test_symlink_loops_and_dead_links(tmp_path: Path):
    """Knowledge folders are often synced or linked; loops must end and dead links be named."""
    kb = tmp_path / "kb"
    (kb / "sub").mkdir(parents=True)
    bundled = bundled_knowledge_dir() / "llm-landscape-mid-2026.yaml"
    (kb / "real.yaml").write_bytes(bundled.read_bytes())
    (kb / "self.yaml").symlink_to("self.yaml")
    (kb / "ping.yaml").symlink_to("pong.yaml")
    (kb / "pong.yaml").symlink_to("ping.yaml")
    (kb / "dead.yaml").symlink_to("nowhere.yaml")
    (kb / "sub" / "up").symlink_to("..")
    (kb / "sub" / "around").symlink_to("../../kb")
    (kb / "sub" / "again.yaml").symlink_to("../real.yaml")
    check(kb)
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge([kb])
    problems = {str(problem).split(": ", 1)[1] for problem in raised.value.problems}
    assert problems == {
        "cannot read: Too many levels of symbolic links",
        "cannot read: No such file or directory",
    }


@pytest.mark.timeout(30)
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_files_that_never_end_are_refused_not_read(tmp_path: Path, kind: str):
    """Reading a FIFO or /dev/zero would hang the start or a /footnote reload forever."""
    kb = tmp_path / "kb"
    kb.mkdir()
    if kind == "fifo":
        os.mkfifo(kb / "pipe.yaml")
    else:
        (kb / "zero.yaml").symlink_to("/dev/zero")
    with pytest.raises(KnowledgeError) as raised:
        knowledge_files([kb])
    assert [problem.message for problem in raised.value.problems] == ["not a regular file"]
    check(kb)
