"""Every embed the bot sends, built from engine answers and knowledge, within Discord's limits."""

from __future__ import annotations

from collections.abc import Iterable

import discord

from bot.discordbot.ui.catalogue import Words
from bot.discordbot.ui.text import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    clip,
    escape_knowledge_text,
    escape_user_text,
)
from bot.engine import Answer, AnswerKind
from bot.engine.cards import is_card_fact
from bot.feedback.report import QUESTION_GONE, Group, Rating, Report, Usage, also_snippet
from bot.knowledge import Fact, KnowledgeBase, Source, Topic

ANSWER_COLOUR = discord.Colour.blurple()
SUMMARY_COLOUR = discord.Colour.teal()
PROBABLE_COLOUR = discord.Colour.gold()
KEY_FACTS_IN_SUMMARY = 5
CURATOR_COLOUR = discord.Colour.orange()
GAPS_PER_PAGE = 5
"""Groups or answers a page of /footnote gaps shows: each may carry a snippet to copy, and five
of them fit an embed's 6,000 characters with room to spare."""
WORDINGS_SHOWN = 3
WORDING_LIMIT = 100
"""Characters of each other wording and of the likely fact's question a gap shows, so its
snippet always fits the field whole."""
DIGEST_ITEMS = 5
"""Lines per part of the weekly digest: enough to act on in a week, short enough to be read."""


def _embed(title: str, description: str, colour: discord.Colour) -> discord.Embed:
    return discord.Embed(
        title=clip(escape_knowledge_text(title), EMBED_TITLE_LIMIT),
        description=clip(escape_knowledge_text(description), EMBED_DESCRIPTION_LIMIT),
        colour=colour,
    )


def _cite(
    embed: discord.Embed, words: Words, source: Source, section: str | None = None
) -> discord.Embed:
    """The footer every answer carries: where it comes from."""
    embed.set_footer(
        text=clip(words("answers.source", citation=source.citation(section)), FOOTER_LIMIT)
    )
    if source.url:
        embed.url = source.url
    return embed


def _add_field(embed: discord.Embed, name: str, value: str, *, inline: bool = False) -> bool:
    """Adds a field if Discord would accept it; False once the embed is full."""
    name = clip(escape_knowledge_text(name), FIELD_NAME_LIMIT) or "\u200b"
    value = clip(escape_knowledge_text(value), FIELD_VALUE_LIMIT) or "\u200b"
    if len(embed.fields) >= EMBED_FIELD_LIMIT or len(embed) + len(name) + len(value) > (
        EMBED_TOTAL_LIMIT
    ):
        return False
    embed.add_field(name=name, value=value, inline=inline)
    return True


def answer_embed(answer: Answer, words: Words, shared_by: str | None = None) -> discord.Embed:
    """An answer with its source; a "probably" shows the question it answers, to judge it by."""
    if answer.compared:
        embed = comparison_embed(answer, words)
    elif answer.kind is AnswerKind.PROBABLE and answer.fact is not None:
        lines = [words("answers.closest_match", question=answer.fact.question), answer.fact.answer]
        if answer.lacking:
            lines.append(lacking_note(answer, words))
        if answer.suggestions:
            lines.append(words("answers.not_it", prompt=words("buttons.did_you_mean")))
        embed = _embed(words("answers.probable_title"), "\n\n".join(lines), PROBABLE_COLOUR)
        section = answer.fact.section
    elif answer.fact is not None:
        embed = _embed(answer.fact.question, answer.fact.answer, ANSWER_COLOUR)
        section = answer.fact.section
    elif answer.topic is not None:
        embed = _embed(answer.topic.name, answer.topic.summary, SUMMARY_COLOUR)
        section = None
    else:
        raise ValueError("an unanswered question has no answer embed")
    if answer.source is not None and not answer.compared:
        _cite(embed, words, answer.source, section)
    if shared_by:
        embed.set_author(name=clip(words("answers.shared_by", name=shared_by), EMBED_TITLE_LIMIT))
    elif answer.read_as:
        embed.set_author(name=clip(follow_up_note(answer, words), EMBED_TITLE_LIMIT))
    return embed


def comparison_embed(answer: Answer, words: Words) -> discord.Embed:
    """Several topics' facts side by side: a field per topic, each citing its source, and
    the topics asked about that the knowledge has nothing on."""
    names = [item.topic.name if item.topic else "—" for item in answer.compared]
    notes = [lacking_note(answer, words)] if answer.lacking else []
    if answer.margin is not None:
        margin = answer.margin
        notes.insert(
            0,
            words(
                "answers.margin_times" if margin.says_times else "answers.margin",
                figure=margin.figure,
                more=margin.more.name,
                less=margin.less.name,
                times=margin.times,
            ),
        )
    embed = _embed(words("answers.versus").join(names), "\n\n".join(notes), ANSWER_COLOUR)
    cited: dict[str, Source] = {}
    for name, item in zip(names, answer.compared, strict=True):
        section = item.fact.section if item.fact else None
        source = item.source
        citation = f"\n— {source.citation(section)}" if source is not None else ""
        if source is not None:
            cited[source.id] = source
        if not _add_field(
            embed, name, clip(item.text, FIELD_VALUE_LIMIT - len(citation)) + citation
        ):
            break
    _cite_all(embed, words, cited.values())
    return embed


def _cite_all(embed: discord.Embed, words: Words, sources: Iterable[Source]) -> None:
    """One footer naming every source a multi-topic embed draws on."""
    citation = " | ".join(source.citation() for source in sources)
    embed.set_footer(text=clip(words("answers.source", citation=citation), FOOTER_LIMIT))


def lacking_note(answer: Answer, words: Words) -> str:
    """What a comparison asked about that the knowledge has nothing on, said plainly."""
    return words("answers.lacking", topics=", ".join(answer.lacking))


def fact_embed(knowledge: KnowledgeBase, fact: Fact, words: Words) -> discord.Embed:
    """One fact on its own, as when someone picks a 'did you mean' suggestion."""
    embed = _embed(fact.question, fact.answer, ANSWER_COLOUR)
    return _cite(embed, words, knowledge.source_of(fact), fact.section)


def summary_embed(
    knowledge: KnowledgeBase, topic: Topic, key_facts: Iterable[Fact], words: Words
) -> discord.Embed:
    """A topic's summary followed by its first few key facts, as the reader's language has
    them (see `key_facts`)."""
    embed = _embed(topic.name, topic.summary, SUMMARY_COLOUR)
    for fact in key_facts:
        if not _add_field(embed, fact.question, fact.answer):
            break
    return _cite(embed, words, knowledge.source_of(topic))


def key_facts(knowledge: KnowledgeBase, topic: Topic) -> list[Fact]:
    """The facts a summary lists: the first few curated ones (its card rows are the card's)."""
    curated = [fact for fact in knowledge.facts_about(topic.id) if not is_card_fact(fact)]
    return curated[:KEY_FACTS_IN_SUMMARY]


def compare_embed(
    knowledge: KnowledgeBase, first: Topic, second: Topic, words: Words
) -> discord.Embed:
    """Two topics' cards as side-by-side columns, the same keys on the same lines."""
    embed = discord.Embed(
        title=clip(words("answers.versus").join((first.name, second.name)), EMBED_TITLE_LIMIT),
        colour=SUMMARY_COLOUR,
    )
    cards = [dict(first.card), dict(second.card)]
    keys = list(dict.fromkeys([*cards[0], *cards[1]]))
    if not keys:
        embed.description = words("answers.no_cards")
    for topic, card in zip((first, second), cards, strict=True):
        column = "\n".join(f"**{key}:** {card.get(key, '—')}" for key in keys)
        _add_field(embed, topic.name, column or "—", inline=True)
    cited = {knowledge.source_of(topic).id: knowledge.source_of(topic) for topic in (first, second)}
    _cite_all(embed, words, cited.values())
    return embed


def topics_embed(knowledge: KnowledgeBase, words: Words) -> discord.Embed:
    """Every topic with its other names, so people know what to ask about."""
    lines = [
        f"**{topic.name}**" + (f" — {', '.join(topic.aliases)}" if topic.aliases else "")
        for topic in knowledge.topics.values()
    ]
    return _embed(
        words("lists.topics"), "\n".join(lines) or words("lists.no_topics"), SUMMARY_COLOUR
    )


def sources_embed(knowledge: KnowledgeBase, words: Words) -> discord.Embed:
    """Every source the bot answers from, with what a reader needs to look it up."""
    embed = discord.Embed(title=words("lists.sources"), colour=SUMMARY_COLOUR)
    for source in knowledge.sources.values():
        facts = sum(1 for fact in knowledge.facts.values() if fact.source_id == source.id)
        details = [
            words(
                "lists.source_details",
                publisher=source.publisher,
                published=source.published.isoformat(),
                facts=facts,
            )
        ]
        if source.author:
            details.append(words("lists.by", author=source.author))
        details.append(source.url or words("lists.no_link"))
        if source.note:
            details.append(source.note)
        if not _add_field(embed, source.title, "\n".join(details)):
            break
    return embed


def help_embed(commands: Iterable[tuple[str, str]], words: Words) -> discord.Embed:
    """What the bot does and how to ask it: the slash commands as the reader's Discord names
    them, then the ways of asking that are not commands."""
    embed = _embed(words("help.title"), words("help.intro"), ANSWER_COLOUR)
    ask_menu, answer_menu = words("menus.ask"), words("menus.answer_in_channel")
    ways = (
        (words("help.mention"), words("help.mention_how")),
        (ask_menu, words("help.ask_menu_how", menu=ask_menu)),
        (answer_menu, words("help.answer_menu_how", menu=answer_menu)),
    )
    for name, description in (*commands, *ways):
        _add_field(embed, name, description)
    return embed


def quoted_question(question: str) -> str:
    """A user's question echoed back safely, for messages about it."""
    return clip(escape_user_text(question.strip()), 300)


def follow_up_note(answer: Answer, words: Words) -> str:
    """How a follow-up was read, so the asker can judge the answer by it; '' for the rest."""
    if not answer.read_as:
        return ""
    return words("answers.read_as", question=quoted_question(answer.read_as))


def not_stated_note(answer: Answer, words: Words) -> str:
    """What the question asked that its topic's source does not say, as the curator listed it;
    empty when nothing listed was asked."""
    if answer.not_stated is None:
        return ""
    return words(
        "answers.not_stated", topic=answer.not_stated.topic.name, what=answer.not_stated.text
    )


def unanswered_text(opening: str, answer: Answer, words: Words) -> str:
    """A reply with no answer: that it has none, what its source says it does not give, which
    topics asked about the knowledge has nothing on, how a follow-up was read, and whether near
    misses follow as buttons."""
    did_you_mean = words("buttons.did_you_mean") if answer.suggestions else ""
    lacking = lacking_note(answer, words) if answer.lacking else ""
    followed = follow_up_note(answer, words)
    notes = (opening, not_stated_note(answer, words), lacking, followed, did_you_mean)
    return " ".join(note for note in notes if note)


def _totals(report: Report, words: Words, key: str) -> str:
    """A report's counts in one of the catalogue's sentences for them."""
    totals = report.totals
    return words(
        key,
        unanswered=f"{totals.unanswered:,}",
        up=f"{totals.up_votes:,}",
        down=f"{totals.down_votes:,}",
        uses=f"{totals.uses:,}",
    )


def gaps_pages(report: Report, words: Words) -> list[discord.Embed]:
    """/footnote gaps: pages of unanswered groups, each with the `also` snippet to copy when a
    fact likely fits, then pages of the worst-rated answers; one page saying so when empty."""
    summary = _totals(report, words, "curators.totals")
    gaps = [_gap_field(n, group, words) for n, group in enumerate(report.groups, 1)]
    sections = [
        (words("curators.asked_not_answered"), gaps),
        (words("curators.worst_rated"), [_rating_field(r) for r in report.worst_answers]),
    ]
    chunks = [
        (title, fields[start : start + GAPS_PER_PAGE])
        for title, fields in sections
        for start in range(0, len(fields), GAPS_PER_PAGE)
    ]
    if not chunks:
        empty = _embed(words("curators.gaps"), words("curators.no_gaps"), CURATOR_COLOUR)
        empty.set_footer(text=summary)
        return [empty]
    pages = []
    for number, (title, fields) in enumerate(chunks, 1):
        embed = discord.Embed(title=title, colour=CURATOR_COLOUR)
        for name, value in fields:
            _add_field(embed, name, value)
        page = words("curators.page", number=number, pages=len(chunks), summary=summary)
        embed.set_footer(text=clip(page, FOOTER_LIMIT))
        pages.append(embed)
    return pages


def _gap_field(number: int, group: Group, words: Words) -> tuple[str, str]:
    """One group: how often and in which words it was asked, and what to add where."""
    name = words("curators.gap", number=number, count=group.count, question=group.question)
    others = [
        f"“{escape_user_text(clip(wording.text, WORDING_LIMIT))}” ×{wording.count}"
        for wording in group.wordings[1:WORDINGS_SHOWN]
    ]
    lines = [words("curators.also_as", wordings=", ".join(others))] if others else []
    snippet = also_snippet((group,))
    if group.suggestion is not None and snippet:
        likely = clip(group.suggestion.fact.question, WORDING_LIMIT)
        lines.append(words("curators.likely_fact", question=likely))
        lines.append(code_block(snippet))
    else:
        lines.append(words("curators.no_fact_fits"))
    return escape_user_text(name), "\n".join(lines)


def _rating_field(rating: Rating) -> tuple[str, str]:
    """One down-voted answer, with the question it answers."""
    return (
        f"👎 {rating.down} · 👍 {rating.up} · {rating.answer_key}",
        rating.question or QUESTION_GONE,
    )


def code_block(text: str) -> str:
    """Text in a code block Discord shows with a copy button; backticks, which would end it
    early, become apostrophes, harmless in the YAML it holds."""
    return "```yaml\n" + text.replace("`", "'") + "\n```"


def digest_embed(report: Report, week: str, words: Words) -> discord.Embed:
    """The curators' weekly digest: what was asked and not answered, what got 👎, what was used."""
    embed = discord.Embed(
        title=words("curators.digest_title", week=week),
        description=_totals(report, words, "curators.digest_totals"),
        colour=CURATOR_COLOUR,
    )
    asked = [f"{g.count}× “{escape_user_text(g.question)}”" for g in report.groups]
    disliked = [f"👎 {r.down} · {r.question or r.answer_key}" for r in report.worst_answers]
    used = [_usage_line(usage) for usage in report.most_used]
    for name, lines in (
        (words("curators.asked_not_answered"), asked),
        (words("curators.got_thumbs_down"), disliked),
        (words("curators.used_most"), used),
    ):
        _add_field(
            embed, name, "\n".join(lines[:DIGEST_ITEMS]) or words("curators.nothing_this_week")
        )
    return embed


def _usage_line(usage: Usage) -> str:
    """One answer's uses in the digest."""
    return f"{usage.count}× {usage.question or usage.answer_key}"
