"""Discord's error bodies and the limits it enforces, so the bot meets them here first."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

Json = dict[str, Any]

MESSAGES = {
    0: "General error",
    10002: "Unknown Application",
    10003: "Unknown Channel",
    10004: "Unknown Guild",
    10007: "Unknown Member",
    10008: "Unknown Message",
    10013: "Unknown User",
    10015: "Unknown Webhook",
    10062: "Unknown interaction",
    40060: "Interaction has already been acknowledged.",
    50001: "Missing Access",
    50005: "Cannot edit a message authored by another user",
    50006: "Cannot send an empty message",
    50013: "Missing Permissions",
    50035: "Invalid Form Body",
}

DEFAULT_CODES = {400: 50035, 403: 50013, 404: 0}

_CHAT_INPUT_NAME = re.compile(r"^[-_'\w]{1,32}$")

_EMBED_LIMITS = (("title", 256), ("description", 4096))


def error_body(code: int, message: str | None = None, errors: Json | None = None) -> Json:
    """Discord's JSON error: a numeric code, its message, and per-field errors for 50035."""
    body: Json = {"message": message or MESSAGES.get(code, "General error"), "code": code}
    if errors is not None:
        body["errors"] = errors
    return body


def status_error_body(status: int, code: int | None, message: str | None) -> Json:
    """The body Discord sends with an error status when no specific code was chosen."""
    code = DEFAULT_CODES.get(status, 0) if code is None else code
    if code == 0 and message is None:
        message = {401: "401: Unauthorized", 404: "404: Not Found"}.get(
            status, f"{status}: Internal Server Error"
        )
    return error_body(code, message, {} if code == 50035 else None)


def _field_error(code: str, message: str) -> Json:
    """One field's error list, as nested inside a 50035 body."""
    return {"_errors": [{"code": code, "message": message}]}


def form_error(field: str, code: str, message: str) -> Json:
    """A 50035 Invalid Form Body naming the one field that is wrong."""
    return error_body(50035, errors={field: _field_error(code, message)})


def _too_long(limit: int) -> Json:
    """The error for a string or list over its limit."""
    return _field_error("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _embed_errors(embed: Json) -> Json:
    """One embed's length errors."""
    errors: Json = {}
    for key, limit in _EMBED_LIMITS:
        if len(embed.get(key) or "") > limit:
            errors[key] = _too_long(limit)
    fields = embed.get("fields") or []
    if len(fields) > 25:
        errors["fields"] = _too_long(25)
    for index, item in enumerate(fields):
        for key, limit in (("name", 256), ("value", 1024)):
            if len(item.get(key) or "") > limit:
                errors.setdefault("fields", {}).setdefault(str(index), {})[key] = _too_long(limit)
    if len((embed.get("footer") or {}).get("text") or "") > 2048:
        errors["footer"] = {"text": _too_long(2048)}
    if len((embed.get("author") or {}).get("name") or "") > 256:
        errors["author"] = {"name": _too_long(256)}
    return errors


def _embed_total(embed: Json) -> int:
    """Characters counted against the 6000-per-message embed budget."""
    parts = [embed.get("title"), embed.get("description")]
    parts += [(embed.get("footer") or {}).get("text"), (embed.get("author") or {}).get("name")]
    for item in embed.get("fields") or []:
        parts += [item.get("name"), item.get("value")]
    return sum(len(part or "") for part in parts)


def message_errors(body: Json, *, file_count: int, creating: bool) -> Json | None:
    """Why Discord would reject this message body, or None if it would accept it."""
    errors: Json = {}
    content = body.get("content")
    if content is not None and len(content) > 2000:
        errors["content"] = _too_long(2000)
    embeds: list[Json] = body.get("embeds") or []
    if len(embeds) > 10:
        errors["embeds"] = _too_long(10)
    for index, embed in enumerate(embeds):
        embed_errors = _embed_errors(embed)
        if embed_errors:
            errors.setdefault("embeds", {})[str(index)] = embed_errors
    if sum(_embed_total(embed) for embed in embeds) > 6000:
        errors.setdefault("embeds", {}).update(
            _field_error("MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
        )
    if errors:
        return error_body(50035, errors=errors)
    keys = ("embeds", "components", "sticker_ids", "poll")
    if creating and not content and not file_count and not any(body.get(k) for k in keys):
        return error_body(50006)
    return None


def choices_errors(choices: Sequence[Json]) -> Json | None:
    """Why Discord would reject autocomplete choices: at most 25, names and values 1-100 chars."""
    errors: Json = {}
    if len(choices) > 25:
        errors["choices"] = _too_long(25)
    for index, choice in enumerate(choices):
        for key in ("name", "value"):
            value = choice.get(key)
            if isinstance(value, str) and not 1 <= len(value) <= 100:
                errors.setdefault("choices", {}).setdefault(str(index), {})[key] = _field_error(
                    "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
                )
    return error_body(50035, errors={"data": errors}) if errors else None


LOCALES = frozenset(
    """id da de en-GB en-US es-ES es-419 fr hr it lt hu nl no pl pt-BR ro fi sv-SE vi tr cs el
    bg ru uk hi th zh-CN ja zh-TW ko""".split()
)
"""The locales Discord takes in `name_localizations` and `description_localizations`."""


def _name_problem(name: object, *, chat_input: bool) -> Json | None:
    """Why Discord would refuse a command or option name, in any language."""
    if not isinstance(name, str):
        return _field_error("BASE_TYPE_REQUIRED", "This field is required")
    if chat_input and (not _CHAT_INPUT_NAME.match(name) or name != name.lower()):
        return _field_error("APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    if not 1 <= len(name) <= 32:
        return _field_error("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
    return None


def _description_problem(description: object) -> Json | None:
    if not isinstance(description, str) or not 1 <= len(description) <= 100:
        return _field_error("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    return None


def _localisation_errors(spec: Json, *, chat_input: bool) -> Json:
    """Localised names and descriptions: known locales only, each held to the same rules."""
    errors: Json = {}
    checks: list[tuple[str, Callable[[object], Json | None]]] = [
        ("name", lambda text: _name_problem(text, chat_input=chat_input))
    ]
    if chat_input:
        checks.append(("description", _description_problem))
    for field, problem_of in checks:
        for locale, text in (spec.get(f"{field}_localizations") or {}).items():
            where = errors.setdefault(f"{field}_localizations", {})
            if locale not in LOCALES:
                where[locale] = _field_error("LOCALE_INVALID", "Invalid Locale")
            elif (problem := problem_of(text)) is not None:
                where[locale] = problem
        if not errors.get(f"{field}_localizations"):
            errors.pop(f"{field}_localizations", None)
    return errors


def _name_errors(spec: Json, *, chat_input: bool) -> Json:
    """Name and description rules for a command or option, in every language it is in."""
    errors: Json = _localisation_errors(spec, chat_input=chat_input)
    if (problem := _name_problem(spec.get("name", ""), chat_input=chat_input)) is not None:
        errors["name"] = problem
    if chat_input and (problem := _description_problem(spec.get("description", ""))) is not None:
        errors["description"] = problem
    return errors


def _names_clash(options: Sequence[Json]) -> bool:
    """Whether two options would share a name in some language."""
    locales = {locale for option in options for locale in option.get("name_localizations") or {}}
    for locale in (None, *locales):
        names = [
            (option.get("name_localizations") or {}).get(locale, option.get("name"))
            if locale
            else option.get("name")
            for option in options
        ]
        if len(names) != len(set(names)):
            return True
    return False


def _options_errors(options: Sequence[Json]) -> Json:
    """Option-tree errors: at most 25 per level, valid names, at most 25 choices."""
    errors: Json = {}
    if len(options) > 25:
        return _too_long(25)
    if _names_clash(options):
        return _field_error(
            "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique"
        )
    for index, option in enumerate(options):
        option_errors = _name_errors(option, chat_input=True)
        if len(option.get("choices") or []) > 25:
            option_errors["choices"] = _too_long(25)
        nested = _options_errors(option.get("options") or [])
        if nested:
            option_errors["options"] = nested
        if option_errors:
            errors[str(index)] = option_errors
    return errors


def commands_errors(commands: Sequence[Json]) -> Json | None:
    """Why Discord would reject a bulk command overwrite, or None if it would accept it."""
    errors: Json = {}
    seen: set[tuple[str, int]] = set()
    for index, command in enumerate(commands):
        chat_input = command.get("type", 1) == 1
        command_errors = _name_errors(command, chat_input=chat_input)
        key = (command.get("name", ""), command.get("type", 1))
        if key in seen:
            command_errors["name"] = _field_error(
                "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique"
            )
        seen.add(key)
        options = _options_errors(command.get("options") or [])
        if options:
            command_errors["options"] = options
        if command_errors:
            errors[str(index)] = command_errors
    return error_body(50035, errors=errors) if errors else None
