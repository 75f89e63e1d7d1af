"""The quality gate: `footnote eval` on a question set written from the article, not the files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml

from benchmarks.quality.realchat import question_like_messages
from bot.cli.main import main
from bot.engine import Matcher, Surface
from bot.engine.text import terms
from bot.knowledge import load_knowledge

QUESTIONS = Path(__file__).with_name("questions.yaml")
MIN_ACCURACY = "95"
MIN_ABSTENTION = "95"
"""Floors just under the decision's figures on this set (95.5% and 96.4% now): only answers
stated as known count, and the decision is fitted to blind and real-chat data, not to this
set. The old rule's 95/95, lost when the calibrated decision came in, is won back: near misses
such as "kimi api price per million tokens" are now turned away by the topics' `not_stated`."""
REAL_CHAT_SAMPLE = 20
"""Every 20th question-like line of the real chat corpus: some 1,800 lines, a second or two."""
GLOSSARY_CHAT_ALLOWANCE = 0.002
"""How much more of real chat the glossary may answer than the same knowledge without it."""


def test_question_set_is_large_varied_and_not_copied_from_the_knowledge() -> None:
    entries = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]
    off_topic = [entry for entry in entries if entry["expect"] is None]
    assert len(entries) >= 150
    assert len(off_topic) >= 40
    phrasings = {
        " ".join(terms(text)) for fact in load_knowledge().facts.values() for text in fact.phrasings
    }
    copies = [e["q"] for e in entries if " ".join(terms(e["q"])) in phrasings]
    assert copies == []


def test_eval_gate_passes_on_the_bundled_knowledge(capsys) -> None:
    code = main(
        [
            "eval",
            str(QUESTIONS),
            "--min-accuracy",
            MIN_ACCURACY,
            "--min-abstention-recall",
            MIN_ABSTENTION,
        ]
    )
    report = capsys.readouterr().out
    assert code == 0, report


def test_the_bundled_glossary_does_not_make_real_chat_match() -> None:
    knowledge = load_knowledge()
    assert knowledge.glossary
    chat = question_like_messages()[::REAL_CHAT_SAMPLE]
    with_glossary = Matcher(knowledge)
    without = Matcher(dataclasses.replace(knowledge, glossary={}))
    stated = sum(with_glossary.ask(line).answered for line in chat)
    stated_without = sum(without.ask(line).answered for line in chat)
    assert stated <= stated_without + GLOSSARY_CHAT_ALLOWANCE * len(chat)
    posted = sum(with_glossary.ask(line, Surface.AUTOMATIC).answered for line in chat)
    assert posted <= 0.005 * len(chat)
