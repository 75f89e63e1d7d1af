"""What the decision looks at in a match, as numbers a calibrated model can weigh."""

from __future__ import annotations

from dataclasses import dataclass, fields

from bot.engine.answers import ScoredFact
from bot.engine.counting import asks_to_count, counts
from bot.engine.figures import counts_written
from bot.engine.reading import Reading, Unit
from bot.engine.text import is_cjk, is_number, spelled_terms, terms
from bot.knowledge.model import Fact

MAX_EVIDENCE_SHARE = 2.0
"""Matched weight beyond twice the rarest term's says nothing more: the feature stops there."""
LONG_QUESTION_UNITS = 12
"""Questions of this many words or more count as equally long."""


@dataclass(frozen=True, slots=True)
class MatchFeatures:
    """One question's best match, described without reference to which knowledge it is in.

    Every field is a number from 0 to 1 (flags are 0 or 1), so one fitted model serves any
    curator's knowledge, however many facts it has.
    """

    score: float
    """The ranking score of the best candidate."""
    lead: float
    """How far it is ahead of the runner-up."""
    evidence: float
    """The weight of the question's words it holds, in rarest-term units, halved and capped."""
    covered: float
    """The share of the question's weight it holds."""
    unknown: float
    """The share of the question's weight in words the knowledge has never seen."""
    inexact: float
    """The share of the matched weight read through a typo or an abbreviation."""
    named: float
    """The question names a known topic."""
    unnamed_subject: float
    """It names no known topic but seems to name something else, and the fact is about one."""
    kind_fits: float
    """The fact can give the kind of answer asked for (a time, someone, a place, a reason)."""
    length: float
    """How many words the question has, as a share of a long question's."""
    missed: float
    """The heaviest known word of the question the fact does not hold, in rarest-term units:
    one rare word left over ("annual price", "exact rank") is often what the knowledge lacks.
    Unknown words are left to `unknown`: most are chat, not what is asked."""
    other_name: float
    """The question names a known topic the fact is neither about nor mentions: "qwen's score
    vs glm's" answered with GLM's alone answers half of it at best."""
    missed_number: float
    """The question has a figure the fact does not ("was it 12th?", "the 10,000 GPUs")."""
    listener: float
    """It names no topic and asks about whoever it is put to ("what would you do?")."""
    rule: float
    """An abstention rule fired: the question is about a model or topic the knowledge lacks."""

    def vector(self) -> tuple[float, ...]:
        """The fields in declaration order, as the fitted weights expect them (`astuple`
        copies deeply, a tenth of deciding)."""
        return tuple(getattr(self, name) for name in FEATURE_NAMES)


FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in fields(MatchFeatures))


def writes_the_number(fact: Fact, figure: str) -> bool:
    """Whether a fact's answer spells out a number typed in digits: "3 things" is answered by
    "three fronts", "三个方面"."""
    return any(figure in counts_written(answer) for answer in fact.answers_in_every_language)


def leaves_out_a_named_topic(reading: Reading, best: ScoredFact) -> bool:
    """Whether the question names a known topic the fact is neither about nor mentions."""
    held = set(best.matched)
    return any(unit.entity is not None and unit.typed not in held for unit in reading.units)


def counts_what_the_answer_lacks(reading: Reading, best: ScoredFact) -> bool:
    """Whether a "how many" question counts something the fact never names, or never counts:
    "how many GPUs trained V4?" is not answered by "a trillion parameters", nor "how many chips"
    by "trained on domestic chips", unless its curator wrote that it answers that count."""
    if not reading.counted:
        return False
    if not any(word in held for word in reading.counted for held in best.matched):
        return True  # a Chinese run is matched whole, so its counted word is a part of it
    fact = best.fact
    chinese = [word for word in reading.counted if is_cjk(word)]
    if (
        chinese
        and not any(word in answer for word in chinese for answer in fact.answers_in_every_language)
        and not any(
            asks_to_count(phrasing, chinese) for phrasing in fact.phrasings_in_every_language
        )
    ):
        return True  # "用了多少张卡训练" is not answered by a fact that never names cards
    counted = [
        term
        for unit in reading.units
        if not is_cjk(unit.typed)
        for term in _counted_terms(unit, reading.counted)
    ]
    return (
        bool(counted)
        and not counts(fact.answer, counted)
        and not any(asks_to_count(phrasing, counted) for phrasing in fact.phrasings)
    ) or _qualifies_what_is_counted(reading, best)


def _qualifies_what_is_counted(reading: Reading, best: ScoredFact) -> bool:
    """Whether a known word before what the fact counts is one the fact never holds: "how many
    active params" is not answered by a count of all of them, while "how many chinese models
    made the top 15" is by "the only Chinese-developed model" (words after what is counted are
    what it did, not which ones)."""
    held = set(best.matched)
    held.update(word for pair in spelled_terms(best.fact.answer) for word in pair)
    by_word = {unit.typed: unit for unit in reading.units if unit.entity is None}

    def holds(word: str) -> bool:
        unit = by_word.get(word)
        return word in held or (unit is not None and not held.isdisjoint(unit.meanings))

    words = [word for word in reading.counted if not is_cjk(word)]
    last_held = max((at for at, word in enumerate(words) if holds(word)), default=0)
    return any(
        word in by_word and bool(by_word[word].meanings) and not holds(word)
        for word in words[:last_held]
    )


def _counted_terms(unit: Unit, counted: tuple[str, ...]) -> list[str]:
    """The terms a unit may mean, if the question counts it; a topic's name counts as typed
    ("how many trends": the topic is "industry trends")."""
    words = [word for word in unit.typed.split() if word in counted]
    if not words:
        return []
    if unit.entity is None:
        return list(unit.meanings)
    return [term for word in words for term in terms(word)]


def describe_match(
    reading: Reading,
    ranked: list[ScoredFact],
    *,
    max_idf: float,
    unnamed_subject: bool,
    rule_fired: bool,
) -> MatchFeatures:
    """The features of a question's best candidate (ranked must not be empty)."""
    best = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    total = reading.total_weight or 1.0
    matched = set(best.matched)
    missing = [unit for unit in reading.units if unit.typed not in matched]
    inexact = sum(
        unit.weight
        for unit in reading.units
        if unit.typed in matched and unit.entity is None and 1.0 not in unit.meanings.values()
    )
    return MatchFeatures(
        score=best.score,
        lead=max(best.score - runner_up, 0.0),
        evidence=min(best.evidence / max_idf, MAX_EVIDENCE_SHARE) / MAX_EVIDENCE_SHARE,
        covered=min(best.evidence / total, 1.0),
        unknown=min(reading.unknown_weight / total, 1.0),
        inexact=min(inexact / (best.evidence or 1.0), 1.0),
        named=float(bool(reading.entities)),
        unnamed_subject=float(unnamed_subject),
        kind_fits=float(best.fits_kind),
        length=min(len(reading.units), LONG_QUESTION_UNITS) / LONG_QUESTION_UNITS,
        missed=min(max((u.weight for u in missing if u.meanings), default=0.0) / max_idf, 1.0),
        other_name=float(leaves_out_a_named_topic(reading, best)),
        missed_number=float(
            any(
                is_number(unit.typed) and not writes_the_number(best.fact, unit.typed)
                for unit in missing
            )
        ),
        listener=float(reading.about_the_listener),
        rule=float(rule_fired),
    )
