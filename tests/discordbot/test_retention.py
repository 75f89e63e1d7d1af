"""Retention while the bot runs: rows past `storage.retention_days` go without a restart."""

from __future__ import annotations

from typing import Any

DAY = 86_400.0


def retention(bot) -> Any:
    """The bot's Retention feature (discord.py loads each extension anew: a class of its own)."""
    cog = bot.get_cog("Retention")
    assert cog is not None
    return cog


async def test_a_running_bot_deletes_rows_once_they_pass_retention(fake_discord, footnote) -> None:
    now = [1_800_000_000.0]
    async with footnote(storage={"retention_days": 30}, clock=lambda: now[0]) as bot:
        cog = retention(bot)
        assert cog.retention_loop.is_running()
        await bot.feedback.log_unanswered("what is the meaning of life", 0.1, [], 1, 2)
        now[0] += 29 * DAY
        assert await cog.prune() == 0, "within retention, kept"
        now[0] += 2 * DAY
        assert await cog.prune() == 1, "past retention while running, deleted"


async def test_without_a_feedback_log_there_is_nothing_to_delete(fake_discord, footnote) -> None:
    async with footnote(storage={"enabled": False}) as bot:
        cog = retention(bot)
        assert not cog.retention_loop.is_running()
        assert await cog.prune() == 0
