"""Entry point of the `footnote` command: parses arguments and turns failures into one line."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from bot import __version__
from bot.cli import arguments, commands
from bot.engine import Surface


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _imported_when_run(module: str) -> Callable[[argparse.Namespace], int]:
    """A sub-command whose module loads only when it runs, so `ask` never pays for asyncio,
    SQLite or the configuration that `run` and `report` need."""

    def run(args: argparse.Namespace) -> int:
        return int(importlib.import_module(f"bot.cli.{module}").run(args))

    return run


def _add_surface(parser: argparse.ArgumentParser, what: str) -> None:
    """The --surface option: where the bot would be asked decides how sure it must be."""
    parser.add_argument(
        "--surface",
        type=Surface,
        choices=list(Surface),
        default=Surface.MENTION,
        help=f"{what} as when mentioned (default), or as in an automatic channel: stricter, "
        "and never 'probably'",
    )


def _add_language(parser: argparse.ArgumentParser) -> None:
    """The --lang option: the language answers are given in."""
    parser.add_argument(
        "--lang",
        type=arguments.language,
        metavar="CODE",
        help="answer in this language (zh, en), the original with a note where a record is not"
        " translated; default: the language each question is asked in",
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, one sub-command per task."""
    shared = _Parser(add_help=False)
    shared.add_argument(
        "--knowledge",
        action="append",
        metavar="PATH",
        default=[],
        help="a knowledge file or folder (repeatable); default: the bundled knowledge",
    )
    parser = _Parser(prog="footnote", description="Short, sourced answers from curated knowledge.")
    parser.add_argument("--version", action="version", version=f"footnote {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    ask = sub.add_parser("ask", parents=[shared], help="answer a question")
    ask.add_argument("question", nargs="?", help="the question; with --json and none, read stdin")
    ask.add_argument(
        "--json",
        action="store_true",
        help="print JSON (JSON Lines for stdin, where a line may also be "
        '{"question": "...", "conversation": "KEY"}: lines with the same KEY are one person\'s '
        "conversation, so a follow-up such as 'and glm?' is read with the question before it)",
    )
    ask.add_argument(
        "--explain", action="store_true", help="show confidence, reasons, matched words, candidates"
    )
    _add_surface(ask, "answer")
    _add_language(ask)
    ask.set_defaults(run=commands.ask)

    check = sub.add_parser("check", parents=[shared], help="validate knowledge files")
    check.set_defaults(run=commands.check)

    topics = sub.add_parser("topics", parents=[shared], help="list the topics")
    topics.set_defaults(run=commands.topics)

    summary = sub.add_parser("summary", parents=[shared], help="show a topic's summary")
    summary.add_argument("topic", help="a topic id, name or alias")
    summary.set_defaults(run=commands.summary)

    talk = sub.add_parser("chat", parents=[shared], help="try questions interactively")
    _add_language(talk)
    talk.set_defaults(run=_imported_when_run("chat"))

    grade = sub.add_parser("eval", parents=[shared], help="measure answer quality")
    grade.add_argument("questions", help="a YAML file of questions with expected answers")
    grade.add_argument("--min-accuracy", type=arguments.share, default=0.0, metavar="SHARE")
    grade.add_argument(
        "--min-abstention-recall", type=arguments.share, default=0.0, metavar="SHARE"
    )
    grade.add_argument(
        "--min-abstention-precision", type=arguments.share, default=0.0, metavar="SHARE"
    )
    grade.add_argument(
        "--max-ece",
        type=arguments.share,
        metavar="ECE",
        help="fail when the expected calibration error is above this (default: no limit)",
    )
    _add_surface(grade, "ask every question")
    _add_language(grade)
    grade.set_defaults(run=_imported_when_run("evaluation"))

    run = sub.add_parser("run", help="run the Discord bot")
    run.add_argument("--config", metavar="FILE", help="a config file (see config.example.yaml)")
    run.add_argument(
        "--check",
        action="store_true",
        help="check the config and knowledge, say what would run, and stop (no token needed)",
    )
    run.add_argument(
        "--log-level", choices=arguments.LOG_LEVELS, default="INFO", help="default: INFO"
    )
    run.set_defaults(run=_imported_when_run("serve"))

    curate = sub.add_parser(
        "report", parents=[shared], help="what to curate next; copy or delete data"
    )
    curate.add_argument("--db", metavar="PATH", help="default: the config's, or footnote.db")
    curate.add_argument("--config", metavar="FILE", help="the bot's config: database, knowledge")
    curate.add_argument("--json", action="store_true", help="print one JSON object")
    curate.add_argument(
        "--since", type=arguments.days, metavar="DAYS", help="only the last DAYS days"
    )
    curate.add_argument(
        "--limit", type=arguments.whole_number, default=20, metavar="N", help="default: 20"
    )
    purge = curate.add_mutually_exclusive_group()
    purge.add_argument(
        "--purge-older-than", type=arguments.days, metavar="DAYS", help="delete older rows"
    )
    purge.add_argument(
        "--purge-guild", type=arguments.snowflake, metavar="ID", help="delete a guild's rows"
    )
    purge.add_argument(
        "--copy-from",
        metavar="OLD.db",
        help="copy every row of a SQLite feedback file into this store (the config's PostgreSQL"
        " server, or --db), as when moving to several processes; the file is only read",
    )
    curate.set_defaults(run=_imported_when_run("report"))

    schema = sub.add_parser("schema", help="print the knowledge format's JSON Schema")
    schema.set_defaults(run=commands.schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command and returns its exit code; never lets a traceback reach the user."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        words = not any(word.startswith("-") for word in extra)
        asked = args.command == "ask" and args.question is not None and words
        quoted = " ".join([args.question, *extra]) if asked else ""
        hint = f"; put the question in quotes: footnote ask {shlex.quote(quoted)}" if quoted else ""
        parser.error(f"unrecognized arguments: {' '.join(extra)}{hint}")
    try:
        code = int(args.run(args))
        sys.stdout.flush()  # here, where a full disk can still be reported, not at exit
        return code
    except commands.CliError as error:
        print(f"footnote: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _discard_stdout()
        return 0
    except OSError as error:  # a full disk or a failing terminal, writing the output
        _discard_stdout()
        print(f"footnote: cannot write the output: {error.strerror or error}", file=sys.stderr)
        return 2


def _discard_stdout() -> None:
    """Points stdout at the null device, so the flush at exit cannot fail on it a second time."""
    with contextlib.suppress(OSError, ValueError):  # no file descriptor: nothing is flushed
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
