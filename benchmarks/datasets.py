"""Generated data on disk, reused across runs while a manifest of hashes says it is intact."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from benchmarks.generate import FACTS_PER_FILE, generate, write_knowledge
from benchmarks.queries import Query, build_queries, read_queries, write_queries

DATA_ROOT = Path(__file__).resolve().parent / "data"
GENERATOR_MODULES = ("vocabulary.py", "attributes.py", "generate.py", "queries.py")
"""The code that decides the data's content: a change in any of them regenerates it."""
QUERY_POOL = 1_000
TUNING_POOL = 300
"""Questions stored per size at least, so quick and full runs share one data set."""


@dataclass(frozen=True)
class Dataset:
    """One seed and size: the knowledge folder and the test and tuning questions."""

    root: Path

    @property
    def knowledge(self) -> Path:
        """The folder of generated YAML files."""
        return self.root / "knowledge"

    @property
    def queries(self) -> Path:
        """The test questions."""
        return self.root / "queries.yaml"

    @property
    def tuning(self) -> Path:
        """The questions that tune the baselines' cutoffs."""
        return self.root / "tuning.yaml"

    @property
    def manifest(self) -> Path:
        """The hashes that decide whether the data can be reused."""
        return self.root / "manifest.json"

    def test_queries(self, count: int) -> list[Query]:
        """The first `count` test questions: a prefix of a shuffled set keeps its mix."""
        return read_queries(self.queries)[:count]

    def tuning_queries(self, count: int) -> list[Query]:
        """The first `count` questions of the separate split used to tune baseline cutoffs."""
        return read_queries(self.tuning)[:count]


def ensure_dataset(
    seed: int,
    size: int,
    queries: int,
    tuning: int,
    root: Path = DATA_ROOT,
    facts_per_file: int = FACTS_PER_FILE,
) -> tuple[Dataset, bool]:
    """The data set for a seed and size, in files of about `facts_per_file` facts, generated
    only if missing, stale or too small.

    Returns it with whether it had to be generated.
    """
    split = "" if facts_per_file == FACTS_PER_FILE else f"-{facts_per_file}-per-file"
    dataset = Dataset(root / f"seed-{seed}" / f"facts-{size}{split}")
    query_pool, tuning_pool = max(queries, QUERY_POOL), max(tuning, TUNING_POOL)
    wanted: dict[str, int | str] = {
        "seed": seed,
        "size": size,
        "code": _code_hash(),
        "queries": query_pool,
        "tuning": tuning_pool,
        "facts_per_file": facts_per_file,
    }
    if _is_intact(dataset, wanted):
        return dataset, False
    shutil.rmtree(dataset.root, ignore_errors=True)
    catalogue = generate(seed, size)
    write_knowledge(catalogue, dataset.knowledge, facts_per_file)
    write_queries(build_queries(catalogue, query_pool, "test"), dataset.queries)
    write_queries(build_queries(catalogue, tuning_pool, "tuning"), dataset.tuning)
    manifest = {**wanted, "files": _file_hashes(dataset.root)}
    dataset.manifest.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return dataset, True


def _is_intact(dataset: Dataset, wanted: dict[str, int | str]) -> bool:
    """Whether the manifest was written for these parameters and every file still matches it."""
    try:
        manifest = json.loads(dataset.manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    pools = ("queries", "tuning")
    same = all(manifest.get(key) == value for key, value in wanted.items() if key not in pools)
    enough = all(manifest.get(key, 0) >= wanted[key] for key in pools)
    return same and enough and manifest.get("files") == _file_hashes(dataset.root)


def _file_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every data file below a folder, by relative path."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != "manifest.json"
    }


def _code_hash() -> str:
    """A hash of the generator's source, so editing it invalidates old data."""
    digest = hashlib.sha256()
    for name in GENERATOR_MODULES:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()
