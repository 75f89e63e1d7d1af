"""The made-up source the engine's small catalogues cite: one owner, so they cite alike."""

from __future__ import annotations

from datetime import date

from bot.knowledge import Source

DIGEST = Source("digest", "Model Digest", "Lantern Weekly", date(2026, 5, 1))
"""A weekly digest of made-up models: every catalogue's facts cite it by the id "digest"."""
