"""The one-shot commands: ask, check, topics, summary and schema."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator

from bot.cli.render import answer_line, answer_text
from bot.engine import Matcher
from bot.knowledge import KnowledgeError, load_knowledge
from bot.knowledge.schema import json_schema
from bot.library import default_cache_dir, open_knowledge

MAX_STDIN_LINE = 4_000
"""Longer lines are cut: nobody asks a question that long, and a huge line must not stall."""


class CliError(Exception):
    """A problem the user can fix; shown as one line on stderr with exit code 2."""


def load(args: argparse.Namespace) -> Matcher:
    """The knowledge named on the command line, ready to answer, or a one-line error."""
    try:
        return open_knowledge(args.knowledge, cache_dir=default_cache_dir())
    except KnowledgeError as error:
        first = error.problems[0]
        more = len(error.problems) - 1
        tail = f" (and {more} more; run 'footnote check' to see all)" if more else ""
        raise CliError(f"invalid knowledge: {first}{tail}") from None


def ask(args: argparse.Namespace) -> int:
    """Answers one question, or a stream of them as JSON Lines; exit 1 if one goes unanswered."""
    matcher = load(args)
    if args.question is None:
        if not args.json:
            raise CliError("ask needs a QUESTION (or --json to read questions from stdin)")
        for question in _stdin_lines():
            print(answer_line(matcher.ask(question)), flush=False)
        sys.stdout.flush()
        return 0
    answer = matcher.ask(args.question)
    print(answer_line(answer) if args.json else answer_text(answer, explain=args.explain))
    return 0 if answer.answered else 1


def _stdin_lines() -> Iterator[str]:
    """Questions from stdin, one per line, surviving bad bytes and blank lines."""
    stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
    lines = stream if stream is not None else (line.encode() for line in sys.stdin)
    for raw in lines:
        text = raw.decode("utf-8", errors="replace").rstrip("\r\n")[:MAX_STDIN_LINE]
        if text.strip():
            yield text


def check(args: argparse.Namespace) -> int:
    """Validates knowledge and prints either a summary or every problem."""
    try:
        knowledge = load_knowledge(args.knowledge)
    except KnowledgeError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return 1
    print(
        f"OK: {len(knowledge.sources)} source(s), {len(knowledge.topics)} topic(s), "
        f"{len(knowledge.facts)} fact(s)"
    )
    for source in knowledge.sources.values():
        facts = sum(1 for fact in knowledge.facts.values() if fact.source_id == source.id)
        print(f"  {source.id}: {source.title} ({facts} facts)")
    return 0


def topics(args: argparse.Namespace) -> int:
    """Lists topics with their names and aliases."""
    knowledge = load(args).knowledge
    for topic in knowledge.topics.values():
        aliases = f"  ({', '.join(topic.aliases)})" if topic.aliases else ""
        count = len(knowledge.facts_about(topic.id))
        print(f"{topic.id}: {topic.name} — {count} facts{aliases}")
    return 0


def summary(args: argparse.Namespace) -> int:
    """Prints a topic's summary and card, found by id, name or alias."""
    matcher = load(args)
    knowledge = matcher.knowledge
    topic = matcher.find_topic(args.topic)
    if topic is None:
        raise CliError(f"no topic matches {args.topic!r}; see 'footnote topics'")
    print(f"{topic.name}\n\n{topic.summary}")
    if topic.card:
        width = max(len(key) for key, _ in topic.card)
        print()
        for key, value in topic.card:
            print(f"  {key.ljust(width)}  {value}")
    print(f"\n— {knowledge.source_of(topic).citation()}")
    return 0


def schema(_: argparse.Namespace) -> int:
    """Prints the JSON Schema that editors use to validate knowledge files while typing."""
    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0
