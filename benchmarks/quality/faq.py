"""A foreign FAQ: does Footnote find the answer when people word a question their own way?

The FAQ is StackFAQ (Karan and Šnajder, "Paraphrase-focused learning to rank for
domain-specific frequently asked questions retrieval", Expert Systems with Applications 91,
2018): 125 threads of the Web Applications Stack Exchange (Gmail, Facebook, Google Docs, …),
each with its original question, its top answers, and ten rewordings of the question written by
people, 1,249 in all. The copy read here is `data/StackFAQ/stackExchange-FAQ.json` in the GitHub
repository ML-Recipes/BERT-FAQ at commit 3c184030c1819b462e29f665465ab4968657440e (repository
licence MIT; the questions and answers are Stack Exchange posts, CC BY-SA). It is not committed
here: pass the file, or a checkout of that repository, with `--faq PATH` or `$FOOTNOTE_FAQ`.

Each thread becomes one fact, as a curator who had only the FAQ would write it: the thread's
question, its top answer, one topic for all (the data has no categories), no keywords and no
`also` phrasings. The rewordings are held out as the questions, split by thread with a fixed
seed into a tuning half (for the baselines' cutoffs) and a test half; question-like real chat
(`benchmarks.quality.realchat`), split the same way, is what must get no answer.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from benchmarks.engines import Bm25, Footnote, NaiveFuzzy, ScoredEngine
from benchmarks.queries import Query
from benchmarks.scoring import (
    Hit,
    Quality,
    apply_cutoff,
    choose_cutoff,
    cutoff_at_abstention,
    quality,
)
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.knowledge.format import MAX_ANSWER, MAX_PHRASE

REPOSITORY = "ML-Recipes/BERT-FAQ"
COMMIT = "3c184030c1819b462e29f665465ab4968657440e"
"""The commit the figures in benchmarks/README.md were measured at."""
FILE = Path("data/StackFAQ/stackExchange-FAQ.json")
ENVIRONMENT = "FOOTNOTE_FAQ"
SEED = 7
"""The seed of the tune/test split, the same as the speed benchmark's default."""
CHAT_ABSTENTION = 0.99
"""The issue's bar: at least 99% of real chat gets no answer."""
PARAPHRASE = "paraphrase"
CHAT = "chat"

_CLOSED = re.compile(r"\s*\[(closed|duplicate|migrated|on hold)\]\s*$", re.I)
"""Stack Exchange's status marks after a title, which nobody types into a question."""
_SPACE = re.compile(r"\s+")
_PLACEHOLDER = "*"
"""StackFAQ's mark for a rewording left empty."""


@dataclass(frozen=True)
class FaqEntry:
    """One FAQ answer with its canonical question and the user rewordings that ask for it."""

    id: str
    category: str | None
    question: str
    answer: str
    paraphrases: tuple[str, ...]


@dataclass(frozen=True)
class FaqSplit:
    """The held-out questions: rewordings of half the threads tune, the other half's test."""

    tune: list[Query]
    test: list[Query]


def locate(option: str | None) -> Path | None:
    """The FAQ file from the option, else the environment variable; None when neither names one.

    A folder is taken as a checkout of the repository and the file looked up inside it.
    """
    given = option or os.environ.get(ENVIRONMENT)
    if not given:
        return None
    path = Path(given)
    if path.is_dir():
        path = path / FILE
    return path if path.is_file() else None


def missing_message() -> str:
    """The one line printed when the FAQ is absent, saying how to get it."""
    return (
        f"FAQ part skipped: no StackFAQ file; fetch {REPOSITORY} at {COMMIT} and pass "
        f"--faq PATH or set ${ENVIRONMENT} (the checkout or {FILE})"
    )


def _one_line(text: str) -> str:
    """Text with its runs of spaces, tabs and line breaks as one space."""
    return _SPACE.sub(" ", text).strip()


def _clip(text: str, limit: int) -> str:
    """Text cut at a word to fit a field's limit, with an ellipsis when it was cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def read_stackfaq(path: Path) -> list[FaqEntry]:
    """The threads of StackFAQ's JSON as FAQ entries, in the file's order."""
    threads = json.loads(path.read_text(encoding="utf-8"))["root"]["qapair"]
    entries: list[FaqEntry] = []
    for number, thread in enumerate(threads, 1):
        question = _CLOSED.sub("", _one_line(thread["question"]))
        answers = thread["answer"]
        answer = _one_line(answers if isinstance(answers, str) else answers[0])
        paraphrases = _held_out(thread["rephr"], question)
        entries.append(FaqEntry(f"stackfaq-{number:03d}", None, question, answer, paraphrases))
    return entries


def _held_out(rewordings: Sequence[str | None], question: str) -> tuple[str, ...]:
    """The usable rewordings, each once, none merely the canonical question again."""
    seen = {question.casefold()}
    kept: list[str] = []
    for raw in rewordings:
        text = _one_line(raw or "")
        if text and text != _PLACEHOLDER and text.casefold() not in seen:
            seen.add(text.casefold())
            kept.append(text)
    return tuple(kept)


def _slug(text: str) -> str:
    """A category name as a topic id."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "faq"


def knowledge_document(entries: Sequence[FaqEntry], name: str = "StackFAQ") -> dict[str, Any]:
    """The FAQ as one knowledge file: a fact per entry, a topic per category (or one in all)."""
    categories = sorted({entry.category or name for entry in entries})
    topics = [
        {
            "id": _slug(category),
            "name": category,
            "summary": f"{name}: questions and answers"
            + ("." if category == name else f" about {category}."),
        }
        for category in categories
    ]
    facts = [
        {
            "id": entry.id,
            "topic": _slug(entry.category or name),
            "question": _clip(entry.question, MAX_PHRASE),
            "answer": _clip(entry.answer, MAX_ANSWER),
        }
        for entry in entries
    ]
    source = {
        "id": _slug(name),
        "title": f"{name} (held-out rewordings removed)",
        "publisher": "Web Applications Stack Exchange, via TakeLab (University of Zagreb)",
        "published": "2018-01-01",
        "url": f"https://github.com/{REPOSITORY}/tree/{COMMIT}/{FILE.parent}",
        "note": "Karan and Šnajder, Expert Systems with Applications 91 (2018); CC BY-SA posts.",
    }
    return {"source": source, "topics": topics, "facts": facts}


def load_faq_knowledge(entries: Sequence[FaqEntry]) -> KnowledgeBase:
    """The FAQ written as YAML and read back by the bot's own loader, so it is checked as any
    curator's file would be."""
    with tempfile.TemporaryDirectory(prefix="footnote-faq-") as folder:
        path = Path(folder) / "faq.yaml"
        document = knowledge_document(entries)
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
        return load_knowledge([path])


def split_halves(items: Sequence[str], seed: int) -> tuple[list[str], list[str]]:
    """A seeded shuffle cut in two halves (the first gets the odd one), the same on every run."""
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    middle = (len(shuffled) + 1) // 2
    return shuffled[:middle], shuffled[middle:]


def split_paraphrases(entries: Sequence[FaqEntry], seed: int = SEED) -> FaqSplit:
    """The rewordings as questions, every rewording of one entry in the same half, so no
    baseline is tuned on a thread it is then tested on."""
    by_id = {entry.id: entry for entry in entries}
    tune_ids, test_ids = split_halves(sorted(by_id), seed)

    def queries(ids: list[str]) -> list[Query]:
        return [
            Query(text, entry_id, PARAPHRASE)
            for entry_id in sorted(ids)
            for text in by_id[entry_id].paraphrases
        ]

    return FaqSplit(queries(tune_ids), queries(test_ids))


def split_chat(chat: Sequence[str], seed: int = SEED) -> FaqSplit:
    """Real chat as questions that must get no answer, halved by the same seed."""
    tune, test = split_halves(chat, seed)
    return FaqSplit([Query(t, None, CHAT) for t in tune], [Query(t, None, CHAT) for t in test])


def wrong_share(queries: Sequence[Query], answers: Sequence[str | None]) -> float:
    """Share of the rewordings answered with another fact (or a topic summary): the harm of
    answering, which accuracy alone does not tell apart from staying quiet."""
    wrong = [
        answer is not None and answer != query.expected
        for query, answer in zip(queries, answers, strict=True)
        if query.answerable
    ]
    return sum(wrong) / len(wrong) if wrong else 0.0


def _row(
    engine: str,
    setting: str,
    cutoff: float | None,
    queries: Sequence[Query],
    answers: Sequence[str | None],
) -> dict[str, Any]:
    """One line of the table: an engine at one setting, measured on the test half."""
    result: Quality = quality(queries, answers)
    return {
        "engine": engine,
        "setting": setting,
        "cutoff": cutoff,
        "accuracy": result.accuracy,
        "wrong": wrong_share(queries, answers),
        "chat_abstention": result.abstention,
        "balanced": result.balanced,
        "paraphrases": sum(query.answerable for query in queries),
        "chat": sum(not query.answerable for query in queries),
    }


def faq_table(
    faq: Path, chat: Sequence[str] | None = None, seed: int = SEED
) -> list[dict[str, Any]]:
    """Footnote and the tuned baselines on the same held-out test questions, as rows of figures.

    Each baseline appears twice: with the cutoff that maximises balanced quality on the tuning
    half, and with the lowest cutoff that keeps quiet on at least 99% of the tuning half's chat.
    """
    if chat is None:
        from benchmarks.quality.realchat import question_like_messages

        chat = question_like_messages()
    entries = read_stackfaq(faq)
    knowledge = load_faq_knowledge(entries)
    paraphrases, negatives = split_paraphrases(entries, seed), split_chat(chat, seed)
    tune, test = paraphrases.tune + negatives.tune, paraphrases.test + negatives.test

    footnote = Footnote(knowledge)
    rows = [_row("footnote", "shipped", None, test, [footnote.ask(q.question) for q in test])]
    baselines: dict[str, ScoredEngine] = {"naive": NaiveFuzzy(knowledge), "bm25": Bm25(knowledge)}
    for name, engine in baselines.items():
        tune_hits: list[Hit] = [engine.best(q.question) for q in tune]
        test_hits: list[Hit] = [engine.best(q.question) for q in test]
        for setting, cutoff in (
            ("tuned", choose_cutoff(tune, tune_hits).value),
            ("≥99% chat", cutoff_at_abstention(tune, tune_hits, CHAT_ABSTENTION)),
        ):
            rows.append(_row(name, setting, cutoff, test, apply_cutoff(test_hits, cutoff)))
    return rows


def markdown(rows: Sequence[dict[str, Any]]) -> str:
    """The rows as the Markdown table benchmarks/README.md quotes."""
    lines = [
        "| Engine | Cutoff | Accuracy | Wrong answers | Chat abstention | Balanced |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        cutoff = "shipped" if row["cutoff"] is None else f"{row['setting']}: {row['cutoff']:.4g}"
        lines.append(
            f"| {row['engine']} | {cutoff} | {row['accuracy']:.1%} | {row['wrong']:.1%} "
            f"| {row['chat_abstention']:.1%} | {row['balanced']:.1%} |"
        )
    first = rows[0]
    lines.append("")
    lines.append(
        f"Test half: {first['paraphrases']:,} rewordings, {first['chat']:,} real-chat questions."
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Prints the FAQ table, or one line saying why the part was skipped."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.quality.faq", description="Footnote and baselines on StackFAQ."
    )
    parser.add_argument("--faq", help=f"StackFAQ's JSON or a checkout of {REPOSITORY}")
    parser.add_argument("--seed", type=int, default=SEED, help="split seed (default: %(default)s)")
    args = parser.parse_args(argv)
    path = locate(args.faq)
    if path is None:
        print(missing_message())
        return
    print(markdown(faq_table(path, seed=args.seed)))


if __name__ == "__main__":
    main()
