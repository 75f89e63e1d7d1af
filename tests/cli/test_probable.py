"""`footnote ask`, `chat` and `eval` when the engine says "probably", and per surface.

The shipped calibration is replaced by one that gives every match the same probability, so
which outcome a question gets depends on the thresholds alone, not on the fitted model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli.render import answer_json, answer_text
from bot.engine import Answer, AnswerKind, ScoredFact
from bot.engine import matcher as matcher_module
from tests.cli.test_cli import QUESTIONS, run
from tests.engine.calibrated import LIKELY
from tests.engine.test_decision import KNOWLEDGE, SOURCE, constant
from tests.knowledge.test_loader import VALID


@pytest.fixture
def kb(tmp_path: Path) -> str:
    path = tmp_path / "demo.yaml"
    path.write_text(VALID, encoding="utf-8")
    return str(path)


@pytest.fixture
def probability(monkeypatch):
    """Sets the probability every match gets: LIKELY is "probably" on a mention by default."""

    def use(value: float) -> None:
        monkeypatch.setattr(matcher_module, "shipped", lambda: constant(value))

    use(LIKELY)
    return use


def probable_answer() -> Answer:
    spain, people, france = (
        KNOWLEDGE.facts[i] for i in ("spain-capital", "spain-people", "france-capital")
    )
    return Answer(
        "capital of spain",
        AnswerKind.PROBABLE,
        0.4,
        fact=spain,
        source=SOURCE,
        suggestions=(people, france),
        matched=("capital", "spain"),
        candidates=(ScoredFact(spain, 0.7, ("capital", "spain")),),
    )


def test_probable_json_is_not_answered_but_names_the_closest_match() -> None:
    record = answer_json(probable_answer())
    assert record == {
        "question": "capital of spain",
        "answered": False,
        "kind": "probable",
        "fact_id": "spain-capital",
        "topic": None,
        "answer": "Madrid.",
        "confidence": 0.4,
        "source": {
            "id": "atlas",
            "title": "World Atlas",
            "publisher": "Atlas Press",
            "published": "2026-01-02",
            "section": None,
            "url": None,
        },
        "suggestions": [
            {"fact_id": "spain-people", "question": "How many people live in Spain?"},
            {"fact_id": "france-capital", "question": "What is the capital of France?"},
        ],
        "matched": ["capital", "spain"],
        "read_as": None,
        "facts": [],
        "lacking": [],
        "margin": None,
        "not_stated": None,
        "lang": "en",
    }


def test_probable_text_is_marked_unsure_with_its_question_source_and_near_misses() -> None:
    assert answer_text(probable_answer()) == (
        "Not sure, but this is probably it.\n"
        "Closest match: What is the capital of Spain?\n"
        "Madrid.\n"
        "\n"
        "— World Atlas · Atlas Press · 2026-01-02\n"
        "\n"
        "Other near misses:\n"
        "  1. How many people live in Spain?\n"
        "  2. What is the capital of France?"
    )


def test_ask_json_probable_exits_1(capsys, probability, kb: str) -> None:
    code, out, _ = run(capsys, "ask", "--json", "--knowledge", kb, "kimi price?")
    record = json.loads(out)
    assert code == 1
    assert (record["answered"], record["kind"], record["fact_id"]) == (
        False,
        "probable",
        "kimi-price",
    )
    assert (record["topic"], record["answer"]) == ("kimi", "Membership starts at RMB 39 a month.")
    assert record["source"]["section"] == "Kimi"
    assert record["confidence"] == LIKELY


def test_ask_automatic_surface_stays_quiet_rather_than_probably(
    capsys, probability, kb: str
) -> None:
    code, out, _ = run(
        capsys, "ask", "--json", "--surface", "automatic", "--knowledge", kb, "kimi price?"
    )
    record = json.loads(out)
    assert code == 1
    assert (record["answered"], record["kind"], record["fact_id"], record["answer"]) == (
        False,
        "none",
        None,
        None,
    )
    assert record["source"] is None and record["confidence"] == LIKELY


@pytest.mark.parametrize(
    ("value", "surface", "code"),
    [(0.9, "automatic", 0), (0.6, "automatic", 1), (0.6, "mention", 0)],
)
def test_ask_exits_0_only_when_the_surface_states_an_answer(
    capsys, probability, kb: str, value: float, surface: str, code: int
) -> None:
    probability(value)
    assert run(capsys, "ask", "--surface", surface, "--knowledge", kb, "kimi price?")[0] == code


def test_ask_text_and_explain_show_probably_and_why_a_rule_abstained(
    capsys, probability, kb: str
) -> None:
    code, out, _ = run(capsys, "ask", "--explain", "--knowledge", kb, "kimi price?")
    assert code == 1
    assert out.startswith(
        "Not sure, but this is probably it.\nClosest match: How much does Kimi cost?\n"
    )
    assert f"kind: probable  confidence: {LIKELY:.2f}" in out
    _, out, _ = run(capsys, "ask", "--explain", "--knowledge", kb, "kimi k9 price")
    assert "abstained: names a model the knowledge has no topic for" in out


def test_chat_says_probably_as_the_bot_does_on_a_mention(
    capsys, monkeypatch, probability, kb: str
) -> None:
    code, out, _ = run(
        capsys, "chat", "--knowledge", kb, stdin="kimi price\n", monkeypatch=monkeypatch
    )
    assert code == 0
    assert "Not sure, but this is probably it." in out and "RMB 39" in out


def test_eval_prints_reliability_probable_count_and_gates_on_ece(
    capsys, tmp_path: Path, probability, kb: str
) -> None:
    probability(0.9)
    questions = tmp_path / "q.yaml"
    questions.write_text(QUESTIONS)
    code, out, _ = run(capsys, "eval", "--knowledge", kb, str(questions), "--max-ece", "0.1")
    # two right at 0.9 (a gap of 0.1 each) and the weather with no candidate at 0: 0.2 / 3
    assert code == 0
    assert "0.9–1.0            2      0.900  1.000" in out
    assert "0.0–0.1            1      0.000  0.000" in out
    assert "0.5–0.6            0          -      -" in out
    assert "probable replies:      0" in out
    assert "calibration error:     0.067 (ECE)" in out
    code, out, _ = run(capsys, "eval", "--knowledge", kb, str(questions), "--max-ece", "0.05")
    assert code == 1
    assert "FAILED: expected calibration error 0.067 > 0.050" in out
    probability(LIKELY)
    _, out, _ = run(capsys, "eval", "--knowledge", kb, str(questions))
    assert "probable replies:      1" in out


def test_explain_says_which_rule_made_a_likely_answer_only_probably(capsys, probability) -> None:
    probability(0.9)
    question = "whats qwen 3.7 max's context window compared to kimi's 2M?"
    code, out, _ = run(capsys, "ask", "--explain", question)
    assert code == 1
    assert out.startswith("Not sure, but this is probably it.\n")
    assert "only probably: compares with a named topic the answer leaves out" in out
