"""Text safety and limits, for any input a member or a curator could produce."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.discordbot.ui.text import clip, escape_knowledge_text, escape_user_text


@given(st.text(max_size=5_000), st.integers(min_value=2, max_value=4_096))
def test_clip_never_exceeds_the_limit_and_marks_cuts(text: str, limit: int) -> None:
    clipped = clip(text, limit)
    assert len(clipped) <= limit
    assert clipped == text or clipped.endswith("…")


def test_clip_cuts_at_a_word_boundary() -> None:
    assert clip("alpha beta gamma delta", 15) == "alpha beta…"


@given(st.text(max_size=500))
def test_user_text_cannot_mention_or_link(text: str) -> None:
    shown = escape_user_text(f"{text} @everyone @here <@123> <@&456> [x](https://evil.example)")
    assert "@everyone" not in shown and "@here" not in shown
    assert "<@123>" not in shown and "<@&456>" not in shown
    assert "](https://evil.example)" not in shown


def test_knowledge_text_keeps_formatting_but_not_masked_links() -> None:
    assert escape_knowledge_text("**bold** [site](https://x.example)") == (
        "**bold** site (https://x.example)"
    )
