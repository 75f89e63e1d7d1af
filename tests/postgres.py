"""A real PostgreSQL server for the tests, in a temporary folder on 127.0.0.1, from the binaries
`pg_config --bindir` names; started once per session, stopped at its end."""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import asyncpg

ADMIN = "admin"
"""The server's superuser, reached over its Unix socket without a password: the tests' hands."""
BOT = "footnote"
"""The bot's role: no superuser, a password over TCP, the owner of each test's database."""
BOT_PASSWORD = "not-a-secret-test-password"
START_SECONDS = 60
"""pg_ctl's wait for the server: a loaded shared machine may take a while."""


def find_bindir() -> tuple[Path | None, str]:
    """The PostgreSQL server's binaries, or None and why they cannot be used."""
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None, "no pg_config on PATH: install PostgreSQL's server to run these tests"
    try:
        found = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as error:
        return None, f"pg_config --bindir failed: {error}"
    bindir = Path(found)
    missing = [
        name for name in ("initdb", "pg_ctl", "postgres", "psql") if not (bindir / name).is_file()
    ]
    if missing:
        return None, f"{', '.join(missing)} not in {bindir}: install PostgreSQL's server package"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return None, "running as root without runuser: initdb refuses root"
    if os.geteuid() == 0 and not _user_exists("postgres"):
        return None, "running as root with no postgres user to run the server as"
    return bindir, ""


def _user_exists(name: str) -> bool:
    """Whether the system has a user of this name."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def free_port() -> int:
    """A TCP port nothing listens on at the moment of asking."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One server process and its data folder; databases made per test."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="footnote-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._numbers = itertools.count(1)
        if os.geteuid() == 0:  # initdb refuses root: the server runs as postgres
            shutil.chown(self.folder, "postgres", "postgres")

    def _run(self, *argv: str) -> None:
        """Runs a server binary as the user that may own the data folder."""
        command = [str(self.bindir / argv[0]), *argv[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=START_SECONDS + 30)

    def start(self) -> None:
        """Creates the cluster the first time, then starts it listening on 127.0.0.1 only."""
        if not self.data.exists():
            self._run(
                "initdb",
                "-D",
                str(self.data),
                "-U",
                ADMIN,
                "-E",
                "UTF8",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--no-sync",
            )
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder}"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            options,
            "-t",
            str(START_SECONDS),
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        """Stops the server: `fast` as a host's restart does, `immediate` as a crash."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        """Stops the server if it runs, and deletes its folder."""
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    async def admin(self, database: str = "postgres") -> asyncpg.Connection:
        """A superuser connection over the Unix socket, for setting up and inspecting."""
        return await asyncpg.connect(
            host=str(self.folder), port=self.port, user=ADMIN, database=database
        )

    def create_bot_role(self) -> None:
        """The bot's role, as a host would make it: may log in, owns its database, no more."""
        self._run(
            "psql",
            "-h",
            str(self.folder),
            "-p",
            str(self.port),
            "-U",
            ADMIN,
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            f"CREATE ROLE {BOT} LOGIN PASSWORD '{BOT_PASSWORD}'",
        )

    async def create_database(self) -> str:
        """A new, empty database owned by the bot's role: its URL, without the password."""
        name = f"feedback_{next(self._numbers)}"
        admin = await self.admin()
        try:
            await admin.execute(f"CREATE DATABASE {name} OWNER {BOT}")
        finally:
            await admin.close()
        return f"postgresql://{BOT}@127.0.0.1:{self.port}/{name}"
