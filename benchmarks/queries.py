"""The query set: facts asked the way people type, and questions that must get no answer.

Answerable questions start from a curated phrasing ("stored") or from a wording the knowledge
never uses ("unseen"), then get one or two typos, a moved model name or swapped words, dropped
function words, chat filler and lower case. Chinese ones name the model by its Chinese alias.
Off-topic ones are everyday questions made of words the knowledge lacks ("unrelated"), curated
attributes of models that do not exist ("unknown-model", e.g. "Orion-99"), attributes the model
has no fact for although its siblings do ("missing-attribute"), and attributes nobody curates
("uncurated-attribute").
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from benchmarks.attributes import ATTRIBUTES, SCORE, UNCURATED, Attribute
from benchmarks.generate import Catalogue, FactSpec, Model, chinese_question, name_key, render
from benchmarks.vocabulary import (
    CHAT_CLOSERS,
    CHAT_OPENERS,
    UNRELATED_SLOTS,
    UNRELATED_TEMPLATES,
    VARIANTS,
)

try:
    from yaml import CSafeDumper as _YamlDumper
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _YamlDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]

MIX = {
    "stored": 28,
    "unseen": 32,
    "chinese": 10,
    "unrelated": 8,
    "unknown-model": 8,
    "missing-attribute": 7,
    "uncurated-attribute": 7,
}
"""Percent of each kind of question; the first three are answerable, the rest off-topic."""
ANSWERABLE_KINDS = ("stored", "unseen", "chinese")

FUNCTION_WORDS = frozenset(
    "a an the is are was were be of on in for to at by does do did can i it its what whats "
    "what's which who how when where with from".split()
)
"""Words people leave out of chat questions without changing what they ask."""
DROP_SHARE = 0.5
REORDER_SHARE = 0.4
LOWER_SHARE = 0.5
QUESTION_MARK_SHARE = 0.5
FILLER_SHARE = 0.3
QUALIFIER_SHARE = 0.3
KEYBOARD = {
    **dict.fromkeys("qwertyuiop", "qwertyuiop"),
    **dict.fromkeys("asdfghjkl", "asdfghjkl"),
    **dict.fromkeys("zxcvbnm", "zxcvbnm"),
}
"""The keyboard row of each letter: a slipped finger hits a neighbour on the same row."""
_PUNCTUATION = ",.:;!?'\""


@dataclass(frozen=True)
class Query:
    """A question with the fact it must get, or None when the right reply is no answer."""

    question: str
    expected: str | None
    kind: str

    @property
    def answerable(self) -> bool:
        """Whether the knowledge holds the answer."""
        return self.expected is not None


def build_queries(catalogue: Catalogue, count: int, stream: str) -> list[Query]:
    """`count` questions in the MIX proportions, shuffled; `stream` separates test from tuning."""
    rng = random.Random(f"footnote-bench-queries:{stream}:{catalogue.seed}:{catalogue.size}")
    builder = _Builder(rng, catalogue)
    return [builder.build(kind) for kind in _schedule(rng, count)]


def write_queries(queries: list[Query], path: Path) -> None:
    """The queries in the format `footnote eval` reads, with each one's kind alongside."""
    entries = [{"q": q.question, "expect": q.expected, "kind": q.kind} for q in queries]
    text = yaml.dump(
        {"questions": entries}, Dumper=_YamlDumper, allow_unicode=True, sort_keys=False, width=1_000
    )
    path.write_text(text, encoding="utf-8")


def read_queries(path: Path) -> list[Query]:
    """Queries written by write_queries."""
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=_YamlLoader)
    return [Query(e["q"], e["expect"], e["kind"]) for e in data["questions"]]


def _schedule(rng: random.Random, count: int) -> list[str]:
    """Kinds in the MIX proportions (largest remainder), in random order."""
    total = sum(MIX.values())
    exact = {kind: count * share / total for kind, share in MIX.items()}
    kinds = {kind: int(value) for kind, value in exact.items()}
    by_remainder = sorted(MIX, key=lambda kind: kinds[kind] - exact[kind])
    for kind in by_remainder[: count - sum(kinds.values())]:
        kinds[kind] += 1
    schedule = [kind for kind, number in kinds.items() for _ in range(number)]
    rng.shuffle(schedule)
    return schedule


def _words(text: str) -> set[str]:
    """The lower-case whitespace tokens of a name, which perturbations must keep together."""
    return {_bare(token) for token in text.split()}


def _bare(token: str) -> str:
    """A token without surrounding punctuation, lower-cased, to compare with name words."""
    return token.strip(_PUNCTUATION).lower()


class _Builder:
    """Makes questions of each kind from one catalogue and one random stream."""

    def __init__(self, rng: random.Random, catalogue: Catalogue) -> None:
        """Indexes what the question kinds need: Chinese facts, known names, curated pairs."""
        self.rng = rng
        self.catalogue = catalogue
        # Only facts with a curated Chinese phrasing can fairly be asked in Chinese.
        self.chinese_facts = [
            fact for fact in catalogue.facts if any(not p.isascii() for p in fact.also)
        ]
        self.names = {
            name_key(name) for model in catalogue.models for name in (model.name, *model.aliases)
        }
        self.curated: dict[str, set[tuple[str, str | None]]] = {}
        for fact in catalogue.facts:
            self.curated.setdefault(fact.model.id, set()).add((fact.attribute.slug, fact.benchmark))
        self.benchmarks = sorted({b for fact in catalogue.facts if (b := fact.benchmark)})

    def build(self, kind: str) -> Query:
        """One question of a kind, with what it must get."""
        rng = self.rng
        match kind:
            case "stored" | "unseen" | "chinese":
                return self._answerable(kind)
            case "unrelated":
                template = rng.choice(UNRELATED_TEMPLATES)
                slots = {slot: rng.choice(words.split()) for slot, words in UNRELATED_SLOTS.items()}
                question = template.format(**slots)
                question = question.capitalize() + "?" if rng.random() < 0.5 else question
                return Query(question, None, kind)
            case "unknown-model":
                name = self._unknown_name()
                attribute, benchmark = self._any_attribute()
                return Query(self._about(name, attribute, benchmark), None, kind)
            case "missing-attribute":
                model = rng.choice(self.catalogue.models)
                attribute, benchmark = self._missing_attribute(model)
                mention = rng.choice(model.latin_names)
                return Query(self._about(mention, attribute, benchmark), None, kind)
            case "uncurated-attribute":
                model = rng.choice(self.catalogue.models)
                mention = rng.choice(model.latin_names)
                template = rng.choice(rng.choice(UNCURATED))
                keep = _words(mention)
                question = self._perturb(template.format(e=mention), keep, set(), frozen=keep)
                return Query(question, None, kind)
        raise ValueError(f"unknown query kind {kind!r}")

    def _answerable(self, kind: str) -> Query:
        """A damaged curated phrasing, a damaged unseen wording, or a Chinese question."""
        rng = self.rng
        if kind == "chinese" and self.chinese_facts:
            fact = rng.choice(self.chinese_facts)
            return Query(self._chinese(fact), fact.id, kind)
        fact = rng.choice(self.catalogue.facts)
        bench = fact.benchmark or ""
        if kind == "stored":
            text = rng.choice([p for p in fact.phrasings if p.isascii()])
            mentions = fact.model.latin_names
        else:
            mention = rng.choice(fact.model.latin_names)
            qualifier = fact.qualifier if rng.random() < QUALIFIER_SHARE else ""
            text = render(rng.choice(fact.attribute.unseen), mention, bench, qualifier)
            mentions = (mention,)
        keep = {word for name in (*mentions, bench) for word in _words(name)}
        return Query(self._perturb(text, keep, _words(fact.qualifier)), fact.id, kind)

    def _chinese(self, fact: FactSpec) -> str:
        """The fact asked with the model's Chinese name, in Chinese or mixed with English."""
        rng = self.rng
        cjk, bench, attribute = fact.model.cjk or "", fact.benchmark or "", fact.attribute
        noun = attribute.chinese.format(b=bench)
        form = rng.randrange(4)
        if form == 0:
            return chinese_question(attribute, cjk, bench)
        if form == 1:
            return f"{cjk}{noun}?"
        if form == 2:
            return f"{noun} {cjk}"
        mixed = render(rng.choice(attribute.chats), cjk, bench, "")
        return self._perturb(mixed, _words(cjk) | _words(bench), set())

    def _about(self, mention: str, attribute: Attribute, benchmark: str | None) -> str:
        """An attribute asked about a name in any wording, the name typed right.

        A typo could turn the name into a sibling's ("Orion-7 Lite" into "Orion-7 lie"), which
        would make a question that must get no answer ambiguous.
        """
        template = self.rng.choice([*attribute.chats, *attribute.unseen])
        keep = _words(mention) | _words(benchmark or "")
        text = render(template, mention, benchmark or "", "")
        return self._perturb(text, keep, set(), frozen=keep)

    def _any_attribute(self) -> tuple[Attribute, str | None]:
        """A curated attribute, or a benchmark score, for a model that does not exist."""
        if self.rng.random() < 0.3:
            return SCORE, self.rng.choice(self.benchmarks)
        return self.rng.choice(ATTRIBUTES), None

    def _missing_attribute(self, model: Model) -> tuple[Attribute, str | None]:
        """An attribute the model lacks, preferably one its siblings have: the hardest miss."""
        curated = self.curated[model.id]
        family = model.family
        options: list[tuple[Attribute, str | None]] = [
            (a, None) for a in family.attributes if (a.slug, None) not in curated
        ]
        options += [(SCORE, b) for b in family.benchmarks if (SCORE.slug, b) not in curated]
        if not options or self.rng.random() < 0.3:
            options = [(a, None) for a in ATTRIBUTES if (a.slug, None) not in curated]
        return self.rng.choice(options)

    def _unknown_name(self) -> str:
        """A model name no topic has: a new version, a variant the family lacks, or a new family."""
        rng = self.rng
        while True:
            family = rng.choice(self.catalogue.families)
            roll = rng.random()
            if roll < 0.4:
                version = str(rng.randint(13, 99))
                name = rng.choice([family.name, family.other_spelling])(version, None)
            elif roll < 0.7:
                variant = rng.choice([v for v in VARIANTS if v not in family.variants])
                name = family.name(rng.choice(family.versions), variant)
            else:
                name = f"{rng.choice(self.catalogue.spare_words)}-{rng.randint(1, 9)}"
            if name_key(name) not in self.names:
                return name

    def _perturb(
        self, text: str, keep: set[str], optional: set[str], *, frozen: set[str] | None = None
    ) -> str:
        """Chat-style damage: dropped words, a moved name or swapped words, typos, filler, case.

        `keep` words (the model's and benchmark's names) are never dropped or split, `optional`
        ones (a qualifier) may be dropped, and `frozen` ones never get a typo.
        """
        rng = self.rng
        tokens = text.rstrip("?").split()
        if rng.random() < DROP_SHARE:
            droppable = [
                i
                for i, token in enumerate(tokens)
                if _bare(token) not in keep and _bare(token) in FUNCTION_WORDS | optional
            ]
            if droppable and len(tokens) > 2:
                del tokens[rng.choice(droppable)]
        if rng.random() < REORDER_SHARE:
            tokens = self._reorder(tokens, keep)
        candidates = [
            i
            for i, token in enumerate(tokens)
            if len(word := token.strip(_PUNCTUATION)) >= 4
            and word.isascii()
            and word.isalpha()
            and word.lower() not in (frozen or set())
        ]
        for i in rng.sample(candidates, min(len(candidates), rng.randint(1, 2))):
            word = tokens[i].strip(_PUNCTUATION)
            tokens[i] = tokens[i].replace(word, self._typo(word), 1)
        if rng.random() < FILLER_SHARE:
            if rng.random() < 0.5:
                tokens.insert(0, rng.choice(CHAT_OPENERS))
            else:
                tokens.append(rng.choice(CHAT_CLOSERS))
        question = " ".join(tokens)
        if rng.random() < LOWER_SHARE:
            question = question.lower()
        return question + "?" if rng.random() < QUESTION_MARK_SHARE else question

    def _reorder(self, tokens: list[str], keep: set[str]) -> list[str]:
        """The model's name moved to the other end, or two neighbouring words swapped."""
        named = [i for i, token in enumerate(tokens) if _bare(token) in keep]
        if named and named == list(range(named[0], named[-1] + 1)) and len(named) < len(tokens):
            block, rest = (
                tokens[named[0] : named[-1] + 1],
                tokens[: named[0]] + tokens[named[-1] + 1 :],
            )
            return [*block, *rest] if named[0] > 0 else [*rest, *block]
        pairs = [
            i
            for i in range(len(tokens) - 1)
            if _bare(tokens[i]) not in keep and _bare(tokens[i + 1]) not in keep
        ]
        if pairs:
            i = self.rng.choice(pairs)
            tokens[i], tokens[i + 1] = tokens[i + 1], tokens[i]
        return tokens

    def _typo(self, word: str) -> str:
        """One slip of the fingers, never on the first letter: swap, drop, double or neighbour."""
        rng = self.rng
        position = rng.randrange(1, len(word) - 1)
        letter = word[position]
        operations = ["swap", "drop", "double", "neighbour"]
        rng.shuffle(operations)
        for operation in operations:
            if operation == "swap" and word[position + 1] != letter:
                return word[:position] + word[position + 1] + letter + word[position + 2 :]
            if operation == "drop":
                return word[:position] + word[position + 1 :]
            if operation == "double":
                return word[:position] + letter + word[position:]
            if operation == "neighbour" and letter in KEYBOARD:
                row = KEYBOARD[letter]
                index = row.index(letter)
                near = [row[j] for j in (index - 1, index + 1) if 0 <= j < len(row)]
                return word[:position] + rng.choice(near) + word[position + 1 :]
        return word[:position] + word[position + 1 :]
