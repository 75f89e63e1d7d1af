"""The soak test at a small scale: the real bot under a steady mixed load stays correct and lean."""

from __future__ import annotations

from pathlib import Path

from benchmarks.soak import SoakSettings, run_soak


async def test_small_soak_answers_everything_right_and_stays_lean(
    tmp_path: Path, discord_py_globals
) -> None:
    settings = SoakSettings(
        events=600, users=30, channels=4, time_limit_s=60.0, rss_growth_mb=30.0, baseline_events=100
    )
    result = await run_soak(settings, tmp_path)
    assert result.problems() == [], result.summary()
    assert len(result.times()) > settings.events / 2, "most events were owed, and got, a reply"
