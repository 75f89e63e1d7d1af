"""The machine and software a run measured on, since timings mean nothing without them."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import yaml

from benchmarks.worker import benchmark_core

PACKAGES = ("footnote", "rapidfuzz", "PyYAML", "rank-bm25", "numpy", "matplotlib")


def describe_machine() -> dict[str, str]:
    """CPU, cores, memory, OS, Python, library versions, commit and load, as display strings."""
    versions = ", ".join(f"{name} {_version(name)}" for name in PACKAGES)
    libyaml = "with" if yaml.__with_libyaml__ else "without"
    return {
        "Date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": _cpu_model(),
        "Cores": f"{os.cpu_count()} logical; each engine pinned to core {benchmark_core()}",
        "RAM": _memory(),
        "OS": platform.platform(),
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Libraries": f"{versions} (PyYAML {libyaml} libyaml)",
        "Commit": _commit(),
        "Load average at start": _load(),
    }


def _version(package: str) -> str:
    """A package's installed version, or a note that it is missing."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    """The model name, clock and cache of the first CPU in /proc/cpuinfo."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "unknown"
    info: dict[str, str] = {}
    for line in lines:
        key, _, value = line.partition(":")
        info.setdefault(key.strip(), value.strip())
    model = info.get("model name", platform.processor() or "unknown")
    return f"{model}, {info.get('cpu MHz', '?')} MHz, {info.get('cache size', '?')} cache"


def _memory() -> str:
    """Total memory from /proc/meminfo."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _commit() -> str:
    """The checked-out commit, marked when the work tree has uncommitted changes."""
    root = Path(__file__).resolve().parents[1]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{commit or 'unknown'}{' (with uncommitted changes)' if dirty else ''}"


def _load() -> str:
    """The 1, 5 and 15 minute load averages: on a shared machine, how busy the neighbours were."""
    if not hasattr(os, "getloadavg"):
        return "unknown"
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())
