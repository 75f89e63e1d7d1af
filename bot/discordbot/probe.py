"""One question to Discord before discord.py starts, so a wrong address fails in one clear line.

discord.py retries server errors for about 25 seconds, waits up to five minutes on a server that
never answers, and ends in a long traceback either way; a host needs to hear at once what is
wrong and whether a restart could help.
"""

from __future__ import annotations

import json
import os

import aiohttp
import discord

PROBED = "/gateway/bot"
"""Asked with the token: it checks the address, the path and the token, and is cheap."""


class DiscordUnavailable(Exception):
    """Discord could not be reached or did not answer as Discord; one line for the host.

    `settings_wrong` is true when only a change to the config or token can help, so a
    supervisor should not restart the bot in a loop.
    """

    def __init__(self, message: str, *, settings_wrong: bool) -> None:
        super().__init__(message)
        self.settings_wrong = settings_wrong


async def probe(api_base: str, token: str, user_agent: str, timeout: float) -> None:
    """Asks {api_base}/gateway/bot once: DiscordUnavailable for anything but Discord's answer,
    LoginFailure (as discord.py raises it) for a rejected token."""
    where = f"Discord at {api_base}"
    headers = {"Authorization": f"Bot {token}", "User-Agent": user_agent}
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
            session.get(api_base.rstrip("/") + PROBED, headers=headers) as response,
        ):
            status, body = response.status, await response.read()
    except TimeoutError:
        raise DiscordUnavailable(
            f"no answer from {where} within {timeout:g} s (waited for {PROBED}); "
            "raise discord.connect_timeout_seconds if it is only slow",
            settings_wrong=False,
        ) from None
    except aiohttp.InvalidURL:
        raise DiscordUnavailable(
            f"cannot reach {where}: not a usable URL", settings_wrong=True
        ) from None
    except (aiohttp.ClientError, OSError) as error:
        raise DiscordUnavailable(
            f"cannot reach {where}: {_reason(error)}", settings_wrong=False
        ) from None
    if status == 401:
        raise discord.LoginFailure("Improper token has been passed.")
    if status >= 500 or status == 429:
        raise DiscordUnavailable(
            f"{where} answered {status} to {PROBED}: it is having trouble; try again later",
            settings_wrong=False,
        )
    if status != 200:
        raise DiscordUnavailable(
            f"{where} answered {status} to {PROBED}: is api_base right?", settings_wrong=True
        )
    if not _names_a_gateway(body):
        raise DiscordUnavailable(
            f"{where} did not answer {PROBED} as Discord does: is api_base right?",
            settings_wrong=True,
        )


def _names_a_gateway(body: bytes) -> bool:
    """Whether an answer is Discord's: a JSON object with the gateway's URL."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(data, dict) and isinstance(data.get("url"), str)


def _reason(error: Exception) -> str:
    """What went wrong on the way, as the system words it ("connection refused")."""
    cause = getattr(error, "os_error", None) or error
    errno = getattr(cause, "errno", None)
    text = os.strerror(errno) if errno else str(cause) or type(cause).__name__
    return text[:1].lower() + text[1:]
