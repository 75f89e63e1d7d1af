"""Opens knowledge ready to answer, from a cache of the built index when the files are unchanged.

Parsing YAML and reading every text into the index is what makes a start slow; both depend only
on the files' contents, so the result is kept in the user's cache folder as JSON (which, unlike
pickle, cannot run code when read) under a key made of those contents and this program's version.
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
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot import __version__
from bot.engine import Matcher, MatchSettings
from bot.knowledge import KnowledgeBase, knowledge_files, load_knowledge

log = logging.getLogger(__name__)

CACHE_FORMAT = 3
"""Bump when the cached state changes shape; old entries are then simply never looked up."""
KEPT_ENTRIES = 8


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
    entry = cache_dir / f"index-{_key(files)}.json.z" if cache_dir is not None else None
    matcher = _read(entry, settings) if entry is not None else None
    if matcher is None:
        matcher = Matcher(load_knowledge(paths), settings)
        if entry is not None:
            _write(entry, matcher)
    gc.freeze()
    return matcher


def _key(files: list[Path]) -> str:
    """A digest of every file's path and contents, and of what wrote the cache."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{__version__}|{sys.version_info[:2]}".encode())
    for path in files:
        digest.update(str(path.resolve()).encode() + b"\0")
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
        state = json.loads(zlib.decompress(raw))
        if state.get("format") != CACHE_FORMAT or state.get("version") != __version__:
            raise ValueError("written by another version")
        knowledge = KnowledgeBase.from_state(state["knowledge"])
        if len(state["index"]["profiles"]) != len(knowledge.facts):
            raise ValueError("index and knowledge disagree")
        return Matcher(knowledge, settings, state["index"])
    except (ValueError, KeyError, TypeError, AttributeError, zlib.error) as error:
        log.warning("knowledge cache %s ignored (%s); rebuilding", entry.name, error)
        return None


def _write(entry: Path, matcher: Matcher) -> None:
    """Stores the state atomically, so a crash mid-write never leaves a half entry."""
    state: dict[str, Any] = {
        "format": CACHE_FORMAT,
        "version": __version__,
        "knowledge": matcher.knowledge.to_state(),
        "index": matcher.index.export_state(),
    }
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        payload = zlib.compress(json.dumps(state, ensure_ascii=False).encode(), 1)
        with tempfile.NamedTemporaryFile(dir=entry.parent, delete=False) as handle:
            handle.write(payload)
        os.replace(handle.name, entry)
        _prune(entry.parent)
    except OSError as error:
        log.warning("could not write the knowledge cache: %s", error)


def _prune(folder: Path) -> None:
    """Keeps the newest few entries, so edits to the knowledge don't fill the disk."""
    entries = sorted(folder.glob("index-*.json.z"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[KEPT_ENTRIES:]:
        stale.unlink(missing_ok=True)
