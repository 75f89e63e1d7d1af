"""How answers look on a terminal and in JSON, kept apart from how they are found."""

from __future__ import annotations

import json
from typing import Any

from bot.engine import Answer, AnswerKind, Margin
from bot.knowledge import Fact, Source

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
    """The documented JSON object for one answer; a "probably" fills in its closest match."""
    fact = answer.fact
    topic = answer.topic
    return {
        "question": answer.question,
        "answered": answer.answered,
        "kind": answer.kind.value,
        "fact_id": fact.id if fact else None,
        "topic": topic.id if topic else None,
        "answer": answer.text if answer.kind is not AnswerKind.NONE else None,
        "confidence": round(answer.confidence, 3),
        "source": source_json(answer.source, fact.section if fact else None),
        "suggestions": [{"fact_id": s.id, "question": s.question} for s in answer.suggestions],
        "matched": list(answer.matched),
        "read_as": answer.read_as or None,
        "facts": [
            {
                "fact_id": item.fact.id if item.fact else None,
                "topic": item.topic.id if item.topic else None,
                "answer": item.text,
                "confidence": round(item.confidence, 3),
                "source": source_json(item.source, item.fact.section if item.fact else None),
            }
            for item in answer.compared
        ],
        "lacking": list(answer.lacking),
        "margin": (
            {
                "more": answer.margin.more.id,
                "less": answer.margin.less.id,
                "difference": answer.margin.difference,
                "unit": answer.margin.unit,
                "times": answer.margin.times or None,
            }
            if answer.margin
            else None
        ),
        "not_stated": (
            {"topic": answer.not_stated.topic.id, "what": answer.not_stated.text}
            if answer.not_stated
            else None
        ),
        "lang": answer.language or (answer.source.language if answer.source else None),
    }


def answer_line(answer: Answer) -> str:
    """One JSON Lines record."""
    return _JSON.encode(answer_json(answer))


def answer_text(answer: Answer, *, explain: bool = False) -> str:
    """The answer as a person reads it: the text, then where it comes from; a "probably" also
    shows which question it answers, so the reader can judge whether that was theirs."""
    lines = [f"(read as: {answer.read_as})"] if answer.read_as else []
    fact, source = answer.fact, answer.source
    if answer.compared:
        for item in answer.compared:
            name = item.topic.name if item.topic else ""
            lines.append(f"{name}: {item.text}")
            if item.source is not None:
                lines.append(
                    f"  — {item.source.citation(item.fact.section if item.fact else None)}"
                )
    elif answer.answered and source is not None:
        lines += [answer.text, "", f"— {source.citation(fact.section if fact else None)}"]
    elif answer.kind is AnswerKind.PROBABLE and fact is not None and source is not None:
        lines += [
            "Not sure, but this is probably it.",
            f"Closest match: {fact.question}",
            answer.text,
            "",
            f"— {source.citation(fact.section)}",
        ]
        lines += _numbered("Other near misses:", answer.suggestions)
    elif answer.not_stated is not None:
        topic, what = answer.not_stated.topic.name, answer.not_stated.text
        lines.append(f"I don't know that one: the source does not say this about {topic} ({what}).")
        lines += _numbered("Did you mean:", answer.suggestions)
    else:
        lines.append("I don't know that one: nothing in the knowledge answers it.")
        lines += _numbered("Did you mean:", answer.suggestions)
    if answer.margin is not None:
        lines += ["", margin_note(answer.margin)]
    if answer.lacking:
        lines += ["", lacking_note(answer)]
    if explain:
        lines += ["", explanation(answer)]
    return "\n".join(lines)


def margin_note(margin: Margin) -> str:
    """The gap a comparison worked out, with which side it favours and, where it says
    something, how many times the other it is."""
    note = f"Difference: {margin.figure} more for {margin.more.name} than {margin.less.name}"
    return f"{note} ({margin.times} times as much)." if margin.says_times else f"{note}."


def lacking_note(answer: Answer) -> str:
    """What a comparison asked about that the knowledge has nothing on, said plainly."""
    return f"Nothing in the knowledge on this for: {', '.join(answer.lacking)}."


def _numbered(heading: str, facts: tuple[Fact, ...]) -> list[str]:
    """Facts offered instead, numbered so `footnote chat` can pick one; nothing if none."""
    if not facts:
        return []
    return ["", heading, *(f"  {n}. {fact.question}" for n, fact in enumerate(facts, 1))]


def explanation(answer: Answer) -> str:
    """Why the matcher decided as it did, for curators tuning their phrasings."""
    matched = ", ".join(answer.matched) or "nothing"
    lines = [f"kind: {answer.kind.value}  confidence: {answer.confidence:.2f}  matched: {matched}"]
    if answer.glossary:
        used = ", ".join(f"{typed} → {headword}" for typed, headword in answer.glossary)
        lines.append(f"glossary: {used}")
    if answer.reason:
        decided = "only probably" if answer.kind is AnswerKind.PROBABLE else "abstained"
        lines.append(f"{decided}: {answer.reason}")
    if answer.not_stated is not None:
        lines.append(f"not stated: {answer.not_stated.topic.id} → {answer.not_stated.text}")
    lines += [
        f"  {item.score:.3f}  {item.fact.id}  ({', '.join(item.matched) or '-'})"
        for item in answer.candidates
    ]
    lines += [
        f"  compared: {item.topic.id if item.topic else '-'} → {item.fact.id if item.fact else '-'}"
        f" ({item.confidence:.2f})"
        for item in answer.compared
    ]
    if answer.kind is AnswerKind.SUMMARY and answer.topic is not None:
        lines.append(f"  topic: {answer.topic.id}")
    return "\n".join(lines)
