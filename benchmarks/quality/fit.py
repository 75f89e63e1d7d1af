"""Fits the calibrated decision model (bot/engine/calibration.json) from data that never
includes the blind test half: the knowledge's own phrasings asked leave-one-out, the blind dev
half, and real chat as negatives for the logistic model; the blind dev half alone, the
questions people really ask, for the curve that maps its output onto how often it was right.

    python -m benchmarks.quality.fit            # fit and write bot/engine/calibration.json
    python -m benchmarks.quality.fit --dry-run  # fit and print, write nothing
    python -m benchmarks.quality.fit --cv       # out-of-fold figures on the dev half, to choose
                                                # the fit's settings without the test half
    python -m benchmarks.quality.fit --curve-only  # keep the shipped logistic model, refit its
                                                   # curve on the dev half as it now stands, and
                                                   # print the thresholds that decide as before
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.engine import Matcher
from bot.engine.calibration import FITTED_FILE, Calibration, shipped
from bot.engine.decision import MatchSettings
from bot.engine.evaluation import reliability
from bot.engine.features import FEATURE_NAMES, MatchFeatures
from bot.knowledge import KnowledgeBase, load_knowledge

from . import blind, realchat
from .curve import isotonic_curve, same_line

BUNDLED = Path(__file__).resolve().parents[2] / "knowledge"
OUTPUT = Path(__file__).resolve().parents[2] / "bot" / "engine" / FITTED_FILE
L2 = 1e-3
"""A light ridge penalty: enough to keep rare flags from running off, not to bias the rest."""
NEWTON_STEPS = 50
"""Newton's method converges in a handful of steps on a problem this small; this is a cap."""
UNFITTED = Calibration(0.0, (0.0,) * len(FEATURE_NAMES), 0.5, "none: features only")
"""What matchers built for fitting decide with: the features do not depend on it, and the
shipped file may be one for another version's features."""
BLIND_DEV = "blind dev"
"""The rows of the blind dev half: what people really ask, so what the curve is fitted on."""
REAL_CHAT = "real chat"
ORIGIN_WEIGHTS = {BLIND_DEV: 2.0, REAL_CHAT: 2.0}
"""Each origin's share of the logistic fit, relative to 1 for leave-one-out, however many rows
it has. Chosen by `--cv` on the blind dev half and by the foreign FAQ's tuning half (its real
chat must stay unanswered 99% of the time, with no fitting on it):

| blind dev, real chat | out-of-fold ECE | typos, formal stated right | FAQ tuning chat unanswered |
| --- | ---: | ---: | ---: |
| 1, 1 | 0.030 | 78.7%, 81.7% | 98.68% |
| 2, 1 | 0.039 | 80.3%, 79.3% | 98.57% |
| 1, 2 | 0.034 | 75.4%, 81.7% | 99.51% |
| 2, 2 | 0.031 | 80.3%, 84.1% | 99.23% |
"""
FOLDS = 5
SIGNS = {
    "score": 1,
    "lead": 1,
    "evidence": 1,
    "covered": 1,
    "kind_fits": 1,
    "unknown": -1,
    "inexact": -1,
    "unnamed_subject": -1,
    "rule": -1,
    "missed": -1,
    "missed_number": -1,
    "other_name": -1,
    "listener": -1,
}
"""Features whose weight must keep one sign, so that more of the good (or less of the bad)
never lowers the probability: the model stays monotonic where it should."""


@dataclass(frozen=True, slots=True)
class Row:
    """One asked question: its features, whether its best candidate was right, where from."""

    features: tuple[float, ...]
    right: bool
    origin: str
    category: str = ""
    """The blind category, for the dev half's rows."""
    unsure: bool = False
    """A rule makes its answer only 'probably', whatever the probability: never stated."""


def leave_one_out(knowledge: KnowledgeBase) -> Iterator[Row]:
    """Each phrasing of each fact asked of the knowledge without that phrasing: how a new
    question for a fact fares, for any curator's knowledge."""
    for fact in knowledge.facts.values():
        phrasings = fact.phrasings
        if len(phrasings) < 2:
            continue
        for held_out, question in enumerate(phrasings):
            kept = [p for at, p in enumerate(phrasings) if at != held_out]
            reduced = dataclasses.replace(fact, question=kept[0], also=tuple(kept[1:]))
            facts = {**knowledge.facts, fact.id: reduced}
            matcher = Matcher(dataclasses.replace(knowledge, facts=facts), calibration=UNFITTED)
            found = matcher.features(question)
            if found is not None:
                features, ranked, _ = found
                yield Row(features.vector(), ranked[0].fact.id == fact.id, "leave-one-out")


def asked(matcher: Matcher, questions: Iterable[blind.BlindQuestion]) -> Iterator[Row]:
    """The blind dev half: right when the best candidate's answer is a right one."""
    for question in questions:
        found = matcher.features(question.text)
        if found is not None:
            features, ranked, unsure = found
            right = question.holds(ranked[0].fact)
            yield Row(features.vector(), right, BLIND_DEV, question.category, bool(unsure))


def negatives(matcher: Matcher, messages: Iterable[str], origin: str) -> Iterator[Row]:
    """Messages that no fact answers: whatever comes first is wrong."""
    for message in messages:
        found = matcher.features(message)
        if found is not None:
            yield Row(found[0].vector(), False, origin)


def summary_share(matcher: Matcher, questions: Iterable[blind.BlindQuestion]) -> float:
    """How often a question that only names a topic, and so gets its summary, wanted it."""
    given = [
        question.is_right(answer.text)
        for question in questions
        if (answer := matcher.ask(question.text)).topic is not None and answer.fact is None
    ]
    return sum(given) / len(given) if given else 0.5


def fit(rows: list[Row]) -> tuple[float, tuple[float, ...]]:
    """Logistic regression by Newton's method, each origin weighted by ORIGIN_WEIGHTS whatever
    its number of rows, so the many leave-one-out and chat rows do not drown the real
    questions. A weight that comes out with the wrong sign is fixed at zero and the rest fitted
    again (an active set), until none does."""
    x = np.array([row.features for row in rows], dtype=float)
    y = np.array([row.right for row in rows], dtype=float)
    origins = [row.origin for row in rows]
    share = {origin: origins.count(origin) for origin in set(origins)}
    weight = {origin: ORIGIN_WEIGHTS.get(origin, 1.0) for origin in share}
    total = sum(weight.values())
    sample = np.array([len(rows) * weight[o] / (total * share[o]) for o in origins])
    signs = np.array([SIGNS.get(name, 0) for name in FEATURE_NAMES])
    free = np.ones(len(FEATURE_NAMES), dtype=bool)
    while True:
        coefficients = _newton(np.column_stack([np.ones(len(rows)), x[:, free]]), y, sample)
        w = np.zeros(len(FEATURE_NAMES))
        w[free] = coefficients[1:]
        wrong = free & (w * signs < 0)
        if not wrong.any():
            return float(coefficients[0]), tuple(round(float(v), 4) for v in w)
        free &= ~wrong


def _newton(x: np.ndarray, y: np.ndarray, sample: np.ndarray) -> np.ndarray:
    """Weighted, ridge-penalised logistic regression (the intercept unpenalised)."""
    beta = np.zeros(x.shape[1])
    ridge = np.full(x.shape[1], L2 * len(y))
    ridge[0] = 0.0
    for _ in range(NEWTON_STEPS):
        p = 1 / (1 + np.exp(-(x @ beta)))
        gradient = x.T @ (sample * (p - y)) + ridge * beta
        hessian = (x * (sample * p * (1 - p))[:, None]).T @ x + np.diag(ridge)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta


def calibrate(rows: list[Row], summary: float, fitted_on: str) -> Calibration:
    """Both steps: the logistic model on every row, then its curve on the blind dev rows."""
    bias, weights = fit(rows)
    logistic = Calibration(round(bias, 4), weights, round(summary, 4), fitted_on)
    return dataclasses.replace(
        logistic, curve=curve_of(logistic, rows), unsure_probability=unsure_share(rows)
    )


def refit_curve(before: Calibration, rows: list[Row], fitted_on: str) -> Calibration:
    """The logistic model as it is, its curve (and the share of rule-made 'probably' answers
    that were right) fitted again on the blind dev rows: what the probabilities mean once new
    authors join the dev half, where the thresholds, re-expressed by `curve.same_line`, decide
    on the model's output as before."""
    return dataclasses.replace(
        before,
        curve=curve_of(before, rows),
        unsure_probability=unsure_share(rows),
        fitted_on=fitted_on,
    )


def curve_of(model: Calibration, rows: list[Row]) -> tuple[tuple[float, float], ...]:
    """The curve over the model's output on the blind dev rows it is read for: not those a
    rule made only 'probably', which get `unsure_share` instead."""
    return isotonic_curve(
        (model.logistic(MatchFeatures(*row.features)), row.right)
        for row in rows
        if row.origin == BLIND_DEV and not row.unsure
    )


def unsure_share(rows: list[Row]) -> float:
    """How often the blind dev questions a rule made only 'probably' were right: the model
    sees nothing amiss in them, so the curve alone would give them its full probability."""
    unsure = [row.right for row in rows if row.origin == BLIND_DEV and row.unsure]
    return round(sum(unsure) / len(unsure), 4) if unsure else 1.0


def cross_validate(rows: list[Row], answer_at: float = 0.5) -> str:
    """Out-of-fold figures on the dev half: each fifth predicted by a model fitted without it,
    as the test half would be; its ECE and, per category, the share stated right and wrong."""
    dev = [row for row in rows if row.origin == BLIND_DEV]
    others = [row for row in rows if row.origin != BLIND_DEV]
    predicted: list[tuple[Row, float]] = []
    for fold in range(FOLDS):
        held = dev[fold::FOLDS]
        kept = [row for at, row in enumerate(dev) if at % FOLDS != fold]
        model = calibrate(others + kept, 0.5, "")
        for row in held:
            probability = model.probability(MatchFeatures(*row.features))
            predicted.append((row, model.when_unsure(probability) if row.unsure else probability))
    ece = reliability((p, row.right) for row, p in predicted).expected_calibration_error
    rule = FEATURE_NAMES.index("rule")
    lines = [f"out-of-fold ECE {ece:.3f} on {len(predicted)} dev questions"]
    for category in blind.CATEGORIES:
        items = [(row, p) for row, p in predicted if row.category == category]
        stated = [
            row.right
            for row, p in items
            if p >= answer_at and not row.features[rule] and not row.unsure
        ]
        if items:
            lines.append(
                f"  {category}: stated right {sum(stated) / len(items):.1%},"
                f" wrong {(len(stated) - sum(stated)) / len(items):.1%}"
            )
    return "\n".join(lines)


def collect(knowledge: KnowledgeBase, chat: list[str]) -> list[Row]:
    """Every row the fit uses."""
    matcher = Matcher(knowledge, calibration=UNFITTED)
    dev = blind.load(half="dev")
    rows = [*leave_one_out(knowledge), *asked(matcher, dev)]
    if chat:
        rows.extend(negatives(matcher, chat, REAL_CHAT))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print the fit, write nothing")
    parser.add_argument("--cv", action="store_true", help="out-of-fold figures, write nothing")
    parser.add_argument(
        "--curve-only", action="store_true", help="refit the curve alone, keeping the model"
    )
    args = parser.parse_args()
    knowledge = load_knowledge([BUNDLED])
    if args.curve_only:
        _refit_curve_only(knowledge, write=not args.dry_run)
        return
    chat = _real_chat_dev()
    rows = collect(knowledge, chat)
    if args.cv:
        print(cross_validate(rows))
        return
    summary = summary_share(Matcher(knowledge, calibration=UNFITTED), blind.load(half="dev"))
    origins = sorted({row.origin for row in rows})
    counted = ", ".join(f"{sum(r.origin == o for r in rows)} {o}" for o in origins)
    calibration = calibrate(rows, summary, f"rows: {counted}")
    text = json.dumps(calibration.to_json(), indent=2, ensure_ascii=False) + "\n"
    print(text)
    if not args.dry_run:
        OUTPUT.write_text(text, encoding="utf-8")


def _refit_curve_only(knowledge: KnowledgeBase, write: bool) -> None:
    """Refits the shipped model's curve and prints where the default thresholds now lie."""
    before = shipped()
    rows = list(asked(Matcher(knowledge, calibration=UNFITTED), blind.load(half="dev")))
    model = before.fitted_on.split("; curve on ")[0]
    after = refit_curve(before, rows, f"{model}; curve on {len(rows)} blind dev")
    text = json.dumps(after.to_json(), indent=2, ensure_ascii=False) + "\n"
    print(text)
    defaults = MatchSettings()
    for name in ("answer_at", "probable_at", "automatic_at"):
        threshold = getattr(defaults, name)
        line = same_line(before.recalibrated, after.recalibrated, threshold)
        print(f"{name}: {threshold} decides as {line:.4f} does now")
    if write:
        OUTPUT.write_text(text, encoding="utf-8")


def _real_chat_dev() -> list[str]:
    """The dev half of the real-chat messages (the benchmark reports the test half)."""
    return [m for m in realchat.question_like_messages() if blind.half_of(m) == "dev"]


if __name__ == "__main__":
    main()
