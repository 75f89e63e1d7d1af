"""Real chat the bot must ignore: question-like lines people typed to each other.

The lines come from the Chit-Chat Challenge corpus of BYU's Perception, Control and Cognition
lab: 7,168 open-domain conversations (258,145 lines) that students held with each other in a
chat app in 2018, shipped inside the PyPI package `chitchat-dataset` 0.9.0 (MIT licence) as one
JSON file, so nothing is downloaded at run time. It is English only: no package found ships
real chat in another language.

Each line of a turn is one message as its writer sent it; the senders are ids beside the text,
never in it, so cleaning only drops the few @handles, ids and stray trailing backslashes (an
Enter key missed) that people typed into the text itself.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from importlib import metadata

CORPUS_PACKAGE = "chitchat-dataset"
CORPUS_VERSION = "0.9.0"
"""The version the figures in benchmarks/README.md were measured with."""
CORPUS_LICENCE = "MIT"

QUESTION_WORDS = frozenset(
    "what whats who whos whom whose why whys when whens where wheres which how hows".split()
)
"""Words that open a question; apostrophes are dropped first, so "what's" is "whats"."""
AUXILIARIES = frozenset(
    "am is are was were do does did have has had can could will would shall should may might "
    "must isnt arent wasnt werent dont doesnt didnt havent hasnt cant couldnt wont wouldnt "
    "shouldnt".split()
)
"""Verbs that open a yes/no question when a subject follows them ("are you", "did it")."""
SUBJECTS = frozenset(
    "i you he she it we they there this that these those someone anyone anybody somebody "
    "everyone everybody your my his her its our their the any ya u yall".split()
)
"""What stands after the verb in an inversion; "do not", "can be" and "have a nice day" are not
questions."""

_HANDLE = re.compile(r"(?<![\w.])@[\w.]+\w")
"""An @handle: someone's user name typed into the text."""
_ID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
"""A UUID, the form of the corpus's sender and conversation ids."""
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[\w']+")


def clean(text: str) -> str:
    """The line without user names, ids or trailing backslashes, spaces collapsed."""
    text = _ID.sub(" ", _HANDLE.sub(" ", text))
    return _SPACE.sub(" ", text).strip().rstrip("\\").strip()


def is_question_like(text: str) -> bool:
    """Whether a line reads as a question, which is all an automatic channel looks at."""
    if text.rstrip().endswith("?"):
        return True
    words = [word.replace("'", "") for word in _WORD.findall(text.casefold())]
    if not words:
        return False
    if words[0] in QUESTION_WORDS:
        return True
    return len(words) > 1 and words[0] in AUXILIARIES and words[1] in SUBJECTS


def corpus_version() -> str:
    """The installed corpus package's version, for the report."""
    return metadata.version(CORPUS_PACKAGE)


def _lines() -> Iterator[str]:
    """Every line of every conversation, in the order the corpus file holds them."""
    import chitchat_dataset  # a bench-only dependency, imported only when the corpus is read

    for conversation in chitchat_dataset.Dataset().values():
        for turn in conversation["messages"]:
            for line in turn:
                yield line["text"]


def question_like(lines: Iterator[str] | list[str]) -> list[str]:
    """The cleaned question-like lines, each once (ignoring case), in their first order."""
    seen: set[str] = set()
    kept: list[str] = []
    for line in lines:
        text = clean(line)
        key = text.casefold()
        if text and key not in seen and is_question_like(text):
            seen.add(key)
            kept.append(text)
    return kept


@functools.cache
def _question_like_messages() -> tuple[str, ...]:
    """Read once per process: the corpus is a 40 MB JSON file."""
    return tuple(question_like(_lines()))


def question_like_messages() -> list[str]:
    """Every question-like message of the corpus, de-duplicated, in the corpus's order."""
    return list(_question_like_messages())
