"""Every text a person reads on Discord, per language, from the catalogues in `locales/`.

English (`en.yaml`) is the reference: every other catalogue has exactly its keys, with the same
placeholders, so a reply can never fall back half-way or fail to fill in. Command names and
descriptions reach Discord through `CatalogueTranslator`, as discord.py's translator; replies,
buttons and embeds take a `Words`, one catalogue bound to the reader's language.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

import discord
import yaml
from discord import app_commands

from bot.engine.languages import locale_language

DEFAULT_LANGUAGE = "en"
"""The catalogue command names are declared in, and every reader without their own gets."""
CATALOGUE_FOLDER = "locales"


class CatalogueError(Exception):
    """A catalogue that would give a reader a missing or broken text; found by the tests."""


def _flattened(tree: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Nested sections as dotted keys: `commands.ask.name`."""
    for name, value in tree.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            yield from _flattened(value, f"{key}.")
        else:
            yield key, value


def placeholders(text: str) -> frozenset[str]:
    """The names a text fills in: `{seconds:.0f}` is `seconds`."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def parse_catalogue(name: str, text: str) -> dict[str, str]:
    """One catalogue file's texts by dotted key; CatalogueError names the file and the key."""
    try:
        tree = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CatalogueError(f"{name}: not valid YAML: {error}") from None
    if not isinstance(tree, Mapping):
        raise CatalogueError(f"{name}: expected sections of texts")
    texts = {}
    for key, value in _flattened(tree):
        if not isinstance(value, str) or not value:
            raise CatalogueError(f"{name}: {key}: expected a text, found {value!r}")
        texts[key] = value
    return texts


def catalogue_problems(catalogues: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Where a language's catalogue differs from the English one in keys or placeholders."""
    reference = catalogues[DEFAULT_LANGUAGE]
    problems = []
    for language, texts in catalogues.items():
        for key in sorted(reference.keys() - texts.keys()):
            problems.append(f"{language}.yaml: {key}: missing")
        for key in sorted(texts.keys() - reference.keys()):
            problems.append(f"{language}.yaml: {key}: not in {DEFAULT_LANGUAGE}.yaml")
        for key in sorted(reference.keys() & texts.keys()):
            want, have = placeholders(reference[key]), placeholders(texts[key])
            if want != have:
                problems.append(
                    f"{language}.yaml: {key}: fills in {sorted(have)}, English {sorted(want)}"
                )
    return problems


def load_catalogues() -> dict[str, dict[str, str]]:
    """Every bundled catalogue by language, checked against the English one."""
    folder = resources.files(__package__) / CATALOGUE_FOLDER
    catalogues = {
        entry.name.removesuffix(".yaml"): parse_catalogue(
            entry.name, entry.read_text(encoding="utf-8")
        )
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    }
    problems = catalogue_problems(catalogues)
    if problems:
        raise CatalogueError(f"{len(problems)} problems, first: {problems[0]}")
    return catalogues


CATALOGUES = load_catalogues()
LANGUAGES = frozenset(CATALOGUES)


class Words:
    """The catalogue of one language: `words("replies.posted", channel=...)`."""

    def __init__(self, language: str) -> None:
        self.language = language if language in CATALOGUES else DEFAULT_LANGUAGE
        self._texts = CATALOGUES[self.language]

    def __call__(self, key: str, **values: Any) -> str:
        """A text filled in; KeyError for a key no catalogue has, a bug the tests catch."""
        return self._texts[key].format(**values)

    def template(self, key: str) -> str:
        """A text as written, placeholders and all, for a host's wording to stand in for."""
        return self._texts[key]

    def __repr__(self) -> str:
        return f"Words({self.language!r})"


def words_in(language: str | None) -> Words:
    """The texts in a language (`zh`), or in English where there is no catalogue for it."""
    return Words(language or DEFAULT_LANGUAGE)


def words_for(locale: object) -> Words:
    """The texts for a Discord locale (`zh-CN`, `en-US`), or English."""
    return words_in(locale_language(locale))


ENGLISH = words_in(DEFAULT_LANGUAGE)


def localised(key: str) -> app_commands.locale_str:
    """A command's name or description: English as declared, other languages through the
    translator, all from the catalogues."""
    return app_commands.locale_str(ENGLISH(key), key=key)


class CatalogueTranslator(app_commands.Translator):
    """Gives Discord each command's names and descriptions in every language with a
    catalogue, so the synced commands carry their localisations."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        language = locale_language(locale)
        if key is None or language is None or language == DEFAULT_LANGUAGE:
            return None
        return CATALOGUES.get(language, {}).get(key)
