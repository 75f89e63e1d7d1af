"""Synthetic knowledge in the bundled format: model families, attributes and curated phrasings.

Everything comes from one seeded `random.Random`, so a seed and a size always give the same files.
Models come in families that share a name and its digits ("Orion-7", "Orion-7 Pro", "Orion-8"),
and facts of one family share attributes, which is where a matcher can answer about the wrong
model.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from benchmarks.attributes import ATTRIBUTES, MONTHS, SCORE, UNCURATED, Attribute
from benchmarks.vocabulary import (
    CHAT_CLOSERS,
    CHAT_OPENERS,
    UNRELATED_SLOTS,
    UNRELATED_TEMPLATES,
    VARIANTS,
    english_words,
    invent_cjk,
    invent_words,
)

try:
    from yaml import CSafeDumper as _YamlDumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _YamlDumper  # type: ignore[assignment]

FACTS_PER_TOPIC = 10
FACTS_PER_FILE = 200
"""How many facts a generated file holds unless asked otherwise: 500 files at 100,000 facts."""
FAMILY_ATTRIBUTES = 12
FAMILY_BENCHMARKS = 5
MIN_ATTRIBUTES = FACTS_PER_TOPIC - FAMILY_BENCHMARKS
CJK_FAMILY_SHARE = 0.3
QUALIFIER_SHARE = 0.5
FILLER_SHARE = 0.25
MOVED_FACT_SHARE = 0.05
"""Share of facts filed in another source than their topic, as follow-up reports do."""
ROLE_SIZES = {"developer": 600, "benchmark": 400, "qualifier": 1000, "publisher": 40, "city": 150}
SPARE_WORDS = 200
"""Invented words used nowhere in the knowledge, to name models that do not exist."""

_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A knowledge-file id for a name."""
    return _SLUG_JUNK.sub("-", text.lower()).strip("-")


def name_key(text: str) -> tuple[str, ...]:
    """How a name reads regardless of spacing, case and dashes, to keep invented names distinct."""
    return tuple(re.findall(r"\d+(?:\.\d+)?|[^\W\d_]+", text.lower()))


@dataclass(frozen=True)
class Family:
    """Models sharing a name, a lab and attributes: the near-duplicates of the knowledge."""

    base: str
    style: str
    developer: str
    cjk: str | None
    attributes: tuple[Attribute, ...]
    benchmarks: tuple[str, ...]
    versions: tuple[str, ...]
    variants: tuple[str, ...]

    def name(self, version: str, variant: str | None) -> str:
        """The official name, in the family's house style."""
        match self.style:
            case "dash":
                core = f"{self.base}-{version}"
            case "letter":
                core = f"{self.base} {self.base[0]}{version}"
            case _:
                core = f"{self.base} {version}"
        return f"{core} {variant}" if variant else core

    def other_spelling(self, version: str, variant: str | None) -> str:
        """How people write the name otherwise: spaced instead of dashed, or run together."""
        match self.style:
            case "dash":
                core = f"{self.base} {version}"
            case "letter":
                core = f"{self.base}-{self.base[0]}{version}"
            case _:
                core = f"{self.base}{version}"
        return f"{core} {variant}" if variant else core


@dataclass(frozen=True)
class Model:
    """One topic: a model of a family, with every name a question may use for it."""

    id: str
    name: str
    aliases: tuple[str, ...]
    family: Family
    version: str
    variant: str | None
    cjk: str | None
    predecessor: str | None

    @property
    def latin_names(self) -> tuple[str, ...]:
        """The names a question typed in Latin letters can use."""
        return tuple(name for name in (self.name, *self.aliases) if name.isascii())


@dataclass(frozen=True)
class FactSpec:
    """One generated fact, with what the query builder needs to paraphrase it."""

    id: str
    model: Model
    attribute: Attribute
    benchmark: str | None
    qualifier: str
    question: str
    also: tuple[str, ...]
    keywords: tuple[str, ...]
    answer: str

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The curated question and its alternates."""
        return (self.question, *self.also)


@dataclass
class Catalogue:
    """All generated models and facts, before they are written out as files."""

    seed: int
    size: int
    families: list[Family] = field(default_factory=list)
    models: list[Model] = field(default_factory=list)
    facts: list[FactSpec] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)
    spare_words: list[str] = field(default_factory=list)


def reserved_words() -> set[str]:
    """Real words the templates use, which invented jargon must never collide with."""
    texts = [
        *(t for a in (*ATTRIBUTES, SCORE) for t in (*a.questions, *a.chats, *a.unseen)),
        *(a.answer for a in (*ATTRIBUTES, SCORE)),
        *(k for a in (*ATTRIBUTES, SCORE) for k in (*a.keywords, *a.qualifiers, a.section)),
        *(t for wordings in UNCURATED for t in wordings),
        *UNRELATED_TEMPLATES,
        *UNRELATED_SLOTS.values(),
        *CHAT_OPENERS,
        *CHAT_CLOSERS,
        *VARIANTS,
        MONTHS,
    ]
    return english_words(texts)


def generate(seed: int, size: int) -> Catalogue:
    """The knowledge for a seed and a number of facts (a multiple of ten)."""
    if size <= 0 or size % FACTS_PER_TOPIC:
        raise ValueError(f"size must be a positive multiple of {FACTS_PER_TOPIC}, not {size}")
    return _Generator(random.Random(f"footnote-bench:{seed}:{size}"), seed, size).run()


class _Generator:
    """The state of one generation run: the random stream and the words handed out so far."""

    def __init__(self, rng: random.Random, seed: int, size: int) -> None:
        """Invents the word stock once and deals it out to names, labs, benchmarks and plans."""
        self.rng = rng
        self.catalogue = Catalogue(seed, size)
        topics = size // FACTS_PER_TOPIC
        bases = max(2_500, topics // 2 + 100)
        words = invent_words(rng, bases + sum(ROLE_SIZES.values()) + SPARE_WORDS, reserved_words())
        self.roles: dict[str, list[str]] = {}
        for role, count in (*ROLE_SIZES.items(), ("spare", SPARE_WORDS), ("base", bases)):
            self.roles[role], words = words[:count], words[count:]
        self.developers = [
            f"{word.title()} {rng.choice(['Labs', 'AI', 'Research', 'Systems'])}"
            for word in self.roles["developer"]
        ]
        self.benchmarks = [self._benchmark_name(word) for word in self.roles["benchmark"]]
        self.cjk_taken: set[str] = set()

    def _benchmark_name(self, word: str) -> str:
        """A benchmark name in one of the styles real ones use: TerminalBench, Foo-Eval, Foo QA."""
        style = self.rng.choice(["{}Bench", "{}-Eval", "{} QA", "{}-Hard", "{} Arena"])
        return style.format(word.title())

    def run(self) -> Catalogue:
        """Families until there are enough models, then ten facts for each model."""
        catalogue = self.catalogue
        topics = catalogue.size // FACTS_PER_TOPIC
        for base in self.roles["base"]:
            family = self._family(base.title())
            catalogue.families.append(family)
            catalogue.models.extend(self._members(family))
            if len(catalogue.models) >= topics:
                break
        else:  # pragma: no cover - the base word pool is sized for the topic count
            raise RuntimeError("ran out of family names")
        del catalogue.models[topics:]
        for model in catalogue.models:
            catalogue.facts.extend(self._facts(model))
        catalogue.publishers = [f"{word.title()} Review" for word in self.roles["publisher"]]
        catalogue.spare_words = [word.title() for word in self.roles["spare"]]
        return catalogue

    def _family(self, base: str) -> Family:
        """A family in one naming style, with the attributes and benchmarks its models share."""
        rng = self.rng
        style = rng.choices(["dash", "space", "letter"], weights=[45, 35, 20])[0]
        if style == "dash":
            pool = [str(n) for n in range(1, 13)]
        else:
            pool = ["1", "1.5", "2", "2.5", "3", "3.5", "4", "4.1", "4.5", "5", "6"]
        versions = sorted(rng.sample(pool, rng.randint(2, 4)), key=float)
        return Family(
            base=base,
            style=style,
            developer=rng.choice(self.developers),
            cjk=invent_cjk(rng, self.cjk_taken) if rng.random() < CJK_FAMILY_SHARE else None,
            attributes=tuple(rng.sample(ATTRIBUTES, FAMILY_ATTRIBUTES)),
            benchmarks=tuple(rng.sample(self.benchmarks, FAMILY_BENCHMARKS)),
            versions=tuple(versions),
            variants=tuple(rng.sample(list(VARIANTS), 3)),
        )

    def _members(self, family: Family) -> Iterator[Model]:
        """Each version, some with variants; the newest also answers to the bare family name."""
        rng = self.rng
        previous: str | None = None
        for position, version in enumerate(family.versions):
            flagship = position == len(family.versions) - 1
            variants = [v for v in family.variants if rng.random() < 0.35]
            for variant in (None, *variants):
                name = family.name(version, variant)
                cjk = None
                if family.cjk:
                    cjk = f"{family.cjk}{version}{VARIANTS[variant] if variant else ''}"
                aliases = [family.other_spelling(version, variant)]
                if cjk:
                    aliases.append(cjk)
                if flagship and variant is None:
                    aliases.extend(n for n in (family.base, family.cjk) if n)
                yield Model(
                    slug(name), name, tuple(aliases), family, version, variant, cjk, previous
                )
            previous = family.name(version, None)

    def _facts(self, model: Model) -> Iterator[FactSpec]:
        """Ten facts of a model: five to eight attributes, the rest benchmark scores."""
        rng = self.rng
        family = model.family
        attributes = rng.randint(MIN_ATTRIBUTES, 8)
        for attribute in rng.sample(family.attributes, attributes):
            yield self._fact(model, attribute, None)
        for benchmark in rng.sample(family.benchmarks, FACTS_PER_TOPIC - attributes):
            yield self._fact(model, SCORE, benchmark)

    def _fact(self, model: Model, attribute: Attribute, benchmark: str | None) -> FactSpec:
        """One fact: a formal question, three or more chat phrasings, keywords and an answer."""
        rng = self.rng
        qualifier = ""
        if attribute.qualifiers and rng.random() < QUALIFIER_SHARE:
            word = rng.choice(self.roles["qualifier"]).title()
            qualifier = " " + rng.choice(attribute.qualifiers).format(w=word)
        bench = benchmark or ""
        question = render(rng.choice(attribute.questions), model.name, bench, qualifier)
        also = [
            self._chat(template, model, bench, qualifier)
            for template in rng.sample(attribute.chats, 3)
        ]
        if model.cjk and rng.random() < 0.5:
            also.append(chinese_question(attribute, model.cjk, bench))
        keywords = tuple(rng.sample(attribute.keywords, rng.randint(0, 2)))
        fact_id = f"{model.id}-{attribute.slug}" + (f"-{slug(bench)}" if bench else "")
        answer = attribute.answer.format(
            e=model.name, b=bench, q=qualifier, v=self._value(model, attribute)
        )
        return FactSpec(
            fact_id, model, attribute, benchmark, qualifier, question, tuple(also), keywords, answer
        )

    def _chat(self, template: str, model: Model, bench: str, qualifier: str) -> str:
        """A phrasing as people type it: any of the model's names, often lower-case."""
        rng = self.rng
        text = render(template, rng.choice(model.latin_names), bench, "")
        if qualifier and rng.random() < 0.5:
            text += qualifier
        if rng.random() < FILLER_SHARE:
            text = f"{rng.choice(CHAT_OPENERS)} {text}"
        return text.lower() if rng.random() < 0.6 else text

    def _value(self, model: Model, attribute: Attribute) -> str:
        """The figure a fact states; a lab or a predecessor come from the model's family."""
        if attribute.value is not None:
            return attribute.value(self.rng)
        if attribute.slug == "developer":
            return f"{model.family.developer}, a lab based in {self.rng.choice(self.roles['city'])}"
        return model.predecessor or "an internal prototype"


def render(template: str, entity: str, benchmark: str, qualifier: str) -> str:
    """A template with its names filled in and the qualifier before the closing question mark."""
    text = template.format(e=entity, b=benchmark)
    if text.endswith("?"):
        return f"{text[:-1]}{qualifier}?"
    return text + qualifier


def chinese_question(attribute: Attribute, entity: str, benchmark: str) -> str:
    """The attribute asked in Chinese: "<model>的<attribute>是多少?"."""
    return f"{entity}的{attribute.chinese.format(b=benchmark)}{attribute.chinese_ask}?"


def write_knowledge(
    catalogue: Catalogue, directory: Path, facts_per_file: int = FACTS_PER_FILE
) -> list[Path]:
    """The catalogue as knowledge files of about `facts_per_file` facts each, one source per
    file."""
    rng = random.Random(f"footnote-bench-files:{catalogue.seed}:{catalogue.size}")
    models = list(catalogue.models)
    rng.shuffle(models)
    per_file = max(facts_per_file // FACTS_PER_TOPIC, 1)
    files = [models[start : start + per_file] for start in range(0, len(models), per_file)]
    file_of = {model.id: number for number, group in enumerate(files) for model in group}
    facts: list[list[FactSpec]] = [[] for _ in files]
    for fact in catalogue.facts:
        number = file_of[fact.model.id]
        if len(files) > 1 and rng.random() < MOVED_FACT_SHARE:
            number = rng.choice([n for n in (number - 1, number + 1) if 0 <= n < len(files)])
        facts[number].append(fact)
    publishers = catalogue.publishers
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, group in enumerate(files):
        publisher = publishers[number % len(publishers)]
        document = {
            "source": _source(rng, number, publisher),
            "topics": [_topic(rng, model) for model in group],
            "facts": [_fact_record(fact) for fact in facts[number]],
        }
        path = directory / f"{number:04d}-{slug(publisher)}.yaml"
        text = yaml.dump(
            document, Dumper=_YamlDumper, allow_unicode=True, sort_keys=False, width=1_000
        )
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _source(rng: random.Random, number: int, publisher: str) -> dict[str, Any]:
    """The source record of one file: an issue of a publisher's survey."""
    published = date(rng.randint(2024, 2026), rng.randint(1, 12), rng.randint(1, 28))
    return {
        "id": f"{slug(publisher)}-survey-{number:04d}",
        "title": f"{publisher} model survey no. {number + 1}",
        "publisher": publisher,
        "published": published,
        "url": f"https://{slug(publisher)}.example.org/{number + 1}"
        if rng.random() < 0.5
        else None,
    }


def _topic(rng: random.Random, model: Model) -> dict[str, Any]:
    """The topic record of a model, with a summary and a card."""
    month, year = rng.choice(MONTHS.split()), rng.randint(2023, 2026)
    kind = rng.choice(["chat", "coding", "reasoning", "multimodal", "small"])
    return {
        "id": model.id,
        "name": model.name,
        "aliases": list(model.aliases),
        "summary": f"{model.name} is a {kind} model by {model.family.developer}, "
        f"released in {month} {year}.",
        "card": {
            "Developer": model.family.developer,
            "Family": model.family.base,
            "Released": f"{month} {year}",
        },
    }


def _fact_record(fact: FactSpec) -> dict[str, Any]:
    """The fact record as a curator writes it, leaving out empty keywords."""
    record: dict[str, Any] = {
        "id": fact.id,
        "topic": fact.model.id,
        "question": fact.question,
        "also": list(fact.also),
    }
    if fact.keywords:
        record["keywords"] = list(fact.keywords)
    record["answer"] = fact.answer
    record["section"] = fact.attribute.section
    return record
