"""The reliability tests reuse the end-to-end fixtures: the real bot against the fake Discord."""

from tests.discordbot.conftest import footnote
from tests.fake_discord.fixtures import discord_py_globals, fake_discord

__all__ = ["discord_py_globals", "fake_discord", "footnote"]
