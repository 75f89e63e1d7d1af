"""Answer-quality figures: what counts as right, the reliability table and its calibration error."""

from __future__ import annotations

import pytest

from bot.engine import Answer, AnswerKind, ScoredFact, Surface
from bot.engine.evaluation import Case, Report, evaluate, predicted, reliability
from tests.engine.calibrated import LIKELY
from tests.engine.test_decision import KNOWLEDGE, matcher

SPAIN = KNOWLEDGE.facts["spain-capital"]
FRANCE = KNOWLEDGE.facts["france-capital"]
KIMI = KNOWLEDGE.topics["kimi"]


def test_reliability_bands_and_their_calibration_error() -> None:
    pairs = (
        [(0.05, False)] * 4 + [(0.75, True)] * 3 + [(0.75, False)] + [(0.95, True), (0.95, False)]
    )
    table = reliability(pairs)
    assert [(band.low, band.count) for band in table.bands if band.count] == [
        (0.0, 4),
        (0.7, 4),
        (0.9, 2),
    ]
    top = table.bands[9]
    assert (top.predicted, top.observed) == (pytest.approx(0.95), 0.5)
    assert table.bands[7].observed == 0.75
    # |0.05 - 0| over 4 items, |0.75 - 0.75| over 4, |0.95 - 0.5| over 2, out of 10
    assert table.expected_calibration_error == pytest.approx((4 * 0.05 + 2 * 0.45) / 10)


def test_edges_fall_in_the_band_they_open_and_certainty_in_the_top_one() -> None:
    bands = reliability([(0.0, False), (0.3, True), (0.7, True), (1.0, True)]).bands
    assert [band.count for band in bands] == [1, 0, 0, 1, 0, 0, 0, 1, 0, 1]
    assert len(bands) == 10 and (bands[0].low, bands[9].high) == (0.0, 1.0)


def test_a_perfectly_calibrated_and_an_empty_table_have_no_error() -> None:
    assert reliability([(0.8, True)] * 4 + [(0.8, False)]).expected_calibration_error == (
        pytest.approx(0.0)
    )
    assert reliability([]).expected_calibration_error == 0.0


def answer(kind: AnswerKind, confidence: float, fact=None, candidates=(), topic=None) -> Answer:
    scored = tuple(ScoredFact(item, 1.0, ()) for item in candidates)
    return Answer("q", kind, confidence, fact=fact, topic=topic, candidates=scored)


def test_right_means_the_best_candidate_given_or_held_back_is_the_expected_one() -> None:
    held_back = answer(AnswerKind.NONE, 0.3, candidates=[SPAIN])
    assert Case("q", fact_id="spain-capital").best_is_right(held_back)
    assert not Case("q", fact_id="france-capital").best_is_right(held_back)
    probable = answer(AnswerKind.PROBABLE, 0.4, fact=SPAIN, candidates=[SPAIN, FRANCE])
    assert Case("q", fact_id="spain-capital").best_is_right(probable)
    assert not Case("q", fact_id="spain-capital").is_met_by(probable)
    assert Case("q", topic_id="kimi").best_is_right(answer(AnswerKind.SUMMARY, 0.9, topic=KIMI))
    assert not Case("q").best_is_right(held_back)


def test_an_answer_without_candidates_predicts_nothing() -> None:
    assert predicted(answer(AnswerKind.NONE, 0.7)) == 0.0
    assert predicted(answer(AnswerKind.NONE, 0.7, candidates=[SPAIN])) == 0.7
    assert predicted(answer(AnswerKind.SUMMARY, 0.6, topic=KIMI)) == 0.6


def test_the_report_counts_probable_replies_and_tables_every_question() -> None:
    report = Report(
        (
            (Case("a", "spain-capital"), answer(AnswerKind.FACT, 0.9, fact=SPAIN)),
            (Case("b", "france-capital"), answer(AnswerKind.PROBABLE, 0.4, fact=SPAIN)),
            (Case("c"), answer(AnswerKind.PROBABLE, 0.3, fact=FRANCE)),
            (Case("d"), answer(AnswerKind.NONE, 0.2)),
        )
    )
    assert report.probable == 2
    assert report.abstention_recall == 1.0
    bands = report.reliability.bands
    assert [band.count for band in bands] == [1, 0, 0, 1, 1, 0, 0, 0, 0, 1]
    assert (bands[9].observed, bands[4].observed, bands[3].observed) == (1.0, 0.0, 0.0)
    assert report.reliability.expected_calibration_error == pytest.approx(
        (0.1 + 0.4 + 0.3 + 0.0) / 4
    )


def test_evaluate_asks_as_the_surface_would() -> None:
    cases = [Case("capital of spain", "spain-capital")]
    mention = evaluate(matcher(LIKELY), cases)
    automatic = evaluate(matcher(LIKELY), cases, Surface.AUTOMATIC)
    assert (mention.probable, automatic.probable) == (1, 0)
    assert mention.accuracy == automatic.accuracy == 0.0
    band = int(LIKELY * 10)
    assert (
        mention.reliability.bands[band].observed
        == automatic.reliability.bands[band].observed
        == 1.0
    )
