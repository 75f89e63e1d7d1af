"""How answers look on a terminal and in JSON, kept apart from how they are found."""

from __future__ import annotations

import json
from typing import Any

from bot.engine import Answer, AnswerKind
from bot.knowledge import Source

_JSON = json.JSONEncoder(ensure_ascii=False)
"""One encoder for every line: json.dumps with options builds a new one per call."""


def source_json(source: Source | None, section: str | None) -> dict[str, Any] | None:
    """The citation as a JSON object, or null when there is nothing to cite."""
    if source is None:
        return None
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "published": source.published.isoformat(),
        "section": section,
        "url": source.url,
    }


def answer_json(answer: Answer) -> dict[str, Any]:
    """The documented JSON object for one answer."""
    fact = answer.fact
    topic = answer.topic
    return {
        "question": answer.question,
        "answered": answer.answered,
        "kind": answer.kind.value,
        "fact_id": fact.id if fact else None,
        "topic": topic.id if topic else None,
        "answer": answer.text if answer.answered else None,
        "confidence": round(answer.confidence, 3),
        "source": source_json(answer.source, fact.section if fact else None),
        "suggestions": [{"fact_id": s.id, "question": s.question} for s in answer.suggestions],
        "matched": list(answer.matched),
    }


def answer_line(answer: Answer) -> str:
    """One JSON Lines record."""
    return _JSON.encode(answer_json(answer))


def answer_text(answer: Answer, *, explain: bool = False) -> str:
    """The answer as a person reads it: the text, then where it comes from."""
    lines: list[str] = []
    if answer.answered and answer.source is not None:
        section = answer.fact.section if answer.fact else None
        lines += [answer.text, "", f"— {answer.source.citation(section)}"]
    else:
        lines.append("I don't know that one: nothing in the knowledge answers it.")
        if answer.suggestions:
            lines += ["", "Did you mean:"]
            lines += [f"  {n}. {fact.question}" for n, fact in enumerate(answer.suggestions, 1)]
    if explain:
        lines += ["", explanation(answer)]
    return "\n".join(lines)


def explanation(answer: Answer) -> str:
    """Why the matcher decided as it did, for curators tuning their phrasings."""
    matched = ", ".join(answer.matched) or "nothing"
    lines = [f"kind: {answer.kind.value}  confidence: {answer.confidence:.2f}  matched: {matched}"]
    lines += [
        f"  {item.score:.3f}  {item.fact.id}  ({', '.join(item.matched) or '-'})"
        for item in answer.candidates
    ]
    if answer.kind is AnswerKind.SUMMARY and answer.topic is not None:
        lines.append(f"  topic: {answer.topic.id}")
    return "\n".join(lines)
