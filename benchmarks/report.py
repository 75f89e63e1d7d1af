"""Turns measurements into the results table, the targets verdict, RESULTS.md and the plot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.engines import LABELS
from benchmarks.queries import MIX, Query
from benchmarks.scoring import percentile, quality, success_by_kind

BASELINES = ("naive", "bm25")
"""The engines Footnote's answer quality is held against; the exact-match floor is not one."""
TARGET_SIZE = 100_000
SMALL_SIZE = 1_000
COLD_START_GOAL_S = 10.0
WARM_START_GOAL_S = 0.8
RELOAD_GOAL_S = 1.5
PEAK_RSS_GOAL_MB = 300
"""Issue 13's start, reload and memory goals at 100,000 facts in 100 files (§3), which
replaced the first issue's looser ones (20 s, 1.5 s, 400 MB)."""


@dataclass(frozen=True)
class Row:
    """One engine at one knowledge size: everything the tables show."""

    size: int
    engine: str
    queries: int
    p50_ms: float
    p99_ms: float
    accuracy: float
    abstention: float
    load_s: float
    build_s: float
    warm_s: float | None
    peak_rss_mb: float
    pinned: bool
    by_kind: dict[str, float]
    cutoff: dict[str, float] | None
    matched_accuracy: float | None = None
    """A baseline's best accuracy at an abstention no lower than Footnote's, on the test split."""
    reload_s: float | None = None
    """Footnote's open_unkept after one answer in one file changed, with a warm cache: until
    the new knowledge can answer."""
    reload_write_s: float | None = None
    """The cache write that follows that reload, once the new knowledge is served."""
    cold_s: float | None = None
    """Footnote's load plus index with no cache on every core (`cores`), as the library starts."""
    first_start_s: float | None = None
    """The bot's first start on every core: the same, writing the cache, until it can answer."""
    cores: int | None = None

    @classmethod
    def of(cls, size: int, queries: Sequence[Query], measured: dict[str, Any]) -> Row:
        """A row from a worker's output and the questions it was asked."""
        answers = measured["answers"]
        latencies = measured["latencies_ms"]
        answer_quality = quality(queries, answers)
        return cls(
            size=size,
            engine=measured["engine"],
            queries=len(queries),
            p50_ms=percentile(latencies, 0.5),
            p99_ms=percentile(latencies, 0.99),
            accuracy=answer_quality.accuracy,
            abstention=answer_quality.abstention,
            load_s=measured["load_s"],
            build_s=measured["build_s"],
            warm_s=measured.get("warm_s"),
            reload_s=measured.get("reload_s"),
            reload_write_s=measured.get("reload_write_s"),
            cold_s=measured.get("cold_s"),
            first_start_s=measured.get("first_start_s"),
            cores=measured.get("cores"),
            peak_rss_mb=measured["peak_rss_bytes"] / 1e6,
            pinned=measured["pinned"],
            by_kind=success_by_kind(queries, answers),
            cutoff=measured["cutoff"],
        )

    @property
    def startup_s(self) -> float:
        """Cold start: loading the knowledge plus building the engine."""
        return self.load_s + self.build_s


def _find(rows: Sequence[Row], size: int, engine: str) -> Row | None:
    """The row of an engine at a size, if it was measured."""
    return next((r for r in rows if r.size == size and r.engine == engine), None)


def _table(header: Sequence[str], lines: Sequence[Sequence[str]]) -> str:
    """A Markdown table with the first column left-aligned and the rest right-aligned."""
    align = ["---", *("---:" for _ in header[1:])]
    rows = [header, align, *lines]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in rows)


def results_table(rows: Sequence[Row]) -> str:
    """Every engine at every size, with the speed-up over the naive baseline measured alongside."""
    header = [
        "Facts",
        "Engine",
        "Queries",
        "p50 ms",
        "p99 ms",
        "naive p50 ÷ p50",
        "Top-1 accuracy",
        "Off-topic abstention",
        "Load s",
        "Index build s",
        "Warm start s",
        "Reload after one edit s",
        "Peak RSS MB",
    ]
    lines = []
    for row in rows:
        naive = _find(rows, row.size, "naive")
        speedup = f"{naive.p50_ms / row.p50_ms:,.1f}×" if naive and row.p50_ms else "–"
        lines.append(
            [
                f"{row.size:,}",
                LABELS[row.engine],
                f"{row.queries:,}",
                _ms(row.p50_ms),
                _ms(row.p99_ms),
                speedup,
                f"{row.accuracy:.1%}",
                f"{row.abstention:.1%}",
                f"{row.load_s:.2f}",
                f"{row.build_s:.2f}",
                f"{row.warm_s:.2f}" if row.warm_s is not None else "n/a",
                _reload(row),
                f"{row.peak_rss_mb:,.0f}",
            ]
        )
    return _table(header, lines)


def _reload(row: Row) -> str:
    """The reload's seconds until it serves, with the cache write that follows in brackets."""
    if row.reload_s is None:
        return "n/a"
    if row.reload_write_s is None:
        return f"{row.reload_s:.2f}"
    return f"{row.reload_s:.2f} (+{row.reload_write_s:.2f})"


def _ms(value: float) -> str:
    """Milliseconds with three decimals below 1 ms and one above."""
    return f"{value:.3f}" if value < 1 else f"{value:,.1f}"


def kinds_table(rows: Sequence[Row]) -> str:
    """Success per kind of question: where each engine wins and loses."""
    kinds = list(MIX)
    header = ["Facts", "Engine", *kinds]
    lines = [
        [f"{row.size:,}", LABELS[row.engine], *(f"{row.by_kind.get(k, 0):.0%}" for k in kinds)]
        for row in rows
    ]
    return _table(header, lines)


def cutoffs_table(rows: Sequence[Row]) -> str:
    """The baselines' tuned cutoffs and what they traded away on the tuning split."""
    header = [
        "Facts",
        "Baseline",
        "Cutoff",
        "Tuning accuracy",
        "Tuning abstention",
        "Accuracy if never abstaining",
        "Test accuracy at Footnote's abstention",
    ]
    lines = [
        [
            f"{row.size:,}",
            LABELS[row.engine],
            f"{row.cutoff['value']:.2f}",
            f"{row.cutoff['tuned_accuracy']:.1%}",
            f"{row.cutoff['tuned_abstention']:.1%}",
            f"{row.cutoff['max_accuracy']:.1%}",
            f"{row.matched_accuracy:.1%}" if row.matched_accuracy is not None else "–",
        ]
        for row in rows
        if row.cutoff is not None
    ]
    return _table(header, lines)


@dataclass(frozen=True)
class Target:
    """One goal from the issue: what was measured, against what, and whether it holds."""

    name: str
    measured: str
    goal: str
    passed: bool | None


def targets(rows: Sequence[Row]) -> list[Target]:
    """The issue's targets, at 100,000 facts (or the largest size run, which is then named)."""
    largest = max(row.size for row in rows)
    size = TARGET_SIZE if any(row.size == TARGET_SIZE for row in rows) else largest
    at = f" at {size:,} facts"
    ours, naive = _find(rows, size, "footnote"), _find(rows, size, "naive")
    found: list[Target] = []
    if ours is None:
        return found
    found.append(Target("Footnote p50" + at, _ms(ours.p50_ms) + " ms", "≤ 5 ms", ours.p50_ms <= 5))
    found.append(
        Target("Footnote p99" + at, _ms(ours.p99_ms) + " ms", "≤ 25 ms", ours.p99_ms <= 25)
    )
    if naive is not None:
        ratio = naive.p50_ms / ours.p50_ms
        found.append(Target("Speed-up over naive p50" + at, f"{ratio:,.0f}×", "≥ 20×", ratio >= 20))
    small = _find(rows, SMALL_SIZE, "footnote")
    if small is not None and size != SMALL_SIZE:
        growth = ours.p50_ms / small.p50_ms
        found.append(
            Target(f"p50{at} ÷ p50 at {SMALL_SIZE:,}", f"{growth:.1f}×", "≤ 10×", growth <= 10)
        )
    if ours.cold_s is not None:
        cores = f"{ours.cores} cores" if ours.cores != 1 else "1 core"
        found.append(
            Target(
                f"Cold start (load + index, {cores})" + at,
                f"{ours.cold_s:.1f} s",
                f"≤ {COLD_START_GOAL_S:g} s",
                ours.cold_s <= COLD_START_GOAL_S,
            )
        )
    if ours.first_start_s is not None:
        found.append(
            Target(
                "The bot's first start, writing the cache" + at,
                f"{ours.first_start_s:.1f} s",
                f"≤ {COLD_START_GOAL_S:g} s",
                ours.first_start_s <= COLD_START_GOAL_S,
            )
        )
    found.append(
        Target(
            "Cold start on one core (load + index)" + at,
            f"{ours.startup_s:.1f} s",
            "– (for comparison)" if ours.cold_s is not None else f"≤ {COLD_START_GOAL_S:g} s",
            None if ours.cold_s is not None else ours.startup_s <= COLD_START_GOAL_S,
        )
    )
    if ours.warm_s is not None:
        found.append(
            Target(
                "Warm start (load + index from cache)" + at,
                f"{ours.warm_s:.2f} s",
                f"≤ {WARM_START_GOAL_S:g} s",
                ours.warm_s <= WARM_START_GOAL_S,
            )
        )
    if ours.reload_s is not None:
        found.append(
            Target(
                "Reload after editing one file" + at,
                f"{ours.reload_s:.2f} s",
                f"≤ {RELOAD_GOAL_S:g} s",
                ours.reload_s <= RELOAD_GOAL_S,
            )
        )
    found.append(
        Target(
            "Peak RSS" + at,
            f"{ours.peak_rss_mb:,.0f} MB",
            f"≤ {PEAK_RSS_GOAL_MB} MB",
            ours.peak_rss_mb <= PEAK_RSS_GOAL_MB,
        )
    )
    for each in sorted({row.size for row in rows}):
        found.extend(_quality_targets(rows, each))
    return found


def _quality_targets(rows: Sequence[Row], size: int) -> list[Target]:
    """Footnote's accuracy and abstention against the better baseline's, at one size."""
    ours = _find(rows, size, "footnote")
    baselines = [row for name in BASELINES if (row := _find(rows, size, name)) is not None]
    if ours is None or not baselines:
        return []
    found = []
    for label, metric in (("Top-1 accuracy", "accuracy"), ("Off-topic abstention", "abstention")):
        best = max(baselines, key=lambda row: getattr(row, metric))
        mine, theirs = getattr(ours, metric), getattr(best, metric)
        found.append(
            Target(
                f"{label} at {size:,} facts",
                f"{mine:.1%}",
                f"≥ {theirs:.1%} ({LABELS[best.engine]})",
                mine >= theirs,
            )
        )
    matched = [row for row in baselines if row.matched_accuracy is not None]
    if matched:
        best = max(matched, key=lambda row: row.matched_accuracy or 0.0)
        theirs = best.matched_accuracy or 0.0
        found.append(
            Target(
                f"Top-1 accuracy at equal abstention at {size:,} facts (extra)",
                f"{ours.accuracy:.1%}",
                f"≥ {theirs:.1%} ({LABELS[best.engine]} at ≥ {ours.abstention:.1%} abstention)",
                ours.accuracy >= theirs,
            )
        )
    return found


def _result(passed: bool | None) -> str:
    """A target's result as the table shows it; a figure shown for comparison has none."""
    if passed is None:
        return "–"
    return "pass" if passed else "**FAIL**"


def targets_table(found: Sequence[Target]) -> str:
    """The targets as a Markdown table, failures in bold."""
    lines = [[t.name, t.measured, t.goal, _result(t.passed)] for t in found]
    return _table(["Target", "Measured", "Goal", "Result"], lines)


KEPT_SECTIONS = ("soak", "quality", "store")
"""Sections other benchmarks write into RESULTS.md, which the speed benchmark must not erase."""


def markers(name: str) -> tuple[str, str]:
    """The comments that start and end a named section of RESULTS.md."""
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


SOAK_START, SOAK_END = markers("soak")


def replace_section(text: str, name: str, section: str) -> str:
    """text with its named section replaced by section (appended if it had none)."""
    start_marker, end_marker = markers(name)
    block = f"{start_marker}\n{section.strip()}\n{end_marker}\n"
    start, end = text.find(start_marker), text.find(end_marker)
    if start == -1 or end == -1:
        return (text.rstrip() + "\n\n" if text.strip() else "") + block
    return text[:start] + block + text[end + len(end_marker) :].lstrip("\n")


def section_of(path: Path, name: str) -> str | None:
    """A named section already in a RESULTS.md, or None."""
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    start_marker, end_marker = markers(name)
    start, end = text.find(start_marker), text.find(end_marker)
    if start == -1 or end == -1:
        return None
    return text[start + len(start_marker) : end]


def write_results(
    path: Path,
    rows: Sequence[Row],
    machine: dict[str, str],
    command: str,
    notes: Sequence[str],
    plot: Path,
) -> None:
    """RESULTS.md: the machine, the command, every table and the notes on how it was measured."""
    machine_lines = "\n".join(f"- **{key}:** {value}" for key, value in machine.items())
    notes_lines = "\n".join(f"- {note}" for note in notes)
    text = f"""# Footnote speed-and-scale benchmark: results

Generated by `{command}`. How to read it: `benchmarks/README.md`.

## Machine

{machine_lines}

## Results

{results_table(rows)}

![p50 and p99 latency against knowledge size]({plot.name})

## Targets

{targets_table(targets(rows))}

## Success by kind of question

Share of questions of each kind that got what they expect: their fact for `stored`, `unseen` and
`chinese`, no answer for the rest.

{kinds_table(rows)}

## Baseline cutoffs

Tuned per size on the separate tuning split to maximise the mean of accuracy and abstention.

{cutoffs_table(rows)}

## Notes

{notes_lines}
"""
    for name in KEPT_SECTIONS:
        kept = section_of(path, name)
        if kept is not None:
            text = replace_section(text, name, kept)
    path.write_text(text, encoding="utf-8")


def draw_latency(path: Path, rows: Sequence[Row]) -> None:
    """p50 (solid) and p99 (dashed) latency against knowledge size, log-log, a colour per engine."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot, ticker

    figure, axes = pyplot.subplots(figsize=(8, 5.5))
    for number, engine in enumerate(LABELS):
        mine = sorted((row for row in rows if row.engine == engine), key=lambda row: row.size)
        if not mine:
            continue
        sizes = [row.size for row in mine]
        colour = f"C{number}"
        axes.plot(
            sizes, [r.p50_ms for r in mine], "o-", color=colour, label=f"{LABELS[engine]} p50"
        )
        axes.plot(
            sizes,
            [r.p99_ms for r in mine],
            "s--",
            color=colour,
            alpha=0.6,
            label=f"{LABELS[engine]} p99",
        )
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("facts in the knowledge")
    axes.set_ylabel("latency per question (ms, one core)")
    axes.set_title("Footnote vs baselines: latency against knowledge size")
    axes.grid(True, which="both", alpha=0.3)
    ticks = sorted({row.size for row in rows})
    axes.set_xticks(ticks, [f"{size:,}" for size in ticks])
    axes.xaxis.set_minor_locator(ticker.NullLocator())
    axes.legend(fontsize=7, ncol=2, loc="upper left")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    pyplot.close(figure)
