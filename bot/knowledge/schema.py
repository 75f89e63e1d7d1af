"""Renders the knowledge format as a JSON Schema, so editors can check files while curators type."""

from __future__ import annotations

from typing import Any

from bot.knowledge.format import DOCUMENT, LANGUAGE_PATTERN, SLUG_PATTERN, Field, Kind, Record


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one knowledge file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Footnote knowledge file",
        "description": "One source document with the topics and facts curated from it.",
        **_record(DOCUMENT),
    }


def _record(record: Record) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {spec.name: _field(spec) for spec in record.fields},
        "required": [spec.name for spec in record.fields if spec.required],
        "additionalProperties": False,
    }


def _text(max_length: int | None) -> dict[str, Any]:
    """Text that is not blank; numbers are accepted as text, as the loader does."""
    limits = {"maxLength": max_length} if max_length else {}
    return {"anyOf": [{"type": "string", "pattern": r"\S", **limits}, {"type": "number"}]}


def _field(spec: Field) -> dict[str, Any]:
    schema: dict[str, Any]
    match spec.kind:
        case Kind.SLUG:
            schema = {"type": "string", "pattern": SLUG_PATTERN, "maxLength": spec.max_length}
        case Kind.LANGUAGE:
            schema = {"type": "string", "pattern": LANGUAGE_PATTERN}
        case Kind.TEXT:
            schema = _text(spec.max_length)
        case Kind.DATE:
            schema = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
        case Kind.URL:
            schema = {"type": "string", "pattern": r"^https?://\S+$", "maxLength": spec.max_length}
        case Kind.TEXT_LIST:
            item = _text(spec.max_length)
            schema = {"anyOf": [{"type": "array", "items": item}, item]}
        case Kind.TEXT_MAP:
            schema = {"type": "object", "additionalProperties": _text(spec.max_length)}
        case Kind.TEXT_LIST_MAP:
            item = _text(spec.max_length)
            entries = {"anyOf": [{"type": "array", "items": item, "minItems": 1}, item]}
            headword = {"pattern": r"\S", "maxLength": spec.max_length}
            schema = {"type": "object", "propertyNames": headword, "additionalProperties": entries}
        case Kind.RECORD:
            assert spec.record is not None
            schema = _record(spec.record)
        case Kind.TRANSLATIONS:
            assert spec.record is not None
            languages = {"pattern": LANGUAGE_PATTERN}
            schema = {
                "type": "object",
                "propertyNames": languages,
                "additionalProperties": _record(spec.record),
            }
        case Kind.RECORD_LIST:
            assert spec.record is not None
            schema = {"type": "array", "items": _record(spec.record)}
            if spec.non_empty:
                schema["minItems"] = 1
    if not spec.required:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return {"description": spec.description, **schema}
