"""The `footnote` command as users run it: output, exit codes, and one-line errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.knowledge.test_loader import NOT_STATED, TRANSLATED, VALID, unreadable

QUESTIONS = """\
questions:
  - q: "kimi membership cost?"
    expect: kimi-price
  - q: "tell me about kimi"
    expect: {topic: kimi}
  - q: "what's the weather like"
    expect: null
"""


@pytest.fixture
def kb(tmp_path: Path) -> str:
    path = tmp_path / "demo.yaml"
    path.write_text(VALID, encoding="utf-8")
    return str(path)


def run(capsys, *argv: str, stdin: str | bytes | None = None, monkeypatch=None):
    if stdin is not None:
        raw = stdin.encode() if isinstance(stdin, str) else stdin
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_prints_answer_then_source(capsys, kb: str) -> None:
    code, out, _ = run(capsys, "ask", "--knowledge", kb, "How much is Kimi per month?")
    assert code == 0
    answer, source = out.strip().split("\n\n")
    assert answer == "Membership starts at RMB 39 a month."
    assert source == "— Demo article · Demo Press · 2026-06-01 · § Kimi"


def test_ask_without_answer_says_so_and_exits_1(capsys, kb: str) -> None:
    code, out, _ = run(capsys, "ask", "--knowledge", kb, "what's the weather in paris")
    assert code == 1
    assert out.startswith("I don't know")


def test_ask_json_has_every_documented_field(capsys, kb: str) -> None:
    code, out, _ = run(capsys, "ask", "--json", "--knowledge", kb, "kimi price?")
    record = json.loads(out)
    assert code == 0
    assert record == {
        "question": "kimi price?",
        "answered": True,
        "kind": "fact",
        "fact_id": "kimi-price",
        "topic": "kimi",
        "answer": "Membership starts at RMB 39 a month.",
        "confidence": record["confidence"],
        "source": {
            "id": "demo",
            "title": "Demo article",
            "publisher": "Demo Press",
            "published": "2026-06-01",
            "section": "Kimi",
            "url": None,
        },
        "suggestions": [],
        "matched": ["price", "kimi"],
        "read_as": None,
        "facts": [],
        "lacking": [],
        "margin": None,
        "not_stated": None,
        "lang": "en",
    }
    assert 0.5 <= record["confidence"] <= 1


def test_ask_says_what_the_source_does_not_say(capsys, tmp_path: Path) -> None:
    kb = tmp_path / "demo.yaml"
    kb.write_text(NOT_STATED, encoding="utf-8")
    code, text, _ = run(capsys, "ask", "--explain", "--knowledge", str(kb), "kimi valuation?")
    _, line, _ = run(capsys, "ask", "--json", "--knowledge", str(kb), "kimi valuation?")
    assert code == 1
    assert text.startswith(
        "I don't know that one: the source does not say this about Kimi K2.6 (valuation)."
    )
    assert "not stated: kimi → valuation" in text
    assert json.loads(line)["not_stated"] == {"topic": "kimi", "what": "valuation"}


def test_ask_answers_in_the_questions_language_or_lang(capsys, tmp_path: Path) -> None:
    kb = tmp_path / "demo.yaml"
    kb.write_text(TRANSLATED, encoding="utf-8")
    _, chinese, _ = run(capsys, "ask", "--json", "--knowledge", str(kb), "kimi 月费")
    _, english, _ = run(capsys, "ask", "--json", "--knowledge", str(kb), "kimi price?")
    _, asked, _ = run(
        capsys, "ask", "--json", "--lang", "zh", "--knowledge", str(kb), "kimi price?"
    )
    records = [json.loads(out) for out in (chinese, english, asked)]
    assert [(r["lang"], r["answer"]) for r in records] == [
        ("zh", "会员每月 RMB 39 起。"),
        ("en", "Membership starts at RMB 39 a month."),
        ("zh", "会员每月 RMB 39 起。"),
    ]
    assert records[0]["fact_id"] == records[1]["fact_id"] == "kimi-price", (
        "one id in every language"
    )
    code, out, _ = run(capsys, "ask", "--lang", "ja", "--knowledge", str(kb), "kimi price?")
    assert code == 0
    assert out.startswith("(Not translated into 'ja' yet; this is the original.)\nMembership")


def test_lang_must_be_a_language_code(capsys, kb: str) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["ask", "--lang", "Chinese!", "--knowledge", kb, "kimi price?"])
    assert raised.value.code == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "not a language code such as zh or en: 'Chinese!'" in line


def test_ask_json_reads_stdin_as_json_lines_in_order(capsys, monkeypatch, kb: str) -> None:
    stdin = b"kimi price?\n\n\xff\xfe broken bytes\nhello\n" + b"x" * 100_000 + b"\nkimi\n"
    _, out, _ = run(
        capsys, "ask", "--json", "--knowledge", kb, stdin=stdin, monkeypatch=monkeypatch
    )
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["kind"] for r in records] == ["fact", "none", "none", "none", "summary"]
    assert records[0]["fact_id"] == "kimi-price" and records[4]["topic"] == "kimi"
    assert len(records[3]["question"]) == 4_000


@pytest.mark.parametrize(
    ("stdin", "expected"), [("kimi price?\nkimi\n", 0), ("kimi price?\nthe weather?\n", 1), ("", 0)]
)
def test_ask_json_from_stdin_exits_1_when_any_question_goes_unanswered(
    capsys, monkeypatch, kb: str, stdin: str, expected: int
) -> None:
    code, _, _ = run(
        capsys, "ask", "--json", "--knowledge", kb, stdin=stdin, monkeypatch=monkeypatch
    )
    assert code == expected


def test_ask_json_reads_a_last_line_without_newline_and_crlf(capsys, monkeypatch, kb: str) -> None:
    stdin = b"kimi price?\r\n\r\nkimi"
    _, out, _ = run(
        capsys, "ask", "--json", "--knowledge", kb, stdin=stdin, monkeypatch=monkeypatch
    )
    assert [json.loads(line)["question"] for line in out.splitlines()] == ["kimi price?", "kimi"]


@pytest.mark.timeout(30)
def test_ask_json_answers_each_line_before_the_next_arrives(kb: str) -> None:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    with subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "--knowledge", kb],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        for question in (b"kimi price?", b"kimi"):
            process.stdin.write(question + b"\n")
            process.stdin.flush()
            assert json.loads(process.stdout.readline())["question"] == question.decode()
        process.stdin.close()
        assert process.stdout.read() == b""
    assert process.returncode == 0


def test_ask_json_reads_follow_ups_within_each_conversation_key(capsys, monkeypatch) -> None:
    lines = [
        {"question": "how much does kimi cost?", "conversation": "alice"},
        {"question": "and minimax?", "conversation": "bob"},
        {"question": "and minimax?", "conversation": "alice"},
        "and minimax?",
        {"question": "and gpt-4?", "conversation": "alice"},
        {"question": "what did glm 5.1 score on swe-bench pro", "conversation": "bob"},
        {"question": "what about its licence", "conversation": "bob"},
    ]
    stdin = "".join(
        f"{json.dumps(line, ensure_ascii=False) if isinstance(line, dict) else line}\n"
        for line in lines
    )
    code, out, _ = run(capsys, "ask", "--json", stdin=stdin, monkeypatch=monkeypatch)
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 1, "'and gpt-4?' goes unanswered"
    assert [r["question"] for r in records] == [
        line["question"] if isinstance(line, dict) else line for line in lines
    ]
    assert [r["read_as"] for r in records] == [
        None,
        None,
        "minimax cost",
        None,
        "gpt 4 cost",
        None,
        "glm 5.1 licence",
    ]
    assert records[1]["kind"] == records[3]["kind"] == "summary", "no key, or another: as typed"
    assert records[2]["fact_id"] == "minimax-inference-cost"
    assert records[4]["kind"] == "none" and records[4]["topic"] is None
    assert records[6]["fact_id"] == "glm-mit-license"


@pytest.mark.parametrize(
    "line",
    [
        '{"question": 5, "conversation": "a"}',
        '{"conversation": "a"}',
        "{not json",
        "[1, 2]",
        "{" * 100_000,
        '{"question": "and glm?", "conversation": ["a"]}',
    ],
)
def test_ask_json_answers_any_other_line_as_typed(capsys, monkeypatch, line: str) -> None:
    stdin = '{"question": "kimi price?", "conversation": "a"}\n' + line + "\n"
    code, out, err = run(capsys, "ask", "--json", stdin=stdin, monkeypatch=monkeypatch)
    records = [json.loads(text) for text in out.splitlines()]
    assert code == (0 if all(record["answered"] for record in records) else 1) and err == ""
    assert len(records) == 2
    assert records[1]["read_as"] is None
    if line.endswith("}") and '"question": "' in line:
        assert records[1]["question"] == "and glm?"
    else:
        assert records[1]["question"] == line[:4_000]


FULL_DISK = Path("/dev/full")
"""Linux's device that fails every write with 'No space left on device'."""


@pytest.mark.skipif(not FULL_DISK.exists(), reason="needs Linux's /dev/full to fill the disk")
@pytest.mark.parametrize(
    ("argv", "stdin"),
    [(["ask", "kimi price?"], b""), (["ask", "--json"], b"kimi price?\n"), (["chat"], b"kimi\n")],
    ids=["ask", "ask --json", "chat"],
)
def test_a_full_disk_is_one_line_and_exit_2(kb: str, argv: list[str], stdin: bytes) -> None:
    with FULL_DISK.open("wb") as full:
        process = subprocess.run(
            [sys.executable, "-m", "bot", *argv, "--knowledge", kb],
            input=stdin,
            stdout=full,
            stderr=subprocess.PIPE,
        )
    assert process.returncode == 2
    assert process.stderr == b"footnote: cannot write the output: No space left on device\n"


def test_explain_shows_matched_words_and_candidates(capsys, kb: str) -> None:
    _, out, _ = run(capsys, "ask", "--explain", "--knowledge", kb, "kimi price")
    assert "matched: price, kimi" in out
    assert "kimi-price" in out


def test_explain_says_which_words_the_glossary_matched(capsys) -> None:
    _, out, _ = run(capsys, "ask", "--explain", "what's the monthly outlay for kimi")
    assert "\nglossary: outlay → cost\n" in out
    _, out, _ = run(capsys, "ask", "--explain", "kimi price")
    assert "glossary:" not in out  # price is the fact's own word


def test_check_summarises_valid_knowledge(capsys, kb: str) -> None:
    code, out, _ = run(capsys, "check", "--knowledge", kb)
    assert code == 0
    assert out.startswith("OK: 1 source(s), 1 topic(s), 1 fact(s), 0 glossary entries")


def test_check_notes_a_not_stated_entry_a_fact_says_anyway(capsys, tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(NOT_STATED.replace("[membership]", "[membership, valuation]"), encoding="utf-8")
    code, out, _ = run(capsys, "check", "--knowledge", str(path))
    assert code == 0
    assert out.splitlines()[2:] == [
        "note: kimi: not_stated 'valuation' never applies to kimi-price, "
        "whose answer or keywords say it"
    ]


def test_check_lists_every_problem_and_exits_1(capsys, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(VALID.replace("title:", "titel:").replace("topic: kimi", "topic: kim"))
    code, _, err = run(capsys, "check", "--knowledge", str(path))
    lines = err.strip().splitlines()
    assert code == 1
    assert lines[-1] == "2 problems found"
    assert all(line.startswith(f"{path}:") for line in lines[:-1])


def test_check_reports_an_unreadable_subfolder(capsys, kb: str, monkeypatch) -> None:
    folder = Path(kb).parent
    locked = folder / "locked"
    locked.mkdir()
    unreadable(monkeypatch, locked)
    code, out, err = run(capsys, "check", "--knowledge", str(folder))
    assert code == 1
    assert err.splitlines() == [
        f"{locked}: cannot read folder: Permission denied",
        "1 problem found",
    ]
    assert "OK" not in out


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/no/such/place", "/no/such/place: no such file or directory"),
        ("/dev/null", "/dev/null: not a file or folder"),
        ("EMPTY", "EMPTY: no knowledge files (*.yaml, *.yml) found"),
    ],
)
def test_check_on_a_path_with_nothing_to_check_is_one_line_and_exit_2(
    capsys, tmp_path: Path, path: str, problem: str
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run(capsys, "check", "--knowledge", path.replace("EMPTY", str(empty)))
    assert code == 2
    assert err == f"footnote: invalid knowledge: {problem.replace('EMPTY', str(empty))}\n"
    assert out == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["ask", "--knowledge", "/no/such/place", "q"],
        ["ask", "--bogus"],
        ["summary", "zzzz-nothing"],
        ["eval", "/no/such/questions.yaml"],
        ["ask"],
        ["eval", "x.yaml", "--min-accuracy", "lots"],
    ],
)
def test_errors_are_one_line_with_exit_2(capsys, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        raise SystemExit(main(argv))
    _, err = capsys.readouterr()
    assert raised.value.code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err


def test_invalid_knowledge_is_one_line_pointing_at_check(capsys, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(VALID.replace("title:", "titel:").replace("topic: kimi", "topic: kim"))
    code, _, err = run(capsys, "ask", "--knowledge", str(path), "kimi?")
    assert code == 2
    assert err.count("\n") == 1
    assert "(and 1 more; run 'footnote check' to see all)" in err


def test_topics_and_fuzzy_summary(capsys, kb: str) -> None:
    _, out, _ = run(capsys, "topics", "--knowledge", kb)
    assert out.startswith("kimi: Kimi K2.6 — 1 facts  (Kimi, 月之暗面)")
    code, out, _ = run(capsys, "summary", "--knowledge", kb, "kimmi k2.6")
    assert code == 0
    assert out.startswith("Kimi K2.6\n\nA model from Moonshot AI.")
    assert "Developer  Moonshot AI" in out


def test_a_card_row_answers_with_the_topics_source(capsys, kb: str) -> None:
    code, out, _ = run(capsys, "ask", "--knowledge", kb, "who is kimi's developer")
    assert code == 0
    assert out.strip().split("\n\n") == [
        "Kimi K2.6 — Developer: Moonshot AI",
        "— Demo article · Demo Press · 2026-06-01",
    ]


def test_eval_reports_which_answers_it_can_give_in_a_language(capsys, tmp_path: Path) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text('questions:\n  - {q: "kimi price?", expect: kimi-price}\n')
    _, out, _ = run(capsys, "eval", str(questions))
    assert "answers in the asking language: 100.0% of those stated" in out
    _, out, _ = run(capsys, "eval", "--lang", "fr", str(questions))
    assert "answers in fr: 0.0% of those stated" in out


def test_eval_reports_figures_and_gates(capsys, tmp_path: Path, kb: str) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text(QUESTIONS)
    code, out, _ = run(capsys, "eval", "--knowledge", kb, str(questions), "--min-accuracy", "95")
    assert code == 0
    assert "top-1 accuracy:        100.0%" in out
    assert "abstention recall:     100.0%" in out
    questions.write_text(QUESTIONS.replace('"what\'s the weather like"', '"kimi price"'))
    code, out, _ = run(
        capsys, "eval", "--knowledge", kb, str(questions), "--min-abstention-recall", "1"
    )
    assert code == 1
    assert "MISS  'kimi price'\n      expected no answer, got kimi-price" in out
    assert "FAILED: abstention recall 0.0% < 100.0%" in out


def test_eval_rejects_unknown_fact_ids(capsys, tmp_path: Path, kb: str) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text(QUESTIONS.replace("expect: kimi-price", "expect: kimi-prize"))
    code, _, err = run(capsys, "eval", "--knowledge", kb, str(questions))
    assert code == 2
    assert "question 1: no fact has id 'kimi-prize'" in err


def test_chat_answers_and_picks_suggestions(capsys, monkeypatch, kb: str) -> None:
    stdin = "kimi price\n/explain\nkimi?\n/quit\n"
    code, out, _ = run(capsys, "chat", "--knowledge", kb, stdin=stdin, monkeypatch=monkeypatch)
    assert code == 0
    assert out.count("RMB 39") == 1
    assert "explain on" in out and "kind: summary" in out


def test_chat_reads_a_follow_up_with_the_question_before_it(capsys, monkeypatch) -> None:
    stdin = "how long can qwen work on its own?\nand glm?\nwhat about its licence\n"
    code, out, _ = run(capsys, "chat", stdin=stdin, monkeypatch=monkeypatch)
    assert code == 0
    replies = out.split("you> ")[1:]
    assert "35 hours" in replies[0] and "read as" not in replies[0]
    assert replies[1].startswith("(read as: glm long work own)\n")
    assert "8 hours in a row" in replies[1]
    assert replies[2].startswith("(read as: glm licence)\n")
    assert "MIT license" in replies[2]


def test_module_entry_point_matches_console_script(kb: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--knowledge", kb, "kimi price"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("Membership starts at RMB 39 a month.")


def test_an_unquoted_question_is_told_to_use_quotes(capsys) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["ask", "how", "much", "is", "kimi"])
    _, err = capsys.readouterr()
    assert raised.value.code == 2
    assert "put the question in quotes: footnote ask 'how much is kimi'" in err


def test_explain_with_json_is_refused_rather_than_ignored(capsys, kb: str) -> None:
    code, out, err = run(capsys, "ask", "--json", "--explain", "--knowledge", kb, "kimi")
    assert (code, out) == (2, "")
    assert err == "footnote: --explain shows reasons to a person; it does not go with --json\n"


def test_chat_ends_its_line_on_ctrl_c(capsys, monkeypatch, kb: str) -> None:
    def interrupted(prompt: str) -> str:
        print(prompt, end="")
        raise KeyboardInterrupt

    monkeypatch.setattr("builtins.input", interrupted)
    code, out, _ = run(capsys, "chat", "--knowledge", kb)
    assert code == 130
    assert out.endswith("you> \n")


def test_chat_says_an_unknown_command_is_one_instead_of_asking_it(
    capsys, monkeypatch, kb: str
) -> None:
    stdin = "/bogus\n"
    code, out, _ = run(capsys, "chat", "--knowledge", kb, stdin=stdin, monkeypatch=monkeypatch)
    assert code == 0
    assert "unknown command /bogus;" in out
    assert "I don't know" not in out


def test_chat_takes_lang(capsys, monkeypatch, tmp_path: Path) -> None:
    kb = tmp_path / "demo.yaml"
    kb.write_text(TRANSLATED, encoding="utf-8")
    stdin = "kimi price\n/quit\n"
    argv = ("chat", "--lang", "zh", "--knowledge", str(kb))
    code, out, _ = run(capsys, *argv, stdin=stdin, monkeypatch=monkeypatch)
    assert code == 0
    assert "会员每月 RMB 39 起。" in out and "Membership" not in out
