"""Opens knowledge ready to answer, from a cache of the built index when the files are unchanged.

Parsing YAML and reading every text into the index is what makes a start slow; both depend only
on the files' contents, so the result is kept in the user's cache folder under a key made of
those contents and this program's version. An entry is a JSON header naming its sections,
then the sections: JSON for texts, raw bytes for the index's number arrays. Neither can run
code when read, unlike pickle, and the arrays load without parsing a single number.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import sys
import tempfile
import zlib
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot import __version__
from bot.engine import Matcher, MatchSettings
from bot.knowledge import KnowledgeBase, knowledge_files, load_knowledge

log = logging.getLogger(__name__)

CACHE_FORMAT = 4
"""Bump when the cached state changes shape; old entries are then simply never looked up."""
KEPT_ENTRIES = 4
MAGIC = b"footnote knowledge cache\n"
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
    """A matcher for the knowledge at these paths; raises KnowledgeError if it is invalid.

    The index lives as long as the process, so it is moved out of the cyclic garbage
    collector's sight (gc.freeze): otherwise each full collection re-scans every object in
    it, a pause of hundreds of milliseconds at 100,000 facts, felt as slow answers.
    """
    paths = list(paths)
    files = knowledge_files(paths)
    entry = _entry(cache_dir, files) if cache_dir is not None else None
    with collector_paused():
        matcher = _read(entry, settings) if entry is not None else None
        if matcher is None:
            matcher = Matcher(load_knowledge(paths), settings)
            if entry is not None:
                _write(entry, matcher)
    gc.freeze()
    return matcher


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


def _entry(cache_dir: Path, files: list[Path]) -> Path | None:
    """Where the cache for these files lives; None if one vanished or can't be read (the
    loader then says which, and how)."""
    try:
        return cache_dir / f"index-{_key(files)}.bin"
    except OSError as error:
        log.warning("knowledge cache skipped: %s", error)
        return None


def _key(files: list[Path]) -> str:
    """A digest of every file's contents in load order, and of what wrote the cache (the
    cached state holds no paths, so renaming a file alone needs no rebuild)."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{__version__}|{sys.version_info[:2]}".encode())
    for path in files:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


def _read(entry: Path, settings: MatchSettings | None) -> Matcher | None:
    """The cached matcher, or None (with a log line) when missing, corrupt or foreign."""
    try:
        raw = entry.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("knowledge cache unreadable, rebuilding: %s", error)
        return None
    try:
        sections = _unpack(raw)
        knowledge = KnowledgeBase.from_state(sections.pop("knowledge"))
        return Matcher(knowledge, settings, sections)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        log.warning("knowledge cache %s ignored (%s); rebuilding", entry.name, error)
        return None


def _write(entry: Path, matcher: Matcher) -> None:
    """Stores the state atomically, so a crash mid-write never leaves a half entry."""
    sections = {"knowledge": matcher.knowledge.to_state(), **matcher.index.export_state()}
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=entry.parent, delete=False) as handle:
            handle.writelines(_pack(sections))
        os.replace(handle.name, entry)
        _prune(entry.parent)
    except OSError as error:
        log.warning("could not write the knowledge cache: %s", error)


def _pack(sections: dict[str, Any]) -> list[bytes]:
    """The magic line, a header line, then each section's bytes."""
    blobs, table = [], []
    for name, value in sections.items():
        if isinstance(value, array):
            blobs.append(value.tobytes())
            table.append([name, value.typecode, len(blobs[-1])])
        else:
            blobs.append(json.dumps(value, ensure_ascii=False).encode())
            table.append([name, "json", len(blobs[-1])])
    header = {
        "format": CACHE_FORMAT,
        "version": __version__,
        "byteorder": sys.byteorder,
        "arrays": _ARRAY_TYPES,
        "sections": table,
        "crc": _checksum(blobs),
    }
    return [MAGIC, json.dumps(header).encode(), b"\n", *blobs]


def _unpack(raw: bytes) -> dict[str, Any]:
    """The sections `_pack` wrote; raises ValueError for anything else."""
    if not raw.startswith(MAGIC) or (end := raw.find(b"\n", len(MAGIC))) < 0:
        raise ValueError("not a cache entry")
    header = json.loads(raw[len(MAGIC) : end])
    if (header.get("format"), header.get("version")) != (CACHE_FORMAT, __version__):
        raise ValueError("written by another version")
    if (header.get("byteorder"), header.get("arrays")) != (sys.byteorder, _ARRAY_TYPES):
        raise ValueError("written on another kind of machine")
    payload = memoryview(raw)[end + 1 :]
    sizes = [size for _, _, size in header["sections"]]
    if sum(sizes) != len(payload):
        raise ValueError("truncated")
    blobs, offset = [], 0
    for size in sizes:
        blobs.append(payload[offset : offset + size])
        offset += size
    if _checksum(blobs) != header["crc"]:
        raise ValueError("checksum mismatch")
    sections: dict[str, Any] = {}
    for (name, kind, _), blob in zip(header["sections"], blobs, strict=True):
        if kind == "json":
            sections[name] = json.loads(bytes(blob))
        elif kind in _ARRAY_TYPES:
            sections[name] = array(kind)
            sections[name].frombytes(blob)
        else:
            raise ValueError(f"unknown section type {kind!r}")
    return sections


def _checksum(blobs: Iterable[bytes | memoryview]) -> int:
    """CRC-32 over the payload: catches a damaged disk or a half-copied file in milliseconds."""
    crc = 0
    for blob in blobs:
        crc = zlib.crc32(blob, crc)
    return crc


def _prune(folder: Path) -> None:
    """Keeps the newest few entries, so edits to the knowledge don't fill the disk."""
    entries = sorted(folder.glob("index-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[KEPT_ENTRIES:]:
        stale.unlink(missing_ok=True)
