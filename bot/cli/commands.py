"""The one-shot commands: ask, check, topics, summary and schema."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator

from bot.cli.render import answer_line, answer_text
from bot.engine import Conversations, Matcher, Surface
from bot.engine.cards import is_card_fact
from bot.engine.glossary import Glossary
from bot.engine.languages import in_language, question_language
from bot.engine.unstated import UnstatedCheck
from bot.knowledge import KnowledgeError, KnowledgePathError, load_knowledge
from bot.knowledge.schema import json_schema
from bot.library import default_cache_dir, open_knowledge

MAX_STDIN_LINE = 4_000
"""Longer lines are cut: nobody asks a question that long, and a huge line must not stall."""
MAX_STDIN_BYTES = 4 * MAX_STDIN_LINE + 4
"""What of one line is kept while its end is awaited: enough for MAX_STDIN_LINE characters of
UTF-8, so a line of gigabytes costs no memory."""
STDIN_CHUNK = 65_536


class CliError(Exception):
    """A problem shown as one line on stderr: exit code 2 for what the user must fix, 1 for
    what may pass by itself (Discord unreachable), so a supervisor knows to retry only that."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def load(args: argparse.Namespace) -> Matcher:
    """The knowledge named on the command line, ready to answer, or a one-line error."""
    try:
        return open_knowledge(args.knowledge, cache_dir=default_cache_dir())
    except KnowledgeError as error:
        raise invalid_knowledge(error) from None


def invalid_knowledge(error: KnowledgeError) -> CliError:
    """Knowledge that cannot be served, in one line: its first problem and how many more."""
    first = error.problems[0]
    more = len(error.problems) - 1
    tail = f" (and {more} more; run 'footnote check' to see all)" if more else ""
    return CliError(f"invalid knowledge: {first}{tail}")


def ask(args: argparse.Namespace) -> int:
    """Answers one question, or a stream of them as JSON Lines; exit 1 if one goes unanswered
    (a "probably" included: it states nothing as known), 0 if every one was answered."""
    if args.json and args.explain:
        raise CliError("--explain shows reasons to a person; it does not go with --json")
    matcher = load(args)
    surface: Surface = args.surface
    if args.question is None:
        if not args.json:
            raise CliError("ask needs a QUESTION (or --json to read questions from stdin)")
        conversations = Conversations()
        all_answered = True
        for requests in _stdin_batches():
            answers = [
                in_language(
                    conversations.ask(matcher, key, question, surface),
                    args.lang or question_language(question),
                )
                for question, key in map(_request, requests)
            ]
            all_answered = all_answered and all(answer.answered for answer in answers)
            sys.stdout.write("".join(f"{answer_line(answer)}\n" for answer in answers))
            sys.stdout.flush()
        return 0 if all_answered else 1
    answer = in_language(
        matcher.ask(args.question, surface), args.lang or question_language(args.question)
    )
    print(answer_line(answer) if args.json else answer_text(answer, explain=args.explain))
    return 0 if answer.answered else 1


def _stdin_batches() -> Iterator[list[str]]:
    """Questions from stdin, one per line, as many at a time as have arrived: their answers go
    out in one write (not two per line, as print makes when Python runs unbuffered), yet none
    waits for input that has not come, so a program feeding one line at a time still works."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin, as embedders sometimes substitute
        for line in sys.stdin:
            yield _questions([line.encode()])
        return
    held: list[bytes] = []
    while chunk := stream.read1(STDIN_CHUNK):
        *lines, rest = chunk.split(b"\n")
        if lines:
            lines[0] = b"".join([*held, lines[0]])
            held.clear()
            yield _questions(lines)
        if sum(map(len, held)) < MAX_STDIN_BYTES:
            held.append(rest)
    if last := b"".join(held):
        yield _questions([last])


def _questions(lines: list[bytes]) -> list[str]:
    """The questions among raw lines, surviving bad bytes and blank lines; long ones cut."""
    texts = (raw.decode("utf-8", errors="replace").rstrip("\r\n")[:MAX_STDIN_LINE] for raw in lines)
    return [text for text in texts if text.strip()]


def _request(line: str) -> tuple[str, str | None]:
    """A stdin line as a question and its conversation: a JSON object with a string
    `question` and, to read follow-ups in it, a string `conversation`; any other line is a
    question as typed, so no line is ever refused."""
    if not line.lstrip().startswith("{"):
        return line, None
    try:
        request = json.loads(line)
    except (ValueError, RecursionError):
        return line, None
    question = request.get("question") if isinstance(request, dict) else None
    if not isinstance(question, str):
        return line, None
    conversation = request.get("conversation")
    return question[:MAX_STDIN_LINE], conversation if isinstance(conversation, str) else None


def check(args: argparse.Namespace) -> int:
    """Validates knowledge and prints either a summary, with notes on `not_stated` entries a
    fact says anyway, or every problem (exit 1); a path with nothing to check is a usage error,
    one line and exit 2 as in every command."""
    try:
        knowledge = load_knowledge(args.knowledge)
    except KnowledgePathError as error:
        raise invalid_knowledge(error) from None
    except KnowledgeError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return 1
    print(
        f"OK: {len(knowledge.sources)} source(s), {len(knowledge.topics)} topic(s), "
        f"{len(knowledge.facts)} fact(s), {len(knowledge.glossary)} glossary entr"
        f"{'y' if len(knowledge.glossary) == 1 else 'ies'}"
    )
    for source in knowledge.sources.values():
        facts = sum(1 for fact in knowledge.facts.values() if fact.source_id == source.id)
        print(f"  {source.id}: {source.title} ({facts} facts)")
    unstated = UnstatedCheck(knowledge, Glossary.of(knowledge.glossary))
    for entry, fact in unstated.never_asked_of():
        print(
            f"note: {entry.topic.id}: not_stated {entry.text!r} never applies to {fact.id}, "
            "whose answer or keywords say it"
        )
    return 0


def topics(args: argparse.Namespace) -> int:
    """Lists topics with their names and aliases."""
    knowledge = load(args).knowledge
    for topic in knowledge.topics.values():
        aliases = f"  ({', '.join(topic.aliases)})" if topic.aliases else ""
        count = sum(not is_card_fact(fact) for fact in knowledge.facts_about(topic.id))
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
