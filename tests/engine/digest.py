"""The made-up source the engine's small catalogues cite: one owner, so they cite alike."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.knowledge import Source, Topic

DIGEST = Source("digest", "Model Digest", "Lantern Weekly", date(2026, 5, 1))
"""A weekly digest of made-up models: every catalogue's facts cite it by the id "digest"."""


def lumen(**fields: Any) -> Topic:
    """The digest's coding model, with whatever else a test gives it (a card, not_stated)."""
    return Topic("lumen", "Lumen-4", "Lumen-4 is a coding model.", "digest", ("Lumen",), **fields)
