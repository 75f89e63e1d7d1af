"""An interactive prompt that decides like the bot does when mentioned, to try out knowledge."""

from __future__ import annotations

import argparse
import re

from bot.cli.commands import load
from bot.cli.render import answer_text
from bot.engine import Answer, Conversations, Surface
from bot.engine.cards import curated
from bot.engine.languages import in_language, question_language

PROMPT = "you> "
COMMAND = re.compile(r"/[a-z]+")
"""A word after a slash is meant as a command, never as a question."""
HELP = (
    "Ask a question; follow it up ('and glm?', 'what about its licence'). A number picks a "
    "'did you mean' suggestion; /explain toggles details; /quit."
)
CONVERSATION = "chat"
"""One person at one prompt: the whole session is one conversation."""


def run(args: argparse.Namespace) -> int:
    """Reads questions until end of input, deciding each as the bot would on a mention: an
    answer, a "probably" with the closest match, or nothing with near misses; a follow-up is
    read with the question before it."""
    matcher = load(args)
    print(f"Footnote: {len(curated(matcher.knowledge))} facts loaded. {HELP}")
    conversations = Conversations()
    explain = False
    last: Answer | None = None
    while True:
        try:
            line = input(PROMPT).strip()
        except EOFError:
            print()
            return 0
        except KeyboardInterrupt:
            print()  # so the shell's prompt starts on a line of its own
            return 130
        if not line:
            continue
        if line in {"/quit", "/exit", "/q"}:
            return 0
        if line in {"/help", "?"}:
            print(HELP)
            continue
        if line == "/explain":
            explain = not explain
            print(f"explain {'on' if explain else 'off'}")
            continue
        if COMMAND.fullmatch(line):
            print(f"unknown command {line}; {HELP}")
            continue
        if last is not None and line.isdigit() and 1 <= int(line) <= len(last.suggestions):
            line = last.suggestions[int(line) - 1].question
        # Suggestions are picked by their questions as written, which the matcher knows.
        last = conversations.ask(matcher, CONVERSATION, line, Surface.MENTION)
        shown = in_language(last, args.lang or question_language(line))
        print(answer_text(shown, explain=explain), end="\n\n")
