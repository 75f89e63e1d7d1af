"""Reads knowledge files into a KnowledgeBase, reporting every problem as `path:line: message`."""

from __future__ import annotations

import difflib
import importlib.resources
import itertools
import logging
import operator
import os
import re
import stat
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import yaml

from bot.knowledge.format import (
    DEFAULT_LANGUAGE,
    DOCUMENT,
    FACT,
    LANGUAGE_PATTERN,
    SLUG_PATTERN,
    SOURCE,
    TOPIC,
    Field,
    Kind,
    Record,
)
from bot.knowledge.model import (
    Fact,
    FactTranslation,
    KnowledgeBase,
    Source,
    Topic,
    TopicTranslation,
    facts_from_state,
    facts_state,
    shared,
    shared_texts,
    source_from_state,
    source_state,
    topics_from_state,
    topics_state,
)

log = logging.getLogger(__name__)

_STR_TAG = "tag:yaml.org,2002:str"
_SCALAR, _SEQUENCE, _MAPPING = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode
"""The node types, compared with a node's own type on every value of every record."""

try:
    from yaml import CSafeLoader as _BaseLoader

    _LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    _LIBYAML = False

_IMPLICIT_FIRST_CHARACTERS = frozenset(_BaseLoader.yaml_implicit_resolvers)
"""The first characters of plain scalars that may be something other than text (true, 3.5,
null, 2026-01-01...)."""


class _YamlLoader(_BaseLoader):
    """The safe loader, deciding 'text' at once for the scalars no resolver could claim, and
    lists and mappings their default tags.

    PyYAML asks the resolver about every node, and its general answer costs about a tenth of
    loading a large file; the answer for quoted scalars and plain ones starting with a letter
    no resolver is registered for is always text, which this says without the search.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._plain_tags: dict[str, str] = {}
        """The tag the general search gave each plain scalar it was asked about: such keys
        ('name', 'topic', 'title') and values repeat all through a file."""

    descend_resolver = staticmethod(operator.is_)  # type: ignore[assignment]
    """What PyYAML's does with no path resolvers registered (none ever is for this loader):
    nothing, here by a C function taking the same arguments (whose result the composer drops),
    sparing the Python call it makes around every node: some 8% of reading a file."""
    ascend_resolver = staticmethod(tuple)  # type: ignore[assignment]
    """Nothing, as `descend_resolver`, by a C function taking no arguments."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if not implicit[0] or value[:1] not in _IMPLICIT_FIRST_CHARACTERS:
                return _STR_TAG
            if not self.yaml_path_resolvers:  # a plain scalar's tag then depends on its text
                tag = self._plain_tags.get(value)
                if tag is None:
                    tag = self._plain_tags[value] = str(super().resolve(kind, value, implicit))
                return tag
        elif not self.yaml_path_resolvers:
            return _COLLECTION_TAGS[kind]
        return str(super().resolve(kind, value, implicit))


_COLLECTION_TAGS: dict[type[yaml.Node], str] = {
    yaml.SequenceNode: _BaseLoader.DEFAULT_SEQUENCE_TAG,
    yaml.MappingNode: _BaseLoader.DEFAULT_MAPPING_TAG,
}
"""A list's or mapping's tag when no path resolver is registered, as PyYAML's resolver gives
it after its general search: half a million of them in 100,000 facts."""


KNOWLEDGE_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_PROBLEMS_PER_FILE = 50
PARALLEL_BYTES = 8 * 1024 * 1024
"""Bytes of files to parse from which a load given an executor parses them there: some
9,000 facts, half a second's parsing, which starting processes and sending the files to
them would mostly take."""
MAX_CARD_KEY = 60
MAX_GLOSSARY_TEXT = DOCUMENT.fields_by_name["glossary"].max_length
_SLUG = re.compile(SLUG_PATTERN)
_LANGUAGE = re.compile(LANGUAGE_PATTERN)
_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_KEY_TAGS = frozenset((_STR_TAG, _BOOL_TAG, _NULL_TAG))
_TEXT_TAGS = frozenset((_STR_TAG, *_NUMBER_TAGS, _TIMESTAMP_TAG))
"""Scalars read as text: numbers and dates too, since '3.5' or '2026' can be a whole answer."""
_LINE_BREAKING = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a knowledge file, located precisely enough to fix it."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return (
            f"{_one_line(self.path)}:{self.line}: {_one_line(self.message)}"
            if self.line
            else f"{_one_line(self.path)}: {_one_line(self.message)}"
        )


def _one_line(text: str) -> str:
    """Control characters escaped, so a key or file name can never break or forge a line."""
    return _LINE_BREAKING.sub(lambda match: repr(match.group())[1:-1], text)


class KnowledgeError(Exception):
    """Raised with every problem found, so a curator can fix them all in one pass."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class KnowledgePathError(KnowledgeError):
    """A path given is no file or folder, or holds no knowledge files: nothing to check, so a
    mistake in the command or config rather than a problem in the knowledge."""


CHECKOUT_KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
"""The top-level folder curators edit; an installed package carries a copy of it instead."""


def bundled_knowledge_dir() -> Path:
    """The knowledge used when no path is given: the installed package's copy (pyproject.toml
    maps knowledge/ to bot/knowledge/bundled/), or in a checkout, knowledge/ itself."""
    installed = importlib.resources.files("bot.knowledge").joinpath("bundled")
    return Path(str(installed)) if installed.is_dir() else CHECKOUT_KNOWLEDGE


StateEncoder = Callable[[bytes, dict[str, Any]], bytes]
"""Encodes the state of a file (given its contents) as a DocumentCache stores it."""


class DocumentCache(Protocol):
    """Keeps what reading a file yielded, by the file's contents, so an unchanged file of many
    is not parsed and validated again after another one was edited."""

    def get(self, raw: bytes) -> Any | None:
        """The state `put` stored for these contents, or None."""

    def put(self, raw: bytes, stored: bytes) -> None:
        """Stores what `encoder` made of the state of a file read without problems."""

    def encoder(self) -> StateEncoder:
        """How a file's state is encoded for `put`: a function a process that parsed the file
        can be given, so the many files of a first build are encoded side by side."""

    def records(self, raw: bytes) -> FileRecords | None:
        """The records an earlier load took from these contents, still in memory, or None."""

    def took(self, raw: bytes, records: FileRecords) -> None:
        """Notes the records this load took from a file without problems, for the next load."""


@dataclass(frozen=True, slots=True)
class FileRecords:
    """What one problem-free file yielded, without its records' lines: kept by a host that
    reloads, so an unchanged file's records are taken as they are, the very objects its cards
    and index were made from, in place of parsing its cache entry (0.65 s for 99 files of
    1,000 facts)."""

    source: Source
    topics: tuple[Topic, ...]
    facts: tuple[Fact, ...]
    glossary: tuple[_GlossaryEntry, ...] = ()

    def outline(self) -> list[Any]:
        """How many topics and facts the file has, and its glossary: with the knowledge it was
        loaded into, what `records_of` needs to give the records again."""
        return [len(self.topics), len(self.facts), _glossary_state(self.glossary)]


def records_of(knowledge: KnowledgeBase, outlines: Sequence[Any]) -> list[FileRecords]:
    """Each file's records again, carved in file order out of the knowledge they were loaded
    into (card facts, which come after every curated fact, aside) by the files' outlines;
    raises ValueError (or another error of a malformed value) unless they add up."""
    sources, topics = list(knowledge.sources.values()), list(knowledge.topics.values())
    facts = list(knowledge.facts.values())
    if len(outlines) != len(sources) or sum(int(n) for _, n, _ in outlines) > len(facts):
        raise ValueError("file outlines do not match the knowledge")
    if sum(int(n) for n, _, _ in outlines) != len(topics):
        raise ValueError("file outlines do not match the topics")
    records: list[FileRecords] = []
    topic_at = fact_at = 0
    for source, (topic_count, fact_count, glossary) in zip(sources, outlines, strict=True):
        records.append(
            FileRecords(
                source,
                tuple(topics[topic_at : topic_at + topic_count]),
                tuple(facts[fact_at : fact_at + fact_count]),
                tuple(_glossary_from_state(glossary)),
            )
        )
        topic_at, fact_at = topic_at + topic_count, fact_at + fact_count
    return records


def load_knowledge(
    paths: Iterable[str | os.PathLike[str]] = (),
    cache: DocumentCache | None = None,
    executor: Executor | None = None,
) -> KnowledgeBase:
    """Loads knowledge files and folders; raises KnowledgeError listing every problem found.

    With a cache, each file's own records come from it when its contents are unchanged;
    checks across files always run on the whole. With an executor (of processes: parsing is
    pure Python), the files that must be parsed are parsed there, side by side.
    """
    paths = list(paths)
    knowledge, problems, lineless = _load(paths, cache, executor, reuse=True)
    if problems and lineless:
        # Records kept in memory have no lines: read again, so each problem says where it is.
        knowledge, problems, _ = _load(paths, cache, executor, reuse=False)
    if problems:
        raise KnowledgeError(sorted(set(problems), key=lambda p: (p.path, p.line, p.message)))
    return knowledge


def _load(
    paths: list[str | os.PathLike[str]],
    cache: DocumentCache | None,
    executor: Executor | None,
    reuse: bool,
) -> tuple[KnowledgeBase, list[Problem], bool]:
    """The files joined, the problems found, and whether a file's records were taken from
    memory without their lines."""
    problems: list[Problem] = []
    documents = _read_documents(_files(paths, problems), cache, executor, reuse)
    for document in documents:
        problems.extend(document.problems)
    lineless = any(document.lineless for document in documents)
    return _assemble(documents, problems), problems, lineless


def _read_documents(
    files: list[Path], cache: DocumentCache | None, executor: Executor | None, reuse: bool
) -> list[_Document]:
    """Each file's document, in order: from memory or the cache when its contents are known,
    else parsed (on the executor, when there is one and much to parse) and cached when it has
    no problems, so every problem is always found, and worded, afresh."""
    documents: list[_Document | None] = []
    unread: list[tuple[int, bytes]] = []
    for path in files:
        reader = _FileReader(path)
        raw = reader.raw()
        document = reader.empty() if raw is None else _known(reader, raw, cache, reuse)
        if document is None and raw is not None:
            unread.append((len(documents), raw))
        documents.append(document)
    parallel = len(unread) > 1 and sum(len(raw) for _, raw in unread) >= PARALLEL_BYTES
    parse = executor.map if executor is not None and parallel else map
    encoders = itertools.repeat(cache.encoder() if cache is not None else None)
    arguments = ([files[at] for at, _ in unread], [raw for _, raw in unread], encoders)
    for (at, raw), (document, stored) in zip(unread, parse(_parse, *arguments), strict=True):
        if cache is not None and stored is not None:
            cache.put(raw, stored)
            cache.took(raw, document.records())
        documents[at] = document
    return [document for document in documents if document is not None]


def _known(
    reader: _FileReader, raw: bytes, cache: DocumentCache | None, reuse: bool
) -> _Document | None:
    """A file's document as memory (when `reuse`) or the cache holds it for these contents,
    noted as taken; None when it must be parsed."""
    if cache is None:
        return None
    document = None
    records = cache.records(raw) if reuse else None
    if records is not None:
        document = _Document.of_records(reader.display, records)
    elif (state := cache.get(raw)) is not None:
        try:
            document = _Document.from_state(reader.display, state)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
            log.warning("cached reading of %s ignored (%s); reading it", reader.display, error)
    if document is not None and document.source is not None and not document.problems:
        cache.took(raw, records if records is not None else document.records())
    return document


def _parse(path: Path, raw: bytes, encoder: StateEncoder | None) -> tuple[_Document, bytes | None]:
    """One file's document parsed from its bytes, with its state encoded for the cache when it
    has no problems (and a cache is given its encoder): what a worker process is given."""
    document = _FileReader(path).read(raw)
    if encoder is None or document.source is None or document.problems:
        return document, None
    return document, encoder(raw, document.to_state())


def knowledge_files(paths: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """The files load_knowledge reads for these paths, in order, so caches can key on them."""
    problems: list[Problem] = []
    files = _files(paths, problems)
    if problems:
        raise KnowledgeError(problems)
    return files


def _files(paths: Iterable[str | os.PathLike[str]], problems: list[Problem]) -> list[Path]:
    """Every knowledge file under the paths (the bundled knowledge if none), recording what
    cannot be read; KnowledgePathError if a path is no file or folder, or none holds a file."""
    given = [Path(path) for path in paths] or [bundled_knowledge_dir()]
    wrong = [
        Problem(
            _display(path),
            0,
            "not a file or folder" if path.exists() else "no such file or directory",
        )
        for path in given
        if not (path.is_file() or path.is_dir())
    ]
    if wrong:
        raise KnowledgePathError(wrong)
    files = list(_discover(given, problems))
    if not files and not problems:
        where = ", ".join(_display(path) for path in given)
        raise KnowledgePathError([Problem(where, 0, "no knowledge files (*.yaml, *.yml) found")])
    return files


def _display(path: Path) -> str:
    """A path as short as it can be: relative to the working directory when inside it."""
    absolute = path.absolute()
    cwd = Path.cwd()
    return str(absolute.relative_to(cwd)) if absolute.is_relative_to(cwd) else str(path)


def _discover(paths: list[Path], problems: list[Problem]) -> Iterator[Path]:
    """Every knowledge file under the given files and folders, once each, surviving symlink
    loops and recording what cannot be read."""
    seen_files: set[tuple[int, int]] = set()
    for path in paths:
        candidates = [path] if path.is_file() else _walk(path, problems)
        for candidate in candidates:
            try:
                info = candidate.stat()
            except OSError as error:
                problems.append(Problem(_display(candidate), 0, f"cannot read: {error.strerror}"))
                continue
            if not stat.S_ISREG(info.st_mode):
                problems.append(Problem(_display(candidate), 0, "not a regular file"))
                continue
            if (info.st_dev, info.st_ino) not in seen_files:
                seen_files.add((info.st_dev, info.st_ino))
                yield candidate


def _walk(root: Path, problems: list[Problem]) -> Iterator[Path]:
    """Knowledge files below a directory in a stable order, following links but never in
    circles; a folder that cannot be listed is a problem, never silently skipped."""

    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else root
        problems.append(Problem(_display(where), 0, f"cannot read folder: {error.strerror}"))

    visited: set[tuple[int, int]] = set()
    for directory, subdirs, filenames in os.walk(root, onerror=unreadable, followlinks=True):
        try:
            info = os.stat(directory)
        except OSError as error:
            unreadable(error)
            subdirs[:] = []
            continue
        if (info.st_dev, info.st_ino) in visited:
            subdirs[:] = []
            continue
        visited.add((info.st_dev, info.st_ino))
        subdirs[:] = sorted(name for name in subdirs if not name.startswith("."))
        for name in sorted(filenames):
            if name.endswith(KNOWLEDGE_SUFFIXES) and not name.startswith("."):
                yield Path(directory) / name


@dataclass(frozen=True)
class _Translation:
    """One language's texts of a record, with each field's node for problems found later."""

    language: str
    key: yaml.Node
    values: dict[str, Any]
    nodes: dict[str, yaml.Node]


@dataclass(frozen=True)
class _GlossaryEntry:
    """One headword and its equivalents, each with its line, for checks across files."""

    headword: str
    line: int
    same: tuple[tuple[str, int], ...]


@dataclass
class _Document:
    """What one file contributed, with the line of each id for cross-file checks."""

    path: str
    source: Source | None
    topics: list[tuple[Topic, dict[str, int]]]
    facts: list[tuple[Fact, dict[str, int]]]
    source_lines: dict[str, int]
    problems: list[Problem]
    glossary: list[_GlossaryEntry] = field(default_factory=list)
    lineless: bool = False
    """Whether its records came from memory, without the lines problems point at."""

    @classmethod
    def of_records(cls, path: str, records: FileRecords) -> _Document:
        """The document of records kept from an earlier load, found at `path`, lines unknown."""
        return cls(
            path,
            records.source,
            [(topic, _NO_LINES) for topic in records.topics],
            [(fact, _NO_LINES) for fact in records.facts],
            _NO_LINES,
            [],
            list(records.glossary),
            lineless=True,
        )

    def records(self) -> FileRecords:
        """The records of a problem-free document, without their lines."""
        if self.source is None or self.problems:
            raise ValueError("only a document read without problems is kept")
        return FileRecords(
            self.source,
            tuple(topic for topic, _ in self.topics),
            tuple(fact for fact, _ in self.facts),
            tuple(self.glossary),
        )

    def to_state(self) -> dict[str, Any]:
        """A problem-free document as plain JSON values, without its path, which depends on
        where it is loaded from."""
        if self.source is None or self.problems:
            raise ValueError("only a document read without problems is kept")
        return {
            "source": source_state(self.source),
            "source_lines": self.source_lines,
            "topics": topics_state(topic for topic, _ in self.topics),
            "topic_lines": [lines for _, lines in self.topics],
            "facts": facts_state(fact for fact, _ in self.facts),
            "fact_lines": [lines for _, lines in self.facts],
            "glossary": _glossary_state(self.glossary),
        }

    @classmethod
    def from_state(cls, path: str, state: dict[str, Any]) -> _Document:
        """The document `to_state` described, found at `path`; raises ValueError (or another
        error of a malformed value) if the state is not such a description."""
        topics = topics_from_state(state["topics"])
        facts = facts_from_state(state["facts"])
        topic_lines, fact_lines = state["topic_lines"], state["fact_lines"]
        if len(topics) != len(topic_lines) or len(facts) != len(fact_lines):
            raise ValueError("lines and records differ in number")
        glossary = _glossary_from_state(state["glossary"])
        return cls(
            path,
            source_from_state(state["source"]),
            list(zip(topics, topic_lines, strict=True)),
            list(zip(facts, fact_lines, strict=True)),
            dict(state["source_lines"]),
            [],
            glossary,
        )


_NO_LINES: dict[str, int] = {}
"""The lines of records kept in memory, which have none: one shared copy, never written to."""


def _glossary_state(glossary: Iterable[_GlossaryEntry]) -> list[list[Any]]:
    """Glossary entries as plain JSON values."""
    return [[entry.headword, entry.line, entry.same] for entry in glossary]


def _glossary_from_state(rows: Iterable[Any]) -> list[_GlossaryEntry]:
    """The entries `_glossary_state` described; raises ValueError (or another error of a
    malformed value) if they are not such a description."""
    return [
        _GlossaryEntry(str(headword), int(line), tuple((str(t), int(n)) for t, n in same))
        for headword, line, same in rows
    ]


class _FileReader:
    """Validates one file by walking YAML nodes, which carry the line numbers values lack."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.display = _display(path)
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node | None, message: str) -> None:
        """Records a problem at a node's line, dropping the excess on hopeless files."""
        line = node.start_mark.line + 1 if node is not None else 0
        if len(self.problems) < MAX_PROBLEMS_PER_FILE:
            self.problems.append(Problem(self.display, line, message))
        elif len(self.problems) == MAX_PROBLEMS_PER_FILE:
            self.problems.append(Problem(self.display, line, "too many problems; stopped here"))

    def empty(self) -> _Document:
        """A document of no records, with the problems recorded so far."""
        return _Document(self.display, None, [], [], {}, self.problems)

    def raw(self) -> bytes | None:
        """The file's bytes, or None after recording why they cannot be read."""
        try:
            if self.path.stat().st_size > MAX_FILE_BYTES:
                self.problem(None, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
                return None
            return self.path.read_bytes()
        except OSError as error:
            self.problem(None, f"cannot read: {error.strerror or error}")
            return None

    def read(self, raw: bytes) -> _Document:
        """Parses and validates the file's bytes; never raises."""
        empty = self.empty()
        root = self._compose(raw)
        if root is None:
            return empty
        document = self.record(root, DOCUMENT)
        if document is None:
            return empty
        source_node = document.get("source")
        source = self._source(source_node) if source_node is not None else None
        source_id = source.id if source is not None else ""
        language = source.language if source is not None else DEFAULT_LANGUAGE
        glossary = self._glossary(document.get("glossary"))
        topics = [
            (topic, _key_lines(node))
            for node in self._items(document.get("topics"), "topics")
            if (topic := self._topic(node, source_id, language)) is not None
        ]
        facts = [
            (fact, _key_lines(node))
            for node in self._items(document.get("facts"), "facts")
            if (fact := self._fact(node, source_id, language)) is not None
        ]
        if source is None or source_node is None:
            return empty
        return _Document(
            self.display, source, topics, facts, _key_lines(source_node), self.problems, glossary
        )

    def _compose(self, raw: bytes) -> yaml.Node | None:
        """The file's YAML node tree, or None after recording why it cannot be read."""
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            self.problems.append(
                Problem(self.display, line, f"not UTF-8 text (byte 0x{raw[error.start]:02x})")
            )
            return None
        try:
            root = yaml.compose(text, Loader=_YamlLoader)
        except yaml.reader.ReaderError as error:
            line = _line_at(text, error.position)
            reason = str(error).splitlines()[0]
            self.problems.append(Problem(self.display, line, f"invalid YAML: {reason}"))
            return None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark is not None else 0
            reason = error.problem or error.context or "invalid YAML"
            self.problems.append(Problem(self.display, line, f"invalid YAML: {reason}"))
            return None
        except yaml.YAMLError as error:
            self.problem(None, f"invalid YAML: {error}")
            return None
        except RecursionError:
            self.problem(None, "invalid YAML: nested too deeply")
            return None
        if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == _NULL_TAG):
            self.problem(None, "file is empty; expected 'source' and 'facts'")
            return None
        return root

    def record(self, node: yaml.Node, spec: Record) -> dict[str, yaml.Node] | None:
        """A mapping's values by key, after checking keys are known, unique and complete."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{spec.name} must be a mapping of keys to values")
            return None
        values: dict[str, yaml.Node] = {}
        key_nodes: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str) or key_node.tag not in _KEY_TAGS:
                self.problem(key_node, f"{spec.name} keys must be plain names")
                continue
            if key in key_nodes:
                first = key_nodes[key].start_mark.line + 1
                self.problem(key_node, f"duplicate key '{key}' (first at line {first})")
                continue
            key_nodes[key] = key_node
            if spec.field(key) is None:
                self.problem(key_node, _unknown(key, spec))
                continue
            values[key] = value_node
        for spec_field in spec.checked_fields:
            value = values.get(spec_field.name)
            if spec_field.required and (value is None or _is_null(value)):
                if value is None:
                    self.problem(node, f"{spec.name} is missing required field '{spec_field.name}'")
                else:
                    self.problem(value, f"'{spec_field.name}' must not be empty")
            elif spec_field.non_empty and isinstance(value, yaml.SequenceNode) and not value.value:
                self.problem(value, f"{spec.name} '{spec_field.name}' must have at least one entry")
        return values

    def _items(self, node: yaml.Node | None, name: str) -> list[yaml.Node]:
        """The entries of a list field, or none after recording why it is not a list."""
        if node is None or _is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"'{name}' must be a list (one '- ' entry per item)")
            return []
        return list(node.value)

    def _value(self, node: yaml.Node | None, spec: Field, label: str) -> Any:
        """A validated Python value for one field, or None after recording what is wrong."""
        if node is None or _is_null(node):
            return None
        match spec.kind:
            case Kind.SLUG:
                text = self.text(node, label, spec.max_length)
                if text is not None and not _SLUG.match(text):
                    self.problem(
                        node,
                        f"{label} must be lower-case letters, digits and dashes: {text!r}",
                    )
                    return None
                return text
            case Kind.LANGUAGE:
                return self._language(node, label)
            case Kind.TEXT:
                return self.text(node, label, spec.max_length)
            case Kind.URL:
                text = self.text(node, label, spec.max_length)
                if text is not None and not re.match(r"^https?://\S+$", text):
                    self.problem(node, f"{label} must start with http:// or https://: {text!r}")
                    return None
                return text
            case Kind.DATE:
                return self._date(node, label)
            case Kind.TEXT_LIST:
                return self._text_list(node, label, spec.max_length)
            case Kind.TEXT_MAP:
                return self._text_map(node, label, spec.max_length)
            case Kind.TRANSLATIONS:
                assert spec.record is not None
                return self._translations(node, label, spec.record)
        raise AssertionError(f"unhandled field kind {spec.kind}")  # pragma: no cover

    def text(self, node: yaml.Node, label: str, max_length: int | None) -> str | None:
        """A non-empty string, refusing the YAML values that only look like text."""
        if not isinstance(node, yaml.ScalarNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
            self.problem(node, f"{label} must be text, not {kind}")
            return None
        if node.tag == _BOOL_TAG:
            self.problem(
                node,
                f"{label}: YAML reads {node.value!r} as true/false, not text; put it in quotes",
            )
            return None
        if node.tag not in _TEXT_TAGS:
            self.problem(node, f"{label} must be text")
            return None
        text = str(node.value).strip()
        if not text:
            self.problem(node, f"{label} must not be empty")
            return None
        if max_length is not None and len(text) > max_length:
            self.problem(node, f"{label} is {len(text):,} characters; the limit is {max_length:,}")
            return None
        return text

    def _language(self, node: yaml.Node, label: str) -> str | None:
        """A language code such as en or zh."""
        text = self.text(node, label, None)
        if text is not None and not _LANGUAGE.match(text):
            self.problem(node, f"{label} must be a language code such as en or zh, not {text!r}")
            return None
        return text

    def _translations(self, node: yaml.Node, label: str, spec: Record) -> list[_Translation]:
        """Each language's texts of a record, checked as the record's own texts are."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{label} must be a mapping of language codes, such as zh, to texts")
            return []
        found: dict[str, _Translation] = {}
        for key_node, value_node in node.value:
            language = self._language(key_node, f"{label} language")
            if language is None:
                continue
            if language in found:
                self.problem(key_node, f"{label}: duplicate language {language!r}")
                continue
            nodes = self.record(value_node, spec)
            values = self._checked(nodes, spec) if nodes is not None else None
            if nodes is not None and values is not None:
                found[language] = _Translation(language, key_node, values, nodes)
        return list(found.values())

    def _own_language(
        self, translations: list[_Translation], own: str, label: str
    ) -> list[_Translation]:
        """The translations into languages other than the source's own, which needs none."""
        kept = []
        for translation in translations:
            if translation.language == own:
                self.problem(translation.key, f"{label}: {own!r} is the source's own language")
            else:
                kept.append(translation)
        return kept

    def _date(self, node: yaml.Node, label: str) -> date | None:
        """A calendar date written as YYYY-MM-DD, quoted or not."""
        raw = node.value if isinstance(node, yaml.ScalarNode) else None
        if isinstance(raw, str):
            try:
                return date.fromisoformat(raw.strip())
            except ValueError:
                pass
        shown = f", not {raw!r}" if isinstance(raw, str) else ""
        self.problem(node, f"{label} must be a date like 2026-06-01{shown}")
        return None

    def _text_list(self, node: yaml.Node, label: str, max_length: int | None) -> tuple[str, ...]:
        """A list of texts; a single text is accepted as a list of one."""
        if isinstance(node, yaml.ScalarNode):
            single = self.text(node, label, max_length)
            return (single,) if single else ()
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{label} must be a list of texts")
            return ()
        entry = f"{label} entry"
        items = (self.text(item, entry, max_length) for item in node.value)
        return tuple(dict.fromkeys(item for item in items if item))

    def _text_map(
        self, node: yaml.Node, label: str, max_length: int | None
    ) -> tuple[tuple[str, str], ...]:
        """A mapping of short texts to texts, kept in written order."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{label} must be a mapping of names to texts")
            return ()
        entries: dict[str, str] = {}
        for key_node, value_node in node.value:
            key = self.text(key_node, f"{label} key", MAX_CARD_KEY)
            value = self.text(value_node, f"{label} '{key}'", max_length) if key else None
            if key and key in entries:
                self.problem(key_node, f"{label}: duplicate key {key!r}")
            elif key and value:
                entries[key] = value
        return tuple(entries.items())

    def _glossary(self, node: yaml.Node | None) -> list[_GlossaryEntry]:
        """The glossary's entries in written order, each headword with at least one equivalent."""
        if node is None or _is_null(node):
            return []
        label = "glossary"
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{label} must be a mapping of headwords to lists of equivalents")
            return []
        entries: list[_GlossaryEntry] = []
        for key_node, value_node in node.value:
            headword = self.text(key_node, f"{label} headword", MAX_GLOSSARY_TEXT)
            if headword is None or not self._has_word(key_node, headword):
                continue
            entry = f"{label} '{headword}'"
            if isinstance(value_node, yaml.SequenceNode):
                items = [
                    (item, self.text(item, f"{entry} entry", MAX_GLOSSARY_TEXT))
                    for item in value_node.value
                ]
            elif _is_null(value_node):
                items = []
            else:
                items = [(value_node, self.text(value_node, entry, MAX_GLOSSARY_TEXT))]
            same = tuple(
                (text, item.start_mark.line + 1)
                for item, text in items
                if text is not None and self._has_word(item, text)
            )
            if not items:
                self.problem(value_node, f"{entry} lists no equivalents")
            entries.append(_GlossaryEntry(headword, key_node.start_mark.line + 1, same))
        return entries

    def _has_word(self, node: yaml.Node, text: str) -> bool:
        """Whether a glossary text has a letter or digit to match, recording it if not."""
        if _glossary_key(text):
            return True
        self.problem(node, f"glossary: {text!r} has no letters or digits to match")
        return False

    def _fields(self, node: yaml.Node, spec: Record) -> dict[str, Any] | None:
        """All fields of a record as Python values, or None if any required one is unusable.
        Most records are plain texts throughout, read at once; any other goes through every
        check, which words its problems."""
        plain = _plain_fields(node, spec)
        if plain is not None:
            return plain
        values = self.record(node, spec)
        return self._checked(values, spec) if values is not None else None

    def _checked(self, values: dict[str, yaml.Node], spec: Record) -> dict[str, Any] | None:
        """The Python values of a record's nodes, or None if any required one is unusable."""
        result: dict[str, Any] = dict.fromkeys(spec.field_names)
        for key, value in values.items():
            result[key] = self._value(value, spec.fields_by_name[key], f"{spec.name} '{key}'")
        if any(result[field.name] is None for field in spec.required_fields):
            return None
        return result

    def _source(self, node: yaml.Node) -> Source | None:
        values = self._fields(node, SOURCE)
        if values is None:
            return None
        return Source(**{**values, "language": values["language"] or DEFAULT_LANGUAGE})

    def _topic(self, node: yaml.Node, source_id: str, language: str) -> Topic | None:
        values = self._fields(node, TOPIC)
        if values is None:
            return None
        card = values["card"] or ()
        translations = self._own_language(
            values["translations"] or [], language, "topic 'translations'"
        )
        return Topic(
            id=values["id"],
            name=values["name"],
            summary=values["summary"],
            source_id=source_id,
            aliases=values["aliases"] or (),
            card=card,
            not_stated=values["not_stated"] or (),
            translations=tuple(
                (
                    translation.language,
                    TopicTranslation(
                        summary=translation.values["summary"],
                        name=translation.values["name"],
                        card=self._card_rows(translation, card),
                    ),
                )
                for translation in translations
            ),
        )

    def _card_rows(
        self, translation: _Translation, card: tuple[tuple[str, str], ...]
    ) -> tuple[tuple[str, str], ...]:
        """A translated card's rows, each named as a row of the original card: the name says
        which row it translates, and /compare lines rows up by it in every language."""
        rows = translation.values["card"] or ()
        names = [name for name, _ in card]
        kept = []
        for name, value in rows:
            if name in names:
                kept.append((name, value))
                continue
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else f" (rows: {', '.join(names)})"
            if not names:
                hint = "; the topic has no card"
            where = _key_node(translation.nodes["card"], name)
            self.problem(
                where,
                f"topic translation '{translation.language}' card row {name!r} is not a row"
                f" of the topic's card{hint}",
            )
        return tuple(kept)

    def _fact(self, node: yaml.Node, source_id: str, language: str) -> Fact | None:
        values = self._fields(node, FACT)
        if values is None:
            return None
        translations = self._own_language(
            values["translations"] or [], language, "fact 'translations'"
        )
        return Fact(
            id=values["id"],
            question=values["question"],
            answer=values["answer"],
            source_id=source_id,
            topic_id=shared(values["topic"]),
            also=values["also"] or (),
            keywords=shared_texts(values["keywords"] or ()),
            section=shared(values["section"]),
            translations=tuple(
                (
                    translation.language,
                    FactTranslation(
                        answer=translation.values["answer"],
                        question=translation.values["question"],
                        also=translation.values["also"] or (),
                    ),
                )
                for translation in translations
            ),
        )


def _plain_fields(node: yaml.Node, spec: Record) -> dict[str, Any] | None:
    """A record's values as `_checked` gives them when its keys are known, unique and complete
    and each value is the text (or list or mapping of texts) its field wants within its limits;
    None for any other record, with nothing recorded, so the full checks read it afresh.

    The full checks cost ten times as much per field, spent on the few records with a problem:
    walking the facts' fields was a fifth of a cold start at 100,000 facts."""
    if type(node) is not _MAPPING:
        return None
    readers = _plain_readers(spec)
    result: dict[str, Any] = dict.fromkeys(spec.field_names)
    for key_node, value_node in node.value:
        if type(key_node) is not _SCALAR or key_node.tag != _STR_TAG:
            return None
        key = key_node.value
        reader = readers.get(key)
        if reader is None or result[key] is not None:
            return None
        value = reader[0](value_node, reader[1])
        if value is None:
            return None
        result[key] = value
    if not all(result[spec_field.name] for spec_field in spec.checked_fields):
        return None
    return result


_PlainReader = Callable[[yaml.Node, int | None], Any]
"""Reads a field's value node within a length limit, or gives None for the full checks."""
_READERS_BY_RECORD: dict[str, dict[str, tuple[_PlainReader, int | None]]] = {}
"""Each record's `_plain_readers`, by its name."""


def _plain_readers(spec: Record) -> dict[str, tuple[_PlainReader, int | None]]:
    """The reader and limit of each field of a record that `_plain_fields` reads, made once:
    looked up by key, where choosing by the field's kind took a fifth of the time."""
    readers = _READERS_BY_RECORD.get(spec.name)
    if readers is None:
        readers = _READERS_BY_RECORD[spec.name] = {
            field.name: (_PLAIN_READERS[field.kind], field.max_length)
            for field in spec.fields
            if field.kind in _PLAIN_READERS
        }
    return readers


def _plain_slug(node: yaml.Node, max_length: int | None) -> str | None:
    """A slug as `_FileReader._value` gives it when it has no problem, else None."""
    text = _plain_text(node, max_length)
    return text if text is not None and _SLUG.match(text) else None


def _plain_text(node: yaml.Node, max_length: int | None) -> str | None:
    """A scalar's text as `_FileReader.text` gives it when it has no problem, else None."""
    if type(node) is not _SCALAR or node.tag not in _TEXT_TAGS:
        return None
    text: str = node.value.strip()
    if not text or (max_length is not None and len(text) > max_length):
        return None
    return text


def _plain_texts(node: yaml.Node, max_length: int | None) -> tuple[str, ...] | None:
    """A list of texts (or one text) as `_FileReader._text_list` gives it when no entry has
    a problem, else None."""
    if type(node) is _SCALAR:
        single = _plain_text(node, max_length)
        return None if single is None else (single,)
    if type(node) is not _SEQUENCE:
        return None
    texts: dict[str, None] = {}
    for item in node.value:
        text = _plain_text(item, max_length)
        if text is None:
            return None
        texts[text] = None
    return tuple(texts)


def _plain_text_map(node: yaml.Node, max_length: int | None) -> tuple[tuple[str, str], ...] | None:
    """A mapping of texts as `_FileReader._text_map` gives it when no key or value has a
    problem, else None."""
    if type(node) is not _MAPPING:
        return None
    entries: dict[str, str] = {}
    for key_node, value_node in node.value:
        key = _plain_text(key_node, MAX_CARD_KEY)
        value = _plain_text(value_node, max_length)
        if key is None or value is None or key in entries:
            return None
        entries[key] = value
    return tuple(entries.items())


_PLAIN_READERS: dict[Kind, _PlainReader] = {
    Kind.TEXT: _plain_text,
    Kind.TEXT_LIST: _plain_texts,
    Kind.SLUG: _plain_slug,
    Kind.TEXT_MAP: _plain_text_map,
}
"""The kinds of field `_plain_fields` reads: any other sends a record to the full checks."""


def _line_at(text: str, position: int) -> int:
    """The line of a reader error's position: libyaml counts UTF-8 bytes, PyYAML characters."""
    if _LIBYAML:
        text = text.encode()[:position].decode(errors="ignore")
        position = len(text)
    return text.count("\n", 0, position) + 1


def _key_lines(node: yaml.Node) -> dict[str, int]:
    """The line of each key in a mapping node that cross-file problems point at: only those,
    as every record's are held until all files are read (every key's line of 100,000 facts
    was a sixth of a cold start's peak memory)."""
    return {
        name: key.start_mark.line + 1
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode) and (name := _CROSS_FILE_KEYS.get(key.value))
    }


_CROSS_FILE_KEYS = {key: key for key in ("id", "name", "aliases", "topic")}
"""The keys whose lines `_assemble` reports, each to one shared copy of its name."""


def _key_node(node: yaml.Node, key: str) -> yaml.Node:
    """The node of a key in a mapping, to point at its line; the mapping if not found."""
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and str(key_node.value).strip() == key:
                return key_node
    return node


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG


def _unknown(key: str, spec: Record) -> str:
    """An unknown-key message that points at the key the curator probably meant."""
    close = difflib.get_close_matches(key, spec.field_names, n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else f" (valid: {', '.join(spec.field_names)})"
    return f"unknown field '{key}' in {spec.name}{hint}"


def _assemble(documents: list[_Document], problems: list[Problem]) -> KnowledgeBase:
    """Joins the files, checking that ids are unique everywhere and topics exist."""
    first_seen: dict[str, dict[str, tuple[str, dict[str, int]]]] = defaultdict(dict)
    """Where each kind's ids first came, as the file and its lines: a text for each of 100,000
    facts would be a tenth of loading's peak memory, for the rare duplicate."""

    def claim(kind: str, item_id: str, path: str, lines: dict[str, int]) -> bool:
        """Registers an id, recording a problem if another item already has it."""
        seen = first_seen[kind]
        if (first := seen.get(item_id)) is not None:
            where = f"{first[0]}:{first[1].get('id', 0)}"
            message = f"duplicate {kind} id '{item_id}' (first at {where})"
            problems.append(Problem(path, lines.get("id", 0), message))
            return False
        seen[item_id] = (path, lines)
        return True

    sources: list[Source] = []
    topics: list[Topic] = []
    topic_lines: list[tuple[Topic, str, dict[str, int]]] = []
    facts: list[tuple[Fact, str, dict[str, int]]] = []
    for doc in documents:
        if doc.source is None:
            continue
        if claim("source", doc.source.id, doc.path, doc.source_lines):
            sources.append(doc.source)
        claimed = [(t, lines) for t, lines in doc.topics if claim("topic", t.id, doc.path, lines)]
        topics.extend(t for t, _ in claimed)
        topic_lines.extend((t, doc.path, lines) for t, lines in claimed)
        facts.extend(
            (f, doc.path, lines) for f, lines in doc.facts if claim("fact", f.id, doc.path, lines)
        )
    glossary = _assemble_glossary(documents, topics, problems)
    named: dict[str, tuple[Topic, str]] = {}
    for topic, path, lines in topic_lines:
        for name in topic.names:
            first = named.setdefault(name.casefold(), (topic, f"{path}:{lines.get('id', 0)}"))
            if first[0].id != topic.id:
                message = (
                    f"topic '{topic.id}' is also called {name!r}, as is topic '{first[0].id}' "
                    f"(at {first[1]}); a name must lead to one topic"
                )
                problems.append(Problem(path, lines.get("aliases", lines.get("name", 0)), message))
    topic_ids = {topic.id for topic in topics}
    for fact, path, lines in facts:
        if fact.topic_id is not None and fact.topic_id not in topic_ids:
            close = difflib.get_close_matches(fact.topic_id, sorted(topic_ids), n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            message = f"fact '{fact.id}' names unknown topic '{fact.topic_id}'{hint}"
            problems.append(Problem(path, lines.get("topic", 0), message))
    return KnowledgeBase.of(sources, topics, (fact for fact, _, _ in facts), glossary)


def _assemble_glossary(
    documents: list[_Document], topics: list[Topic], problems: list[Problem]
) -> dict[str, tuple[str, ...]]:
    """Every file's glossary as one, each word or phrase in one entry only and none a topic's
    name: a word meaning two things, or renaming a topic, would change answers silently."""
    if not any(doc.glossary for doc in documents):
        return {}  # nor the names of every topic set out: 0.05 s at 10,000 topics
    names = _NameOverlaps(topics)
    owner: dict[str, tuple[str, str, str]] = {}
    """Each text's key: its entry's headword (as a key and as written) and where it starts."""
    glossary: dict[str, tuple[str, ...]] = {}
    for doc in documents:
        for entry in doc.glossary:
            where = f"{doc.path}:{entry.line}"
            key = _glossary_key(entry.headword)
            if key in owner and owner[key][0] == key:
                first = owner[key][2]
                message = f"duplicate glossary headword '{entry.headword}' (first at {first})"
                problems.append(Problem(doc.path, entry.line, message))
                continue
            same: list[str] = []
            for text, line in ((entry.headword, entry.line), *entry.same):
                text_key = _glossary_key(text)
                if overlapped := names.overlapping(text_key):
                    topic_id, name = overlapped
                    message = (
                        f"glossary: '{text}' overlaps '{name}', a name of topic '{topic_id}',"
                        " which questions match by name already"
                    )
                    problems.append(Problem(doc.path, line, message))
                elif text_key in owner and owner[text_key][0] != key:
                    _, headword, first = owner[text_key]
                    message = (
                        f"glossary: '{text}' is already in the entry for '{headword}' ({first})"
                    )
                    problems.append(Problem(doc.path, line, message))
                elif text_key not in owner:
                    owner[text_key] = (key, entry.headword, where)
                    if text_key != key:
                        same.append(text)
            glossary[entry.headword] = tuple(same)
    return glossary


_GLOSSARY_WORD = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+")
"""Figures and runs of letters, apart, so "Qwen3.7-Max" is compared as "qwen 3.7 max"."""


def _glossary_key(text: str) -> str:
    """How glossary texts and names are compared: case, punctuation and spacing aside."""
    return " ".join(_GLOSSARY_WORD.findall(text.casefold()))


class _NameOverlaps:
    """Finds the topic name a glossary text overlaps: equal to it, inside it ("max" in "Qwen
    3.7 Max") or around it. Reading such a text as an entry would hide the name."""

    def __init__(self, topics: Iterable[Topic]) -> None:
        self._by_word: dict[str, list[tuple[str, str, str]]] = {}
        self._unspaced: list[tuple[str, str, str]] = []
        """Names in scripts written without spaces, compared character by character."""
        for topic in topics:
            for name in topic.names:
                key = _glossary_key(name)
                named = (key, topic.id, name)
                for word in set(key.split()):
                    self._by_word.setdefault(word, []).append(named)
                if not key.isascii():
                    self._unspaced.append(named)

    def overlapping(self, key: str) -> tuple[str, str] | None:
        """The (topic id, name) a glossary text's key overlaps, if any."""
        candidates = [named for word in key.split() for named in self._by_word.get(word, ())]
        if not key.isascii():
            candidates += self._unspaced
        overlapping = [
            (name_key != key, len(name_key), topic_id, name)
            for name_key, topic_id, name in candidates
            if _inside(key, name_key) or _inside(name_key, key)
        ]
        return min(overlapping)[2:] if overlapping else None


def _inside(part: str, whole: str) -> bool:
    """Whether one key is within another: by whole words, or anywhere in unspaced scripts."""
    if not part.isascii():
        return part in whole
    return f" {part} " in f" {whole} "
