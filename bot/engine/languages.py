"""Which language an answer is given in, and the answer's texts in that language."""

from __future__ import annotations

import dataclasses
import re

from bot.engine.answers import Answer
from bot.engine.margins import margin_of
from bot.knowledge.format import LANGUAGE_PATTERN
from bot.knowledge.model import Fact, Topic

CHINESE = "zh"
ENGLISH = "en"
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
"""Chinese characters: one in a question ("kimi 多少钱") says it was asked in Chinese."""
_LATIN = re.compile("[A-Za-z]")
"""Latin letters without Chinese characters: taken as English, the only such language the
knowledge is written in; other languages' readers then get the original, as before."""
_LANGUAGE = re.compile(LANGUAGE_PATTERN)
UNTRANSLATED_NOTES = {CHINESE: "（暂无中文译文，以下为原文。）"}
"""The note, in the reader's language, that a text is given as written, untranslated."""
UNTRANSLATED_NOTE = "(Not translated into '{language}' yet; this is the original.)"
"""The note for a language with none of its own in UNTRANSLATED_NOTES."""


def question_language(question: str) -> str | None:
    """The language a question is asked in, as far as its script tells; None if it does not
    (only figures or emoji), so the place it was asked in decides."""
    if _HAN.search(question):
        return CHINESE
    return ENGLISH if _LATIN.search(question) else None


def locale_language(locale: object) -> str | None:
    """A Discord locale (`zh-CN`, `en-US`) as the language translations are filed under."""
    code = str(locale or "").split("-")[0].lower()
    return code if _LANGUAGE.fullmatch(code) else None


def reply_language(question: str, *locales: object) -> str | None:
    """A public reply's language: the question's, else the first locale's that names one
    (the server's); None leaves the source's own."""
    found = question_language(question)
    for locale in locales:
        found = found or locale_language(locale)
    return found


def in_language(answer: Answer, language: str | None) -> Answer:
    """The answer with its fact's, topic's and compared answers' texts in `language`, each
    record not translated into it given as written after a short note saying so; None, or the
    source's own language, gives the answer as written. Ids and keys never change."""
    own = answer.source.language if answer.source is not None else None
    wanted = language or own
    if wanted is None:
        return answer
    fact = _fact(answer.fact, wanted, own) if answer.fact is not None else None
    topic = _topic(answer.topic, wanted, own, shown=fact is None) if answer.topic else None
    compared = tuple(in_language(item, wanted) for item in answer.compared)
    return dataclasses.replace(
        answer,
        fact=fact,
        topic=topic,
        suggestions=tuple(_question(item, wanted) for item in answer.suggestions),
        compared=compared,
        language=wanted,
        margin=margin_of(compared) if answer.margin is not None else None,  # in its words
    )


def speaks(answer: Answer, language: str) -> bool:
    """Whether an answer can be given in a language: every record it shows is written or
    translated in it, so no part of it falls back to the original with a note."""
    items = answer.compared or (answer,)
    for item in items:
        own = item.source.language if item.source is not None else None
        record = item.fact or item.topic
        if language != own and (record is None or record.translation(language) is None):
            return False
    return True


def untranslated_note(language: str) -> str:
    """The short note that a text is shown as written, in the reader's language if known."""
    return UNTRANSLATED_NOTES.get(language) or UNTRANSLATED_NOTE.format(language=language)


def _fact(fact: Fact, language: str, own: str | None) -> Fact:
    """A fact's answer and question in a language, or its answer as written after the note."""
    if language == own:
        return fact
    translated = fact.translation(language)
    if translated is None:
        return dataclasses.replace(fact, answer=f"{untranslated_note(language)}\n{fact.answer}")
    return dataclasses.replace(
        fact, answer=translated.answer, question=translated.question or fact.question
    )


def _topic(topic: Topic, language: str, own: str | None, *, shown: bool) -> Topic:
    """A topic's name, summary and card in a language; its summary, if `shown` (a fact answers
    otherwise), as written after the note when untranslated."""
    if language == own:
        return topic
    translated = topic.translation(language)
    if translated is None:
        if not shown:
            return topic
        return dataclasses.replace(topic, summary=f"{untranslated_note(language)}\n{topic.summary}")
    rows = dict(translated.card)
    return dataclasses.replace(
        topic,
        name=name_in(topic, language),
        summary=translated.summary,
        card=tuple((name, rows.get(name, value)) for name, value in topic.card),
    )


def name_in(topic: Topic, language: str | None) -> str:
    """A topic's name as a reader of a language reads it, where a curator translated it."""
    translated = topic.translation(language) if language else None
    return (translated.name if translated else None) or topic.name


def _question(fact: Fact, language: str) -> Fact:
    """A suggested fact with its question in a language, where translated, for its button."""
    translated = fact.translation(language)
    if translated is None or translated.question is None:
        return fact
    return dataclasses.replace(fact, question=translated.question)
