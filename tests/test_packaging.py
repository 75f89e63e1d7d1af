"""A plain install works away from the checkout: the wheel carries the bundled knowledge."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILT_FROM = ("pyproject.toml", "README.md", "bot", "knowledge")
"""What a wheel is built from; copied, so the build leaves nothing behind in the checkout."""


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A command with no way back to the checkout: not as cwd, not on PYTHONPATH."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True
    )


@pytest.mark.timeout(600)
def test_a_wheel_installed_in_a_fresh_venv_answers_from_its_bundled_knowledge(tmp_path: Path):
    source = tmp_path / "source"
    source.mkdir()
    for name in BUILT_FROM:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
    built = _run(
        sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", "dist", source, cwd=tmp_path
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("footnote-*.whl")
    venv = tmp_path / "venv"
    made = _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    installed = _run(
        sys.executable, "-m", "pip", "--python", python, "install", "-q", wheel, cwd=tmp_path
    )
    assert installed.returncode == 0, installed.stderr
    shutil.rmtree(source)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    asked = _run(venv / "bin" / "footnote", "ask", "How much is Kimi a month?", cwd=elsewhere)

    assert asked.returncode == 0, asked.stderr
    assert "RMB 39" in asked.stdout
    (site,) = (venv / "lib").glob("python*/site-packages")
    assert not (site / "knowledge").exists(), "nothing named knowledge at the top"
    assert (site / "bot" / "knowledge" / "bundled" / "knowledge.schema.json").is_file()
    catalogues = site / "bot" / "discordbot" / "ui" / "locales"
    assert {path.name for path in catalogues.glob("*.yaml")} >= {"en.yaml", "zh.yaml"}
