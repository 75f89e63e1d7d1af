"""The figures a text writes, as the check on questions that restate their answer reads them."""

from __future__ import annotations

import pytest

from bot.engine.figures import counts_written, figures_in


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("the 35h run", {"35"}),
        ("a 10,000-GPU cluster", {"10000"}),
        ("229B open weights, 5.57m to train", {"229", "5.57"}),
        ("GLM-5.1, K2.6 and qwen3.7", set()),  # versions of names
        ("what's the 4th trend", set()),  # a place
        ("推理成本只有 5%", {"5"}),
    ],
)
def test_figures_are_read_apart_from_names_and_places(text: str, figures: set[str]) -> None:
    assert figures_in(text) == figures


def test_figures_set_apart_are_left_out() -> None:
    assert figures_in("glm 5.1 ran 8 hours", frozenset({"5.1"})) == {"8"}


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("GLM-5 supports seven types of domestic chips", {"7"}),
        ("GLM-5 支持七种国产芯片", {"7"}),
        ("七月发布", set()),  # a month, not a count of things
        ("someone said it", set()),  # "one" only as a word of its own
    ],
)
def test_small_counts_written_out_are_read_as_figures(text: str, counts: set[str]) -> None:
    assert counts_written(text) == counts
