"""Settings every test shares."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_knowledge_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    """Keeps tests' knowledge caches out of the user's cache folder and apart from each other."""
    folder = tmp_path_factory.mktemp("knowledge-cache")
    monkeypatch.setenv("FOOTNOTE_CACHE_DIR", str(folder))
    return folder
