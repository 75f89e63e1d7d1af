"""RESULTS.md holds two commands' figures; rewriting one part must not erase the other."""

from __future__ import annotations

from pathlib import Path

from benchmarks.report import SOAK_END, SOAK_START, Row, replace_soak_section, write_results


def test_soak_section_is_replaced_in_place_and_kept_by_the_speed_benchmark(tmp_path: Path):
    path = tmp_path / "RESULTS.md"
    path.write_text(replace_soak_section("# Old results\n", "## Soak test\n\nfirst\n"))
    path.write_text(replace_soak_section(path.read_text(), "## Soak test\n\nsecond\n"))
    assert path.read_text().count(SOAK_START) == 1 and "first" not in path.read_text()

    row = Row(1_000, "footnote", 10, 1.0, 2.0, 1.0, 1.0, 0.1, 0.1, None, 50.0, True, {}, None)
    write_results(path, [row], {"Date": "today"}, "benchmarks.run", [], tmp_path / "p.png")
    text = path.read_text()
    assert text.startswith("# Footnote speed-and-scale benchmark")
    assert "# Old results" not in text
    assert f"{SOAK_START}\n## Soak test\n\nsecond\n{SOAK_END}\n" in text
