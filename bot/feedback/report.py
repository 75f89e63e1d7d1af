"""What curators should fix next, read from the feedback log without disturbing the bot."""

from __future__ import annotations

import asyncio
import functools
import json
import math
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process

from bot.engine import Matcher, MatchSettings
from bot.engine.matcher import MAX_QUESTION_TERMS
from bot.engine.text import content_terms, is_number, terms
from bot.feedback.backend import Statement
from bot.feedback.schema import TABLES, deletions, in_transaction
from bot.feedback.sqlite import execute, read_snapshot
from bot.feedback.store import DAY, FeedbackStore
from bot.knowledge import Fact, KnowledgeBase
from bot.knowledge.format import MAX_PHRASE

CLEAR_LEAD = 0.06
"""How far a suggested fact's score must lead the next one's for the report to propose it:
about one more matched common word, so a tie between two facts is never proposed."""
MAX_ROWS = 20_000
"""The newest unanswered questions a report reads: months of a busy server, grouped in seconds."""
SIMILARITY_CUTOFF = 85.0
"""How alike two wordings must be to share a group: rapidfuzz's ratio (0 to 100) of their content
words, stemmed and sorted, i.e. a token-sort ratio that ignores filler words. Over the bundled
knowledge's phrasings, 85 keeps nine in ten one-typo variants with their original while merging
one pair of phrasings of different facts; 80 merges eight such pairs."""
MAX_COMPARED = 200
"""A wording is compared with about this many groups that share a word with it, rarest word
first, so grouping stays bounded however repetitive the log is."""
PINGS = re.compile(r"<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b")
"""Discord's mentions of users, roles and channels, and its @everyone and @here, as questions
asked on Discord carry them."""
MAX_WORDINGS = 10
"""The wordings a group lists, most-asked first; its count covers all of them."""


class Row(NamedTuple):
    """One logged question, as a report needs it."""

    question: str
    candidates: str
    guild_id: int | None
    created_at: float


_Block = tuple[tuple[str, ...], str]
"""A wording's figures with the first letters of one of its words: only wordings that share a
block are compared, so figures always match exactly, as they must in answers."""


class _Key(NamedTuple):
    """What grouping compares of a question: its content words, sorted, and its blocks."""

    text: str
    blocks: frozenset[_Block]


QUESTION_GONE = "(no longer in the knowledge)"
"""Shown for an answer whose fact or topic a curator has since removed, wherever reports go."""


@dataclass(frozen=True, slots=True)
class Wording:
    """One way a question was typed, and how often."""

    text: str
    count: int


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The fact a group most likely asked for, so its wording can join the fact's `also`."""

    fact: Fact
    score: float
    basis: str
    """`log`: from the candidates stored when it was asked; `matcher`: from asking it now."""


@dataclass(frozen=True, slots=True)
class Group:
    """Questions worded alike: one gap in the knowledge, however many ways it was typed."""

    wordings: tuple[Wording, ...]
    count: int
    distinct: int
    guilds: int
    last_asked: float
    suggestion: Suggestion | None

    @property
    def question(self) -> str:
        """The most-asked wording: the one to add as an `also` phrasing."""
        return self.wordings[0].text


@dataclass(frozen=True, slots=True)
class Rating:
    """What people thought of one answer, named by its key (`fact:ID` or `topic:ID`)."""

    answer_key: str
    up: int
    down: int
    question: str | None
    """The fact's question or the topic's name; None if the knowledge no longer has it."""

    @property
    def net(self) -> int:
        """Up-votes minus down-votes: the worst answers have the lowest."""
        return self.up - self.down

    @property
    def down_share(self) -> float:
        """The share of votes that were down, telling one grumble from a pattern."""
        return self.down / (self.up + self.down)


@dataclass(frozen=True, slots=True)
class Usage:
    """How often one answer was given, named by its key, as curators see what is used."""

    answer_key: str
    count: int
    question: str | None
    """The fact's question or the topic's name; None if the knowledge no longer has it."""


@dataclass(frozen=True, slots=True)
class Totals:
    """How much the report covers, so a short list is not mistaken for a quiet server."""

    unanswered: int
    considered: int
    groups: int
    up_votes: int
    down_votes: int
    shares: int
    uses: int
    since: float | None


@dataclass(frozen=True, slots=True)
class Report:
    """Everything `footnote report` shows."""

    groups: tuple[Group, ...]
    worst_answers: tuple[Rating, ...]
    most_used: tuple[Usage, ...]
    totals: Totals


def purge_older_than(connection: sqlite3.Connection, days: float, now: float) -> int:
    """Deletes every row recorded more than `days` ago; returns how many went."""
    return _purge(connection, deletions("created_at < ?", (now - days * DAY,)))


def purge_guild(connection: sqlite3.Connection, guild_id: int) -> int:
    """Deletes everything recorded in one guild, as a server owner may ask."""
    return _purge(connection, deletions("guild_id = ?", (guild_id,), TABLES))


def _purge(connection: sqlite3.Connection, statements: Sequence[Statement]) -> int:
    """Deletes in one transaction, then zeroes freed pages and empties the WAL: gone from disk."""
    connection.execute("PRAGMA secure_delete = ON")
    deleted = sum(in_transaction(connection, functools.partial(execute, statements=statements)))
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return deleted


SCOPE = "created_at >= ? AND guild_id IS NOT DISTINCT FROM COALESCE(?, guild_id)"
"""The report's rows: since a time and, when a guild is given, of that guild alone."""
UP = "SUM(CASE WHEN value > 0 THEN 1 ELSE 0 END)"
DOWN = "SUM(CASE WHEN value < 0 THEN 1 ELSE 0 END)"
"""Up- and down-votes counted in SQL both backends read alike."""
Scope = tuple[float, int | None]


def report_queries(scope: Scope, limit: int) -> list[Statement]:
    """What a report reads, in one snapshot: counts, the newest questions, votes, shares, uses,
    the worst-rated answers (lowest net first, then the largest share of down-votes) and the
    most-used ones."""
    return [
        (f"SELECT COUNT(*) FROM unanswered WHERE {SCOPE}", scope),
        (
            "SELECT question, candidates, guild_id, created_at FROM unanswered"
            f" WHERE {SCOPE} ORDER BY created_at DESC, id DESC LIMIT ?",
            (*scope, MAX_ROWS),
        ),
        (f"SELECT COALESCE({UP}, 0), COALESCE({DOWN}, 0) FROM votes WHERE {SCOPE}", scope),
        (f"SELECT COUNT(*) FROM shares WHERE {SCOPE}", scope),
        (f"SELECT COALESCE(SUM(count), 0) FROM uses WHERE {SCOPE}", scope),
        (
            f"SELECT answer_key, {UP}, {DOWN} FROM votes WHERE {SCOPE}"
            f" GROUP BY answer_key HAVING {DOWN} > 0"
            f" ORDER BY SUM(value), 1.0 * {DOWN} / COUNT(*) DESC, COUNT(*) DESC, answer_key"
            " LIMIT ?",
            (*scope, limit),
        ),
        (
            f"SELECT answer_key, SUM(count) FROM uses WHERE {SCOPE}"
            " GROUP BY answer_key ORDER BY SUM(count) DESC, answer_key LIMIT ?",
            (*scope, limit),
        ),
    ]


def _scope(now: float, since_days: float | None, guild_id: int | None) -> Scope:
    """Since when, and of which guild (None: every one), a report reads."""
    return (-math.inf if since_days is None else now - since_days * DAY, guild_id)


def build_report(
    connection: sqlite3.Connection,
    matcher: Matcher,
    *,
    now: float,
    since_days: float | None = None,
    limit: int = 20,
    guild_id: int | None = None,
) -> Report:
    """The most-asked unanswered questions, the worst-rated and the most-used answers, from one
    snapshot of a SQLite file; of one guild only when given, as a server's curators may see
    their own alone."""
    queries = report_queries(_scope(now, since_days, guild_id), limit)
    return compose_report(read_snapshot(connection, queries), matcher, now, since_days, limit)


async def read_report(
    store: FeedbackStore,
    matcher: Matcher,
    *,
    now: float,
    since_days: float | None,
    limit: int,
    guild_id: int | None,
) -> Report:
    """A report read through the store, on either backend; grouping runs off the event loop, as
    it takes seconds on a busy log. FeedbackUnavailable if the database cannot be read."""
    results = await store.snapshot(report_queries(_scope(now, since_days, guild_id), limit))
    return await asyncio.to_thread(compose_report, results, matcher, now, since_days, limit)


def compose_report(
    results: Sequence[Sequence[tuple[Any, ...]]],
    matcher: Matcher,
    now: float,
    since_days: float | None,
    limit: int,
) -> Report:
    """The report from report_queries' rows: questions grouped, answers named."""
    unanswered, newest, votes, shares, uses, worst, most_used = results
    rows = [Row(*row) for row in newest]
    grouped = group_questions(rows)
    knowledge = matcher.knowledge
    return Report(
        groups=tuple(_describe(members, matcher) for members in grouped[:limit]),
        worst_answers=tuple(
            Rating(key, int(up), int(down), _asked_for(key, knowledge)) for key, up, down in worst
        ),
        most_used=tuple(
            Usage(key, int(count), _asked_for(key, knowledge)) for key, count in most_used
        ),
        totals=Totals(
            int(unanswered[0][0]),
            len(rows),
            len(grouped),
            int(votes[0][0]),
            int(votes[0][1]),
            int(shares[0][0]),
            int(uses[0][0]),
            None if since_days is None else now - since_days * DAY,
        ),
    )


def _asked_for(answer_key: str, knowledge: KnowledgeBase) -> str | None:
    """What an answer key answers: its fact's question, or its topic's name."""
    item = knowledge.by_key(answer_key)
    if isinstance(item, Fact):
        return item.question
    return item.name if item is not None else None


def group_questions(rows: Sequence[Row]) -> list[list[Row]]:
    """Rows grouped by similar wording, each newest first; most-asked group first, then latest."""
    by_key: dict[_Key, list[Row]] = defaultdict(list)
    for row in rows:
        by_key[_wording_key(row.question)].append(row)
    keys = sorted(by_key, key=lambda key: (-len(by_key[key]), -by_key[key][0].created_at))
    groups: dict[int, list[Row]] = defaultdict(list)
    for key, group in zip(keys, _cluster(keys), strict=True):
        groups[group].extend(by_key[key])
    newest_first = [sorted(members, key=lambda row: -row.created_at) for members in groups.values()]
    return sorted(newest_first, key=lambda members: (-len(members), -members[0].created_at))


def _wording_key(question: str) -> _Key:
    """Content words, stemmed and sorted, so filler, order and endings don't count (if any)."""
    found = (content_terms(question) or terms(question))[:MAX_QUESTION_TERMS]
    figures = tuple(sorted({term for term in found if is_number(term)}))
    starts = {term[:3] for term in found if not is_number(term)} or {""}
    return _Key(" ".join(sorted(found)), frozenset((figures, start) for start in starts))


def _cluster(keys: Sequence[_Key]) -> list[int]:
    """Each key's group, by leader clustering: joining a group's first key, groups never drift."""
    leaders: list[str] = []
    postings: dict[_Block, list[int]] = defaultdict(list)
    group_of: list[int] = []
    for key in keys:
        candidates: set[int] = set()
        for posting in sorted((postings.get(block, []) for block in key.blocks), key=len):
            candidates.update(posting)
            if len(candidates) >= MAX_COMPARED:
                break
        order = sorted(candidates)
        hit = process.extractOne(
            key.text,
            [leaders[group] for group in order],
            scorer=fuzz.ratio,
            score_cutoff=SIMILARITY_CUTOFF,
        )
        if hit is not None:
            group_of.append(order[hit[2]])
            continue
        group_of.append(len(leaders))
        for block in key.blocks:
            if len(postings[block]) < MAX_COMPARED:
                postings[block].append(len(leaders))
        leaders.append(key.text)
    return group_of


def _describe(members: list[Row], matcher: Matcher) -> Group:
    """A group as curators see it: wordings (ties newest first), reach, recency and likely fact."""
    counts = Counter(" ".join(row.question.split()) for row in members)
    wordings = tuple(Wording(text, count) for text, count in counts.most_common(MAX_WORDINGS))
    return Group(
        wordings=wordings,
        count=len(members),
        distinct=len(counts),
        guilds=len({row.guild_id for row in members if row.guild_id is not None}),
        last_asked=members[0].created_at,
        suggestion=suggest(members, wordings[0].text, matcher),
    )


def suggest(members: Sequence[Row], question: str, matcher: Matcher) -> Suggestion | None:
    """The likeliest fact: stored scores averaged over the group, else the knowledge asked now."""
    facts = matcher.knowledge.facts
    weights: defaultdict[str, float] = defaultdict(float)
    for row in members:
        for fact_id, score in _candidates(row.candidates):
            if fact_id in facts:
                weights[fact_id] += score / len(members)
    # Highest first, ties in first-seen order: Counter.most_common, but typed for float scores.
    best = sorted(weights.items(), key=itemgetter(1), reverse=True)[:2]
    logged = [(facts[fact_id], score) for fact_id, score in best]
    if _favourite(logged, matcher.settings):
        return Suggestion(*logged[0], basis="log")
    asked = [(item.fact, item.score) for item in matcher.ask(question).candidates[:2]]
    if _favourite(asked, matcher.settings):
        return Suggestion(*asked[0], basis="matcher")
    return None


def _favourite(ranked: list[tuple[Fact, float]], settings: MatchSettings) -> bool:
    """Whether the best candidate is as likely and as clearly ahead as the matcher's own need be."""
    if not ranked:
        return False
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    best = ranked[0][1]
    return best >= settings.suggestion_floor and best - runner_up >= CLEAR_LEAD


def _candidates(payload: str) -> list[tuple[str, float]]:
    """The stored `[[fact_id, score], ...]`; a damaged entry counts as none, not as a crash."""
    try:
        return [(str(fact_id), float(score)) for fact_id, score in json.loads(payload)]
    except (ValueError, TypeError):
        return []


def also_snippet(groups: Sequence[Group]) -> str:
    """The suggested wordings as YAML, one entry per fact, ready to merge into knowledge files;
    pings are left out of them, since they are no part of a question."""
    by_fact: dict[str, list[str]] = {}
    for group in groups:
        wording = " ".join(PINGS.sub(" ", group.question).split())
        if group.suggestion is not None and wording and len(wording) <= MAX_PHRASE:
            by_fact.setdefault(group.suggestion.fact.id, []).append(wording)
    return "\n".join(
        f"- id: {fact_id}\n  also: [{', '.join(map(quoted, wordings))}]"
        for fact_id, wordings in by_fact.items()
    )


def quoted(text: str) -> str:
    """Text in double quotes, escaped the same way for JSON and YAML."""
    return json.dumps(text, ensure_ascii=False)
