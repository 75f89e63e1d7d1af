"""The reliability diagram: predicted probability against the share actually right."""

from __future__ import annotations

from pathlib import Path

from bot.engine.evaluation import reliability


def reliability_diagram(pairs: dict[str, list[tuple[float, bool]]], path: Path) -> Path:
    """One line per half over the diagonal of perfect calibration; returns the PNG's path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(5, 5))
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfectly calibrated")
    for half, items in pairs.items():
        bands = [band for band in reliability(items).bands if band.count]
        axes.plot(
            [band.predicted for band in bands],
            [band.observed for band in bands],
            marker="o",
            label=f"{half} half",
        )
    axes.set_xlabel("confidence (predicted probability of being right)")
    axes.set_ylabel("share actually right")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.legend(loc="upper left")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path
