"""The ops kit: the container image, the compose example and the systemd unit hold together."""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
import yaml

from bot.cli.main import main
from bot.config import load_config

ROOT = Path(__file__).resolve().parents[1]
UNIT = ROOT / "deploy" / "footnote@.service"
INSTALLED_AT = "/opt/footnote/venv/bin/footnote"
"""Where the unit expects Footnote; verified against this environment's own command."""


def docker_daemon() -> bool:
    """Whether images can be built here: the docker command, and a daemon answering it."""
    if shutil.which("docker") is None:
        return False
    try:
        probe = subprocess.run(["docker", "info"], capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        return False
    return probe.returncode == 0


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here"
)
def test_the_systemd_unit_verifies_and_never_restarts_on_a_bad_config(tmp_path: Path) -> None:
    command = Path(sys.executable).with_name("footnote")
    instance = tmp_path / "footnote@test.service"
    instance.write_text(UNIT.read_text(encoding="utf-8").replace(INSTALLED_AT, str(command)))
    verified = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(instance)], capture_output=True, text=True
    )
    assert (verified.returncode, verified.stderr) == (0, "")
    settings = dict(
        line.split("=", 1) for line in UNIT.read_text(encoding="utf-8").splitlines() if "=" in line
    )
    assert settings["Restart"] == "on-failure"
    assert settings["RestartPreventExitStatus"] == "2", "exit code 2: the config is wrong"


def test_compose_mounts_the_config_where_the_image_reads_it(capsys) -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    mounts = dict(volume.split(":")[:2] for volume in compose["services"]["footnote"]["volumes"])
    assert "/config/config.yaml" in (ROOT / "Dockerfile").read_text(encoding="utf-8")
    config = ROOT / next(host for host, inside in mounts.items() if inside == "/config/config.yaml")
    assert main(["run", "--check", "--config", str(config)]) == 0
    shown = capsys.readouterr().out
    assert "storage:    /data/footnote.db" in shown
    listen = yaml.safe_load(config.read_text(encoding="utf-8"))["metrics"]["listen"]
    assert f"metrics:    http://{listen}/health" in shown
    assert f"http://{listen}/health" in (ROOT / "Dockerfile").read_text(encoding="utf-8"), (
        "the image's health check asks where the config serves /health"
    )


@pytest.mark.timeout(900)
@pytest.mark.skipif(not docker_daemon(), reason="no Docker daemon on this machine to build with")
def test_the_image_builds() -> None:
    built = subprocess.run(
        ["docker", "build", "--quiet", "--tag", "footnote-test", str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr


def test_the_several_process_compose_splits_the_shards_over_one_postgres(capsys) -> None:
    several = ROOT / "deploy" / "compose.several.yaml"
    services = yaml.safe_load(several.read_text(encoding="utf-8"))["services"]
    database = services.pop("postgres")
    assert database["image"].startswith("postgres:"), "the official image"
    assert "POSTGRES_PASSWORD" in database["environment"] and database["volumes"]
    assert "pg_isready" in database["healthcheck"]["test"]
    configs = []
    for name, service in services.items():
        mounts = dict(volume.split(":")[:2] for volume in service["volumes"])
        path = several.parent / next(
            h for h, inside in mounts.items() if inside == "/config/config.yaml"
        )
        assert main(["run", "--check", "--config", str(path)]) == 0, name
        config = load_config(path)
        assert urllib.parse.urlsplit(config.storage.url or "").hostname == "postgres", name
        assert config.storage.password_env in service["environment"], name
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy", name
        configs.append(config.discord)
    capsys.readouterr()
    assert len(configs) == 2
    assert {config.shard_count for config in configs} == {2}
    shard_ids = [shard for config in configs for shard in config.shard_ids or ()]
    assert sorted(shard_ids) == [0, 1], "disjoint, and every shard run"
