"""Tests of FakeDiscord itself: a real discord.py client over real HTTP and websocket."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import discord
import pytest
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.fake_discord import ChannelType, FakeDiscord, Overwrite, Perm, shard_of
from tests.fake_discord.fixtures import run_client
from tests.fake_discord.validation import commands_errors

pytestmark = pytest.mark.usefixtures("discord_py_globals")

LOADING = 1 << 7
EPHEMERAL = 1 << 6


def point_rest_at(fake: FakeDiscord) -> None:
    """What Footnote does with its configured api_base: every REST call, webhooks included."""
    Route.BASE = fake.api_base


class DialsGatewayFromApi:
    """What Footnote does once logged in: ask /gateway/bot where to connect, and dial that."""

    http: Any

    async def setup_hook(self) -> None:
        """Runs after login, before connect: REST works, the websocket is not open yet."""
        _, url, _ = await self.http.get_bot_gateway()
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Skips discord.py's 5 s pause before every IDENTIFY after the first."""


class MiniClient(DialsGatewayFromApi, discord.Client):
    """The smallest client that reaches the fake the way Footnote will."""

    def __init__(self, intents: discord.Intents | None = None, **options: Any) -> None:
        intents = intents or discord.Intents.default()
        super().__init__(intents=intents, guild_ready_timeout=0.05, **options)
        self.tree = app_commands.CommandTree(self)
        self.inbox: asyncio.Queue[discord.Message] = asyncio.Queue()

    async def on_message(self, message: discord.Message) -> None:
        await self.inbox.put(message)

    async def next_message(self) -> discord.Message:
        return await asyncio.wait_for(self.inbox.get(), 5)


class MiniShardedClient(DialsGatewayFromApi, discord.AutoShardedClient):
    """The same, sharded."""

    def __init__(self, **options: Any) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0.05, **options)
        self.inbox: asyncio.Queue[discord.Message] = asyncio.Queue()

    async def on_message(self, message: discord.Message) -> None:
        await self.inbox.put(message)


class ReplyingClient(MiniClient):
    """Answers when mentioned, as Footnote does."""

    async def on_message(self, message: discord.Message) -> None:
        await super().on_message(message)
        if self.user in message.mentions:
            await message.reply(f"You said {len(message.content)} characters")


async def test_client_logs_in_through_gateway_bot_and_sees_the_guild(fake_discord):
    fake = fake_discord
    point_rest_at(fake)
    async with run_client(MiniClient(), fake.token) as client:
        guild = client.get_guild(fake.guild.id)
        assert guild is not None and guild.name == fake.guild.name
        assert {c.name for c in guild.text_channels} == {"general", "announcements"}
        assert client.user.id == fake.bot.id and guild.me.id == fake.bot.id
        assert client.application_id == fake.application_id
        general = guild.get_channel(fake.channel.id)
        closed = guild.get_channel(fake.no_send_channel.id)
        assert general.permissions_for(guild.me).send_messages
        assert not closed.permissions_for(guild.me).send_messages
        assert closed.permissions_for(guild.default_role).send_messages
        assert [r.name for r in guild.me.roles] == ["@everyone", "Footnote"]
        assert guild.get_member(fake.user.id) is None, "only the bot comes in GUILD_CREATE"
        assert client.latency < 1, "heartbeats are acknowledged"

    assert [r.path for r in fake.requests[:3]] == [
        "/users/@me",
        "/oauth2/applications/@me",
        "/gateway/bot",
    ]
    assert all(r.token_ok for r in fake.requests)
    assert "Authorization" not in fake.requests[0].headers, "the token is never stored"
    assert [c.path for c in fake.gateway.connections] == ["/gateway"]
    query = fake.gateway.connections[0].query
    assert query["v"] == "10" and query["encoding"] == "json"
    assert query["compress"] in ("zlib-stream", "zstd-stream")
    (identify,) = fake.gateway.identifies
    assert identify.token_ok and identify.shard is None and "token" not in identify.payload
    assert identify.intents == discord.Intents.default().value
    assert fake.gateway.heartbeats >= 1
    assert fake.unhandled_requests == []


async def test_members_intent_gets_every_member_and_chunks_answered(fake_discord):
    fake = fake_discord
    point_rest_at(fake)
    intents = discord.Intents.default()
    intents.members = True
    async with run_client(MiniClient(intents=intents), fake.token, timeout=3) as client:
        guild = client.get_guild(fake.guild.id)
        assert guild.chunked and guild.get_member(fake.moderator.id).roles[-1].name == "Moderator"
        (request,) = [f["d"] for f in fake.gateway.received if f["op"] == 8]
        assert request["guild_id"] == fake.guild.id and request["nonce"]
        found = await guild.query_members(user_ids=[fake.user.id])
        assert [m.id for m in found] == [fake.user.id]


async def test_intents_decide_which_events_are_sent(fake_discord):
    fake = fake_discord
    point_rest_at(fake)
    async with run_client(MiniClient(intents=discord.Intents(guilds=True)), fake.token):
        await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} hello?")
        events = [frame["t"] for frame in fake.gateway.sessions[0].events]
        assert events == ["READY", "GUILD_CREATE"], "no GUILD_MESSAGES intent, no messages"


async def test_wrong_token_is_a_login_failure(fake_discord):
    point_rest_at(fake_discord)
    with pytest.raises(discord.LoginFailure):
        async with run_client(MiniClient(), "not-the-token"):
            pass
    assert [r.status for r in fake_discord.requests] == [401]
    assert fake_discord.requests[0].token_ok is False


async def test_messages_flow_both_ways_with_discords_rules(fake_discord):
    fake = fake_discord
    point_rest_at(fake)
    async with run_client(ReplyingClient(), fake.token) as client:
        quiet_id = await fake.send_message(fake.channel, fake.user, "no mention here")
        quiet = await client.next_message()
        assert quiet.id == quiet_id and quiet.content == "", "no MESSAGE_CONTENT intent"
        assert isinstance(quiet.author, discord.Member) and quiet.author.id == fake.user.id

        asked_id = await fake.send_message(fake.channel, fake.user, f"{fake.bot.mention} hi?")
        asked = await client.next_message()
        assert asked.id == asked_id and asked.content.endswith("hi?")
        assert client.user in asked.mentions

        reply = await fake.wait_for_request(
            "POST", rf"/channels/{fake.channel.id}/messages", status=200
        )
        assert reply.json["content"] == f"You said {len(asked.content)} characters"
        assert reply.json["message_reference"]["message_id"] == asked_id
        own = await client.next_message()
        assert own.author == client.user and own.reference.message_id == asked_id
        assert [m["id"] for m in fake.messages_in(fake.channel.id)] == [
            str(quiet_id),
            str(asked_id),
            reply.response["id"],
        ]
        assert reply.response["mentions"][0]["id"] == str(fake.user.id), "reply pings the author"

        channel = client.get_channel(fake.channel.id)
        sent = await channel.send("draft", file=discord.File(__file__, filename="proof.py"))
        upload = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages")
        assert upload.json["content"] == "draft" and upload.files[0].filename == "proof.py"
        assert sent.attachments[0].filename == "proof.py"
        assert (await client.next_message()).id == sent.id, "the bot sees its own messages"
        await sent.edit(content="final")
        assert fake.messages[sent.id]["content"] == "final"
        await sent.add_reaction("👍")
        assert fake.messages[sent.id]["reactions"][0]["emoji"]["name"] == "👍"
        await channel.typing()
        await sent.delete()
        assert sent.id not in fake.messages
        await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/typing", status=204)

        dm = await asked.author.create_dm()
        await dm.send("psst")
        assert [m["content"] for m in fake.messages_in(dm.id)] == ["psst"]
        assert fake.channels[dm.id].recipients == [fake.user]
        assert (await client.next_message()).channel.id == dm.id
        whisper = await fake.send_message(fake.dm_channel(fake.user), fake.user, "in private")
        got = await client.next_message()
        assert got.id == whisper and got.content == "in private", "DMs need no content intent"
        assert isinstance(got.channel, discord.DMChannel)

        with pytest.raises(discord.Forbidden) as denied:
            await client.get_channel(fake.no_send_channel.id).send("not allowed here")
        assert denied.value.code == 50013
        with pytest.raises(discord.HTTPException) as too_long:
            await channel.send("x" * 2001)
        assert too_long.value.code == 50035


class ThreadWatcher(MiniClient):
    """Collects the threads and posts discord.py reports as created, reading messages' text."""

    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(intents)
        self.threads: asyncio.Queue[discord.Thread] = asyncio.Queue()

    async def on_thread_create(self, thread: discord.Thread) -> None:
        await self.threads.put(thread)


async def test_forum_posts_and_threads_arrive_as_discord_sends_them(fake_discord):
    fake = fake_discord
    point_rest_at(fake)
    forum = fake.add_channel(fake.guild, "help", type=ChannelType.FORUM)
    async with run_client(ThreadWatcher(), fake.token) as client:
        assert isinstance(client.get_channel(forum.id), discord.ForumChannel)
        post = await fake.create_thread(forum, fake.user, "Kimi pricing", "how much a month")
        thread = await asyncio.wait_for(client.threads.get(), 5)
        assert (thread.id, thread.name, thread.owner_id) == (post.id, "Kimi pricing", fake.user.id)
        assert isinstance(thread.parent, discord.ForumChannel) and thread.parent_id == forum.id
        first = await client.next_message()
        assert first.id == thread.id and first.channel == thread, "the first message is the post"
        assert first.content == "how much a month" and thread.starter_message == first
        assert (await thread.fetch_message(thread.id)).content == "how much a month"
        reply = await first.reply("answered")
        assert reply.channel == thread and fake.messages_in(post.id)[-1]["content"] == "answered"
        assert (await client.next_message()).id == reply.id

        side = await fake.create_thread(fake.channel, fake.user, "side chat")
        thread = await asyncio.wait_for(client.threads.get(), 5)
        assert thread.id == side.id and thread.parent == client.get_channel(fake.channel.id)
        said = await fake.send_message(side, fake.user, "in the thread")
        assert (await client.next_message()).channel == thread and said in fake.messages
        with pytest.raises(ValueError, match="is a forum"):
            await fake.send_message(forum, fake.user, "not a post")

        fake.channel.overwrites.append(
            Overwrite.for_member(fake.bot, deny=Perm.SEND_MESSAGES_IN_THREADS)
        )
        with pytest.raises(discord.Forbidden):
            await thread.send("threads take their parent's permissions")
        assert fake.unhandled_requests == []


def _ask_client(fake: FakeDiscord) -> MiniClient:
    """A client with a guild /ask that thinks, then answers in a follow-up."""
    client = MiniClient()

    @client.tree.command(
        name="ask", description="Ask a question", guild=discord.Object(fake.guild.id)
    )
    async def ask(interaction: discord.Interaction, question: str) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send(f"You asked: {question}")
        await interaction.followup.send("A second thought", ephemeral=True)

    @ask.autocomplete("question")
    async def suggest(interaction: discord.Interaction, current: str) -> list[Any]:
        return [app_commands.Choice(name=f"{current} {n}", value=f"{current} {n}") for n in "ab"]

    return client


async def test_slash_command_is_synced_answered_and_followed_up(fake_discord):
    fake = fake_discord
    point_rest_at(fake)
    async with run_client(_ask_client(fake), fake.token) as client:
        synced = await client.tree.sync(guild=discord.Object(fake.guild.id))
        put = await fake.wait_for_request(
            "PUT", rf"/applications/{fake.application_id}/guilds/{fake.guild.id}/commands"
        )
        assert [c["name"] for c in put.json] == ["ask"]
        assert synced[0].id == int(put.response[0]["id"]) and synced[0].guild_id == fake.guild.id

        followups = rf"/webhooks/{fake.application_id}/[^/]+"
        fake.fail_next("POST", followups, 429)
        record = await fake.send_interaction(fake.slash("ask", {"question": "Why?"}))
        callback = await fake.wait_for_request("POST", rf"/interactions/{record.id}/.+/callback")
        assert callback.json["type"] == 5 and callback.query == {"with_response": "1"}
        limited = await fake.wait_for_request("POST", followups, status=429)
        first = await fake.wait_for_request("POST", followups)
        assert first.json["content"] == "You asked: Why?" and first.query["wait"] == "1"
        second = await fake.wait_for_request("POST", followups)
        assert second.json["flags"] == EPHEMERAL
        assert fake.interaction_responses(record.id) == [callback, limited, first, second]

        original = fake.messages[record.original_message_id]
        assert original["content"] == "You asked: Why?", "first follow-up fills the thinking"
        assert not original["flags"] & LOADING
        assert original["interaction_metadata"]["user"]["id"] == str(fake.user.id)
        (extra_id,) = record.followup_ids
        assert fake.messages[extra_id]["flags"] & EPHEMERAL

        again = await _raw_post(fake, f"/interactions/{record.id}/{record.token}/callback")
        assert again == (400, 40060)

        typing = await fake.send_interaction(
            fake.autocomplete("ask", {"question": "foot"}, focused="question")
        )
        await fake.wait_for_request("POST", rf"/interactions/{typing.id}/.+/callback")
        assert typing.callback_type == 8
        assert [c["value"] for c in typing.choices] == ["foot a", "foot b"]


async def _raw_post(fake: FakeDiscord, path: str) -> tuple[int, int]:
    """Posts a reply straight to the fake, bypassing discord.py; returns status and error code."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(fake.api_base + path, json={"type": 4, "data": {"content": "x"}}) as resp,
    ):
        return resp.status, (await resp.json())["code"]


async def test_groups_context_menus_and_components(fake_discord):
    fake = fake_discord
    point_rest_at(fake)
    client = MiniClient()
    guild = discord.Object(fake.guild.id)
    faq = app_commands.Group(name="faq", description="FAQ tools", guild_ids=[fake.guild.id])
    admin = app_commands.Group(name="admin", description="Admin tools", parent=faq)
    seen: dict[str, Any] = {}

    @admin.command(name="grant", description="Let someone curate")
    async def grant(interaction: discord.Interaction, member: discord.Member, days: int) -> None:
        seen.update(member=member, days=days, perms=interaction.permissions)
        await interaction.response.send_message(f"granted {member.name}", ephemeral=True)
        shown = await interaction.original_response()
        await interaction.edit_original_response(content=shown.content + " for good")

    class Thanks(discord.ui.View):
        @discord.ui.button(label="Thanks", custom_id="thanks")
        async def thanks(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
            await interaction.response.edit_message(content="thanked", view=None)

    class Feedback(discord.ui.Modal, title="Feedback"):
        note = discord.ui.TextInput(label="Note", custom_id="note")

        async def on_submit(self, interaction: discord.Interaction) -> None:
            seen["note"] = self.note.value
            await interaction.response.send_message("noted", ephemeral=True)

    @app_commands.context_menu(name="Report")
    async def report(interaction: discord.Interaction, member: discord.Member) -> None:
        seen["reported"] = member
        await interaction.response.send_modal(Feedback(custom_id="feedback"))

    @app_commands.context_menu(name="Cite")
    async def cite(interaction: discord.Interaction, message: discord.Message) -> None:
        seen["cited"] = message
        await interaction.response.send_message(f"cited {message.id}", view=Thanks())

    client.tree.add_command(faq)
    client.tree.add_command(cite, guild=guild)
    client.tree.add_command(report, guild=guild)
    async with run_client(client, fake.token):
        await client.tree.sync(guild=guild)

        record = await fake.send_interaction(
            fake.slash("faq admin grant", {"member": fake.moderator, "days": 7}, user=fake.owner)
        )
        edit = await fake.wait_for_request("PATCH", r"/webhooks/\d+/.+/messages/@original")
        assert edit.json["content"] == f"granted {fake.moderator.username} for good"
        assert [r.method for r in fake.interaction_responses(record.id)] == ["POST", "GET", "PATCH"]
        assert seen["member"].id == fake.moderator.id and seen["days"] == 7
        assert seen["member"].guild_permissions.manage_messages and seen["perms"].administrator
        assert fake.messages[record.original_message_id]["flags"] & EPHEMERAL

        question = await fake.send_message(fake.channel, fake.user, "Is this sourced?")
        menu = await fake.send_interaction(fake.message_command("Cite", question))
        await fake.wait_for_request("POST", rf"/interactions/{menu.id}/.+/callback")
        assert seen["cited"].id == question and seen["cited"].content == "Is this sourced?"
        answer = fake.messages[menu.original_message_id]
        assert answer["components"][0]["components"][0]["custom_id"] == "thanks"

        click = await fake.send_interaction(fake.component(menu.original_message_id, "thanks"))
        update = await fake.wait_for_request("POST", rf"/interactions/{click.id}/.+/callback")
        assert update.json["type"] == 7
        assert answer["content"] == "thanked" and answer["components"] == []

        opened = await fake.send_interaction(fake.user_command("Report", fake.moderator))
        await fake.wait_for_request("POST", rf"/interactions/{opened.id}/.+/callback")
        assert seen["reported"].id == fake.moderator.id
        assert opened.callback_type == 9 and opened.modal["custom_id"] == "feedback"
        submitted = await fake.send_interaction(fake.modal_submit("feedback", {"note": "rude"}))
        await fake.wait_for_request("POST", rf"/interactions/{submitted.id}/.+/callback")
        assert seen["note"] == "rude" and submitted.callback_type == 4


async def test_late_interaction_response_is_unknown_interaction(discord_py_globals):
    async with FakeDiscord(interaction_deadline=0.1) as fake:
        point_rest_at(fake)
        client = MiniClient()
        failures: list[Exception] = []

        @client.tree.command(name="slow", description="Too slow")
        async def slow(interaction: discord.Interaction) -> None:
            await asyncio.sleep(0.2)
            try:
                await interaction.response.send_message("late")
            except discord.NotFound as error:
                failures.append(error)

        async with run_client(client, fake.token):
            await client.tree.sync()
            await fake.send_interaction(fake.slash("slow"))
            await fake.wait_for_request("POST", r"/interactions/\d+/.+/callback", status=404)
            await fake.wait_until(lambda: failures, message="NotFound in the command")
            assert failures[0].code == 10062


async def test_rate_limits_and_errors_are_handled_by_discord_py(fake_discord):
    fake = fake_discord
    point_rest_at(fake)
    path = rf"/channels/{fake.channel.id}/messages"
    async with run_client(MiniClient(), fake.token) as client:
        channel = client.get_channel(fake.channel.id)

        fake.fail_next("POST", path, 429, retry_after=0.05)
        sent = await channel.send("after a 429")
        limited = await fake.wait_for_request("POST", path, status=429)
        assert limited.response == {
            "message": "You are being rate limited.",
            "retry_after": 0.05,
            "global": False,
        }
        await fake.wait_for_request("POST", path, status=200)
        assert [m["content"] for m in fake.messages_in(fake.channel.id)] == ["after a 429"]

        fake.fail_next("POST", path, 429, retry_after=0.05, global_=True)
        await channel.send("after a global 429")
        assert (await fake.wait_for_request("POST", path, status=429)).response["global"]

        fake.fail_next("GET", rf"{path}/\d+", 500)
        assert (await channel.fetch_message(sent.id)).content == "after a 429"
        fetches = [r.status for r in fake.requests if r.method == "GET" and "/messages/" in r.path]
        assert fetches == [500, 200], "a 500 is retried"

        fake.fail_next("POST", path, 403, code=50001)
        with pytest.raises(discord.Forbidden) as denied:
            await channel.send("nope")
        assert denied.value.code == 50001 and denied.value.text == "Missing Access"


async def test_headers_and_unknown_routes_over_plain_http(fake_discord):
    fake = fake_discord
    auth = {"Authorization": f"Bot {fake.token}"}
    fake.fail_next("GET", "/users/@me", 429, retry_after=1.5)
    fake.fail_next("GET", "/gateway", 429, global_=True)
    async with aiohttp.ClientSession(headers=auth) as session:
        async with session.get(fake.api_base + "/users/@me") as limited:
            assert limited.status == 429
            assert limited.headers["Retry-After"] == "2" and limited.headers["Via"]
            assert limited.headers["X-RateLimit-Scope"] == "user"
            assert limited.headers["X-RateLimit-Remaining"] == "0"
            assert (await limited.json())["retry_after"] == 1.5
        async with session.get(fake.api_base + "/gateway") as everywhere:
            assert everywhere.headers["X-RateLimit-Global"] == "true"
            assert everywhere.headers["X-RateLimit-Scope"] == "global"
            assert (await everywhere.json())["global"] is True
        async with session.get(fake.api_base + "/users/@me") as ok:
            assert ok.status == 200 and (await ok.json())["id"] == str(fake.bot.id)
            assert ok.headers["X-RateLimit-Remaining"] == "4" and ok.headers["X-RateLimit-Bucket"]
        async with session.get(fake.api_base + "/guilds/1/bans") as missing:
            assert missing.status == 404
            assert await missing.json() == {"message": "404: Not Found", "code": 0}
    assert [r.path for r in fake.unhandled_requests] == ["/guilds/1/bans"]
    with pytest.raises(AssertionError, match="GET /guilds/1/bans -> 404"):
        await fake.wait_for_request("DELETE", "/nothing", timeout=0.05)


async def test_reconnect_resume_and_replay(fake_discord):
    fake = fake_discord
    point_rest_at(fake)
    async with run_client(MiniClient(), fake.token) as client:
        first_session = fake.gateway.sessions[0].session_id
        await fake.gateway.reconnect()
        await fake.wait_until(lambda: fake.gateway.resumes, message="a RESUME")
        assert fake.gateway.resumes[0].session_id == first_session
        assert fake.gateway.resumes[0].accepted
        assert fake.gateway.connections[-1].path == "/gateway/resume"

        await fake.gateway.close(4000)
        away = await fake.send_message(fake.channel, fake.user, "sent while away")
        assert (await client.next_message()).id == away, "replayed after RESUME"
        back = await fake.send_message(fake.channel, fake.user, "sent after")
        assert (await client.next_message()).id == back, "and only once"
        assert len(fake.gateway.resumes) == 2 and len(fake.gateway.identifies) == 1

        await fake.gateway.invalid_session(resumable=True)
        await fake.wait_until(lambda: len(fake.gateway.resumes) == 3, message="third RESUME")
        assert fake.gateway.resumes[-1].accepted


async def test_invalid_session_makes_the_client_identify_again(fake_discord):
    fake = fake_discord
    point_rest_at(fake)
    async with run_client(MiniClient(), fake.token) as client:
        await fake.gateway.invalid_session(resumable=False)
        await fake.wait_until(lambda: len(fake.gateway.identifies) == 2, message="re-IDENTIFY")
        await fake.wait_until_ready()
        assert [c.path for c in fake.gateway.connections] == ["/gateway", "/gateway"]
        assert len({s.session_id for s in fake.gateway.sessions}) == 2
        fresh = await fake.send_message(fake.channel, fake.user, "new session")
        assert (await client.next_message()).id == fresh

        await fake.gateway.close(4009)
        await fake.wait_until(lambda: len(fake.gateway.identifies) == 3, message="new session")
        assert [r.accepted for r in fake.gateway.resumes] == [False], "timed-out session"


@pytest.mark.parametrize("shard_count", [2, None], ids=["configured", "from-gateway-bot"])
async def test_auto_sharded_client_identifies_each_shard(discord_py_globals, shard_count):
    async with FakeDiscord(recommended_shards=2) as fake:
        other = fake.add_guild("Second", shard=(1 - shard_of(fake.guild.id, 2), 2))
        other_channel = fake.add_channel(other, "questions")
        fake.add_member(other, fake.user)
        point_rest_at(fake)
        client = MiniShardedClient(shard_count=shard_count)
        async with run_client(client, fake.token):
            assert sorted(i.shard for i in fake.gateway.identifies) == [(0, 2), (1, 2)]
            for session in fake.gateway.sessions:
                ready_guilds = [g["id"] for g in session.events[0]["d"]["guilds"]]
                expected = [str(g) for g in fake.guilds if shard_of(g, 2) == session.shard_id]
                assert ready_guilds == expected
            assert {g.id for g in client.guilds} == {fake.guild.id, other.id}
            assert client.get_guild(other.id).shard_id == shard_of(other.id, 2)

            await fake.send_message(other_channel, fake.user, "which shard?")
            got = await asyncio.wait_for(client.inbox.get(), 5)
            assert got.guild.id == other.id
            carried = [
                s.shard_id
                for s in fake.gateway.sessions
                if any(e["t"] == "MESSAGE_CREATE" for e in s.events)
            ]
            assert carried == [shard_of(other.id, 2)]


async def test_permission_overwrites_follow_discords_order(fake_discord):
    fake = fake_discord
    staff = fake.add_channel(
        fake.guild,
        "staff",
        overwrites=[
            Overwrite.for_role(fake.guild.everyone, deny=Perm.VIEW_CHANNEL),
            Overwrite.for_role(fake.moderator_role, allow=Perm.VIEW_CHANNEL),
        ],
    )
    assert fake.permissions_in(staff, fake.user.id) == 0
    assert fake.permissions_in(staff, fake.moderator.id) & Perm.SEND_MESSAGES
    assert fake.permissions_in(staff, fake.bot.id) == 0, "the bot cannot see it either"
    assert fake.permissions_in(staff, fake.owner.id) & Perm.ADMINISTRATOR


def test_command_localisations_are_held_to_discords_rules() -> None:
    def command(**localised: object) -> dict:
        option = {"type": 3, "name": "question", "description": "What?"}
        return {"name": "ask", "description": "Ask.", "options": [option], **localised}

    assert commands_errors([command(name_localizations={"zh-CN": "提问"})]) is None
    bad_locale = commands_errors([command(name_localizations={"zh": "提问"})])
    upper = commands_errors([command(name_localizations={"de": "Fragen"})])
    spaced = commands_errors([command(name_localizations={"zh-CN": "提 问"})])
    long_text = commands_errors([command(description_localizations={"zh-CN": "长" * 101})])
    for refused in (bad_locale, upper, spaced, long_text):
        assert refused is not None and refused["code"] == 50035
    clash = command()
    clash["options"] = [
        {"type": 3, "name": "a", "description": "A", "name_localizations": {"zh-CN": "话题"}},
        {"type": 3, "name": "b", "description": "B", "name_localizations": {"zh-CN": "话题"}},
    ]
    assert commands_errors([clash]) is not None, "two options named alike in Chinese"
