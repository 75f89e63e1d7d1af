"""Makes the fake's fixtures available to its own tests."""

from tests.fake_discord.fixtures import discord_py_globals, fake_discord

__all__ = ["discord_py_globals", "fake_discord"]
