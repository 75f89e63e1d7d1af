"""Comparisons in the `footnote` command: one block of facts with their sources, and in JSON
the 'comparison' kind with the list of facts."""

from __future__ import annotations

import io
import json
import sys

from bot.cli.main import main

CITATION = "  — Mid-2026 Large Models Landscape"


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_ask_prints_one_block_of_each_topics_fact_and_source(capsys) -> None:
    code, out = run(capsys, "ask", "kimi vs minimax price")
    assert code == 0
    lines = out.strip().split("\n")
    assert lines[0].startswith("Kimi K2.6: ") and "RMB 39" in lines[0]
    assert lines[1].startswith(CITATION) and lines[1].endswith("3. Kimi K2.6")
    assert lines[2].startswith("MiniMax M2.7: ") and "5%" in lines[2]
    assert lines[3].startswith(CITATION) and lines[3].endswith("4. MiniMax M2.7")
    assert len(lines) == 4


def test_ask_json_gives_the_comparison_kind_with_its_facts(capsys) -> None:
    code, out = run(capsys, "ask", "--json", "qwen or glm, which works longer on its own?")
    record = json.loads(out)
    assert code == 0
    assert (record["kind"], record["answered"], record["fact_id"]) == ("comparison", True, None)
    facts = {item["fact_id"]: item for item in record["facts"]}
    assert set(facts) == {"qwen-35-hours", "glm-8-hours"}
    assert facts["glm-8-hours"]["topic"] == "glm"
    assert "8 hours in a row" in facts["glm-8-hours"]["answer"]
    assert facts["qwen-35-hours"]["source"]["section"].endswith("Qwen3.7-Max")
    assert record["lacking"] == []


def test_a_question_asking_by_how_much_gets_the_gap_in_text_and_json(capsys) -> None:
    question = "how many more hours can qwen go solo than glm 5.1"
    code, out = run(capsys, "ask", question)
    assert code == 0
    assert out.strip().endswith(
        "Difference: 27 hours more for Qwen3.7-Max than GLM-5.1 (4.4 times as much)."
    )
    code, out = run(capsys, "ask", "--json", question)
    assert json.loads(out)["margin"] == {
        "more": "qwen",
        "less": "glm",
        "difference": "27",
        "unit": "hours",
        "times": "4.4",
    }
    code, out = run(capsys, "ask", "--json", "kimi vs minimax price")
    assert json.loads(out)["margin"] is None


def test_a_comparison_with_a_model_it_lacks_says_so_and_is_not_answered(capsys) -> None:
    code, out = run(capsys, "ask", "--json", "kimi vs gemini context")
    record = json.loads(out)
    assert code == 1
    assert record["kind"] == "none" and not record["answered"]
    assert record["facts"] == [] and record["lacking"] == ["gemini"]
    code, out = run(capsys, "ask", "kimi vs gemini context")
    assert out.startswith("I don't know that one")
    assert "1. How long a context can Kimi K2.6 handle?" in out, "the side it knows is offered"
    assert out.strip().endswith("Nothing in the knowledge on this for: gemini.")


def test_chat_shows_a_comparison_as_one_block(capsys, monkeypatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"kimi vs minimax price\n/quit\n"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out = run(capsys, "chat")
    assert code == 0
    reply = out.split("you> ")[1]
    assert "Kimi K2.6: " in reply and "MiniMax M2.7: " in reply
    assert reply.count(CITATION) == 2
