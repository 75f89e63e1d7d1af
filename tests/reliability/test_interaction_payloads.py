"""Odd, partial and unexpected interaction payloads get a polite reply, never a crash."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.fake_discord import FakeDiscord

CALLBACK = r"/interactions/{}/.+/callback"
EPHEMERAL = 1 << 6
ODD = "\u202e\u200b👨‍👩‍👧‍👦 ｚｚｚ\u0301\x00 <@&4> @everyone ```\n```"
MESSAGE = 4
AUTOCOMPLETE_RESULT = 8


def escaped(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Errors that reached discord.py's or asyncio's last-resort handlers: unhandled ones."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.ERROR and not r.name.startswith("bot.")
    ]


async def reply_to(fake: FakeDiscord, payload: dict[str, Any]) -> dict[str, Any]:
    """Sends an interaction and returns the callback the bot answered it with."""
    record = await fake.send_interaction(payload)
    callback = await fake.wait_for_request("POST", CALLBACK.format(record.id))
    assert callback.status == 200, callback.response
    return callback.json


def without(payload: dict[str, Any], option: str) -> dict[str, Any]:
    """The payload with one option removed, as a stale client or a changed command sends it."""
    payload["data"]["options"] = [o for o in payload["data"]["options"] if o["name"] != option]
    return payload


def with_extra(payload: dict[str, Any], **option: Any) -> dict[str, Any]:
    """The payload with an option the command does not declare."""
    payload["data"]["options"].append(option)
    return payload


@pytest.mark.parametrize(
    ("command", "options", "expected"),
    [
        ("summary", {"topic": "zzz"}, "I don't know a topic called “zzz”; try `/topics`."),
        ("summary", {"topic": ODD}, "I don't know a topic called"),
        ("summary", {"topic": " "}, "I don't know a topic called"),
        ("compare", {"a": "zzz", "b": "qqq"}, "I don't know a topic called “zzz” or “qqq”"),
        ("compare", {"a": "kimi", "b": "zzz"}, "I don't know a topic called “zzz”"),
        ("ask", {"question": ""}, "I don't know the answer to"),
        ("ask", {"question": "x" * 6_000}, "I don't know the answer to"),
        ("ask", {"question": "<@123> <@&4> <#5>"}, "I don't know the answer to"),
        ("ask", {"question": ODD * 200}, "I don't know the answer to"),
    ],
    ids=[
        "summary-unknown",
        "summary-odd",
        "summary-blank",
        "compare-both-unknown",
        "compare-one-unknown",
        "ask-empty",
        "ask-6000-chars",
        "ask-only-mentions",
        "ask-odd-unicode",
    ],
)
async def test_unknown_or_odd_values_get_a_private_explanation(
    fake_discord: FakeDiscord, footnote, caplog, command: str, options: dict, expected: str
):
    """Autocomplete is only a suggestion: people can send any text in any option."""
    fake = fake_discord
    async with footnote():
        callback = await reply_to(fake, fake.slash(command, options))
    data = callback["data"]
    assert callback["type"] == MESSAGE
    assert data["content"].startswith(expected), data["content"]
    assert data["flags"] & EPHEMERAL
    assert len(data["content"]) <= 2_000
    assert data["allowed_mentions"]["parse"] == []
    assert not escaped(caplog)


async def test_comparing_a_topic_with_itself_still_answers(fake_discord: FakeDiscord, footnote):
    fake = fake_discord
    async with footnote():
        callback = await reply_to(fake, fake.slash("compare", {"a": "kimi", "b": "Kimi K2.6"}))
    assert callback["type"] == MESSAGE
    assert callback["data"].get("embeds") or callback["data"].get("content")


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda fake: without(fake.slash("ask", {"question": "kimi price"}), "question"), None),
        (lambda fake: without(fake.slash("summary", {"topic": "kimi"}), "topic"), None),
        (lambda fake: without(fake.slash("compare", {"a": "kimi", "b": "glm"}), "b"), None),
        (
            lambda fake: with_extra(
                fake.slash("ask", {"question": "kimi price"}), name="bogus", type=3, value="x"
            ),
            "RMB 39",
        ),
        (
            lambda fake: with_extra(
                without(fake.slash("ask", {"question": "kimi price"}), "question"),
                name="question",
                type=4,
                value=5,
            ),
            None,
        ),
    ],
    ids=["ask-no-question", "summary-no-topic", "compare-no-b", "ask-extra-option", "ask-int"],
)
async def test_missing_or_unexpected_options_get_a_reply(
    fake_discord: FakeDiscord, footnote, caplog, build, expected: str | None
):
    """Stale clients send the options a command had before the last sync."""
    fake = fake_discord
    async with footnote():
        callback = await reply_to(fake, build(fake))
    data = callback["data"]
    assert callback["type"] == MESSAGE
    if expected is None:
        assert data["flags"] & EPHEMERAL, data
        assert data["content"].startswith("Sorry, something went wrong on my side."), data
    else:
        assert expected in str(data["embeds"])
    assert not escaped(caplog)


@pytest.mark.parametrize("command", ["ask", "summary", "compare"])
@pytest.mark.parametrize(
    "typed", [ODD, "\u0301" * 100, "x" * 6_000, "<@1>", " ", "?"], ids=lambda t: repr(t[:8])
)
async def test_autocomplete_with_odd_text_offers_valid_choices(
    fake_discord: FakeDiscord, footnote, caplog, command: str, typed: str
):
    """Discord rejects the whole response if one choice breaks its limits."""
    fake = fake_discord
    option = {"ask": "question", "summary": "topic", "compare": "a"}[command]
    async with footnote():
        callback = await reply_to(fake, fake.autocomplete(command, {option: typed}, focused=option))
    assert callback["type"] == AUTOCOMPLETE_RESULT
    choices = callback["data"]["choices"]
    assert len(choices) <= 25
    assert all(1 <= len(c["name"]) <= 100 and 1 <= len(str(c["value"])) <= 100 for c in choices)
    assert not escaped(caplog)


@pytest.mark.parametrize(
    "custom_id",
    ["fn:pick:no-such-fact", "fn:share:topic:no-such-topic", "fn:share:fact:no-such-fact"],
)
async def test_buttons_for_answers_that_no_longer_exist_say_so(
    fake_discord: FakeDiscord, footnote, caplog, custom_id: str
):
    """Knowledge reloads remove facts that old messages' buttons still name."""
    fake = fake_discord
    async with footnote():
        message_id = await fake.send_message(fake.channel, fake.user, "an answer from last year")
        button = {"type": 2, "style": 2, "label": "Old", "custom_id": custom_id}
        fake.messages[message_id]["components"] = [{"type": 1, "components": [button]}]
        callback = await reply_to(fake, fake.component(message_id, custom_id))
    assert callback["data"]["content"].endswith("no longer available.")
    assert callback["data"]["flags"] & EPHEMERAL
    assert not escaped(caplog)


async def test_ask_footnote_on_a_message_without_text(fake_discord: FakeDiscord, footnote, caplog):
    """The message menu works on any message, including ones with only embeds."""
    fake = fake_discord
    async with footnote():
        empty = await fake.send_message(
            fake.channel, fake.user, "", embeds=[{"title": "only an embed"}]
        )
        callback = await reply_to(fake, fake.message_command("Ask Footnote", empty))
    assert callback["data"]["content"].startswith("I don't know the answer to")
    assert not escaped(caplog)
