"""The knowledge file format in one table, so the loader and the JSON Schema cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cached_property

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"
"""A language as ISO 639 codes name it (en, zh): what Discord's locales (zh-CN, en-US) and a
question's script are reduced to, so one translation serves every region of a language."""
DEFAULT_LANGUAGE = "en"
"""The language of a source that does not say: every file written before translations was."""


class Kind(Enum):
    """What a field holds; each kind has one validation rule and one JSON Schema rendering."""

    SLUG = "slug"
    LANGUAGE = "language code"
    TEXT = "text"
    DATE = "date"
    URL = "url"
    TEXT_LIST = "text list"
    TEXT_MAP = "text map"
    TEXT_LIST_MAP = "map of text lists"
    RECORD = "mapping"
    RECORD_LIST = "list of mappings"
    TRANSLATIONS = "mapping of languages to mappings"


@dataclass(frozen=True)
class Field:
    """One key of a knowledge file, with the limits a curator must respect."""

    name: str
    kind: Kind
    required: bool = False
    max_length: int | None = None
    description: str = ""
    record: Record | None = None
    non_empty: bool = False


@dataclass(frozen=True)
class Record:
    """A mapping with a fixed set of keys, such as a fact or a topic."""

    name: str
    fields: tuple[Field, ...]

    def field(self, key: str) -> Field | None:
        """The field spec for a key, if the key belongs to this record."""
        return self.fields_by_name.get(key)

    @cached_property
    def fields_by_name(self) -> dict[str, Field]:
        """Asked for every key of every fact: a scan of the fields was a tenth of loading."""
        return {spec.name: spec for spec in self.fields}

    @cached_property
    def field_names(self) -> tuple[str, ...]:
        """The valid keys, in documented order."""
        return tuple(spec.name for spec in self.fields)

    @cached_property
    def required_fields(self) -> tuple[Field, ...]:
        """The fields a record cannot do without."""
        return tuple(spec for spec in self.fields if spec.required)

    @cached_property
    def checked_fields(self) -> tuple[Field, ...]:
        """The fields whose absence or emptiness is a problem, checked on every record."""
        return tuple(spec for spec in self.fields if spec.required or spec.non_empty)


MAX_NAME = 100
MAX_PHRASE = 300
MAX_SUMMARY = 1_000
MAX_ANSWER = 1_500

SOURCE = Record(
    "source",
    (
        Field("id", Kind.SLUG, True, 64, "Unique slug of the source, e.g. llm-landscape-mid-2026."),
        Field("title", Kind.TEXT, True, MAX_PHRASE, "Title of the source document."),
        Field("publisher", Kind.TEXT, True, MAX_NAME * 2, "Who published it."),
        Field("author", Kind.TEXT, False, MAX_NAME * 2, "Who wrote it, if known."),
        Field("published", Kind.DATE, True, None, "Publication date, YYYY-MM-DD."),
        Field("url", Kind.URL, False, 2_000, "Link to the document; leave empty if none is known."),
        Field("note", Kind.TEXT, False, MAX_SUMMARY, "Provenance, e.g. the report it is based on."),
        Field(
            "language",
            Kind.LANGUAGE,
            False,
            None,
            f"Language of the source's own texts, a code such as en or zh; {DEFAULT_LANGUAGE} if"
            " not given.",
        ),
    ),
)

TOPIC_TRANSLATION = Record(
    "topic translation",
    (
        Field("name", Kind.TEXT, False, MAX_NAME, "Display name in this language."),
        Field("summary", Kind.TEXT, True, MAX_SUMMARY, "The summary in this language."),
        Field(
            "card",
            Kind.TEXT_MAP,
            False,
            MAX_PHRASE,
            "Card rows in this language, keyed by the original card's row names.",
        ),
    ),
)

FACT_TRANSLATION = Record(
    "fact translation",
    (
        Field("question", Kind.TEXT, False, MAX_PHRASE, "The question in this language."),
        Field("also", Kind.TEXT_LIST, False, MAX_PHRASE, "Other phrasings in this language."),
        Field("answer", Kind.TEXT, True, MAX_ANSWER, "The answer in this language."),
    ),
)

TOPIC = Record(
    "topic",
    (
        Field("id", Kind.SLUG, True, 64, "Unique slug of the topic."),
        Field("name", Kind.TEXT, True, MAX_NAME, "Display name."),
        Field("aliases", Kind.TEXT_LIST, False, MAX_NAME, "Other names, in any language."),
        Field("summary", Kind.TEXT, True, MAX_SUMMARY, "What to say when asked about the topic."),
        Field("card", Kind.TEXT_MAP, False, MAX_PHRASE, "Short key facts for side-by-side views."),
        Field(
            "not_stated",
            Kind.TEXT_LIST,
            False,
            MAX_NAME,
            "What people ask about the topic that the source does not say, in any language:"
            " [valuation, release date, 估值]. Asked, the bot says so instead of guessing.",
        ),
        Field(
            "translations",
            Kind.TRANSLATIONS,
            record=TOPIC_TRANSLATION,
            description="The topic in other languages, by language code: zh: {summary: ...}.",
        ),
    ),
)

FACT = Record(
    "fact",
    (
        Field("id", Kind.SLUG, True, 64, "Unique slug of the fact."),
        Field("topic", Kind.SLUG, False, 64, "Id of the topic the fact is about."),
        Field("question", Kind.TEXT, True, MAX_PHRASE, "The question this fact answers."),
        Field("also", Kind.TEXT_LIST, False, MAX_PHRASE, "Other ways people ask it."),
        Field("keywords", Kind.TEXT_LIST, False, MAX_NAME, "Extra search terms."),
        Field("answer", Kind.TEXT, True, MAX_ANSWER, "The short answer, in the curator's words."),
        Field("section", Kind.TEXT, False, MAX_PHRASE, "Where in the source the fact stands."),
        Field(
            "translations",
            Kind.TRANSLATIONS,
            record=FACT_TRANSLATION,
            description="The fact in other languages, by language code: zh: {answer: ...}.",
        ),
    ),
)

DOCUMENT = Record(
    "knowledge file",
    (
        Field("source", Kind.RECORD, True, record=SOURCE, description="The source document."),
        Field(
            "glossary",
            Kind.TEXT_LIST_MAP,
            False,
            MAX_NAME,
            "Words and phrases that mean the same in every file's facts, by headword, in any"
            " language: cost: [price, fee, 价格].",
        ),
        Field("topics", Kind.RECORD_LIST, False, record=TOPIC, description="Named subjects."),
        Field(
            "facts",
            Kind.RECORD_LIST,
            True,
            record=FACT,
            non_empty=True,
            description="Answerable facts.",
        ),
    ),
)
