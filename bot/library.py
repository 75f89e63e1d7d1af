"""Opens knowledge ready to answer, from a cache of the built index when the files are unchanged.

Parsing YAML and reading every text into the index is what makes a start slow; both depend only
on the files' contents, so the result is kept in the user's cache folder under a key made of
those contents and this program's version. An entry is its sections (lists of texts joined,
JSON for other values, raw bytes for the index's number arrays), then a JSON header naming them.
None can run code when read, unlike pickle, and the arrays load without parsing a single number.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import logging
import os
import re
import secrets
import struct
import sys
import tempfile
import zlib
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from bot import __version__
from bot.engine import Matcher, MatchSettings
from bot.engine.cards import CardChecks, CardFacts, card_facts_of
from bot.engine.index import Gathered, Numbering, reading_key
from bot.engine.packed import ID, FactReadings
from bot.engine.typos import COMMON_WORDS, common_words_source
from bot.knowledge import KnowledgeBase, knowledge_files, load_knowledge
from bot.knowledge.loader import FileRecords, StateEncoder, records_of
from bot.workers import build_workers

log = logging.getLogger(__name__)

CACHE_FORMAT = 40
"""Bump when the cached state changes shape or meaning (11: sources have a language,
topics and facts translations; 14: carded topics' name facts; 15: facts' readings are kept;
17-20 and 21-25, two lines of work merged at 26: answer kinds, stopwords and the index's
pinyin spellings; facts keyed by their joined texts, text sections, shared names; 27: the
margin answer kind; 28-29: Chinese filler and question words are stopwords; 30: the Name
row asked in Chinese; 31: each file's outline and where each fact stands in the kept
readings, for a reload to reuse them; 33: a card row giving its topic's own name is a
card fact; 34: the money answer kind; 35: Cantonese question words; 36: "what fraction"
asks a margin, which "one-tenth of" gives; 37: the duration answer kind; 38: 啥时候 asks a
time; 39: "缩写是啥" asks no expansion; 40: a phrasing's 几时 after 哪 asks no time, as a
question's does not); old entries are then simply never looked up."""
KEPT_ENTRIES = 4
ENTRY_NAME = re.compile(r"index-[0-9a-f]{32}\.bin")
"""An entry's file name, `index-` and the key's 32 hex digits: the only files pruning may delete,
since the cache folder may be shared ($FOOTNOTE_CACHE_DIR)."""
FILE_ENTRY_NAME = re.compile(r"file-[0-9a-f]{32}\.json")
"""A knowledge file's entry, `file-` and its key's 32 hex digits: other files pruning may
delete. It holds what loading that file yielded, so an edit re-reads only the edited file."""
READINGS_ENTRY_NAME = re.compile(r"readings-[0-9a-f]{32}\.bin")
"""The facts' readings at one set of topic names and glossary, `readings-` and the key's 32 hex
digits: the last files pruning may delete. They spare a build reading the unchanged facts."""
WORDS_ENTRY_NAME = re.compile(r"words-[0-9a-f]{32}\.bin")
"""The common English words' terms, `words-` and the key's 32 hex digits: read in milliseconds,
where the word list takes 0.12 s of every `footnote ask` that meets a word the knowledge lacks."""
STALE_READINGS = 1_000
"""Facts a build may read anew before the kept readings are written again: reading that many
takes less than rewriting the readings of 100,000 facts, so each small edit need not pay that."""
MAGIC = b"footnote knowledge cache\n"
TEXTS = "texts"
"""A section holding a list of texts, joined by the separator (an empty list is JSON's)."""
_TEXT_SEPARATOR = "\x00"
"""Joins a texts section: a character texts hardly ever hold (a list where one does is JSON)."""
_HEADER_LENGTH = struct.Struct("<Q")
_WRITER = f"{CACHE_FORMAT}|{__version__}|{sys.version_info[:2]}".encode()
"""What writes the entries, in every key: another format, version or Python never matches."""
_ARRAY_TYPES = {code: array(code).itemsize for code in "If"}
"""The array types an entry may hold, with their sizes here: an entry written where they differ
(or with the other byte order) is foreign."""


def default_cache_dir() -> Path:
    """$FOOTNOTE_CACHE_DIR, else the platform's user cache folder."""
    if override := os.environ.get("FOOTNOTE_CACHE_DIR"):
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "footnote"


def open_knowledge(
    paths: Iterable[str | os.PathLike[str]] = (),
    settings: MatchSettings | None = None,
    cache_dir: Path | None = None,
) -> Matcher:
    """A matcher for the knowledge at these paths; raises KnowledgeError if it is invalid."""
    return open_served(paths, settings, cache_dir)[0]


def open_served(
    paths: Iterable[str | os.PathLike[str]] = (),
    settings: MatchSettings | None = None,
    cache_dir: Path | None = None,
) -> tuple[Matcher, str]:
    """A matcher for the knowledge at these paths and the digest of the files' contents (see
    `open_unkept`), with the cache written. Raises KnowledgeError if it is invalid."""
    opened = open_unkept(paths, settings, cache_dir)
    opened.keep()
    return opened.matcher, opened.digest


@dataclass(frozen=True)
class Reusable:
    """What a build took from each file and made of each card, for a host that reloads to
    hand to the next build: after an edit to one file of many, that build takes the others'
    records and their topics' card facts as they are, the very objects, in place of parsing
    99 files' cache entries and checking every card again (0.65 s and 0.45 s at 100,000
    facts in 100 files). It holds no copies, only the knowledge's own objects."""

    files: Mapping[str, FileRecords] = field(default_factory=dict)
    """Each problem-free file's records, by the key of its contents, in file order."""
    carded: Mapping[str, CardFacts] | KnowledgeBase = field(default_factory=dict)
    """Each carded topic's card facts, by its id, or the knowledge holding them (a warm
    start's, which need not spend 0.07 s finding them before a reload asks)."""

    numbering: Numbering | None = None
    """Where each fact of the build stands in the readings it kept or wrote."""

    @functools.cached_property
    def cards(self) -> Mapping[str, CardFacts]:
        """Each carded topic's card facts, by its id."""
        carded = self.carded
        return card_facts_of(carded) if isinstance(carded, KnowledgeBase) else carded


PendingEntry = tuple[Path, Callable[[], dict[str, Any] | None], re.Pattern[str]]
"""A cache entry a build made: where it goes, what goes there (made only when it is written,
so nothing is encoded before it must be; None when there is nothing to keep) and the kind of
entry, for pruning."""


@dataclass
class Opened:
    """Knowledge ready to serve, and the cache entries its build made, written by `keep`: a
    host serves the new knowledge first and writes after, as writing the index of 100,000
    facts takes some 0.4 s that no question need wait for."""

    matcher: Matcher
    digest: str
    """The digest of the files' contents: the same wherever the same knowledge is served,
    whatever its paths, so a host can tell which processes serve what."""
    pending: list[PendingEntry]
    reusable: Reusable
    """What the next reload may take as it is: see `Reusable`."""

    def keep(self) -> None:
        """Writes the cache entries the build made, once; a failure is a log line, as ever.
        Each is let go once written, so the readings of 100,000 facts are not still held
        while the index is encoded."""
        pending, self.pending = self.pending, []
        while pending:
            entry, state, kind = pending.pop(0)
            if (kept := state()) is not None:
                _write(entry, kept, kind)


def open_unkept(
    paths: Iterable[str | os.PathLike[str]] = (),
    settings: MatchSettings | None = None,
    cache_dir: Path | None = None,
    previous: Reusable | None = None,
) -> Opened:
    """A matcher for the knowledge at these paths, read once with the digest of the files'
    contents, and the cache entries to write once it is served; given what the build of the
    knowledge served so far left reusable, a build takes from it what is unchanged. Raises
    KnowledgeError if it is invalid.

    The index lives as long as the process, so it is moved out of the cyclic garbage
    collector's sight (gc.freeze): otherwise each full collection re-scans every object in
    it, a pause of hundreds of milliseconds at 100,000 facts, felt as slow answers. It is
    frozen before the collector is back on, or turning it on would pay one such pause at once
    (building leaves no cyclic garbage for that collection to find).
    """
    paths = list(paths)
    files = knowledge_files(paths)
    contents = _contents_digest(files)
    entry = _entry(cache_dir, contents) if cache_dir is not None and contents else None
    pending: list[PendingEntry] = []
    if cache_dir is not None:
        _common_words(cache_dir, pending)
    with collector_paused():
        read = _read(entry, settings) if entry is not None else None
        if read is None:
            read = _build(paths, settings, cache_dir, pending, previous or Reusable())
            if entry is not None:
                state = functools.partial(_index_state, *read)
                pending.append((entry, state, ENTRY_NAME))
        gc.freeze()
    matcher, reusable = read
    return Opened(matcher, contents.hex(), pending, reusable)


def _index_state(matcher: Matcher, reusable: Reusable) -> dict[str, Any]:
    """What a warm start reads back: the knowledge, the built index, and each file's outline
    (how its records are carved out of the knowledge again, for the next reload to reuse)."""
    return {
        "knowledge": matcher.knowledge.to_state(),
        **matcher.index.export_state(),
        "files": [[key, *records.outline()] for key, records in reusable.files.items()],
        **(_numbering_state(reusable.numbering) if reusable.numbering is not None else {}),
    }


def _numbering_state(numbering: Numbering) -> dict[str, Any]:
    """Where each fact stands in the kept readings, for a reload after a warm start."""
    return {"readings_numbers": array(ID, numbering.numbers), "readings_serial": numbering.serial}


@contextmanager
def collector_paused() -> Iterator[None]:
    """Building holds millions of new objects that are all kept: collecting while they are
    made finds no garbage and costs about a fifth of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build(
    paths: list[str | os.PathLike[str]],
    settings: MatchSettings | None,
    cache_dir: Path | None,
    pending: list[PendingEntry],
    previous: Reusable,
) -> tuple[Matcher, Reusable]:
    """Loads and indexes the knowledge, taking from `previous` and the caches what unchanged
    files yielded and how unchanged facts read; the files' entries are written as they are
    read, the facts' readings added to `pending` for the next build. Much left to parse or
    read is spread over processes, one per core (see bot.workers)."""
    with build_workers() as executor:
        if cache_dir is None:
            knowledge = load_knowledge(paths, executor=executor)
            return Matcher(knowledge, settings, executor=executor), Reusable()
        documents = _FileEntries(cache_dir, previous.files)
        knowledge = load_knowledge(paths, documents, executor)
        documents.prune(KEPT_ENTRIES)
        entry = cache_dir / f"readings-{_key(reading_key(knowledge).encode())}.bin"
        kept = _read_readings(entry, knowledge.topics, previous.cards)
        readings, checks = kept or (FactReadings.empty(), CardChecks(before=previous.cards))
        matcher = Matcher(
            knowledge,
            settings,
            readings=readings,
            checks=checks,
            numbering=previous.numbering,
            executor=executor,
        )
    gathered = matcher.index.take_readings()
    tables = (matcher.index.postings, matcher.index.facts_by_entity)
    numbering = None
    if gathered is not None and (kept is None or gathered.read_anew > STALE_READINGS):
        serial = secrets.token_hex(16)
        state = functools.partial(_readings_state, gathered, serial, checks)
        pending.append((entry, state, READINGS_ENTRY_NAME))
        numbering = Numbering(gathered.facts, range(len(gathered.facts)), serial, tables)
    elif gathered is not None:
        numbering = Numbering(gathered.facts, gathered.numbers, readings.serial, tables)
    return matcher, Reusable(documents.taken, checks.made, numbering)


def _readings_state(gathered: Gathered, serial: str, checks: CardChecks) -> dict[str, Any]:
    """What the next build takes its facts' readings and card checks from."""
    return {**gathered.readings(serial).export(), **checks.export()}


def _common_words(cache_dir: Path, pending: list[PendingEntry]) -> None:
    """Gives the engine the common English words' terms a cache entry kept, or has them kept
    once served; they are the same for every knowledge, so a reload that finds them held
    and kept reads nothing."""
    entry = cache_dir / f"words-{_key(common_words_source().encode())}.bin"
    if COMMON_WORDS.held and entry.exists():
        return
    try:
        state = _read_state(entry)
        terms = state["terms"] if state is not None else None
        if terms is not None and not all(isinstance(term, str) for term in terms):
            raise ValueError("terms that are not texts")
    except (ValueError, KeyError, TypeError) as error:
        log.warning("common words cache %s ignored (%s); reading the word list", entry.name, error)
        terms = None
    if terms is not None:
        COMMON_WORDS.given(frozenset(terms))
    else:
        pending.append((entry, _common_words_state, WORDS_ENTRY_NAME))


def _common_words_state() -> dict[str, Any] | None:
    """The common words' terms to keep, or None when the word list could not be read."""
    terms = COMMON_WORDS.terms()
    return {"terms": sorted(terms)} if terms else None


def _entry(cache_dir: Path, contents: bytes) -> Path:
    """Where the cache for files of these contents lives: keyed by them and by what wrote the
    cache (the cached state holds no paths, so renaming a file alone needs no rebuild)."""
    return cache_dir / f"index-{_key(contents)}.bin"


def _key(data: bytes) -> str:
    """Data digested with what writes the entries, so another writer's never match."""
    digest = hashlib.sha256(_WRITER)
    digest.update(data)
    return digest.hexdigest()[:32]


def knowledge_digest(paths: Iterable[str | os.PathLike[str]] = ()) -> str:
    """The digest `open_served` gives for the knowledge at these paths, without loading it."""
    return _contents_digest(knowledge_files(paths)).hex()


def _contents_digest(files: list[Path]) -> bytes:
    """One SHA-256 over each file's own, in order; empty if one vanished or can't be read (the
    loader then says which, and how)."""
    digest = hashlib.sha256()
    try:
        for path in files:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    except OSError as error:
        log.warning("knowledge cache skipped: %s", error)
        return b""
    return digest.digest()


def _read(entry: Path, settings: MatchSettings | None) -> tuple[Matcher, Reusable] | None:
    """The cached matcher and what a reload may reuse of it, or None (with a log line) when
    missing, corrupt or foreign."""
    try:
        state = _read_state(entry)
        if state is None:
            return None
        knowledge = KnowledgeBase.from_state(state.pop("knowledge"))
        files = state.pop("files")
        records = records_of(knowledge, [outline for _, *outline in files])
        reusable = dict(zip((str(key) for key, *_ in files), records, strict=True))
        numbers, serial = state.pop("readings_numbers"), state.pop("readings_serial")
        matcher = Matcher(knowledge, settings, state)
        facts = list(matcher.knowledge.facts.values())
        if numbers.typecode != ID or len(numbers) != len(facts) or not isinstance(serial, str):
            raise ValueError("readings numbering does not match the facts")
        tables = (matcher.index.postings, matcher.index.facts_by_entity)
        numbering = Numbering(facts, numbers, serial, tables)
        return matcher, Reusable(reusable, matcher.knowledge, numbering)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        log.warning("knowledge cache %s ignored (%s); rebuilding", entry.name, error)
        return None


def _read_readings(
    entry: Path, topics: Collection[str], cards: Mapping[str, CardFacts]
) -> tuple[FactReadings, CardChecks] | None:
    """The kept readings and card checks (with an earlier build's card facts), or None (with a
    log line) when missing, corrupt or foreign."""
    try:
        state = _read_state(entry)
        if state is None:
            return None
        return FactReadings.load(state, topics), CardChecks.load(state, cards)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        log.warning(
            "knowledge readings cache %s ignored (%s); reading every fact", entry.name, error
        )
        return None


def _read_state(entry: Path) -> dict[str, Any] | None:
    """An entry's state, or None when missing or (with a log line) unreadable; ValueError when
    it is no entry `_pack` wrote. Its bytes are let go once unpacked, before anything is built
    from the state: the index entry of 100,000 facts is 66 MB, and holding it while the
    matcher was built put a warm start's peak at 301 MiB instead of 262 MiB."""
    try:
        raw = entry.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("knowledge cache unreadable, rebuilding: %s", error)
        return None
    return _unpack(raw)


def _write(entry: Path, state: dict[str, Any], kind: re.Pattern[str]) -> None:
    """Stores the state atomically, so a crash mid-write never leaves a half entry, then prunes
    the entries of its kind."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=entry.parent, delete=False) as handle:
            _pack(state, handle)
        os.replace(handle.name, entry)
        _prune(entry.parent, kind)
    except OSError as error:
        log.warning("could not write the knowledge cache: %s", error)


def _file_entry(raw: bytes, state: dict[str, Any]) -> bytes:
    """A file's state as its entry holds it: JSON, with what wrote it and the contents' key."""
    stored = {"format": CACHE_FORMAT, "version": __version__, "key": _key(raw), "document": state}
    return json.dumps(stored, ensure_ascii=False).encode()


class _FileEntries:
    """The per-file cache `load_knowledge` asks: one JSON entry per knowledge file, named by a
    digest of its contents and of what wrote it; an entry that is damaged, foreign or not the
    one its name says is ignored with a log line, never trusted. In front of it, the records
    an earlier build took, in memory."""

    def __init__(self, folder: Path, kept: Mapping[str, FileRecords]) -> None:
        self.folder = folder
        self.kept = kept
        self.used: set[str] = set()
        self.written = False
        self._taken: dict[str, FileRecords] = {}
        self._order: dict[str, None] = {}
        """Each file's key as the loader first asks about it, which it does in file order."""
        self._last: tuple[bytes, str] = (b"", "")

    @property
    def taken(self) -> dict[str, FileRecords]:
        """The records this load took from each problem-free file, by its key, in file order:
        files taken from memory are noted before those parsed anew, whatever their order, and a
        warm start carves each file's records out of the knowledge in this order."""
        return {key: self._taken[key] for key in self._order if key in self._taken}

    def _key_of(self, raw: bytes) -> str:
        """The key of a file's contents, digested once however often the loader asks."""
        if raw is not self._last[0]:
            self._last = (raw, _key(raw))
            self._order.setdefault(self._last[1])
        return self._last[1]

    def records(self, raw: bytes) -> FileRecords | None:
        """The records an earlier build took from these contents, or None."""
        key = self._key_of(raw)
        self.used.add(key)
        return self.kept.get(key)

    def took(self, raw: bytes, records: FileRecords) -> None:
        """Notes what this load took from a file, for `taken`."""
        self._taken[self._key_of(raw)] = records

    def get(self, raw: bytes) -> Any | None:
        """The state kept for these contents, or None when missing or not to be trusted."""
        key = self._key_of(raw)
        self.used.add(key)
        entry = self.folder / f"file-{key}.json"
        try:
            stored = json.loads(entry.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            log.warning("knowledge file cache %s ignored (%s)", entry.name, error)
            return None
        if not isinstance(stored, dict) or [
            stored.get(name) for name in ("format", "version", "key")
        ] != [CACHE_FORMAT, __version__, key]:
            log.warning("knowledge file cache %s ignored (foreign or misnamed)", entry.name)
            return None
        return stored.get("document")

    def encoder(self) -> StateEncoder:
        """How a state is encoded for `put`, by any process."""
        return _file_entry

    def put(self, raw: bytes, stored: bytes) -> None:
        """Stores an encoded state atomically, as `_write` stores the whole entry."""
        key = self._key_of(raw)
        self.used.add(key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.folder, delete=False) as handle:
                handle.write(stored)
            os.replace(handle.name, self.folder / f"file-{key}.json")
            self.written = True
        except OSError as error:
            log.warning("could not write the knowledge file cache: %s", error)

    def prune(self, kept_loads: int) -> None:
        """After writing, keeps the entries this load used and, of the others, as many as a few
        loads this size use, the newest: older knowledge's files are still quick to go back to,
        while edits don't fill the disk."""
        if not self.written:
            return
        try:
            own = [
                path
                for path in self.folder.iterdir()
                if FILE_ENTRY_NAME.fullmatch(path.name) and path.stem[5:] not in self.used
            ]
            others = sorted(own, key=lambda p: p.stat().st_mtime, reverse=True)
            for stale in others[(kept_loads - 1) * len(self.used) :]:
                stale.unlink(missing_ok=True)
        except OSError as error:
            log.warning("could not prune the knowledge file cache: %s", error)


def _pack(state: dict[str, Any], out: IO[bytes]) -> None:
    """Writes the magic line, each section, then the header naming them and its length.

    Sections are encoded and written one at a time, a long one piece by piece, and the
    header, which needs all their sizes, comes last: a cold start at 100,000 facts then never
    holds the whole entry encoded in memory, which would add a hundred megabytes to its peak.
    """
    out.write(MAGIC)
    table, crc = [], 0
    for name, value in _flatten(state):
        kind, pieces = _encoded(value)
        size = 0
        for piece in pieces:
            out.write(piece)
            crc = zlib.crc32(piece, crc)
            size += memoryview(piece).nbytes
        table.append([name, kind, size])
    header = json.dumps(
        {
            "format": CACHE_FORMAT,
            "version": __version__,
            "byteorder": sys.byteorder,
            "arrays": _ARRAY_TYPES,
            "sections": table,
            "crc": crc,
        }
    ).encode()
    out.write(header)
    out.write(_HEADER_LENGTH.pack(len(header)))


def _unpack(raw: bytes) -> dict[str, Any]:
    """The state `_pack` wrote; raises ValueError for anything else."""
    if not raw.startswith(MAGIC) or len(raw) < len(MAGIC) + _HEADER_LENGTH.size:
        raise ValueError("not a cache entry")
    (header_length,) = _HEADER_LENGTH.unpack(raw[-_HEADER_LENGTH.size :])
    header_start = len(raw) - _HEADER_LENGTH.size - header_length
    if header_start < len(MAGIC):
        raise ValueError("truncated")
    header = json.loads(raw[header_start : -_HEADER_LENGTH.size])
    if (header.get("format"), header.get("version")) != (CACHE_FORMAT, __version__):
        raise ValueError("written by another version")
    if (header.get("byteorder"), header.get("arrays")) != (sys.byteorder, _ARRAY_TYPES):
        raise ValueError("written on another kind of machine")
    payload = memoryview(raw)[len(MAGIC) : header_start]
    if sum(size for _, _, size in header["sections"]) != len(payload):
        raise ValueError("truncated")
    if zlib.crc32(payload) != header["crc"]:
        raise ValueError("checksum mismatch")
    sections: list[tuple[str, Any]] = []
    offset = 0
    for name, kind, size in header["sections"]:
        blob = payload[offset : offset + size]
        offset += size
        if kind == "json":
            sections.append((name, json.loads(bytes(blob))))
        elif kind == TEXTS:
            sections.append((name, str(blob, "utf-8").split(_TEXT_SEPARATOR)))
        elif kind in _ARRAY_TYPES:
            sections.append((name, array(kind)))
            sections[-1][1].frombytes(blob)
        else:
            raise ValueError(f"unknown section type {kind!r}")
    return _unflatten(sections)


def _encoded(value: Any) -> tuple[str, Iterable[bytes | array[Any]]]:
    """A section's type and contents, in pieces: an array as it is, a list of texts joined
    (written in a third of the time JSON takes, read a little faster, for the knowledge's
    columns of 100,000 texts), anything else, or texts holding the separator, as JSON."""
    if isinstance(value, array):
        return value.typecode, (value,)
    if isinstance(value, list) and value and _joinable(value):
        return TEXTS, _joined_pieces(value)
    return "json", (json.dumps(value, ensure_ascii=False).encode(),)


TEXTS_PER_PIECE = 4096
"""Texts joined and encoded at a time: the 363,000 phrasings of 100,000 facts, joined whole,
are 13 MB encoded and more as one string (a Chinese text makes every character of it take two
bytes or more); held at once, they raised a cold start's peak from 302 to 342 MiB as it wrote
its cache, where pieces keep it at 302 MiB."""


def _joinable(texts: list[Any]) -> bool:
    """Whether every item is a text without the separator: checked by joining a piece at a
    time, at C speed."""
    for start in range(0, len(texts), TEXTS_PER_PIECE):
        piece = texts[start : start + TEXTS_PER_PIECE]
        try:
            joined = _TEXT_SEPARATOR.join(piece)
        except TypeError:
            return False
        if joined.count(_TEXT_SEPARATOR) != len(piece) - 1:
            return False
    return True


def _joined_pieces(texts: list[str]) -> Iterator[bytes]:
    """The texts joined by the separator and encoded, a piece at a time: the same bytes as the
    whole list joined."""
    for start in range(0, len(texts), TEXTS_PER_PIECE):
        joined = _TEXT_SEPARATOR.join(texts[start : start + TEXTS_PER_PIECE])
        yield (_TEXT_SEPARATOR + joined if start else joined).encode()


def _flatten(state: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Each value of nested dicts with its path ('knowledge/facts/answer'): one section each."""
    for key, value in state.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}/")
        else:
            yield f"{prefix}{key}", value


def _unflatten(sections: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """The nested dicts `_flatten` took apart."""
    state: dict[str, Any] = {}
    for name, value in sections:
        *path, leaf = name.split("/")
        node = state
        for part in path:
            node = node.setdefault(part, {})
        node[leaf] = value
    return state


def _prune(folder: Path, kind: re.Pattern[str]) -> None:
    """Keeps the newest few entries of a kind, so edits to the knowledge don't fill the disk."""
    own = (path for path in folder.iterdir() if kind.fullmatch(path.name))
    entries = sorted(own, key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[KEPT_ENTRIES:]:
        stale.unlink(missing_ok=True)
